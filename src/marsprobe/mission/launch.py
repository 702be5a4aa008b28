"""The launch phase: lift-off to the parking orbit (or to the failure), then the escape stage.

``fly_launch`` flies one mission from the pad to its departure hyperbola, or to whatever
ends it first: it tunes the vehicle's guidance onto the DESIGN parking orbit of
``[flight.launch]`` (``parking_*``; the guidance constants are loaded before flight), flies
the ascent with the fault parameters of :class:`LaunchParams`, coasts in the parking orbit
and fires the escape stage by the timer of :class:`EscapeParams`
(:mod:`marsprobe.mission.escape`). Nothing here knows which mission it flies; a fault is a
parameter value (``attitude_lost_t_s = 300.9``), never a branch of its own.

Parameter tables (TOML, unknown keys rejected; ``src`` cites the design values)::

    [flight.launch]
    parking_perigee_km = 159
    parking_apogee_km = 174
    parking_inclination_deg = 51.4
    src = ["002_d3f98a46457d5b1f.txt@L75"]
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from pydantic import Field

from marsprobe.ascent.earth import OMEGA, rotation_z
from marsprobe.ascent.faults import AscentFaults
from marsprobe.ascent.flight import AscentResult
from marsprobe.ascent.tuning import Launch, Target, refly, tune
from marsprobe.constants import R_EARTH
from marsprobe.errors import InputError
from marsprobe.frames import fixed_from_geodetic
from marsprobe.facts import SourceRef, Strict
from marsprobe.ascent.library import load_site, load_vehicle
from marsprobe.time import tdb_from_utc, utc_from_tdb

INF = math.inf


class LaunchParams(Strict):
    """Parameters of the ascent phase: the design parking orbit and the fault inputs.

    Times are seconds from lift-off; stages are numbered from 1 in the order of the vehicle
    file (for the Molniya: 1 strap-ons, 2 Block A, 3 Block I, 4 Block L). Every fault input
    has the nominal value (no fault) as its default.
    """

    parking_perigee_km: float = Field(gt=80, lt=2000)
    parking_apogee_km: float = Field(gt=80, lt=40000)
    parking_inclination_deg: float = Field(gt=0, lt=180)
    src: list[SourceRef] = Field(default_factory=list)
    note: str | None = None
    engine_cutoff_t_s: float = INF
    failed_ignition_stage: int = Field(default=0, ge=0)
    engine_out_t_s: float = INF
    engines_out: int = Field(default=0, ge=0)
    engine_out_stage: int = Field(default=1, ge=1)
    attitude_lost_t_s: float = INF
    attitude_drift_deg_s: float = 0.0
    explosion_t_s: float = INF

    def target(self) -> Target:
        if self.parking_apogee_km < self.parking_perigee_km:
            raise InputError("parking_apogee_km must be >= parking_perigee_km")
        return Target(
            self.parking_perigee_km * 1e3,
            self.parking_apogee_km * 1e3,
            math.radians(self.parking_inclination_deg),
        )

    def faults(self) -> AscentFaults:
        return AscentFaults(
            engine_cutoff_t=self.engine_cutoff_t_s,
            failed_ignition_stage=self.failed_ignition_stage,
            engine_out_t=self.engine_out_t_s,
            engines_out=self.engines_out,
            engine_out_stage=self.engine_out_stage,
            attitude_lost_t=self.attitude_lost_t_s,
            attitude_drift_deg_s=self.attitude_drift_deg_s,
            explosion_t=self.explosion_t_s,
        )


class Fault(Strict):
    """A documented fault: a name, a summary in the catalog's words, parameter overrides
    ``{"phase.param": value}`` and the sources that document it."""

    id: str
    summary: str
    set: dict[str, Any]
    src: list[SourceRef] = Field(min_length=1)
    note: str | None = None


def apply_faults(launch: LaunchParams, escape, faults: list[Fault]):
    """Return copies of the launch and escape parameters with the faults' overrides."""
    tables = {"launch": launch.model_dump(), "escape": escape.model_dump() if escape else None}
    for fault in faults:
        for key, value in fault.set.items():
            phase, _, name = key.partition(".")
            if phase not in tables or tables[phase] is None or name not in tables[phase]:
                raise InputError(
                    f"fault '{fault.id}' sets unknown parameter '{key}'; accepted: "
                    + ", ".join(f"{p}.{k}" for p, t in tables.items() if t for k in t)
                )
            tables[phase][name] = value
    new_launch = LaunchParams.model_validate(tables["launch"])
    new_escape = type(escape).model_validate(tables["escape"]) if escape else None
    return new_launch, new_escape


