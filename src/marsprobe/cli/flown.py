"""What a descent flies: where its entry state comes from and which faults act on it.

``marsprobe edl SLUG`` flies what happened: the entry state the replay's arrival hands over,
with every fault of the chosen cause set. ``--design-entry`` flies the flight file's design
entry state, where only the faults that set descent (``edl.*``) parameters can act; the
faults of the earlier phases are then listed as not flown, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marsprobe.errors import ScenarioError


@dataclass(frozen=True)
class Flown:
    """The entry state and descent parameters flown, and the faults flown and not flown."""

    params: Any
    entry: Any
    source: str  # "arrival" or "design"
    line: str
    faults_flown: list[str]
    faults_not_flown: dict[str, str]  # id -> why not

    @property
    def faults_line(self) -> str:
        flown = ", ".join(self.faults_flown) or "none"
        skipped = "; ".join(f"{k} ({why})" for k, why in self.faults_not_flown.items())
        return f"faults flown: {flown}; not flown: {skipped or 'none'}"

    def to_json(self) -> dict[str, Any]:
        return {
            "entry_source": self.source,
            "faults_flown": self.faults_flown,
            "faults_not_flown": [
                {"id": k, "reason": why} for k, why in self.faults_not_flown.items()
            ],
        }


def fault_lists(plan, without: tuple[str, ...]) -> tuple[list[str], dict[str, str]]:
    """The ids of the faults a flight plan applies, and of the others with why not."""
    applied = [f.id for f in plan.applied]
    not_flown: dict[str, str] = {}
    for fault in plan.faults:
        if fault.id in without:
            not_flown[fault.id] = "--without"
        elif fault.id not in applied:
            not_flown[fault.id] = f"cause set '{fault.cause}'"
    return applied, not_flown


def faults_of(mission, without: tuple[str, ...] = (), causes: tuple[str, ...] = ("chosen",)):
    """``{"faults_flown": [...], "faults_not_flown": [{id, reason}]}`` and its text line."""
    from marsprobe.mission.scenario import flight_plan

    if not mission.flight:
        return {"faults_flown": [], "faults_not_flown": []}, "faults flown: none"
    applied, not_flown = fault_lists(flight_plan(mission, without, causes), without)
    flown = Flown(None, None, "", "", applied, not_flown)
    data = flown.to_json()
    data.pop("entry_source")
    return data, flown.faults_line


def what_is_flown(mission, without: tuple[str, ...], design_entry: bool) -> Flown:
    """The descent of ``mission`` as ``marsprobe edl`` flies it (see the module docstring)."""
    from marsprobe.mission.entry import entry_for
    from marsprobe.mission.scenario import flight_plan

    plan = flight_plan(mission, without)
    applied_ids, not_flown = fault_lists(plan, without)
    applied = set(applied_ids)
    name = mission.name.value
    if design_entry:
        params, entry = entry_for(mission, without, from_cruise=False)
        flown = []
        for fault in plan.applied:
            if all(path.startswith("edl.") for path in fault.set):
                flown.append(fault.id)
            else:
                not_flown[fault.id] = "acts before the entry; the design entry skips it"
        line = (
            f"{name}: the design entry state of the flight file (--design-entry), not what "
            "happened; only the descent's own faults act"
        )
        return Flown(params, entry, "design", line, flown, not_flown)
    try:
        params, entry = entry_for(mission, without, from_cruise=True)
    except ScenarioError as exc:
        raise ScenarioError(f"{exc}; use --design-entry to fly the design descent") from None
    line = (
        f"{name}: flown from the arrival's hand-over (the replay's entry state, faults "
        "included): what happened; --design-entry flies the design entry"
    )
    return Flown(params, entry, "arrival", line, sorted(applied), not_flown)
