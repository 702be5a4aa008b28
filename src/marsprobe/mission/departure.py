"""The parking orbit and the escape stage: coast, the timer, the preconditions, the burn.

After the ascent's cut-off the stack (escape stage and spacecraft) coasts on its parking
orbit (gravity with J2, :func:`marsprobe.ascent.escape.coast`). The flight sequence's timer
(``timer_s`` after orbit insertion: data, so a wrongly entered timer is just another value)
commands the escape stage. Before the main engine can start the stage must hold its
attitude and settle its propellant with ullage thrust: the two preconditions that made
Soviet in-orbit restarts hard. Then the stage fires holding the inertial attitude its gyro
platform was loaded with (``thrust_ra_deg``, ``thrust_dec_deg``) and its engine is cut at
the design C3 (``aim_c3_km2_s2``); the burn is finite (:mod:`marsprobe.ascent.escape`,
gravity losses included). Timer, attitude and the launch targets (C3 and the outgoing
asymptote's ``aim_ra_deg``/``aim_dec_deg``) are design values computed before flight
(:mod:`marsprobe.analysis.escape_design`); the asymptote the burn gives is compared with the
target: the angle between them is the design's residual, or a fault's doing.

A table without the design values flies the older way: the stage follows its velocity and
cuts off at the C3 of the Lambert arc from the Earth's centre at ignition to Mars at the
design arrival date (heliocentric, DE421 via :mod:`marsprobe.ephemeris`,
:func:`marsprobe.orbits.lambert.lambert`); where the asymptote then points is the timer's.

What stays in orbit (a stage that did not fire, or fired without its attitude, or debris)
decays under drag (:mod:`marsprobe.mission.parking`); a timer longer than that lifetime
means the stage re-enters before it is commanded.

A flight aimed at no planet (Zond 3's deep-space test) gives ``target_c3_km2_s2`` instead
of ``arrival_utc``: the stage cuts off at that C3 and the asymptote is the timer's.

Parameter table (TOML)::

    [flight.escape]                     # Mars 3
    arrival_utc = "1971-12-02"
    timer_s = 4683.7
    thrust_ra_deg = 282.60147
    thrust_dec_deg = 17.56252
    aim_c3_km2_s2 = 8.23254
    aim_ra_deg = 329.11797
    aim_dec_deg = -25.48207
    stack_area_m2 = 30
    src = ["002_d3f98a46457d5b1f.txt@L87", "marsprobe"]
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from marsprobe.ascent.escape import angle_deg, coast, escape_burn, hyperbola
from marsprobe.ascent.flight import AscentResult
from marsprobe.ascent.tuning import Launch, icrf_from_ascent
from marsprobe.ascent.vehicle import Stage, Vehicle
from marsprobe.constants import GM_SUN
from marsprobe.errors import ConvergenceError, InputError
from marsprobe.facts import SourceRef, Strict
from marsprobe.mission.handover import Departure, Event, LaunchResult, launch_event
from marsprobe.mission.parking import altitude_km, decay, decays_within, insertion
from marsprobe.mission.schema import check_utc
from marsprobe.orbits.decay import ballistic_coefficient
from marsprobe.sequence.commands import Command
from marsprobe.time import tdb_from_utc

INF = math.inf


class EscapeParams(Strict):
    """Parameters of the parking-orbit coast and escape burn.

    ``arrival_utc``: design arrival at Mars of the Lambert arc the burn aims for; or, for a
    flight aimed at no planet, ``target_c3_km2_s2``: the C3 at which the engine is cut.
    ``timer_s``: from parking-orbit insertion to the escape stage's ignition command, or from
    lift-off where ``timer_from = "liftoff"`` (a timer some sources count from launch).
    ``stack_area_m2``: mean cross-section of the stack (stage and spacecraft) tumbling in
    orbit, for its decay (the catalog's are chosen: a quarter of the surface of stage and
    spacecraft, a tumbling body's mean cross-section); ``drag_cd`` its drag coefficient;
    ``debris_bc_kg_m2`` the ballistic coefficient of the pieces if the stage explodes. Fault
    inputs default to nominal.

    Where the spacecraft finished the escape with its own engine (Mars 96 and the Fobos
    craft: the Block D-2 gave a set velocity, then the craft's propulsion unit fired), the
    stage is cut off by its velocity meter at ``stage_dv_m_s`` and, ``spacecraft_burn_delay_s``
    after separation, the spacecraft burns its engine (``spacecraft_thrust_kn``,
    ``spacecraft_isp_s``, from ``spacecraft_propellant_kg``) prograde to the target C3.

    Design values (all optional, computed before flight by
    :mod:`marsprobe.analysis.escape_design`): ``thrust_ra_deg``/``thrust_dec_deg``, the ICRF
    direction of the thrust axis the stage holds through its burn (without them it follows
    its velocity), and the launch targets ``aim_c3_km2_s2``, ``aim_ra_deg``, ``aim_dec_deg``
    (the cut-off C3 and the outgoing asymptote aimed at; without them, the Lambert arc's).
    A stage that has lost its attitude (``attitude_held = false``) tumbles while it fires,
    at ``tumble_rate_deg_s`` at ignition, spun up by its own thrust at
    ``tumble_spinup_deg_s2``.
    """

    arrival_utc: str | None = Field(
        None, description="Design arrival at Mars of the arc the burn aims for, UTC."
    )
    target_c3_km2_s2: float | None = Field(
        default=None, gt=0, description="Instead of arrival_utc (no planet aimed at): cut-off C3."
    )
    timer_s: float = Field(
        gt=0, description="Timer from parking-orbit insertion (or lift-off) to ignition, s."
    )
    timer_from: Literal["parking_insertion", "liftoff"] = Field(
        "parking_insertion", description="What the timer counts from."
    )
    stack_area_m2: float = Field(
        default=20.0,
        gt=0,
        description="Mean cross-section of the tumbling stack, for its decay (chosen), m^2.",
    )
    drag_cd: float = Field(
        default=2.2, gt=0, description="Drag coefficient of the stack in orbit (dimensionless)."
    )
    debris_bc_kg_m2: float = Field(
        default=30.0,
        gt=0,
        description="Ballistic coefficient of the pieces if the stage explodes, kg/m^2.",
    )
    src: list[SourceRef] = Field(
        default_factory=list, description="Sources (``id@locator``) of the design values."
    )
    note: str | None = Field(None, description="Free text: why the values are what they are.")
    stage_dv_m_s: float = Field(
        default=INF,
        gt=0,
        description="Velocity the stage's meter cuts off at, where the craft finishes the "
        "escape itself, m/s.",
    )
    spacecraft_thrust_kn: float = Field(
        default=0.0, ge=0, description="The craft's own engine finishing the escape: thrust, kN."
    )
    spacecraft_isp_s: float = Field(
        default=300.0, gt=0, description="That engine's specific impulse, s."
    )
    spacecraft_propellant_kg: float = Field(
        default=0.0, ge=0, description="Propellant it may use for the escape, kg."
    )
    spacecraft_burn_delay_s: float = Field(
        default=0.0, ge=0, description="From separation to the craft's burn, s."
    )
    ignites: bool = Field(True, description="Fault input: false, the escape stage never fires.")
    ullage_ok: bool = Field(
        True, description="Fault input: false, the propellant is not settled and it cannot start."
    )
    attitude_held: bool = Field(
        True, description="Fault input: false, the stage tumbles while it fires."
    )
    tumble_rate_deg_s: float = Field(
        default=20.0, ge=0, description="Tumble rate at ignition without attitude, deg/s."
    )
    # chosen: a thrust line 2 cm off the centre of mass (0.2 deg over a 6 m stage) turns a
    # Block L stack (66.7 kN; 6.4 t, 10 m long, I ~ m L^2 / 12 ~ 5e4 kg m^2) at 1.5 deg/s^2
    tumble_spinup_deg_s2: float = Field(
        default=1.5, ge=0, description="Spin-up of that tumble by the stage's thrust, deg/s^2."
    )
    explosion_after_ignition_s: float = Field(
        INF, description="Fault input: the stage explodes that long after it ignites, s."
    )
    thrust_ra_deg: float | None = Field(
        default=None,
        ge=0,
        lt=360,
        description="Design: thrust axis held in the burn, ICRF RA, deg.",
    )
    thrust_dec_deg: float | None = Field(
        default=None, ge=-90, le=90, description="Design: thrust axis, ICRF declination, deg."
    )
    aim_c3_km2_s2: float | None = Field(
        default=None, gt=0, description="Design: the C3 the engine is cut at, km^2/s^2."
    )
    aim_ra_deg: float | None = Field(
        default=None, ge=0, lt=360, description="Design: outgoing asymptote aimed at, ICRF RA, deg."
    )
    aim_dec_deg: float | None = Field(
        default=None,
        ge=-90,
        le=90,
        description="Design: outgoing asymptote aimed at, ICRF declination, deg.",
    )

    @field_validator("arrival_utc")
    @classmethod
    def _utc(cls, value: str | None) -> str | None:
        return None if value is None else check_utc(value)

    @model_validator(mode="after")
    def _one_target(self) -> EscapeParams:
        if (self.arrival_utc is None) == (self.target_c3_km2_s2 is None):
            raise ValueError("give exactly one of arrival_utc and target_c3_km2_s2")
        if (self.thrust_ra_deg is None) != (self.thrust_dec_deg is None):
            raise ValueError("give both thrust_ra_deg and thrust_dec_deg, or neither")
        aim = (self.aim_c3_km2_s2, self.aim_ra_deg, self.aim_dec_deg)
        if any(x is None for x in aim) and any(x is not None for x in aim):
            raise ValueError("give all of aim_c3_km2_s2, aim_ra_deg, aim_dec_deg, or none")
        if self.aim_c3_km2_s2 is not None and self.arrival_utc is None:
            raise ValueError("aim_* are the launch targets of a flight with an arrival_utc")
        return self

    def aim(self) -> np.ndarray | None:
        """The design excess velocity vector (m/s, ICRF), or None."""
        if self.aim_c3_km2_s2 is None:
            return None
        return math.sqrt(self.aim_c3_km2_s2) * 1e3 * unit_vector(self.aim_ra_deg, self.aim_dec_deg)

    def thrust_axis(self) -> np.ndarray | None:
        """The held thrust direction (unit vector, ICRF), or None (velocity-following)."""
        if self.thrust_ra_deg is None:
            return None
        return unit_vector(self.thrust_ra_deg, self.thrust_dec_deg)


def unit_vector(ra_deg: float, dec_deg: float) -> np.ndarray:
    """Unit vector of right ascension and declination (deg)."""
    ra, dec = math.radians(ra_deg), math.radians(dec_deg)
    return np.array([math.cos(dec) * math.cos(ra), math.cos(dec) * math.sin(ra), math.sin(dec)])


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


def escape_timer(params: EscapeParams, ignition: Command | None) -> tuple[float, str, bool]:
    """The escape stage's ignition command: its timer, s, the event the timer counts from
    (``parking_insertion`` or ``liftoff``) and whether the engine acts. Without a sequence
    (a launch flown on its own) the command is the one assembled from ``params``."""
    if ignition is None:
        return params.timer_s, params.timer_from, params.ignites and params.ullage_ok
    trig = ignition.trigger
    if trig.kind != "timer" or trig.reference not in ("parking_insertion", "liftoff"):
        raise InputError(
            f"command '{ignition.name}': the escape stage is lit by a timer from parking-orbit "
            f"insertion or lift-off (got: {trig.text()})"
        )
    return float(trig.value), trig.reference, ignition.enabled


def fly_escape(
    veh: Vehicle,
    launch: Launch,
    res: AscentResult,
    events: list[Event],
    params: EscapeParams | None,
    payload: float,
    ignition: Command | None = None,
) -> LaunchResult:
    """Coast in the parking orbit reached by ``res`` and fly the escape stage, lit by the
    sequence's ``ignition`` command (:func:`escape_timer`)."""
    t_ins = launch.t0 + res.t
    result = insertion(launch, res, events)
    if params is None or veh.escape_stage is None:
        return result
    k = veh.escape_stage
    stage = veh.stages[k]
    prop = res.stage_propellant[k]
    stack_bc = ballistic_coefficient(res.mass, params.stack_area_m2, params.drag_cd)
    m_icrf = icrf_from_ascent(launch.t0)
    timer_s, timer_from, acts = escape_timer(params, ignition)
    coast_s = timer_s - (res.t if timer_from == "liftoff" else 0.0)
    if coast_s <= 0.0:
        raise InputError(
            f"escape.timer_s: {timer_s:g} s from lift-off fires before orbit insertion "
            f"({res.t:.1f} s)"
        )
    t_ign = t_ins + coast_s
    if decays_within(launch, t_ins, res.r, res.v, stack_bc, coast_s):
        return decay(
            result,
            t_ins,
            res.r,
            res.v,
            launch,
            stack_bc,
            f"{stage.name} and spacecraft, before the timer ({timer_s:g} s)",
        )
    r, v = coast(res.r, res.v, coast_s)
    t_rel = t_ign - launch.t0
    events.append(
        launch_event(
            "ullage",
            t_rel - stage.ullage_s,
            t_ign - stage.ullage_s,
            altitude_km(r),
            None,
            f"{stage.ullage_s:g} s settling burn",
        )
    )
    ready = acts and (stage.restartable or prop >= stage.propellant_mass)
    if not ready:
        why = "propellant not settled" if not params.ullage_ok else "the engine did not start"
        events.append(
            launch_event(
                "ignition_failure", t_rel, t_ign, altitude_km(r), None, f"{stage.name}: {why}"
            )
        )
        return decay(result, t_ins, res.r, res.v, launch, stack_bc, f"{stage.name} and spacecraft")
    aim = params.aim()
    if aim is not None:
        v_inf_icrf = aim
    elif params.arrival_utc is not None:
        v_inf_icrf = target_v_inf(t_ign, params.arrival_utc)
    else:  # only the C3 is aimed for: the direction is not used by the prograde burn
        v_inf_icrf = np.array([math.sqrt(params.target_c3_km2_s2) * 1e3, 0.0, 0.0])
    v_inf_asc = m_icrf.T @ v_inf_icrf
    axis = params.thrust_axis()
    tumbling = not params.attitude_held
    burn = escape_burn(
        stage,
        prop,
        r,
        v,
        res.mass,
        v_inf_asc,
        max_burn_s=params.explosion_after_ignition_s,
        tumble_rate_deg_s=params.tumble_rate_deg_s if tumbling else 0.0,
        tumble_spinup_deg_s2=params.tumble_spinup_deg_s2 if tumbling else 0.0,
        dv_limit=params.stage_dv_m_s,
        attitude=None if axis is None else m_icrf.T @ axis,
    )
    events.append(
        launch_event(
            "escape_burn",
            t_rel,
            t_ign,
            altitude_km(r),
            None,
            f"{stage.name} ignition" + ("" if params.attitude_held else ", attitude not held"),
        )
    )
    t_end = t_ign + burn.t
    if burn.reason == "timeout" and math.isfinite(params.explosion_after_ignition_s):
        events.append(
            launch_event(
                "explosion",
                t_end - launch.t0,
                t_end,
                altitude_km(burn.r),
                None,
                f"{stage.name} after {burn.t:.1f} s of burn",
            )
        )
        if burn.c3 < 0.0:
            return decay(
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
            "propellant_left_kg": round(params.spacecraft_propellant_kg - burn.propellant_used, 1),
        }

    def failed(detail: str) -> None:
        t = t_end - launch.t0
        events.append(launch_event("escape_failure", t, t_end, altitude_km(burn.r), None, detail))

    if burn.c3 <= 0.0:
        failed(f"burn ended '{burn.reason}' still in Earth orbit")
        bc = ballistic_coefficient(burn.mass, params.stack_area_m2, params.drag_cd)
        return decay(result, t_end, burn.r, burn.v, launch, bc, f"{stage.name} and spacecraft")
    if burn.reason != "target":
        failed(
            f"burn ended '{burn.reason}' at C3 {burn.c3 / 1e6:.2f} of {target_c3 / 1e6:.2f} km2/s2"
        )
    if "spacecraft_burn" not in result.extra:
        events.append(
            launch_event("spacecraft_separation", t_end - launch.t0, t_end, altitude_km(burn.r))
        )
    result.departure = _departure(
        launch, t_end, burn, v_inf_icrf if params.arrival_utc else None, payload, res
    )
    if "spacecraft_burn" in result.extra:  # the craft's own tanks paid for part of the escape
        result.departure.propellant_used_kg = result.extra["spacecraft_burn"]["propellant_used_kg"]
    result.end = "departed"
    result.extra["escape_burn"] = {
        "duration_s": round(stage_burn.t, 2),
        "propellant_used_kg": round(stage_burn.propellant_used, 1),
        "propellant_left_kg": round(prop - stage_burn.propellant_used, 1),
        "dv_ideal_m_s": round(stage_burn.dv_ideal, 1),
        "attitude": "velocity-following" if axis is None else "inertial hold",
    }
    if params.arrival_utc is not None and burn.c3 > 0.0:
        result.extra["escape_burn"]["asymptote_error_deg"] = round(
            angle_deg(burn.v_inf, v_inf_asc), 4
        )
    return result


def _spacecraft_burn(burn, t_end, stage, prop, params, v_inf_asc, launch, events):
    """Separate the stage after its metered burn, coast, and fire the spacecraft's engine."""
    events.append(
        launch_event(
            "spacecraft_separation",
            t_end - launch.t0,
            t_end,
            altitude_km(burn.r),
            None,
            f"{stage.name} cut off after {burn.dv_ideal:.0f} m/s",
        )
    )
    mass = burn.mass - stage.dry_mass - (prop - burn.propellant_used)
    r, v = coast(burn.r, burn.v, params.spacecraft_burn_delay_s)
    t_ign = t_end + params.spacecraft_burn_delay_s
    engine = spacecraft_engine(mass, params)
    events.append(
        launch_event("spacecraft_burn", t_ign - launch.t0, t_ign, altitude_km(r), None, engine.name)
    )
    final = escape_burn(engine, params.spacecraft_propellant_kg, r, v, mass, v_inf_asc)
    return final, t_ign + final.t


def spacecraft_engine(mass: float, params: EscapeParams) -> Stage:
    """The spacecraft's propulsion unit as a stage: ``mass`` (kg) is the separated craft,
    its escape propellant included."""
    return Stage(
        name="spacecraft propulsion unit",
        dry_mass=mass - params.spacecraft_propellant_kg,
        propellant_mass=params.spacecraft_propellant_kg,
        thrust_vac=params.spacecraft_thrust_kn * 1e3,
        thrust_sl=params.spacecraft_thrust_kn * 1e3,
        isp_vac=params.spacecraft_isp_s,
    )


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
