"""Patched-conic quantities at departure and arrival, vectorized, SI units.

At the sphere-of-influence boundary a heliocentric arc (from Lambert) is patched
to a planet-centred hyperbola whose excess velocity is the heliocentric velocity
minus the planet's. From v_inf follow the launch energy C3, the direction of the
outgoing asymptote, the B-plane aim point, and the impulsive burns at periapsis.

Formulas are the two-body relations of Bate, Mueller & White, "Fundamentals of
Astrodynamics" (1971) ch. 8 and Curtis, "Orbital Mechanics for Engineering
Students" 2nd ed. (2009) ch. 8. The B-plane is the construction of W. Kizner,
"A method of describing miss distances for lunar and interplanetary
trajectories", JPL External Publication 674 (1959) / Planetary and Space Science
7 (1961) 125-131, with the axes used by JPL navigation (e.g. Sergeyevsky,
Snyder & Cunniff, "Interplanetary Mission Design Handbook", JPL Publication
82-43, 1983): S along the incoming asymptote, T = S x k / |S x k| in the
reference plane whose pole is k, R = S x T; B points from the body's centre to
where the incoming asymptote crosses the plane normal to S.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from marsprobe.errors import InputError

__all__ = [
    "BPlane",
    "arrival_v_inf",
    "asymptote_ra_dec",
    "b_from_periapsis",
    "b_plane",
    "c3",
    "capture_dv",
    "departure_v_inf",
    "escape_dv",
    "hyperbolic_excess_from_c3",
    "periapsis_from_b",
    "turn_angle",
    "v_inf",
]


def _vec(x, name):
    arr = np.asarray(x, dtype=np.float64)
    if arr.shape[-1:] != (3,):
        raise InputError(f"{name} must be a 3-vector or an (N, 3) array; got shape {arr.shape}")
    return arr


def _positive(x, name, unit):
    arr = np.asarray(x, dtype=np.float64)
    if np.any(~(arr > 0.0)):
        raise InputError(f"{name} must be positive and finite ({unit})")
    return arr


def departure_v_inf(v_helio, v_planet):
    """Hyperbolic excess velocity vector (m/s): spacecraft minus planet heliocentric velocity."""
    return _vec(v_helio, "v_helio") - _vec(v_planet, "v_planet")


arrival_v_inf = departure_v_inf
"""Arrival excess velocity (m/s): Lambert velocity at r2 minus the target's velocity."""


def v_inf(v_inf_vec):
    """Magnitude (m/s) of excess velocity vectors of shape (3,) or (N, 3)."""
    return np.linalg.norm(_vec(v_inf_vec, "v_inf_vec"), axis=-1)[()]


def c3(v_inf_vec):
    """Characteristic energy C3 = |v_inf|^2 (m^2/s^2) of vectors of shape (3,) or (N, 3)."""
    v = _vec(v_inf_vec, "v_inf_vec")
    return np.sum(v * v, axis=-1)[()]


def hyperbolic_excess_from_c3(c3_m2_s2):
    """Excess speed v_inf = sqrt(C3) (m/s) from C3 in m^2/s^2 (C3 >= 0)."""
    c = np.asarray(c3_m2_s2, dtype=np.float64)
    if np.any(~(c >= 0.0)):
        raise InputError("C3 must be >= 0 m^2/s^2 for an escape hyperbola")
    return np.sqrt(c)[()]


def asymptote_ra_dec(v_inf_vec):
    """Right ascension and declination (rad) of the direction of ``v_inf_vec``.

    The angles are taken in the frame the vector is given in: for a launch
    asymptote expressed in ICRF equatorial axes they are the RLA (in [0, 2 pi))
    and DLA (in [-pi/2, pi/2]) that launch-window tables quote.
    """
    v = _vec(v_inf_vec, "v_inf_vec")
    ra = np.arctan2(v[..., 1], v[..., 0]) % (2.0 * np.pi)
    dec = np.arctan2(v[..., 2], np.hypot(v[..., 0], v[..., 1]))
    return ra[()], dec[()]


def periapsis_from_b(b, v_inf, mu):
    """Periapsis radius (m) of the hyperbola with impact parameter ``b`` (m).

    rp = mu / v_inf^2 (sqrt(1 + (b v_inf^2 / mu)^2) - 1), written so it does not
    cancel when b v_inf^2 / mu is small.
    """
    b = np.asarray(b, dtype=np.float64)
    if np.any(~(b >= 0.0)):
        raise InputError("b must be >= 0 m")
    v = _positive(v_inf, "v_inf", "m/s")
    mu = _positive(mu, "mu", "m^3/s^2")
    q = b * v * v / mu
    return (mu / (v * v) * q * q / (np.sqrt(1.0 + q * q) + 1.0))[()]


def b_from_periapsis(rp, v_inf, mu):
    """Impact parameter |B| (m) giving periapsis radius ``rp`` (m): rp sqrt(1 + 2 mu / (rp v^2))."""
    rp = _positive(rp, "rp", "m")
    v = _positive(v_inf, "v_inf", "m/s")
    mu = _positive(mu, "mu", "m^3/s^2")
    return (rp * np.sqrt(1.0 + 2.0 * mu / (rp * v * v)))[()]


