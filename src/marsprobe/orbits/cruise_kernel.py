"""The compiled cruise: n-body equations of motion and a per-trajectory DOP853 step loop.

Integrator: the explicit Runge-Kutta pair of order 8 with embedded 5th- and 3rd-order error
estimates of Dormand & Prince (Hairer, Norsett & Wanner, "Solving Ordinary Differential
Equations I", 2nd ed., Springer 1993, sec. II.5 for the 12-stage tableau and the combined error
estimate, sec. II.4 for the step-size control and the starting step). The tableau's numbers are
read at run time from scipy's copy of the published coefficients (:func:`tableau`), not restated
here; the step loop follows the same control as scipy's ``solve_ivp(method="DOP853")`` (safety
factor 0.9, step ratio within [0.2, 10], error exponent -1/8, RMS norm of the scaled error), so
a trajectory flown here and there takes the same steps until rounding noise in an error estimate
(the first, tiny steps) sizes one differently; from there the two differ by their integration
errors (tests/test_nbody.py). Why by hand: scipy's integrator calls a Python right-hand side
once per stage (35 us each, 92 % of a catalog replay), and a batch solved as one system shares
its steps, which makes each member depend on its batch-mates. Here each member of a batch is
integrated on its own, with its own step control, inside compiled code.

Right-hand side: the equation of :mod:`marsprobe.orbits.nbody` (third-body form, Montenbruck &
Gill, "Satellite Orbits", 2000, eq. 3.37; the centre's ephemeris-minus-model acceleration; the
J2 zonal term, ibid. sec. 3.2; an optional thrust of constant magnitude and falling mass), with
the bodies' positions from the cubic Hermite interpolation of :class:`SampledEphemeris`
evaluated here too.

Stops (terminal events) are compiled as well: at each accepted step their functions are
compared with the last step's; a sign change in the wanted direction (the rule of scipy's
events) is located by the Illinois variant of regula falsi on fresh steps from the step's
start, each of them shorter than the accepted step and so at least as accurate.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from numba import njit

from marsprobe.orbits.ode import dop853_tableau

# ---- the tableau ----------------------------------------------------------------------------


@functools.cache
def tableau() -> tuple[np.ndarray, ...]:
    """The Dormand-Prince 8(5,3) coefficients ``A`` (12, 12), ``B`` (12,), ``C`` (12,) and
    the error weights ``E3``, ``E5`` (13,), from scipy's file of them
    (:func:`marsprobe.orbits.ode.dop853_tableau`)."""
    tab = dop853_tableau()
    n = tab.N_STAGES
    return tuple(
        np.ascontiguousarray(x, dtype=np.float64)
        for x in (tab.A[:n, :n], tab.B, tab.C[:n], tab.E3, tab.E5)
    )


# ---- the packed model -----------------------------------------------------------------------
# Scalars of the force model travel in one float array (indices below) so that the compiled
# signature stays fixed.
P_EPOCH, P_STEP, P_CENTER, P_CORRECT, P_J2 = 0, 1, 2, 3, 4
P_POLE = 5  # 5, 6, 7: unit vector of the centre's north pole
P_THRUST, P_MASS, P_MDOT, P_TSTART, P_MODE = 8, 9, 10, 11, 12
P_DIR = 13  # 13, 14, 15: fixed thrust direction
N_PAR = 16
THRUST_NONE, THRUST_RETRO, THRUST_FIXED = 0, 1, 2

# Stops: one row each of [kind, body, value, direction, p0, p1, p2, q0, q1].
DISTANCE, APSIS, ALTITUDE, ENERGY = 0, 1, 2, 3
N_STOP = 9

SAFETY, MIN_FACTOR, MAX_FACTOR = 0.9, 0.2, 10.0  # Hairer et al. sec. II.4, as scipy
ERROR_EXPONENT = -1.0 / 8.0  # -1 / (error estimator order 7 + 1)


@njit(cache=True)
def _locate(t, par, n):
    x = (t - par[P_EPOCH]) / par[P_STEP]
    i = int(math.floor(x))
    i = min(max(i, 0), n - 2)
    return i, x - i


@njit(cache=True)
def body_positions(t, ep, ev, par, pos):
    """Hermite-interpolated positions (nb, 3), m, of every body at ``t`` into ``pos``."""
    i, s = _locate(t, par, ep.shape[0])
    h = par[P_STEP]
    s2 = s * s
    h00 = (1.0 + 2.0 * s) * (1.0 - s) ** 2
    h10 = s * (1.0 - s) ** 2 * h
    h01 = s2 * (3.0 - 2.0 * s)
    h11 = s2 * (s - 1.0) * h
    for k in range(ep.shape[1]):
        for j in range(3):
            a = h00 * ep[i, k, j] + h10 * ev[i, k, j]
            pos[k, j] = a + h01 * ep[i + 1, k, j] + h11 * ev[i + 1, k, j]


@njit(cache=True)
def _relative_state(t, b, ep, ev, par, out):
    """Position and velocity (6,) of body ``b`` relative to the centre at ``t``."""
    i, s = _locate(t, par, ep.shape[0])
    h = par[P_STEP]
    c = int(par[P_CENTER])
    s2 = s * s
    h00 = (1.0 + 2.0 * s) * (1.0 - s) ** 2
    h10 = s * (1.0 - s) ** 2 * h
    h01 = s2 * (3.0 - 2.0 * s)
    h11 = s2 * (s - 1.0) * h
    d00 = (6.0 * s2 - 6.0 * s) / h
    d10 = 3.0 * s2 - 4.0 * s + 1.0
    d01 = (6.0 * s - 6.0 * s2) / h
    d11 = 3.0 * s2 - 2.0 * s
    for j in range(3):
        dp0 = ep[i, b, j] - ep[i, c, j]
        dp1 = ep[i + 1, b, j] - ep[i + 1, c, j]
        dv0 = ev[i, b, j] - ev[i, c, j]
        dv1 = ev[i + 1, b, j] - ev[i + 1, c, j]
        out[j] = h00 * dp0 + h10 * dv0 + h01 * dp1 + h11 * dv1
        out[3 + j] = d00 * dp0 + d10 * dv0 + d01 * dp1 + d11 * dv1


@njit(cache=True)
def rhs(t, y, f, ep, ev, eda, gm, par, pos):
    """Time derivative ``f`` (6,) of the state ``y`` (6,), m and m/s, relative to the centre."""
    body_positions(t, ep, ev, par, pos)
    c = int(par[P_CENTER])
    ax = ay = az = 0.0
    x, yy, z = y[0], y[1], y[2]
    for k in range(ep.shape[1]):
        dx = pos[k, 0] - pos[c, 0]
        dy = pos[k, 1] - pos[c, 1]
        dz = pos[k, 2] - pos[c, 2]
        rx, ry, rz = dx - x, dy - yy, dz - z
        rho3 = (rx * rx + ry * ry + rz * rz) ** 1.5
        ax += gm[k] * rx / rho3
        ay += gm[k] * ry / rho3
        az += gm[k] * rz / rho3
        if k != c:  # the indirect term: the centre's own fall towards body k
            d3 = (dx * dx + dy * dy + dz * dz) ** 1.5
            ax -= gm[k] * dx / d3
            ay -= gm[k] * dy / d3
            az -= gm[k] * dz / d3
    if par[P_CORRECT] != 0.0:  # the centre's ephemeris-minus-model acceleration, linear
        i, s = _locate(t, par, ep.shape[0])
        ax -= (1.0 - s) * eda[i, c, 0] + s * eda[i + 1, c, 0]
        ay -= (1.0 - s) * eda[i, c, 1] + s * eda[i + 1, c, 1]
        az -= (1.0 - s) * eda[i, c, 2] + s * eda[i + 1, c, 2]
    if par[P_J2] != 0.0:
        px, py, pz = par[P_POLE], par[P_POLE + 1], par[P_POLE + 2]
        rn2 = x * x + yy * yy + z * z
        zp = x * px + yy * py + z * pz
        fj = par[P_J2] / rn2**2.5
        w = 5.0 * zp * zp / rn2 - 1.0
        ax += fj * (w * x - 2.0 * zp * px)
        ay += fj * (w * yy - 2.0 * zp * py)
        az += fj * (w * z - 2.0 * zp * pz)
    mode = int(par[P_MODE])
    if mode != THRUST_NONE:
        acc = par[P_THRUST] / (par[P_MASS] - par[P_MDOT] * (t - par[P_TSTART]))
        if mode == THRUST_RETRO:  # against the velocity
            vn = math.sqrt(y[3] * y[3] + y[4] * y[4] + y[5] * y[5])
            ax -= acc * y[3] / vn
            ay -= acc * y[4] / vn
            az -= acc * y[5] / vn
        else:
            ax += acc * par[P_DIR]
            ay += acc * par[P_DIR + 1]
            az += acc * par[P_DIR + 2]
    f[0], f[1], f[2] = y[3], y[4], y[5]
    f[3], f[4], f[5] = ax, ay, az


@njit(cache=True)
def stop_value(t, y, row, ep, ev, par, work):
    """The function of the stop ``row`` (see the row layout above) at ``t``, ``y``."""
    kind = int(row[0])
    if kind == DISTANCE or kind == APSIS:
        _relative_state(t, int(row[1]), ep, ev, par, work)
        rx, ry, rz = y[0] - work[0], y[1] - work[1], y[2] - work[2]
        if kind == DISTANCE:
            return math.sqrt(rx * rx + ry * ry + rz * rz) - row[2]
        return rx * (y[3] - work[3]) + ry * (y[4] - work[4]) + rz * (y[5] - work[5])
    rn = math.sqrt(y[0] * y[0] + y[1] * y[1] + y[2] * y[2])
    if kind == ALTITUDE:  # above the ellipsoid of equatorial radius q0, polar q1
        sl = (y[0] * row[4] + y[1] * row[5] + y[2] * row[6]) / rn
        cl = math.sqrt(max(0.0, 1.0 - sl * sl))
        a, b = row[7], row[8]
        return rn - a * b / math.sqrt((b * cl) ** 2 + (a * sl) ** 2) - row[2]
    v2 = y[3] * y[3] + y[4] * y[4] + y[5] * y[5]  # ENERGY: specific energy about the centre
    return 0.5 * v2 - row[7] / rn - row[2]


# ---- one member -----------------------------------------------------------------------------


@njit(cache=True)
def _rk_step(t, y, f, h, tab, ep, ev, eda, gm, par, pos, K, tmp, y_new):
    """One DOP853 step of size ``h``: fills the 13 stages ``K`` and ``y_new``."""
    A, B, C = tab[0], tab[1], tab[2]
    K[0, :] = f
    for s in range(1, 12):
        for i in range(6):
            acc = 0.0
            for j in range(s):
                acc += A[s, j] * K[j, i]
            tmp[i] = y[i] + h * acc
        rhs(t + C[s] * h, tmp, K[s], ep, ev, eda, gm, par, pos)
    for i in range(6):
        acc = 0.0
        for j in range(12):
            acc += B[j] * K[j, i]
        y_new[i] = y[i] + h * acc
    rhs(t + h, y_new, K[12], ep, ev, eda, gm, par, pos)


@njit(cache=True)
def _error_norm(K, h, y, y_new, rtol, atol, tab):
    E3, E5 = tab[3], tab[4]
    e5 = 0.0
    e3 = 0.0
    for i in range(6):
        scale = atol[i] + max(abs(y[i]), abs(y_new[i])) * rtol
        a5 = 0.0
        a3 = 0.0
        for j in range(13):
            a5 += K[j, i] * E5[j]
            a3 += K[j, i] * E3[j]
        e5 += (a5 / scale) ** 2
        e3 += (a3 / scale) ** 2
    if e5 == 0.0 and e3 == 0.0:
        return 0.0
    return abs(h) * e5 / math.sqrt((e5 + 0.01 * e3) * 6.0)


@njit(cache=True)
def _rms(x, scale):
    acc = 0.0
    for i in range(6):
        acc += (x[i] / scale[i]) ** 2
    return math.sqrt(acc / 6.0)


@njit(cache=True)
def _first_step(t0, y0, f0, t1, rtol, atol, ep, ev, eda, gm, par, pos):
    """The starting step of Hairer et al. (sec. II.4), as scipy's ``select_initial_step``."""
    span = abs(t1 - t0)
    direction = 1.0 if t1 > t0 else -1.0
    scale = np.empty(6)
    for i in range(6):
        scale[i] = atol[i] + abs(y0[i]) * rtol
    d0 = _rms(y0, scale)
    d1 = _rms(f0, scale)
    h0 = 1e-6 if (d0 < 1e-5 or d1 < 1e-5) else 0.01 * d0 / d1
    h0 = min(h0, span)
    y1 = y0 + h0 * direction * f0
    f1 = np.empty(6)
    rhs(t0 + h0 * direction, y1, f1, ep, ev, eda, gm, par, pos)
    d2 = _rms(f1 - f0, scale) / h0
    if d1 <= 1e-15 and d2 <= 1e-15:
        h1 = max(1e-6, h0 * 1e-3)
    else:
        h1 = (0.01 / max(d1, d2)) ** (1.0 / 8.0)
    return min(100.0 * h0, h1, span)


