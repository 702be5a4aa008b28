"""Point-mass ascent of a multi-stage vehicle over the rotating Earth, with its faults.

Equations of motion in the geocentric inertial frame of :mod:`marsprobe.ascent.earth`:
gravity with J2, thrust ``F(p) = F_vac - p A_e`` along the guidance's direction (or along
the frozen/turning attitude once control is lost), and drag ``1/2 rho |v_rel|^2 Cd(M) S``
against the velocity relative to the air, which turns with the Earth. The state also
carries the attitude error angle and rate of :mod:`marsprobe.ascent.faults`.

Integration: DOP853 (:func:`marsprobe.orbits.ode.solve`, the steps of scipy's ``solve_ivp``
without loading scipy), ``rtol=1e-9`` and absolute tolerances of 1 mm, 1e-6 m/s and 1 g,
restarted at every discontinuity (guidance phase changes, stage
burn-outs and separations, fault times) so that the integrator never steps across one;
terminal state events catch the guidance cut-off, the control limit and ground impact.
"""

from __future__ import annotations

import math

import numpy as np

from marsprobe.ascent import atmosphere
from marsprobe.ascent.earth import altitude
from marsprobe.ascent.faults import AscentFaults, engine_out_torques
from marsprobe.ascent.guidance import Plan
from marsprobe.ascent.stack import AscentResult, Event, FlyingStack
from marsprobe.ascent.vehicle import Vehicle
from marsprobe.constants import GM_EARTH, R_EARTH
from marsprobe.orbits.ode import solve

BREAKUP_ALT_M = 80_000.0
"""Altitude (m) taken as the break-up of an uncontrolled stage falling back (chosen: the
usual 75-85 km of re-entry break-up analyses, e.g. the ESA DRAMA/SARA defaults)."""

NOMINAL = AscentFaults()

_ATOL = np.array([1e-3, 1e-3, 1e-3, 1e-6, 1e-6, 1e-6, 1e-3, 1e-10, 1e-10])
_RTOL = 1e-9


def specific_energy(r, v) -> float:
    """Orbital energy per unit mass (J/kg) of the two-body state ``r``, ``v``."""
    return 0.5 * float(np.dot(v, v)) - GM_EARTH / float(np.linalg.norm(r))


