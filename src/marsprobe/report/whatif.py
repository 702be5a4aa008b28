"""What the web view lets a person change, each value checked before anything flies.

A request names a catalog mission (never a file), the documented faults to remove, and at
most a few parameter overrides, each bounded. :func:`parse` turns the raw query into a
:class:`WhatIf` or raises :class:`~marsprobe.errors.InputError` with one clear message;
:func:`apply` writes the overrides into a copy of the mission's ``[flight]`` table through
:func:`marsprobe.mission.what_if.with_parameter` (as ``marsprobe sweep`` does: the value flies
over a fault that set the same parameter, its role declared ``chosen``), so the physics flies
them like any other value. :func:`parse_sweep` checks a sweep of one knob (see
:mod:`marsprobe.report.served_sweep`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from marsprobe.errors import InputError


@dataclass(frozen=True)
class Knob:
    """A flown value a person may change: where it lives, its unit, its bounds, and why."""

    key: str  # "phase.name" in [flight]
    label: str
    unit: str
    low: float
    high: float
    why: str


KNOBS = {
    "entry_fpa_deg": Knob(
        "arrival.entry_fpa_deg",
        "lander's entry flight-path angle",
        "deg",
        -30.0,
        -5.0,
        "shallower than -5 deg a capsule of the era skips out; steeper than -30 deg its "
        "deceleration exceeds any design load by far",
    ),
    "escape_timer_s": Knob(
        "escape.timer_s",
        "escape stage's ignition timer after parking-orbit insertion",
        "s",
        60.0,
        2 * 86_400.0,
        "from a minute after insertion to two days (a parking orbit decays or drifts "
        "out of the window beyond that)",
    ),
    "main_chute_cda_m2": Knob(
        "edl.main_chute_cda_m2",
        "main parachute's drag area (drag coefficient x canopy area)",
        "m2",
        5.0,
        400.0,
        "from less than a drogue's to several times the largest canopy in the vehicle files "
        "(the M-71/M-73 main chute, 85 m2); outside that the descent model was never meant "
        "to fly",
    ),
}
FIELDS = {"slug", "without", *KNOBS}
EDL_KNOBS = {"main_chute_cda_m2"}
"""Knobs that are kernel parameters of the descent: present wherever a lander flies
(``[flight.edl]``), its value the vehicle file's unless the mission sets one."""


@dataclass
class WhatIf:
    """A validated request: the mission, the faults removed, the overrides (unit as KNOBS)."""

    slug: str
    without: tuple[str, ...] = ()
    overrides: dict[str, float] = field(default_factory=dict)


def knobs_of(mission) -> dict[str, Knob]:
    """The knobs this mission's flight has (a value must exist to be changed)."""
    flight = mission.flight or {}
    out = {}
    for name, knob in KNOBS.items():
        phase, key = knob.key.split(".")
        if key in (flight.get(phase) or {}) or (name in EDL_KNOBS and flight.get(phase)):
            out[name] = knob
    return out


def fault_ids(mission) -> list[str]:
    """The documented faults this mission flies with (those of its chosen cause)."""
    from marsprobe.mission.scenario import flight_plan

    return [f.id for f in flight_plan(mission).applied]


def _mission_and_faults(items: list[tuple[str, str]], fields: set[str]):
    """The checked mission (a catalog name, never a path) and the faults to remove."""
    from marsprobe import catalog

    names = {k for k, _ in items}
    unknown = sorted(names - fields)
    if unknown:
        raise InputError(
            f"unknown parameter '{unknown[0][:40]}'; accepted: {', '.join(sorted(fields))}"
        )
    slugs = [v for k, v in items if k == "slug"]
    if len(slugs) != 1:
        raise InputError("give exactly one mission (slug)")
    slug = slugs[0]
    if slug not in catalog.slugs():  # a name from the catalog, never a path
        raise InputError(f"unknown mission '{slug[:60]}'")
    mission = catalog.load(slug)
    faults = fault_ids(mission)
    without = tuple(dict.fromkeys(v for k, v in items if k == "without"))
    for fault in without:
        if fault not in faults:
            known = ", ".join(faults) or "none"
            raise InputError(f"'{fault[:60]}' is not a fault of {slug}; its faults: {known}")
    return mission, without


def parse(items: list[tuple[str, str]]) -> WhatIf:
    """Check a raw query (name, value pairs) and return the request it describes."""
    mission, without = _mission_and_faults(items, FIELDS)
    knobs = knobs_of(mission)
    overrides = {}
    for name in KNOBS:
        values = [v for k, v in items if k == name and v.strip() != ""]
        if not values:
            continue
        if name not in knobs:
            raise InputError(f"{name}: {mission.slug} has no such value to change")
        overrides[name] = _number(name, values[-1], knobs[name])
    return WhatIf(mission.slug, without, overrides)


MAX_SWEEP_POINTS = 25
"""The most values one served sweep flies (each a whole replay, up to a second or two)."""
SWEEP_FIELDS = {"slug", "without", "parameter", "low", "high", "points"}


@dataclass(frozen=True)
class SweepRequest:
    """A validated sweep: ``points`` values of one knob from ``low`` to ``high`` (its unit)."""

    slug: str
    knob: str
    low: float
    high: float
    points: int
    without: tuple[str, ...] = ()

    @property
    def parameter(self) -> str:
        """The swept value's place in ``[flight]`` (``phase.name``)."""
        return KNOBS[self.knob].key


def _one(items: list[tuple[str, str]], name: str) -> str:
    values = [v for k, v in items if k == name]
    if len(values) != 1 or not values[0].strip():
        raise InputError(f"give exactly one {name} for the sweep")
    return values[0].strip()


def parse_sweep(items: list[tuple[str, str]]) -> SweepRequest:
    """Check a raw sweep query and return the sweep it describes (one-line InputError)."""
    mission, without = _mission_and_faults(items, SWEEP_FIELDS)
    knobs = knobs_of(mission)
    name = _one(items, "parameter")
    if name not in knobs:
        offered = ", ".join(knobs) or "none"
        raise InputError(
            f"parameter: '{name[:40]}' cannot be swept for {mission.slug}; its knobs: {offered}"
        )
    knob = knobs[name]
    low = _number(f"{name} low", _one(items, "low"), knob)
    high = _number(f"{name} high", _one(items, "high"), knob)
    if low == high:
        raise InputError(f"{name}: low and high are both {low:g} {knob.unit}; give a range")
    text = _one(items, "points")
    try:
        points = int(text)
    except ValueError:
        raise InputError(f"points: '{text[:30]}' is not a whole number") from None
    if not 2 <= points <= MAX_SWEEP_POINTS:
        raise InputError(
            f"points: {points} is outside 2 to {MAX_SWEEP_POINTS} (each point is a whole "
            "flight; the command line's marsprobe sweep flies more)"
        )
    return SweepRequest(mission.slug, name, low, high, points, without)


def _number(name: str, text: str, knob: Knob) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{name}: '{text[:30]}' is not a number ({knob.unit})") from None
    if not math.isfinite(value) or not knob.low <= value <= knob.high:
        raise InputError(
            f"{name}: {text[:30]} {knob.unit} is outside {knob.low:g} to {knob.high:g} "
            f"{knob.unit} ({knob.why})"
        )
    return value


def apply(mission, overrides: dict[str, float]):
    """A copy of ``mission`` whose [flight] flies the overrides (declared ``chosen``)."""
    from marsprobe.mission.what_if import with_parameter

    for name, value in overrides.items():
        mission = with_parameter(mission, KNOBS[name].key, value)
    return mission