def turn_angle(v_inf, rp, mu):
    """Total bend (rad) of the velocity by a flyby: 2 asin(1/e), e = 1 + rp v_inf^2 / mu."""
    v = _positive(v_inf, "v_inf", "m/s")
    rp = _positive(rp, "rp", "m")
    mu = _positive(mu, "mu", "m^3/s^2")
    return (2.0 * np.arcsin(1.0 / (1.0 + rp * v * v / mu)))[()]


def capture_dv(v_inf, rp, ra, mu):
    """Impulsive periapsis burn (m/s) from a hyperbola of excess ``v_inf`` (m/s) into the
    ellipse of periapsis radius ``rp`` and apoapsis radius ``ra`` (m, from the centre)."""
    v = np.asarray(v_inf, dtype=np.float64)
    if np.any(~(v >= 0.0)):
        raise InputError("v_inf must be >= 0 m/s")
    rp = _positive(rp, "rp", "m")
    ra = np.asarray(ra, dtype=np.float64)
    if np.any(~(ra >= rp)):
        raise InputError("need ra >= rp (apoapsis and periapsis radii in m)")
    mu = _positive(mu, "mu", "m^3/s^2")
    v_hyp = np.sqrt(v * v + 2.0 * mu / rp)
    v_ell = np.sqrt(2.0 * mu * ra / (rp * (rp + ra)))
    return (v_hyp - v_ell)[()]


def escape_dv(v_inf, r_park, mu):
    """Impulsive burn (m/s) from a circular parking orbit of radius ``r_park`` (m) onto the
    escape hyperbola with excess ``v_inf`` (m/s), the burn at its periapsis."""
    v = np.asarray(v_inf, dtype=np.float64)
    if np.any(~(v >= 0.0)):
        raise InputError("v_inf must be >= 0 m/s")
    r = _positive(r_park, "r_park", "m")
    mu = _positive(mu, "mu", "m^3/s^2")
    return (np.sqrt(v * v + 2.0 * mu / r) - np.sqrt(mu / r))[()]


class BPlane(NamedTuple):
    """B-plane description of a hyperbolic approach (fields scalar or (N,))."""

    b_t: np.ndarray  # m, B . T
    b_r: np.ndarray  # m, B . R
    b: np.ndarray  # m, |B| (impact parameter)
    theta: np.ndarray  # rad, B-plane angle atan2(B.R, B.T), measured from T towards R
    v_inf: np.ndarray  # m/s, hyperbolic excess speed
    rp: np.ndarray  # m, periapsis radius implied by |B| and v_inf


def b_plane(r, v, mu, pole=(0.0, 0.0, 1.0)) -> BPlane:
    """B-plane coordinates of the hyperbola through ``r`` (m), ``v`` (m/s) about a body of
    gravitational parameter ``mu`` (m^3/s^2).

    ``pole`` is the reference pole k that fixes T = S x k / |S x k|: the default +z is
    the ICRF pole (T in the Earth's equatorial plane); pass the body's spin axis or
    the ecliptic pole, in the frame of ``r`` and ``v``, for those conventions. The state
    must be hyperbolic (positive energy) and the asymptote not along the pole.
    """
    r = _vec(r, "r")
    v = _vec(v, "v")
    mu = float(_positive(mu, "mu", "m^3/s^2"))
    k = _vec(pole, "pole")
    k = k / np.linalg.norm(k, axis=-1, keepdims=True)
    r, v = np.broadcast_arrays(r, v)
    rn = np.linalg.norm(r, axis=-1)
    v2 = np.sum(v * v, axis=-1)
    energy = 0.5 * v2 - mu / rn
    if np.any(~(energy > 0.0)):
        raise InputError("b_plane needs hyperbolic states (v^2/2 - mu/r > 0)")
    h = np.cross(r, v)
    hn = np.linalg.norm(h, axis=-1)
    if np.any(~(hn > 0.0)):
        raise InputError("b_plane needs a non-rectilinear state (r x v != 0)")
    hhat = h / hn[..., None]
    evec = ((v2 - mu / rn)[..., None] * r - np.sum(r * v, axis=-1)[..., None] * v) / mu
    e = np.linalg.norm(evec, axis=-1)
    phat = evec / e[..., None]
    qhat = np.cross(hhat, phat)
    # Incoming asymptote: the velocity direction at true anomaly -acos(-1/e).
    s_hat = (phat + np.sqrt(e * e - 1.0)[..., None] * qhat) / e[..., None]
    t_vec = np.cross(s_hat, np.broadcast_to(k, s_hat.shape))
    tn = np.linalg.norm(t_vec, axis=-1)
    if np.any(~(tn > 1e-12)):
        raise InputError("the incoming asymptote is along the reference pole: T is undefined")
    t_hat = t_vec / tn[..., None]
    r_hat = np.cross(s_hat, t_hat)
    vinf = np.sqrt(2.0 * energy)
    b_mag = hn / vinf
    b_vec = b_mag[..., None] * np.cross(s_hat, hhat)
    bt = np.sum(b_vec * t_hat, axis=-1)
    br = np.sum(b_vec * r_hat, axis=-1)
    rp = hn * hn / mu / (1.0 + e)
    return BPlane(bt[()], br[()], b_mag[()], np.arctan2(br, bt)[()], vinf[()], rp[()])
