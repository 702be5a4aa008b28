"""Sweeps: one mission flown across a range of one parameter, and where its outcome changes.

``sweep("mars-2", "arrival.entry_fpa_deg", -25, -5, 41)`` flies Mars 2 at 41 entry angles
(:func:`marsprobe.mission.what_if.with_parameter`: the swept value flies, declared
``chosen``, over any fault that set the same parameter; the mission's other faults stay)
and returns, at each value, the outcome class (the replay's outcome terms, with the limit a
destroyed lander exceeded), the key figures, and the boundaries where the class changes.
A value the replay could not fly (a solver failed) is a row of its own, "could not fly",
never an outcome. Values are flown in parallel processes; the rows do not depend on how
many. :func:`refine` flies the midpoints of the intervals where the class changes, so that
a coarse sweep locates its boundaries more closely at the cost of a few flights each.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from marsprobe.errors import InputError

MAX_POINTS = 1000
"""The most values one sweep flies (each is a whole replay, seconds each)."""

COULD_NOT_FLY = "could not fly"


@dataclass
class SweepPoint:
    """One value of the parameter: its outcome class and key figures (units in the names)."""

    value: float
    outcome_class: str
    figures: dict[str, float] = field(default_factory=dict)
    error: str | None = None


@dataclass
class Boundary:
    """The class changes between ``below`` and ``above`` (consecutive swept values)."""

    below: float
    above: float
    from_class: str
    to_class: str


@dataclass
class Sweep:
    slug: str
    parameter: str
    points: list[SweepPoint]
    without: tuple[str, ...] = ()

    @property
    def boundaries(self) -> list[Boundary]:
        out = []
        for a, b in zip(self.points, self.points[1:], strict=False):
            if a.outcome_class != b.outcome_class:
                out.append(Boundary(a.value, b.value, a.outcome_class, b.outcome_class))
        return out

    def ranges(self) -> list[tuple[str, float, float]]:
        """Runs of one class: (class, first value, last value), in sweep order."""
        runs: list[tuple[str, float, float]] = []
        for p in self.points:
            if runs and runs[-1][0] == p.outcome_class:
                runs[-1] = (runs[-1][0], runs[-1][1], p.value)
            else:
                runs.append((p.outcome_class, p.value, p.value))
        return runs

    def to_json(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "parameter": self.parameter,
            "faults_removed": list(self.without),
            "points": [asdict(p) for p in self.points],
            "boundaries": [asdict(b) for b in self.boundaries],
            "ranges": [{"outcome_class": c, "from": lo, "to": hi} for c, lo, hi in self.ranges()],
        }


def parse_range(text: str) -> tuple[str, float, float, int]:
    """``PARAM=LO:HI:N`` -> (param, lo, hi, n); one-line :class:`InputError` otherwise."""
    param, eq, rng = text.partition("=")
    parts = rng.split(":")
    if not eq or not param or len(parts) != 3:
        raise InputError(
            f"sweep {text!r}: give PHASE.NAME=LO:HI:N, e.g. arrival.entry_fpa_deg=-25:-5:41"
        )
    try:
        lo, hi, n = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        raise InputError(f"sweep {text!r}: LO and HI must be numbers and N an integer") from None
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise InputError(f"sweep {text!r}: LO and HI must be finite")
    if not 2 <= n <= MAX_POINTS:
        raise InputError(f"sweep {text!r}: N must be between 2 and {MAX_POINTS}")
    return param, lo, hi, n


def outcome_class(result) -> str:
    """The replay's outcome terms, the limit a destroyed lander exceeded in brackets."""
    text = ", ".join(result.outcome)
    broken = [d.outcome for d in result.decisions if d.outcome in ("broke_up", "burned_through")]
    if broken:
        text += f" ({', '.join(broken)})"
    return text


def key_figures(result) -> dict[str, float]:
    """The figures that place a flight in its class (km, g, J/cm2, m/s, kg)."""
    out: dict[str, float] = {}
    for d in result.decisions:
        key = d.figure.replace("'", "").replace(" ", "_").replace("-", "_")
        out[f"{key}_{d.unit.replace('/', '_per_')}"] = round(d.value, 3)
    if result.descent is not None:
        entry = result.descent.entry
        out["entry_fpa_deg"] = round(entry.fpa_deg, 3)
        out["entry_speed_m_s"] = round(entry.speed_m_s, 1)
    if result.flight is not None and result.flight.arrival.moi:
        left = result.flight.arrival.moi.propellant_left_kg
        if left is not None:
            out["propellant_left_after_insertion_kg"] = left
    return out


def fly_point(slug: str, parameter: str, value: float, without: tuple[str, ...]) -> SweepPoint:
    """One replay of ``slug`` with ``parameter`` at ``value``."""
    from marsprobe import catalog
    from marsprobe.errors import ConvergenceError
    from marsprobe.mission.replay import replay
    from marsprobe.mission.what_if import with_parameter

    mission = with_parameter(catalog.load(slug), parameter, value)
    kept = {f.get("id") for f in (mission.flight or {}).get("faults", [])}
    try:
        result = replay(mission, tuple(f for f in without if f in kept))
    except ConvergenceError as exc:  # CouldNotFly: a row of its own, never an outcome
        return SweepPoint(value, COULD_NOT_FLY, error=str(exc))
    return SweepPoint(value, outcome_class(result), key_figures(result))


def sweep(
    slug: str,
    parameter: str,
    lo: float,
    hi: float,
    n: int,
    without: tuple[str, ...] = (),
    workers: int | None = None,
    progress=None,
) -> Sweep:
    """Fly ``slug`` at ``n`` values of ``parameter`` evenly from ``lo`` to ``hi``."""
    from marsprobe import catalog
    from marsprobe.mission.what_if import with_parameter

    if not 2 <= n <= MAX_POINTS:
        raise InputError(f"a sweep flies between 2 and {MAX_POINTS} values, not {n}")
    mission = catalog.load(slug)
    with_parameter(mission, parameter, lo)  # bad names fail here, in one line
    known = {f.get("id") for f in (mission.flight or {}).get("faults", [])}
    for name in without:  # a typo must not fly the historical case under a counterfactual label
        if name not in known:
            listed = ", ".join(sorted(k for k in known if k)) or "none"
            raise InputError(f"no fault '{name}' in this flight (its faults: {listed})")
    values = [round(float(v), 10) for v in np.linspace(lo, hi, n)]
    from marsprobe.analysis.workers import run_longest_first

    jobs = [(slug, parameter, v, tuple(without)) for v in values]
    points = run_longest_first(fly_point, jobs, [1.0] * n, workers, progress)
    return Sweep(slug, parameter, points, tuple(without))


def refine(result: Sweep, rounds: int, workers: int | None = None, progress=None) -> Sweep:
    """``result`` with ``rounds`` bisections of every boundary: each round flies the midpoint
    of each interval where the class changes, so each boundary's interval halves per round.
    A class that appears only between two coarse values stays unseen (the coarse spacing
    bounds what a sweep can find)."""
    from marsprobe.analysis.workers import run_longest_first

    ascending = result.points[-1].value >= result.points[0].value if result.points else True
    for _ in range(rounds):
        mids = [round(0.5 * (b.below + b.above), 10) for b in result.boundaries]
        if not mids:
            break
        jobs = [(result.slug, result.parameter, v, result.without) for v in mids]
        new = run_longest_first(fly_point, jobs, [1.0] * len(jobs), workers, progress)
        points = sorted([*result.points, *new], key=lambda p: p.value, reverse=not ascending)
        result = Sweep(result.slug, result.parameter, points, result.without)
    return result
