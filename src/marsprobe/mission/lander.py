"""The descent module from its release to the entry interface, and the orbit trim that puts a
landing site under an orbiter.

Two ways to Mars' atmosphere, both flown with the n-body model of :mod:`marsprobe.orbits.nbody`
about Mars (its J2 included):

* From the approach hyperbola (the Soviet M-71 and M-73 scheme). Hours before the carrier's
  closest approach the module is pushed off; ``deflection_delay_s`` later its engine makes
  the smallest impulsive velocity change that moves its B-plane point (osculating Mars-centred
  hyperbola, see :mod:`marsprobe.mission.cruise`) to the impact parameter of the design
  inertial flight-path angle ``entry_fpa_deg`` at the interface (b = r_e v_e cos(gamma) /
  v_inf), in the carrier's plane, re-aimed on the n-body flight.
* From orbit (Viking). At ``lander_from_orbit_utc`` (or ``separation_before_periapsis_s``
  before the periapsis of that pass, :func:`release_epoch`) the capsule is pushed off the
  orbiter and ``deflection_delay_s`` later its thrusters make the de-orbit burn: the
  impulsive velocity change (three components) that brings it to the interface at the design
  inertial flight-path angle over the design entry point ``entry_lat_deg``, ``entry_lon_deg``
  (planetocentric, east), found by Newton steps on the n-body flight with a
  finite-difference Jacobian, as the flight team computed the burn on the ground from the
  orbit they had measured. Its size is an output of the physics, for comparing with the record.

Site trim. An orbit whose period is one Mars rotation passes over the same ground on every
revolution; Viking's site-certification orbits were made so, with the periapsis over the
landing site (futura@Viking 1). ``trim_utc`` asks for that: at the first periapsis after that
date an impulsive burn along the velocity (its propellant by the rocket equation) sets the
period so that on the release pass the capsule would reach the interface over the design
entry longitude. The prediction flies the orbiter there on the n-body model (Mars' J2 walks
the periapsis by degrees in a month) and the capsule from its release on a two-body conic
after the cheapest burn for the design angle (:func:`horizontal_burn`); Newton steps on the
burn use the slope of the synchronous walk, -omega_Mars k dP/dv for the k revolutions to the
release pass. The latitude is left to the de-orbit burn.

Entry state. At the interface the module's state is turned into the Mars body-fixed frame of
the IAU WGCCRE 2009 rotation model (Archinal et al. 2011, Celest. Mech. Dyn. Astr. 109:101;
:func:`marsprobe.frames.to_body_fixed`) and written with the conventions of
:mod:`marsprobe.edl.geometry`: altitude above the WGCCRE 2009 ellipsoid along the radius,
planet-relative speed, flight-path angle from the local horizontal (negative down), heading
clockwise from north, planetocentric latitude, east longitude.
"""

from __future__ import annotations

import math

import numpy as np

from marsprobe.constants import (
    DAY_S,
    G0_M_S2,
    GM_MARS,
    MARS_W_RATE_DEG_PER_DAY,
    R_MARS,
    R_MARS_POLAR,
)
from marsprobe.errors import ConvergenceError
from marsprobe.frames import mars_fixed_matrix, to_body_fixed
from marsprobe.mission.cruise import FlightEvent, mars_pole
from marsprobe.mission.handover import EntryInterface, LanderRelease, TrimPlan
from marsprobe.mission.orders import ArrivalOrders
from marsprobe.orbits import nbody
from marsprobe.orbits.conics import b_plane
from marsprobe.time import tdb_from_utc, utc_from_tdb

OMEGA_MARS = math.radians(MARS_W_RATE_DEG_PER_DAY) / DAY_S
"""Mars' rotation rate, rad/s (WGCCRE 2009)."""
DEORBIT_FD_M_S = 0.05
"""Velocity step of the de-orbit burn's finite-difference Jacobian, m/s: it moves the entry
point by about a hundred metres, far above the integration noise, and stays linear."""
DEORBIT_MAX_STEP_M_S = 20.0
"""Largest Newton step of the de-orbit burn, m/s (a trust region for misses of degrees)."""
DEORBIT_TOLERANCE_RAD = 2e-6
"""The de-orbit burn is converged when the entry point is within this angle of the aim (7 m)
and the flight-path angle within it too."""
TRIM_TOLERANCE_DEG = 0.01
"""The site trim is converged when the predicted entry point is this close in longitude."""


