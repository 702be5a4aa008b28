"""The cruise: from the departure state to Mars, with the trajectory correction manoeuvres.

The spacecraft flies the n-body model of :mod:`marsprobe.orbits.nbody` (Sun, planets, Moon;
DE421) from the state the escape phase hands over. On each planned date of a trajectory
correction manoeuvre (TCM) the flight computes the impulsive velocity change that puts the
trajectory through the design aim point in Mars' B-plane, by differential correction on the
full n-body flight to closest approach (Newton steps with a finite-difference Jacobian of
(B.T, B.R) with respect to the three velocity components; of the many solutions the smallest,
the pseudo-inverse step). It pays for it with propellant by the rocket equation. A mission
without a correction flies whatever its injection gave it.

The B-plane (Kizner 1961, as in :mod:`marsprobe.orbits.conics`) is that of the osculating
Mars-centred hyperbola at closest approach, with T parallel to Mars' equator (the reference
pole is Mars' north pole, IAU WGCCRE 2009). The aim point is data: a design periapsis
altitude and a plane, given as the design inclination of the approach orbit to Mars' equator
with the hemisphere of its periapsis, or as a target site on the surface that the plane must
contain (a lander mission), or as a B-plane angle. Given the arrival asymptote S and pole k,
inclination i and B-plane angle theta obey cos i = cos(theta) |S x k| (two solutions, told
apart by the hemisphere of the periapsis p = (S + sqrt(e^2 - 1) B/|B|) / e). With
``aim_arrival_utc`` the correction also sets the epoch of closest approach (three conditions
for three velocity components, the epoch from the osculating hyperbola by Kepler's equation):
that is what puts a landing site under the entry point, Mars turning 15 degrees an hour.

Parameter table (TOML)::

    [flight.cruise]
    spacecraft = "m71"
    arrival_utc = "1971-11-27"          # design arrival date (bounds the flight)
    tcm_utc = ["1971-06-17", "1971-11-20"]
    aim_periapsis_km = 1380             # design closest approach, above the equatorial radius
    aim_inclination_deg = 48.9
    aim_periapsis_south = true
    src = ["002_d3f98a46457d5b1f.txt@L81"]

Fault hook: ``contact_lost_utc`` (nominal: never). After it nothing is commanded: later
corrections, separations and burns do not happen; the craft flies on.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import Field, field_validator, model_validator

from marsprobe.constants import DAY_S, GM_MARS, R_MARS, SOI_EARTH
from marsprobe.errors import ConvergenceError, InputError
from marsprobe.facts import SourceRef, Strict
from marsprobe.frames import fixed_from_planetocentric, mars_fixed_matrix
from marsprobe.mission.handover import Event
from marsprobe.mission.schema import check_utc
from marsprobe.mission.spacecraft import Spacecraft, load_spacecraft
from marsprobe.orbits import nbody
from marsprobe.orbits.conics import b_from_periapsis, b_plane
from marsprobe.orbits.elements import elements_from_state
from marsprobe.orbits.kepler import time_of_flight
from marsprobe.time import tdb_from_utc, utc_from_tdb

FD_STEP_M_S = 1e-3
"""Velocity step of the finite-difference Jacobian, m/s: it moves the B-plane point by 1 to
100 km, far above the metre-level noise of the integration and small enough to stay linear."""
AIM_TOLERANCE_M = 100.0
"""A correction is converged when the B-plane point is this close to the aim, m."""
TIME_TOLERANCE_S = 1.0
"""With a design arrival epoch, the closest approach must also fall this close to it, s."""
MAX_ITERATIONS = 12
HORIZON_S = 40 * DAY_S
"""How long past the design arrival date the cruise keeps flying, s."""


def _epoch_text(text: str) -> str:
    """A UTC date the flight can place in time: ISO-8601 down to the day at least."""
    check_utc(text)
    try:
        tdb_from_utc(text)
    except InputError as exc:
        raise ValueError(str(exc)) from exc
    return text


class CruiseParams(Strict):
    """Design of the cruise (see the module docstring). Angles in degrees, epochs UTC."""

    spacecraft: str = Field(
        description="The spacecraft flown: a file of mission/data/spacecraft (its id)."
    )
    arrival_utc: str | None = Field(
        None, description="Design arrival at Mars, UTC: bounds the flight to the encounter."
    )
    end_utc: str | None = Field(
        None, description="Instead of arrival_utc: where a flight with no encounter stops, UTC."
    )
    tcm_utc: list[str] = Field(
        default_factory=list, description="Dates of the course corrections, UTC (none: no TCM)."
    )
    aim_periapsis_km: float | None = Field(
        None, description="Design closest approach, above Mars' equatorial radius, km."
    )
    aim_inclination_deg: float | None = Field(
        default=None,
        ge=0,
        le=180,
        description="Design approach orbit's inclination to Mars' equator, deg.",
    )
    aim_periapsis_south: bool = Field(
        True, description="Whether the aimed periapsis is in the southern hemisphere."
    )
    aim_site_lat_deg: float | None = Field(
        default=None, ge=-90, le=90, description="Or: a site the plane contains, latitude, deg."
    )
    aim_site_lon_deg: float | None = Field(
        None, description="That site's longitude, east positive, deg."
    )
    aim_b_angle_deg: float | None = Field(
        None, description="Or: the B-plane angle, from T towards R, deg."
    )
    aim_arrival_utc: str | None = Field(
        None, description="Design epoch of closest approach the corrections also aim for, UTC."
    )
    contact_lost_utc: str | None = Field(
        None, description="Fault input: nothing is commanded after it, UTC (default: never)."
    )
    src: list[SourceRef] = Field(
        default_factory=list, description="Sources (``id@locator``) of the design values."
    )
    note: str | None = Field(None, description="Free text: why the values are what they are.")

    @field_validator("arrival_utc", "end_utc", "contact_lost_utc", "aim_arrival_utc")
    @classmethod
    def _utc(cls, value: str | None) -> str | None:
        return None if value is None else _epoch_text(value)

    @field_validator("tcm_utc")
    @classmethod
    def _utcs(cls, value: list[str]) -> list[str]:
        return [_epoch_text(v) for v in value]

    @model_validator(mode="after")
    def _ends(self) -> CruiseParams:
        if self.arrival_utc is None and self.end_utc is None:
            raise ValueError("give arrival_utc (a Mars encounter) or end_utc (a cruise only)")
        if (self.aim_site_lat_deg is None) != (self.aim_site_lon_deg is None):
            raise ValueError("aim_site_lat_deg and aim_site_lon_deg go together")
        if self.tcm_utc and self.aim_periapsis_km is None:
            raise ValueError("course corrections need an aim point: give aim_periapsis_km")
        return self


@dataclass
class DepartureState:
    """The state the escape phase hands over: epoch (TDB s past J2000), heliocentric ICRF
    position (m) and velocity (m/s), spacecraft mass (kg). The launch phase's ``Departure``
    has the same attributes."""

    epoch: float
    r: np.ndarray
    v: np.ndarray
    mass_kg: float


# The cruise's and the arrival's events are the one event type of every phase.
FlightEvent = Event


def mars_pole(t: float) -> np.ndarray:
    """Unit vector of Mars' north pole (ICRF) at ``t`` (WGCCRE 2009)."""
    return np.asarray(mars_fixed_matrix(t))[2]


