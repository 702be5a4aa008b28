"""Arrival at Mars: the lander released from the approach, orbit insertion as a finite burn,
the flyby, the orbit trim and the lander released from orbit, and the heliocentric orbit of
what flies on.

The arrival phase takes the cruise's hand-over (normally the state on entering Mars' sphere
of influence), its parameters (:class:`ArrivalParams`: the aims) and its commands from the
mission's sequence (:func:`marsprobe.mission.orders.arrival_orders`: when each thing happens
and whether the hardware acts), and keeps flying the n-body model of
:mod:`marsprobe.orbits.nbody` about Mars (its J2 included). It returns an
:class:`ArrivalResult` holding the typed states of :mod:`marsprobe.mission.handover`.

* Lander from the approach (a ``lander separation`` command, ``separation_before_periapsis_s``
  before the carrier's predicted closest approach, and no release from orbit). The descent
  module is pushed off at ``separation_dv_m_s`` along the velocity (the carrier recoils by
  momentum) and, at the ``lander deflection burn`` command's delay, its engine puts it on the
  entry path at ``entry_fpa_deg`` (:mod:`marsprobe.mission.lander`), unless the command leaves
  the engine idle; it then flies past with the carrier's miss distance.
* Orbit insertion (the ``Mars orbit insertion burn`` command; the design orbit
  ``moi_apoapsis_km``): the finite burn of :func:`marsprobe.mission.mars_orbits.insertion_burn`.
* A burn that fires but leaves the craft unbound (or its apoapsis beyond the sphere of
  influence) is followed by an ``orbit_insertion_failure`` event, and the craft flies past;
  a burn whose arc meets the surface is an impact of the carrier itself (:func:`_impact`).
* Closest approach of a craft not captured: the least distance over the whole pass, the
  insertion burn's arc included (the burn is centred on periapsis, so one cut short leaves
  the craft already climbing), and the coast after it only while inside the sphere of
  influence (:func:`_closest_approach`).
* In orbit (an orbiter that keeps its lander, Viking). The ``orbit trim`` command
  (``trim_utc``): the site trim that synchronises the orbit with Mars' rotation so that on the
  release pass the capsule reaches the interface at the design entry longitude
  ``entry_lon_deg``. The ``lander separation from orbit`` command (``lander_from_orbit_utc``,
  with the separation timer: that long before the periapsis of that pass): the capsule is
  pushed off the orbiter and, at the deflection command's delay, its de-orbit burn aims it at
  the design entry point ``entry_lat_deg``, ``entry_lon_deg`` at ``entry_fpa_deg``
  (:mod:`marsprobe.mission.lander`). The trim and the separation happen only while the
  orbiter is commanded.
* Entry state. At ``entry_interface_km`` the lander's state is handed to the descent phase as
  an :class:`marsprobe.mission.handover.EntryInterface` in the Mars body-fixed frame
  (:func:`marsprobe.mission.lander.entry_state`).

Orbits are described in :mod:`marsprobe.mission.mars_orbits`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from marsprobe.constants import DAY_S, GM_MARS, R_MARS
from marsprobe.errors import ConvergenceError
from marsprobe.facts import SourceRef, Strict
from marsprobe.mission.cruise import CruiseResult, FlightEvent, _epoch_text, fly_cruise, mars_pole
from marsprobe.mission.handover import (
    Approach,
    EntryInterface,
    Flyby,
    HeliocentricOrbit,
    LanderRelease,
    MarsOrbit,
    OrbitInsertion,
    Trim,
)
from marsprobe.mission.lander import (
    closest_on_arc,
    fly_lander,
    fly_lander_from_orbit,
    leave_soi_stop,
    mars_leg,
    release_epoch,
    site_trim,
)
from marsprobe.mission.mars_orbits import (
    heliocentric_orbit,
    insertion_burn,
    mars_orbit,
    periapsis_pass,
)
from marsprobe.mission.orders import ArrivalOrders, arrival_orders
from marsprobe.orbits import nbody
from marsprobe.orbits.conics import b_plane
from marsprobe.sequence.commands import Orders
from marsprobe.sequence.flight_computer import phase_commands
from marsprobe.time import tdb_from_utc, utc_from_tdb

INF = math.inf
EXIT_DAYS = 12.0
"""How long after closest approach a flyby is followed, days (it leaves the sphere of
influence in about 2.5 days)."""


class ArrivalParams(Strict):
    """Design and fault hooks of the arrival (see the module docstring). SI at the edges'
    units: km, m/s, s, degrees. Fault inputs default to nominal."""

    moi_apoapsis_km: float | None = Field(
        default=None,
        gt=0,
        description="Design capture orbit's apoapsis, above the equatorial radius (absent: "
        "no orbit insertion, a flyby), km.",
    )
    moi_attitude: Literal["inertial", "velocity"] = Field(
        "inertial", description="How the insertion burn is pointed: held fixed, or prograde."
    )
    moi_engine_fires: bool = Field(
        True, description="Fault input: false, the insertion engine never fires."
    )
    moi_cutoff_s: float = Field(
        default=INF, ge=0, description="Fault input: the insertion burn stops after this, s."
    )
    propellant_lost_kg: float = Field(
        default=0.0, ge=0, description="Fault input: propellant lost before insertion, kg."
    )
    separation_before_periapsis_s: float | None = Field(
        default=None,
        gt=0,
        description="Lander separation, that long before the predicted closest approach "
        "(or the release pass's periapsis), s.",
    )
    separation_dv_m_s: float = Field(
        default=0.5, ge=0, description="Push-off speed of the separation, along the velocity, m/s."
    )
    deflection_delay_s: float = Field(
        default=900.0, ge=0, description="From separation to the lander's aiming burn, s."
    )
    deflection_fires: bool = Field(
        True, description="Fault input: false, the lander's aiming burn does not happen."
    )
    entry_fpa_deg: float = Field(
        default=-10.0,
        lt=0,
        gt=-90,
        description="Design inertial flight-path angle at the interface (negative: down), deg.",
    )
    entry_interface_km: float = Field(
        default=100.0, gt=0, description="Altitude where the descent phase takes over, km."
    )
    trim_utc: str | None = Field(
        None, description="The orbit trim that brings the release pass over the site, UTC."
    )
    lander_from_orbit_utc: str | None = Field(
        None, description="Release of a lander from orbit (the day of the pass), UTC."
    )
    entry_lat_deg: float | None = Field(
        default=None,
        ge=-90,
        le=90,
        description="Design entry point from orbit: planetocentric latitude, deg.",
    )
    entry_lon_deg: float | None = Field(
        None, description="Design entry point from orbit: longitude, east positive, deg."
    )
    src: list[SourceRef] = Field(
        default_factory=list, description="Sources (``id@locator``) of the design values."
    )
    note: str | None = Field(None, description="Free text: why the values are what they are.")

    @field_validator("trim_utc", "lander_from_orbit_utc")
    @classmethod
    def _utc(cls, value: str | None) -> str | None:
        return None if value is None else _epoch_text(value)

    @model_validator(mode="after")
    def _release(self) -> ArrivalParams:
        if self.lander_from_orbit_utc is not None:
            if self.entry_lat_deg is None or self.entry_lon_deg is None:
                raise ValueError("a lander released from orbit needs entry_lat_deg, entry_lon_deg")
        if self.trim_utc is not None and self.lander_from_orbit_utc is None:
            raise ValueError(
                "the site trim aims a lander released from orbit: give lander_from_orbit_utc"
            )
        return self


@dataclass
class ArrivalResult:
    """What the arrival phase returns: how it ended, its events and the states it hands on.

    ``end``: ``captured``, ``flyby``, ``impact`` (an impact craft, as aimed), ``carrier_impact``
    (any other craft that struck Mars) or ``no_encounter``. Each state is None
    where the flight did not produce it: ``approach`` (on entering Mars' sphere of
    influence), ``moi`` (the insertion burn), ``capture_orbit``, ``trim`` (the site trim),
    ``orbit_at_release`` (the orbit when the lander left it), ``flyby``, ``lander`` (where
    the released lander went), ``entry_state`` (its hand-over to the descent) and
    ``heliocentric_orbit`` (of what flies on). :meth:`to_dict` is the printed form.
    """

    end: str
    events: list[FlightEvent] = field(default_factory=list)
    capture_orbit: MarsOrbit | None = None
    moi: OrbitInsertion | None = None
    flyby: Flyby | None = None
    lander: LanderRelease | None = None
    entry_state: EntryInterface | None = None
    heliocentric_orbit: HeliocentricOrbit | None = None
    approach: Approach | None = None
    trim: Trim | None = None
    orbit_at_release: MarsOrbit | None = None

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"end": self.end, "events": [e.to_dict() for e in self.events]}
        for key in (
            "approach",
            "capture_orbit",
            "moi",
            "trim",
            "orbit_at_release",
            "flyby",
            "lander",
            "entry_state",
            "heliocentric_orbit",
        ):
            state = getattr(self, key)
            if state is not None:
                out[key] = state.to_dict()
        return out


def fly_arrival(
    cruise: CruiseResult, params: ArrivalParams, orders: Orders | None = None
) -> ArrivalResult:
    """Fly the arrival from the cruise's hand-over; returns the :class:`ArrivalResult`.

    ``params`` gives the geometry the arrival aims at (the design capture orbit, entry angle
    and point); ``orders``, the mission's assembled sequence, gives when the lander separates
    and is deflected, whether and when the insertion burn fires, the trim and the release
    from orbit (:func:`marsprobe.mission.orders.arrival_orders`). Without ``orders`` (an
    arrival flown on its own) the arrival's commands are assembled from ``params``.
    """
    if orders is None:
        orders = Orders(phase_commands("arrival", params))
    cmd = arrival_orders(orders)
    eph = cruise.eph
    res = ArrivalResult(end="no_encounter")
    t, r, v, center = cruise.t, cruise.r, cruise.v, cruise.center
    if cruise.end != "mars_soi":
        if cruise.end == "closest_approach":
            rr, _ = nbody.change_center(eph, t, r, v, center, "mars")
            res.end = "flyby"
            res.flyby = Flyby(
                closest_approach_km=round(float(np.linalg.norm(rr) - R_MARS) / 1e3, 1),
                time_utc=utc_from_tdb(t, 0),
            )
            res.events.append(FlightEvent("closest_approach", t, {"body": "mars"}))
            fl = nbody.fly(t, r, v, t + 2 * DAY_S, center, eph)
            t, r, v, center = fl.t, fl.r[0], fl.v[0], fl.center
        res.heliocentric_orbit = heliocentric_orbit(t, r, v, center, eph)
        return res
    t1 = min(t + 2 * EXIT_DAYS * DAY_S, eph.t1 - DAY_S)
    mass, prop = cruise.mass_kg, cruise.propellant_kg
    bp = b_plane(r, v, GM_MARS, pole=mars_pole(t))
    res.approach = Approach(
        v_inf_km_s=round(float(bp.v_inf) / 1e3, 4),
        b_t_km=round(float(bp.b_t) / 1e3, 3),
        b_r_km=round(float(bp.b_r) / 1e3, 3),
        mass_kg=round(mass, 2),
    )
    sc = cruise.spacecraft
    from_approach = cmd.separation_before_periapsis_s is not None
    if from_approach and cmd.lander_from_orbit_utc is None and sc.lander_mass_kg > 0:
        tp = periapsis_pass(t, r, v, eph, t1).t
        t_sep = max(t, tp - cmd.separation_before_periapsis_s)
        if cruise.commanded(t_sep):
            fl = mars_leg(t, r, v, t_sep, eph)
            t, r, v = fl.t, fl.r[0], fl.v[0]
            u = v / np.linalg.norm(v)
            m_l = sc.lander_mass_kg
            v_l = v + u * params.separation_dv_m_s * (mass - m_l) / mass
            v = v - u * params.separation_dv_m_s * m_l / mass
            mass -= m_l
            data = {"body": "mars", "mars_distance_km": float(np.linalg.norm(r)) / 1e3}
            res.events.append(FlightEvent("lander_separation", t, data))
            theta = float(b_plane(r, v, GM_MARS, pole=mars_pole(t)).theta)
            res.lander, res.entry_state, events = fly_lander(cruise, params, cmd, t, r, v_l, theta)
            res.events += events
    arc = None  # the insertion burn's arc, where the closest approach may lie
    if cmd.moi_commanded and params.moi_apoapsis_km is not None:
        t_ign_pred = periapsis_pass(t, r, v, eph, t1).t + cmd.moi_offset_s
        if cruise.commanded(t_ign_pred):
            t, r, v, mass, prop, why, moi, arc = insertion_burn(
                cruise, params, cmd, t, r, v, mass, prop, t1
            )
            name = "orbit_insertion" if moi.fired else "orbit_insertion_failure"
            data = {"body": "mars", "detail": why, "delta_v_m_s": moi.delta_v_m_s}
            data.update(propellant_kg=moi.propellant_used_kg)
            if moi.propellant_left_kg is not None:
                data.update(propellant_left_kg=moi.propellant_left_kg)
            res.events.append(FlightEvent(name, t, data))
            res.moi = moi
    on_burn = None if arc is None else closest_on_arc(eph, *arc[:3], t, accel=arc[3])
    if on_burn is not None and on_burn[3]:  # the burn's arc went into the ground: no orbit
        return _impact(res, on_burn[0], cruise)
    orbit = mars_orbit(t, r, v)
    if orbit.closed and orbit.apoapsis_km * 1e3 < nbody.SOI["mars"]:
        res.end = "captured"
        res.capture_orbit = orbit
        _in_orbit(cruise, params, cmd, t, r, v, mass, prop, res)
        return res
    if arc is not None:  # it fired and left the craft unbound: the insertion failed
        detail = "not captured: " + (
            "still on a hyperbola" if not orbit.closed else "apoapsis beyond the SOI"
        )
        res.events.append(
            FlightEvent("orbit_insertion_failure", t, {"body": "mars", "detail": detail})
        )
    t_ca, r_ca, v_ca, hit, t, r, v = _closest_approach(eph, t, r, v, t1, on_burn)
    alt = (float(np.linalg.norm(r_ca)) - R_MARS) / 1e3
    if hit:
        return _impact(res, t_ca, cruise)
    res.end = "flyby"
    res.flyby = Flyby(
        closest_approach_km=round(alt, 3),
        time_utc=utc_from_tdb(t_ca, 0),
        speed_km_s=round(float(np.linalg.norm(v_ca)) / 1e3, 4),
    )
    res.events.append(FlightEvent("closest_approach", t_ca, {"body": "mars", "altitude_km": alt}))
    fl = nbody.fly(t, r, v, min(t_ca + EXIT_DAYS * DAY_S, eph.t1 - DAY_S), "mars", eph)
    res.heliocentric_orbit = heliocentric_orbit(fl.t, fl.r[0], fl.v[0], fl.center, eph)
    return res


def _impact(res: ArrivalResult, t: float, cruise: CruiseResult) -> ArrivalResult:
    """The craft met the surface at ``t``.

    An impact craft (its cruise aimed the periapsis below the surface: ``aim_periapsis_km``
    < 0, as the 2MV-3 carried its capsule whole to the planet) struck as it was meant to:
    ``end`` ``"impact"``, its ``landing`` event its own. Any other craft that strikes Mars (an
    orbiter whose approach went into the planet) is a carrier's impact, ``"carrier_impact"``,
    marked ``object`` carrier so that it is never read as a descent module's touchdown.
    """
    aim = cruise.params.aim_periapsis_km
    data = {"body": "mars", "detail": "impact"}
    if aim is not None and aim < 0:
        res.end = "impact"
    else:
        res.end = "carrier_impact"
        data["object"] = "carrier"
    res.events.append(FlightEvent("landing", t, data))
    return res


def _closest_approach(eph, t, r, v, t1, on_burn):
    """The closest approach of the whole pass of a craft not captured, from its state ``r``,
    ``v`` at ``t`` after any insertion burn and the nearest point of that burn's arc
    ``on_burn`` (:func:`closest_on_arc`; None: no burn fired).

    The nearest of: the periapsis (or the surface) on the coast from ``t`` while inside the
    sphere of influence, and the burn's nearest point (its ignition included, so the
    approach before it too: that coast only closes in). A burn centred on periapsis that
    stops short of capture leaves the craft already climbing; searching for a periapsis after
    it would find a heliocentric near-miss millions of km out instead.
    Returns the closest approach's epoch and state, whether it is on the surface, and the
    state to fly on from (the coast's periapsis, or ``t``'s state if it had none).
    """
    surface = nbody.distance_stop("surface", "mars", R_MARS)
    peri = nbody.periapsis_stop("periapsis", "mars")
    coast = mars_leg(t, r, v, t1, eph, peri, surface, leave_soi_stop())
    near = (t, r, v, False) if on_burn is None else on_burn
    if coast.stop in ("periapsis", "surface"):
        t, r, v = coast.t, coast.r[0], coast.v[0]
        if not near[3] and np.linalg.norm(r) <= np.linalg.norm(near[1]):
            near = (t, r, v, coast.stop == "surface")
    return (*near, t, r, v)


def _in_orbit(cruise, params, cmd: ArrivalOrders, t, r, v, mass, prop, res) -> None:
    """The site trim and the lander released from orbit (see the module docstring)."""
    sc = cruise.spacecraft
    if cmd.lander_from_orbit_utc is None or sc.lander_mass_kg <= 0:
        return
    t_rel = float(tdb_from_utc(cmd.lander_from_orbit_utc))
    eph = cruise.eph
    if not eph.covers(t, t_rel + 4 * DAY_S):
        eph = cruise.eph = nbody.SampledEphemeris(t - DAY_S, t_rel + 10 * DAY_S)
    trim = None
    if cmd.trim_utc is not None:
        try:
            trim = site_trim(eph, params, cmd, t, r, v)
        except ConvergenceError as exc:  # no trim puts the site under the orbit: none is made
            res.events.append(FlightEvent("orbit_trim_cancelled", t, {"detail": str(exc)}))
    if trim is not None:
        t_b, r_b, v_b, dv, plan = trim
        if cruise.commanded(t_b):
            dvn = float(np.linalg.norm(dv))
            used = mass * (1 - math.exp(-dvn / sc.exhaust_m_s))
            detail = None
            if prop is not None and used > prop:  # the tanks run dry part-way through the trim
                made = sc.exhaust_m_s * math.log(mass / (mass - prop))
                dv, dvn, used = dv * made / dvn, made, prop
                detail = "propellant exhausted"
            t, r, v = t_b, r_b, v_b + dv
            if prop is not None:
                prop -= used
            mass -= used
            res.trim = Trim(
                time_utc=utc_from_tdb(t, 0),
                plan=plan,
                delta_v_m_s=round(dvn, 3),
                propellant_kg=round(used, 2),
                orbit=mars_orbit(t, r, v),
                propellant_left_kg=None if prop is None else round(prop, 2),
                detail=detail,
            )
            data = {"body": "mars", **res.trim.burn_data()}
            res.events.append(FlightEvent("orbit_trim", t, data))
    t, r, v, _ = release_epoch(eph, cmd, t, r, v)
    if not cruise.commanded(t):
        return
    res.orbit_at_release = mars_orbit(t, r, v)
    u = v / np.linalg.norm(v)
    v_l = v + u * params.separation_dv_m_s * (mass - sc.lander_mass_kg) / mass
    data = {"body": "mars", "mars_distance_km": float(np.linalg.norm(r)) / 1e3}
    res.events.append(FlightEvent("lander_separation", t, data))
    res.lander, res.entry_state, events = fly_lander_from_orbit(cruise, params, cmd, t, r, v_l)
    res.events += events


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
    departure,
    cruise_params,
    arrival_params: ArrivalParams | None = None,
    *,
    eph=None,
    perturbation=None,
    orders: Orders | None = None,
) -> MarsFlight:
    """Cruise and arrival in one call (see :func:`fly_cruise` and :func:`fly_arrival`);
    ``perturbation`` carries the corrections' navigation and execution errors, ``orders``
    the arrival's commands."""
    cruise = fly_cruise(departure, cruise_params, eph=eph, perturbation=perturbation)
    return MarsFlight(cruise, fly_arrival(cruise, arrival_params or ArrivalParams(), orders))


