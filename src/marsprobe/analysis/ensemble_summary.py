"""What an ensemble of one mission's flights says: outcome odds, spreads, the record's place.

Read from the campaign's columns alone (:mod:`marsprobe.analysis.mission_ensemble`), so
it does not depend on how many workers flew them:

- the probability of each outcome class among the flights that flew, with the Wilson 95 %
  score interval (:func:`marsprobe.analysis.summary.wilson_interval`); the flights that could
  not fly (a solver failed) are counted and named apart, never as an outcome;
- the 5th, 50th and 95th percentiles of every compared figure (``numpy.percentile``, linear
  interpolation; a date as its difference from the record);
- the percentile at which the recorded value falls in the ensemble: the share of flights
  below it, ties counted half (the mid-rank), in percent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from marsprobe.analysis.summary import wilson_interval

PERCENTILES = (5.0, 50.0, 95.0)


@dataclass(frozen=True)
class OutcomeOdds:
    """How often one outcome class came out: count, share of the flights flown, 95 % CI."""

    outcome: str
    count: int
    probability: float
    ci95: tuple[float, float]


@dataclass(frozen=True)
class FigureSpread:
    """One compared figure across the ensemble (``values``: simulated, or for a date its
    difference from the record, in ``unit``)."""

    quantity: str
    unit: str
    is_date: bool
    recorded: Any
    flights: int
    percentiles: dict[str, float]
    recorded_percentile: float


@dataclass(frozen=True)
class CouldNotFly:
    sample: int
    error: str


@dataclass
class EnsembleSummary:
    slug: str
    runs: int
    seed: int
    flown: int
    outcomes: list[OutcomeOdds]
    matches_record: OutcomeOdds | None
    figures: list[FigureSpread]
    could_not_fly: list[CouldNotFly] = field(default_factory=list)
    spreads: dict[str, dict[str, float]] = field(default_factory=dict)
    uncertainty: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["could_not_fly_count"] = len(self.could_not_fly)
        return out


def percentiles(values: np.ndarray) -> dict[str, float]:
    """The 5th, 50th and 95th percentiles of the finite values, keyed ``p5``, ``p50``, ``p95``."""
    ok = values[np.isfinite(values)]
    qs = np.percentile(ok, PERCENTILES) if ok.size else [np.nan] * len(PERCENTILES)
    return {f"p{p:g}": float(q) for p, q in zip(PERCENTILES, qs, strict=True)}


def rank_percentile(differences: np.ndarray) -> float:
    """Where zero (the record) falls among the differences from it, percent (mid-rank)."""
    d = differences[np.isfinite(differences)]
    below = np.count_nonzero(d < 0.0) + 0.5 * np.count_nonzero(d == 0.0)
    return float(100.0 * below / d.size)


def odds(name: str, flags: np.ndarray, n: int) -> OutcomeOdds:
    k = int(np.count_nonzero(flags))
    lo, hi = wilson_interval(k, n)
    return OutcomeOdds(name, k, k / n, (lo, hi))


def summarize_ensemble(
    slug: str,
    runs: int,
    seed: int,
    columns: Mapping[str, np.ndarray],
    figures: Sequence,
    could_not_fly: Sequence[CouldNotFly],
) -> EnsembleSummary:
    """The :class:`EnsembleSummary` of a run's columns (in sample order) and its figures
    (:func:`marsprobe.analysis.mission_ensemble.figures`)."""
    failed = np.asarray(columns["could_not_fly"], bool)
    flew = ~failed
    n = int(np.count_nonzero(flew))
    outcomes, match = [], None
    if n:
        for name in sorted(c for c in columns if c.startswith("outcome.")):
            flags = np.asarray(columns[name], bool)[flew]
            if flags.any():
                outcomes.append(odds(name.removeprefix("outcome."), flags, n))
        outcomes.sort(key=lambda o: -o.count)
        match = odds("matches_record", np.asarray(columns["matches_record"], bool)[flew], n)
    spreads = []
    for j, fig in enumerate(figures):
        diff = np.asarray(columns[f"figure.{j}.difference"], float)[flew]
        sim = np.asarray(columns[f"figure.{j}.simulated"], float)[flew]
        present = np.isfinite(diff)
        if not present.any():
            continue
        values = diff if fig.is_date else sim
        recorded = fig.recorded_text
        if not fig.is_date:
            both = present & np.isfinite(sim)
            recorded = float(np.round(sim[both][0] - diff[both][0], 3)) if both.any() else None
        spreads.append(
            FigureSpread(
                fig.label,
                fig.unit,
                fig.is_date,
                recorded,
                int(np.count_nonzero(present)),
                percentiles(values[present]),
                rank_percentile(diff[present]),
            )
        )
    extra = {}
    for name in ("tcm_dv_m_s", "propellant_left_kg", "injection_error_m_s"):
        values = np.asarray(columns[name], float)[flew]
        if np.isfinite(values).any():
            extra[name] = percentiles(values)
    return EnsembleSummary(
        slug, runs, seed, n, outcomes, match, spreads, list(could_not_fly), extra
    )