def mars_leg(t0, r, v, t1, eph, *stops, accel=None) -> nbody.Flight:
    """A Mars-centred leg (no change of centre) from ``t0`` to ``t1`` or the first stop."""
    return nbody.fly(t0, r, v, t1, "mars", eph, stops=stops, accel=accel, switch=False)


def leave_soi_stop() -> nbody.Stop:
    """Stop where the distance from Mars rises through its sphere of influence: the pass is
    over (a closest approach searched beyond it would be a heliocentric near-miss)."""
    return nbody.distance_stop("leave", "mars", nbody.SOI["mars"], 1.0)


def closest_on_arc(eph, t0, r0, v0, t1, accel=None) -> tuple[float, np.ndarray, np.ndarray, bool]:
    """The point of the Mars-centred arc from ``t0`` to ``t1`` (TDB s; flown again, with the
    burn ``accel`` if any) nearest to Mars: the periapsis inside the arc, else the nearer end.
    Returns its epoch, state (m, m/s) and whether the arc met the surface first (the point is
    then where it did). A measurement only: the flight itself is not changed."""
    surface = nbody.distance_stop("surface", "mars", R_MARS)
    peri = nbody.periapsis_stop("periapsis", "mars")
    fl = mars_leg(t0, r0, v0, t1, eph, peri, surface, accel=accel)
    if fl.stop is None and np.linalg.norm(r0) <= np.linalg.norm(fl.r[0]):
        return t0, np.asarray(r0), np.asarray(v0), False
    return fl.t, fl.r[0], fl.v[0], fl.stop == "surface"


def entry_radius_stop(h_m: float, pole: np.ndarray) -> nbody.Stop:
    """Stop where the altitude above the WGCCRE 2009 ellipsoid falls through ``h_m``."""
    return nbody.altitude_stop("entry", h_m, pole, (R_MARS, R_MARS_POLAR))


def entry_state(t: float, r, v) -> EntryInterface:
    """The EDL hand-over of a Mars-centred inertial state at the interface (see above): the
    epoch to the millisecond, the body-fixed figures to 1e-6 of their unit, the inertial
    speed to the millimetre per second and angle to 1e-4 deg (as the replay prints them)."""
    from marsprobe.edl.geometry import entry_from_state

    rf, vf = to_body_fixed(r, v, "mars", t)
    e = {k: round(float(np.asarray(x)[0]), 6) for k, x in entry_from_state(rf, vf).items()}
    gamma = math.asin(np.dot(r, v) / np.linalg.norm(r) / np.linalg.norm(v))
    return EntryInterface(
        epoch=round(t, 3),
        **e,
        inertial_speed_m_s=round(float(np.linalg.norm(v)), 3),
        inertial_fpa_deg=round(math.degrees(gamma), 4),
        time_utc=utc_from_tdb(t, 3),
    )


def _lat_lon(t, r) -> tuple[float, float]:
    """Planetocentric latitude and east longitude (rad) of the Mars-centred ``r`` at ``t``."""
    rf = np.asarray(mars_fixed_matrix(t)) @ r
    return math.asin(rf[2] / np.linalg.norm(rf)), math.atan2(rf[1], rf[0])


def _wrap(angle: float) -> float:
    return (angle + math.pi) % (2 * math.pi) - math.pi


# ---- from the approach hyperbola ------------------------------------------------------------


def deflection_dv(t, r, v, b_target: tuple[float, float]) -> np.ndarray:
    """Smallest impulsive velocity change (3,), m/s, moving the osculating B-plane point of
    the Mars-centred state ``r``, ``v`` to ``b_target`` (B.T, B.R), m."""
    pole = mars_pole(t)
    dv = np.zeros(3)
    step = 1e-3
    probes = np.vstack([np.zeros(3), step * np.eye(3)])
    for _ in range(30):
        bp = b_plane(np.tile(r, (4, 1)), v + dv + probes, GM_MARS, pole=pole)
        err = np.array(b_target) - np.array([bp.b_t[0], bp.b_r[0]])
        if np.linalg.norm(err) < 1.0:
            return dv
        jac = np.vstack([bp.b_t[1:] - bp.b_t[0], bp.b_r[1:] - bp.b_r[0]]) / step
        dv = dv + np.linalg.pinv(jac) @ err
    raise ConvergenceError("the descent module's deflection did not converge")


