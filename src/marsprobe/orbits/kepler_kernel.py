"""Compiled universal-variable Kepler solver (the kernel of :mod:`marsprobe.orbits.kepler`).

Kepler's problem in the universal variable chi with the Stumpff functions c2, c3 (Vallado,
"Fundamentals of Astrodynamics and Applications", 4th ed., 2013, section 2.3 and algorithm 8
KEPLER; Bate, Mueller & White, "Fundamentals of Astrodynamics", 1971, chapter 4); see
:mod:`marsprobe.orbits.kepler` for the safeguards (whole periods dropped, Newton kept in a
bracket with bisection, the converged root checked) and the public functions.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

_MAXITER = 200
_TWO_PI = 2.0 * math.pi


@njit(cache=True, error_model="numpy")
def _stumpff(psi):
    """c2(psi), c3(psi) without cancellation: half-angle forms and a series near 0."""
    if abs(psi) < 1.0:
        # c3 = sum (-psi)^k/(2k+3)!, c2 = sum (-psi)^k/(2k+2)!; 12 terms reach 1e-17 at |psi|=1
        c2 = 0.0
        c3 = 0.0
        t2 = 0.5
        t3 = 1.0 / 6.0
        for k in range(12):
            c2 += t2
            c3 += t3
            t2 *= -psi / ((2 * k + 3) * (2 * k + 4))
            t3 *= -psi / ((2 * k + 4) * (2 * k + 5))
        return c2, c3
    if psi > 0.0:
        s = math.sqrt(psi)
        h = math.sin(0.5 * s)
        return 2.0 * h * h / psi, (s - math.sin(s)) / (psi * s)
    s = math.sqrt(-psi)
    h = math.sinh(0.5 * s)
    return 2.0 * h * h / (-psi), (math.sinh(s) - s) / (-psi * s)


@njit(cache=True, error_model="numpy")
def _kepler_one(r0v, v0v, dt, mu, rout, vout):
    """Propagate one state by dt; write into rout/vout; return True when converged."""
    x0, y0, z0 = r0v[0], r0v[1], r0v[2]
    vx, vy, vz = v0v[0], v0v[1], v0v[2]
    r0 = math.sqrt(x0 * x0 + y0 * y0 + z0 * z0)
    v2 = vx * vx + vy * vy + vz * vz
    if not (r0 > 0.0) or not math.isfinite(v2) or not math.isfinite(dt) or not math.isfinite(r0):
        return False
    sqmu = math.sqrt(mu)
    sig = (x0 * vx + y0 * vy + z0 * vz) / sqmu  # r.v / sqrt(mu)
    alpha = 2.0 / r0 - v2 / mu  # 1/a
    # A step below the rounding of the position (|v dt| < 1e-17 r) leaves the state as is;
    # solving for it would only underflow.
    if abs(dt) * math.sqrt(v2) < 1e-17 * r0 and abs(dt) * math.sqrt(mu / r0) < 1e-17 * r0:
        for k in range(3):
            rout[k] = r0v[k]
            vout[k] = v0v[k]
        return True

    # Elliptic: remove whole periods so that |dt| <= P/2 and |chi| <= (pi + 2) sqrt(a)
    # (the eccentric anomaly changes by at most the mean anomaly change plus 2e).
    tau = dt
    if alpha > 0.0:
        per = _TWO_PI / (alpha * math.sqrt(alpha * mu))
        tau = dt - per * math.floor(dt / per + 0.5)
    target = sqmu * tau

    # Bracket [lo, hi] on chi with F(lo) < 0 < F(hi); F(chi) = sqrt(mu) t(chi) - sqrt(mu) tau
    # is increasing, F'(chi) = r.
    if alpha > 0.0:
        bound = (math.pi + 2.0) / math.sqrt(alpha) * 1.0000001
        lo, hi = -bound, bound
    else:
        # Hyperbola or parabola: no bound a priori; the iteration steps out until it has one.
        lo, hi = -math.inf, math.inf
    # Initial guess (Vallado alg. 8): elliptic, then hyperbolic; near-parabolic uses r0-scaled.
    if alpha > 1e-6 / r0:
        chi = sqmu * tau * alpha
    elif alpha < -1e-6 / r0:
        a = 1.0 / alpha
        sgn = 1.0 if tau > 0.0 else -1.0
        num = -2.0 * mu * alpha * tau
        den = sig * sqmu + sgn * math.sqrt(-mu * a) * (1.0 - r0 * alpha)
        if num / den > 0.0:
            chi = sgn * math.sqrt(-a) * math.log(num / den)
        else:
            chi = tau * sqmu / r0
    else:
        chi = tau * sqmu / r0
    if not math.isfinite(chi) or chi * tau < 0.0:
        # The hyperbolic guess is built for long arcs: for a short one its logarithm goes
        # negative, and its denominator is a difference that can vanish.
        chi = tau * sqmu / r0
    converged = False
    psi = 0.0
    c2 = 0.5
    c3 = 1.0 / 6.0
    r = r0
    for _ in range(_MAXITER):
        psi = chi * chi * alpha
        c2, c3 = _stumpff(psi)
        chi2 = chi * chi
        r = chi2 * c2 + sig * chi * (1.0 - psi * c3) + r0 * (1.0 - psi * c2)
        f = chi2 * chi * c3 + sig * chi2 * c2 + r0 * chi * (1.0 - psi * c3) - target
        if not math.isfinite(f) or not (r > 0.0):
            # sinh overflowed far out on a hyperbola: chi is too large in magnitude
            if chi > 0.0:
                hi = min(hi, chi)
                chi = 0.5 * (chi + lo) if math.isfinite(lo) else 0.5 * chi
            else:
                lo = max(lo, chi)
                chi = 0.5 * (chi + hi) if math.isfinite(hi) else 0.5 * chi
            continue
        # Converged once the residual is at the rounding level of the terms it sums.
        fscale = abs(chi2 * chi * c3) + abs(sig * chi2 * c2) + abs(r0 * chi) * (1.0 + abs(psi * c3))
        if abs(f) <= 1e-15 * (fscale + abs(target)):
            converged = True
            break
        if f < 0.0:
            lo = max(lo, chi)
        else:
            hi = min(hi, chi)
        new = chi - f / r
        if abs(new - chi) <= 1e-14 * abs(chi):
            # Newton's step is this small only at the root: test before the bracket,
            # whose end may be chi itself.
            chi = new
            converged = True
            break
        if not (lo < new < hi):
            if math.isfinite(lo) and math.isfinite(hi):
                new = 0.5 * (lo + hi)
            elif math.isfinite(lo):  # root above lo, no upper bound yet: step out
                new = lo + 2.0 * max(abs(lo), abs(chi))
            else:
                new = hi - 2.0 * max(abs(hi), abs(chi))
        if math.isfinite(lo) and math.isfinite(hi) and hi - lo <= 4e-16 * max(abs(lo), abs(hi)):
            chi = new
            converged = True
            break
        chi = new
    if not converged:
        return False
    psi = chi * chi * alpha
    c2, c3 = _stumpff(psi)
    chi2 = chi * chi
    r = chi2 * c2 + sig * chi * (1.0 - psi * c3) + r0 * (1.0 - psi * c2)
    # Converging to rounding does not make the root right when the terms of Kepler's
    # equation cancel (a near-rectilinear hyperbola grazing the focus): demand that the
    # time is matched to 1e-9 relative, else flag the element.
    resid = chi2 * chi * c3 + sig * chi2 * c2 + r0 * chi * (1.0 - psi * c3) - target
    if not abs(resid) <= 1e-9 * abs(target):
        return False
    f = 1.0 - chi2 * c2 / r0
    # g = tau - chi^3 c3 / sqrt(mu), rewritten with Kepler's equation so that it does not
    # subtract two large numbers on a fast hyperbola.
    g = (sig * chi2 * c2 + r0 * chi * (1.0 - psi * c3)) / sqmu
    gdot = 1.0 - chi2 * c2 / r
    fdot = sqmu / (r * r0) * chi * (psi * c3 - 1.0)
    # Lagrange identity f gdot - fdot g = 1: a last guard against cancellation in f and g.
    if not abs(f * gdot - fdot * g - 1.0) <= 1e-9 * (abs(f * gdot) + abs(fdot * g)):
        return False
    for k in range(3):
        rout[k] = f * r0v[k] + g * v0v[k]
        vout[k] = fdot * r0v[k] + gdot * v0v[k]
    return math.isfinite(rout[0] + rout[1] + rout[2] + vout[0] + vout[1] + vout[2])


@njit(parallel=True, cache=True, error_model="numpy")
def _propagate_batch(r0, v0, dt, mu, r_out, v_out, ok):
    for j in prange(r0.shape[0]):
        good = _kepler_one(r0[j], v0[j], dt[j], mu, r_out[j], v_out[j])
        ok[j] = good
        if not good:
            for k in range(3):
                r_out[j, k] = np.nan
                v_out[j, k] = np.nan
