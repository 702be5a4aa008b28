"""Set up an ascent from a pad and tune its guidance onto a target parking orbit.

The launch geometry (pad position and velocity in the inertial frame at the lift-off
epoch, the target plane through the pad with the wanted inclination, the ground-relative
heading of the pitch-over) comes from the pad's coordinates and the Earth rotation angle.

The guidance has three free constants: the pitch-over angle and the two constants of the
linear-tangent law. For a given pitch-over, :func:`tune` finds the linear-tangent pair with
a least-squares solver (scipy ``least_squares``, trust-region reflective) so that the
guidance cut-off, which happens on reaching the target orbit's energy, also happens at the
target perigee radius with zero flight-path angle (insertion at perigee); the part of the
flight before the linear-tangent phase does not depend on them, so it is flown once and
each solver step re-flies only the rest. :func:`optimise` then picks the pitch-over that
leaves the most mass in orbit (a grid, then a golden-section search), which is what a
trajectory designer does with a real programme: the constants are then data
(:class:`Guidance`), flown by :func:`planned` without any solving.
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
    inclination (rad), and whether it is entered on its descending branch (a launch
    towards the south-east)."""

    perigee_alt: float
    apogee_alt: float
    inclination: float
    southbound: bool = False

    @property
    def a(self) -> float:
        return R_EARTH + 0.5 * (self.perigee_alt + self.apogee_alt)

    @property
    def energy(self) -> float:
        return -GM_EARTH / (2.0 * self.a)


@dataclass(frozen=True)
class Guidance:
    """The guidance constants loaded before flight: pitch-over angle (deg) and the
    linear-tangent constants ``tan(theta) = lt_a - lt_b (t - t1)`` (``lt_b`` in 1/s)."""

    pitch_kick_deg: float
    lt_a: float
    lt_b: float


@dataclass(frozen=True)
class Shroud:
    """The payload shroud: mass (kg) and jettison time (s from lift-off)."""

    mass: float = 0.0
    jettison_t: float = math.inf


NO_SHROUD = Shroud()


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
    shroud: Shroud = NO_SHROUD

    @property
    def guidance(self) -> Guidance:
        return Guidance(math.degrees(self.plan.pitch_kick), self.plan.lt_a, self.plan.lt_b)


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


