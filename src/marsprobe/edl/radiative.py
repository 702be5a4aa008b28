"""Stagnation-point radiative heating in a CO2 (Mars) atmosphere: Tauber & Sutton (1991).

Tauber, M. E. and Sutton, K., "Stagnation-point radiative heating relations for Earth and Mars
entries", Journal of Spacecraft and Rockets 28(1), 1991, pp. 40-42. For Mars the shock-layer
radiation to the stagnation point is correlated as

    q_r = C R_n^a rho^b f(V)        [W/cm^2; R_n in m, rho in kg/m^3, V in m/s]

with C = 2.35e4, a = 0.526, b = 1.19 and the velocity function f(V) tabulated from 6.0 to
9.0 km/s (table below, linear between entries). The relation is a fit to equilibrium
shock-layer radiation of coupled flow-field solutions in the Mars gas (CO2 with a few per cent
N2); its validity range in velocity is the table's, 6-9 km/s. The density and nose-radius
ranges of the fits were not re-read in this session and are not asserted here. The table and
constants were checked against an independent public implementation of the paper (a POST
aeroheating routine, 'RadHeat', which uses the same 17 entries).

Outside the table marsprobe chooses: below 6 km/s the term is zero (the paper gives no fit
there; at 6 km/s f is already only 0.2, a few per cent of the convective flux of any entry
studied here); above 9 km/s f is held at its last value (no Mars entry of the catalog comes
near). The flux is equilibrium radiation: non-equilibrium radiation of the fastest entries is
not in it.
"""

from __future__ import annotations

import numpy as np
from numba import njit

TS_MARS_C = 2.35e4  # W/cm^2 with R_n in m and rho in kg/m^3 (Tauber & Sutton 1991)
TS_MARS_RN_EXP = 0.526
TS_MARS_RHO_EXP = 1.19
TS_MARS_V_M_S = np.array(
    [6000.0, 6150.0, 6300.0, 6500.0, 6700.0, 6900.0, 7000.0, 7200.0, 7400.0,
     7600.0, 7800.0, 8000.0, 8200.0, 8400.0, 8600.0, 8800.0, 9000.0]
)  # fmt: skip
TS_MARS_F = np.array(
    [0.2, 1.0, 1.95, 3.42, 5.1, 7.1, 8.1, 10.2, 12.5, 14.8, 17.1, 19.2, 21.4, 24.1, 26.0,
     28.9, 32.8]
)  # fmt: skip
V_MIN_M_S = 6000.0  # below: no radiative term (outside the correlation)


@njit(cache=True, inline="always")
def velocity_function(v):
    """Tauber & Sutton's f(V) for Mars (V in m/s), linear between the table's entries;
    0 below 6 km/s, held at the last entry above 9 km/s."""
    vt = TS_MARS_V_M_S
    ft = TS_MARS_F
    n = vt.shape[0]
    if v < vt[0]:
        return 0.0
    if v >= vt[n - 1]:
        return ft[n - 1]
    for i in range(1, n):
        if v < vt[i]:
            w = (v - vt[i - 1]) / (vt[i] - vt[i - 1])
            return ft[i - 1] * (1.0 - w) + ft[i] * w
    return ft[n - 1]


@njit(cache=True, inline="always")
def radiative_flux_w_m2(rho, v, nose_radius_m):
    """Stagnation-point radiative heat flux (W/m^2) at free-stream density ``rho`` (kg/m^3)
    and air-relative speed ``v`` (m/s) for a nose of radius ``nose_radius_m`` (m)."""
    f = velocity_function(v)
    if f == 0.0 or rho <= 0.0:
        return 0.0
    return 1e4 * TS_MARS_C * nose_radius_m**TS_MARS_RN_EXP * rho**TS_MARS_RHO_EXP * f
