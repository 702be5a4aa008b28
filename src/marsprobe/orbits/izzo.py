"""Lambert's problem by Izzo's method: the compiled kernel (public API in ``lambert.py``).

Reference: D. Izzo, "Revisiting Lambert's problem", Celestial Mechanics and
Dynamical Astronomy 121 (2015) 1-15, doi:10.1007/s10569-014-9587-y.

The boundary-value problem (two positions, a time of flight, a number of whole
revolutions M) is reduced to one scalar equation T(x) = T* in the variable x of
the paper (x < 1 ellipse, x = 1 parabola, x > 1 hyperbola), with
lambda^2 = 1 - c/s (c chord, s semi-perimeter) and T* = sqrt(2 mu / s^3) tof.
It is solved by third-order Householder iterations from the paper's starting
guesses, and the velocities follow from x in closed form. Implementation notes,
all about keeping full float64 accuracy and never returning a wrong answer:

* T(x) uses the Lagrange/Lancaster form with psi from ``atan2``/``asinh`` (the
  ``arccos`` form loses half the digits near x = -1, the long-flight end) and
  Battin's hypergeometric series where |x - 1| < 0.01 (the closed form cancels
  there). Inside that band the step is a Newton step with the series' own
  derivative, because the paper's derivative formulas divide by 1 - x^2.
* 1 - lambda^2 is carried as c/s, and differences such as y - lambda x are
  rewritten as quotients where they would cancel (short flights, x >> 1).
* Every iteration keeps a bracket on which T(x) is monotonic (M = 0: all of
  (-1, inf); M >= 1: one branch on each side of the minimum-time point) and
  bisects when a step would leave it.
* The middle starting guess for M = 0 is the interpolation that actually meets
  x = 0 at T00 and x = 1 at T1 (the piecewise formula printed after eq. 30 of the
  paper does not; see poliastro issue #1362).
* For M >= 1 the minimum time T_min(M) is found first (Halley's method on
  dT/dx = 0); below it there is no solution.

``low_path=True`` selects, for M >= 1, the root with the larger x (Izzo's
"right" branch); this is the meaning of ``low_path`` in poliastro/hapsira and
lamberthub, so results can be compared one to one.

A problem comes back with ``ok=False`` and NaN velocities, never a wrong answer,
when: the time of flight is not positive and finite; a position is zero or not
finite; M is above the number of revolutions the time allows or the time is
below T_min(M); the transfer angle is within ``SIN_TRANSFER_MIN`` of 0 or 180
degrees (see below); or the iteration did not converge.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

__all__ = ["SIN_TRANSFER_MIN", "lambert_batch", "min_tof_batch"]

SIN_TRANSFER_MIN = 1e-7
"""Smallest |sin(transfer angle)| accepted.