def fly(
    vehicle: Vehicle,
    plan: Plan,
    r0: np.ndarray,
    v0: np.ndarray,
    payload: float,
    faults: AscentFaults | None = None,
    target_energy: float | None = None,
    t_start: float = 0.0,
    start: tuple | None = None,
    t_max: float = 3000.0,
    stop_at: float | None = None,
    shroud_mass: float = 0.0,
    shroud_jettison_t: float = math.inf,
) -> AscentResult:
    """Fly the ascent from lift-off (or from a saved ``start`` state) to its end.

    ``r0``/``v0``: inertial position (m) and velocity (m/s) of the pad at lift-off;
    ``payload`` mass (kg) above the last stage; ``target_energy`` (J/kg) is where the
    guidance cuts the engines (None: burn to depletion). ``shroud_mass`` (kg) is the payload
    shroud, dropped at ``shroud_jettison_t`` (s from lift-off) unless the faults say it
    stays on. ``stop_at`` (s) pauses the flight and returns outcome ``"paused"`` with a
    ``checkpoint`` that ``start`` resumes from (the guidance tuner re-flies only the part
    after the gravity turn).
    """
    faults = faults if faults is not None else NOMINAL
    fl = FlyingStack(vehicle, plan, payload, faults, target_energy, shroud_mass)
    if start is None:
        m0 = vehicle.gross_mass + payload + shroud_mass
        y = np.concatenate([r0, v0, [m0, 0.0, 0.0]])
        t = t_start
        fl.events.append(Event("liftoff", t, r0.copy(), v0.copy()))
        _ignite(fl, t, y, [i for i, s in enumerate(vehicle.stages) if s.ignition == "liftoff"])
    else:
        t, y, state = start
        y = y.copy()
        fl.prop, fl.frac, fl.attached, fl.used = (
            list(state[0]),
            list(state[1]),
            list(state[2]),
            set(state[3]),
        )
        fl.events = list(state[4])
        fl.shroud = state[5]
    track_t = [t]
    track_r = [y[0:3].copy()]
    outcome = None
    cutoff_stage = None
    apogee_seen = False

    def impact(tt, yy):
        return altitude(yy[0:3]) + 1.0 if tt > t_start + 2.0 else 1.0

    impact.terminal = True
    impact.direction = -1

    def cutoff(tt, yy):
        return specific_energy(yy[0:3], yy[3:6]) - fl.target_energy

    cutoff.terminal = True
    cutoff.direction = 1

    def limit(tt, yy):
        return fl.deviation(tt, yy) - math.radians(vehicle.control_limit_deg)

    limit.terminal = True
    limit.direction = 1

    def breakup(tt, yy):
        return altitude(yy[0:3]) - BREAKUP_ALT_M

    breakup.terminal = True
    breakup.direction = -1

    def climbing(tt, yy):
        return float(np.dot(yy[0:3], yy[3:6]))

    climbing.terminal = False
    climbing.direction = -1

    while outcome is None:
        burning = fl.burning()
        times = [t_max]
        for bp in plan.breakpoints():
            times.append(bp)
        ft = faults
        for tf in (ft.engine_cutoff_t, ft.engine_out_t, ft.attitude_lost_t, ft.explosion_t):
            times.append(tf)
        times.extend(fl.depletion_times(t))
        times.extend(vehicle.stages[i].cutoff_t for i, _f in burning)
        if fl.shroud > 0.0:
            times.append(shroud_jettison_t)
        if stop_at is not None:
            times.append(stop_at)
        t_next = min(x for x in times if x > t + 1e-9)
        events = [impact]
        thrusting = bool(burning)
        if thrusting and fl.target_energy is not None and plan.phase(t) == 3 and fl.controlled:
            events.append(cutoff)
        if thrusting and not fl.controlled:
            events.append(limit)
        if not thrusting:
            events.append(breakup)
            events.append(climbing)
        sol = solve(fl.rhs, (t, t_next), y, method="DOP853", rtol=_RTOL, atol=_ATOL, events=events)
        fl.drain(sol.t[-1] - t)
        t, y = float(sol.t[-1]), sol.y[:, -1].copy()
        track_t.extend(sol.t[1:].tolist())
        track_r.extend(sol.y[0:3, 1:].T.tolist())
        k_top = events.index(climbing) if climbing in events else -1
        if k_top >= 0 and sol.t_events[k_top].size and not apogee_seen:
            ta = float(sol.t_events[k_top][0])
            ya = sol.y_events[k_top][0]
            fl.events.append(Event("apogee", ta, ya[0:3].copy(), ya[3:6].copy()))
            apogee_seen = True
        if sol.status == 1:
            fired = [ev for ev, te in zip(events, sol.t_events, strict=True) if te.size]
            fired = [ev for ev in fired if ev.terminal]
            ev = fired[0]
            r, v = y[0:3].copy(), y[3:6].copy()
            if ev is impact:
                fl.events.append(Event("impact", t, r, v))
                outcome = outcome or ("destroyed" if fl.dead else "impact")
            elif ev is cutoff:
                stage = burning[-1][0]
                cutoff_stage = stage
                fl.events.append(Event("cutoff", t, r, v, vehicle.stages[stage].name))
                for i, _f in burning:
                    fl.frac[i] = 0.0
                    s = vehicle.stages[i]
                    if not s.restartable:
                        _separate(fl, t, y, i)
                outcome = "orbit"
            elif ev is limit:
                fl.events.append(
                    Event(
                        "destruct",
                        t,
                        r,
                        v,
                        f"attitude error passed {vehicle.control_limit_deg:g} deg",
                    )
                )
                fl.frac = [0.0] * fl.n
                fl.dead = True
            elif ev is breakup:
                fl.events.append(Event("breakup", t, r, v))
                outcome = "destroyed" if fl.dead else "suborbital"
            continue
        if stop_at is not None and abs(t - stop_at) < 1e-9:
            res = AscentResult(
                "paused",
                list(fl.events),
                t,
                y[0:3].copy(),
                y[3:6].copy(),
                float(y[6]),
                list(fl.prop),
                list(fl.attached),
            )
            res.checkpoint = (
                t,
                y.copy(),
                (
                    list(fl.prop),
                    list(fl.frac),
                    list(fl.attached),
                    set(fl.used),
                    list(fl.events),
                    fl.shroud,
                ),
            )
            return res
        if t >= t_max - 1e-9:
            outcome = "orbit" if _perigee_alt(y) > 100e3 else "suborbital"
            break
        _time_events(fl, t, y, shroud_jettison_t)
        if fl.events[-1].name == "explosion":
            fl.dead = True
        if not fl.burning() and not fl.dead and _perigee_alt(y) > 100e3:
            outcome = "orbit"
    return AscentResult(
        outcome=outcome,
        events=fl.events,
        t=t,
        r=y[0:3].copy(),
        v=y[3:6].copy(),
        mass=float(y[6]),
        stage_propellant=list(fl.prop),
        attached=list(fl.attached),
        cutoff_stage=cutoff_stage,
        shroud_attached=fl.shroud,
        track_t=np.asarray(track_t),
        track_r=np.asarray(track_r),
    )


def _perigee_alt(y) -> float:
    r, v = y[0:3], y[3:6]
    rn = float(np.linalg.norm(r))
    eps = specific_energy(r, v)
    h = np.linalg.norm(np.cross(r, v))
    if eps >= 0.0:
        return math.inf
    a = -GM_EARTH / (2.0 * eps)
    e = math.sqrt(max(0.0, 1.0 - h * h / (GM_EARTH * a)))
    return a * (1.0 - e) - R_EARTH if rn > 0 else -math.inf


