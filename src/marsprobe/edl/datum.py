"""Altitude datums: what a height is measured from, and the conversion to marsprobe's one.

Inside :mod:`marsprobe.edl` every altitude is the height above the WGCCRE 2009 reference
ellipsoid along the radius (:mod:`marsprobe.edl.geometry`). Data arrive on three datums:

``ellipsoid``
    height above that ellipsoid (3396.19 km equatorial, 3376.20 km polar);
``radius``
    an areocentric radius (lander radio tracking, the Pathfinder archive, reconstructed entry
    states such as Spencer et al. 1999's 3522.2 km);
``areoid``
    height above the areoid, the equipotential surface MOLA elevations are measured from,
    whose mean equatorial radius is 3396.000 km (Smith et al. 2001, J. Geophys. Res.
    106(E10):23689).

No areoid grid is shipped, so :func:`areoid_radius` is its zonal part: the equipotential of
the rotating planet with GM, J2 and the spin rate of :mod:`marsprobe.constants` through the
3396.000 km equator. It differs from the real areoid by the non-zonal terms of the gravity
field (Tharsis above all), of order 1-2 km at the landing sites; a MOLA elevation converted
here carries that uncertainty, and a site known by its radius should be given by its radius.
"""

from __future__ import annotations

import numpy as np

from marsprobe.constants import GM_MARS, J2_MARS, OMEGA_MARS, R_MARS
from marsprobe.edl.geometry import ellipsoid_radius
from marsprobe.errors import InputError

DATUMS = ("ellipsoid", "areoid", "radius")
AREOID_EQUATORIAL_RADIUS_M = 3396.0e3  # Smith et al. 2001: MOLA areoid mean equatorial radius


def _potential(r, s2):
    """Gravity plus centrifugal potential (m^2/s^2) at radius r and sin^2(latitude) s2."""
    p2 = 0.5 * (3.0 * s2 - 1.0)
    return GM_MARS / r * (1.0 - J2_MARS * (R_MARS / r) ** 2 * p2) + 0.5 * OMEGA_MARS**2 * r * r * (
        1.0 - s2
    )


def areoid_radius(lat_deg):
    """Radius (m) of the zonal areoid at planetocentric latitude ``lat_deg`` (Newton solve)."""
    s2 = np.sin(np.radians(np.asarray(lat_deg, dtype=float))) ** 2
    u0 = _potential(AREOID_EQUATORIAL_RADIUS_M, 0.0)
    r = np.full_like(s2, AREOID_EQUATORIAL_RADIUS_M)
    for _ in range(6):  # quadratic convergence from within 20 km: 6 passes reach 1e-9 m
        dr = 1e-3 * r
        du = (_potential(r + dr, s2) - _potential(r - dr, s2)) / (2 * dr)
        r = r - (_potential(r, s2) - u0) / du
    return r


def height_above_ellipsoid(value_m, datum: str, lat_deg):
    """Convert a height (or, for ``radius``, a radius) in metres to marsprobe's datum."""
    lat = np.asarray(lat_deg, dtype=float)
    value = np.asarray(value_m, dtype=float)
    ell = ellipsoid_radius(np.radians(lat))
    if datum == "ellipsoid":
        out = value + 0.0 * lat
    elif datum == "radius":
        out = value - ell
    elif datum == "areoid":
        out = value + areoid_radius(lat) - ell
    else:
        raise InputError(f"unknown altitude datum {datum!r}: accepted are {', '.join(DATUMS)}")
    return float(out) if np.ndim(out) == 0 else out
