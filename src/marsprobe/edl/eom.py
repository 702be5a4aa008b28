"""Equations of motion of the EDL kernel: 3-DOF point mass over a rotating, oblate Mars.

State per trajectory: body-fixed position r and planet-relative velocity v (m, m/s) and mass.
Equations of motion in the rotating frame (omega along z)::

    dv/dt = g_J2(r) - 2 omega x v - omega x (omega x r) + (D + L + T) / m
    dm/dt = -|T| / (Isp g0)

Gravity: point mass plus J2 (Konopliv et al. 2006 coefficient, constants.J2_MARS). Drag
opposes the air-relative velocity (planet-relative minus wind); lift (hypersonic phase only) is
L/D times drag, perpendicular to the air-relative velocity, rotated by the bank angle from the
vertical plane. Stagnation heat flux: Sutton & Graves (1971, NASA TR R-376)
q = k sqrt(rho / R_n) V^3 with k = 1.9027e-4 kg^0.5/m for the Mars (CO2/N2) atmosphere
(convective), plus the equilibrium shock-layer radiation of Tauber & Sutton (1991, J.
Spacecraft Rockets 28(1)), :mod:`marsprobe.edl.radiative`, zero below 6 km/s.

The step: the classical fourth-order Runge-Kutta method (Kutta 1901; Hairer, Norsett & Wanner,
Solving Ordinary Differential Equations I, 2nd ed. 1993, sec. II.1), fixed step, the caller
choosing the step (:mod:`marsprobe.edl.kernel`).
"""

from __future__ import annotations

import math

from numba import njit

from marsprobe.constants import G0_M_S2, GM_MARS, J2_MARS, OMEGA_MARS, R_MARS, R_MARS_POLAR
from marsprobe.edl.radiative import radiative_flux_w_m2
from marsprobe.edl.slots import (
    A_G,
    A_H,
    A_HEAT,
    A_HEAT_RAD,
    A_HR,
    A_MACH,
    A_Q,
    A_SPEED,
    A_VAIR,
    A_VUP,
    GUIDED_HOLD_HEIGHT_M,
    M_CHUTE_GONE,
    M_ENGAGED,
    M_JETT,
    M_M_CUT,
    M_MAIN_TORN,
    M_PILOT_TORN,
    M_RETRO_ON,
    M_T_MAIN,
    M_T_PILOT,
    P_AREA,
    P_CAPS_CDA,
    P_CD_SCALE,
    P_DGROW,
    P_DSCALE,
    P_GROUND,
    P_LD,
    P_MAIN_CDA,
    P_MAIN_INFL,
    P_PILOT_CDA,
    P_PILOT_INFL,
    P_R_BRAKE,
    P_R_ISP,
    P_R_MODE,
    P_R_THRUST,
    P_R_TMIN,
    P_R_VT,
    P_RNOSE,
    P_WIND_E,
    P_WIND_N,
)

SUTTON_GRAVES_K_MARS = 1.9027e-4  # kg^0.5/m, Sutton & Graves 1971 (NASA TR R-376), Mars gas

RP2 = R_MARS * R_MARS
A2 = R_MARS * R_MARS
B2 = R_MARS_POLAR * R_MARS_POLAR


@njit(cache=True, inline="always")
def _interp_table(x, x0, dx, vals):
    f = (x - x0) / dx
    n = vals.shape[0]
    if f <= 0.0:
        return vals[0] + f * (vals[1] - vals[0])
    if f >= n - 1:
        return vals[n - 1] + (f - (n - 1)) * (vals[n - 1] - vals[n - 2])
    i = int(f)
    w = f - i
    return vals[i] * (1.0 - w) + vals[i + 1] * w


@njit(cache=True, inline="always")
def _interp_wind(x, x0, dx, vals):
    """Like _interp_table, but held at the end values outside the grid (no extrapolation)."""
    n = vals.shape[0]
    f = min(max((x - x0) / dx, 0.0), n - 1.0)
    i = min(int(f), n - 2)
    w = f - i
    return vals[i] * (1.0 - w) + vals[i + 1] * w


@njit(cache=True, inline="always")
def _cd_of_mach(mach, mt, cdt):
    n = mt.shape[0]
    if mach <= mt[0]:
        return cdt[0]
    if mach >= mt[n - 1]:
        return cdt[n - 1]
    for i in range(1, n):
        if mach < mt[i]:
            w = (mach - mt[i - 1]) / (mt[i] - mt[i - 1])
            return cdt[i - 1] * (1.0 - w) + cdt[i] * w
    return cdt[n - 1]


