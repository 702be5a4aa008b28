"""The parking orbit: its elements at insertion, and the decay of what stays in it.

Between the ascent's cut-off and the escape stage's ignition the stack coasts on its
parking orbit (:mod:`marsprobe.mission.departure`). What never leaves it (a stage that did not
fire, or fired without its attitude, debris of a stage that blew up, or a stack whose timer
is longer than the orbit's life) decays under drag (:mod:`marsprobe.orbits.decay`): the
launch phase then ends ``"decayed"`` with the re-entry epoch and the lifetime from lift-off.

States here are in the ascent frame (:func:`marsprobe.ascent.tuning.icrf_from_ascent`
rotates them to ICRF for the decay model), in m and m/s.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from marsprobe.ascent.flight import AscentResult
from marsprobe.ascent.tuning import Launch, icrf_from_ascent
from marsprobe.constants import DAY_S, GM_EARTH, R_EARTH
from marsprobe.mission.handover import Event, LaunchResult, ParkingOrbit, launch_event
from marsprobe.orbits.decay import lifetime
from marsprobe.orbits.elements import elements_from_state

REENTRY_KM = 120.0
"""Mean altitude at which the decay model counts an object as re-entered (km)."""


def parking_orbit(r, v) -> ParkingOrbit:
    """Perigee/apogee altitudes above the equatorial radius (km), inclination (deg) and
    period (min) of the osculating orbit through ``r``, ``v`` (ascent frame, m and m/s)."""
    el = elements_from_state(r, v, GM_EARTH)
    a, e = float(el.a), float(el.e)
    return ParkingOrbit(
        perigee_km=round((a * (1.0 - e) - R_EARTH) / 1e3, 3),
        apogee_km=round((a * (1.0 + e) - R_EARTH) / 1e3, 3),
        inclination_deg=round(math.degrees(float(el.i)), 4),
        period_min=round(2.0 * math.pi * math.sqrt(a**3 / GM_EARTH) / 60.0, 4),
    )


def altitude_km(r) -> float:
    """Height (km) of ``r`` (m) above the Earth's equatorial radius."""
    return (float(np.linalg.norm(r)) - R_EARTH) / 1e3


def insertion(launch: Launch, res: AscentResult, events: list[Event]) -> LaunchResult:
    """The launch phases' result at parking-orbit insertion (``end = "in_parking_orbit"``),
    with the insertion event appended to ``events``."""
    orbit = parking_orbit(res.r, res.v)
    events.append(
        launch_event(
            "parking_orbit",
            res.t,
            launch.t0 + res.t,
            orbit.perigee_km,
            None,
            f"{orbit.perigee_km:.0f} x {orbit.apogee_km:.0f} km, {orbit.inclination_deg:.2f} deg",
        )
    )
    return LaunchResult("in_parking_orbit", events, launch.t0, parking_orbit=orbit)


def decays_within(launch: Launch, t: float, r_asc, v_asc, bc: float, wait_s: float) -> bool:
    """Whether the object at ``r_asc``, ``v_asc`` (ascent frame) at epoch ``t`` (TDB s), of
    ballistic coefficient ``bc`` (kg/m^2), re-enters before ``wait_s`` seconds have passed
    (a stack whose escape timer outlasts its orbit)."""
    # The decay search runs a day past the wait: a decay later than that cannot answer yes,
    # and one before it is found on the same steps whatever the end of the search (a step is
    # at most half a day, so none reaches that end). A wait of years (a timer set wrong) is
    # searched for 400 days, beyond the life of any parking orbit.
    max_days = wait_s / DAY_S + 1.0 if wait_s < 4e7 else 400.0
    m = icrf_from_ascent(launch.t0)
    r, v = m @ np.asarray(r_asc), m @ np.asarray(v_asc)
    decayed, epoch = _lifetime(tuple(r), tuple(v), float(t), float(bc), max_days)
    return decayed and epoch < t + wait_s


@functools.lru_cache(maxsize=64)
def _lifetime(r: tuple, v: tuple, t: float, bc: float, max_days: float) -> tuple[bool, float]:
    """Whether and when the orbit decays: a pure function of the state, kept for the
    process, because a sweep or a counterfactual flies the same parking orbit again and
    its month-long decay integration is much of a flight's cost."""
    life = lifetime(np.array(r), np.array(v), t, bc, end_alt=REENTRY_KM * 1e3, max_days=max_days)
    return bool(life.decayed), float(life.epoch)


def decay(
    result: LaunchResult, t: float, r_asc, v_asc, launch: Launch, bc: float, label: str
) -> LaunchResult:
    """End ``result`` with the decay of ``label`` from its state at ``t`` (TDB s, ascent
    frame): the re-entry event, the epoch and the lifetime from lift-off (days)."""
    m = icrf_from_ascent(launch.t0)
    life = lifetime(m @ r_asc, m @ v_asc, t, bc, end_alt=REENTRY_KM * 1e3)
    result.decay_epoch = life.epoch
    result.lifetime_days = (life.epoch - launch.t0) / DAY_S
    result.extra["decay_model"] = {
        "object": label,
        "ballistic_coefficient_kg_m2": round(bc, 2),
        "decayed": life.decayed,
    }
    result.events.append(
        launch_event(
            "decay",
            life.epoch - launch.t0,
            life.epoch,
            REENTRY_KM,
            None,
            f"{label} re-enters (mean altitude below {REENTRY_KM:g} km)",
        )
    )
    result.end = "decayed"
    return result
