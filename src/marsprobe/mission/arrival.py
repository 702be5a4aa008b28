"""Arrival at Mars: lander separation and deflection, orbit insertion as a finite burn, the
flyby, the entry state handed to EDL, and the heliocentric orbit of what flies on.

The arrival phase takes the cruise's hand-over (normally the state on entering Mars' sphere
of influence) and keeps flying the n-body model of :mod:`marsprobe.orbits.nbody` about Mars.

* Lander. At ``separation_before_periapsis_s`` before the carrier's predicted closest
  approach the descent module is pushed off at ``separation_dv_m_s`` along the velocity (the
  carrier recoils by momentum). ``deflection_delay_s`` later its engine puts it on the entry
  path: the smallest impulsive velocity change that moves its B-plane point (osculating
  Mars-centred hyperbola, see :mod:`marsprobe.mission.cruise`) to the impact parameter that
  gives the design inertial flight-path angle ``entry_fpa_deg`` at the entry interface
  (b = r_e v_e cos(gamma) / v_inf), in the carrier's plane. The n-body flight then decides
  whether and how it enters. A module whose engine does not fire (``deflection_fires``) flies
  past with the carrier's miss distance.
* Orbit insertion. The burn is sized on board for the design capture orbit (the predicted
  periapsis radius and ``moi_apoapsis_km``), centred on the predicted periapsis, the thrust
  held fixed in inertial space against the predicted periapsis velocity (or along the
  current velocity, ``moi_attitude = "velocity"``). It ends at the first of: the osculating
  energy of the design orbit reached (the guidance cut-off), the propellant on board spent,
  or ``moi_cutoff_s`` (a fault). ``moi_engine_fires = false`` is an engine that never fires;
  ``propellant_lost_kg`` propellant lost before the burn.
* Entry state. At the interface altitude the lander's state is turned into the Mars
  body-fixed frame of the IAU WGCCRE 2009 rotation model (Archinal et al. 2011, Celest. Mech.
  Dyn. Astr. 109:101; :func:`marsprobe.frames.to_body_fixed`) and written with the
  conventions of :mod:`marsprobe.edl.geometry`: altitude above the WGCCRE 2009 ellipsoid along
  the radius, planet-relative speed, flight-path angle from the local horizontal (negative
  down), heading clockwise from north, planetocentric latitude, east longitude.

Orbits about Mars give apsides as altitudes above the equatorial radius (the catalog's
convention) and the inclination to Mars' equator; heliocentric orbits give perihelion and
aphelion in au and the inclination to the J2000 ecliptic.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from pydantic import Field

from marsprobe.constants import AU_M, DAY_S, G0_M_S2, GM_MARS, GM_SUN, R_MARS
from marsprobe.errors import ConvergenceError
from marsprobe.frames import ecliptic_from_icrf, mars_fixed_matrix, to_body_fixed
from marsprobe.mission.cruise import CruiseResult, FlightEvent, fly_cruise, mars_pole
from marsprobe.facts import SourceRef, Strict
from marsprobe.orbits import nbody
from marsprobe.orbits.conics import b_plane
from marsprobe.orbits.elements import elements_from_state
from marsprobe.time import utc_from_tdb

INF = math.inf
ENTRY_FRAME = (
    "Mars body-fixed, IAU WGCCRE 2009 rotation (Archinal et al. 2011); planetocentric "
    "latitude, east longitude, altitude above the WGCCRE 2009 ellipsoid"
)
EXIT_DAYS = 12.0
"""How long after closest approach a flyby is followed, days (it leaves the sphere of
influence in about 2.5 days)."""


class ArrivalParams(Strict):
    """Design and fault hooks of the arrival (see the module docstring). SI at the edges'
    units: km, m/s, s, degrees. Fault inputs default to nominal."""

    moi_apoapsis_km: float | None = Field(default=None, gt=0)
    moi_attitude: Literal["inertial", "velocity"] = "inertial"
    moi_engine_fires: bool = True
    moi_cutoff_s: float = Field(default=INF, ge=0)
    propellant_lost_kg: float = Field(default=0.0, ge=0)
    separation_before_periapsis_s: float | None = Field(default=None, gt=0)
    separation_dv_m_s: float = Field(default=0.5, ge=0)
    deflection_delay_s: float = Field(default=900.0, ge=0)
    deflection_fires: bool = True
    entry_fpa_deg: float = Field(default=-10.0, lt=0, gt=-90)
    entry_interface_km: float = Field(default=100.0, gt=0)
    src: list[SourceRef] = Field(default_factory=list)
    note: str | None = None


def _mars(t0, r, v, t1, eph, *stops, accel=None) -> nbody.Flight:
    """A Mars-centred leg (no change of centre) from ``t0`` to ``t1`` or the first stop."""
    return nbody.fly(t0, r, v, t1, "mars", eph, stops=stops, accel=accel, switch=False)


def _periapsis(t, r, v, eph, t1):
    """Fly (no burn) to the closest approach to Mars or to the surface, whichever first."""
    surface = nbody.Stop("surface", lambda tt, rr, vv, c, e: float(np.linalg.norm(rr)) - R_MARS, -1)
    return _mars(t, r, v, t1, eph, nbody.periapsis_stop("periapsis", "mars"), surface)


def mars_orbit(t, r, v) -> dict:
    """Osculating orbit about Mars of the state ``r``, ``v`` (Mars-centred ICRF) at ``t``."""
    m = np.asarray(mars_fixed_matrix(t))
    el = elements_from_state(m @ r, m @ v, GM_MARS)
    out = {
        "periapsis_km": round(float(el.p / (1 + el.e) - R_MARS) / 1e3, 3),
        "eccentricity": round(float(el.e), 6),
        "inclination_deg": round(math.degrees(el.i), 3),
        "epoch_utc": utc_from_tdb(t, 0),
    }
    if el.e < 1.0:
        a = el.p / (1 - el.e**2)
        out["apoapsis_km"] = round(float(a * (1 + el.e) - R_MARS) / 1e3, 3)
        out["period_min"] = round(2 * math.pi * math.sqrt(a**3 / GM_MARS) / 60.0, 3)
    return out


def heliocentric_orbit(t, r, v, center, eph) -> dict:
    """Osculating heliocentric orbit (J2000 ecliptic) of a state relative to ``center``."""
    rs, vs = nbody.change_center(eph, t, r, v, center, "sun")
    el = elements_from_state(ecliptic_from_icrf(rs), ecliptic_from_icrf(vs), GM_SUN)
    out = {"inclination_deg": round(math.degrees(el.i), 3), "epoch_utc": utc_from_tdb(t, 0)}
    a = el.p / (1 - el.e**2) if el.e < 1 else None
    out["perihelion_au"] = round(float(el.p / (1 + el.e)) / AU_M, 4)
    if a is not None:
        out["aphelion_au"] = round(float(a * (1 + el.e)) / AU_M, 4)
        out["period_days"] = round(2 * math.pi * math.sqrt(a**3 / GM_SUN) / DAY_S, 2)
    return out


def _entry_radius_stop(h_m: float, pole: np.ndarray) -> nbody.Stop:
    # edl.geometry is imported here: importing marsprobe.edl loads numba, which the cruise
    # does not otherwise need.
    from marsprobe.edl.geometry import ellipsoid_radius

    def fn(t, r, v, center, eph):
        rn = float(np.linalg.norm(r))
        return rn - float(ellipsoid_radius(math.asin(np.dot(r, pole) / rn))) - h_m

    return nbody.Stop("entry", fn, -1.0)


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


@dataclass
class ArrivalResult:
    """What the arrival phase returns; see :meth:`to_dict` for the printed fields."""

    end: str
    events: list[FlightEvent] = field(default_factory=list)
    capture_orbit: dict | None = None
    moi: dict | None = None
    flyby: dict | None = None
    lander: dict | None = None
    entry_state: dict | None = None
    heliocentric_orbit: dict | None = None
    approach: dict | None = None

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"end": self.end, "events": [e.to_dict() for e in self.events]}
        for key in (
            "approach",
            "capture_orbit",
            "moi",
            "flyby",
            "lander",
            "entry_state",
            "heliocentric_orbit",
        ):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


def _deflect(cruise, params, t, r, v, theta, pole) -> np.ndarray:
    """The descent module's deflection burn (3,), m/s: the design entry angle at the
    interface, in the carrier's B-plane angle ``theta``, re-aimed on the n-body flight."""
    h_e = params.entry_interface_km * 1e3
    radius = R_MARS + h_e
    goal = aim = math.radians(params.entry_fpa_deg)
    dv = np.zeros(3)
    for _ in range(6):  # re-aim with what the n-body flight actually meets at the interface
        v_inf = float(b_plane(r, v + dv, GM_MARS, pole=pole).v_inf)
        b = _impact_parameter(v_inf, aim, radius)
        dv = deflection_dv(t, r, v, (b * math.cos(theta), b * math.sin(theta)))
        probe = _mars(t, r, v + dv, t + 2 * DAY_S, cruise.eph, _entry_radius_stop(h_e, pole))
        if probe.stop != "entry":
            break
        rr, vv = probe.r[0], probe.v[0]
        radius = float(np.linalg.norm(rr))
        got = math.asin(np.dot(rr, vv) / radius / np.linalg.norm(vv))
        if abs(got - goal) < 1e-4:
            break
        aim += goal - got
    return dv