@njit(cache=True)
def _crossed(g0, g1, direction):
    up = g0 <= 0.0 and g1 >= 0.0
    down = g0 >= 0.0 and g1 <= 0.0
    if direction > 0.0:
        return up
    if direction < 0.0:
        return down
    return up or down


@njit(cache=True)
def _root(t, y, f, h, g0, g1, row, tab, ep, ev, eda, gm, par, pos, K, tmp, y_at):
    """Where the stop ``row`` fires inside the step (t, t + h): the step length ``tau`` at
    which its function vanishes (Illinois regula falsi on fresh steps from ``t``), and the
    state there in ``y_at``."""
    work = np.empty(6)
    a, b = 0.0, h
    ga, gb = g0, g1
    side = 0
    tol = 4.0 * 2.2e-16 * max(abs(t), abs(t + h)) + 1e-9
    tau = b
    for _ in range(200):
        if ga == 0.0:
            tau = a
            break
        if gb == 0.0 or abs(b - a) <= tol:
            tau = b
            break
        tau = (a * gb - b * ga) / (gb - ga)
        _rk_step(t, y, f, tau, tab, ep, ev, eda, gm, par, pos, K, tmp, y_at)
        g = stop_value(t + tau, y_at, row, ep, ev, par, work)
        if (g > 0.0) == (gb > 0.0):
            b, gb = tau, g
            if side == -1:
                ga *= 0.5
            side = -1
        else:
            a, ga = tau, g
            if side == 1:
                gb *= 0.5
            side = 1
    if tau == 0.0:
        y_at[:] = y
    else:
        _rk_step(t, y, f, tau, tab, ep, ev, eda, gm, par, pos, K, tmp, y_at)
    return tau


