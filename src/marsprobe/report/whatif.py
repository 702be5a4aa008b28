"""What the web view lets a person change, each value checked before anything flies.

A request names a catalog mission (never a file), the documented faults to remove, and at
most a few parameter overrides, each bounded. :func:`parse` turns the raw query into a
:class:`WhatIf` or raises :class:`~marsprobe.errors.InputError` with one clear message;
:func:`apply` writes the overrides into a copy of the mission's ``[flight]`` table, the same
tables the faults override, so the physics flies them like any other value.
"""

from __future__ import annotations

import copy
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
}
FIELDS = {"slug", "without", *KNOBS}


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
        if key in (flight.get(phase) or {}):
            out[name] = knob
    return out


def fault_ids(mission) -> list[str]:
    """The documented faults this mission flies with (those of its chosen cause)."""
    from marsprobe.mission.scenario import flight_plan

    return [f.id for f in flight_plan(mission).applied]


def parse(items: list[tuple[str, str]]) -> WhatIf:
    """Check a raw query (name, value pairs) and return the request it describes."""
    from marsprobe import catalog

    names = {k for k, _ in items}
    unknown = sorted(names - FIELDS)
    if unknown:
        raise InputError(f"unknown parameter '{unknown[0]}'; accepted: {', '.join(sorted(FIELDS))}")
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
    knobs = knobs_of(mission)
    overrides = {}
    for name in KNOBS:
        values = [v for k, v in items if k == name and v.strip() != ""]
        if not values:
            continue
        if name not in knobs:
            raise InputError(f"{name}: {slug} has no such value to change")
        overrides[name] = _number(name, values[-1], knobs[name])
    return WhatIf(slug, without, overrides)


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
    """A copy of ``mission`` whose [flight] carries the overrides."""
    if not overrides:
        return mission
    flight = copy.deepcopy(mission.flight)
    for name, value in overrides.items():
        phase, key = KNOBS[name].key.split(".")
        flight[phase][key] = value
    return mission.model_copy(update={"flight": flight})