def _fly_lander(cruise, params, t_sep, r, v, carrier_theta, events) -> tuple[dict, dict | None]:
    """The descent module from separation to the entry interface or past Mars."""
    eph, sc = cruise.eph, cruise.spacecraft
    t_def = t_sep + params.deflection_delay_s
    fl = _mars(t_sep, r, v, t_def, eph)
    r, v = fl.r[0], fl.v[0]
    pole = mars_pole(t_def)
    if params.deflection_fires and cruise.commanded(t_def):
        dv = _deflect(cruise, params, t_def, r, v, carrier_theta, pole)
        v = v + dv
        data = {"delta_v_m_s": float(np.linalg.norm(dv))}
        if sc.lander_isp_s:
            c = sc.lander_isp_s * G0_M_S2
            data["propellant_kg"] = sc.lander_mass_kg * (1 - math.exp(-data["delta_v_m_s"] / c))
        events.append(FlightEvent("lander_deflection", t_def, data))
    else:
        detail = "descent module: the deflection burn did not fire"
        events.append(FlightEvent("ignition_failure", t_def, {"detail": detail}))
    h_e = params.entry_interface_km * 1e3
    stops = (_entry_radius_stop(h_e, pole), nbody.periapsis_stop("pass", "mars"))
    fl = _mars(t_def, r, v, t_def + 3 * DAY_S, eph, *stops)
    r, v = fl.r[0], fl.v[0]
    if fl.stop == "entry":
        from marsprobe.edl.geometry import entry_from_state

        rf, vf = to_body_fixed(r, v, "mars", fl.t)
        e = {k: round(float(np.asarray(x)[0]), 6) for k, x in entry_from_state(rf, vf).items()}
        gamma = math.asin(np.dot(r, v) / np.linalg.norm(r) / np.linalg.norm(v))
        entry = {"time_utc": utc_from_tdb(fl.t, 3), "epoch_tdb_s": round(fl.t, 3), **e}
        entry["inertial_speed_m_s"] = round(float(np.linalg.norm(v)), 3)
        entry["inertial_fpa_deg"] = round(math.degrees(gamma), 4)
        entry["frame"] = ENTRY_FRAME
        events.append(FlightEvent("entry", fl.t, {"body": "mars"}))
        return {"entered": True, "time_utc": entry["time_utc"]}, entry
    miss = (float(np.linalg.norm(r)) - R_MARS) / 1e3
    data = {"body": "mars", "object": "lander", "altitude_km": miss}
    events.append(FlightEvent("closest_approach", fl.t, data))
    lander = {"entered": False, "miss_distance_km": round(miss, 3)}
    return {**lander, "time_utc": utc_from_tdb(fl.t, 0)}, None