The transfer plane is the plane of r1 and r2; its normal is r1 x r2 / |r1 x r2|,
whose rounding error is about 2.2e-16 / |sin theta| (relative). The velocity
inherits that error through the tangential unit vectors, so with
|sin theta| >= 1e-7 it stays below ~2e-9, inside the 1e-8 agreement the tests
hold the solver to. Closer to 0 or 180 degrees the plane, and with it the answer,
is not determined by float64 positions, so the problem is flagged instead.
"""

_BATTIN_BAND = 0.01  # |x - 1| below which Battin's series replaces the closed form
_MAXITER = 35
_XTOL = 1e-13
_PI = math.pi


@njit(cache=True, error_model="numpy")
def _hyp2f1b(z):
    """Gauss 2F1(3, 1; 5/2; z) and its derivative, by the power series (|z| < 1)."""
    f = 1.0
    df = 0.0
    a = 1.0  # series coefficient of z^k
    zk = 1.0  # z^k
    for k in range(400):
        a *= (3.0 + k) / (2.5 + k)
        df += (k + 1) * a * zk
        zk *= z
        term = a * zk
        f += term
        if abs(term) <= 1e-17 * abs(f):
            break
    return f, df


@njit(cache=True, error_model="numpy")
def _tof(x, lam, omll, m):
    """Non-dimensional time of flight T(x) for M = m revolutions.

    omll is 1 - lam^2 (= c/s) given exactly. Returns T and, inside Battin's band,
    dT/dx from the series (else NaN: the caller uses the closed-form derivatives).
    """
    e = (x - 1.0) * (x + 1.0)  # x^2 - 1
    y = math.sqrt(omll + lam * lam * x * x)
    if lam * x > 0.0:
        eta = omll / (y + lam * x)  # y - lam x without cancellation
    else:
        eta = y - lam * x
    if abs(x - 1.0) < _BATTIN_BAND:
        s1 = 0.5 * (1.0 - lam - x * eta)
        f, df = _hyp2f1b(s1)
        q = 4.0 / 3.0 * f
        dq = 4.0 / 3.0 * df
        t = 0.5 * (eta * eta * eta * q + 4.0 * lam * eta)
        deta = -lam * eta / y
        ds1 = -0.5 * (eta + x * deta)
        dt = 0.5 * (3.0 * eta * eta * deta * q + eta * eta * eta * dq * ds1 + 4.0 * lam * deta)
        if m > 0:
            w = -e
            t += m * _PI / (w * math.sqrt(w))
            dt += 3.0 * m * _PI * x / (w * w * math.sqrt(w))
        return t, dt
    if e < 0.0:
        w = -e
        sw = math.sqrt(w)
        psi = math.atan2(sw * eta, x * y - lam * e)
        return ((psi + m * _PI) / sw - x + lam * y) / w, math.nan
    se = math.sqrt(e)
    psi = math.asinh(se * eta)
    if lam * x > 0.0:
        xmly = omll * (x * x * (1.0 + lam * lam) - lam * lam) / (x + lam * y)
    else:
        xmly = x - lam * y
    return (xmly - psi / se) / e, math.nan


@njit(cache=True, error_model="numpy")
def _derivatives(x, t, lam, omll):
    """dT/dx, d2T/dx2, d3T/dx3 from Izzo's eq. 22 (singular at x = 1)."""
    y = math.sqrt(omll + lam * lam * x * x)
    u = 1.0 / ((1.0 - x) * (1.0 + x))
    l2 = lam * lam
    l3 = l2 * lam
    d1 = (3.0 * t * x - 2.0 + 2.0 * l3 * x / y) * u
    d2 = (3.0 * t + 5.0 * x * d1 + 2.0 * omll * l3 / (y * y * y)) * u
    d3 = (7.0 * x * d2 + 8.0 * d1 - 6.0 * omll * l3 * l2 * x / (y * y * y * y * y)) * u
    return d1, d2, d3


@njit(cache=True, error_model="numpy")
def _tmin(lam, omll, m):
    """(x, T) at the minimum time of flight for m >= 1 revolutions, or (nan, nan)."""
    # dT/dx = -2 at x = 0 for every lambda, so the minimum lies in (0, 1).
    lo = 0.0
    hi = 1.0
    x = 0.0
    for _ in range(_MAXITER):
        t, _unused = _tof(x, lam, omll, m)
        d1, d2, d3 = _derivatives(x, t, lam, omll)
        if d1 < 0.0:
            lo = x
        else:
            hi = x
        den = 2.0 * d2 * d2 - d1 * d3
        new = x - 2.0 * d1 * d2 / den if den != 0.0 else math.nan
        if abs(new - x) <= _XTOL:
            t, _unused = _tof(new, lam, omll, m)
            return new, t
        if not (lo < new < hi):
            new = 0.5 * (lo + hi)
        x = new
    return math.nan, math.nan


