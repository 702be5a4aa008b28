"""A mission's sequence, assembled before flight from the same parameter objects the phases fly.

:func:`assemble` reads each phase's validated parameters (the objects of a flight plan:
``LaunchParams``, ``EscapeParams``, ``CruiseParams``, ``ArrivalParams``, ``HealthParams``,
``EdlParams``, ``SurfaceParams``), the launch vehicle's stages and the entry vehicle's staging,
and writes every command in the vocabulary of :mod:`marsprobe.sequence.commands`. Nothing is
copied: a value changed by a fault is changed here because the phase's object is.
:func:`fault_changes` compares the faulted sequence with the nominal one, command by command.

Objects are read by attribute, so this module does not import the phases (they sit above it).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from marsprobe.edl.vehicle import TRIGGER_TYPES
from marsprobe.sequence.commands import EDL_TRIGGERS, SENSORS, Change, Command, Trigger

Roles = Mapping[str, Any]


def _role(roles: Roles, key: str) -> str:
    prov = roles.get(key)
    if prov is None:
        return ""
    return f"{prov.role}: {prov.detail}" if prov.detail else prov.role


def _finite(x: float | None) -> bool:
    return x is not None and not math.isinf(x)


def assemble(
    launch_utc: str, vehicle: Any, phases: Mapping[str, Any], roles: Roles, edl_vehicle: Any = None
) -> list[Command]:
    """Every command of the flight, in phase order (see the module docstring).

    ``vehicle``: the launch vehicle (:class:`marsprobe.ascent.vehicle.Vehicle`);
    ``edl_vehicle``: the entry vehicle (:class:`marsprobe.edl.vehicle.Vehicle`) or None.
    """
    out: list[Command] = [
        Command("lift-off", "launch", Trigger("epoch", launch_utc), "launch_utc", "design")
    ]
    for phase, build in _BUILDERS:
        params = phases.get(phase)
        if params is not None:
            out += build(params, roles, vehicle=vehicle, edl_vehicle=edl_vehicle)
    return out


def phase_commands(
    phase: str,
    params: Any,
    *,
    vehicle: Any = None,
    edl_vehicle: Any = None,
    roles: Roles | None = None,
) -> list[Command]:
    """The commands of one phase alone, for a phase flown without a mission's sequence
    (``marsprobe cruise``, a stand-alone descent): what :func:`assemble` writes for it."""
    build = dict(_BUILDERS)[phase]
    return build(params, roles or {}, vehicle=vehicle, edl_vehicle=edl_vehicle)


def _cmd(name, phase, trigger, key, roles, enabled=True, detail="") -> Command:
    return Command(name, phase, trigger, key, _role(roles, key), enabled, detail)


def _launch(p, roles, vehicle, **_) -> list[Command]:
    out = []
    for i, stage in enumerate(vehicle.stages[: vehicle.escape_stage]):
        if i == 0:
            continue  # the first stage lights on the pad, with the lift-off
        key = f"vehicle {vehicle.name}: {stage.name}"
        enabled = True
        for fault_key in ("failed_ignition_stage", "ignition_explosion_stage"):
            if getattr(p, fault_key) == i + 1:
                key, enabled = f"launch.{fault_key}", False
        trig = Trigger("timer", 0.0, "s", "stage_burnout")
        out.append(_cmd(f"{stage.name} ignition", "launch", trig, key, roles, enabled=enabled))
    if _finite(p.shroud_jettison_t_s) and p.shroud_mass_kg > 0:
        trig = Trigger("timer", p.shroud_jettison_t_s, "s", "liftoff")
        out.append(
            _cmd(
                "payload shroud jettison",
                "launch",
                trig,
                "launch.shroud_jettison_t_s",
                roles,
                enabled=p.shroud_jettisoned,
            )
        )
    out.append(
        _cmd(
            "parking-orbit cut-off",
            "launch",
            Trigger("sensor", p.parking_apogee_km, "km", "orbit_apogee", falling=False),
            "launch.parking_apogee_km",
            roles,
            detail=f"the guidance's {p.parking_perigee_km:g} x {p.parking_apogee_km:g} km orbit",
        )
    )
    anomalies = [
        ("loss of attitude reference", p.attitude_lost_t_s, "launch.attitude_lost_t_s"),
        ("engine shutdown", p.engine_cutoff_t_s, "launch.engine_cutoff_t_s"),
        ("engine-out", p.engine_out_t_s, "launch.engine_out_t_s"),
        ("stage explosion", p.explosion_t_s, "launch.explosion_t_s"),
    ]
    for name, t, key in anomalies:
        if _finite(t):
            out.append(_cmd(name, "launch", Trigger("timer", t, "s", "liftoff"), key, roles))
    return out


def _escape(p, roles, vehicle, **_) -> list[Command]:
    if vehicle.escape_stage is None:
        return []
    stage = vehicle.stages[vehicle.escape_stage].name
    out = []
    if p.thrust_ra_deg is not None:
        out.append(
            _cmd(
                "hold escape attitude",
                "escape",
                Trigger("timer", 0.0, "s", "parking_insertion"),
                "escape.thrust_ra_deg",
                roles,
                enabled=p.attitude_held,
                detail=f"RA {p.thrust_ra_deg:.2f} deg, Dec {p.thrust_dec_deg:.2f} deg (ICRF)",
            )
        )
    out.append(
        _cmd(
            f"{stage} ignition",
            "escape",
            Trigger("timer", p.timer_s, "s", p.timer_from),
            "escape.timer_s",
            roles,
            enabled=p.ignites and p.ullage_ok,
        )
    )
    if _finite(p.stage_dv_m_s):
        cutoff = Trigger("sensor", p.stage_dv_m_s, "m/s", "accumulated_velocity", falling=False)
        key = "escape.stage_dv_m_s"
    else:
        c3 = p.aim_c3_km2_s2 if p.aim_c3_km2_s2 is not None else p.target_c3_km2_s2
        cutoff = Trigger("sensor", c3, SENSORS["c3"], "c3", falling=False)
        key = "escape.aim_c3_km2_s2" if p.aim_c3_km2_s2 is not None else "escape.target_c3_km2_s2"
    out.append(_cmd(f"{stage} cut-off", "escape", cutoff, key, roles))
    if _finite(p.explosion_after_ignition_s):
        trig = Trigger("timer", p.explosion_after_ignition_s, "s", "escape_ignition")
        out.append(
            _cmd(f"{stage} explosion", "escape", trig, "escape.explosion_after_ignition_s", roles)
        )
    if p.spacecraft_propellant_kg > 0:
        trig = Trigger("timer", p.spacecraft_burn_delay_s, "s", "separation")
        out.append(
            _cmd(
                "spacecraft engine ignition",
                "escape",
                trig,
                "escape.spacecraft_burn_delay_s",
                roles,
            )
        )
    return out


def _cruise(p, roles, **_) -> list[Command]:
    out = []
    for i, date in enumerate(p.tcm_utc, 1):
        out.append(
            _cmd(
                f"course correction {i}", "cruise", Trigger("epoch", date), "cruise.tcm_utc", roles
            )
        )
    return out


HEALTH_EVENTS = (
    ("attitude thrusters disabled (ground command)", "attitude_thrusters_disabled_utc"),
    ("on-board computer failure", "computer_fails_utc"),
    ("telemetry failure", "telemetry_fails_utc"),
    ("attitude-gas leak starts", "gas_leak_start_utc"),
    ("compartment leak starts", "pressure_leak_start_utc"),
)


def _health(p, roles, **_) -> list[Command]:
    out = []
    for name, key in HEALTH_EVENTS:
        value = getattr(p, key)
        if value is not None:
            out.append(_cmd(name, "systems", Trigger("epoch", value), f"health.{key}", roles))
    return out


def _deflection(p, roles) -> Command:
    trig = Trigger("timer", p.deflection_delay_s, "s", "lander_separation")
    return _cmd(
        "lander deflection burn",
        "arrival",
        trig,
        "arrival.deflection_delay_s",
        roles,
        enabled=p.deflection_fires,
        detail=f"aimed at {p.entry_fpa_deg:g} deg at {p.entry_interface_km:g} km",
    )


def _arrival(p, roles, **_) -> list[Command]:
    out = []
    if p.separation_before_periapsis_s is not None:
        trig = Trigger("timer", -p.separation_before_periapsis_s, "s", "periapsis")
        out.append(
            _cmd(
                "lander separation", "arrival", trig, "arrival.separation_before_periapsis_s", roles
            )
        )
        out.append(_deflection(p, roles))
    if p.moi_apoapsis_km is not None:
        out.append(
            _cmd(
                "Mars orbit insertion burn",
                "arrival",
                Trigger("timer", 0.0, "s", "periapsis"),
                "arrival.moi_apoapsis_km",
                roles,
                enabled=p.moi_engine_fires,
                detail=f"sized on board for a {p.moi_apoapsis_km:g} km apoapsis",
            )
        )
    if p.trim_utc is not None:
        out.append(
            _cmd("orbit trim", "arrival", Trigger("epoch", p.trim_utc), "arrival.trim_utc", roles)
        )
    if p.lander_from_orbit_utc is not None:
        trig = Trigger("epoch", p.lander_from_orbit_utc)
        out.append(
            _cmd(
                "lander separation from orbit",
                "arrival",
                trig,
                "arrival.lander_from_orbit_utc",
                roles,
            )
        )
        if p.separation_before_periapsis_s is None:  # released at that epoch, then deflected
            out.append(_deflection(p, roles))
    return out


EDL_STAGES = (
    ("pilot_chute", "pilot parachute deploy"),
    ("main_chute", "main parachute deploy"),
    ("jettison", "heat shield / cone jettison"),
    ("retro", "soft-landing engine ignition"),
)


def _edl(p, roles, edl_vehicle, **_) -> list[Command]:
    """The entry vehicle's staging, each trigger as the EDL kernel reads it."""
    if edl_vehicle is None:
        return []
    out = []
    for stage, name in EDL_STAGES:
        hw = getattr(edl_vehicle, stage, None)
        if hw is None:
            continue
        ttype = hw.trigger.type
        if f"{stage}_trigger_type" in p.set:  # a kernel parameter set in the flight file
            ttype = TRIGGER_TYPES[int(p.set[f"{stage}_trigger_type"])]
        kind, ref = EDL_TRIGGERS[ttype]
        value = p.set.get(f"{stage}_trigger_value", hw.trigger.value)
        delay = p.set.get(f"{stage}_delay_s", hw.trigger.delay_s)
        if kind == "timer":
            ref = "entry_interface" if not out else ref
            trig = Trigger("timer", value, "s", ref, delay_s=float(delay))
        else:
            falling = ttype in ("mach", "altitude")
            trig = Trigger("sensor", value, SENSORS[ref], ref, falling, float(delay))
        enabled = bool(p.set.get(f"{stage}_enabled", 1))
        detail = f"then {delay:g} s" if delay else ""
        key = (
            f"edl.{stage}_enabled"
            if f"{stage}_enabled" in p.set
            else f"edl vehicle {p.vehicle}: {stage}"
        )
        out.append(_cmd(name, "edl", trig, key, roles, enabled=enabled, detail=detail))
    return out