@njit(cache=True)
def integrate(t0, y0, t1, rtol, atol, tab, ep, ev, eda, gm, par, stops, rec, y_out):
    """Fly one trajectory from ``t0`` to ``t1`` or its first stop.

    Returns ``(t, fired, steps, status)``: the end epoch (state in ``y_out``), the row of the
    stop that fired (-1: none), the number of accepted steps (their epochs and states are
    written to ``rec`` (M, 7) as far as it holds them), and 0, or -1 if the step fell below
    the resolution of the epoch.
    """
    direction = 1.0 if t1 > t0 else -1.0
    pos = np.empty((ep.shape[1], 3))
    work = np.empty(6)
    K = np.empty((13, 6))
    tmp = np.empty(6)
    y = y0.copy()
    y_new = np.empty(6)
    f = np.empty(6)
    rhs(t0, y, f, ep, ev, eda, gm, par, pos)
    h_abs = _first_step(t0, y, f, t1, rtol, atol, ep, ev, eda, gm, par, pos)
    ns = stops.shape[0]
    g_old = np.empty(ns)
    for k in range(ns):
        g_old[k] = stop_value(t0, y, stops[k], ep, ev, par, work)
    f_new = np.empty(6)
    y_best = np.empty(6)
    y_at = np.empty(6)
    K2 = np.empty((13, 6))
    t = t0
    steps = 0
    while True:
        min_step = 10.0 * abs(np.nextafter(t, direction * np.inf) - t)
        h_abs = max(h_abs, min_step)
        rejected = False
        while True:
            if h_abs < min_step:
                y_out[:] = y
                return t, -1, steps, -1
            t_new = t + h_abs * direction
            if direction * (t_new - t1) > 0.0:
                t_new = t1
            h = t_new - t
            h_abs = abs(h)
            _rk_step(t, y, f, h, tab, ep, ev, eda, gm, par, pos, K, tmp, y_new)
            err = _error_norm(K, h, y, y_new, rtol, atol, tab)
            if err < 1.0:
                factor = MAX_FACTOR if err == 0.0 else min(MAX_FACTOR, SAFETY * err**ERROR_EXPONENT)
                if rejected:
                    factor = min(1.0, factor)
                h_abs *= factor
                break
            h_abs *= max(MIN_FACTOR, SAFETY * err**ERROR_EXPONENT)
            rejected = True
        f_new[:] = K[12]
        fired = -1
        tau_best = 0.0
        for k in range(ns):
            g_new = stop_value(t_new, y_new, stops[k], ep, ev, par, work)
            if _crossed(g_old[k], g_new, stops[k, 3]):
                tau = _root(
                    t,
                    y,
                    f,
                    h,
                    g_old[k],
                    g_new,
                    stops[k],
                    tab,
                    ep,
                    ev,
                    eda,
                    gm,
                    par,
                    pos,
                    K2,
                    tmp,
                    y_at,
                )
                if fired < 0 or abs(tau) < abs(tau_best):
                    fired, tau_best = k, tau
                    y_best[:] = y_at
            g_old[k] = g_new
        if fired >= 0:
            t = t + tau_best
            y[:] = y_best
        else:
            t = t_new
            y[:] = y_new
            f[:] = f_new
        if steps < rec.shape[0]:
            rec[steps, 0] = t
            rec[steps, 1:] = y
        steps += 1
        if fired >= 0 or direction * (t - t1) >= 0.0:
            y_out[:] = y
            return t, fired, steps, 0


@njit(cache=True)
def fly_batch(t0, Y0, t1, rtol, atol, tab, ep, ev, eda, gm, par, stops, rec, Y):
    """Fly every member of ``Y0`` (N, 6) on its own: member 0 to ``t1`` or its first stop,
    the others to the epoch member 0 ended at (no stops). End states in ``Y``; returns
    member 0's ``(t, fired, steps, status)`` (see :func:`integrate`), status -1-k if member
    k failed instead."""
    t_end, fired, steps, status = integrate(
        t0, Y0[0], t1, rtol, atol, tab, ep, ev, eda, gm, par, stops, rec, Y[0]
    )
    if status < 0:
        return t_end, fired, steps, status
    none = np.empty((0, N_STOP))
    scratch = np.empty((0, 7))
    for k in range(1, Y0.shape[0]):
        if t_end == t0:
            Y[k] = Y0[k]
            continue
        _, _, _, st = integrate(
            t0, Y0[k], t_end, rtol, atol, tab, ep, ev, eda, gm, par, none, scratch, Y[k]
        )
        if st < 0:
            return t_end, fired, steps, -1 - k
    return t_end, fired, steps, 0