def _burn(cruise, params, t, r, v, mass, prop, t1, out):
    """Orbit insertion: returns the state after the burn and the mass; fills ``out``."""
    sc, eph = cruise.spacecraft, cruise.eph
    peri = _periapsis(t, r, v, eph, t1)
    tp, rp_vec, vp_vec = peri.t, peri.r[0], peri.v[0]
    rp = float(np.linalg.norm(rp_vec))
    a_t = 0.5 * (rp + R_MARS + params.moi_apoapsis_km * 1e3)
    eps_t = -GM_MARS / (2 * a_t)
    vp = float(np.linalg.norm(vp_vec))
    planned = vp - math.sqrt(GM_MARS * (2 / rp - 1 / a_t))
    c = sc.exhaust_m_s
    mdot = sc.mass_flow_kg_s
    need = mass * (1 - math.exp(-planned / c))
    t_ign = tp - 0.5 * need / mdot
    # An unknown load does not limit the burn short of the craft's own mass.
    avail = 0.9 * mass if prop is None else max(prop - params.propellant_lost_kg, 0.0)
    out.update(
        planned_delta_v_m_s=round(planned, 3),
        propellant_needed_kg=round(need, 2),
        propellant_available_kg=None if prop is None else round(avail, 2),
        ignition_utc=utc_from_tdb(t_ign, 0),
    )
    fl = _mars(t, r, v, t_ign, eph)
    r, v = fl.r[0], fl.v[0]
    if not params.moi_engine_fires:
        out.update(fired=False, delta_v_m_s=0.0, burn_s=0.0, propellant_used_kg=0.0)
        return t_ign, r, v, mass, prop, "engine did not fire"
    t_max = min(avail / mdot, params.moi_cutoff_s)
    u0 = -vp_vec / vp
    thrust = sc.thrust_n

    def accel(tt, rr, vv):
        m = mass - mdot * (tt - t_ign)
        if params.moi_attitude == "velocity":
            return -thrust / m * vv / np.linalg.norm(vv, axis=1, keepdims=True)
        return np.broadcast_to(thrust / m * u0, rr.shape)

    def energy(tt, rr, vv, ctr, e):
        return 0.5 * float(np.dot(vv, vv)) - GM_MARS / float(np.linalg.norm(rr)) - eps_t

    fl = _mars(t_ign, r, v, t_ign + t_max, eph, nbody.Stop("cutoff", energy, -1.0), accel=accel)
    burn = fl.t - t_ign
    used = mdot * burn
    if fl.stop == "cutoff":
        why = "guidance cut-off"
    else:
        why = "propellant exhausted" if avail / mdot <= params.moi_cutoff_s else "cut short"
    out.update(
        fired=True,
        burn_s=round(burn, 2),
        propellant_used_kg=round(used, 2),
        delta_v_m_s=round(c * math.log(mass / (mass - used)), 3),
        end=why,
        propellant_left_kg=None if prop is None else round(avail - used, 2),
    )
    return fl.t, fl.r[0], fl.v[0], mass - used, (None if prop is None else avail - used), why


