"""The little Mars geometry the entry integrator needs, in the body-fixed (rotating) frame.

Conventions used throughout ``marsprobe.edl``:

* Body-fixed Cartesian axes: z along the spin axis (north), x through the prime meridian.
* Latitude is **planetocentric** (angle between the radius vector and the equator) and longitude
  is east-positive, in degrees at the edges.
* Altitude is measured along the radius, above the reference ellipsoid of WGCCRE 2009
  (``R_MARS`` equatorial, ``R_MARS_POLAR`` polar): ``h = |r| - R_ell(lat)``. For a 0.6 %
  flattening this differs from the geodetic height by less than a metre below 200 km.
* Flight-path angle is measured from the local horizontal (the plane normal to the radius),
  negative downward; heading is the azimuth of the horizontal velocity, clockwise from north.

The module does not depend on ``marsprobe.frames`` on purpose (the kernel stays self-contained).
"""

from __future__ import annotations

import numpy as np

from marsprobe.constants import OMEGA_MARS, R_MARS, R_MARS_POLAR


def ellipsoid_radius(lat_rad):
    """Radius of the reference ellipsoid at planetocentric latitude ``lat_rad``, m."""
    c = np.cos(lat_rad)
    s = np.sin(lat_rad)
    return R_MARS * R_MARS_POLAR / np.sqrt((R_MARS_POLAR * c) ** 2 + (R_MARS * s) ** 2)


def state_from_entry(altitude_m, speed_m_s, fpa_deg, heading_deg, lat_deg, lon_deg):
    """Body-fixed position (m) and planet-relative velocity (m/s), each of shape (N, 3).

    Scalars count as a batch of one.
    """
    lat, lon, gam, psi, alt, v = np.broadcast_arrays(
        *(
            np.atleast_1d(np.asarray(a, dtype=float))
            for a in (lat_deg, lon_deg, fpa_deg, heading_deg, altitude_m, speed_m_s)
        )
    )
    lat, lon, gam, psi = np.radians(lat), np.radians(lon), np.radians(gam), np.radians(psi)
    r = ellipsoid_radius(lat) + alt
    up = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)
    east = np.stack([-np.sin(lon), np.cos(lon), np.zeros_like(lon)], axis=-1)
    north = np.stack([-np.sin(lat) * np.cos(lon), -np.sin(lat) * np.sin(lon), np.cos(lat)], axis=-1)
    vh = v * np.cos(gam)
    vel = (
        (v * np.sin(gam))[..., None] * up
        + (vh * np.sin(psi))[..., None] * east
        + (vh * np.cos(psi))[..., None] * north
    )
    return r[..., None] * up, vel


def entry_from_state(pos_m, vel_m_s):
    """Inverse of :func:`state_from_entry`: dict of altitude_m, speed_m_s, fpa_deg, ... arrays."""
    pos = np.atleast_2d(pos_m)
    vel = np.atleast_2d(vel_m_s)
    r = np.linalg.norm(pos, axis=-1)
    lat = np.arcsin(pos[:, 2] / r)
    lon = np.arctan2(pos[:, 1], pos[:, 0])
    up = pos / r[:, None]
    east = np.stack([-np.sin(lon), np.cos(lon), np.zeros_like(lon)], axis=-1)
    north = np.cross(up, east)
    v = np.linalg.norm(vel, axis=-1)
    vu = np.sum(vel * up, axis=-1)
    ve = np.sum(vel * east, axis=-1)
    vn = np.sum(vel * north, axis=-1)
    return {
        "altitude_m": r - ellipsoid_radius(lat),
        "speed_m_s": v,
        "fpa_deg": np.degrees(np.arcsin(np.clip(vu / v, -1.0, 1.0))),
        "heading_deg": np.degrees(np.arctan2(ve, vn)) % 360.0,
        "lat_deg": np.degrees(lat),
        "lon_deg": np.degrees(lon),
    }


def relative_from_inertial(altitude_m, speed_m_s, fpa_deg, heading_deg, lat_deg, lon_deg):
    """Planet-relative entry state from an inertial one given in the same local frame.

    Subtracts the rotation velocity omega x r (OMEGA_MARS about the spin axis), which is what an
    orbit-determination entry state ("inertial speed, inertial flight-path angle") needs before
    it is handed to :func:`marsprobe.edl.fly`. Returns a dict of arrays with the same keys.
    """
    pos, vel = state_from_entry(altitude_m, speed_m_s, fpa_deg, heading_deg, lat_deg, lon_deg)
    pos = np.atleast_2d(pos)
    vel = np.atleast_2d(vel)
    omega_cross_r = np.stack(
        [-OMEGA_MARS * pos[:, 1], OMEGA_MARS * pos[:, 0], np.zeros(len(pos))], axis=-1
    )
    return entry_from_state(pos, vel - omega_cross_r)