def make_plan(
    vehicle: Vehicle,
    site: Site,
    t_tdb: float,
    target: Target,
    pitch_kick_deg: float | None = None,
):
    """Launch geometry and the untuned guidance plan; returns ``(plan, r0, v0, theta0)``.

    ``pitch_kick_deg`` overrides the vehicle file's pitch-over angle."""
    r0, v0, up, east, north, theta = pad_state(site, t_tdb)
    rn = float(np.linalg.norm(r0))
    lat_c = math.asin(r0[2] / rn)
    v_orb = math.sqrt(GM_EARTH / target.a)
    try:
        beta, beta_rel = launch_azimuths(lat_c, target.inclination, v_orb, rn, target.southbound)
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
        pitch_kick=math.radians(
            vehicle.pitch_kick_deg if pitch_kick_deg is None else pitch_kick_deg
        ),
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
    vehicle: Vehicle,
    site: Site,
    t_tdb: float,
    payload: float,
    target: Target,
    tol_m: float = 200.0,
    pitch_kick_deg: float | None = None,
    shroud: Shroud = NO_SHROUD,
    x0: tuple[float, float] | None = None,
) -> Launch:
    """Tune the linear-tangent constants so that the nominal ascent reaches ``target``.

    ``pitch_kick_deg`` (default: the vehicle file's) is held; ``x0`` is a starting pair
    ``(lt_a, lt_b)`` (default: the best of a coarse look). Raises
    :class:`ConvergenceError` when the vehicle cannot reach the orbit with this payload
    (the solver's best try misses the perigee by more than ``tol_m`` metres or the
    flight-path angle by more than 0.01 rad).
    """
    from scipy.optimize import least_squares

    plan, r0, v0, theta = make_plan(vehicle, site, t_tdb, target, pitch_kick_deg)
    common = {
        "target_energy": target.energy,
        "shroud_mass": shroud.mass,
        "shroud_jettison_t": shroud.jettison_t,
    }
    head = fly(vehicle, plan, r0, v0, payload, stop_at=plan.gravity_turn_end_s, **common)
    if head.outcome != "paused":
        raise ConvergenceError(
            f"{vehicle.name} did not survive the first {plan.gravity_turn_end_s:g} s with "
            f"{payload:.0f} kg (outcome {head.outcome})"
        )
    burn_left = sum(
        vehicle.stages[i].burn_time
        for i in head.attached
        if vehicle.stages[i].ignition != "orbit" and not vehicle.stages[i].shares_tank
    )

    def tail(x):
        lt = plan.with_lt(float(x[0]), float(x[1]))
        return fly(vehicle, lt, r0, v0, payload, start=head.checkpoint, **common)

    def fun(x):
        return _residual(tail(x), target)

    if x0 is None:
        # a coarse look at lofted to flat programmes gives the solver a start on the right
        # side of the ground (a programme that dives gives it no gradient to follow)
        starts = [
            np.array([a, a / (f * burn_left)]) for a in (0.3, 0.6, 0.9) for f in (0.5, 1.0, 2.0)
        ]
        start = min(starts, key=lambda x: float(np.sum(fun(x) ** 2)))
    else:
        start = np.array(x0, dtype=float)
    sol = least_squares(
        fun,
        start,
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
    nominal = fly(vehicle, tuned, r0, v0, payload, **common)
    return Launch(tuned, r0, v0, theta, payload, target, nominal, t_tdb, shroud)


KICK_RANGE_DEG = (1.0, 28.0)
"""Pitch-over angles searched by :func:`optimise` (deg). Chosen: from a barely tilted rise
to a turn that leaves the dense air almost flat; the optima found lie inside it."""


def optimise(
    vehicle: Vehicle,
    site: Site,
    t_tdb: float,
    payload: float,
    target: Target,
    shroud: Shroud = NO_SHROUD,
    kick_range_deg: tuple[float, float] = KICK_RANGE_DEG,
    tol_deg: float = 0.05,
) -> Launch:
    """The tuned ascent whose pitch-over leaves the most propellant at orbit insertion.

    A 3 deg grid over ``kick_range_deg`` brackets the best pitch-over, a golden-section
    search narrows it to ``tol_deg``; each trial is a :func:`tune`. Raises
    :class:`ConvergenceError` when no pitch-over reaches the orbit.
    """
    lo, hi = kick_range_deg
    trials: dict[float, Launch | None] = {}

    def mass(kick: float) -> float:
        kick = round(kick, 4)
        if kick not in trials:
            try:
                launch = tune(
                    vehicle, site, t_tdb, payload, target, pitch_kick_deg=kick, shroud=shroud
                )
            except ConvergenceError:
                launch = None
            trials[kick] = launch
        launch = trials[kick]
        if launch is None or launch.nominal.outcome != "orbit":
            return -math.inf
        # propellant left at cut-off (in the stage that made the orbit and any unfired one)
        return float(sum(launch.nominal.stage_propellant))

    grid = np.arange(lo, hi + 1e-9, 3.0)
    values = [mass(float(k)) for k in grid]
    k = int(np.argmax(values))
    if not math.isfinite(values[k]):
        raise ConvergenceError(
            f"{vehicle.name} cannot put {payload:.0f} kg on a "
            f"{target.perigee_alt / 1e3:.0f} x {target.apogee_alt / 1e3:.0f} km orbit from "
            f"{site.name} {site.pad} with any pitch-over from {lo:g} to {hi:g} deg"
        )
    a, b = float(grid[max(k - 1, 0)]), float(grid[min(k + 1, len(grid) - 1)])
    ratio = (math.sqrt(5.0) - 1.0) / 2.0
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc, fd = mass(c), mass(d)
    while b - a > tol_deg:
        if fc >= fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = mass(c)
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = mass(d)
    best = max((x for x in trials if trials[x] is not None), key=lambda x: mass(x))
    return trials[round(best, 4)]


def planned(
    vehicle: Vehicle,
    site: Site,
    t_tdb: float,
    payload: float,
    target: Target,
    guidance: Guidance,
    shroud: Shroud = NO_SHROUD,
) -> Launch:
    """The nominal ascent flown with stored guidance constants (no solving)."""
    plan, r0, v0, theta = make_plan(vehicle, site, t_tdb, target, guidance.pitch_kick_deg)
    plan = plan.with_lt(guidance.lt_a, guidance.lt_b)
    nominal = fly(
        vehicle,
        plan,
        r0,
        v0,
        payload,
        target_energy=target.energy,
        shroud_mass=shroud.mass,
        shroud_jettison_t=shroud.jettison_t,
    )
    return Launch(plan, r0, v0, theta, payload, target, nominal, t_tdb, shroud)


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
        shroud_mass=launch.shroud.mass,
        shroud_jettison_t=launch.shroud.jettison_t,
    )
