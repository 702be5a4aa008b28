"""The escape burn: from a parking orbit onto the departure hyperbola the mission asks for.

The stage thrusts along its velocity (the attitude programme of the Block L and Block D
escape burns, which had no Lambert solver on board) and its engine is cut when the
osculating C3 reaches the target; where the asymptote then points is set by where the
burn happened, i.e. by the flight sequence's timer. The burn is integrated (finite thrust,
so the gravity losses are in the result, not estimated) with scipy ``solve_ivp`` DOP853
(``rtol=1e-10``) over gravity with J2.

:func:`required_velocity` gives, for design and checks, the velocity at a point on the
conic that leaves the Earth with a given excess velocity vector: with ``u`` the unit
vector of ``v_inf`` and ``z`` the unit normal of the plane of ``r`` and ``v_inf``,
conservation of the Laplace vector between ``r`` and infinity gives

    v_req = v_inf + (mu / h) z x (r_hat - u),
    h = (A + sqrt(A^2 + 4 mu (|r| - r . u))) / 2,   A = |r x v_inf|

(our derivation; it reduces to the parabola's escape speed when ``v_inf -> 0``). Steering
along ``v_req - v`` (velocity-to-be-gained, Battin 1999 ch. 14) is available too, but for
a 500 s burn from a low orbit it loses a third of the C3 against velocity-following, so the
phase uses the latter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from marsprobe.ascent.earth import gravity
from marsprobe.ascent.vehicle import Stage
from marsprobe.constants import GM_EARTH
from marsprobe.errors import InputError


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


@dataclass
class BurnResult:
    """End of an escape burn: ``reason`` is "target" (C3 reached), "depleted" or "timeout";
    ``t`` seconds after ignition; ``propellant_used`` kg."""

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
) -> BurnResult:
    """Fly the escape burn of ``stage`` from state ``r``, ``v`` (m, m/s, inertial).

    ``propellant`` (kg) is what the stage has left, ``mass`` (kg) the whole stack.
    ``pointing_error_deg`` turns the thrust away from the guidance's wish about the orbit
    normal, and ``tumble_rate_deg_s`` keeps turning it at that rate (an attitude that was
    not held: a stage tumbling while it fires); ``max_burn_s`` stops the engine early (an
    explosion or an emergency cut-off). ``prograde=True`` (the default) thrusts along the
    velocity; ``False`` steers along velocity-to-be-gained. With ``v_inf_target`` None the
    stage burns to depletion. ``dv_limit`` (m/s) cuts the engine when its ideal velocity
    gain reaches it (a velocity meter's cut-off: ``reason`` "dv").
    """
    from scipy.integrate import solve_ivp

    c3_target = float(np.dot(v_inf_target, v_inf_target)) if v_inf_target is not None else math.inf
    mdot = stage.mdot
    thrust = stage.thrust_vac
    err0 = math.radians(pointing_error_deg)
    rate = math.radians(tumble_rate_deg_s)
    h_axis = np.cross(r, v)
    h_axis = h_axis / np.linalg.norm(h_axis)

    def direction(t, y):
        rr, vv = y[0:3], y[3:6]
        err = err0 + rate * t
        if prograde:
            d = vv
        else:
            d = required_velocity(rr, v_inf_target) - vv
        d = d / np.linalg.norm(d)
        if err:
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
    m_cut = mass * math.exp(-dv_limit / (stage.isp_vac * 9.80665))

    def metered(t, y):
        return y[6] - m_cut

    metered.terminal = True
    metered.direction = -1
    t_end = min(propellant / mdot, max_burn_s)
    y0 = np.concatenate([np.asarray(r, float), np.asarray(v, float), [mass]])
    events = [reached] if math.isfinite(c3_target) else []
    if math.isfinite(dv_limit):
        events.append(metered)
    sol = solve_ivp(
        rhs,
        (0.0, t_end),
        y0,
        method="DOP853",
        rtol=1e-10,
        atol=[1e-3] * 3 + [1e-6] * 3 + [1e-3],
        events=events,
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
    dv = stage.isp_vac * 9.80665 * math.log(mass / float(y[6])) if used > 0 else 0.0
    return BurnResult(reason, t, y[0:3].copy(), y[3:6].copy(), float(y[6]), used, c3, vinf, dv)