def _impact_parameter(v_inf: float, fpa_rad: float, radius: float) -> float:
    v_e = math.sqrt(v_inf**2 + 2 * GM_MARS / radius)
    return radius * v_e * math.cos(fpa_rad) / v_inf


def _deflect(eph, params, t, r, v, theta, pole) -> np.ndarray:
    """The deflection burn (3,), m/s: the design entry angle at the interface, in the
    carrier's B-plane angle ``theta``, re-aimed on the n-body flight."""
    h_e = params.entry_interface_km * 1e3
    radius = R_MARS + h_e
    goal = aim = math.radians(params.entry_fpa_deg)
    dv = np.zeros(3)
    for _ in range(6):  # re-aim with what the n-body flight actually meets at the interface
        v_inf = float(b_plane(r, v + dv, GM_MARS, pole=pole).v_inf)
        b = _impact_parameter(v_inf, aim, radius)
        dv = deflection_dv(t, r, v, (b * math.cos(theta), b * math.sin(theta)))
        probe = mars_leg(t, r, v + dv, t + 2 * DAY_S, eph, entry_radius_stop(h_e, pole))
        if probe.stop != "entry":
            break
        rr, vv = probe.r[0], probe.v[0]
        radius = float(np.linalg.norm(rr))
        got = math.asin(np.dot(rr, vv) / radius / np.linalg.norm(vv))
        if abs(got - goal) < 1e-4:
            break
        aim += goal - got
    return dv


def _burn_event(name, sc, t, dv, events) -> np.ndarray:
    """Record the module's burn ``dv`` (3,), m/s, paid from its own load: the burn stops when
    the load is spent. Returns the burn actually made."""
    dvn = float(np.linalg.norm(dv))
    data: dict = {"delta_v_m_s": dvn, "planned_delta_v_m_s": dvn}
    if sc.lander_isp_s:
        c = sc.lander_isp_s * G0_M_S2
        load = sc.lander_propellant_kg
        used = sc.lander_mass_kg * (1 - math.exp(-dvn / c))
        if used > load:  # the tanks run dry part-way: what follows comes from what it made
            made = c * math.log(sc.lander_mass_kg / (sc.lander_mass_kg - load))
            dv, used = dv * (made / dvn), load
            data.update(delta_v_m_s=made, detail="propellant exhausted")
        data.update(propellant_kg=used, propellant_left_kg=load - used)
    events.append(FlightEvent(name, t, data))
    return dv


def _to_interface(
    eph, params, t, r, v, events, t_max, release
) -> tuple[LanderRelease, EntryInterface | None, list[FlightEvent]]:
    """Coast to the entry interface or past Mars: where the lander went, the entry state and
    the events. ``release``: the module's epoch and state at separation; its miss distance is
    the closest approach over its whole pass, the coast before its burn included."""
    h_e = params.entry_interface_km * 1e3
    stops = (entry_radius_stop(h_e, mars_pole(t)), nbody.periapsis_stop("pass", "mars"))
    fl = mars_leg(t, r, v, t_max, eph, *stops, leave_soi_stop())
    if fl.stop == "entry":
        entry = entry_state(fl.t, fl.r[0], fl.v[0])
        events.append(FlightEvent("entry", fl.t, {"body": "mars"}))
        return LanderRelease(entered=True, time_utc=entry.time_utc), entry, events
    t_ca, r = fl.t, fl.r[0]
    if fl.stop != "pass":  # already past periapsis at the burn: it was on the coast before
        t_ca, r, _, _ = closest_on_arc(eph, *release, t)
    miss = (float(np.linalg.norm(r)) - R_MARS) / 1e3
    data = {"body": "mars", "object": "lander", "altitude_km": miss}
    events.append(FlightEvent("closest_approach", t_ca, data))
    lander = LanderRelease(
        entered=False, time_utc=utc_from_tdb(t_ca, 0), miss_distance_km=round(miss, 3)
    )
    return lander, None, events


