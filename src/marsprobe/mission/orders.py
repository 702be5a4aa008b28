"""What each phase's commands say, read off the assembled sequence before the phase flies.

The replay assembles the mission's sequence once
(:func:`marsprobe.mission.flight_sequence.commands_of`) and hands it to the phases as
:class:`marsprobe.sequence.commands.Orders`.
Each phase takes its own commands and flies what they say: change a command and the flight
changes. Three phases read their commands in their own code: the escape stage's ignition
(:func:`marsprobe.mission.departure.escape_timer`), the arrival's separation, deflection,
insertion, trim and release (:func:`arrival_orders` here, read by
:mod:`marsprobe.mission.arrival` and :mod:`marsprobe.mission.lander`) and the entry
vehicle's staging (:func:`marsprobe.mission.descent.fly_descent`, through
:func:`marsprobe.edl.slots.stage_parameters`). The other phases' commands are written back
into the parameter the phase flies (:func:`launch_orders`, :func:`escape_orders`,
:func:`cruise_orders`, :func:`health_orders`, :func:`surface_transmission_s`).

A command whose trigger asks for what the phase cannot fly (a stage lit other than at the
burn-out of the one below, a lander separation not counted from periapsis) is refused with a
:class:`marsprobe.errors.ScenarioError` naming it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marsprobe.errors import ScenarioError
from marsprobe.sequence.commands import Command, Orders
from marsprobe.sequence.flight_computer import HEALTH_EVENTS


def _timer(cmd: Command, *references: str) -> float:
    """A timer command's value, s, checked to count from one of ``references``."""
    t = cmd.trigger
    if t.kind != "timer" or t.reference not in references or t.unit != "s":
        raise ScenarioError(
            f"command '{cmd.name}': the {cmd.phase} phase flies it only as a timer in seconds "
            f"from {' or '.join(references)} (got: {t.text()})"
        )
    return float(t.value)


def _epoch(cmd: Command) -> str:
    if cmd.trigger.kind != "epoch":
        raise ScenarioError(f"command '{cmd.name}': the phase flies it only at a UTC epoch")
    return str(cmd.trigger.value)


def _sensor(cmd: Command, sensor: str) -> float:
    t = cmd.trigger
    if t.kind != "sensor" or t.reference != sensor:
        raise ScenarioError(f"command '{cmd.name}': the phase flies it only on {sensor}")
    return float(t.value)


# ---- launch and escape ------------------------------------------------------------------------


def liftoff_utc(orders: Orders) -> str:
    """The lift-off epoch (UTC) the sequence commands."""
    cmd = orders.take("launch", "lift-off")
    if cmd is None:
        raise ScenarioError("the sequence has no lift-off")
    return _epoch(cmd)


def launch_orders(params: Any, orders: Orders, vehicle: Any) -> Any:
    """``LaunchParams`` as the launch commands say: the upper stages' ignitions (a disabled
    one is a failed ignition), the shroud jettison, the parking-orbit cut-off and the timed
    anomalies."""
    update: dict[str, Any] = {}
    escape = vehicle.escape_stage if vehicle.escape_stage is not None else len(vehicle.stages)
    for i, stage in enumerate(vehicle.stages[1:escape], start=2):
        cmd = orders.take("launch", f"{stage.name} ignition")
        if cmd is None:
            continue
        if _timer(cmd, "stage_burnout") != 0.0:
            raise ScenarioError(
                f"command '{cmd.name}': the ascent lights a stage at the burn-out of the one below"
            )
        faulted = i in (params.failed_ignition_stage, params.ignition_explosion_stage)
        if not cmd.enabled and not faulted:
            update["failed_ignition_stage"] = i
        elif cmd.enabled and faulted:  # that stage's fault only: another stage keeps its own
            for key in ("failed_ignition_stage", "ignition_explosion_stage"):
                if getattr(params, key) == i:
                    update[key] = 0
    cmd = orders.take("launch", "payload shroud jettison")
    if cmd is not None:
        update.update(shroud_jettison_t_s=_timer(cmd, "liftoff"), shroud_jettisoned=cmd.enabled)
    cmd = orders.take("launch", "parking-orbit cut-off")
    if cmd is not None:
        update["parking_apogee_km"] = _sensor(cmd, "orbit_apogee")
    for name, key in (
        ("loss of attitude reference", "attitude_lost_t_s"),
        ("engine shutdown", "engine_cutoff_t_s"),
        ("engine-out", "engine_out_t_s"),
        ("stage explosion", "explosion_t_s"),
    ):
        cmd = orders.take("launch", name)
        if cmd is not None:
            update[key] = _timer(cmd, "liftoff")
    return params.model_copy(update=update)


