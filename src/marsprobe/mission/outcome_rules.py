"""The rules that decide a replay's outcome class, with the thresholds written down.

The thresholds live in ``mission/data/outcome_thresholds.toml`` (each a sourced, derived or
chosen figure with its reason); the lander's limits are its vehicle's
(``edl/data/vehicles/*.toml``). Each rule returns the class and a :class:`Decision` saying
which figure met which threshold, which the replay prints beside its outcome.

* A pass is a ``flyby`` only inside Mars' sphere of influence; farther, ``missed_mars``;
  a pass that dips below the top of the atmosphere is ``entered_atmosphere``.
* A bound orbit is an ``orbiter`` only if its periapsis stays above the atmosphere;
  lower, ``entered_atmosphere``.
* A descent module is destroyed past its structural g limit (``broke_up``), its heat load
  (``burned_through``) or its touchdown survival speed (``crashed``).
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources

from marsprobe.facts import Fact, Strict


class _Flyby(Strict):
    max_distance_km: Fact[float]


class _Orbiter(Strict):
    min_periapsis_km: Fact[float]


class _Lander(Strict):
    note: str


class Thresholds(Strict):
    """The file ``outcome_thresholds.toml``."""

    flyby: _Flyby
    orbiter: _Orbiter
    lander: _Lander


@cache
def thresholds() -> Thresholds:
    text = resources.files("marsprobe.mission").joinpath("data/outcome_thresholds.toml")
    return Thresholds.model_validate(tomllib.loads(text.read_text("utf-8")))


@dataclass(frozen=True)
class Decision:
    """One class and the comparison that decided it (figures in the named units)."""

    outcome: str
    figure: str
    value: float
    threshold: str
    limit: float
    unit: str

    def to_json(self) -> dict:
        return asdict(self)


def classify_pass(closest_approach_km: float) -> Decision:
    """A pass of Mars whose closest approach is ``closest_approach_km`` above the surface
    (km; the threshold is a distance from the centre, so the mean radius is added)."""
    from marsprobe.constants import R_MARS

    top = thresholds().orbiter.min_periapsis_km.value
    if closest_approach_km < top:  # it flew through the atmosphere: no clean pass
        return Decision(
            "entered_atmosphere",
            "closest approach altitude",
            closest_approach_km,
            "top of the atmosphere",
            top,
            "km",
        )
    limit = thresholds().flyby.max_distance_km.value
    distance = closest_approach_km + R_MARS / 1e3
    outcome = "flyby" if distance <= limit else "missed_mars"
    return Decision(
        outcome, "closest approach from Mars' centre", distance, "sphere of influence", limit, "km"
    )


def classify_orbit(periapsis_km: float, figure: str = "periapsis altitude") -> Decision:
    """A bound orbit about Mars with periapsis altitude ``periapsis_km``; also a pass that
    reached the surface (``periapsis_km`` 0, ``figure`` saying so): the atmosphere first."""
    limit = thresholds().orbiter.min_periapsis_km.value
    outcome = "orbiter" if periapsis_km >= limit else "entered_atmosphere"
    return Decision(outcome, figure, periapsis_km, "top of the atmosphere", limit, "km")


def lander_decisions(touchdown: dict, limits: dict[str, float]) -> list[Decision]:
    """The descent's figures against its vehicle's limits (``g_limit``,
    ``heat_load_limit_j_cm2``, ``survival_speed_m_s``; a missing or NaN limit is none)."""
    import math

    out = []
    pairs = (
        ("broke_up", "peak g-load", "peak_g_load", "structural limit", "g_limit", "g"),
        (
            "burned_through",
            "heat load",
            "heat_load_j_cm2",
            "heat-shield limit",
            "heat_load_limit_j_cm2",
            "J/cm2",
        ),
        (
            "crashed",
            "touchdown speed",
            "speed_m_s",
            "survival speed",
            "survival_speed_m_s",
            "m/s",
        ),
    )
    for bad, figure, key, name, limit_key, unit in pairs:
        value, limit = touchdown.get(key), limits.get(limit_key)
        if value is None or limit is None or math.isnan(value) or math.isnan(limit):
            continue
        if limit <= 0 or math.isinf(limit):
            continue
        outcome = bad if value > limit else "within"
        out.append(Decision(outcome, figure, float(value), name, float(limit), unit))
    return out