@dataclass
class PhaseEvent:
    """An event of the launch phases: ``t_s`` from lift-off, epoch TDB s past J2000."""

    name: str
    t_s: float
    epoch: float
    altitude_km: float
    range_km: float | None = None
    detail: str = ""

    def to_dict(self) -> dict:
        out = {
            "name": self.name,
            "t_s": round(self.t_s, 3),
            "time_utc": utc_from_tdb(self.epoch),
            "altitude_km": round(self.altitude_km, 3),
        }
        if self.range_km is not None:
            out["range_km"] = round(self.range_km, 3)
        if self.detail:
            out["detail"] = self.detail
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
    target_ra_deg: float
    target_dec_deg: float

    def to_dict(self) -> dict:
        return {
            "c3_km2_s2": round(self.c3_km2_s2, 4),
            "vinf_km_s": round(self.vinf_km_s, 5),
            "ra_deg": round(self.ra_deg, 3),
            "dec_deg": round(self.dec_deg, 3),
            "time_utc": utc_from_tdb(self.epoch),
            "target_c3_km2_s2": round(self.target_c3_km2_s2, 4),
            "target_ra_deg": round(self.target_ra_deg, 3),
            "target_dec_deg": round(self.target_dec_deg, 3),
        }


@dataclass
class LaunchResult:
    """What ``fly_launch`` returns: events, orbits, the end condition and the hand-over.

    ``end``: ``"departed"``, ``"decayed"`` (stayed in orbit until re-entry),
    ``"destroyed"``, ``"impact"`` or ``"suborbital"``.
    """

    end: str
    events: list[PhaseEvent]
    launch_epoch: float
    parking_orbit: dict | None = None
    departure: Departure | None = None
    decay_epoch: float | None = None
    lifetime_days: float | None = None
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        out: dict[str, Any] = {
            "end": self.end,
            "launch_utc": utc_from_tdb(self.launch_epoch),
            "events": [e.to_dict() for e in self.events],
            "parking_orbit": self.parking_orbit,
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

    def event(self, name: str) -> PhaseEvent | None:
        return next((e for e in self.events if e.name == name), None)


@lru_cache(maxsize=32)
def tuned_launch(
    vehicle_id: str,
    site: str,
    pad: str,
    launch_utc: str,
    payload_kg: float,
    perigee_km: float,
    apogee_km: float,
    inclination_deg: float,
) -> Launch:
    """The nominal ascent of a vehicle from a pad onto a parking orbit (cached: ~1-2 s)."""
    vehicle = load_vehicle(vehicle_id)
    target = Target(perigee_km * 1e3, apogee_km * 1e3, math.radians(inclination_deg))
    return tune(vehicle, load_site(site, pad), tdb_from_utc(launch_utc), payload_kg, target)


def ground_range_km(launch: Launch, site_lat: float, site_lon: float, t_s: float, r) -> float:
    """Great-circle distance (km, on the equatorial-radius sphere) from the pad to the point
    under ``r`` (ascent frame) at ``t_s`` seconds after lift-off."""
    fixed = rotation_z(-(launch.theta0 + OMEGA * t_s)) @ np.asarray(r, float)
    pad = fixed_from_geodetic(site_lat, site_lon, 0.0, "earth")
    c = float(np.dot(fixed, pad) / (np.linalg.norm(fixed) * np.linalg.norm(pad)))
    return R_EARTH * math.acos(max(-1.0, min(1.0, c))) / 1e3


def ascent_events(launch: Launch, res: AscentResult, site) -> list[PhaseEvent]:
    """The ascent's events as phase events (with ground range from the pad)."""
    out = []
    for e in res.events:
        rng = ground_range_km(launch, site.lat, site.lon, e.t, e.r)
        out.append(PhaseEvent(e.name, e.t, launch.t0 + e.t, e.altitude / 1e3, rng, e.detail))
    return out


def fly_launch(
    launch_utc: str,
    site: str,
    pad: str,
    vehicle: str,
    payload_mass_kg: float,
    launch: LaunchParams,
    escape=None,
) -> LaunchResult:
    """Fly a mission from lift-off to departure or to its failure.

    ``launch_utc``, ``site``, ``pad``, ``vehicle`` (a vehicle file id) and
    ``payload_mass_kg`` (the spacecraft) are the mission's identity facts; ``launch`` and
    ``escape`` its ``[flight.launch]`` and ``[flight.escape]`` tables (faults applied).
    """
    from marsprobe.mission.escape import fly_escape

    veh = load_vehicle(vehicle)
    pad_site = load_site(site, pad)
    tuned = tuned_launch(
        vehicle,
        site,
        pad,
        launch_utc,
        float(payload_mass_kg),
        launch.parking_perigee_km,
        launch.parking_apogee_km,
        launch.parking_inclination_deg,
    )
    faults = launch.faults()
    res = tuned.nominal if faults.nominal else refly(tuned, veh, faults)
    events = ascent_events(tuned, res, pad_site)
    if res.outcome != "orbit":
        return LaunchResult(res.outcome, events, tuned.t0)
    return fly_escape(veh, tuned, res, events, escape, float(payload_mass_kg))
