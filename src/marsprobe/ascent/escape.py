"""The escape burn: from a parking orbit onto the departure hyperbola the mission asks for.

The escape stages of the 1960s and 1970s (Block L, Block D, Agena, Centaur) held an
inertial attitude from their gyro platforms while they fired, and their engines were cut
when the velocity reached the design value; where the burn happened was set by the flight
sequence's timer. So the burn here holds a fixed inertial thrust direction (``attitude``)
and the engine is cut when the osculating C3 reaches the target. Without a stored attitude
the stage follows its velocity instead (the fall-back of a flight with no design). The burn
is integrated (finite thrust, so the gravity losses are in the result, not estimated) with
DOP853 (:func:`marsprobe.orbits.ode.solve`, ``rtol=1e-10``) over gravity with J2, and so is
the coast in the parking orbit (:func:`coast`: J2 turns a 51.6 deg orbit's plane by about 0.3 deg in
the hour and a half of a Block D coast).

Aiming (:func:`aim_burn`). Three numbers are set before flight, the coast (the timer) and
the two angles of the held attitude; two conditions fix the asymptote's direction, and the
cut-off fixes the C3. The third degree of freedom is spent on propellant: for a trial coast
the two angles are solved by Newton's method (2 x 2 Jacobian by forward differences of the
integrated burn) so that the asymptote lies on the target, and the coast is then chosen by
Brent's bounded minimisation of the propellant burnt. Two angles are enough: for the burns
of these missions (8 to 33 deg of orbit arc) a held attitude burns 0.01 to 0.3 % more
propellant than following the velocity onto the same asymptote (Mariner 4's Agena, Mars 1's
Block L, Mars 3's Block D, in this model). Moving the asymptote out of the
parking plane is costly: the burn must turn the orbit plane at orbital speed by an angle
larger than the asymptote's own offset (about offset / sin(nu_inf - nu_burn)). Where the
propellant (less a reserve) cannot pay for the whole turn, the target is moved back along
the great circle towards the cheapest reachable direction until it can (bisection), and the
angle that is left is reported: the residual, not a forced solution.

:func:`required_velocity` gives, for checks, the velocity at a point on the conic that
leaves the Earth with a given excess velocity vector: with ``u`` the unit vector of
``v_inf`` and ``z`` the unit normal of the plane of ``r`` and ``v_inf``, conservation of
the Laplace vector between ``r`` and infinity gives

    v_req = v_inf + (mu / h) z x (r_hat - u),
    h = (A + sqrt(A^2 + 4 mu (|r| - r . u))) / 2,   A = |r x v_inf|

(our derivation; it reduces to the parabola's escape speed when ``v_inf -> 0``).

A stage that has lost its attitude tumbles while it fires: its thrust axis turns in the
orbit plane at ``tumble_rate_deg_s`` and the turn speeds up by ``tumble_spinup_deg_s2``
(the thrust's own torque about the centre of mass, with nothing left to hold it). Over
whole turns the thrust cancels; what is left is of the order of the acceleration over the
turn rate at the start and at the end of the burn, tens of m/s instead of the kilometres
per second of a held burn.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from marsprobe.ascent.earth import gravity
from marsprobe.ascent.vehicle import Stage
from marsprobe.constants import GM_EARTH
from marsprobe.errors import ConvergenceError, InputError
from marsprobe.orbits.ode import solve

G0 = 9.80665
RTOL = 1e-10
ATOL = [1e-3] * 3 + [1e-6] * 3


def required_velocity(r, v_inf, mu: float = GM_EARTH) -> np.ndarray:
    """Velocity (m/s) at ``r`` (m) on the conic whose excess velocity is ``v_inf`` (m/s)."""
    r = np.asarray(r, dtype=np.float64)
    v_inf = np.asarray(v_inf, dtype=np.float64)
    rn = float(np.linalg.norm(r))
    vn = float(np.linalg.norm(v_inf))
    if vn == 0.0:
        raise InputError("the target excess velocity must be non-zero")
    u = v_inf / vn
    cross = np.cross(r, v_inf)
    a = float(np.linalg.norm(cross))
    if a < 1e-9 * rn * vn:
        raise InputError("position parallel to the target asymptote: no escape conic")
    z = cross / a
    h = 0.5 * (a + math.sqrt(a * a + 4.0 * mu * (rn - float(np.dot(r, u)))))
    return v_inf + (mu / h) * np.cross(z, r / rn - u)


def hyperbola(r, v, mu: float = GM_EARTH):
    """C3 (m^2/s^2) and outgoing asymptote excess velocity vector (m/s) of a state.

    For a state that is not hyperbolic the vector is NaN (C3 <= 0).
    """
    r = np.asarray(r, dtype=np.float64)
    v = np.asarray(v, dtype=np.float64)
    rn = float(np.linalg.norm(r))
    c3 = float(np.dot(v, v)) - 2.0 * mu / rn
    if c3 <= 0.0:
        return c3, np.full(3, np.nan)
    h = np.cross(r, v)
    e_vec = np.cross(v, h) / mu - r / rn
    e = float(np.linalg.norm(e_vec))
    p_hat = e_vec / e
    q_hat = np.cross(h / np.linalg.norm(h), p_hat)
    u = (-1.0 / e) * p_hat + (math.sqrt(e * e - 1.0) / e) * q_hat
    return c3, math.sqrt(c3) * u


def angle_deg(a, b) -> float:
    """Angle (deg) between two vectors."""
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    c = float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))
    return math.degrees(math.acos(max(-1.0, min(1.0, c))))


def coast(r, v, dt: float) -> tuple[np.ndarray, np.ndarray]:
    """State (m, m/s) after ``dt`` seconds of unpowered flight over gravity with J2.

    The ascent frame's z axis is the Earth's pole, as :func:`marsprobe.ascent.earth.gravity`
    wants; ``dt`` of a few orbits costs milliseconds.
    """
    y0 = np.concatenate([np.asarray(r, float), np.asarray(v, float)])
    if dt <= 0.0:
        return y0[:3].copy(), y0[3:].copy()

    def rhs(t, y):
        g = gravity(y[0], y[1], y[2])
        return [y[3], y[4], y[5], g[0], g[1], g[2]]

    sol = solve(rhs, (0.0, dt), y0, method="DOP853", rtol=RTOL, atol=ATOL)
    return sol.y[:3, -1].copy(), sol.y[3:, -1].copy()


def attitude(r, v, pitch: float, yaw: float) -> np.ndarray:
    """Unit thrust direction ``pitch`` (rad) above the local horizontal in the direction of
    motion and ``yaw`` (rad) towards the orbit normal, at the state ``r``, ``v``."""
    r = np.asarray(r, float)
    up = r / np.linalg.norm(r)
    normal = np.cross(r, v)
    normal = normal / np.linalg.norm(normal)
    ahead = np.cross(normal, up)
    cy = math.cos(yaw)
    return cy * (math.cos(pitch) * ahead + math.sin(pitch) * up) + math.sin(yaw) * normal


@dataclass
class BurnResult:
    """End of an escape burn: ``reason`` is "target" (C3 reached), "dv" (velocity meter),
    "depleted" or "timeout"; ``t`` seconds after ignition; ``propellant_used`` kg."""

    reason: str
    t: float
    r: np.ndarray
    v: np.ndarray
    mass: float
    propellant_used: float
    c3: float
    v_inf: np.ndarray
    dv_ideal: float


def escape_burn(
    stage: Stage,
    propellant: float,
    r,
    v,
    mass: float,
    v_inf_target,
    pointing_error_deg: float = 0.0,
    max_burn_s: float = math.inf,
    prograde: bool = True,
    tumble_rate_deg_s: float = 0.0,
    dv_limit: float = math.inf,
    attitude=None,
    tumble_spinup_deg_s2: float = 0.0,
) -> BurnResult:
    """Fly the escape burn of ``stage`` from state ``r``, ``v`` (m, m/s, inertial).

    ``propellant`` (kg) is what the stage has left, ``mass`` (kg) the whole stack.
    ``attitude`` (a unit vector in the frame of ``r``) is the inertial thrust direction the
    stage holds; without it the thrust follows the velocity (``prograde=True``) or the
    velocity-to-be-gained towards ``v_inf_target`` (Battin 1999 ch. 14).
    ``pointing_error_deg`` turns the thrust about the orbit normal, ``tumble_rate_deg_s``
    keeps turning it at that rate and ``tumble_spinup_deg_s2`` speeds the turn up (a stage
    tumbling while it fires); ``max_burn_s`` stops the engine early (an explosion or an
    emergency cut-off). The engine is cut when the C3 of ``v_inf_target`` is reached (None:
    it burns to depletion) or when its ideal velocity gain reaches ``dv_limit`` (m/s, a
    velocity meter: ``reason`` "dv").
    """
    c3_target = float(np.dot(v_inf_target, v_inf_target)) if v_inf_target is not None else math.inf
    mdot = stage.mdot
    thrust = stage.thrust_vac
    err0 = math.radians(pointing_error_deg)
    rate = math.radians(tumble_rate_deg_s)
    spin = math.radians(tumble_spinup_deg_s2)
    h_axis = np.cross(r, v)
    h_axis = h_axis / np.linalg.norm(h_axis)
    held = None if attitude is None else np.asarray(attitude, float) / np.linalg.norm(attitude)
    turning = bool(err0 or rate or spin)

    def direction(t, y):
        if held is not None:
            d = held
        elif prograde:
            d = y[3:6] / math.sqrt(y[3] ** 2 + y[4] ** 2 + y[5] ** 2)
        else:
            d = required_velocity(y[0:3], v_inf_target) - y[3:6]
            d = d / np.linalg.norm(d)
        if turning:
            err = err0 + rate * t + 0.5 * spin * t * t
            c, s = math.cos(err), math.sin(err)
            d = d * c + np.cross(h_axis, d) * s + h_axis * float(np.dot(h_axis, d)) * (1 - c)
        return d

    def rhs(t, y):
        g = gravity(y[0], y[1], y[2])
        a = thrust / y[6]
        d = direction(t, y)
        return [y[3], y[4], y[5], g[0] + a * d[0], g[1] + a * d[1], g[2] + a * d[2], -mdot]

    def reached(t, y):
        rn = math.sqrt(y[0] ** 2 + y[1] ** 2 + y[2] ** 2)
        return y[3] ** 2 + y[4] ** 2 + y[5] ** 2 - 2.0 * GM_EARTH / rn - c3_target

    reached.terminal = True
    reached.direction = 1
    m_cut = mass * math.exp(-dv_limit / (stage.isp_vac * G0))

    def metered(t, y):
        return y[6] - m_cut

    metered.terminal = True
    metered.direction = -1
    t_end = min(propellant / mdot, max_burn_s)
    y0 = np.concatenate([np.asarray(r, float), np.asarray(v, float), [mass]])
    events = [reached] if math.isfinite(c3_target) else []
    if math.isfinite(dv_limit):
        events.append(metered)
    # a tumbling thrust must not be stepped over: cap the step at half a turn at the fastest
    max_step = math.pi / (rate + spin * t_end) if (rate or spin) else math.inf
    sol = solve(
        rhs,
        (0.0, t_end),
        y0,
        method="DOP853",
        rtol=RTOL,
        atol=ATOL + [1e-3],
        events=events,
        max_step=max_step,
    )
    y = sol.y[:, -1]
    t = float(sol.t[-1])
    if sol.status == 1:
        reason = "target" if events[0] is reached and sol.t_events[0].size else "dv"
    elif t_end == propellant / mdot:
        reason = "depleted"
    else:
        reason = "timeout"
    c3, vinf = hyperbola(y[0:3], y[3:6])
    used = mass - float(y[6])
    dv = stage.isp_vac * G0 * math.log(mass / float(y[6])) if used > 0 else 0.0
    return BurnResult(reason, t, y[0:3].copy(), y[3:6].copy(), float(y[6]), used, c3, vinf, dv)


# ---- aiming: the timer and the held attitude that put the asymptote on the target --------

Shoot = Callable[[float, float, float], tuple[float, np.ndarray]]
"""``shoot(coast_s, pitch, yaw) -> (propellant_kg, v_inf)``: fly the coast and the burn
held at the attitude of :func:`attitude` at ignition, cut off on the target C3, and return
what it burnt and the excess velocity vector it left on (m/s, NaN if not hyperbolic)."""


@dataclass
class Aim:
    """A designed escape: coast (s), held attitude angles at ignition (rad), what the burn
    used (kg) and left on (``v_inf``, m/s), its angle from the target (deg) and how much of
    the turn out of the cheapest direction was bought (``share`` 1: all of it)."""

    coast: float
    pitch: float
    yaw: float
    cost: float
    v_inf: np.ndarray
    error_deg: float
    share: float


def _basis(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two unit vectors perpendicular to ``u`` and to each other."""
    seed = np.array([0.0, 0.0, 1.0]) if abs(u[2]) < 0.9 else np.array([1.0, 0.0, 0.0])
    e1 = np.cross(seed, u)
    e1 /= np.linalg.norm(e1)
    return e1, np.cross(u, e1)