def propellant_for_orbit(flight: MarsFlight, periapsis_km: float, apoapsis_km: float) -> float:
    """Propellant (kg) an impulsive burn at periapsis would need to turn this flight's
    approach (its v_inf and the orbiter's mass at arrival, lander gone) into the orbit
    ``periapsis_km`` x ``apoapsis_km`` (altitudes). For comparing with the record."""
    sc = flight.cruise.spacecraft
    v_inf = flight.arrival.approach.v_inf_km_s * 1e3
    rp = R_MARS + periapsis_km * 1e3
    ra = R_MARS + apoapsis_km * 1e3
    dv = math.sqrt(v_inf**2 + 2 * GM_MARS / rp) - math.sqrt(2 * GM_MARS * ra / (rp * (rp + ra)))
    mass = flight.cruise.mass_kg - sc.lander_mass_kg
    return mass * (1 - math.exp(-dv / sc.exhaust_m_s))


def propellant_loss_for_period(
    cruise: CruiseResult, params: ArrivalParams, period_min: float, rel_tol: float = 1e-4
) -> float:
    """The propellant lost before the orbit insertion (kg) for which this flight's finite
    burn ends in a capture orbit of period ``period_min``: an INFERENCE from a recorded
    orbit, for a fault whose size no source gives.

    The period grows with the loss (less propellant, a shorter burn) up to escape, so the
    root is bracketed between no loss and the whole load and found by the Illinois variant
    of regula falsi on the logarithm of the period (a loss that leaves the craft unbound
    counts as an infinitely long period). ``rel_tol`` is on the period.
    """

    def log_excess(lost_kg: float) -> float:
        res = fly_arrival(cruise, params.model_copy(update={"propellant_lost_kg": lost_kg}))
        if res.capture_orbit is None:
            return math.inf
        return math.log(res.capture_orbit.period_min / period_min)

    lo, hi = 0.0, float(cruise.propellant_kg or 0.0)
    f_lo, f_hi = log_excess(lo), log_excess(hi)
    if not f_lo < 0.0 < f_hi:
        raise ConvergenceError(
            f"no loss between 0 and {hi:.0f} kg gives a {period_min:.0f} min orbit "
            "(the burn with everything on board already overshoots it, or the tanks cannot)"
        )
    side = 0
    for _ in range(60):
        if math.isinf(f_hi):  # bisect until the upper end is a capture
            mid = 0.5 * (lo + hi)
        else:
            mid = hi - f_hi * (hi - lo) / (f_hi - f_lo)
        f_mid = log_excess(mid)
        if abs(f_mid) < rel_tol:
            return mid
        if f_mid > 0.0:
            hi, f_hi = mid, f_mid
            if side == 1 and not math.isinf(f_lo):
                f_lo *= 0.5
            side = 1
        else:
            lo, f_lo = mid, f_mid
            if side == -1 and not math.isinf(f_hi):
                f_hi *= 0.5
            side = -1
    raise ConvergenceError("the propellant loss did not converge")