def asymptote(r, v, mu: float = GM_MARS) -> np.ndarray:
    """Unit vector S of the incoming asymptote of the hyperbola through ``r``, ``v`` (3,)."""
    h = np.cross(r, v)
    rn = np.linalg.norm(r)
    ev = (np.dot(v, v) - mu / rn) * r / mu - np.dot(r, v) * v / mu
    e = np.linalg.norm(ev)
    if not e > 1.0:
        raise InputError("the approach is not hyperbolic relative to Mars")
    p = ev / e
    q = np.cross(h / np.linalg.norm(h), p)
    return (p + math.sqrt(e * e - 1.0) * q) / e


def aim_point(
    params: CruiseParams, s_hat, v_inf: float, t_ca: float, current_angle: float
) -> tuple[float, float]:
    """Design aim point (B.T, B.R), m, for an approach along ``s_hat`` at ``v_inf`` (m/s)
    reaching Mars near ``t_ca``. Without a plane in the design, ``current_angle`` is kept.
    An inclination below the asymptote's declination cannot be had: the nearest plane is
    taken; a hemisphere neither plane gives: the first solution (theta >= 0) is taken."""
    rp = R_MARS + params.aim_periapsis_km * 1e3
    b = float(b_from_periapsis(rp, v_inf, GM_MARS))
    k = mars_pole(t_ca)
    sxk = np.cross(s_hat, k)
    t_hat = sxk / np.linalg.norm(sxk)
    r_hat = np.cross(s_hat, t_hat)
    if params.aim_b_angle_deg is not None:
        theta = math.radians(params.aim_b_angle_deg)
    elif params.aim_site_lat_deg is not None:
        site_fixed = fixed_from_planetocentric(
            math.radians(params.aim_site_lat_deg), math.radians(params.aim_site_lon_deg), 1.0
        )
        u = np.asarray(mars_fixed_matrix(t_ca)).T @ site_fixed
        u = u - np.dot(u, s_hat) * s_hat
        theta = math.atan2(np.dot(u, r_hat), np.dot(u, t_hat))
    elif params.aim_inclination_deg is not None:
        cos_t = math.cos(math.radians(params.aim_inclination_deg)) / np.linalg.norm(sxk)
        base = math.acos(min(1.0, max(-1.0, cos_t)))  # the nearest plane if i is out of reach
        e = 1.0 + rp * v_inf**2 / GM_MARS
        best = None
        for theta in (base, -base):
            b_hat = math.cos(theta) * t_hat + math.sin(theta) * r_hat
            peri = s_hat + math.sqrt(e * e - 1.0) * b_hat
            if (np.dot(peri, k) < 0.0) == params.aim_periapsis_south:
                best = theta
        theta = base if best is None else best
    else:
        theta = current_angle
    return b * math.cos(theta), b * math.sin(theta)


