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

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EnsembleSummary:
        """Read back what :meth:`to_json` wrote (``ensemble.json`` of ``replay --runs --out``).

        A missing or inconsistent field is an :class:`~marsprobe.errors.InputError`, so a
        hand-edited or truncated file is refused in one line rather than drawn wrong.
        """
        from marsprobe.errors import InputError

        def num(v) -> float:  # the JSON writer turns NaN into null
            return float("nan") if v is None else float(v)

        def odds_of(o) -> OutcomeOdds:
            return OutcomeOdds(
                str(o["outcome"]),
                int(o["count"]),
                float(o["probability"]),
                (float(o["ci95"][0]), float(o["ci95"][1])),
            )

        try:
            summary = cls(
                slug=str(data["slug"]),
                runs=int(data["runs"]),
                seed=int(data["seed"]),
                flown=int(data["flown"]),
                outcomes=[odds_of(o) for o in data["outcomes"]],
                matches_record=(
                    odds_of(data["matches_record"]) if data.get("matches_record") else None
                ),
                figures=[
                    FigureSpread(
                        str(f["quantity"]),
                        str(f["unit"]),
                        bool(f["is_date"]),
                        f["recorded"],
                        int(f["flights"]),
                        {k: num(v) for k, v in f["percentiles"].items()},
                        num(f["recorded_percentile"]),
                    )
                    for f in data["figures"]
                ],
                could_not_fly=[
                    CouldNotFly(int(c["sample"]), str(c["error"]))
                    for c in data.get("could_not_fly", [])
                ],
                spreads=dict(data.get("spreads", {})),
                uncertainty=dict(data.get("uncertainty", {})),
            )
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            raise InputError(f"ensemble summary: missing or malformed field ({exc!r})") from None
        if not 0 <= summary.flown <= summary.runs:
            raise InputError("ensemble summary: more flights flown than runs")
        for o in [*summary.outcomes, *filter(None, [summary.matches_record])]:
            if not (0 <= o.ci95[0] <= o.probability <= o.ci95[1] <= 1 and o.count <= summary.flown):
                raise InputError(
                    f"ensemble summary: '{o.outcome}' is not a probability inside its "
                    "interval, or counts more flights than flew"
                )
        return summary


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
