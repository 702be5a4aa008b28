"""Spacecraft systems in cruise and in orbit: gas, power, pressure, computer, radio.

The cruise physics says where a probe is; this module says whether it is still
alive there. Each system is a small budget with a nominal design and fault
parameters that default to "no fault":

* attitude gas: a tank of ``attitude_gas_kg`` used at ``gas_use_kg_per_day``,
  drained faster by a leak of ``gas_leak_kg_per_day`` from ``gas_leak_start_days``.
  An empty tank means no attitude control, so no high-gain pointing: contact is lost.
* power: deployed solar panels give ``panel_power_w`` at 1 AU, falling as 1/r^2
  with the distance from the Sun along the computed trajectory. When the panels
  give less than the ``load_w`` the probe needs, the battery (``battery_wh``)
  covers the deficit until it is empty.
* attitude thrusters disabled (a bad uplinked command): the probe drifts off the
  Sun at once, the panels give nothing, and the battery lasts ``battery_wh / load_w``.
* computer: a failure at ``computer_fails_days`` ends the mission there.
* pressure: the instrument compartment loses ``pressure_leak_kpa_per_day`` from
  ``pressure_leak_start_days``; below ``min_pressure_kpa`` the electronics stop.
* telemetry: a failed telemetry system (``telemetry_fails_days``) leaves a probe
  that still flies and obeys commands but whose data are lost; it is reported, it
  does not end the mission.

Dates of faults (a bad command, a failure) are UTC strings in the flight file, as
the sources give them; rates are per day. Inside, times are days from launch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from pydantic import Field, field_validator

from marsprobe.facts import SourceRef, Strict

NEVER = math.inf


class HealthParams(Strict):
    """Design budgets and fault parameters of a spacecraft's systems (see module doc)."""

    attitude_gas_kg: float = Field(
        default=NEVER, gt=0, description="Attitude-control gas loaded (default: unlimited), kg."
    )
    gas_use_kg_per_day: float = Field(
        default=0.0, ge=0, description="Nominal use of that gas, kg per day."
    )
    gas_leak_kg_per_day: float = Field(
        default=0.0, ge=0, description="Fault input: a gas leak, kg per day."
    )
    gas_leak_start_utc: str | None = Field(
        None, description="Fault input: when the leak starts, UTC."
    )
    panel_power_w: float = Field(
        default=NEVER,
        gt=0,
        description="Power of all panels at 1 au, facing the Sun (falls as 1/r^2), W.",
    )
    panels_deployed_fraction: float = Field(
        default=1.0, ge=0, le=1, description="Fault input: share of the panels that deployed (0-1)."
    )
    load_w: float = Field(default=0.0, ge=0, description="Power the probe needs, W.")
    battery_wh: float = Field(
        default=NEVER, gt=0, description="Battery that covers a power deficit, Wh."
    )
    attitude_thrusters_disabled_utc: str | None = Field(
        None, description="Fault input: attitude thrusters disabled (a bad command), UTC."
    )
    computer_fails_utc: str | None = Field(
        None, description="Fault input: the on-board computer fails, ending the mission, UTC."
    )
    pressure_kpa: float = Field(
        default=NEVER, gt=0, description="Pressure of the instrument compartment at launch, kPa."
    )
    pressure_leak_kpa_per_day: float = Field(
        default=0.0, ge=0, description="Fault input: a pressure leak, kPa per day."
    )
    pressure_leak_start_utc: str | None = Field(
        None, description="Fault input: when that leak starts, UTC."
    )
    min_pressure_kpa: float = Field(
        default=0.0, ge=0, description="Below this pressure the electronics stop, kPa."
    )
    telemetry_fails_utc: str | None = Field(
        None, description="Fault input: telemetry fails (data lost; the probe flies on), UTC."
    )
    src: list[SourceRef] = Field(
        default_factory=list, description="Sources (``id@locator``) of the design values."
    )
    note: str | None = Field(None, description="Free text: why the values are what they are.")

    @field_validator(
        "gas_leak_start_utc", "attitude_thrusters_disabled_utc", "computer_fails_utc",
        "pressure_leak_start_utc", "telemetry_fails_utc",
    )  # fmt: skip
    @classmethod
    def _utc(cls, value: str | None) -> str | None:
        if value is not None:
            from marsprobe.time import parse_utc

            parse_utc(value)
        return value

    def days(self, name: str, launch_epoch: float, default: float = NEVER) -> float:
        """A ``*_utc`` field as days from launch (``default`` where it is not given)."""
        value = getattr(self, name)
        if value is None:
            return default
        from marsprobe.time import tdb_from_utc

        return (float(tdb_from_utc(value)) - launch_epoch) / 86_400.0