def _surface(p, roles, **_) -> list[Command]:
    if math.isinf(p.transmission_s):
        return []
    trig = Trigger("timer", p.transmission_s, "s", "touchdown")
    return [_cmd("end of surface transmission", "surface", trig, "surface.transmission_s", roles)]


def fault_changes(
    nominal: list[Command], faulted: list[Command], fault_of: Callable[[str], str]
) -> list[Change]:
    """Each command a fault changes, adds or disables (``fault_of``: the fault of a source)."""
    before = {(c.phase, c.name): c for c in nominal}
    changes = []
    for c in faulted:
        old = before.get((c.phase, c.name))
        if old is not None and (old.trigger, old.enabled, old.detail) == (
            c.trigger,
            c.enabled,
            c.detail,
        ):
            continue
        fault = fault_of(c.source)
        if not fault:
            continue
        after = _state(c)
        was = "" if old is None else _state(old)
        changes.append(Change(fault, c.name, was, after, c.source))
    return changes


def _state(c: Command) -> str:
    text = c.trigger.text() + (f" ({c.detail})" if c.detail else "")
    return text if c.enabled else f"{text}, but does not act"


_BUILDERS: list[tuple[str, Callable[..., list[Command]]]] = [
    ("launch", _launch),
    ("escape", _escape),
    ("cruise", _cruise),
    ("health", _health),
    ("arrival", _arrival),
    ("edl", _edl),
    ("surface", _surface),
]