@njit(cache=True, error_model="numpy")
def _solve_x(tstar, lam, omll, m, low_path):
    """Root x of T(x) = tstar on the branch asked for; NaN if none or no convergence."""
    if m == 0:
        t00 = math.atan2(math.sqrt(omll), lam) + lam * math.sqrt(omll)
        t1 = 2.0 / 3.0 * (1.0 - lam * lam * lam)
        if tstar >= t00:
            x = (t00 / tstar) ** (2.0 / 3.0) - 1.0
        elif tstar < t1:
            x = 2.5 * t1 * (t1 - tstar) / (tstar * (1.0 - lam**5)) + 1.0
        else:
            x = 2.0 ** (math.log(tstar / t00) / math.log(t1 / t00)) - 1.0
        lo = -1.0
        hi = math.inf
        increasing = False
    else:
        if tstar < m * _PI:
            return math.nan
        xm, tm = _tmin(lam, omll, m)
        if not (tstar >= tm):  # also catches a NaN from _tmin
            return math.nan
        if low_path:
            b = (8.0 * tstar / (m * _PI)) ** (2.0 / 3.0)
            x = (b - 1.0) / (b + 1.0)
            lo = xm
            hi = 1.0
            increasing = True
        else:
            a = ((m * _PI + _PI) / (8.0 * tstar)) ** (2.0 / 3.0)
            x = (a - 1.0) / (a + 1.0)
            lo = -1.0
            hi = xm
            increasing = False
        if tstar == tm:
            return xm
        if not (lo < x < hi):
            x = 0.5 * (lo + hi)
    for _ in range(_MAXITER):
        t, dtb = _tof(x, lam, omll, m)
        delta = t - tstar
        if not math.isfinite(delta):
            return math.nan
        if abs(delta) <= 1e-15 * tstar:
            return x
        if (delta > 0.0) == increasing:
            hi = x
        else:
            lo = x
        if math.isnan(dtb):
            d1, d2, d3 = _derivatives(x, t, lam, omll)
            num = delta * (d1 * d1 - 0.5 * delta * d2)
            den = d1 * (d1 * d1 - delta * d2) + d3 * delta * delta / 6.0
            new = x - num / den
        else:
            new = x - delta / dtb
        # A step this small means converged (cubic convergence: x is now exact to
        # rounding); test it before the bracket, whose end may be x itself.
        if abs(new - x) <= _XTOL * max(1.0, abs(x)):
            return new
        if not (lo < new < hi):
            if math.isinf(hi):
                new = x + max(1.0, abs(x))
            else:
                new = 0.5 * (lo + hi)
        x = new
    return math.nan


@njit(cache=True, error_model="numpy")
def _geometry(r1, r2, prograde):
    """Geometry of one problem; returns s, c, lam, omll, unit vectors, or s = NaN if degenerate."""
    r1n = math.sqrt(r1[0] * r1[0] + r1[1] * r1[1] + r1[2] * r1[2])
    r2n = math.sqrt(r2[0] * r2[0] + r2[1] * r2[1] + r2[2] * r2[2])
    ux, uy, uz = r1[0] / r1n, r1[1] / r1n, r1[2] / r1n
    wx, wy, wz = r2[0] / r2n, r2[1] / r2n, r2[2] / r2n
    hx = uy * wz - uz * wy
    hy = uz * wx - ux * wz
    hz = ux * wy - uy * wx
    sin_t = math.sqrt(hx * hx + hy * hy + hz * hz)  # |sin(transfer angle)|
    dx, dy, dz = r2[0] - r1[0], r2[1] - r1[1], r2[2] - r1[2]
    c = math.sqrt(dx * dx + dy * dy + dz * dz)
    bad = not (r1n > 0.0 and r2n > 0.0 and math.isfinite(r1n + r2n) and sin_t >= SIN_TRANSFER_MIN)
    if bad:
        return math.nan, c, 0.0, 0.0, r1n, r2n, 0.0, 0.0, 0.0, 0.0
    hx /= sin_t
    hy /= sin_t
    hz /= sin_t
    s = 0.5 * (r1n + r2n + c)
    omll = c / s
    lam = math.sqrt(max(0.0, 1.0 - omll))
    # Orbit normal: along +z for a prograde transfer (h_z = 0 counts as +z), -z for retrograde.
    sgn = 1.0 if hz >= 0.0 else -1.0
    if not prograde:
        sgn = -sgn
    # The transfer angle exceeds 180 degrees when the normal opposes r1 x r2: lambda < 0.
    lam *= sgn
    return s, c, lam, omll, r1n, r2n, sgn * hx, sgn * hy, sgn * hz, sin_t


