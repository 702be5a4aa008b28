"""The compiled batch integrator: 3-DOF point mass over a rotating, oblate Mars.

State per trajectory: body-fixed position r and planet-relative velocity v (m, m/s) and mass.
Equations of motion in the rotating frame (omega along z)::

    dv/dt = g_J2(r) - 2 omega x v - omega x (omega x r) + (D + L + T) / m
    dm/dt = -|T| / (Isp g0)

Gravity: point mass plus J2 (Konopliv et al. 2006 coefficient, constants.J2_MARS). Drag
opposes the air-relative velocity (planet-relative minus wind); lift (hypersonic phase only) is
L/D times drag, perpendicular to the air-relative velocity, rotated by the bank angle from the
vertical plane. Fixed step RK4 with a step chosen from the deceleration time scale
``dt = clip(k |v| / |a_aero|, dt_min, dt_max)``, further capped while a chute inflates or a
retro burns, and cut to land exactly on every scheduled (timer) event; sensor triggers and the
ground are located inside a step by linear interpolation of the trigger function and a re-taken
partial step. ``tests/test_edl_fly.py`` shows the step convergence.

Stagnation heat flux: Sutton & Graves (1971, NASA TR R-376) q = k sqrt(rho / R_n) V^3 with
k = 1.9027e-4 kg^0.5/m for the Mars (CO2/N2) atmosphere, convective only; its time integral
(trapezoid over the steps) is the heat load. Limits of the vehicle file decide survival: a
canopy deployed beyond its Mach or dynamic-pressure limit fails (adds no drag), and a flight
whose peak load exceeds the structural g limit or whose heat load exceeds the shield's is
lost (``broke_up``, ``burned_through``). The parachute opening load is the largest
deceleration from the first canopy's deployment to the aeroshell's release.

One ``prange`` loop over trajectories; each trajectory runs its own phases and triggers.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from marsprobe.constants import G0_M_S2, GM_MARS, J2_MARS, OMEGA_MARS, R_MARS, R_MARS_POLAR
from marsprobe.edl.params import PARAM_INDEX as _I

SUTTON_GRAVES_K_MARS = 1.9027e-4  # kg^0.5/m, Sutton & Graves 1971 (NASA TR R-376), Mars gas

# event slots
EVENT_NAMES = (
    "entry",
    "peak_deceleration",
    "peak_heating",
    "pilot_chute",
    "main_chute",
    "jettison",
    "retro_ignition",
    "retro_cutoff",
    "touchdown",
    "marker",
)
(
    EV_ENTRY,
    EV_PEAK_G,
    EV_PEAK_Q,
    EV_PILOT,
    EV_MAIN,
    EV_JETT,
    EV_RETRO,
    EV_RETRO_OFF,
    EV_TD,
    EV_MARK,
) = range(10)
NEV = 10
EVENT_FIELDS = (
    "t_s",
    "altitude_m",
    "speed_m_s",
    "mach",
    "dynamic_pressure_pa",
    "g_load",
    "height_above_ground_m",
)
NEF = 7
TOUCHDOWN_FIELDS = (
    "t_s",
    "speed_m_s",
    "vertical_speed_m_s",
    "horizontal_speed_m_s",
    "lat_deg",
    "lon_deg",
    "mass_kg",
    "peak_g_load",
    "peak_heat_flux_w_m2",
    "heat_load_j_cm2",
    "chute_opening_g_load",
)
NTD = 11
HISTORY_FIELDS = (
    "t_s",
    "altitude_m",
    "speed_m_s",
    "mach",
    "dynamic_pressure_pa",
    "g_load",
    "phase",
)
NHIST = 7
OUTCOMES = ("landed", "crashed", "skipped_out", "timeout", "broke_up", "burned_through")
PHASES = ("hypersonic", "pilot_chute", "main_chute", "terminal", "landed")

# parameter columns (compile-time constants for numba)
P_MASS = _I["mass_kg"]
P_AREA = _I["area_m2"]
P_CD_SCALE = _I["cd_scale"]
P_LD = _I["lift_to_drag"]
P_BANK = _I["bank_deg"]
P_RNOSE = _I["nose_radius_m"]
P_DSCALE = _I["density_scale"]
P_DGROW = _I["density_scale_growth_per_km"]
P_WIND_E = _I["wind_east_m_s"]
P_WIND_N = _I["wind_north_m_s"]
P_GROUND = _I["ground_altitude_m"]
P_SURVIVE = _I["survival_speed_m_s"]
P_CAPS_CDA = _I["capsule_cda_m2"]
P_MARKER = _I["marker_altitude_m"]
P_STAGE0 = _I["pilot_chute_present"]
P_PILOT_CDA = _I["pilot_chute_cda_m2"]
P_PILOT_INFL = _I["pilot_chute_inflation_s"]
P_MAIN_CDA = _I["main_chute_cda_m2"]
P_MAIN_INFL = _I["main_chute_inflation_s"]
P_JETT_MASS = _I["jettison_mass_kg"]
P_R_MODE = _I["retro_mode"]
P_R_THRUST = _I["retro_thrust_n"]
P_R_TMIN = _I["retro_thrust_min_n"]
P_R_ISP = _I["retro_isp_s"]
P_R_BURN = _I["retro_burn_time_s"]
P_R_FRAC = _I["retro_burn_fraction"]
P_R_RELEASE = _I["retro_release_chute"]
P_R_RELMASS = _I["retro_release_mass_kg"]
P_R_VT = _I["retro_target_speed_m_s"]
P_R_BRAKE = _I["retro_braking_fraction"]
P_R_PROP = _I["retro_propellant_kg"]
P_PILOT_MAXM = _I["pilot_chute_max_mach"]
P_PILOT_MAXQ = _I["pilot_chute_max_q_pa"]
P_MAIN_MAXM = _I["main_chute_max_mach"]
P_MAIN_MAXQ = _I["main_chute_max_q_pa"]
P_G_LIMIT = _I["g_limit"]
P_HEAT_LIMIT = _I["heat_load_limit_j_cm2"]

# guided descent reaches its target speed this high and holds it to the ground (chosen: the
# Viking terminal descent ended in a constant-speed segment of this order)
GUIDED_HOLD_HEIGHT_M = 15.0
# below this speed the deceleration time scale |v|/|a| stops being the one that matters (a
# parachute or an engine then balances gravity): the step rule uses this speed instead
V_FLOOR_M_S = 200.0

# trigger codes (params.TRIGGER_CODES)
TR_MACH, TR_Q, TR_G, TR_TIMER, TR_ALT = 0, 1, 2, 3, 4

# mode-state slots (per trajectory)
(
    M_T_PILOT,
    M_T_MAIN,
    M_JETT,
    M_T_RETRO,
    M_T_RETRO_OFF,
    M_CHUTE_GONE,
    M_RETRO_ON,
    M_M_CUT,
    M_ENGAGED,
    M_PILOT_TORN,
    M_MAIN_TORN,
) = range(11)
NMODE = 11

# auxiliary quantities written by _accel
A_H, A_HR, A_SPEED, A_VAIR, A_MACH, A_Q, A_G, A_HEAT, A_VUP = range(9)
NAUX = 9

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
    else:
        aux[A_HEAT] = SUTTON_GRAVES_K_MARS * math.sqrt(rho / p[P_RNOSE]) * vair * vair * vair
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


@njit(cache=True, inline="always")
def _record(ev, e, t, aux):
    ev[e, 0] = t
    ev[e, 1] = aux[A_H]
    ev[e, 2] = aux[A_SPEED]
    ev[e, 3] = aux[A_MACH]
    ev[e, 4] = aux[A_Q]
    ev[e, 5] = aux[A_G]
    ev[e, 6] = aux[A_HR]


@njit(cache=True, inline="always")
def _trigger_f(ttype, value, aux):
    """Signed distance to the trigger condition: the condition is met when it falls to <= 0."""
    if ttype == TR_MACH:
        return aux[A_MACH] - value
    if ttype == TR_Q:
        return aux[A_Q] - value
    if ttype == TR_G:
        return aux[A_G] - value
    return aux[A_HR] - value  # TR_ALT


@njit(cache=True)
def fly_one(y0, p, h0, dh, atab, mt, cdt, k_step, dt_min, dt_max, t_max, h_exit, ev, td, hist):
    """Fly one trajectory from state y0 (7,); fill ev (NEV, NEF), td (NTD,), hist (rows, 7).

    Returns (outcome code, phase at the end, number of history rows written).
    """
    y = y0.copy()
    ynew = np.empty(7)
    ysave = np.empty(7)
    k1 = np.empty(7)
    k2 = np.empty(7)
    k3 = np.empty(7)
    k4 = np.empty(7)
    tmp = np.empty(7)
    aux = np.empty(NAUX)
    aux_new = np.empty(NAUX)
    dy = np.empty(7)
    ms = np.empty(NMODE)
    ms[M_T_PILOT] = -1.0
    ms[M_T_MAIN] = -1.0
    ms[M_JETT] = 0.0
    ms[M_T_RETRO] = -1.0
    ms[M_T_RETRO_OFF] = -1.0
    ms[M_CHUTE_GONE] = 0.0
    ms[M_RETRO_ON] = 0.0
    ms[M_M_CUT] = 0.0
    ms[M_ENGAGED] = 0.0
    ms[M_PILOT_TORN] = 0.0
    ms[M_MAIN_TORN] = 0.0
    cb = math.cos(math.radians(p[P_BANK]))
    sb = math.sin(math.radians(p[P_BANK]))
    heat_load = 0.0  # J/m^2, trapezoid over the accepted steps
    open_g = 0.0  # largest load from the first canopy to the aeroshell's release
    for e in range(NEV):
        for f in range(NEF):
            ev[e, f] = np.nan
    for f in range(NTD):
        td[f] = np.nan
    nhist_max = hist.shape[0]
    nh = 0

    t = 0.0
    _accel(t, y, p, ms, h0, dh, atab, mt, cdt, k1, aux, cb, sb, True)
    _record(ev, EV_ENTRY, t, aux)
    peak_g = aux[A_G]
    peak_q = aux[A_HEAT]
    _record(ev, EV_PEAK_G, t, aux)
    _record(ev, EV_PEAK_Q, t, aux)

    # sequencer: the stage being watched, its arming time, whether q/g triggers are primed,
    # and the time a met condition acts (after its delay)
    stage = 0
    while stage < 4 and p[P_STAGE0 + 5 * stage] == 0.0:
        stage += 1
    t_arm = 0.0
    primed = False
    t_act = np.inf
    outcome = 3
    marker = p[P_MARKER]
    marker_done = not (marker == marker)  # NaN: no marker
    guided_off = False

    while True:
        if nh < nhist_max:
            hist[nh, 0] = t
            hist[nh, 1] = aux[A_H]
            hist[nh, 2] = aux[A_SPEED]
            hist[nh, 3] = aux[A_MACH]
            hist[nh, 4] = aux[A_Q]
            hist[nh, 5] = aux[A_G]
            hist[nh, 6] = _phase(ms)
            nh += 1
        if t >= t_max:
            outcome = 3
            break
        if aux[A_H] > h_exit and aux[A_VUP] > 0.0:
            outcome = 2
            break
        # step size from the deceleration time scale, capped by what is going on
        anon = aux[A_G] * G0_M_S2
        dt = dt_max
        if anon > 1e-6:
            dt = min(dt, k_step * max(aux[A_SPEED], V_FLOOR_M_S) / anon)
        for slot, infl_col in ((M_T_PILOT, P_PILOT_INFL), (M_T_MAIN, P_MAIN_INFL)):
            if ms[slot] >= 0.0 and t < ms[slot] + p[infl_col]:
                dt = min(dt, max(p[infl_col] * 0.1, dt_min))
        if ms[M_RETRO_ON] > 0.0:
            if p[P_R_MODE] == 0.0:
                dt = min(dt, max(p[P_R_BURN] * 0.02, dt_min))
            else:
                dt = min(dt, 12.0 * k_step)
        dt = max(dt, dt_min)
        # land exactly on scheduled times
        t_sched = t_act
        if stage < 4 and p[P_STAGE0 + 5 * stage + 2] == TR_TIMER and t_act == np.inf:
            t_sched = min(t_sched, t_arm + p[P_STAGE0 + 5 * stage + 3])
        if ms[M_RETRO_ON] > 0.0 and ms[M_T_RETRO_OFF] >= 0.0:
            t_sched = min(t_sched, ms[M_T_RETRO_OFF])
        if t_sched - t < dt:
            dt = max(t_sched - t, 0.0)
        for j in range(7):
            ysave[j] = y[j]
        _rk4(t, y, dt, p, ms, h0, dh, atab, mt, cdt, ynew, k1, k2, k3, k4, tmp, aux_new, cb, sb)
        _accel(t + dt, ynew, p, ms, h0, dh, atab, mt, cdt, dy, aux_new, cb, sb, True)
        # earliest of: ground contact, the watched sensor trigger, the marker altitude
        theta = 2.0
        what = 0
        if aux_new[A_HR] <= 0.0:
            theta = aux[A_HR] / (aux[A_HR] - aux_new[A_HR])
            what = 1
        watching = stage < 4 and t_act == np.inf
        ttype = p[P_STAGE0 + 5 * stage + 2] if watching else -1.0
        tval = p[P_STAGE0 + 5 * stage + 3] if watching else 0.0
        if watching and ttype != TR_TIMER:
            f0 = _trigger_f(ttype, tval, aux)
            f1 = _trigger_f(ttype, tval, aux_new)
            if (ttype == TR_Q or ttype == TR_G) and not primed:
                if f1 > 0.0:
                    primed = True
            elif f1 <= 0.0:
                th = 0.0 if f0 <= 0.0 else f0 / (f0 - f1)
                if th < theta:
                    theta = th
                    what = 2
        if not marker_done and aux_new[A_H] <= marker:
            th = (aux[A_H] - marker) / (aux[A_H] - aux_new[A_H])
            if th < theta:
                theta = th
                what = 3
        if what != 0:
            dt = dt * min(max(theta, 0.0), 1.0)
            _rk4(
                t,
                ysave,
                dt,
                p,
                ms,
                h0,
                dh,
                atab,
                mt,
                cdt,
                ynew,
                k1,
                k2,
                k3,
                k4,
                tmp,
                aux_new,
                cb,
                sb,
            )
            _accel(t + dt, ynew, p, ms, h0, dh, atab, mt, cdt, dy, aux_new, cb, sb, True)
        heat_load += 0.5 * (aux[A_HEAT] + aux_new[A_HEAT]) * dt
        t = t + dt
        for j in range(7):
            y[j] = ynew[j]
            k1[j] = dy[j]  # the derivative at the new point starts the next step
        for j in range(NAUX):
            aux[j] = aux_new[j]
        if aux[A_G] > peak_g and _phase(ms) == 0 and ms[M_JETT] == 0.0:
            peak_g = aux[A_G]
            _record(ev, EV_PEAK_G, t, aux)
        if aux[A_HEAT] > peak_q:
            peak_q = aux[A_HEAT]
            _record(ev, EV_PEAK_Q, t, aux)
        if _phase(ms) in (1, 2) and ms[M_JETT] == 0.0 and aux[A_G] > open_g:
            open_g = aux[A_G]
        if what == 1:
            _record(ev, EV_TD, t, aux)
            break
        if what == 3:
            _record(ev, EV_MARK, t, aux)
            marker_done = True
        if what == 2:
            t_act = t + p[P_STAGE0 + 5 * stage + 4]
        elif stage < 4 and t_act == np.inf and ttype == TR_TIMER:
            if t >= t_arm + tval - 1e-9:
                t_act = t + p[P_STAGE0 + 5 * stage + 4]
        # guided terminal descent: propellant gone
        if ms[M_RETRO_ON] > 0.0 and p[P_R_MODE] != 0.0 and y[6] <= ms[M_M_CUT] and not guided_off:
            ms[M_RETRO_ON] = 0.0
            guided_off = True
            _record(ev, EV_RETRO_OFF, t, aux)
        if ms[M_RETRO_ON] > 0.0 and ms[M_T_RETRO_OFF] >= 0.0 and t >= ms[M_T_RETRO_OFF] - 1e-9:
            ms[M_RETRO_ON] = 0.0
            _record(ev, EV_RETRO_OFF, t, aux)
        # a met condition acts (after its delay): the stage fires, the next one is armed
        if stage < 4 and t >= t_act - 1e-9:
            base = P_STAGE0 + 5 * stage
            if p[base + 1] != 0.0:
                if stage == 0:
                    ms[M_T_PILOT] = t
                    if aux[A_MACH] > p[P_PILOT_MAXM] or aux[A_Q] > p[P_PILOT_MAXQ]:
                        ms[M_PILOT_TORN] = 1.0  # deployed beyond its limits: it fails
                    _record(ev, EV_PILOT, t, aux)
                elif stage == 1:
                    ms[M_T_MAIN] = t
                    if aux[A_MACH] > p[P_MAIN_MAXM] or aux[A_Q] > p[P_MAIN_MAXQ]:
                        ms[M_MAIN_TORN] = 1.0
                    _record(ev, EV_MAIN, t, aux)
                elif stage == 2:
                    ms[M_JETT] = 1.0
                    y[6] = max(y[6] - p[P_JETT_MASS], 1.0)
                    _record(ev, EV_JETT, t, aux)
                else:
                    if p[P_R_RELEASE] != 0.0:
                        ms[M_CHUTE_GONE] = 1.0
                        y[6] = max(y[6] - p[P_R_RELMASS], 1.0)
                    ms[M_RETRO_ON] = 1.0
                    ms[M_T_RETRO] = t
                    ms[M_M_CUT] = y[6] - p[P_R_PROP]
                    if p[P_R_MODE] == 0.0:
                        ms[M_T_RETRO_OFF] = t + p[P_R_BURN] * p[P_R_FRAC]
                    else:
                        ms[M_M_CUT] = y[6] - p[P_R_PROP] * p[P_R_FRAC]
                    _record(ev, EV_RETRO, t, aux)
                _accel(t, y, p, ms, h0, dh, atab, mt, cdt, k1, aux, cb, sb, True)
            stage += 1
            while stage < 4 and p[P_STAGE0 + 5 * stage] == 0.0:
                stage += 1
            t_arm = t
            primed = False
            t_act = np.inf

    if ev[EV_TD, 0] == ev[EV_TD, 0]:
        vup = aux[A_VUP]
        td[0] = t
        td[1] = aux[A_SPEED]
        td[2] = -vup
        td[3] = math.sqrt(max(aux[A_SPEED] ** 2 - vup * vup, 0.0))
        rr = math.sqrt(y[0] * y[0] + y[1] * y[1] + y[2] * y[2])
        td[4] = math.degrees(math.asin(y[2] / rr))
        td[5] = math.degrees(math.atan2(y[1], y[0]))
        td[6] = y[6]
        outcome = 0 if aux[A_SPEED] <= p[P_SURVIVE] else 1
    td[7] = peak_g
    td[8] = peak_q
    td[9] = heat_load * 1e-4
    td[10] = open_g
    if outcome != 2:  # limits decide a flight that met the ground or ran out of time
        if max(peak_g, open_g) > p[P_G_LIMIT]:
            outcome = 4
        elif heat_load * 1e-4 > p[P_HEAT_LIMIT]:
            outcome = 5
    return outcome, _phase(ms), nh


@njit(cache=True, inline="always")
def _phase(ms):
    if ms[M_T_RETRO] >= 0.0:
        return 3
    if ms[M_T_MAIN] >= 0.0:
        return 2
    if ms[M_T_PILOT] >= 0.0:
        return 1
    return 0


@njit(parallel=True, cache=True)
def fly_batch(y0, P, h0, dh, atab, mt, cdt, k_step, dt_min, dt_max, t_max, h_exit):
    """Fly every row of y0 (N, 7) with parameters P (N, NPARAM). Returns the result arrays."""
    n = y0.shape[0]
    ev = np.empty((n, NEV, NEF))
    td = np.empty((n, NTD))
    outcome = np.empty(n, dtype=np.int8)
    phase = np.empty(n, dtype=np.int8)
    nohist = np.empty((0, NHIST))
    for i in prange(n):
        o, ph, _ = fly_one(
            y0[i],
            P[i],
            h0,
            dh,
            atab,
            mt,
            cdt,
            k_step,
            dt_min,
            dt_max,
            t_max,
            h_exit,
            ev[i],
            td[i],
            nohist,
        )
        outcome[i] = o
        phase[i] = ph
    return ev, td, outcome, phase
