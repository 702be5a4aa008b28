"""The flight computer's vocabulary: commands and the triggers that fire them.

One vocabulary serves every phase. A trigger is

* a ``timer``: seconds after (or, negative, before) a named reference event;
* an ``epoch``: a UTC date-time stored on board or sent from the ground;
* a ``sensor`` threshold: Mach number, dynamic pressure, g-load, radar altitude, accumulated
  velocity (an integrating accelerometer, the Soviet escape stages' cut-off), C3, or the
  ascent guidance's predicted apogee.

The EDL kernel's stage triggers (:data:`marsprobe.edl.vehicle.TRIGGER_TYPES`, compiled to
codes in :mod:`marsprobe.edl.params`) are this vocabulary's: :data:`EDL_TRIGGERS` maps each to
its trigger here, so that a descent's staging prints as the kernel flies it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

# The events a timer may count from, in flight order.
REFERENCES: dict[str, str] = {
    "liftoff": "lift-off",
    "stage_burnout": "burn-out of the stage below",
    "parking_insertion": "parking-orbit insertion",
    "escape_ignition": "escape-stage ignition",
    "separation": "spacecraft separation",
    "periapsis": "closest approach to Mars",
    "lander_separation": "lander separation",
    "entry_interface": "entry interface",
    "previous_stage": "the previous EDL stage",
    "touchdown": "touchdown",
}

# Sensor -> unit of its threshold.
SENSORS: dict[str, str] = {
    "mach": "Mach",
    "dynamic_pressure": "Pa",
    "g_load": "g",
    "radar_altitude": "m",
    "accumulated_velocity": "m/s",
    "c3": "km2/s2",
    "orbit_apogee": "km",  # the ascent guidance's predicted apogee altitude
}

# The EDL kernel's trigger types, in this vocabulary: (kind, sensor or reference).
EDL_TRIGGERS: dict[str, tuple[str, str]] = {
    "mach": ("sensor", "mach"),
    "dynamic_pressure": ("sensor", "dynamic_pressure"),
    "g_load": ("sensor", "g_load"),
    "altitude": ("sensor", "radar_altitude"),
    "timer": ("timer", "previous_stage"),
}

Kind = Literal["timer", "epoch", "sensor"]


def duration_text(seconds: float) -> str:
    """A duration as an operator would say it: 300.9 s, 1.33 h, 2.0 d, 1.50 years."""
    s = abs(seconds)
    if math.isinf(s):
        return "never"
    if s < 600:
        return f"{s:g} s"
    if s < 2 * 86_400:
        return f"{s / 3600:.3g} h"
    if s < 400 * 86_400:
        return f"{s / 86_400:.3g} d"
    return f"{s / (365.25 * 86_400):.3g} years"


@dataclass(frozen=True)
class Trigger:
    """When a command fires (see the module docstring)."""

    kind: Kind
    value: float | str
    unit: str = ""
    reference: str = ""  # timer: an event of REFERENCES; sensor: a sensor of SENSORS
    falling: bool = True  # sensor: fires when the quantity falls below (else rises above)
    delay_s: float = 0.0  # between the condition met and the action (a late deployment)

    def __post_init__(self) -> None:
        if self.kind == "timer" and self.reference not in REFERENCES:
            raise ValueError(f"unknown reference event '{self.reference}'")
        if self.kind == "sensor" and self.reference not in SENSORS:
            raise ValueError(f"unknown sensor '{self.reference}'")

    def text(self) -> str:
        if self.kind == "epoch":
            return f"at {self.value} UTC"
        if self.reference == "mach":
            return f"Mach {'<' if self.falling else '>='} {self.value:g}"
        if self.kind == "timer":
            side = "before" if float(self.value) < 0 else "after"
            return f"{duration_text(float(self.value))} {side} {REFERENCES[self.reference]}"
        op = "<" if self.falling else ">="
        return f"{self.reference.replace('_', ' ')} {op} {self.value:g} {self.unit}".rstrip()

    def to_json(self) -> dict[str, Any]:
        reference = "utc" if self.kind == "epoch" else self.reference
        unit = "UTC" if self.kind == "epoch" else self.unit
        return {"kind": self.kind, "reference": reference, "value": self.value, "unit": unit}


@dataclass(frozen=True)
class Command:
    """One command of the sequence: what, when, and which flown value it was built from."""

    name: str
    phase: str
    trigger: Trigger
    source: str  # the flown value it reads: "escape.timer_s", or a vehicle file's stage
    role: str = ""  # that value's declared role (mission.provenance), where it has one
    enabled: bool = True  # False: the command is issued but the hardware does not act
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "command": self.name,
            "phase": self.phase,
            "trigger": self.trigger.to_json(),
            "when": self.trigger.text(),
            "source": self.source,
            "enabled": self.enabled,
        }
        if self.role:
            out["role"] = self.role
        if self.detail:
            out["detail"] = self.detail
        return out


@dataclass(frozen=True)
class Change:
    """What a fault does to the sequence: a command it changes, adds or disables."""

    fault: str
    command: str
    before: str  # the nominal trigger ("" where the fault adds the command)
    after: str
    source: str = ""  # the flown value the fault sets

    def to_json(self) -> dict[str, Any]:
        return {
            "fault": self.fault,
            "command": self.command,
            "before": self.before,
            "after": self.after,
            "source": self.source,
        }


@dataclass
class Sequence:
    """A mission's sequence as its flight computer would run it, and its faults' changes."""

    slug: str
    name: str
    commands: list[Command]
    changes: list[Change] = field(default_factory=list)
    faults_applied: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "name": self.name,
            "faults_applied": self.faults_applied,
            "commands": [c.to_json() for c in self.commands],
            "fault_changes": [c.to_json() for c in self.changes],
        }


class Orders:
    """The assembled sequence as the phases execute it.

    Each phase takes its commands by phase and name (:meth:`take`) and flies what they say:
    the trigger's value and reference, and whether the hardware acts (``enabled``). Taking a
    command marks it executed, so that :meth:`unexecuted` names any command the sequence
    prints that no phase read. :meth:`changed` is the same sequence with one command's
    trigger or ``enabled`` replaced, for a study of what that command does.
    """

    def __init__(self, commands: Iterable[Command]) -> None:
        self.commands = list(commands)
        self._taken: set[int] = set()

    def take(self, phase: str, name: str) -> Command | None:
        """The command ``name`` of ``phase``, marked executed; None if the sequence has none."""
        for i, c in enumerate(self.commands):
            if c.phase == phase and c.name == name:
                self._taken.add(i)
                return c
        return None

    def take_all(self, phase: str) -> list[Command]:
        """Every command of ``phase``, in sequence order, marked executed."""
        out = []
        for i, c in enumerate(self.commands):
            if c.phase == phase:
                self._taken.add(i)
                out.append(c)
        return out

    def unexecuted(self) -> list[Command]:
        """The commands no phase has taken."""
        return [c for i, c in enumerate(self.commands) if i not in self._taken]

    def changed(self, phase: str, name: str, **change: Any) -> Orders:
        """A fresh copy with one command changed: ``trigger=Trigger(...)`` or ``enabled=``,
        or the trigger's own fields (``value=``, ``reference=``, ``delay_s=``)."""
        commands = []
        found = False
        for c in self.commands:
            if c.phase == phase and c.name == name:
                found = True
                own = {k: change[k] for k in ("trigger", "enabled") if k in change}
                rest = {k: v for k, v in change.items() if k not in own}
                c = replace(c, **own)
                if rest:
                    c = replace(c, trigger=replace(c.trigger, **rest))
            commands.append(c)
        if not found:
            raise KeyError(f"no command '{name}' in phase '{phase}'")
        return Orders(commands)
