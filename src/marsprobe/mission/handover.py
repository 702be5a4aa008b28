"""The states one phase hands to the next, and the events they report.

Every phase reports its events as :class:`Event`. The launch hands a :class:`LaunchResult`
(its events, the :class:`ParkingOrbit`, the end condition) and, when the escape burn
succeeded, a :class:`Departure`: the departure hyperbola and the heliocentric state the cruise
starts from. The arrival's states (:class:`Approach`, :class:`MarsOrbit` for the capture orbit,
:class:`OrbitInsertion`, :class:`Trim`, :class:`Flyby`, :class:`LanderRelease`,
:class:`EntryInterface`, :class:`HeliocentricOrbit`) are defined in
:mod:`marsprobe.mission.arrival_states`, the descent's :class:`Touchdown` in
:mod:`marsprobe.mission.descent_states` and the :class:`ParkingOrbit` in
:mod:`marsprobe.mission.launch_states`; all are read from here too. Kept apart from the phases
so that each phase imports the states it reads and returns, and no phase imports another's
module for them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from marsprobe.mission.arrival_states import (
    ENTRY_FRAME,
    Approach,
    CaptureOrbit,
    EntryInterface,
    Flyby,
    HeliocentricOrbit,
    LanderRelease,
    MarsOrbit,
    OrbitInsertion,
    Trim,
    TrimPlan,
)
from marsprobe.mission.descent_states import Touchdown
from marsprobe.mission.launch_states import ParkingOrbit
from marsprobe.time import utc_from_tdb

__all__ = [
    "ENTRY_FRAME",
    "Approach",
    "CaptureOrbit",
    "Departure",
    "EntryInterface",
    "Event",
    "Flyby",
    "HeliocentricOrbit",
    "LanderRelease",
    "LaunchResult",
    "MarsOrbit",
    "OrbitInsertion",
    "ParkingOrbit",
    "Touchdown",
    "Trim",
    "TrimPlan",
    "launch_event",
    "launch_event_dict",
]


@dataclass
class Event:
    """Something that happened in a flight, the one event type of every phase.

    ``name``; ``epoch`` (TDB s past J2000); ``data``: what was measured then, each key naming
    its unit (``altitude_km``, ``earth_distance_km``); ``phase``: the phase that reported it
    (``launch``, ``orbit``, ``cruise``, ``systems``, ``edl``, ``surface``). The launch phases
    also give ``t_s`` (from lift-off), ``altitude_km``, ``range_km`` and ``detail``
    (:func:`launch_event`), read through the properties of the same names.
    """

    name: str
    epoch: float
    data: dict[str, Any] = field(default_factory=dict)
    phase: str = ""

    @property
    def t_s(self) -> float:
        return self.data["t_s"]

    @property
    def altitude_km(self) -> float:
        return self.data["altitude_km"]

    @property
    def range_km(self) -> float | None:
        return self.data.get("range_km")

    @property
    def detail(self) -> str:
        return self.data.get("detail", "")

    def to_dict(self) -> dict[str, Any]:
        """Name, UTC to the second and the measurements, floats to three decimals."""
        out: dict[str, Any] = {"name": self.name, "time_utc": utc_from_tdb(self.epoch, 0)}
        for key, value in self.data.items():
            out[key] = round(float(value), 3) if isinstance(value, float | np.floating) else value
        return out

    def to_json(self) -> dict[str, Any]:
        """A replay timeline's entry: name, UTC to a tenth of a second, phase, measurements."""
        out = {"name": self.name, "time_utc": utc_from_tdb(self.epoch, 1), "phase": self.phase}
        out.update({k: v for k, v in self.data.items() if v is not None})
        return out


def launch_event(
    name: str,
    t_s: float,
    epoch: float,
    altitude_km: float,
    range_km: float | None = None,
    detail: str = "",
) -> Event:
    """An event of the launch phases: ``t_s`` from lift-off, altitude and downrange in km."""
    data: dict[str, Any] = {"t_s": t_s, "altitude_km": altitude_km, "range_km": range_km}
    data["detail"] = detail
    return Event(name, epoch, data, "launch")


def launch_event_dict(e: Event) -> dict[str, Any]:
    """A launch event as ``marsprobe launch --json`` prints it."""
    out = {
        "name": e.name,
        "t_s": round(e.t_s, 3),
        "time_utc": utc_from_tdb(e.epoch),
        "altitude_km": round(e.altitude_km, 3),
    }
    if e.range_km is not None:
        out["range_km"] = round(e.range_km, 3)
    if e.detail:
        out["detail"] = e.detail
    return out


@dataclass
class Departure:
    """The departure hyperbola and the state handed to the cruise (heliocentric ICRF)."""

    epoch: float  # TDB s past J2000, end of the escape burn
    c3_km2_s2: float
    vinf_km_s: float
    ra_deg: float
    dec_deg: float
    r: np.ndarray  # m, heliocentric
    v: np.ndarray  # m/s, heliocentric
    mass_kg: float
    target_c3_km2_s2: float
    target_ra_deg: float  # NaN when the burn aimed only at a C3
    target_dec_deg: float
    shroud_attached_kg: float = 0.0  # a shroud that never came off rides on the spacecraft
    propellant_used_kg: float = 0.0  # the spacecraft's own propellant spent in the escape

    def to_dict(self) -> dict:
        out = {
            "c3_km2_s2": round(self.c3_km2_s2, 4),
            "vinf_km_s": round(self.vinf_km_s, 5),
            "ra_deg": round(self.ra_deg, 3),
            "dec_deg": round(self.dec_deg, 3),
            "time_utc": utc_from_tdb(self.epoch),
            "target_c3_km2_s2": round(self.target_c3_km2_s2, 4),
            "mass_kg": round(self.mass_kg, 1),
        }
        if math.isfinite(self.target_ra_deg):
            out["target_ra_deg"] = round(self.target_ra_deg, 3)
            out["target_dec_deg"] = round(self.target_dec_deg, 3)
        if self.shroud_attached_kg > 0.0:
            out["shroud_attached_kg"] = round(self.shroud_attached_kg, 1)
        return out


@dataclass
class LaunchResult:
    """What ``fly_launch`` returns: events, orbits, the end condition and the hand-over.

    ``end``: ``"departed"``, ``"decayed"`` (stayed in orbit until re-entry),
    ``"destroyed"``, ``"impact"`` or ``"suborbital"``.
    """

    end: str
    events: list[Event]
    launch_epoch: float
    parking_orbit: ParkingOrbit | None = None
    departure: Departure | None = None
    decay_epoch: float | None = None
    lifetime_days: float | None = None
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        out: dict[str, Any] = {
            "end": self.end,
            "launch_utc": utc_from_tdb(self.launch_epoch),
            "events": [launch_event_dict(e) for e in self.events],
            "parking_orbit": None if self.parking_orbit is None else self.parking_orbit.to_dict(),
        }
        if self.departure is not None:
            out["departure"] = self.departure.to_dict()
        if self.decay_epoch is not None:
            out["decay_utc"] = utc_from_tdb(self.decay_epoch)
            out["lifetime_days"] = round(self.lifetime_days, 3)
        out.update(self.extra)
        return out

    def to_json(self, **kw) -> str:
        return json.dumps(self.to_dict(), **kw)

    def event(self, name: str) -> Event | None:
        return next((e for e in self.events if e.name == name), None)