def _to_mars(t0, r, v, center, eph, t1):
    """Fly the batch to Mars closest approach (or ``t1``); Mars-relative states there."""
    fl = nbody.fly(t0, r, v, t1, center, eph, stops=[nbody.periapsis_stop("ca", "mars")])
    rr, vv = fl.relative_to("mars", eph)
    return fl.t, rr, vv


def periapsis_epoch(t: float, r, v) -> np.ndarray:
    """Epochs (N,) of periapsis of the Mars-centred osculating hyperbolas through ``r``,
    ``v`` (N, 3) at ``t`` (two-body time from the true anomaly, Kepler's equation)."""
    el = elements_from_state(r, v, GM_MARS)
    since = time_of_flight(el.a, el.e, 0.0, el.nu, GM_MARS)
    return t - np.atleast_1d(since)


def correction(t: float, r, v, center: str, eph, t1: float, params: CruiseParams):
    """Impulsive velocity change (3,), m/s, at ``t`` that puts the flight through the aim
    point (and, with ``aim_arrival_utc``, past Mars at that epoch), and the achieved
    (B.T, B.R, t_ca). Raises ConvergenceError if it cannot."""
    r = np.asarray(r, float)
    v = np.asarray(v, float)
    t_aim = tdb_from_utc(params.aim_arrival_utc) if params.aim_arrival_utc else None
    dv = np.zeros(3)
    probes = np.vstack([np.zeros(3), FD_STEP_M_S * np.eye(3)])
    last = math.inf
    for it in range(MAX_ITERATIONS):
        batch = probes if it else probes[:1]  # first check whether any burn is needed
        t_ca, rr, vv = _to_mars(t, np.tile(r, (len(batch), 1)), v + dv + batch, center, eph, t1)
        bp = b_plane(rr, vv, GM_MARS, pole=mars_pole(t_ca))
        bt, br = np.atleast_1d(bp.b_t), np.atleast_1d(bp.b_r)
        s_hat = asymptote(rr[0], vv[0])
        target = np.array(
            aim_point(
                params,
                s_hat,
                float(np.atleast_1d(bp.v_inf)[0]),
                t_ca,
                float(np.atleast_1d(bp.theta)[0]),
            )
        )
        err = target - np.array([bt[0], br[0]])
        miss = float(np.linalg.norm(err))
        rows = [bt, br]
        if t_aim is not None:
            tp = periapsis_epoch(t_ca, rr, vv)
            late = t_aim - tp[0]
            # converged only when both the B-plane point and the epoch are within tolerance
            miss = max(miss, abs(late) * AIM_TOLERANCE_M / TIME_TOLERANCE_S)
            err = np.append(err, late)
            rows.append(tp)
        if miss < AIM_TOLERANCE_M:
            return dv, (bt[0], br[0], t_ca)
        if it == 0:
            continue
        jac = np.vstack([row[1:] - row[0] for row in rows]) / FD_STEP_M_S
        step = np.linalg.pinv(jac) @ err
        if miss > last:  # the last step overshot: go more gently
            step *= 0.5
        last = miss
        dv = dv + step
    raise ConvergenceError(
        f"the course correction of {utc_from_tdb(t, 0)} did not reach the "
        f"aim point (still {last / 1e3:.1f} km off)"
    )