def fly_lander(
    cruise, params, cmd: ArrivalOrders, t_sep, r, v, carrier_theta
) -> tuple[LanderRelease, EntryInterface | None, list[FlightEvent]]:
    """The descent module released from the approach hyperbola at ``t_sep`` (its state
    Mars-centred, m and m/s), deflected as ``cmd`` orders, to the entry interface or past
    Mars: where it went, its entry state and its events."""
    eph = cruise.eph
    events: list[FlightEvent] = []
    t_def = t_sep + cmd.deflection_delay_s
    release = (t_sep, r, v)
    fl = mars_leg(t_sep, r, v, t_def, eph)
    r, v = fl.r[0], fl.v[0]
    if cmd.deflection_fires and cruise.commanded(t_def):
        dv = _deflect(eph, params, t_def, r, v, carrier_theta, mars_pole(t_def))
        v = v + _burn_event("lander_deflection", cruise.spacecraft, t_def, dv, events)
    else:
        detail = "descent module: the deflection burn did not fire"
        events.append(FlightEvent("ignition_failure", t_def, {"detail": detail}))
    return _to_interface(eph, params, t_def, r, v, events, t_def + 3 * DAY_S, release)


# ---- from orbit -----------------------------------------------------------------------------


def _interface_miss(eph, t, r, v, params, t_max) -> np.ndarray | None:
    """Misses (N, 3) of the members (N, 3) at the interface: flight-path angle, latitude and
    east longitude times cos(latitude), rad, against the design; None if member 0 never gets
    there. Each member is moved to its own crossing to first order in time."""
    from marsprobe.edl.geometry import ellipsoid_radius

    h_e = params.entry_interface_km * 1e3
    pole = mars_pole(t)
    fl = mars_leg(t, r, v, t_max, eph, entry_radius_stop(h_e, pole))
    if fl.stop != "entry":
        return None
    lat_t, lon_t = math.radians(params.entry_lat_deg), math.radians(params.entry_lon_deg)
    out = []
    for rk, vk in zip(fl.r, fl.v, strict=True):
        rn = float(np.linalg.norm(rk))
        h = rn - float(ellipsoid_radius(math.asin(np.dot(rk, pole) / rn))) - h_e
        dt = -h / (np.dot(rk, vk) / rn)
        rk, vk = rk + vk * dt, vk - GM_MARS * rk / rn**3 * dt  # the angle turns as it falls
        lat, lon = _lat_lon(fl.t + dt, rk)
        fpa = math.asin(np.dot(rk, vk) / np.linalg.norm(rk) / np.linalg.norm(vk))
        out.append(
            [
                fpa - math.radians(params.entry_fpa_deg),
                lat - lat_t,
                _wrap(lon - lon_t) * math.cos(lat_t),
            ]
        )
    return np.array(out)


def horizontal_burn(r, v, fpa_deg: float, radius: float) -> np.ndarray:
    """The burn (3,), m/s, against the horizontal velocity that gives the inertial flight-path
    angle ``fpa_deg`` at ``radius`` (two-body about Mars): for a given angle the cheapest,
    since only the horizontal velocity carries the angular momentum the angle is made of."""
    rn = float(np.linalg.norm(r))
    u = v - np.dot(v, r) / rn**2 * r
    u /= np.linalg.norm(u)
    goal = math.cos(math.radians(fpa_deg))

    def cos_fpa(dv):  # conserved angular momentum and energy of the conic after the burn
        w = v - dv * u
        h = float(np.linalg.norm(np.cross(r, w)))
        return h / (radius * math.sqrt(np.dot(w, w) + 2 * GM_MARS * (1 / radius - 1 / rn)))

    lo, hi = 0.0, float(np.dot(v, u))
    for _ in range(60):  # cos(fpa) falls as the burn grows: bisect on it
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if cos_fpa(mid) > goal else (lo, mid)
    return -0.5 * (lo + hi) * u


def conic_entry(t: float, r, v, radius: float) -> tuple[float, np.ndarray]:
    """Epoch and position where the two-body conic through ``r``, ``v`` (Mars-centred) at
    ``t`` first falls through ``radius``."""
    from marsprobe.orbits.elements import elements_from_state, state_from_elements
    from marsprobe.orbits.kepler import time_of_flight

    el = elements_from_state(r, v, GM_MARS)
    nu_e = -math.acos(min(1.0, max(-1.0, (el.p / radius - 1.0) / el.e)))
    a = el.p / (1 - el.e**2)
    dt = float(time_of_flight(a, el.e, float(el.nu), nu_e, GM_MARS))
    r_e, _ = state_from_elements(a, el.e, el.i, el.raan, el.argp, nu_e, GM_MARS)
    return t + dt, np.asarray(r_e).ravel()