def _slerp(a: np.ndarray, b: np.ndarray, s: float) -> np.ndarray:
    """Unit vector a fraction ``s`` of the way from unit ``a`` to unit ``b`` on their arc."""
    ang = math.acos(max(-1.0, min(1.0, float(np.dot(a, b)))))
    if ang < 1e-12:
        return b.copy()
    return (math.sin((1 - s) * ang) * a + math.sin(s * ang) * b) / math.sin(ang)


def aim_angles(
    shoot: Shoot, u: np.ndarray, coast_s: float, guess=(0.0, 0.0), tol: float = 1e-9
) -> Aim:
    """The held attitude that, after a coast of ``coast_s``, leaves on the unit asymptote
    ``u``: Newton's method on (pitch, yaw) with a forward-difference Jacobian.

    ``tol`` bounds the miss (rad). Raises ConvergenceError if 16 steps do not reach it."""
    e1, e2 = _basis(u)
    h = 1e-6

    def miss(x):
        cost, v_inf = shoot(coast_s, float(x[0]), float(x[1]))
        w = v_inf / np.linalg.norm(v_inf)
        return np.array([w @ e1, w @ e2]), cost, v_inf

    x = np.asarray(guess, float)
    f, cost, v_inf = miss(x)
    for _ in range(16):
        if not np.all(np.isfinite(f)):
            raise ConvergenceError("escape aim: the trial burn did not leave the Earth")
        norm = float(np.linalg.norm(f))
        if norm < tol:
            return Aim(coast_s, x[0], x[1], cost, v_inf, angle_deg(v_inf, u), 1.0)
        jac = np.empty((2, 2))
        for j in range(2):
            xj = x.copy()
            xj[j] += h
            jac[:, j] = (miss(xj)[0] - f) / h
        step = np.linalg.solve(jac, -f)
        lam = 1.0
        while True:  # halve the step until the miss shrinks
            trial = miss(x + lam * step)
            if np.all(np.isfinite(trial[0])) and np.linalg.norm(trial[0]) < norm or lam < 1e-3:
                break
            lam *= 0.5
        x = np.remainder(x + lam * step + math.pi, 2.0 * math.pi) - math.pi
        f, cost, v_inf = trial
    raise ConvergenceError(f"escape aim: attitude not converged (miss {np.linalg.norm(f):.1e})")


