"""Design departures and flights for the cruise and arrival tests (this module has no tests).

The tests do not depend on the launch phase: a flight's departure is built from its design.
The Lambert arc (marsprobe.orbits.lambert, Izzo's solver) from the Earth's centre at the
recorded launch epoch to Mars at the design arrival date of the mission file's
[flight.cruise] gives the excess velocity v_inf; the spacecraft is put at the
periapsis, 200 km up, of the Earth-centred hyperbola with that v_inf whose plane holds v_inf
and the ICRF pole's projection (any plane would do: the escape stage's is not modelled here).
That start misses Mars by thousands of km, as a real injection does; a flight with course
corrections takes it out, one without flies it, plus ``dispersion_m_s`` along the velocity.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

from marsprobe import constants as c
from marsprobe.catalog.loader import all_missions, load
from marsprobe.ephemeris import state
from marsprobe.mission.arrival import ArrivalParams, fly_to_mars
from marsprobe.mission.cruise import CruiseParams, DepartureState
from marsprobe.mission.scenario import flight_plan
from marsprobe.mission.spacecraft import load_spacecraft
from marsprobe.orbits.lambert import lambert
from marsprobe.time import tdb_from_utc

PARKING_ALTITUDE_M = 200e3


@cache
def flights() -> dict:
    """The ``[flight]`` tables of the catalog missions that have a cruise, {slug: {...}}."""
    return {m.slug: m.flight for m in all_missions() if "cruise" in (m.flight or {})}


def params(slug: str, without: tuple[str, ...] = ()) -> tuple[CruiseParams, ArrivalParams]:
    """Cruise and arrival parameters of ``slug`` with its faults applied (minus ``without``),
    as the replay applies them (marsprobe.mission.scenario.flight_plan)."""
    plan = flight_plan(load(slug), tuple(without))
    return plan.get("cruise"), plan.get("arrival") or ArrivalParams()


def design_departure(slug: str, dispersion_m_s: float = 0.0) -> DepartureState:
    """The design departure of ``slug`` (see the module docstring)."""
    cruise, _ = params(slug)
    t0 = tdb_from_utc(load(slug).launch_utc.value)
    t1 = tdb_from_utc(cruise.arrival_utc)
    r_e, v_e = state("earth", t0)
    r_m, _ = state("mars", t1)
    v1, _, ok = lambert(c.GM_SUN, r_e, r_m, t1 - t0)
    assert ok
    v_inf = v1 - v_e
    speed = float(np.linalg.norm(v_inf))
    s = v_inf / speed
    rp = c.R_EARTH + PARKING_ALTITUDE_M
    e = 1.0 + rp * speed**2 / c.GM_EARTH
    nu = math.acos(-1.0 / e)  # true anomaly of the outgoing asymptote
    h = np.cross(s, [0.0, 0.0, 1.0])
    h /= np.linalg.norm(h)
    p = math.cos(nu) * s - math.sin(nu) * np.cross(h, s)
    vp = math.sqrt(speed**2 + 2.0 * c.GM_EARTH / rp) * np.cross(h, p)
    vp = vp + dispersion_m_s * vp / np.linalg.norm(vp)
    mass = load_spacecraft(cruise.spacecraft).launch_mass_kg
    return DepartureState(t0, r_e + rp * p, v_e + vp, mass)


@cache
def flight(slug: str, without: tuple[str, ...] = (), dispersion_m_s: float = 0.0):
    """``fly_to_mars`` of ``slug`` from its design departure (cached for the test session)."""
    cruise, arrival = params(slug, without)
    return fly_to_mars(design_departure(slug, dispersion_m_s), cruise, arrival)
