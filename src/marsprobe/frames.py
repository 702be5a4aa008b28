"""Reference frames: ICRF (equatorial J2000), ecliptic J2000, and the rotating frames of the
Earth and Mars, with latitude/longitude/altitude on their ellipsoids.

Conventions: vectors are arrays whose last axis has length 3; a rotation matrix ``M`` maps
ICRF components to the other frame, ``x_frame = M @ x_icrf``; angles are radians inside
marsprobe (longitudes east-positive), degrees only at the edges; times are TDB seconds past
J2000.

Mars body-fixed frame: the IAU WGCCRE 2009 rotation model (Archinal et al. 2011, Celest.
Mech. Dyn. Astr. 109:101, Table 2): pole right ascension and declination alpha0, delta0 and
prime-meridian angle W, with values in :mod:`marsprobe.constants`. The matrix is
``R3(W) R1(90 deg - delta0) R3(90 deg + alpha0)``; the frame rotates at dW/dt about its z axis
(the slow pole drift, 0.1 deg per century, is left out of the angular velocity: 5e-12 rad/s).

Earth-fixed frame, for ascent from Baikonur or Cape Canaveral. It is the mean equator and
mean Greenwich meridian of date, built as ``R3(GMST) P``:

* P is the IAU 2006 precession from the J2000 mean equator to the mean equator of date,
  angles zeta_A, z_A, theta_A of Capitaine, Wallace & Chapront (2003), IERS Conventions 2010
  eq. 5.40 and Table 5.2 (McCarthy & Petit: IERS Technical Note 36). Leaving precession out
  would tilt the pole by 20 arcsec per year from 2000: 0.16 deg in 1971, too much for a
  parking-orbit inclination quoted to 0.01 deg.
* GMST is the Earth Rotation Angle (IERS 2010 eq. 5.15) plus the accumulated precession in
  right ascension (eq. 5.32). UT1 is taken equal to UTC: |UT1-UTC| < 0.9 s, i.e. < 0.004 deg
  of longitude.
* Left out, with the error each leaves: nutation (pole of date off by at most ~11 arcsec =
  0.003 deg, equation of the equinoxes < 1.2 s = 0.005 deg of longitude), polar motion
  (< 0.5 arcsec, 15 m at the surface), the ICRF-J2000 frame bias (23 milliarcsec).
  Together: below 0.01 deg in inclination and longitude for any date of the ephemeris,
  which the tests check against ERFA's full IAU 2006/2000A transformation.

Velocities in the rotating frames use a spin about the frame's z axis only (dW/dt for Mars,
dGMST/dt for the Earth). The slow turning of the pole itself (Earth precession 3e-12 rad/s,
Mars pole drift 6e-13 rad/s) and, before 1972, the 3e-8 rate offset of UTC (used as UT1) are
left out: at most ~2e-5 m/s for a point on the surface, 1e-4 m/s at geostationary distance.

Ellipsoids: Earth WGS 84 (a = R_EARTH, f = F_EARTH); Mars the WGCCRE 2009 biaxial shape
(a = R_MARS, polar radius R_MARS_POLAR). Planetodetic latitude is the angle of the ellipsoid
normal with the equator, planetocentric latitude the angle of the radius vector.
"""

from __future__ import annotations

import numpy as np

from marsprobe import constants as c
from marsprobe.errors import InputError
from marsprobe.time import tt_from_tdb, utc_seconds_from_tdb

_ARCSEC = np.pi / (180.0 * 3600.0)
_CENTURY_S = 36525.0 * c.DAY_S