def escape_orders(params: Any, orders: Orders, vehicle: Any) -> tuple[Any, Command | None]:
    """``EscapeParams`` as the escape commands say (attitude hold, cut-off, explosion, the
    spacecraft's own burn) and the escape stage's ignition command, which the escape phase
    reads itself."""
    if params is None or vehicle.escape_stage is None:
        return params, None
    stage = vehicle.stages[vehicle.escape_stage].name
    update: dict[str, Any] = {}
    cmd = orders.take("escape", "hold escape attitude")
    if cmd is not None:
        update["attitude_held"] = cmd.enabled
    ignition = orders.take("escape", f"{stage} ignition")
    cmd = orders.take("escape", f"{stage} cut-off")
    if cmd is not None:
        if cmd.trigger.reference == "accumulated_velocity":
            update["stage_dv_m_s"] = _sensor(cmd, "accumulated_velocity")
        else:
            update[cmd.source.removeprefix("escape.")] = _sensor(cmd, "c3")
    cmd = orders.take("escape", f"{stage} explosion")
    if cmd is not None:
        update["explosion_after_ignition_s"] = _timer(cmd, "escape_ignition")
    cmd = orders.take("escape", "spacecraft engine ignition")
    if cmd is not None:
        update["spacecraft_burn_delay_s"] = _timer(cmd, "separation")
    return params.model_copy(update=update), ignition


# ---- cruise, systems, surface -----------------------------------------------------------------


def cruise_orders(params: Any, orders: Orders) -> Any:
    """``CruiseParams`` with the course corrections at the epochs the sequence commands."""
    tcms = [c for c in orders.take_all("cruise") if c.name.startswith("course correction")]
    return params.model_copy(update={"tcm_utc": [_epoch(c) for c in tcms]})


def health_orders(params: Any, orders: Orders) -> Any:
    """``HealthParams`` with each commanded or scheduled systems event at its epoch."""
    update = {}
    for name, key in HEALTH_EVENTS:
        cmd = orders.take("systems", name)
        if cmd is not None:
            update[key] = _epoch(cmd)
    return params.model_copy(update=update)


def surface_transmission_s(orders: Orders) -> float | None:
    """How long after touchdown the lander's transmission ends, s (None: not commanded)."""
    cmd = orders.take("surface", "end of surface transmission")
    return None if cmd is None else _timer(cmd, "touchdown")


# ---- arrival ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArrivalOrders:
    """The arrival's commands as the arrival and lander phases fly them.

    ``separation_before_periapsis_s``: the lander's separation, s before the predicted
    periapsis (None: no separation commanded); ``deflection_delay_s`` after it the lander's
    deflection (or de-orbit) burn, which acts if ``deflection_fires``; ``moi_commanded``: an
    orbit-insertion burn is in the sequence, centred ``moi_offset_s`` after the predicted
    periapsis, its engine acting if ``moi_fires``; ``trim_utc``: the site trim's epoch;
    ``lander_from_orbit_utc``: the pass on which the lander is released from orbit.
    """

    separation_before_periapsis_s: float | None = None
    deflection_delay_s: float = 0.0
    deflection_fires: bool = False
    moi_commanded: bool = False
    moi_fires: bool = False
    moi_offset_s: float = 0.0
    trim_utc: str | None = None
    lander_from_orbit_utc: str | None = None


def arrival_orders(orders: Orders) -> ArrivalOrders:
    """Take the arrival's commands (see :class:`ArrivalOrders`)."""
    out: dict[str, Any] = {}
    sep = orders.take("arrival", "lander separation")
    if sep is not None:
        out["separation_before_periapsis_s"] = -_timer(sep, "periapsis")
    deflection = orders.take("arrival", "lander deflection burn")
    if deflection is not None:
        out["deflection_delay_s"] = _timer(deflection, "lander_separation")
        out["deflection_fires"] = deflection.enabled
    moi = orders.take("arrival", "Mars orbit insertion burn")
    if moi is not None:
        out.update(moi_commanded=True, moi_fires=moi.enabled)
        out["moi_offset_s"] = _timer(moi, "periapsis")
    trim = orders.take("arrival", "orbit trim")
    if trim is not None:
        out["trim_utc"] = _epoch(trim)
    release = orders.take("arrival", "lander separation from orbit")
    if release is not None:
        out["lander_from_orbit_utc"] = _epoch(release)
    lander = sep is not None or release is not None
    if lander and deflection is None:
        raise ScenarioError("a lander separation is commanded without its deflection burn")
    return ArrivalOrders(**out)
