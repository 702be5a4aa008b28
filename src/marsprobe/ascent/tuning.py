"""Set up an ascent from a pad and tune its guidance onto a target parking orbit.

The launch geometry (pad position and velocity in the inertial frame at the lift-off
epoch, the target plane through the pad with the wanted inclination, the ground-relative
heading of the pitch-over) comes from the pad's coordinates and the Earth rotation angle.
The two constants of the linear-tangent law are then found by a least-squares solver
(scipy ``least_squares``, trust-region reflective) so that the guidance cut-off, which
happens on reaching the target orbit's energy, also happens at the target perigee radius
with zero flight-path angle (insertion at perigee). The part of the flight before the
linear-tangent phase does not depend on the two constants, so it is flown once and each
solver step re-flies only the rest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from marsprobe.ascent.earth import OMEGA, rotation_z
from marsprobe.ascent.faults import AscentFaults
from marsprobe.ascent.flight import AscentResult, fly
from marsprobe.ascent.guidance import Plan, launch_azimuths
from marsprobe.ascent.vehicle import Site, Vehicle
from marsprobe.constants import GM_EARTH, R_EARTH
from marsprobe.errors import ConvergenceError, InputError
from marsprobe.frames import fixed_from_geodetic, greenwich_mean_sidereal_time, precession_matrix


@dataclass(frozen=True)
class Target:
    """A parking orbit: perigee and apogee altitudes above the equatorial radius (m),
    inclination (rad)."""

    perigee_alt: float
    apogee_alt: float
    inclination: float

    @property
    def a(self) -> float:
        return R_EARTH + 0.5 * (self.perigee_alt + self.apogee_alt)

    @property
    def energy(self) -> float:
        return -GM_EARTH / (2.0 * self.a)


@dataclass(frozen=True)
class Launch:
    """A tuned ascent: its plan, the pad state at lift-off and the nominal flight."""

    plan: Plan
    r0: np.ndarray
    v0: np.ndarray
    theta0: float  # GMST (rad) at lift-off: Earth-fixed -> ascent frame
    payload: float
    target: Target
    nominal: AscentResult
    t0: float = 0.0  # lift-off epoch, TDB s past J2000


def pad_state(site: Site, t_tdb: float):
    """Pad position (m) and velocity (m/s) at ``t_tdb`` (TDB s past J2000) in the ascent
    frame (mean equator and equinox of date), its local up/east/north unit vectors and the
    Greenwich mean sidereal time (rad) that turns Earth-fixed vectors into that frame."""
    theta = float(greenwich_mean_sidereal_time(t_tdb))
    rot = rotation_z(theta)
    r0 = rot @ fixed_from_geodetic(site.lat, site.lon, site.height, "earth")
    v0 = np.array([-OMEGA * r0[1], OMEGA * r0[0], 0.0])
    lam = site.lon + theta
    up = np.array(
        [math.cos(site.lat) * math.cos(lam), math.cos(site.lat) * math.sin(lam), math.sin(site.lat)]
    )
    east = np.array([-math.sin(lam), math.cos(lam), 0.0])
    north = np.cross(up, east)
    return r0, v0, up, east, north, theta


def icrf_from_ascent(t_tdb: float) -> np.ndarray:
    """Matrix turning ascent-frame vectors (mean equator of date ``t_tdb``) into ICRF."""
    return np.asarray(precession_matrix(t_tdb)).T


def make_plan(vehicle: Vehicle, site: Site, t_tdb: float, target: Target):
    """Launch geometry and the untuned guidance plan; returns ``(plan, r0, v0, theta0)``."""
    r0, v0, up, east, north, theta = pad_state(site, t_tdb)
    rn = float(np.linalg.norm(r0))
    lat_c = math.asin(r0[2] / rn)
    v_orb = math.sqrt(GM_EARTH / target.a)
    try:
        beta, beta_rel = launch_azimuths(lat_c, target.inclination, v_orb, rn)
    except ValueError as exc:
        raise InputError(f"cannot launch from {site.name} pad {site.pad}: {exc}") from None
    up_c = r0 / rn
    east_c = np.array([-up_c[1], up_c[0], 0.0]) / math.hypot(up_c[0], up_c[1])
    north_c = np.cross(up_c, east_c)
    heading = math.sin(beta) * east_c + math.cos(beta) * north_c
    normal = np.cross(up_c, heading)
    plan = Plan(
        plane_normal=normal / np.linalg.norm(normal),
        up0=up,
        east0=east,
        north0=north,
        azimuth_rel=beta_rel,
        vertical_rise_s=vehicle.vertical_rise_s,
        pitch_kick=math.radians(vehicle.pitch_kick_deg),
        kick_duration_s=vehicle.kick_duration_s,
        gravity_turn_end_s=vehicle.gravity_turn_end_s,
        inclination=target.inclination,
    )
    return plan, r0, v0, theta


def _residual(res: AscentResult, target: Target) -> np.ndarray:
    """Misses of an ascent at its cut-off (or, short of the energy, at its last burn-out):
    perigee radius (per 10 km), flight-path angle (per 0.01 rad), energy (per 100 kJ/kg)."""
    end = res.event("cutoff")
    if end is None:
        burnouts = [e for e in res.events if e.name in ("burnout", "impact", "breakup")]
        end = burnouts[-1] if burnouts else res.events[-1]
    r, v = end.r, end.v
    rn = float(np.linalg.norm(r))
    gamma = math.asin(float(np.dot(r, v)) / (rn * max(float(np.linalg.norm(v)), 1.0)))
    eps = 0.5 * float(np.dot(v, v)) - GM_EARTH / rn
    deficit = 0.0 if res.event("cutoff") is not None else (target.energy - eps) / 1e5
    return np.array([(rn - R_EARTH - target.perigee_alt) / 1e4, gamma / 0.01, deficit])


def tune(
    vehicle: Vehicle, site: Site, t_tdb: float, payload: float, target: Target, tol_m: float = 200.0
) -> Launch:
    """Tune the linear-tangent constants so that the nominal ascent reaches ``target``.

    Raises :class:`ConvergenceError` when the vehicle cannot reach the orbit with this
    payload (the solver's best try misses the perigee by more than ``tol_m`` metres or
    the flight-path angle by more than 0.01 degree).
    """
    from scipy.optimize import least_squares

    plan, r0, v0, theta = make_plan(vehicle, site, t_tdb, target)
    head = fly(
        vehicle, plan, r0, v0, payload, target_energy=target.energy, stop_at=plan.gravity_turn_end_s
    )
    if head.outcome != "paused":
        raise ConvergenceError(
            f"{vehicle.name} did not survive the first {plan.gravity_turn_end_s:g} s with "
            f"{payload:.0f} kg (outcome {head.outcome})"
        )
    burn_left = sum(
        vehicle.stages[i].propellant_mass / vehicle.stages[i].mdot
        for i in head.attached
        if vehicle.stages[i].ignition != "orbit"
    )

    def tail(x):
        return fly(
            vehicle,
            plan.with_lt(float(x[0]), float(x[1])),
            r0,
            v0,
            payload,
            target_energy=target.energy,
            start=head.checkpoint,
        )

    def fun(x):
        return _residual(tail(x), target)

    # a coarse look at lofted to flat programmes gives the solver a start on the right side
    # of the ground (a programme that dives gives it no gradient to follow)
    starts = [np.array([a, a / (f * burn_left)]) for a in (0.3, 0.6, 0.9) for f in (0.5, 1.0, 2.0)]
    x0 = min(starts, key=lambda x: float(np.sum(fun(x) ** 2)))
    sol = least_squares(
        fun,
        x0,
        x_scale=np.array([0.2, 0.001]),
        diff_step=1e-4,
        xtol=1e-10,
        ftol=1e-12,
        gtol=1e-12,
        max_nfev=60,
    )
    best = tail(sol.x)
    miss = _residual(best, target)
    if best.outcome != "orbit" or abs(miss[0]) * 1e4 > tol_m or abs(miss[1]) > 1.0:
        raise ConvergenceError(
            f"{vehicle.name} cannot put {payload:.0f} kg on a "
            f"{target.perigee_alt / 1e3:.0f} x {target.apogee_alt / 1e3:.0f} km orbit from "
            f"{site.name} {site.pad}: best try ended '{best.outcome}', perigee off by "
            f"{miss[0] * 10:.1f} km"
        )
    tuned = plan.with_lt(float(sol.x[0]), float(sol.x[1]))
    nominal = fly(vehicle, tuned, r0, v0, payload, target_energy=target.energy)
    return Launch(tuned, r0, v0, theta, payload, target, nominal, t_tdb)


def refly(launch: Launch, vehicle: Vehicle, faults: AscentFaults) -> AscentResult:
    """Fly a tuned launch again from lift-off with ``faults`` (the guidance constants were
    loaded before flight: a fault changes what happens, not what the guidance was told)."""
    return fly(
        vehicle,
        launch.plan,
        launch.r0,
        launch.v0,
        launch.payload,
        faults,
        target_energy=launch.target.energy,
    )