# IERS Conventions 2010 eq. 5.15: ERA = 2 pi (0.7790572732640 + 1.00273781191135448 Tu)
_ERA_J2000 = 0.7790572732640
_ERA_RATE = 1.00273781191135448
# IERS 2010 eq. 5.32, GMST - ERA (arcsec), powers 0..5 of TT Julian centuries past J2000.
_GMST_MINUS_ERA = (0.014506, 4612.156534, 1.3915817, -0.00000044, -0.000029956, -0.0000000368)
# IAU 2006 precession angles (arcsec), IERS 2010 Table 5.2 / Capitaine et al. 2003.
_ZETA_A = (2.650545, 2306.083227, 0.2988499, 0.01801828, -0.000005971, -0.0000003173)
_Z_A = (-2.650545, 2306.077181, 1.0927348, 0.01826837, -0.000028596, -0.0000002904)
_THETA_A = (0.0, 2004.191903, -0.4294934, -0.04182264, -0.000007089, -0.0000001274)

OMEGA_EARTH_GMST = 2.0 * np.pi * _ERA_RATE / c.DAY_S + _GMST_MINUS_ERA[1] * _ARCSEC / _CENTURY_S
"""Rotation rate of the mean Greenwich meridian relative to the ICRF, rad/s (7.2921151e-5)."""
OMEGA_MARS_W = np.radians(c.MARS_W_RATE_DEG_PER_DAY) / c.DAY_S
"""Rotation rate of the Mars prime meridian (WGCCRE 2009), rad/s (7.0882181e-5)."""

BODY_FRAMES = ("earth", "mars")
"""Bodies with a rotating frame and an ellipsoid."""


def _rot1(a: np.ndarray) -> np.ndarray:
    """Frame rotation by angle ``a`` about x: shape a.shape + (3, 3)."""
    ca, sa = np.cos(a), np.sin(a)
    o, z = np.ones_like(ca), np.zeros_like(ca)
    return np.stack(
        [np.stack([o, z, z], -1), np.stack([z, ca, sa], -1), np.stack([z, -sa, ca], -1)], -2
    )


def _rot2(a: np.ndarray) -> np.ndarray:
    ca, sa = np.cos(a), np.sin(a)
    o, z = np.ones_like(ca), np.zeros_like(ca)
    return np.stack(
        [np.stack([ca, z, -sa], -1), np.stack([z, o, z], -1), np.stack([sa, z, ca], -1)], -2
    )


def _rot3(a: np.ndarray) -> np.ndarray:
    ca, sa = np.cos(a), np.sin(a)
    o, z = np.ones_like(ca), np.zeros_like(ca)
    return np.stack(
        [np.stack([ca, sa, z], -1), np.stack([-sa, ca, z], -1), np.stack([z, z, o], -1)], -2
    )


