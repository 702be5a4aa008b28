"""Two-body (Kepler) kernels in SI units: propagation, periods, apsides, anomalies.

``propagate`` solves Kepler's problem with the universal variable chi and the
Stumpff functions c2, c3 (Vallado, "Fundamentals of Astrodynamics and
Applications", 4th ed., 2013, section 2.3 and algorithm 8 KEPLER; Bate, Mueller
& White, "Fundamentals of Astrodynamics", 1971, chapter 4), so one formula covers
ellipses, parabolas and hyperbolas, forward and backward in time. Two changes
make it robust for every batch element (the compiled solver is
:mod:`marsprobe.orbits.kepler_kernel`, loaded on first use so that the period and anomaly
helpers here do not load numba):

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

_TWO_PI = 2.0 * math.pi


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
    from marsprobe.orbits.kepler_kernel import _propagate_batch  # numba: loaded when used

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
    from marsprobe.orbits.kepler_kernel import _stumpff

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