def fly_arrival(cruise: CruiseResult, params: ArrivalParams) -> ArrivalResult:
    """Fly the arrival from the cruise's hand-over; returns the :class:`ArrivalResult`."""
    eph = cruise.eph
    res = ArrivalResult(end="no_encounter")
    t, r, v, center = cruise.t, cruise.r, cruise.v, cruise.center
    if cruise.end != "mars_soi":
        if cruise.end == "closest_approach":
            rr, _ = nbody.change_center(eph, t, r, v, center, "mars")
            res.end = "flyby"
            res.flyby = {
                "closest_approach_km": round(float(np.linalg.norm(rr) - R_MARS) / 1e3, 1),
                "time_utc": utc_from_tdb(t, 0),
            }
            res.events.append(FlightEvent("closest_approach", t, {"body": "mars"}))
            fl = nbody.fly(t, r, v, t + 2 * DAY_S, center, eph)
            t, r, v, center = fl.t, fl.r[0], fl.v[0], fl.center
        res.heliocentric_orbit = heliocentric_orbit(t, r, v, center, eph)
        return res
    t1 = min(t + 2 * EXIT_DAYS * DAY_S, eph.t1 - DAY_S)
    mass, prop = cruise.mass_kg, cruise.propellant_kg
    bp = b_plane(r, v, GM_MARS, pole=mars_pole(t))
    res.approach = {
        "v_inf_km_s": round(float(bp.v_inf) / 1e3, 4),
        "b_t_km": round(float(bp.b_t) / 1e3, 3),
        "b_r_km": round(float(bp.b_r) / 1e3, 3),
        "mass_kg": round(mass, 2),
    }
    sc = cruise.spacecraft
    if params.separation_before_periapsis_s is not None and sc.lander_mass_kg > 0:
        tp = _periapsis(t, r, v, eph, t1).t
        t_sep = max(t, tp - params.separation_before_periapsis_s)
        if cruise.commanded(t_sep):
            fl = _mars(t, r, v, t_sep, eph)
            t, r, v = fl.t, fl.r[0], fl.v[0]
            u = v / np.linalg.norm(v)
            m_l = sc.lander_mass_kg
            v_l = v + u * params.separation_dv_m_s * (mass - m_l) / mass
            v = v - u * params.separation_dv_m_s * m_l / mass
            mass -= m_l
            data = {"body": "mars", "mars_distance_km": float(np.linalg.norm(r)) / 1e3}
            res.events.append(FlightEvent("lander_separation", t, data))
            theta = float(b_plane(r, v, GM_MARS, pole=mars_pole(t)).theta)
            res.lander, res.entry_state = _fly_lander(cruise, params, t, r, v_l, theta, res.events)
    if params.moi_apoapsis_km is not None:
        moi: dict[str, Any] = {}
        t_ign_pred = _periapsis(t, r, v, eph, t1).t
        if cruise.commanded(t_ign_pred):
            t, r, v, mass, prop, why = _burn(cruise, params, t, r, v, mass, prop, t1, moi)
            name = "orbit_insertion" if moi.get("fired") else "orbit_insertion_failure"
            data = {"body": "mars", "detail": why, "delta_v_m_s": moi["delta_v_m_s"]}
            res.events.append(FlightEvent(name, t, data))
            res.moi = moi
    orbit = mars_orbit(t, r, v)
    if orbit["eccentricity"] < 1.0 and orbit["apoapsis_km"] * 1e3 < nbody.SOI["mars"]:
        res.end = "captured"
        res.capture_orbit = orbit
        return res
    peri = _periapsis(t, r, v, eph, t1)
    t, r, v = peri.t, peri.r[0], peri.v[0]
    alt = (float(np.linalg.norm(r)) - R_MARS) / 1e3
    if peri.stop == "surface":
        res.end = "impact"
        res.events.append(FlightEvent("landing", t, {"body": "mars", "detail": "impact"}))
        return res
    res.end = "flyby"
    res.flyby = {
        "closest_approach_km": round(alt, 3),
        "time_utc": utc_from_tdb(t, 0),
        "speed_km_s": round(float(np.linalg.norm(v)) / 1e3, 4),
    }
    res.events.append(FlightEvent("closest_approach", t, {"body": "mars", "altitude_km": alt}))
    fl = nbody.fly(t, r, v, min(t + EXIT_DAYS * DAY_S, eph.t1 - DAY_S), "mars", eph)
    res.heliocentric_orbit = heliocentric_orbit(fl.t, fl.r[0], fl.v[0], fl.center, eph)
    return res


