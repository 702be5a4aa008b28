"""The rotating Earth the ascent flies over: gravity with J2, heights, the frame.

The ascent is flown in the inertial frame of the mean equator and equinox of the launch
date (ICRF turned by the IAU 2006 precession of :func:`marsprobe.frames.precession_matrix`),
so that the Earth turns about its z axis; the Earth-fixed frame is that frame turned by
the Greenwich mean sidereal time (:mod:`marsprobe.frames`). Over a flight of minutes the
frame's own drift (precession, 3e-12 rad/s) is negligible.
"""

from __future__ import annotations

import math

import numpy as np

from marsprobe.constants import F_EARTH, GM_EARTH, J2_EARTH, R_EARTH
from marsprobe.frames import OMEGA_EARTH_GMST


def altitude(r) -> float:
    """Height (m) above the WGS 84 ellipsoid of position ``r`` (m), latitudes below 85 deg.

    Fixed-point iteration on the geodetic latitude (three passes reach millimetres).
    """
    x, y, z = float(r[0]), float(r[1]), float(r[2])
    p = math.hypot(x, y)
    e2 = F_EARTH * (2.0 - F_EARTH)
    lat = math.atan2(z, p * (1.0 - e2))
    h = 0.0
    for _ in range(3):
        n = R_EARTH / math.sqrt(1.0 - e2 * math.sin(lat) ** 2)
        h = p / math.cos(lat) - n
        lat = math.atan2(z, p * (1.0 - e2 * n / (n + h)))
    return h


def gravity(x: float, y: float, z: float) -> tuple[float, float, float]:
    """Acceleration (m/s^2) of the Earth's point mass plus its J2 term at (x, y, z) in m."""
    r2 = x * x + y * y + z * z
    r = math.sqrt(r2)
    mu_r3 = GM_EARTH / (r2 * r)
    k = 1.5 * J2_EARTH * (R_EARTH * R_EARTH) / r2
    zz = 5.0 * z * z / r2
    gx = -mu_r3 * x * (1.0 + k * (1.0 - zz))
    gy = -mu_r3 * y * (1.0 + k * (1.0 - zz))
    gz = -mu_r3 * z * (1.0 + k * (3.0 - zz))
    return gx, gy, gz


def rotation_z(angle: float) -> np.ndarray:
    """Matrix turning Earth-fixed vectors into the inertial frame at rotation ``angle`` (rad)."""
    c, s = math.cos(angle), math.sin(angle)
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


OMEGA = OMEGA_EARTH_GMST
"""Rotation rate (rad/s) of the Earth-fixed frame in the ascent frame."""