@dataclass(frozen=True)
class Health:
    """When and why a probe fell silent (``lost_days`` is inf if it never did)."""

    lost_days: float
    cause: str | None
    telemetry_lost_days: float

    @property
    def survives(self) -> bool:
        return math.isinf(self.lost_days)


def gas_exhausted_days(p: HealthParams, launch_epoch: float) -> float:
    """Days from launch when the attitude gas runs out."""
    if math.isinf(p.attitude_gas_kg):
        return NEVER
    use, leak = p.gas_use_kg_per_day, p.gas_leak_kg_per_day
    start = max(p.days("gas_leak_start_utc", launch_epoch, 0.0), 0.0)
    if use <= 0 and leak <= 0:
        return NEVER
    # before the leak the tank drains at `use`, after it at `use + leak`
    left_at_start = p.attitude_gas_kg - use * start
    if left_at_start <= 0:
        return p.attitude_gas_kg / use
    return start + left_at_start / (use + leak) if use + leak > 0 else NEVER


def power_exhausted_days(p: HealthParams, days: np.ndarray, sun_distance_au: np.ndarray) -> float:
    """Days from launch when the battery is empty, integrating the power deficit.

    ``days`` and ``sun_distance_au`` sample the trajectory (increasing days).
    """
    if p.load_w <= 0 or math.isinf(p.panel_power_w):
        return NEVER
    supply = p.panel_power_w * p.panels_deployed_fraction / np.asarray(sun_distance_au) ** 2
    deficit_w = np.clip(p.load_w - supply, 0.0, None)
    if not np.any(deficit_w > 0):
        return NEVER
    # trapezoid energy drawn from the battery, Wh
    hours = np.diff(days) * 24.0
    drawn = np.concatenate([[0.0], np.cumsum(0.5 * (deficit_w[1:] + deficit_w[:-1]) * hours)])
    empty = np.nonzero(drawn >= p.battery_wh)[0]
    if empty.size == 0:
        return NEVER
    k = empty[0]
    if k == 0:
        return float(days[0])
    # interpolate inside the step where the battery ran out
    frac = (p.battery_wh - drawn[k - 1]) / (drawn[k] - drawn[k - 1])
    return float(days[k - 1] + frac * (days[k] - days[k - 1]))


def thrusters_loss_days(p: HealthParams, launch_epoch: float) -> float:
    """Days from launch when a probe whose thrusters were switched off runs flat."""
    disabled = p.days("attitude_thrusters_disabled_utc", launch_epoch)
    if math.isinf(disabled) or p.load_w <= 0:
        return NEVER
    return disabled + p.battery_wh / p.load_w / 24.0


def pressure_loss_days(p: HealthParams, launch_epoch: float) -> float:
    """Days from launch when the compartment pressure falls below the electronics' minimum."""
    if p.pressure_leak_kpa_per_day <= 0 or math.isinf(p.pressure_kpa):
        return NEVER
    margin = p.pressure_kpa - p.min_pressure_kpa
    start = max(p.days("pressure_leak_start_utc", launch_epoch, 0.0), 0.0)
    return start + margin / p.pressure_leak_kpa_per_day


def assess(
    p: HealthParams, launch_epoch: float, days: np.ndarray, sun_distance_au: np.ndarray
) -> Health:
    """The first system to fail along a trajectory sampled at ``days`` from launch.

    ``launch_epoch``: TDB s past J2000; ``sun_distance_au``: the probe's distance from the
    Sun at each sample.
    """
    candidates = {
        "attitude gas exhausted": gas_exhausted_days(p, launch_epoch),
        "battery exhausted": power_exhausted_days(p, days, sun_distance_au),
        "attitude thrusters disabled; battery exhausted": thrusters_loss_days(p, launch_epoch),
        "computer failure": p.days("computer_fails_utc", launch_epoch),
        "compartment pressure lost": pressure_loss_days(p, launch_epoch),
    }
    telemetry = p.days("telemetry_fails_utc", launch_epoch)
    cause, when = min(candidates.items(), key=lambda item: item[1])
    if math.isinf(when):
        return Health(NEVER, None, telemetry)
    return Health(when, cause, min(telemetry, when))
