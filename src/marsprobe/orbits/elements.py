"""Classical orbital elements from and to Cartesian state vectors (two-body, SI).

The conversions follow the textbook construction (Vallado, "Fundamentals of
Astrodynamics and Applications", 4th ed., 2013, algorithms 9 RV2COE and 10
COE2RV; Curtis, "Orbital Mechanics for Engineering Students", 2nd ed., 2009,
algorithms 4.2 and 4.5), written with ``atan2`` of vector components instead of
``arccos`` so that every angle keeps its full precision and needs no quadrant
test.

Conventions (all angles in radians):

* ``a`` is the semi-major axis in m: positive for an ellipse, negative for a
  hyperbola, ``inf`` for an exact parabola. ``p`` (the semi-latus rectum,
  ``h**2 / mu``) is returned as well because it stays finite for every conic.
* ``i`` is in [0, pi]; ``raan``, ``argp`` are in [0, 2 pi); ``nu`` is in
  [0, 2 pi) for an ellipse and in (-pi, pi) for a parabola or hyperbola.
* Equatorial orbits (``sin i`` below ``EQUATORIAL_TOL``): the line of nodes is
  undefined, so ``raan = 0`` and the node is taken along +x. ``argp`` is then the
  angle from +x to periapsis measured in the sense of motion (the longitude of
  periapsis for a prograde orbit).
* Circular orbits (``e`` below ``CIRCULAR_TOL``): periapsis is undefined, so
  ``argp = 0`` and ``nu`` is measured from the node (the argument of latitude);
  for a circular equatorial orbit ``nu`` is measured from +x (the true longitude).

With these conventions ``state_from_elements(elements_from_state(r, v))``
returns the state, including in the degenerate cases, and never yields NaN. The
two thresholds sit just above rounding noise (a state built as circular comes
back with e ~ 1e-16): a larger threshold would drop a real, if tiny,
eccentricity or inclination and break the round trip at the e r level.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from marsprobe.errors import InputError

CIRCULAR_TOL = 1e-14
"""Eccentricity below which an orbit is treated as circular (argp := 0)."""

EQUATORIAL_TOL = 1e-14
"""sin(i) below which an orbit is treated as equatorial (raan := 0)."""

TWO_PI = 2.0 * np.pi


class Elements(NamedTuple):
    """Classical elements; each field is a float or an array of the batch shape."""

    a: np.ndarray  # m, semi-major axis (negative: hyperbola, inf: parabola)
    e: np.ndarray  # eccentricity
    i: np.ndarray  # rad, inclination
    raan: np.ndarray  # rad, right ascension (longitude) of the ascending node
    argp: np.ndarray  # rad, argument of periapsis
    nu: np.ndarray  # rad, true anomaly
    p: np.ndarray  # m, semi-latus rectum h^2/mu


def _vectors(x, name: str) -> np.ndarray:
    arr = np.asarray(x, dtype=np.float64)
    if arr.shape[-1:] != (3,) or arr.ndim > 2:
        raise InputError(f"{name} must have shape (3,) or (N, 3); got {arr.shape}")
    return arr


def _check_mu(mu) -> float:
    mu = float(mu)
    if not mu > 0.0:
        raise InputError(f"mu must be a positive gravitational parameter in m^3/s^2; got {mu}")
    return mu


def _scalarize(x):
    return x[()] if isinstance(x, np.ndarray) and x.ndim == 0 else x


def elements_from_state(r, v, mu) -> Elements:
    """Classical elements of the two-body orbit through position ``r`` (m), velocity ``v`` (m/s).

    ``r`` and ``v`` have shape (3,) or (N, 3); the fields of the result are scalars or
    arrays of shape (N,). ``mu`` in m^3/s^2. See the module docstring for conventions.
    """
    mu = _check_mu(mu)
    r = _vectors(r, "r")
    v = _vectors(v, "v")
    r, v = np.broadcast_arrays(r, v)
    rn = np.linalg.norm(r, axis=-1)
    if np.any(~(rn > 0.0)):
        raise InputError("position vectors must be non-zero and finite")
    vn2 = np.sum(v * v, axis=-1)
    rv = np.sum(r * v, axis=-1)
    h = np.cross(r, v)
    hn = np.linalg.norm(h, axis=-1)
    if np.any(~(hn > 0.0)):
        raise InputError("rectilinear state (r parallel to v): the orbit plane is undefined")
    hhat = h / hn[..., None]

    inc = np.arctan2(np.hypot(h[..., 0], h[..., 1]), h[..., 2])
    equatorial = np.hypot(h[..., 0], h[..., 1]) < EQUATORIAL_TOL * hn
    # Node vector z x h; for an equatorial orbit the node is put on +x.
    n = np.stack([-h[..., 1], h[..., 0], np.zeros_like(hn)], axis=-1)
    nn = np.linalg.norm(n, axis=-1)
    nhat = np.where(
        equatorial[..., None],
        np.array([1.0, 0.0, 0.0]),
        n / np.where(nn > 0.0, nn, 1.0)[..., None],
    )
    raan = np.where(equatorial, 0.0, np.arctan2(nhat[..., 1], nhat[..., 0]) % TWO_PI)

    evec = ((vn2 - mu / rn)[..., None] * r - rv[..., None] * v) / mu
    e = np.linalg.norm(evec, axis=-1)
    circular = e < CIRCULAR_TOL
    # Periapsis direction; for a circular orbit the node stands in for it.
    phat = np.where(circular[..., None], nhat, evec / np.where(circular, 1.0, e)[..., None])

    def angle(u, w):  # angle from unit vector u to w, positive about hhat
        return np.arctan2(np.sum(np.cross(u, w) * hhat, axis=-1), np.sum(u * w, axis=-1))

    argp = np.where(circular, 0.0, angle(nhat, phat) % TWO_PI)
    nu = angle(phat, r / rn[..., None])
    nu = np.where(e < 1.0, nu % TWO_PI, nu)

    p = hn * hn / mu
    energy = 0.5 * vn2 - mu / rn
    with np.errstate(divide="ignore"):
        a = np.where(energy == 0.0, np.inf, -mu / (2.0 * energy))
    return Elements(*(_scalarize(np.asarray(x)) for x in (a, e, inc, raan, argp, nu, p)))


def state_from_semilatus(p, e, i, raan, argp, nu, mu):
    """Position (m) and velocity (m/s) from the semi-latus rectum ``p`` (m) and angles (rad).

    Valid for every conic, the parabola included. Arguments broadcast against each
    other; the result has shape (..., 3). A hyperbolic ``nu`` beyond the asymptotes
    (``1 + e cos nu <= 0``) raises InputError.
    """
    mu = _check_mu(mu)
    p, e, i, raan, argp, nu = np.broadcast_arrays(
        *(np.asarray(x, dtype=np.float64) for x in (p, e, i, raan, argp, nu))
    )
    if np.any(~(p > 0.0)) or np.any(~(e >= 0.0)):
        raise InputError("need p > 0 m and e >= 0")
    denom = 1.0 + e * np.cos(nu)
    if np.any(~(denom > 0.0)):
        raise InputError("true anomaly lies beyond the asymptotes of the hyperbola (1+e cos nu<=0)")
    rmag = p / denom
    cnu, snu = np.cos(nu), np.sin(nu)
    sqmp = np.sqrt(mu / p)
    # Perifocal components, then the 3-1-3 rotation (raan, i, argp) into the inertial frame.
    rp_, rq_ = rmag * cnu, rmag * snu
    vp_, vq_ = -sqmp * snu, sqmp * (e + cnu)
    co, so = np.cos(raan), np.sin(raan)
    cw, sw = np.cos(argp), np.sin(argp)
    ci, si = np.cos(i), np.sin(i)
    px, py, pz = co * cw - so * sw * ci, so * cw + co * sw * ci, sw * si
    qx, qy, qz = -co * sw - so * cw * ci, -so * sw + co * cw * ci, cw * si
    r = np.stack([rp_ * px + rq_ * qx, rp_ * py + rq_ * qy, rp_ * pz + rq_ * qz], axis=-1)
    v = np.stack([vp_ * px + vq_ * qx, vp_ * py + vq_ * qy, vp_ * pz + vq_ * qz], axis=-1)
    return r, v


def state_from_elements(a, e, i, raan, argp, nu, mu):
    """Position (m) and velocity (m/s) from classical elements (a in m, angles in rad).

    ``a`` is negative for a hyperbola. A parabola cannot be given by ``a``: use
    :func:`state_from_semilatus`. Arguments broadcast; the result has shape (..., 3).
    """
    a = np.asarray(a, dtype=np.float64)
    e = np.asarray(e, dtype=np.float64)
    p = a * (1.0 - e * e)
    bad = ~(p > 0.0) | (e == 1.0)
    if np.any(bad):
        raise InputError(
            "need a > 0 with e < 1 (ellipse) or a < 0 with e > 1 (hyperbola); "
            "for a parabola use state_from_semilatus"
        )
    return state_from_semilatus(p, e, i, raan, argp, nu, mu)