@dataclass
class MarsFlight:
    """A cruise and its arrival together; ``to_json`` is what ``marsprobe cruise`` prints."""

    cruise: CruiseResult
    arrival: ArrivalResult

    def to_dict(self) -> dict:
        out = self.cruise.to_dict()
        arr = self.arrival.to_dict()
        out["events"] = out["events"] + arr.pop("events")
        out["cruise_end"] = out.pop("end")
        out.update(arr)
        return out

    def to_json(self, **kw) -> str:
        return json.dumps(self.to_dict(), **kw)


def fly_to_mars(
    departure, cruise_params, arrival_params: ArrivalParams | None = None, *, eph=None
) -> MarsFlight:
    """Cruise and arrival in one call (see :func:`fly_cruise` and :func:`fly_arrival`)."""
    cruise = fly_cruise(departure, cruise_params, eph=eph)
    return MarsFlight(cruise, fly_arrival(cruise, arrival_params or ArrivalParams()))


def propellant_for_orbit(flight: MarsFlight, periapsis_km: float, apoapsis_km: float) -> float:
    """Propellant (kg) an impulsive burn at periapsis would need to turn this flight's
    approach (its v_inf and the orbiter's mass at arrival, lander gone) into the orbit
    ``periapsis_km`` x ``apoapsis_km`` (altitudes). For comparing with the record."""
    sc = flight.cruise.spacecraft
    v_inf = flight.arrival.approach["v_inf_km_s"] * 1e3
    rp = R_MARS + periapsis_km * 1e3
    ra = R_MARS + apoapsis_km * 1e3
    dv = math.sqrt(v_inf**2 + 2 * GM_MARS / rp) - math.sqrt(2 * GM_MARS * ra / (rp * (rp + ra)))
    mass = flight.cruise.mass_kg - sc.lander_mass_kg
    return mass * (1 - math.exp(-dv / sc.exhaust_m_s))