@dataclass
class CruiseResult:
    """The cruise's hand-over to the arrival phase.

    ``end``: ``"mars_soi"`` (entered Mars' sphere of influence; states relative to Mars),
    ``"closest_approach"`` (passed Mars outside it; states heliocentric) or ``"end"`` (the
    flight ran to its end date). ``t``, ``r``, ``v`` the final epoch and state relative to
    ``center``; ``mass_kg`` and ``propellant_kg`` (None: load unknown) at that epoch.
    """

    params: CruiseParams
    spacecraft: Spacecraft
    departure_epoch: float
    t: float
    r: np.ndarray
    v: np.ndarray
    center: str
    end: str
    mass_kg: float
    propellant_kg: float | None
    eph: Any
    t_end: float
    events: list[FlightEvent] = field(default_factory=list)
    contact_lost: float | None = None
    aim: dict | None = None

    def commanded(self, t: float) -> bool:
        """Whether the craft could still be commanded (in contact) at ``t``."""
        return self.contact_lost is None or t < self.contact_lost

    def to_dict(self) -> dict:
        out: dict[str, Any] = {
            "end": self.end,
            "departure_utc": utc_from_tdb(self.departure_epoch, 0),
            "events": [e.to_dict() for e in self.events],
            "tcms": [e.to_dict() for e in self.events if e.name == "tcm"],
            "mass_kg": round(self.mass_kg, 1),
        }
        if self.aim:
            out["aim"] = self.aim
        return out

    def to_json(self, **kw) -> str:
        return json.dumps(self.to_dict(), **kw)


def _start(departure, eph) -> tuple[np.ndarray, np.ndarray, str]:
    t = float(departure.epoch)
    r = np.asarray(departure.r, float)
    v = np.asarray(departure.v, float)
    re, ve = nbody.body_state(eph, "earth", t, "sun")
    if np.linalg.norm(r - re) < SOI_EARTH:
        return r - re, v - ve, "earth"
    return r, v, "sun"