def deorbit_dv(eph, params, t, r, v) -> np.ndarray:
    """The de-orbit burn (3,), m/s, at ``t`` from the Mars-centred ``r``, ``v``: the design
    flight-path angle over the design entry point (see the module docstring)."""
    radius = R_MARS + params.entry_interface_km * 1e3
    dv = horizontal_burn(r, v, params.entry_fpa_deg, radius)
    t_max = t + 2 * DAY_S
    probes = np.vstack([np.zeros(3), DEORBIT_FD_M_S * np.eye(3)])
    for _ in range(40):
        miss = _interface_miss(eph, t, np.tile(r, (4, 1)), v + dv + probes, params, t_max)
        if miss is None:
            break
        if float(np.max(np.abs(miss[0]))) < DEORBIT_TOLERANCE_RAD:
            return dv
        jac = (miss[1:] - miss[0]).T / DEORBIT_FD_M_S
        step = -np.linalg.solve(jac, miss[0])
        # far from the aim the entry point moves non-linearly: steps of at most 20 m/s
        dv = dv + step * min(1.0, DEORBIT_MAX_STEP_M_S / float(np.linalg.norm(step)))
    raise ConvergenceError(
        f"the de-orbit burn of {utc_from_tdb(t, 0)} found no path to the entry point "
        f"({params.entry_lat_deg:.2f}, {params.entry_lon_deg:.2f} deg)"
    )


def _deorbit_guidance(eph, params, t, r, v) -> tuple[np.ndarray, str | None]:
    """The de-orbit burn and, when the design entry point is out of reach, why the burn
    aims the design angle alone.

    From some separation points no burn gives both the design angle and the design point
    (a steep angle from a far-off separation shortens the arc to the interface: the point
    drifts out of reach, and the point-targeting Newton iteration stalls at a miss of
    degrees). The capsule's guidance then flies the cheapest burn for the design angle
    (:func:`horizontal_burn`) and the event says so. A burn that does not reach the
    interface even then is a numerical failure: ``ConvergenceError`` propagates and the
    replay reports the mission as one it could not fly.
    """
    try:
        return deorbit_dv(eph, params, t, r, v), None
    except ConvergenceError as exc:
        radius = R_MARS + params.entry_interface_km * 1e3
        dv = horizontal_burn(r, v, params.entry_fpa_deg, radius)
        probe = mars_leg(
            t,
            r,
            v + dv,
            t + 2 * DAY_S,
            eph,
            entry_radius_stop(params.entry_interface_km * 1e3, mars_pole(t)),
        )
        if probe.stop != "entry":
            raise ConvergenceError(
                f"{exc}; the burn for the angle alone does not reach the interface either"
            ) from exc
        return dv, f"angle only: {exc}"


def fly_lander_from_orbit(
    cruise, params, cmd: ArrivalOrders, t_sep, r, v
) -> tuple[LanderRelease, EntryInterface | None, list[FlightEvent]]:
    """The capsule released from orbit at ``t_sep`` (Mars-centred state): separation,
    de-orbit burn as ``cmd`` orders, coast to the entry interface."""
    eph = cruise.eph
    events: list[FlightEvent] = []
    t_def = t_sep + cmd.deflection_delay_s
    release = (t_sep, r, v)
    fl = mars_leg(t_sep, r, v, t_def, eph)
    r, v = fl.r[0], fl.v[0]
    if cmd.deflection_fires and cruise.commanded(t_def):
        dv, detail = _deorbit_guidance(eph, params, t_def, r, v)
        v = v + _burn_event("deorbit_burn", cruise.spacecraft, t_def, dv, events)
        if detail:
            events[-1].data["guidance"] = detail
    else:
        detail = "lander capsule: the de-orbit burn did not fire"
        events.append(FlightEvent("ignition_failure", t_def, {"detail": detail}))
    return _to_interface(eph, params, t_def, r, v, events, t_def + 2 * DAY_S, release)


# ---- the site trim --------------------------------------------------------------------------


