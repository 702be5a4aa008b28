"""The compiled batch integrator: each trajectory's steps, phases and triggers.

The equations of motion (3-DOF point mass over a rotating, oblate Mars, Sutton & Graves heat
flux) and the RK4 step are in :mod:`marsprobe.edl.eom`; the array slots in
:mod:`marsprobe.edl.slots`. Here: fixed step classical RK4 (Hairer, Norsett & Wanner 1993,
sec. II.1) with a step chosen from the deceleration time scale
``dt = clip(k |v| / |a_aero|, dt_min, dt_max)``, further capped while a chute inflates or a
retro burns, and cut to land exactly on every scheduled (timer) event; sensor triggers and the
ground are located inside a step by linear interpolation of the trigger function and a re-taken
partial step. ``tests/test_edl_fly.py`` shows the step convergence. The last derivative of a
step starts the next one, so a step costs four evaluations.

The heat load is the time integral of the stagnation heat flux, convective (Sutton & Graves)
plus radiative (Tauber & Sutton), by the trapezoid rule over the steps; the radiative part's
peak and integral are also reported.
Limits of the vehicle file decide survival: a canopy deployed beyond its Mach or
dynamic-pressure limit fails (adds no drag), and a flight whose peak load exceeds the
structural g limit or whose heat load exceeds the shield's is lost (``broke_up``,
``burned_through``). The parachute opening load is the largest deceleration from the first
canopy's deployment to the aeroshell's release.

One ``prange`` loop over trajectories; each trajectory runs its own phases and triggers, and
its result does not depend on its batch-mates or on the number of threads.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from marsprobe.constants import G0_M_S2
from marsprobe.edl.eom import _accel, _rk4
from marsprobe.edl.slots import (  # noqa: F401 (the result names are read as kernel.*)
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
    EV_ENTRY,
    EV_JETT,
    EV_MAIN,
    EV_MARK,
    EV_PEAK_G,
    EV_PEAK_Q,
    EV_PILOT,
    EV_RETRO,
    EV_RETRO_OFF,
    EV_TD,
    EVENT_FIELDS,
    EVENT_NAMES,
    HISTORY_FIELDS,
    M_CHUTE_GONE,
    M_ENGAGED,
    M_JETT,
    M_M_CUT,
    M_MAIN_TORN,
    M_PILOT_TORN,
    M_RETRO_ON,
    M_T_MAIN,
    M_T_PILOT,
    M_T_RETRO,
    M_T_RETRO_OFF,
    NAUX,
    NEF,
    NEV,
    NHIST,
    NMODE,
    NTD,
    OUTCOMES,
    P_BANK,
    P_G_LIMIT,
    P_HEAT_LIMIT,
    P_JETT_MASS,
    P_MAIN_INFL,
    P_MAIN_MAXM,
    P_MAIN_MAXQ,
    P_MARKER,
    P_PILOT_INFL,
    P_PILOT_MAXM,
    P_PILOT_MAXQ,
    P_R_BURN,
    P_R_FRAC,
    P_R_MODE,
    P_R_PROP,
    P_R_RELEASE,
    P_R_RELMASS,
    P_STAGE0,
    P_SURVIVE,
    PHASES,
    TOUCHDOWN_FIELDS,
    TR_G,
    TR_MACH,
    TR_Q,
    TR_TIMER,
    V_FLOOR_M_S,
)


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
    rad_load = 0.0  # J/m^2, its radiative part
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
    peak_rad = aux[A_HEAT_RAD]
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
        rad_load += 0.5 * (aux[A_HEAT_RAD] + aux_new[A_HEAT_RAD]) * dt
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
        peak_rad = max(peak_rad, aux[A_HEAT_RAD])
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
    td[11] = peak_rad
    td[12] = rad_load * 1e-4
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