def fly_cruise(departure, params: CruiseParams, *, eph=None, perturbation=None) -> CruiseResult:
    """Fly the cruise from ``departure`` (a :class:`DepartureState` or the launch phase's
    ``Departure``) with ``params``; returns the :class:`CruiseResult`.

    ``perturbation`` (:class:`marsprobe.mission.perturbation.Perturbation`, None: none): each
    correction is computed from the true state plus its navigation error and flown with its
    execution error (a fraction of its Δv per axis); the tanks pay for the burn flown."""
    sc = load_spacecraft(params.spacecraft)
    t0 = float(departure.epoch)
    end_epoch = tdb_from_utc(params.end_utc) if params.end_utc else None
    arrival = tdb_from_utc(params.arrival_utc) if params.arrival_utc else None
    t_end = end_epoch if end_epoch is not None else arrival + HORIZON_S
    if not t_end > t0:
        raise InputError("the cruise's arrival_utc/end_utc must come after the departure")
    if eph is None or not eph.covers(t0, t_end + HORIZON_S):
        eph = nbody.SampledEphemeris(t0, t_end + HORIZON_S)
    r, v, center = _start(departure, eph)
    lost = tdb_from_utc(params.contact_lost_utc) if params.contact_lost_utc else None
    mass = float(departure.mass_kg)
    prop = sc.propellant_kg
    if prop is not None:  # what the craft's engine burned to finish the escape is gone
        prop -= getattr(departure, "propellant_used_kg", 0.0)
    events: list[FlightEvent] = []
    milestones = sorted(
        [(tdb_from_utc(u), "tcm") for u in params.tcm_utc]
        + ([(lost, "loss_of_contact")] if lost is not None else [])
    )
    t = t0
    aim = None
    n_tcm = 0
    for epoch, kind in milestones:
        if not t0 < epoch < t_end:
            continue
        if kind == "loss_of_contact" and arrival is not None and epoch > arrival - 5 * DAY_S:
            continue  # lost at Mars: the arrival phase checks each command against it
        fl = nbody.fly(t, r, v, epoch, center, eph)
        t, r, v, center = fl.t, fl.r[0], fl.v[0], fl.center
        if kind == "loss_of_contact":
            re, _ = nbody.exact_state(eph, "earth", t, center)
            data = {"earth_distance_km": float(np.linalg.norm(r - re)) / 1e3}
            events.append(FlightEvent("loss_of_contact", t, data))
            continue
        if lost is not None and epoch >= lost:
            continue
        if perturbation is None:
            dv, (bt, br, t_ca) = correction(t, r, v, center, eph, t_end, params)
        else:  # aimed from the state as the ground knew it, flown as the engine gave it
            dr_nav, dv_nav, ex = perturbation.navigation_error(n_tcm)
            dv, (bt, br, t_ca) = correction(t, r + dr_nav, v + dv_nav, center, eph, t_end, params)
            dv = dv + float(np.linalg.norm(dv)) * ex
        n_tcm += 1
        dvn = float(np.linalg.norm(dv))
        used = mass * (1.0 - math.exp(-dvn / sc.exhaust_m_s))
        data: dict[str, Any] = {}
        if prop is not None and used > prop:  # the tanks run dry part-way through the burn
            short = sc.exhaust_m_s * math.log(mass / (mass - prop))
            dv, dvn, used = dv * short / dvn, short, prop
            data["detail"] = "propellant exhausted"
        if prop is not None:
            prop -= used
        mass -= used
        v = v + dv
        aim = {
            "b_t_km": round(bt / 1e3, 3),
            "b_r_km": round(br / 1e3, 3),
            "periapsis_km": params.aim_periapsis_km,
            "closest_approach_utc": utc_from_tdb(t_ca, 0),
        }
        data.update(delta_v_m_s=dvn, propellant_kg=used, b_t_km=bt / 1e3, b_r_km=br / 1e3)
        if prop is not None:
            data["propellant_left_kg"] = prop
        events.append(FlightEvent("tcm", t, data))
    end = "end"
    if end_epoch is None:
        if center != "mars":
            ca = nbody.periapsis_stop("closest_approach", "mars")
            fl = nbody.fly(t, r, v, t_end, center, eph, stop_on_enter="mars", stops=[ca])
            t, r, v, center = fl.t, fl.r[0], fl.v[0], fl.center
            if fl.stop == "enter:mars":
                events.append(FlightEvent("soi_entry", t, {"body": "mars"}))
            elif fl.stop == "closest_approach":
                end = "closest_approach"
        if center == "mars":
            end = "mars_soi"
    else:
        fl = nbody.fly(t, r, v, t_end, center, eph)
        t, r, v, center = fl.t, fl.r[0], fl.v[0], fl.center
    return CruiseResult(
        params, sc, t0, t, r, v, center, end, mass, prop, eph, t_end, events, lost, aim
    )
