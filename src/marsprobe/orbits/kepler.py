"""Two-body (Kepler) kernels in SI units: propagation, periods, apsides, anomalies.

``propagate`` solves Kepler's problem with the universal variable chi and the
Stumpff functions c2, c3 (Vallado, "Fundamentals of Astrodynamics and
Applications", 4th ed., 2013, section 2.3 and algorithm 8 KEPLER; Bate, Mueller
& White, "Fundamentals of Astrodynamics", 1971, chapter 4), so one formula covers
ellipses, parabolas and hyperbolas, forward and backward in time. Two changes
make it robust for every batch element:

* an elliptic arc first drops its whole periods, so chi stays within one orbit;
* Newton's iteration on the universal Kepler equation is kept inside a bracket
  (the equation is monotonic in chi: its derivative is the radius r > 0) and falls
  back to bisection whenever a Newton step would leave it.

An element that still fails to converge, or whose input is not finite, comes back
as NaN with ``ok=False`` (``propagate_flagged``) or raises ConvergenceError
(``propagate``). So does one that float64 cannot resolve, found by checking the
converged root against the time to 1e-9 and the Lagrange identity
f gdot - fdot g = 1: in practice only near-rectilinear hyperbolas many orders of
magnitude above escape speed that pass far closer to the focus than they start
(in a sweep of 20 000 random Lambert arcs: v^2 r / mu above ~900 with periapsis
below ~6e-4 r; every arc not flagged landed within 7e-8 of its target). Nothing
is returned silently wrong.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from marsprobe.errors import ConvergenceError, InputError
from marsprobe.orbits.elements import (
    Elements,
    elements_from_state,
    state_from_elements,
    state_from_semilatus,
)

__all__ = [
    "Elements",
    "apsides",
    "elements_from_state",
    "mean_from_true",
    "period",
    "period_from_apsides",
    "propagate",
    "propagate_flagged",
    "state_from_elements",
    "state_from_semilatus",
    "stumpff",
    "time_of_flight",
    "true_from_mean",
]

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


def _batch_state(r, v, dt):
    r = np.asarray(r, dtype=np.float64)
    v = np.asarray(v, dtype=np.float64)
    dt = np.asarray(dt, dtype=np.float64)
    if r.shape[-1:] != (3,) or v.shape[-1:] != (3,) or r.ndim > 2 or v.ndim > 2 or dt.ndim > 1:
        raise InputError(
            f"r and v must have shape (3,) or (N, 3) and dt () or (N,); "
            f"got {r.shape}, {v.shape}, {dt.shape}"
        )
    scalar = r.ndim == 1 and v.ndim == 1 and dt.ndim == 0
    n = np.broadcast_shapes(r.shape[:-1], v.shape[:-1], dt.shape)
    n = n[0] if n else 1
    r = np.ascontiguousarray(np.broadcast_to(r, (n, 3)))
    v = np.ascontiguousarray(np.broadcast_to(v, (n, 3)))
    dt = np.ascontiguousarray(np.broadcast_to(dt, (n,)))
    return r, v, dt, scalar


def propagate_flagged(r, v, dt, mu):
    """Two-body state after ``dt`` seconds (negative: backwards), with a convergence flag.

    ``r`` (m) and ``v`` (m/s) have shape (3,) or (N, 3), ``dt`` (s) is a scalar or (N,),
    ``mu`` in m^3/s^2. Returns ``(r, v, ok)``; elements with ``ok=False`` are NaN.
    """
    mu = float(mu)
    if not mu > 0.0:
        raise InputError(f"mu must be a positive gravitational parameter in m^3/s^2; got {mu}")
    r0, v0, dt, scalar = _batch_state(r, v, dt)
    r_out = np.empty_like(r0)
    v_out = np.empty_like(v0)
    ok = np.empty(r0.shape[0], dtype=np.bool_)
    _propagate_batch(r0, v0, dt, mu, r_out, v_out, ok)
    if scalar:
        return r_out[0], v_out[0], bool(ok[0])
    return r_out, v_out, ok


def propagate(r, v, dt, mu):
    """Two-body state after ``dt`` seconds; raises ConvergenceError if any element fails.

    Same shapes and units as :func:`propagate_flagged`; returns ``(r, v)``.
    """
    r_out, v_out, ok = propagate_flagged(r, v, dt, mu)
    if not np.all(ok):
        bad = np.flatnonzero(~np.atleast_1d(ok))
        raise ConvergenceError(
            f"Kepler propagation failed for {bad.size} element(s), first index {bad[0]}: "
            "inputs must be finite with r != 0"
        )
    return r_out, v_out


def stumpff(psi):
    """Stumpff functions (c2, c3) of ``psi`` (dimensionless), vectorized."""
    psi = np.asarray(psi, dtype=np.float64)
    c2 = np.empty_like(psi)
    c3 = np.empty_like(psi)
    for idx, p in np.ndenumerate(psi):  # a helper for tests and reports, not a hot path
        c2[idx], c3[idx] = _stumpff(float(p))
    return c2[()], c3[()]


def period(a, mu):
    """Orbital period (s) of an ellipse of semi-major axis ``a`` (m); ``mu`` in m^3/s^2."""
    a = np.asarray(a, dtype=np.float64)
    if np.any(~(a > 0.0)):
        raise InputError("the period is defined for elliptic orbits only: need a > 0 m")
    return (2.0 * np.pi * np.sqrt(a**3 / mu))[()]


def period_from_apsides(rp, ra, mu):
    """Orbital period (s) from the periapsis and apoapsis radii (m, from the body's centre)."""
    rp = np.asarray(rp, dtype=np.float64)
    ra = np.asarray(ra, dtype=np.float64)
    if np.any(~(rp > 0.0)) or np.any(~(ra >= rp)):
        raise InputError("need 0 < rp <= ra (radii in m from the centre of the body)")
    return period(0.5 * (rp + ra), mu)


def apsides(r, v, mu):
    """Periapsis and apoapsis radii (m) of the orbit through ``r`` (m), ``v`` (m/s).

    The apoapsis radius is ``inf`` for a parabola or hyperbola.
    """
    el = elements_from_state(r, v, mu)
    e = np.asarray(el.e)
    p = np.asarray(el.p)
    rp = p / (1.0 + e)
    ell = e < 1.0
    ra = np.where(ell, p / np.where(ell, 1.0 - e, 1.0), np.inf)
    return rp[()], ra[()]


def mean_from_true(nu, e):
    """Mean anomaly (rad) from the true anomaly ``nu`` (rad), for e < 1 or e > 1.

    Ellipse: M = E - e sin E, in [0, 2 pi) when nu is; hyperbola: M = e sinh F - F.
    """
    nu = np.asarray(nu, dtype=np.float64)
    e = np.asarray(e, dtype=np.float64)
    if np.any(~(e >= 0.0)) or np.any(e == 1.0):
        raise InputError("need e >= 0 and e != 1 (the parabola has no mean anomaly here)")
    c, s = np.cos(nu), np.sin(nu)
    with np.errstate(invalid="ignore"):
        ell = e < 1.0
        big_e = np.arctan2(np.sqrt(np.where(ell, 1.0 - e * e, 0.0)) * s, e + c)
        m_ell = big_e - e * np.sin(big_e)
        # Keep whole turns of nu: M advances by 2 pi for each one.
        m_ell = m_ell + _TWO_PI * np.round((nu - np.arctan2(s, c)) / _TWO_PI)
        denom = 1.0 + e * c
        f = np.arcsinh(np.sqrt(np.where(ell, 0.0, e * e - 1.0)) * s / denom)
        m_hyp = e * np.sinh(f) - f
    if np.any(~ell & ~(denom > 0.0)):
        raise InputError("true anomaly lies beyond the asymptotes of the hyperbola")
    return np.where(ell, m_ell, m_hyp)[()]


def true_from_mean(m, e):
    """True anomaly (rad) from the mean anomaly ``m`` (rad), solving Kepler's equation.

    Ellipse: the result is in [0, 2 pi) plus the whole turns of ``m``; hyperbola:
    (-nu_inf, nu_inf). Raises ConvergenceError if Newton's method does not converge.
    """
    m = np.asarray(m, dtype=np.float64)
    e = np.asarray(e, dtype=np.float64)
    m, e = np.broadcast_arrays(m, e)
    if np.any(~(e >= 0.0)) or np.any(e == 1.0):
        raise InputError("need e >= 0 and e != 1")
    ell = e < 1.0
    turns = np.where(ell, np.floor(m / _TWO_PI), 0.0)
    mm = np.where(ell, m - _TWO_PI * turns, m)
    # Starting values: E0 = pi for high e (Vallado alg. 2), F0 = asinh(M/e) for hyperbolas.
    x = np.where(ell, np.where(e < 0.8, mm, np.pi), np.arcsinh(mm / np.maximum(e, 1.0)))
    for _ in range(60):
        fx = np.where(ell, x - e * np.sin(x) - mm, e * np.sinh(x) - x - mm)
        dfx = np.where(ell, 1.0 - e * np.cos(x), e * np.cosh(x) - 1.0)
        step = fx / dfx
        x = x - step
        if np.all(np.abs(step) <= 1e-14 * np.maximum(1.0, np.abs(x))):
            break
    else:
        raise ConvergenceError("Kepler's equation did not converge (check e and M are finite)")
    with np.errstate(invalid="ignore"):
        nu_ell = np.arctan2(np.sqrt(np.where(ell, 1.0 - e * e, 0.0)) * np.sin(x), np.cos(x) - e)
        nu_hyp = 2.0 * np.arctan(
            np.sqrt(np.where(ell, 0.0, (e + 1.0) / (e - 1.0))) * np.tanh(0.5 * x)
        )
    nu = np.where(ell, nu_ell % _TWO_PI + _TWO_PI * turns, nu_hyp)
    return nu[()]


def time_of_flight(a, e, nu1, nu2, mu):
    """Time (s) to fly from true anomaly ``nu1`` to ``nu2`` (rad) on a conic (a in m).

    Ellipse: the forward time, in [0, P) (nu2 is reached after nu1). Hyperbola
    (a < 0, e > 1): the signed time t(nu2) - t(nu1), negative if nu2 precedes nu1.
    """
    a = np.asarray(a, dtype=np.float64)
    e = np.asarray(e, dtype=np.float64)
    bad = ~(((a > 0.0) & (e < 1.0)) | ((a < 0.0) & (e > 1.0)))
    if np.any(bad):
        raise InputError("need a > 0 with 0 <= e < 1, or a < 0 with e > 1 (a in m)")
    n = np.sqrt(mu / np.abs(a) ** 3)
    # mean_from_true depends on nu only through sin and cos (plus whole turns on an
    # ellipse), so reducing nu mod 2 pi is harmless for a hyperbola too.
    m1 = mean_from_true(np.asarray(nu1, dtype=np.float64) % _TWO_PI, e)
    m2 = mean_from_true(np.asarray(nu2, dtype=np.float64) % _TWO_PI, e)
    dm = np.where(e > 1.0, m2 - m1, (m2 - m1) % _TWO_PI)
    return (dm / n)[()]
