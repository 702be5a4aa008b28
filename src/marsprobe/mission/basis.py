"""What a comparison row measures, read off the flight file's declared roles only.

``prediction``: nothing of the record went into the flight that produced the figure.
``design target``: the recorded figure is the aim (a value declared ``achieved`` from it), or
the flight steers the figure to an aim of its own (the comparison line's ``aims``), so the row
measures how well the physics reaches an aim, not what it foresees.
``inferred``: a value was fitted to this recorded figure (declared ``inferred`` from it), or
to one this figure follows from (the line's ``links``): a consistency check.
``fault input``: the figure is a fault's own input, copied from the record (declared
``fault`` from it); shown, never counted as a comparison.

The order of those tests is the order of this list of rules in :func:`basis_of`; nothing is
matched by value and no note is read (:mod:`marsprobe.mission.provenance`).
"""

from __future__ import annotations

from dataclasses import replace
from fnmatch import fnmatchcase
from typing import Any

from marsprobe.mission.provenance import Provenance, resolve
from marsprobe.mission.schema import Mission

BASES = ("prediction", "design target", "inferred", "fault input")

# The design entry state of [flight.edl] is flown only by a stand-alone descent (marsprobe edl
# SLUG); a replay descends from the arrival's hand-over, so its roles reach no replayed figure.
STANDALONE_ONLY = ("edl.entry_",)


def reaching(roles: dict[str, Provenance]) -> dict[str, Provenance]:
    """The roles of the values a replay flies."""
    return {k: p for k, p in roles.items() if not k.startswith(STANDALONE_ONLY)}


def _paths(roles: dict[str, Provenance], role: str) -> set[str]:
    return {p.record_path for p in roles.values() if p.role == role and p.record_path}


def _aimed(aims: tuple[str, ...], roles: dict[str, Provenance]) -> bool:
    for alternative in aims:
        keys = alternative.split("+")
        if all(k in roles and roles[k].role != "fault" for k in keys):
            return True
    return False


def basis_of(record_path: str, aims: tuple[str, ...], links: tuple[str, ...], roles) -> str:
    """The basis of the row comparing the recorded figure at ``record_path``."""
    inferred = _paths(roles, "inferred")
    if record_path in inferred:
        return "inferred"
    if record_path in _paths(roles, "achieved"):
        return "design target"
    if record_path in _paths(roles, "fault"):
        return "fault input"
    if any(fnmatchcase(p, link) for p in inferred for link in links):
        return "inferred"
    if _aimed(aims, roles):
        return "design target"
    return "prediction"


def classify(rows: list[Any], mission: Mission, replay: Any) -> tuple[list[Any], list[dict]]:
    """The rows with their basis, and the copied fault inputs that no row shows.

    Each of the latter (Cosmos 419's timer setting, Phobos 1's command date) is a dict of the
    ``Row`` fields, shown as a ``fault input`` row beside the recorded figure it came from.
    """
    from marsprobe.mission.scenario import flight_plan

    plan = flight_plan(mission, replay.without, replay.causes)
    roles = reaching(plan.roles)
    out = []
    for row in rows:
        spec = row.spec
        basis = basis_of(row.record_path, spec.aims, spec.links, roles)
        within = None if basis == "fault input" else row.within
        out.append(replace(row, basis=basis, within=within))
    shown = {r.record_path for r in out}
    extra = [
        _fault_input(key, prov, plan, mission)
        for key, prov in roles.items()
        if prov.role == "fault" and prov.record_path and prov.record_path not in shown
    ]
    return out, extra


def outcome_basis(mission: Mission, replay: Any) -> str:
    """How much of the record went into the flight whose outcome is compared with the
    recorded one, strictest first: ``inferred`` when a flown value was fitted to a recorded
    effect (Mars 2's entry angle to its outcome, Mars 1's leak to its loss of contact),
    ``fault input`` when a fault flies values copied from the record (M-69 No.521's explosion
    time), ``design target`` when the flight aims at achieved values (Viking 1's orbit), and
    ``prediction`` only when nothing of the record went into the flight."""
    from marsprobe.mission.scenario import flight_plan

    roles = reaching(flight_plan(mission, replay.without, replay.causes).roles)
    for role, basis in (("inferred", "inferred"), ("fault", "fault input")):
        if _paths(roles, role):
            return basis
    if _paths(roles, "achieved"):
        return "design target"
    return "prediction"


def _fault_input(key: str, prov: Provenance, plan, mission: Mission) -> dict[str, Any]:
    """A fault's input beside the recorded figure it was copied from."""
    phase, name = key.split(".")
    flown = getattr(plan.get(phase), name)
    fact = resolve(mission.record, prov.record_path)
    difference = None
    if isinstance(flown, int | float) and isinstance(fact.value, int | float):
        difference = round(float(flown) - float(fact.value), 3)
    return {
        "quantity": f"{key} (fault input)",
        "simulated": flown,
        "recorded": fact.value,
        "unit": "",
        "sources": [{"id": r.id, "locator": r.locator} for r in fact.src],
        "difference": difference,
        "tolerance": "",
        "within": None,
        "basis": "fault input",
        "record_path": prov.record_path,
    }