@njit(cache=True)
def _accel(t, y, p, ms, h0, dh, atab, mt, cdt, dy, aux, cb, sb, full):
    """Derivative dy of state y = (x, y, z, vx, vy, vz, m); fills aux (see A_* slots).

    cb, sb: cosine and sine of the trajectory's bank angle (constant, so taken once per
    trajectory). full False (the inner RK stages, whose aux nobody reads) skips the aux
    quantities the derivative does not need (load, heat flux, vertical speed); the derivative
    itself is computed the same way either way, so the answers do not depend on it.
    """
    x, yy, z, vx, vy, vz, m = y[0], y[1], y[2], y[3], y[4], y[5], y[6]
    r2 = x * x + yy * yy + z * z
    r = math.sqrt(r2)
    sphi = z / r
    cphi2 = 1.0 - sphi * sphi
    cphi = math.sqrt(max(cphi2, 0.0))
    rell = R_MARS * R_MARS_POLAR / math.sqrt(B2 * cphi2 + A2 * sphi * sphi)
    h = r - rell
    # gravity with J2
    mur3 = GM_MARS / (r2 * r)
    k = 1.5 * J2_MARS * RP2 / r2
    zr2 = sphi * sphi
    gx = -mur3 * x * (1.0 + k * (1.0 - 5.0 * zr2))
    gy = -mur3 * yy * (1.0 + k * (1.0 - 5.0 * zr2))
    gz = -mur3 * z * (1.0 + k * (3.0 - 5.0 * zr2))
    # local east/north unit vectors for the wind
    rxy = math.sqrt(x * x + yy * yy)
    if rxy > 0.0:
        clam = x / rxy
        slam = yy / rxy
    else:
        clam = 1.0
        slam = 0.0
    # wind: the trajectory's own constant plus the table's profile (rows 2, 3; a calm table
    # has only rows 0, 1, which saves the two look-ups)
    we = p[P_WIND_E]
    wn = p[P_WIND_N]
    if atab.shape[0] > 2:
        we += _interp_wind(h, h0, dh, atab[2])
        wn += _interp_wind(h, h0, dh, atab[3])
    wx = -slam * we - sphi * clam * wn
    wy = clam * we - sphi * slam * wn
    wz = cphi * wn
    ax_ = vx - wx
    ay_ = vy - wy
    az_ = vz - wz
    vair = math.sqrt(ax_ * ax_ + ay_ * ay_ + az_ * az_)
    speed = 0.0  # planet-relative; only the aux and the guided engines read it
    if full or ms[M_RETRO_ON] > 0.0:
        speed = math.sqrt(vx * vx + vy * vy + vz * vz)
    rho = p[P_DSCALE] * math.exp(_interp_table(h, h0, dh, atab[0]) + p[P_DGROW] * h * 1e-3)
    a_s = _interp_table(h, h0, dh, atab[1])
    mach = vair / a_s
    q = 0.5 * rho * vair * vair
    # drag area of the current configuration
    jett = ms[M_JETT] > 0.0
    if jett:
        cda = p[P_CAPS_CDA]
    else:
        cda = _cd_of_mach(mach, mt, cdt) * p[P_CD_SCALE] * p[P_AREA]
    body_cda = cda
    chute_gone = ms[M_CHUTE_GONE] > 0.0
    if ms[M_T_PILOT] >= 0.0 and ms[M_T_MAIN] < 0.0 and not chute_gone and ms[M_PILOT_TORN] == 0.0:
        infl = p[P_PILOT_INFL]
        frac = 1.0 if infl <= 0.0 else min(1.0, (t - ms[M_T_PILOT]) / infl)
        cda += p[P_PILOT_CDA] * max(frac, 0.0)
    if ms[M_T_MAIN] >= 0.0 and not chute_gone and ms[M_MAIN_TORN] == 0.0:
        infl = p[P_MAIN_INFL]
        frac = 1.0 if infl <= 0.0 else min(1.0, (t - ms[M_T_MAIN]) / infl)
        cda += p[P_MAIN_CDA] * max(frac, 0.0)
    fx = 0.0
    fy = 0.0
    fz = 0.0
    if vair > 0.0:
        dmag = q * cda
        ux = ax_ / vair
        uy = ay_ / vair
        uz = az_ / vair
        fx = -dmag * ux
        fy = -dmag * uy
        fz = -dmag * uz
        hypersonic = ms[M_T_PILOT] < 0.0 and ms[M_T_MAIN] < 0.0 and not jett
        ld = p[P_LD]
        if hypersonic and ld != 0.0:
            lmag = ld * q * body_cda
            rx = x / r
            ry = yy / r
            rz = z / r
            dot = rx * ux + ry * uy + rz * uz
            nx = rx - dot * ux
            ny = ry - dot * uy
            nz = rz - dot * uz
            nn = math.sqrt(nx * nx + ny * ny + nz * nz)
            if nn > 0.0:
                nx /= nn
                ny /= nn
                nz /= nn
                sx = uy * nz - uz * ny
                sy = uz * nx - ux * nz
                sz = ux * ny - uy * nx
                fx += lmag * (cb * nx + sb * sx)
                fy += lmag * (cb * ny + sb * sy)
                fz += lmag * (cb * nz + sb * sz)
    hr = h - p[P_GROUND]
    dm = 0.0
    if ms[M_RETRO_ON] > 0.0 and m > ms[M_M_CUT]:
        if p[P_R_MODE] == 0.0:
            thrust = p[P_R_THRUST]
            if vair > 0.0:
                fx -= thrust * ax_ / vair
                fy -= thrust * ay_ / vair
                fz -= thrust * az_ / vair
        else:
            # gravity-turn guidance along -v: idle at minimum thrust until the constant
            # deceleration that brings the speed to the target at the ground reaches the
            # braking fraction of what the engines can give, then fly that deceleration
            vt = p[P_R_VT]
            gloc = GM_MARS / r2
            need = 0.0
            if speed > vt:
                need = (speed * speed - vt * vt) / (2.0 * max(hr - GUIDED_HOLD_HEIGHT_M, 0.5))
            if ms[M_ENGAGED] == 0.0 and need >= p[P_R_BRAKE] * (p[P_R_THRUST] / m - gloc):
                ms[M_ENGAGED] = 1.0
            if ms[M_ENGAGED] > 0.0:
                thrust = min(max((need + gloc) * m, p[P_R_TMIN]), p[P_R_THRUST])
            else:
                thrust = p[P_R_TMIN]
            if speed > 0.0:
                fx -= thrust * vx / speed
                fy -= thrust * vy / speed
                fz -= thrust * vz / speed
        dm = -thrust / (p[P_R_ISP] * G0_M_S2)
    inv_m = 1.0 / m
    om = OMEGA_MARS
    dy[0] = vx
    dy[1] = vy
    dy[2] = vz
    # Coriolis -2 w x v = (2 w vy, -2 w vx, 0); centrifugal -w x (w x r) = (w^2 x, w^2 y, 0)
    dy[3] = gx + 2.0 * om * vy + om * om * x + fx * inv_m
    dy[4] = gy - 2.0 * om * vx + om * om * yy + fy * inv_m
    dy[5] = gz + fz * inv_m
    dy[6] = dm
    aux[A_H] = h
    aux[A_HR] = hr
    if not full:
        return
    aux[A_SPEED] = speed
    aux[A_VAIR] = vair
    aux[A_MACH] = mach
    aux[A_Q] = q
    aux[A_G] = math.sqrt(fx * fx + fy * fy + fz * fz) * inv_m / G0_M_S2
    if jett:
        aux[A_HEAT] = 0.0
        aux[A_HEAT_RAD] = 0.0
    else:
        conv = SUTTON_GRAVES_K_MARS * math.sqrt(rho / p[P_RNOSE]) * vair * vair * vair
        aux[A_HEAT_RAD] = radiative_flux_w_m2(rho, vair, p[P_RNOSE])
        aux[A_HEAT] = conv + aux[A_HEAT_RAD]
    aux[A_VUP] = (vx * x + vy * yy + vz * z) / r


@njit(cache=True)
def _rk4(t, y, dt, p, ms, h0, dh, atab, mt, cdt, out, k1, k2, k3, k4, tmp, aux, cb, sb):
    """One RK4 step from (t, y) whose derivative k1 the caller already has."""
    for j in range(7):
        tmp[j] = y[j] + 0.5 * dt * k1[j]
    _accel(t + 0.5 * dt, tmp, p, ms, h0, dh, atab, mt, cdt, k2, aux, cb, sb, False)
    for j in range(7):
        tmp[j] = y[j] + 0.5 * dt * k2[j]
    _accel(t + 0.5 * dt, tmp, p, ms, h0, dh, atab, mt, cdt, k3, aux, cb, sb, False)
    for j in range(7):
        tmp[j] = y[j] + dt * k3[j]
    _accel(t + dt, tmp, p, ms, h0, dh, atab, mt, cdt, k4, aux, cb, sb, False)
    for j in range(7):
        out[j] = y[j] + dt / 6.0 * (k1[j] + 2.0 * k2[j] + 2.0 * k3[j] + k4[j])
