"""How each compared figure is read off a replay: the readers ``comparison.toml`` names.

A reader takes the replay, the mission, the comparison line and the recorded event it is
compared with, and returns ``(value, simulated event name)`` or None where the flight did not
produce the figure. Dates are returned as epochs (TDB s); the rest in the line's unit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from marsprobe.time import tdb_from_utc

Reader = Callable[[Any, Any, Any, Any], "tuple[Any, str] | None"]


def _orbit(getter: Callable[[Any], Any], key: str) -> Reader:
    """A figure of an orbit: the launch's parking orbit or an arrival's (typed states)."""

    def read(replay, mission, q, event):
        orbit = getter(replay)
        if orbit is None:
            return None
        value = getattr(orbit, key)
        return None if value is None else (value, "")

    return read


def _parking(replay):
    return None if replay.launch is None else replay.launch.parking_orbit


def _capture(replay):
    return None if replay.flight is None else replay.flight.arrival.capture_orbit


def _helio(replay):
    return None if replay.flight is None else replay.flight.arrival.heliocentric_orbit


def _launch_event(key: str) -> Reader:
    def read(replay, mission, q, event):
        if replay.launch is None:
            return None
        events = [e for e in replay.events if e.phase == "launch"]
        sim = next((e for name in q.match for e in events if e.name == name), None)
        if sim is None:
            return None
        if key == "after_ignition_s":
            ignition = [e for e in events if e.name == "escape_burn" and e.epoch <= sim.epoch]
            return None if not ignition else (sim.epoch - ignition[-1].epoch, sim.name)
        value = sim.data.get(key)
        return None if value is None else (value, sim.name)

    return read


def _lifetime(replay, mission, q, event):
    launch = replay.launch
    if launch is None or not launch.decay_epoch:
        return None
    return (launch.decay_epoch - float(tdb_from_utc(mission.launch_utc.value))) / 86_400.0, ""


def _event(key: str) -> Reader:
    def read(replay, mission, q, event):
        sim = replay.event(q.event)  # a carrier's impact is no landing of the record's
        if sim is None:
            return None
        value = sim.epoch if key == "epoch" else sim.data.get(key)
        return None if value is None else (value, sim.name)

    return read


def _loss(key: str) -> Reader:
    def read(replay, mission, q, event):
        if replay.loss_epoch is None:
            return None
        if key == "epoch":
            return replay.loss_epoch, ""
        if key == "after_launch_s":
            return replay.loss_epoch - float(tdb_from_utc(mission.launch_utc.value)), ""
        sim = next((e for e in replay.events if e.name == "loss_of_contact"), None)
        value = None if sim is None else sim.data.get(key)
        return None if value is None else (value, "")

    return read


def _flyby(key: str) -> Reader:
    def read(replay, mission, q, event):
        flyby = None if replay.flight is None else replay.flight.arrival.flyby
        if flyby is None:
            return None
        if key == "epoch":
            return float(tdb_from_utc(flyby.time_utc)), ""
        return getattr(flyby, key), ""

    return read


def _lander_miss(replay, mission, q, event):
    lander = None if replay.flight is None else replay.flight.arrival.lander
    if lander is None or lander.miss_distance_km is None:
        return None
    return lander.miss_distance_km, ""


def _entry(key: str) -> Reader:
    def read(replay, mission, q, event):
        if replay.descent is None:
            return None
        entry = replay.descent.entry
        return (entry.epoch if key == "epoch" else entry.speed_m_s / 1e3), ""

    return read


def _descent_event(key: str) -> Reader:
    def read(replay, mission, q, event):
        if replay.descent is None:
            return None
        sim = next((e for e in replay.descent.events if e["name"] in q.match), None)
        if sim is None:
            return None
        value = {
            "t_s": sim["t_s"],
            "altitude_km": sim["altitude_m"] / 1e3,
            "speed_km_s": sim["speed_m_s"] / 1e3,
        }[key]
        return value, sim["name"]

    return read


def _site_miss(replay, mission, q, event):
    if replay.descent is None or event.lon_deg is None:
        return None
    td = replay.descent.touchdown
    if math.isnan(td.lat_deg):
        return None
    lat, lon = event.lat_deg.value, event.lon_deg.value
    return great_circle_km(td.lat_deg, td.lon_deg, lat, lon), ""


def great_circle_km(lat1, lon1, lat2, lon2, radius_km: float = 3389.5) -> float:
    """The distance between two points of Mars' surface (mean radius), km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlon = math.radians(lon2 - lon1)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dlon)
    return radius_km * math.acos(max(-1.0, min(1.0, c)))


READERS: dict[str, Reader] = {
    **{
        f"parking_orbit.{k}": _orbit(_parking, k)
        for k in ("perigee_km", "apogee_km", "inclination_deg", "period_min")
    },
    **{
        f"capture_orbit.{k}": _orbit(_capture, k)
        for k in ("periapsis_km", "apoapsis_km", "inclination_deg", "period_min")
    },
    **{
        f"heliocentric_orbit.{k}": _orbit(_helio, k)
        for k in ("perihelion_au", "aphelion_au", "inclination_deg", "period_days")
    },
    **{
        f"launch_event.{k}": _launch_event(k)
        for k in ("t_s", "altitude_km", "range_km", "after_ignition_s")
    },
    "orbital_lifetime_days": _lifetime,
    **{f"event.{k}": _event(k) for k in ("epoch", "mars_distance_km", "duration_s")},
    **{f"loss_of_contact.{k}": _loss(k) for k in ("epoch", "after_launch_s", "earth_distance_km")},
    "flyby.closest_approach_km": _flyby("closest_approach_km"),
    "flyby.epoch": _flyby("epoch"),
    "lander.miss_distance_km": _lander_miss,
    "entry.epoch": _entry("epoch"),
    "entry.speed_km_s": _entry("speed"),
    **{f"descent_event.{k}": _descent_event(k) for k in ("t_s", "altitude_km", "speed_km_s")},
    "landing.site_miss_km": _site_miss,
}
