"""A mission's flight sequence, built from its flight plan before it flies.

The commands are assembled (:func:`marsprobe.sequence.flight_computer.assemble`) from the very
parameter objects the phases fly, so that what ``marsprobe sequence`` prints is what
``marsprobe replay`` executes. Each applied fault is shown by what it does to the sequence:
the commands it changes, adds or disables, and, where it acts on no command (a leak, a
panel that stayed folded), the condition it sets.
"""

from __future__ import annotations

from marsprobe.mission.scenario import FlightPlan, flight_plan
from marsprobe.mission.schema import Mission
from marsprobe.sequence.commands import Change, Command, Sequence
from marsprobe.sequence.flight_computer import assemble, fault_changes


def commands_of(mission: Mission, plan: FlightPlan) -> list[Command]:
    """The commands of one flight plan, in phase order."""
    from marsprobe.ascent.library import load_vehicle

    edl = plan.get("edl")
    edl_vehicle = None
    if edl is not None:
        from marsprobe.edl.vehicle import load_vehicle as load_entry_vehicle

        edl_vehicle = load_entry_vehicle(edl.vehicle)
    vehicle = load_vehicle(plan.header.vehicle)
    return assemble(mission.launch_utc.value, vehicle, plan.phases, plan.roles, edl_vehicle)


def flight_sequence(
    mission: Mission, without: tuple[str, ...] = (), causes: tuple[str, ...] = ("chosen",)
) -> Sequence:
    """The sequence ``mission`` flies with its faults (minus ``without``), and their changes."""
    plan = flight_plan(mission, tuple(without), tuple(causes))
    nominal = flight_plan(mission, tuple(f.id for f in plan.faults))
    commands = commands_of(mission, plan)
    fault_of_key = {key: f.id for f in plan.applied for key in f.set}
    changes = fault_changes(
        commands_of(mission, nominal), commands, lambda src: fault_of_key.get(src, "")
    )
    shown = {c.source for c in changes}
    for fault in plan.applied:
        for key, value in fault.set.items():
            if key in shown:
                continue
            phase, name = key.split(".")
            before = getattr(nominal.get(phase), name, None) if nominal.get(phase) else None
            changes.append(
                Change(fault.id, f"(no command) {key}", _text(before), _text(value), key)
            )
    return Sequence(
        mission.slug, mission.name.value, commands, changes, [f.id for f in plan.applied]
    )


def _text(value) -> str:
    return "not set" if value is None else str(value)