def release_epoch(eph, cmd: ArrivalOrders, t, r, v) -> tuple[float, np.ndarray, np.ndarray, float]:
    """Epoch and Mars-centred state of the capsule's separation from the orbit ``r``, ``v``
    at ``t``, and the epoch of the periapsis of its pass. Without
    ``separation_before_periapsis_s`` the separation is at ``lander_from_orbit_utc``; with
    it, that long before the periapsis nearest to ``lander_from_orbit_utc`` plus that time
    (the pass the release was planned on)."""
    from marsprobe.orbits.kepler import period

    t_rel = float(tdb_from_utc(cmd.lander_from_orbit_utc))
    before = cmd.separation_before_periapsis_s
    if before is None:
        fl = mars_leg(t, r, v, t_rel, eph)
        peri = nbody.periapsis_stop("periapsis", "mars")
        fp = mars_leg(fl.t, fl.r[0], fl.v[0], t_rel + 3 * DAY_S, eph, peri)
        return fl.t, fl.r[0], fl.v[0], fp.t
    a = 1 / (2 / np.linalg.norm(r) - np.dot(v, v) / GM_MARS)
    half = 0.5 * float(period(a, GM_MARS))
    fl = mars_leg(t, r, v, max(t, t_rel + before - half), eph)
    peri = nbody.periapsis_stop("periapsis", "mars")
    fp = mars_leg(fl.t, fl.r[0], fl.v[0], fl.t + 3 * DAY_S, eph, peri)
    back = mars_leg(fp.t, fp.r[0], fp.v[0], fp.t - before, eph)
    return back.t, back.r[0], back.v[0], fp.t


def _predicted_entry(eph, params, cmd: ArrivalOrders, t, r, v) -> tuple[float, float, float]:
    """Where the capsule released from this orbit would reach the interface after the
    cheapest burn for the design angle (two-body from the burn): epoch, latitude, east
    longitude (rad). The site trim aims this point."""
    from marsprobe.orbits.kepler import propagate

    t_sep, r_s, v_s, _ = release_epoch(eph, cmd, t, r, v)
    t_b = t_sep + cmd.deflection_delay_s
    r_b, v_b = propagate(r_s, v_s, cmd.deflection_delay_s, GM_MARS)
    r_b, v_b = np.asarray(r_b).ravel(), np.asarray(v_b).ravel()
    radius = R_MARS + params.entry_interface_km * 1e3
    dv = horizontal_burn(r_b, v_b, params.entry_fpa_deg, radius)
    t_e, r_e = conic_entry(t_b, r_b, v_b + dv, radius)
    return (t_e, *_lat_lon(t_e, r_e))


def site_trim(eph, params, cmd: ArrivalOrders, t, r, v):
    """Plan the site trim from the Mars-centred orbit ``r``, ``v`` at ``t``: the epoch of
    the burn (the first periapsis after the commanded ``trim_utc``), the state there (before
    the burn), the burn (3,), m/s, and the :class:`TrimPlan` (see the module docstring)."""
    fl = mars_leg(t, r, v, max(t, float(tdb_from_utc(cmd.trim_utc))), eph)
    peri = nbody.periapsis_stop("periapsis", "mars")
    fl = mars_leg(fl.t, fl.r[0], fl.v[0], fl.t + 5 * DAY_S, eph, peri)
    t_b, r_b, v_b = fl.t, fl.r[0], fl.v[0]
    rn, vn = float(np.linalg.norm(r_b)), float(np.linalg.norm(v_b))
    u = v_b / vn
    # start from the orbit that turns with Mars (period 2 pi / omega)
    a_sync = (GM_MARS / OMEGA_MARS**2) ** (1 / 3)
    dv = math.sqrt(GM_MARS * (2 / rn - 1 / a_sync)) - vn
    target = math.radians(params.entry_lon_deg)
    for _ in range(10):
        speed = vn + dv
        a = 1 / (2 / rn - speed**2 / GM_MARS)
        period = 2 * math.pi * math.sqrt(a**3 / GM_MARS)
        t_e, lat, lon = _predicted_entry(eph, params, cmd, t_b, r_b, u * speed)
        miss = _wrap(lon - target)
        if abs(math.degrees(miss)) < TRIM_TOLERANCE_DEG:
            break
        k = (t_e - t_b) / period
        slope = -OMEGA_MARS * k * 3 * period * a * speed / GM_MARS  # rad per m/s
        dv -= miss / slope
    else:
        raise ConvergenceError("the site trim did not bring the entry point to its longitude")
    plan = TrimPlan(
        period_min=round(period / 60, 3),
        predicted_entry_utc=utc_from_tdb(t_e, 0),
        predicted_entry_lat_deg=round(math.degrees(lat), 3),
        predicted_entry_lon_deg=round(math.degrees(lon), 3),
    )
    return t_b, r_b, v_b, dv * u, plan