def aim_burn(
    shoot: Shoot,
    u: np.ndarray,
    coast_s: float,
    budget: float,
    normal: np.ndarray,
    window_s: float = 0.0,
    guess=(0.0, 0.0),
) -> Aim:
    """Coast and held attitude that put the asymptote on unit ``u`` for the least propellant.

    ``coast_s`` is the first guess of the coast (s) and ``window_s`` how far either side of
    it to look (0: the coast is fixed, a recorded timer); ``normal`` is the parking orbit's
    unit normal and ``budget`` (kg) the propellant the burn may use. If the whole target is
    beyond the budget, the aim is moved along the great circle from the cheapest direction
    (``u`` projected into the parking plane when the coast is free; the asymptote of the
    best attitude without yaw when it is fixed) to ``u`` as far as the budget allows.
    """
    from scipy.optimize import minimize_scalar

    state = {"x": np.asarray(guess, float)}

    def at(coast: float, target: np.ndarray) -> Aim:
        aim = aim_angles(shoot, target, coast, state["x"])
        state["x"] = np.array([aim.pitch, aim.yaw])
        return aim

    def best(target: np.ndarray) -> Aim:
        if window_s <= 0.0:
            return at(coast_s, target)
        found: dict[float, Aim] = {}

        def cost(c: float) -> float:
            try:
                found[c] = at(c, target)
            except ConvergenceError:  # no attitude reaches the target from there
                return math.inf
            return found[c].cost

        res = minimize_scalar(
            cost,
            bounds=(coast_s - window_s, coast_s + window_s),
            method="bounded",
            options={"xatol": 0.5},
        )
        return found[float(res.x)] if float(res.x) in found else at(float(res.x), target)

    full = best(u)
    if full.cost <= budget:
        return full
    if window_s > 0.0:
        flat = u - normal * float(np.dot(u, normal))
        start = flat / np.linalg.norm(flat)
    else:
        pitch = minimize_scalar(
            lambda p: shoot(coast_s, p, 0.0)[0], bounds=(-1.2, 1.2), method="bounded"
        ).x
        v0 = shoot(coast_s, float(pitch), 0.0)[1]
        start = v0 / np.linalg.norm(v0)
        state["x"] = np.array([float(pitch), 0.0])
    lo, hi = 0.0, 1.0
    low = best(start)
    if low.cost > budget:  # not even the cheapest direction: report it as it is
        return Aim(low.coast, low.pitch, low.yaw, low.cost, low.v_inf, angle_deg(low.v_inf, u), 0.0)
    for _ in range(10):  # the share to 0.1 %
        mid = 0.5 * (lo + hi)
        trial = best(_slerp(start, u, mid))
        if trial.cost <= budget:
            lo, low = mid, trial
        else:
            hi = mid
    return Aim(low.coast, low.pitch, low.yaw, low.cost, low.v_inf, angle_deg(low.v_inf, u), lo)