def _ignite(fl: FlyingStack, t, y, stages):
    for i in stages:
        fl.used.add(i)
        if fl.faults.failed_ignition_stage == i + 1 or fl.dead:
            fl.events.append(
                Event("ignition_failure", t, y[0:3].copy(), y[3:6].copy(), fl.veh.stages[i].name)
            )
            fl.dead = True
            continue
        fl.frac[i] = 1.0
        fl.events.append(Event("ignition", t, y[0:3].copy(), y[3:6].copy(), fl.veh.stages[i].name))
        if fl.faults.exploding_stage == i + 1:
            fl.events.append(
                Event(
                    "explosion",
                    t,
                    y[0:3].copy(),
                    y[3:6].copy(),
                    f"{fl.veh.stages[i].name} at ignition",
                )
            )
            fl.frac = [0.0] * fl.n
            fl.dead = True
            return


def _separate(fl: FlyingStack, t, y, i):
    if i not in fl.attached:
        return
    y[6] -= fl.veh.stages[i].dry_mass + fl.prop[i]
    fl.attached.remove(i)
    fl.events.append(Event("separation", t, y[0:3].copy(), y[3:6].copy(), fl.veh.stages[i].name))


def _time_events(fl: FlyingStack, t: float, y, shroud_jettison_t: float = math.inf):
    """Everything scheduled at time ``t``: burn-outs, staging, the shroud and the faults."""
    f = fl.faults
    veh = fl.veh
    r, v = y[0:3].copy(), y[3:6].copy()
    if fl.shroud > 0.0 and abs(t - shroud_jettison_t) < 1e-6:
        if f.shroud_jettisoned:
            y[6] -= fl.shroud
            fl.events.append(Event("shroud_jettison", t, r, v, f"{fl.shroud:g} kg"))
            fl.shroud = 0.0
        else:
            fl.events.append(Event("shroud_failure", t, r, v, f"{fl.shroud:g} kg stay on"))
    if abs(t - f.explosion_t) < 1e-6:
        fl.events.append(Event("explosion", t, r, v))
        fl.frac = [0.0] * fl.n
        return
    if abs(t - f.engine_cutoff_t) < 1e-6:
        fl.events.append(Event("engine_failure", t, r, v, "all burning engines cut off"))
        fl.frac = [0.0] * fl.n
        fl.dead = True
    if abs(t - f.engine_out_t) < 1e-6 and f.engines_out > 0:
        i = f.engine_out_stage - 1
        s = veh.stages[i]
        if fl.frac[i] > 0.0:
            k = min(f.engines_out, s.engines)
            fl.frac[i] = (s.engines - k) / s.engines
            fl.lost_engines = k
            h = altitude(r)
            p = float(atmosphere.pressure(h)) if h < 81e3 else 0.0
            arm = veh.cg_fraction * fl.stack_length()
            dist, corr = engine_out_torques(s, k, p, arm)
            fl.events.append(
                Event(
                    "engine_failure",
                    t,
                    r,
                    v,
                    f"{k} of {s.engines} engines of {s.name} lost; "
                    f"torque {dist / 1e6:.2f} MN m against "
                    f"{corr / 1e6:.2f} MN m of control",
                )
            )
            if dist > corr:
                fl.lose_control(t, y, "engine-out torque beyond the steering authority")
                fl.torque = dist - corr
    if abs(t - f.attitude_lost_t) < 1e-6:
        fl.lose_control(t, y, "attitude control lost")
        fl.drift = math.radians(f.attitude_drift_deg_s)
        if fl.lost_engines:
            i = f.engine_out_stage - 1
            h = altitude(r)
            p = float(atmosphere.pressure(h)) if h < 81e3 else 0.0
            fl.torque = engine_out_torques(veh.stages[i], fl.lost_engines, p, 0.0)[0]
    # drop sections at their commanded cut-off (the Atlas booster engines)
    for i, fr in enumerate(fl.frac):
        if fr > 0.0 and abs(t - veh.stages[i].cutoff_t) < 1e-6:
            fl.frac[i] = 0.0
            fl.events.append(Event("engine_cutoff", t, r, v, veh.stages[i].name))
            _separate(fl, t, y, i)
    # burn-outs (a tank run dry): separate, then ignite the next stage when nothing burns
    for i, fr in enumerate(fl.frac):
        j = fl.pool(i)
        if fr > 0.0 and fl.prop[j] <= 1e-6 * veh.stages[j].propellant_mass + 1e-9:
            fl.frac[i] = 0.0
            fl.events.append(Event("burnout", t, r, v, veh.stages[i].name))
            _separate(fl, t, y, i)
    if not fl.burning() and not fl.dead:
        nxt = [i for i in fl.attached if i not in fl.used and veh.stages[i].ignition == "staging"]
        if nxt:
            _ignite(fl, t, y, [nxt[0]])
