"""The ``[flight]`` section of a mission file: what the simulation flies.

``[flight]`` carries the vehicle, the spacecraft mass and the design sources, then one table
per phase (``launch``, ``escape``, ``cruise``, ``arrival``, ``edl``, ``health``, ``surface``),
each checked by its phase's own parameter model, and the documented ``[[flight.faults]]``
(:mod:`marsprobe.sequence.faults`). :func:`flight_plan` applies the faults (all of the chosen
cause set, minus those named in ``without``) and validates every table, so that a fault that
names a parameter a phase does not have fails with that name.

The record of what happened is never read here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import Field, ValidationError

from marsprobe.errors import ScenarioError
from marsprobe.facts import SourceRef, Strict
from marsprobe.mission.provenance import (
    Provenance,
    check_paths,
    fault_roles,
    flight_roles,
)
from marsprobe.mission.schema import Mission
from marsprobe.sequence.faults import Fault, active_faults, apply_overrides

PHASES = ("launch", "escape", "cruise", "arrival", "edl", "health", "surface")


class FlightHeader(Strict):
    """The top of ``[flight]``: what is launched on what."""

    vehicle: str = Field(description="The launch vehicle flown: a file of ascent/data (its id).")
    payload_mass_kg: float = Field(
        gt=0, description="Mass the launcher carries above its last stage, kg."
    )
    target: Literal["mars", "deep-space"] = Field(
        "mars", description="Where the flight is aimed: Mars, or no planet (a test flight)."
    )
    lander_release_utc: str | None = Field(
        None,
        description="When a lander is released from orbit long after arrival "
        "(Phobos' landers), UTC.",
    )
    src: list[SourceRef] = Field(
        default_factory=list, description="Sources (``id@locator``) of the design values."
    )
    note: str | None = Field(None, description="Free text: why the values are what they are.")
    roles: dict[str, str] = Field(
        default_factory=dict,
        description="Each key's role: ``design``, ``achieved: PATH``, ``inferred: PATH``, "
        "``chosen: REASON`` or ``fault`` (checked by marsprobe.mission.provenance).",
    )


class SurfaceParams(Strict):
    """After touchdown: how long the lander transmits (``inf``: until the mission ends)."""

    transmission_s: float = Field(
        default=float("inf"),
        gt=0,
        description="How long the landed station transmits after touchdown (``inf``: "
        "until the mission ends), s.",
    )
    src: list[SourceRef] = Field(
        default_factory=list, description="Sources (``id@locator``) of the values."
    )
    note: str | None = Field(None, description="Free text: why the values are what they are.")


def phase_models() -> dict[str, type[Strict]]:
    """The parameter model of each phase (imported here, when a flight is flown)."""
    from marsprobe.mission.arrival import ArrivalParams
    from marsprobe.mission.cruise import CruiseParams
    from marsprobe.mission.departure import EscapeParams
    from marsprobe.mission.descent import EdlParams
    from marsprobe.mission.health import HealthParams
    from marsprobe.mission.launch import LaunchParams

    return {
        "launch": LaunchParams,
        "escape": EscapeParams,
        "cruise": CruiseParams,
        "arrival": ArrivalParams,
        "edl": EdlParams,
        "health": HealthParams,
        "surface": SurfaceParams,
    }


@dataclass(frozen=True)
class FlightPlan:
    """A flight ready to fly: its header, each phase's validated parameters, its faults."""

    header: FlightHeader
    phases: dict[str, Any]
    faults: list[Fault]
    applied: list[Fault] = field(default_factory=list)
    # the declared role of every value flown, keyed "phase.key" (header keys bare); the
    # values an applied fault sets carry the fault's role (mission.provenance)
    roles: dict[str, Provenance] = field(default_factory=dict)

    def get(self, phase: str) -> Any | None:
        return self.phases.get(phase)


def _where(mission: Mission) -> str:
    return f"mission '{mission.slug}'"


def parse_faults(mission: Mission) -> list[Fault]:
    raw = (mission.flight or {}).get("faults", [])
    faults = []
    for index, item in enumerate(raw):
        try:
            faults.append(Fault.model_validate(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"])
            raise ScenarioError(
                f"{_where(mission)}: flight.faults[{index}].{loc}: {first['msg']}"
            ) from None
    ids = [f.id for f in faults]
    if len(set(ids)) != len(ids):
        raise ScenarioError(f"{_where(mission)}: flight.faults: fault ids must be unique")
    return faults


def flight_plan(
    mission: Mission, without: tuple[str, ...] = (), causes: tuple[str, ...] = ("chosen",)
) -> FlightPlan:
    """The mission's flight with its faults applied (``without`` removes faults by id)."""
    if not mission.flight:
        raise ScenarioError(f"{_where(mission)} has no [flight] section to fly")
    data = dict(mission.flight)
    unknown = set(data) - set(PHASES) - {"faults"} - set(FlightHeader.model_fields)
    if unknown:
        raise ScenarioError(
            f"{_where(mission)}: flight.{sorted(unknown)[0]}: unknown key; accepted: "
            + ", ".join([*FlightHeader.model_fields, *PHASES, "faults"])
        )
    try:
        header = FlightHeader.model_validate(
            {k: v for k, v in data.items() if k in FlightHeader.model_fields}
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ScenarioError(
            f"{_where(mission)}: flight.{'.'.join(map(str, first['loc']))}: {first['msg']}"
        ) from None
    faults = parse_faults(mission)
    applied = active_faults(faults, without, causes)
    roles = declared_roles(mission, faults)
    for fault in applied:
        roles |= fault_roles(fault, mission.slug)
    tables = {p: {k: v for k, v in data[p].items() if k != "roles"} for p in PHASES if p in data}
    overridden = apply_overrides(tables, applied)
    models = phase_models()
    phases: dict[str, Any] = {}
    for phase, table in overridden.items():
        if phase not in models:
            raise ScenarioError(f"{_where(mission)}: a fault names unknown phase '{phase}'")
        try:
            phases[phase] = models[phase].model_validate(table)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"])
            message = "unknown parameter" if first["type"] == "extra_forbidden" else first["msg"]
            raise ScenarioError(f"{_where(mission)}: flight.{phase}.{loc}: {message}") from None
    return FlightPlan(header, phases, faults, applied, roles)


def declared_roles(mission: Mission, faults: list[Fault]) -> dict[str, Provenance]:
    """The roles of the file's own values (faults not applied), every record path checked."""
    roles = flight_roles(mission.flight or {}, mission.slug, PHASES)
    every = dict(roles)
    for fault in faults:
        every |= {f"{fault.id}:{k}": v for k, v in fault_roles(fault, mission.slug).items()}
    check_paths(every, mission.record, mission.slug)
    return roles
