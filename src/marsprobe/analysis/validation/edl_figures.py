"""marsprobe's side of the EDL validation cases: the flights, and the figures read from them.

Pathfinder flies the reconstructed entry state of Spencer et al. (1999, table 1: radius
3522.2 km, 22.6303 N 338.1691 E, inertial 7264.2 m/s at -14.0610 deg, azimuth 253.1479 deg).
The catalog's landers (Viking 1 and 2, Mars 3 and 6) fly the design entry of their mission
file's ``[flight.edl]``, as ``marsprobe edl SLUG`` does. Each flight is flown once (cached).
"""

from __future__ import annotations

import dataclasses
import functools
import math

import numpy as np

from marsprobe.edl import EntryState, fly
from marsprobe.edl.atmosphere import MPF_ENTRY_RADIUS_TO_ARCHIVE_M
from marsprobe.edl.datum import height_above_ellipsoid
from marsprobe.edl.geometry import ellipsoid_radius, relative_from_inertial
from marsprobe.edl.sites import site

MPF_ENTRY_RADIUS_M = 3522.2e3  # Spencer et al. 1999, table 1
MPF_SITE_LAT_DEG = 19.13  # Golombek et al. 1999


def pathfinder_entry(archive_datum: bool = True) -> dict:
    """Spencer et al.'s entry state, planet-relative, its radius on the archive's datum.

    ``archive_datum=False`` keeps the published radius as it is (to show what the datum does).
    """
    lat = 22.6303
    radius = MPF_ENTRY_RADIUS_M + (MPF_ENTRY_RADIUS_TO_ARCHIVE_M if archive_datum else 0.0)
    h = height_above_ellipsoid(radius, "radius", lat)
    rel = relative_from_inertial(h, 7264.2, -14.0610, 253.1479, lat, 338.1691)
    return {k: float(v[0]) for k, v in rel.items()}


@functools.cache
def _pathfinder():
    rel = pathfinder_entry()
    ground = site("pathfinder").ground_altitude_m
    r = fly(
        EntryState.single(**rel),
        "pathfinder",
        dispersions={"ground_altitude_m": ground},
        history=True,
    )
    return r.event_list(0), r.touchdown(0), r.history


@functools.cache
def _mission(slug: str):
    from marsprobe.catalog import load
    from marsprobe.mission.descent import fly_descent
    from marsprobe.mission.entry import entry_for

    params, entry = entry_for(load(slug))
    d = fly_descent(entry, params, history=True)
    # The kernel's field names (the Touchdown keeps them), as the Pathfinder flight gives them.
    return d.events, dataclasses.asdict(d.touchdown), d.history


def _flight(flight: str):
    return _pathfinder() if flight == "pathfinder" else _mission(flight)


def _event(flight: str, event: str) -> dict | None:
    return next((e for e in _flight(flight)[0] if e["name"] == event), None)


def edl_event(flight: str, event: str, field: str) -> float:
    """One field of one event (NaN when the event did not happen); ``g_load`` in g."""
    e = _event(flight, event)
    return math.nan if e is None else float(e[field])


def edl_event_km(flight: str, event: str, field: str) -> float:
    return edl_event(flight, event, field) / 1e3


def edl_radius(flight: str, event: str) -> float:
    """Areocentric radius (km) at an event of the Pathfinder flight (site latitude)."""
    h = edl_event(flight, event, "altitude_m")
    return (h + float(ellipsoid_radius(math.radians(MPF_SITE_LAT_DEG)))) / 1e3


def edl_touchdown(flight: str, field: str) -> float:
    return float(_flight(flight)[1][field])


def edl_ground_time(flight: str, event: str) -> float:
    """Seconds from an event to the retro ignition, or to the ground if it never fired."""
    end = _event(flight, "retro_ignition")
    t_end = end["t_s"] if end is not None else _flight(flight)[1]["t_s"]
    return float(t_end - edl_event(flight, event, "t_s"))


def edl_speed_after(flight: str, event: str, after_s: float) -> float:
    hist = _flight(flight)[2]
    t = edl_event(flight, event, "t_s") + after_s
    return float(np.interp(t, hist["t_s"], hist["speed_m_s"]))


def edl_miss_km(flight: str, lat_deg: float, lon_deg: float) -> float:
    td = _flight(flight)[1]
    dlat = math.radians(td["lat_deg"] - lat_deg)
    dlon = math.radians((td["lon_deg"] - lon_deg + 180.0) % 360.0 - 180.0)
    return math.hypot(dlat, dlon * math.cos(math.radians(lat_deg))) * 3389.5


def edl_touchdown_w_cm2(flight: str, field: str) -> float:
    """A touchdown field given in W/m^2 (a peak heat flux), in W/cm^2."""
    return edl_touchdown(flight, field) * 1e-4
