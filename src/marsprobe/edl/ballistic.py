"""Ballistic-coefficient studies: how fast is a ballistic body at a given altitude?

Used to test a published figure against physics: the Mars 6 lander is said to have opened its
parachute at about 600 m/s and 20 km (NASA Mars 6 page, after Siddiqi). A 1,000-1,210 kg body
under a 2.9 m cone has a ballistic coefficient beta = m / (Cd A) of about 100-130 kg/m^2;
:func:`speed_at_altitude` flies such bodies through every atmosphere model and density
dispersion, and :func:`beta_for_speed` finds the beta that would be at 600 m/s at 20 km.
"""

from __future__ import annotations

import math

import numpy as np

from marsprobe.edl import atmosphere as atm
from marsprobe.edl.fly import EntryState, fly
from marsprobe.edl.vehicle import Vehicle

_CD = 1.5  # the constant drag coefficient of the probe body: beta is all that matters
_DIAMETER_M = 2.9


def probe_vehicle() -> Vehicle:
    """A pure ballistic body of constant Cd (no chutes, no rockets) for beta studies."""
    chosen = {"chosen": True, "sigma": 0.0, "note": "ballistic probe for beta studies"}
    return Vehicle.model_validate(
        {
            "id": "ballistic-probe",
            "name": "constant-Cd ballistic body",
            "description": "mass set per case from the ballistic coefficient",
            "sources": {},
            "aeroshell": {
                "mass_kg": {"value": 1000.0, **chosen},
                "diameter_m": {"value": _DIAMETER_M, **chosen},
                "nose_radius_m": {"value": 0.5, **chosen},
                "cd_mach": {"mach": [1.0], "cd": [_CD], **chosen},
            },
            "capsule": {
                "cda_m2": {"value": 1.0, **chosen},
                "survival_speed_m_s": {"value": 0.0, **chosen},
            },
        }
    )


def speed_at_altitude(
    beta_kg_m2,
    altitude_m: float = 20e3,
    *,
    entry_speed_m_s: float = 5600.0,
    fpa_deg=(-11.3,),
    entry_altitude_m: float = 100e3,
    models=atm.MODELS,
    density_scales=(1.0,),
    lat_deg: float = -23.9,
) -> dict[str, np.ndarray]:
    """Planet-relative speed (m/s) on first descending through ``altitude_m``.

    Returns {model id: array of shape (len(beta), len(density_scales), len(fpa_deg))}; NaN
    where the body never got that low (skip-out).
    """
    beta = np.atleast_1d(np.asarray(beta_kg_m2, dtype=float))
    scales = np.atleast_1d(np.asarray(density_scales, dtype=float))
    fpas = np.atleast_1d(np.asarray(fpa_deg, dtype=float))
    b, s, g = np.meshgrid(beta, scales, fpas, indexing="ij")
    n = b.size
    area = math.pi * (_DIAMETER_M / 2) ** 2
    entry = EntryState(
        altitude_m=np.full(n, entry_altitude_m),
        speed_m_s=np.full(n, entry_speed_m_s),
        fpa_deg=g.ravel(),
        heading_deg=np.full(n, 90.0),
        lat_deg=np.full(n, lat_deg),
        lon_deg=np.zeros(n),
    )
    disp = {
        "mass_kg": b.ravel() * _CD * area,
        "density_scale": s.ravel(),
        "marker_altitude_m": altitude_m,
        "ground_altitude_m": -9000.0,
    }
    vehicle = probe_vehicle()
    out = {}
    for model in models:
        res = fly(entry, vehicle, atmosphere=model, dispersions=disp)
        out[model] = res.event("marker", "speed_m_s").reshape(b.shape)
    return out


def beta_for_speed(
    target_speed_m_s: float = 600.0,
    altitude_m: float = 20e3,
    *,
    beta_grid=None,
    **kw,
) -> dict[str, np.ndarray]:
    """Ballistic coefficient (kg/m^2) at which the speed at ``altitude_m`` equals the target.

    Same keywords as :func:`speed_at_altitude`; returns {model: array (scales, fpas)}, found by
    interpolation on a fine beta grid (speed at a fixed altitude rises monotonically with beta).
    NaN where the target lies outside the grid.
    """
    if beta_grid is None:
        beta_grid = np.geomspace(5.0, 400.0, 120)
    speeds = speed_at_altitude(beta_grid, altitude_m, **kw)
    out = {}
    for model, v in speeds.items():
        res = np.full(v.shape[1:], np.nan)
        for j in range(v.shape[1]):
            for k in range(v.shape[2]):
                col = v[:, j, k]
                ok = np.isfinite(col)
                if ok.sum() >= 2 and col[ok][0] <= target_speed_m_s <= col[ok][-1]:
                    res[j, k] = np.exp(
                        np.interp(target_speed_m_s, col[ok], np.log(np.asarray(beta_grid)[ok]))
                    )
        out[model] = res
    return out


def fpa_for_event_time(
    vehicle,
    event: str,
    t_s: float,
    *,
    entry_altitude_m: float,
    entry_speed_m_s: float,
    lat_deg: float,
    lon_deg: float,
    heading_deg: float = 90.0,
    atmosphere: str = atm.DEFAULT_MODEL,
    dispersions=None,
    fpa_range=(-8.0, -25.0),
    n: int = 341,
) -> float:
    """Entry flight-path angle (deg) at which ``event`` happens ``t_s`` after entry.

    An inverse problem for when an angle is unpublished but an event time is (one datum fixes
    one unknown; other records of the same flight then test the result). Scans a grid of
    angles in one batch and interpolates where the event time crosses ``t_s``; NaN if never.
    """
    fpas = np.linspace(fpa_range[0], fpa_range[1], n)
    entry = EntryState(
        altitude_m=np.full(n, entry_altitude_m),
        speed_m_s=np.full(n, entry_speed_m_s),
        fpa_deg=fpas,
        heading_deg=np.full(n, heading_deg),
        lat_deg=np.full(n, lat_deg),
        lon_deg=np.full(n, lon_deg),
    )
    times = fly(entry, vehicle, atmosphere=atmosphere, dispersions=dispersions).event(event)
    d = times - t_s
    for i in range(n - 1):
        if np.isfinite(d[i]) and np.isfinite(d[i + 1]) and d[i] * d[i + 1] <= 0.0:
            w = d[i] / (d[i] - d[i + 1]) if d[i] != d[i + 1] else 0.0
            return float(fpas[i] + w * (fpas[i + 1] - fpas[i]))
    return math.nan
