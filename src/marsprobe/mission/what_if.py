"""A mission with one flown parameter set to another value: the unit of a sweep.

``with_parameter(mission, "arrival.entry_fpa_deg", -25.0)`` returns a copy of the mission
whose ``[flight.arrival]`` table flies -25 deg, the value's role declared ``chosen`` (the
reason: a what-if). Where a fault of the mission sets the same parameter, the fault's
value would win (faults are written over the tables), so the copy drops that parameter from
the faults it flies (a fault that set nothing else is dropped): the what-if value flies.
"""

from __future__ import annotations

import copy

from marsprobe.errors import InputError
from marsprobe.mission.schema import Mission


def with_parameter(mission: Mission, path: str, value: float) -> Mission:
    """``mission`` with ``path`` (``phase.name``) flown at ``value`` (see the module)."""
    from marsprobe.mission.scenario import PHASES, phase_models

    phase, _, name = path.partition(".")
    if phase not in PHASES or not name:
        raise InputError(
            f"parameter {path!r}: give it as PHASE.NAME with PHASE one of {', '.join(PHASES)}"
        )
    if phase == "edl":
        from marsprobe.edl.params import PARAM_NAMES

        known = set(phase_models()[phase].model_fields) | set(PARAM_NAMES)
    else:
        known = set(phase_models()[phase].model_fields)
    if name not in known or name in ("src", "note", "set"):
        raise InputError(f"parameter {path!r}: flight.{phase} has no parameter {name!r}")
    flight = copy.deepcopy(dict(mission.flight or {}))
    if phase not in flight:
        raise InputError(f"parameter {path!r}: {mission.slug} flies no [flight.{phase}]")
    table = flight[phase]
    table[name] = value
    roles = dict(table.get("roles", {}))
    roles[name] = "chosen: a what-if value (marsprobe sweep)"
    table["roles"] = roles
    faults = []
    for fault in flight.get("faults", []):
        fault = dict(fault)
        sets = {k: v for k, v in fault.get("set", {}).items() if k != path}
        if len(sets) != len(fault.get("set", {})):
            if not sets:  # the fault set only this value: the what-if replaces it
                continue
            fault["set"] = sets
            fault["roles"] = {k: v for k, v in fault.get("roles", {}).items() if k != path}
        faults.append(fault)
    flight["faults"] = faults
    return mission.model_copy(update={"flight": flight})