def _apply(m: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.einsum("...ij,...j->...i", m, x)


def _apply_t(m: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.einsum("...ji,...j->...i", m, x)


def _poly(coef, x):
    out = np.zeros_like(x)
    for k in reversed(coef):
        out = out * x + k
    return out


ICRF_TO_ECLIPTIC = _rot1(np.float64(c.OBLIQUITY_J2000_RAD))
"""Rotation ICRF (equatorial J2000) -> ecliptic J2000, obliquity 84381.406 arcsec (IAU 2006)."""


def ecliptic_from_icrf(x):
    """Components in the J2000 ecliptic frame of ICRF vector(s) ``x`` (..., 3)."""
    return _apply(ICRF_TO_ECLIPTIC, np.asarray(x, dtype=np.float64))


def icrf_from_ecliptic(x):
    """ICRF components of J2000-ecliptic vector(s) ``x`` (..., 3)."""
    return _apply_t(ICRF_TO_ECLIPTIC, np.asarray(x, dtype=np.float64))


# --- Mars -----------------------------------------------------------------------------------


def mars_pole(t) -> tuple[np.ndarray, np.ndarray]:
    """Right ascension and declination (rad, ICRF) of the Mars north pole, WGCCRE 2009."""
    tc = np.asarray(t, dtype=np.float64) / _CENTURY_S
    ra = np.radians(c.MARS_POLE_RA0_DEG + c.MARS_POLE_RA_RATE_DEG_PER_CENTURY * tc)
    dec = np.radians(c.MARS_POLE_DEC0_DEG + c.MARS_POLE_DEC_RATE_DEG_PER_CENTURY * tc)
    return ra, dec


def mars_prime_meridian(t) -> np.ndarray:
    """Mars prime-meridian angle W (rad, in [0, 2 pi)) at TDB seconds past J2000 ``t``."""
    d = np.asarray(t, dtype=np.float64) / c.DAY_S
    return np.radians(np.remainder(c.MARS_W0_DEG + c.MARS_W_RATE_DEG_PER_DAY * d, 360.0))


def mars_fixed_matrix(t) -> np.ndarray:
    """Rotation ICRF -> Mars body-fixed (IAU WGCCRE 2009): (3, 3), or t.shape + (3, 3)."""
    ra, dec = mars_pole(t)
    w = mars_prime_meridian(t)
    return _rot3(w) @ _rot1(np.pi / 2 - dec) @ _rot3(np.pi / 2 + ra)


# --- Earth ----------------------------------------------------------------------------------


def earth_rotation_angle(t) -> np.ndarray:
    """Earth Rotation Angle (rad, [0, 2 pi)), IERS 2010 eq. 5.15, with UT1 taken as UTC."""
    tu = np.asarray(utc_seconds_from_tdb(t), dtype=np.float64) / c.DAY_S
    # Splitting off whole days keeps the fraction of a turn at full float64 resolution.
    whole = np.floor(tu)
    turns = (tu - whole) + _ERA_J2000 + (_ERA_RATE - 1.0) * tu
    return 2.0 * np.pi * np.remainder(turns, 1.0)


def precession_matrix(t) -> np.ndarray:
    """IAU 2006 precession, J2000 mean equator -> mean equator of date: (3, 3) or (..., 3, 3)."""
    tc = np.asarray(tt_from_tdb(t), dtype=np.float64) / _CENTURY_S
    zeta = _poly(_ZETA_A, tc) * _ARCSEC
    z = _poly(_Z_A, tc) * _ARCSEC
    theta = _poly(_THETA_A, tc) * _ARCSEC
    return _rot3(-z) @ _rot2(theta) @ _rot3(-zeta)


def greenwich_mean_sidereal_time(t) -> np.ndarray:
    """GMST (rad, [0, 2 pi)), IERS 2010 eq. 5.32 (IAU 2006), with UT1 taken as UTC."""
    tc = np.asarray(tt_from_tdb(t), dtype=np.float64) / _CENTURY_S
    return np.remainder(earth_rotation_angle(t) + _poly(_GMST_MINUS_ERA, tc) * _ARCSEC, 2 * np.pi)


def earth_fixed_matrix(t) -> np.ndarray:
    """Rotation ICRF -> Earth-fixed (mean equator and meridian of date): (3, 3) or (..., 3, 3).

    Precession and GMST only; see the module docstring for what is left out (< 0.01 deg).
    """
    return _rot3(greenwich_mean_sidereal_time(t)) @ precession_matrix(t)


# --- rotating frames ------------------------------------------------------------------------


def _body(body: str) -> str:
    if not isinstance(body, str) or body.lower() not in BODY_FRAMES:
        raise InputError(f"no body-fixed frame for {body!r}; accepted: {', '.join(BODY_FRAMES)}")
    return body.lower()


def body_fixed_matrix(body: str, t) -> np.ndarray:
    """Rotation ICRF -> body-fixed frame of ``body`` ("earth" or "mars") at ``t``."""
    return earth_fixed_matrix(t) if _body(body) == "earth" else mars_fixed_matrix(t)


def rotation_rate(body: str) -> float:
    """Spin rate (rad/s) of the body-fixed frame of ``body`` about its z axis."""
    return OMEGA_EARTH_GMST if _body(body) == "earth" else OMEGA_MARS_W


def _spin_cross(omega: float, x: np.ndarray) -> np.ndarray:
    """(0, 0, omega) x x."""
    out = np.empty_like(x)
    out[..., 0] = -omega * x[..., 1]
    out[..., 1] = omega * x[..., 0]
    out[..., 2] = 0.0
    return out


def to_body_fixed(r, v, body: str, t) -> tuple[np.ndarray, np.ndarray]:
    """Planet-centred ICRF position (m) and velocity (m/s) -> body-fixed rotating frame.

    ``r``, ``v`` are (..., 3) and broadcast against ``t``. The velocity is the one seen in the
    rotating frame: M (v - omega x r).
    """
    m = body_fixed_matrix(body, t)
    rf = _apply(m, np.asarray(r, dtype=np.float64))
    vf = _apply(m, np.asarray(v, dtype=np.float64)) - _spin_cross(rotation_rate(body), rf)
    return rf, vf


def from_body_fixed(rf, vf, body: str, t) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of :func:`to_body_fixed`: body-fixed position/velocity -> planet-centred ICRF."""
    m = body_fixed_matrix(body, t)
    rf = np.asarray(rf, dtype=np.float64)
    vf = np.asarray(vf, dtype=np.float64)
    return _apply_t(m, rf), _apply_t(m, vf + _spin_cross(rotation_rate(body), rf))


# --- latitude, longitude, altitude ----------------------------------------------------------


def ellipsoid(body: str) -> tuple[float, float]:
    """Equatorial radius (m) and flattening of the reference ellipsoid of ``body``."""
    return (c.R_EARTH, c.F_EARTH) if _body(body) == "earth" else (c.R_MARS, c.F_MARS)


def planetocentric_from_fixed(r) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Planetocentric latitude (rad), east longitude (rad, (-pi, pi]) and radius (m)."""
    r = np.asarray(r, dtype=np.float64)
    x, y, z = r[..., 0], r[..., 1], r[..., 2]
    return np.arctan2(z, np.hypot(x, y)), np.arctan2(y, x), np.linalg.norm(r, axis=-1)


def fixed_from_planetocentric(lat, lon, radius) -> np.ndarray:
    """Body-fixed position (m) from planetocentric latitude, east longitude (rad), radius (m)."""
    lat, lon, radius = np.broadcast_arrays(
        *(np.asarray(a, dtype=np.float64) for a in (lat, lon, radius))
    )
    cl = np.cos(lat)
    return np.stack(
        [radius * cl * np.cos(lon), radius * cl * np.sin(lon), radius * np.sin(lat)], -1
    )


def geodetic_from_fixed(r, body: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Planetodetic latitude (rad), east longitude (rad) and altitude (m) above the ellipsoid.

    Bowring's (1976, Survey Review 23:323) iteration on the reduced latitude; three passes
    leave under a micrometre for any point above the planet's centre region.
    """
    a, f = ellipsoid(body)
    b = a * (1.0 - f)
    e2 = f * (2.0 - f)
    ep2 = e2 / (1.0 - e2)
    r = np.asarray(r, dtype=np.float64)
    x, y, z = r[..., 0], r[..., 1], r[..., 2]
    p = np.hypot(x, y)
    beta = np.arctan2(z, (1.0 - f) * p)
    for _ in range(3):
        lat = np.arctan2(z + ep2 * b * np.sin(beta) ** 3, p - e2 * a * np.cos(beta) ** 3)
        beta = np.arctan2((1.0 - f) * np.sin(lat), np.cos(lat))
    sl = np.sin(lat)
    alt = p * np.cos(lat) + z * sl - a * np.sqrt(1.0 - e2 * sl * sl)
    return lat, np.arctan2(y, x), alt


def fixed_from_geodetic(lat, lon, alt, body: str) -> np.ndarray:
    """Body-fixed position (m) of planetodetic latitude, east longitude (rad), altitude (m)."""
    a, f = ellipsoid(body)
    e2 = f * (2.0 - f)
    lat, lon, alt = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (lat, lon, alt)))
    sl, cl = np.sin(lat), np.cos(lat)
    n = a / np.sqrt(1.0 - e2 * sl * sl)
    return np.stack(
        [(n + alt) * cl * np.cos(lon), (n + alt) * cl * np.sin(lon), (n * (1.0 - e2) + alt) * sl],
        -1,
    )
