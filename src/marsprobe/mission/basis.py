"""What a comparison row measures, given what went into the flight.

``prediction``: nothing of the record went into the flight that produced the figure.
``design target``: the flight file aims at the recorded value (a parking orbit the guidance
targets, an achieved flyby distance or arrival time used as the aim, an orbit whose apsides
are design targets), so the row measures how well the physics reaches its aim.
``inferred``: a fault whose size was inferred from this effect (its note says INFERRED) acts
on it, so the row is a consistency check. A figure that is a fault's own value (a time, a
date) is no comparison at all: :func:`classify` leaves it out.

The inputs are found by value: every number and date of the flight's phase tables (the EDL
design entry state excepted: a replay descends from the arrival's hand-over) and of its
applied faults.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from marsprobe.mission.compare import Row
from marsprobe.mission.replay import Replay
from marsprobe.mission.schema import Mission
from marsprobe.time import tdb_from_utc

BASES = ("prediction", "design target", "inferred")

TIME_ROWS = ("closest approach time", "orbit insertion", "entry time")


@dataclass(frozen=True)
class Inputs:
    design: list[float]  # every number of the flight file's phase tables
    dates: list[float]  # every date of them, TDB s
    fault_numbers: list[float]
    fault_dates: list[float]
    inferred_phases: set[str]  # phases touched by a fault whose size was inferred
    site_aimed: bool  # the arrival aims the lander at a site (the record's, for want of another)
    arrival_aimed: bool  # the cruise aims at an arrival time (the record's)


def _epoch(text: str) -> float | None:
    try:
        return float(tdb_from_utc(text))
    except Exception:  # noqa: BLE001 - not a date: not an input date
        return None


def _walk(value: Any, numbers: list[float], dates: list[float]) -> None:
    if isinstance(value, bool):
        return
    if isinstance(value, int | float) and math.isfinite(value):
        numbers.append(float(value))
    elif isinstance(value, str) and value[:2] in ("19", "20"):
        epoch = _epoch(value)
        if epoch is not None:
            dates.append(epoch)
    elif isinstance(value, dict):
        for item in value.values():
            _walk(item, numbers, dates)
    elif isinstance(value, list | tuple):
        for item in value:
            _walk(item, numbers, dates)


def flight_inputs(mission: Mission, replay: Replay) -> Inputs:
    from marsprobe.mission.scenario import flight_plan

    plan = flight_plan(mission, replay.without)
    numbers: list[float] = []
    dates: list[float] = []
    for phase, params in plan.phases.items():
        table = params.model_dump(exclude={"src", "note"})
        if phase == "edl":
            table = {k: v for k, v in table.items() if not k.startswith("entry_")}
        _walk(table, numbers, dates)
    fault_numbers: list[float] = []
    fault_dates: list[float] = []
    for fault in plan.applied:
        _walk(list(fault.set.values()), fault_numbers, fault_dates)
    inferred = {
        path.split(".")[0] for f in plan.applied if "INFERRED" in (f.note or "") for path in f.set
    }
    arrival, cruise = plan.get("arrival"), plan.get("cruise")
    site_aimed = (arrival is not None and getattr(arrival, "entry_lat_deg", None) is not None) or (
        cruise is not None and cruise.aim_site_lat_deg is not None
    )
    arrival_aimed = cruise is not None and cruise.aim_arrival_utc is not None
    return Inputs(numbers, dates, fault_numbers, fault_dates, inferred, site_aimed, arrival_aimed)


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _row_epoch(row: Row) -> float | None:
    return _epoch(row.simulated) if isinstance(row.simulated, str) else None


def basis_of(row: Row, inputs: Inputs, design_rows: set[str]) -> str | None:
    """The row's basis, or None for a fault's own value (not a comparison)."""
    q = row.quantity
    sim = row.simulated
    if isinstance(sim, int | float) and any(_same(sim, v) for v in inputs.fault_numbers):
        return None
    epoch = _row_epoch(row)
    if epoch is not None and any(abs(epoch - d) <= 120.0 for d in inputs.fault_dates):
        return None
    if q.startswith(("loss of contact", "range from Earth")) and "health" in inputs.inferred_phases:
        return "inferred"
    if q.startswith("capture") and "arrival" in inputs.inferred_phases:
        return "inferred"
    if "launch" in inputs.inferred_phases and row.unit == "s" and "(" in q:
        return "inferred"  # a launch event timed by an inferred fault
    if q.startswith("parking "):
        return "design target"  # the guidance aims at the record's orbit
    if q.startswith("parachute"):
        return "inferred"  # the M-71/M-73 design entry angle was identified from it
    if q.startswith("landing site"):
        return "design target" if inputs.site_aimed else "prediction"
    if q == "capture period" and {"capture periapsis", "capture apoapsis"} <= design_rows:
        return "design target"  # Kepler's law from two design targets
    if q.startswith(TIME_ROWS) and inputs.arrival_aimed:
        return "design target"
    if q.startswith(("perihelion", "aphelion", "heliocentric")):
        return "prediction"  # no heliocentric figure is ever an input
    recorded = row.recorded
    if isinstance(recorded, int | float) and any(_same(recorded, v) for v in inputs.design):
        return "design target"
    if isinstance(recorded, str):
        rec = _epoch(recorded)
        if rec is not None and any(abs(rec - d) <= 120.0 for d in inputs.dates):
            return "design target"
    return "prediction"


def classify(rows: list[Row], mission: Mission, replay: Replay) -> list[Row]:
    """The rows with their basis, a fault's own values left out."""
    inputs = flight_inputs(mission, replay)
    out: list[Row] = []
    design_rows: set[str] = set()
    for row in rows:  # apsides come before periods, so a period sees its apsides' basis
        basis = basis_of(row, inputs, design_rows)
        if basis is None:
            continue
        if basis == "design target":
            design_rows.add(row.quantity)
        out.append(replace(row, basis=basis))
    return out
