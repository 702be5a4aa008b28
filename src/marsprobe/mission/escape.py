"""The parking orbit and the escape stage: coast, the timer, the preconditions, the burn.

After the ascent's cut-off the stack (escape stage and spacecraft) coasts on its parking
orbit. The flight sequence's timer (``timer_s`` after orbit insertion: data, so a wrongly
entered timer is just another value) commands the escape stage. Before the main engine can
start the stage must hold its attitude and settle its propellant with ullage thrust: the
two preconditions that made Soviet in-orbit restarts hard. Then the stage flies the burn
to the C3 that the mission's Lambert arc asks for: from the Earth's centre at ignition to
Mars at the design arrival date (heliocentric, DE421 via :mod:`marsprobe.ephemeris`,
:func:`marsprobe.orbits.lambert.lambert`). The burn is finite and follows the velocity
(:mod:`marsprobe.ascent.escape`, gravity losses included); the asymptote it gives is
compared with the Lambert one: how well they agree is the timer's doing.

What stays in orbit (a stage that did not fire, or fired without its attitude, or debris)
decays under drag (:mod:`marsprobe.orbits.decay`); a timer longer than that lifetime
means the stage re-enters before it is commanded.

A flight aimed at no planet (Zond 3's deep-space test) gives ``target_c3_km2_s2`` instead
of ``arrival_utc``: the stage cuts off at that C3 and the asymptote is the timer's.

Parameter table (TOML)::

    [flight.escape]
    arrival_utc = "1971-12-02"
    timer_s = 5400
    stack_area_m2 = 30
    src = ["002_d3f98a46457d5b1f.txt@L75"]
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import Field, field_validator, model_validator

from marsprobe.ascent.capability import best_c3, max_payload  # noqa: F401 (re-exported)
from marsprobe.ascent.escape import escape_burn, hyperbola
from marsprobe.ascent.flight import AscentResult
from marsprobe.ascent.tuning import Launch, icrf_from_ascent
from marsprobe.ascent.vehicle import Stage, Vehicle
from marsprobe.constants import DAY_S, GM_EARTH, GM_SUN, R_EARTH
from marsprobe.errors import ConvergenceError, InputError
from marsprobe.facts import SourceRef, Strict
from marsprobe.mission.launch import Departure, LaunchResult, PhaseEvent
from marsprobe.mission.schema import check_utc
from marsprobe.orbits.decay import ballistic_coefficient, lifetime
from marsprobe.orbits.elements import elements_from_state
from marsprobe.orbits.kepler import propagate
from marsprobe.time import tdb_from_utc

INF = math.inf


class EscapeParams(Strict):
    """Parameters of the parking-orbit coast and escape burn.

    ``arrival_utc``: design arrival at Mars of the Lambert arc the burn aims for; or, for a
    flight aimed at no planet, ``target_c3_km2_s2``: the C3 at which the engine is cut.
    ``timer_s``: from parking-orbit insertion to the escape stage's ignition command.
    ``stack_area_m2``: mean cross-section of the stack (stage and spacecraft) tumbling in
    orbit, for its decay; ``drag_cd`` its drag coefficient; ``debris_bc_kg_m2`` the ballistic
    coefficient of the pieces if the stage explodes. Fault inputs default to nominal.

    Where the spacecraft finished the escape with its own engine (Mars 96 and the Fobos
    craft: the Block D-2 gave a set velocity, then the craft's propulsion unit fired), the
    stage is cut off by its velocity meter at ``stage_dv_m_s`` and, ``spacecraft_burn_delay_s``
    after separation, the spacecraft burns its engine (``spacecraft_thrust_kn``,
    ``spacecraft_isp_s``, from ``spacecraft_propellant_kg``) prograde to the target C3.
    """

    arrival_utc: str | None = None
    target_c3_km2_s2: float | None = Field(default=None, gt=0)
    timer_s: float = Field(gt=0)
    stack_area_m2: float = Field(default=20.0, gt=0)
    drag_cd: float = Field(default=2.2, gt=0)
    debris_bc_kg_m2: float = Field(default=30.0, gt=0)
    src: list[SourceRef] = Field(default_factory=list)
    note: str | None = None
    stage_dv_m_s: float = Field(default=INF, gt=0)
    spacecraft_thrust_kn: float = Field(default=0.0, ge=0)
    spacecraft_isp_s: float = Field(default=300.0, gt=0)
    spacecraft_propellant_kg: float = Field(default=0.0, ge=0)
    spacecraft_burn_delay_s: float = Field(default=0.0, ge=0)
    ignites: bool = True
    ullage_ok: bool = True
    attitude_held: bool = True
    tumble_rate_deg_s: float = Field(default=20.0, ge=0)
    explosion_after_ignition_s: float = INF

    @field_validator("arrival_utc")
    @classmethod
    def _utc(cls, value: str | None) -> str | None:
        return None if value is None else check_utc(value)

    @model_validator(mode="after")
    def _one_target(self) -> EscapeParams:
        if (self.arrival_utc is None) == (self.target_c3_km2_s2 is None):
            raise ValueError("give exactly one of arrival_utc and target_c3_km2_s2")
        return self


def parking_orbit(r, v) -> dict:
    """Perigee/apogee altitudes above the equatorial radius (km), inclination (deg) and
    period (min) of the osculating orbit through ``r``, ``v`` (ascent frame, m and m/s)."""
    el = elements_from_state(r, v, GM_EARTH)
    a, e = float(el.a), float(el.e)
    return {
        "perigee_km": round((a * (1.0 - e) - R_EARTH) / 1e3, 3),
        "apogee_km": round((a * (1.0 + e) - R_EARTH) / 1e3, 3),
        "inclination_deg": round(math.degrees(float(el.i)), 4),
        "period_min": round(2.0 * math.pi * math.sqrt(a**3 / GM_EARTH) / 60.0, 4),
    }


def target_v_inf(t_dep: float, arrival_utc: str) -> np.ndarray:
    """Departure excess velocity (m/s, ICRF) of the Lambert arc from the Earth's centre at
    ``t_dep`` (TDB s) to Mars at ``arrival_utc`` (heliocentric, zero revolutions)."""
    from marsprobe.ephemeris import position, state
    from marsprobe.orbits.lambert import lambert

    t_arr = tdb_from_utc(arrival_utc)
    if t_arr <= t_dep:
        raise InputError(f"arrival_utc {arrival_utc} is not after the departure")
    r_e, v_e = state("earth", t_dep, "sun")
    r_m = position("mars", t_arr, "sun")
    v1, _v2, ok = lambert(GM_SUN, r_e, r_m, t_arr - t_dep)
    if not ok:
        raise ConvergenceError(f"no Lambert arc to Mars arriving {arrival_utc}")
    return np.asarray(v1) - np.asarray(v_e)


def _ra_dec(vec) -> tuple[float, float]:
    from marsprobe.orbits.conics import asymptote_ra_dec

    ra, dec = asymptote_ra_dec(np.asarray(vec, float))
    return math.degrees(float(ra)), math.degrees(float(dec))


def _decay(
    result: LaunchResult, t: float, r_asc, v_asc, launch: Launch, bc: float, label: str
) -> LaunchResult:
    m = icrf_from_ascent(launch.t0)
    life = lifetime(m @ r_asc, m @ v_asc, t, bc)
    result.decay_epoch = life.epoch
    result.lifetime_days = (life.epoch - launch.t0) / DAY_S
    result.extra["decay_model"] = {
        "object": label,
        "ballistic_coefficient_kg_m2": round(bc, 2),
        "decayed": life.decayed,
    }
    result.events.append(
        PhaseEvent(
            "decay",
            life.epoch - launch.t0,
            life.epoch,
            120.0,
            None,
            f"{label} re-enters (mean altitude below 120 km)",
        )
    )
    result.end = "decayed"
    return result


def fly_escape(
    veh: Vehicle,
    launch: Launch,
    res: AscentResult,
    events: list[PhaseEvent],
    params: EscapeParams | None,
    payload: float,
) -> LaunchResult:
    """Coast in the parking orbit reached by ``res`` and fly the escape stage."""
    t_ins = launch.t0 + res.t
    orbit = parking_orbit(res.r, res.v)
    events.append(
        PhaseEvent(
            "parking_orbit",
            res.t,
            t_ins,
            orbit["perigee_km"],
            None,
            f"{orbit['perigee_km']:.0f} x {orbit['apogee_km']:.0f} km, "
            f"{orbit['inclination_deg']:.2f} deg",
        )
    )
    result = LaunchResult("in_parking_orbit", events, launch.t0, parking_orbit=orbit)
    if params is None or veh.escape_stage is None:
        return result
    k = veh.escape_stage
    stage = veh.stages[k]
    prop = res.stage_propellant[k]
    stack_bc = ballistic_coefficient(res.mass, params.stack_area_m2, params.drag_cd)
    m_icrf = icrf_from_ascent(launch.t0)
    life = lifetime(
        m_icrf @ res.r,
        m_icrf @ res.v,
        t_ins,
        stack_bc,
        max_days=max(30.0, params.timer_s / DAY_S + 1.0) if params.timer_s < 4e7 else 400.0,
    )
    t_ign = t_ins + params.timer_s
    if life.decayed and life.epoch < t_ign:
        return _decay(
            result,
            t_ins,
            res.r,
            res.v,
            launch,
            stack_bc,
            f"{stage.name} and spacecraft, before the timer ({params.timer_s:g} s)",
        )
    r, v = propagate(res.r, res.v, params.timer_s, GM_EARTH)
    t_rel = t_ign - launch.t0
    events.append(
        PhaseEvent(
            "ullage",
            t_rel - stage.ullage_s,
            t_ign - stage.ullage_s,
            _alt(r),
            None,
            f"{stage.ullage_s:g} s settling burn",
        )
    )
    ready = (
        params.ignites and params.ullage_ok and (stage.restartable or prop >= stage.propellant_mass)
    )
    if not ready:
        why = "propellant not settled" if not params.ullage_ok else "the engine did not start"
        events.append(
            PhaseEvent("ignition_failure", t_rel, t_ign, _alt(r), None, f"{stage.name}: {why}")
        )
        return _decay(result, t_ins, res.r, res.v, launch, stack_bc, f"{stage.name} and spacecraft")
    if params.arrival_utc is not None:
        v_inf_icrf = target_v_inf(t_ign, params.arrival_utc)
    else:  # only the C3 is aimed for: the direction is not used by the prograde burn
        v_inf_icrf = np.array([math.sqrt(params.target_c3_km2_s2) * 1e3, 0.0, 0.0])
    v_inf_asc = m_icrf.T @ v_inf_icrf
    burn = escape_burn(
        stage,
        prop,
        r,
        v,
        res.mass,
        v_inf_asc,
        max_burn_s=params.explosion_after_ignition_s,
        tumble_rate_deg_s=0.0 if params.attitude_held else params.tumble_rate_deg_s,
        dv_limit=params.stage_dv_m_s,
    )
    events.append(
        PhaseEvent(
            "escape_burn",
            t_rel,
            t_ign,
            _alt(r),
            None,
            f"{stage.name} ignition" + ("" if params.attitude_held else ", attitude not held"),
        )
    )
    t_end = t_ign + burn.t
    if burn.reason == "timeout" and math.isfinite(params.explosion_after_ignition_s):
        events.append(
            PhaseEvent(
                "explosion",
                t_end - launch.t0,
                t_end,
                _alt(burn.r),
                None,
                f"{stage.name} after {burn.t:.1f} s of burn",
            )
        )
        if burn.c3 < 0.0:
            return _decay(
                result,
                t_end,
                burn.r,
                burn.v,
                launch,
                params.debris_bc_kg_m2,
                "debris of the stage and spacecraft",
            )
    target_c3 = float(np.dot(v_inf_icrf, v_inf_icrf))
    if params.target_c3_km2_s2 is not None:
        target_c3 = params.target_c3_km2_s2 * 1e6
    stage_burn = burn
    if burn.reason == "dv" and params.spacecraft_thrust_kn > 0.0:
        burn, t_end = _spacecraft_burn(burn, t_end, stage, prop, params, v_inf_asc, launch, events)
        payload -= burn.propellant_used
        result.extra["spacecraft_burn"] = {
            "duration_s": round(burn.t, 2),
            "propellant_used_kg": round(burn.propellant_used, 1),
        }
    if burn.c3 <= 0.0:
        events.append(
            PhaseEvent(
                "escape_failure",
                t_end - launch.t0,
                t_end,
                _alt(burn.r),
                None,
                f"burn ended '{burn.reason}' still in Earth orbit",
            )
        )
        bc = ballistic_coefficient(burn.mass, params.stack_area_m2, params.drag_cd)
        return _decay(result, t_end, burn.r, burn.v, launch, bc, f"{stage.name} and spacecraft")
    if burn.reason != "target":
        events.append(
            PhaseEvent(
                "escape_failure",
                t_end - launch.t0,
                t_end,
                _alt(burn.r),
                None,
                f"burn ended '{burn.reason}' at C3 {burn.c3 / 1e6:.2f} "
                f"of {target_c3 / 1e6:.2f} km2/s2",
            )
        )
    if "spacecraft_burn" not in result.extra:
        events.append(PhaseEvent("spacecraft_separation", t_end - launch.t0, t_end, _alt(burn.r)))
    result.departure = _departure(
        launch, t_end, burn, v_inf_icrf if params.arrival_utc else None, payload, res
    )
    result.end = "departed"
    result.extra["escape_burn"] = {
        "duration_s": round(stage_burn.t, 2),
        "propellant_used_kg": round(stage_burn.propellant_used, 1),
        "dv_ideal_m_s": round(stage_burn.dv_ideal, 1),
    }
    return result


def _spacecraft_burn(burn, t_end, stage, prop, params, v_inf_asc, launch, events):
    """Separate the stage after its metered burn, coast, and fire the spacecraft's engine."""
    events.append(
        PhaseEvent(
            "spacecraft_separation",
            t_end - launch.t0,
            t_end,
            _alt(burn.r),
            None,
            f"{stage.name} cut off after {burn.dv_ideal:.0f} m/s",
        )
    )
    mass = burn.mass - stage.dry_mass - (prop - burn.propellant_used)
    r, v = propagate(burn.r, burn.v, params.spacecraft_burn_delay_s, GM_EARTH)
    t_ign = t_end + params.spacecraft_burn_delay_s
    engine = Stage(
        name="spacecraft propulsion unit",
        dry_mass=mass - params.spacecraft_propellant_kg,
        propellant_mass=params.spacecraft_propellant_kg,
        thrust_vac=params.spacecraft_thrust_kn * 1e3,
        thrust_sl=params.spacecraft_thrust_kn * 1e3,
        isp_vac=params.spacecraft_isp_s,
    )
    events.append(
        PhaseEvent("spacecraft_burn", t_ign - launch.t0, t_ign, _alt(r), None, engine.name)
    )
    final = escape_burn(engine, params.spacecraft_propellant_kg, r, v, mass, v_inf_asc)
    return final, t_ign + final.t


def _alt(r) -> float:
    return (float(np.linalg.norm(r)) - R_EARTH) / 1e3


def _departure(
    launch: Launch, t_end: float, burn, v_inf_target, payload: float, res: AscentResult
) -> Departure:
    from marsprobe.ephemeris import state

    m = icrf_from_ascent(launch.t0)
    c3, v_inf = hyperbola(burn.r, burn.v)
    v_inf_icrf = m @ v_inf
    ra, dec = _ra_dec(v_inf_icrf)
    if v_inf_target is None:
        ra_t, dec_t, c3_t = math.nan, math.nan, c3
    else:
        ra_t, dec_t = _ra_dec(v_inf_target)
        c3_t = float(np.dot(v_inf_target, v_inf_target))
    r_e, v_e = state("earth", t_end, "sun")
    return Departure(
        epoch=t_end,
        c3_km2_s2=c3 / 1e6,
        vinf_km_s=math.sqrt(c3) / 1e3,
        ra_deg=ra,
        dec_deg=dec,
        r=np.asarray(r_e) + m @ burn.r,
        v=np.asarray(v_e) + m @ burn.v,
        mass_kg=payload + res.shroud_attached,
        target_c3_km2_s2=c3_t / 1e6,
        target_ra_deg=ra_t,
        target_dec_deg=dec_t,
        shroud_attached_kg=res.shroud_attached,
    )


def design_timer(vehicle: Vehicle, launch: Launch, arrival_utc: str, step_s: float = 60.0):
    """Coast (s after orbit insertion) whose escape burn points the asymptote closest to the
    Lambert arc's, scanning one parking-orbit period; returns ``(timer_s, error_deg)``.

    This is how a planner picks the timer for a launch epoch; the catalog records it as a
    computed design value where the sources give none.
    """
    res = launch.nominal
    k = vehicle.escape_stage
    m = icrf_from_ascent(launch.t0)
    el = elements_from_state(res.r, res.v, GM_EARTH)
    period = 2.0 * math.pi * math.sqrt(float(el.a) ** 3 / GM_EARTH)

    def error(dt: float) -> float:
        v_inf = m.T @ target_v_inf(launch.t0 + res.t + dt, arrival_utc)
        r, v = propagate(res.r, res.v, dt, GM_EARTH)
        b = escape_burn(vehicle.stages[k], res.stage_propellant[k], r, v, res.mass, v_inf)
        if b.c3 <= 0.0:
            return 180.0
        c = float(np.dot(b.v_inf, v_inf) / (np.linalg.norm(b.v_inf) * np.linalg.norm(v_inf)))
        return math.degrees(math.acos(max(-1.0, min(1.0, c))))

    grid = np.arange(step_s, period + step_s, step_s)
    errs = [error(float(dt)) for dt in grid]
    best = float(grid[int(np.argmin(errs))])
    fine = np.arange(best - step_s, best + step_s + 1.0, step_s / 10.0)
    fine_errs = [error(float(dt)) for dt in fine]
    j = int(np.argmin(fine_errs))
    return float(fine[j]), float(fine_errs[j])