@njit(cache=True, error_model="numpy")
def _lambert_one(mu, r1, r2, tof, m, prograde, low_path, v1, v2):
    """Solve one problem into v1, v2; return True on success."""
    if not (tof > 0.0 and math.isfinite(tof)) or m < 0:
        return False
    s, c, lam, omll, r1n, r2n, nx, ny, nz, _sin_t = _geometry(r1, r2, prograde)
    if math.isnan(s):
        return False
    tstar = math.sqrt(2.0 * mu / (s * s * s)) * tof
    x = _solve_x(tstar, lam, omll, m, low_path)
    if math.isnan(x):
        return False
    y = math.sqrt(omll + lam * lam * x * x)
    # x - lam y and x + lam y; the one that cancels is rewritten for |x| > 1.
    xmly = x - lam * y
    xply = x + lam * y
    if x * x > 1.0:
        k = omll * (x * x * (1.0 + lam * lam) - lam * lam)  # x^2 - lam^2 y^2
        if lam * x > 0.0:
            xmly = k / xply
        else:
            xply = k / xmly
    if lam * x < 0.0:
        ylx = omll / (y - lam * x)  # y + lam x
    else:
        ylx = y + lam * x
    gamma = math.sqrt(0.5 * mu * s)
    rho = (r1n - r2n) / c
    # sigma = sqrt(1 - rho^2) = 2 sqrt(r1 r2) sin(theta/2) / c, with 2 sin(theta/2) = |u1 - u2|.
    ex = r1[0] / r1n - r2[0] / r2n
    ey = r1[1] / r1n - r2[1] / r2n
    ez = r1[2] / r1n - r2[2] / r2n
    sigma = math.sqrt(r1n * r2n) * math.sqrt(ex * ex + ey * ey + ez * ez) / c
    vr1 = gamma * (-xmly - rho * xply) / r1n
    vr2 = -gamma * (-xmly + rho * xply) / r2n
    vt1 = gamma * sigma * ylx / r1n
    vt2 = gamma * sigma * ylx / r2n
    # tangential unit vectors n x u
    a1, a2, a3 = r1[0] / r1n, r1[1] / r1n, r1[2] / r1n
    b1, b2, b3 = r2[0] / r2n, r2[1] / r2n, r2[2] / r2n
    v1[0] = vr1 * a1 + vt1 * (ny * a3 - nz * a2)
    v1[1] = vr1 * a2 + vt1 * (nz * a1 - nx * a3)
    v1[2] = vr1 * a3 + vt1 * (nx * a2 - ny * a1)
    v2[0] = vr2 * b1 + vt2 * (ny * b3 - nz * b2)
    v2[1] = vr2 * b2 + vt2 * (nz * b1 - nx * b3)
    v2[2] = vr2 * b3 + vt2 * (nx * b2 - ny * b1)
    return math.isfinite(v1[0] + v1[1] + v1[2] + v2[0] + v2[1] + v2[2])


@njit(parallel=True, cache=True, error_model="numpy")
def lambert_batch(mu, r1, r2, tof, revs, prograde, low_path, v1, v2, ok):
    """Solve problem j of the batch into v1[j], v2[j], ok[j] (SI units, no defaults)."""
    for j in prange(tof.shape[0]):
        good = _lambert_one(
            mu, r1[j], r2[j], tof[j], revs[j], prograde[j], low_path[j], v1[j], v2[j]
        )
        ok[j] = good
        if not good:
            for k in range(3):
                v1[j, k] = np.nan
                v2[j, k] = np.nan


@njit(parallel=True, cache=True, error_model="numpy")
def min_tof_batch(mu, r1, r2, revs, prograde, out):
    """Minimum time of flight (s) for revs[j] revolutions into out[j]; NaN if degenerate."""
    for j in prange(out.shape[0]):
        s, c, lam, omll, r1n, r2n, nx, ny, nz, _sin_t = _geometry(r1[j], r2[j], prograde[j])
        m = revs[j]
        if math.isnan(s) or m < 0:
            out[j] = np.nan
        elif m == 0:
            out[j] = 0.0
        else:
            _xm, tm = _tmin(lam, omll, m)
            out[j] = tm / math.sqrt(2.0 * mu / (s * s * s))
