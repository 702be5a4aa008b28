"""The replay beside the record: simulated value, recorded value, source, difference, verdict.

What is compared is data, not code: ``mission/data/comparison.toml`` has one table per
compared quantity (the record path of the recorded figure, the reader of the simulated value,
the unit and the tolerance key) and this module only walks it. Every recorded figure that a
table names and the flight produces becomes a row; each kind of figure has one tolerance, with
its reason, in ``mission/data/tolerances.toml`` (:data:`TOLERANCES`). What a row measures
(its ``basis``) follows from the flight file's declared roles (:mod:`marsprobe.mission.basis`).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

from marsprobe.facts import Fact
from marsprobe.mission.basis import classify
from marsprobe.mission.provenance import event_path
from marsprobe.mission.readers import READERS, great_circle_km  # noqa: F401 - re-exported
from marsprobe.mission.replay import Replay
from marsprobe.mission.schema import Mission
from marsprobe.time import tdb_from_utc, utc_from_tdb


@dataclass(frozen=True)
class Tolerance:
    kind: str  # "abs" (same unit), "rel" (fraction), "factor" (ratio within 1/x..x)
    value: float
    reason: str


def _data(name: str) -> dict[str, Any]:
    text = resources.files("marsprobe.mission").joinpath(f"data/{name}").read_text()
    return tomllib.loads(text)


TOLERANCES: dict[str, Tolerance] = {k: Tolerance(**t) for k, t in _data("tolerances.toml").items()}


@dataclass(frozen=True)
class Quantity:
    """One line of ``comparison.toml``: what is compared, and how it is read."""

    quantity: str
    record: str
    read: str
    unit: str
    tolerance: str
    aims: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    match: tuple[str, ...] = ()
    event: str = ""
    object: str | None = None
    not_body: str | None = None
    hours_only: bool = False

    @classmethod
    def from_table(cls, table: dict[str, Any]) -> Quantity:
        data = dict(table)
        for key in ("aims", "links", "match"):
            data[key] = tuple(data.get(key, ()))
        return cls(**data)


QUANTITIES: tuple[Quantity, ...] = tuple(
    Quantity.from_table(t) for t in _data("comparison.toml")["row"]
)


@dataclass(frozen=True)
class Row:
    """One line of the comparison table."""

    quantity: str
    simulated: Any
    recorded: Any
    unit: str
    sources: list[dict[str, str]]
    difference: float | None
    tolerance: str
    within: bool | None
    basis: str = "prediction"
    record_path: str = ""
    spec: Quantity | None = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "quantity": self.quantity,
            "simulated": self.simulated,
            "recorded": self.recorded,
            "unit": self.unit,
            "sources": self.sources,
            "difference": self.difference,
            "tolerance": self.tolerance,
            "within_tolerance": self.within,
            "basis": self.basis,
            "record_path": self.record_path,
        }


def _refs(fact: Fact) -> list[dict[str, str]]:
    return [{"id": r.id, "locator": r.locator} for r in fact.src]


def number_row(label: str, simulated: float, recorded: float, fact: Fact, q: Quantity) -> Row:
    """A figure compared within its tolerance (absolute, relative or a factor)."""
    tol = TOLERANCES[q.tolerance]
    difference = simulated - recorded
    if tol.kind == "abs":
        within = abs(difference) <= tol.value
        text = f"+/- {tol.value:g} {q.unit}"
    elif tol.kind == "rel":
        within = abs(difference) <= tol.value * abs(recorded)
        text = f"+/- {tol.value:.0%}"
    else:
        ratio = simulated / recorded if recorded else math.inf
        within = 1.0 / tol.value <= ratio <= tol.value
        text = f"within a factor {tol.value:g}"
    return Row(
        label,
        round(simulated, 3),
        recorded,
        q.unit,
        _refs(fact),
        round(difference, 3),
        text,
        bool(within),
    )


def date_row(label: str, sim_epoch: float, fact: Fact, q: Quantity) -> Row:
    """A date compared at the precision the record gives it (a bare date means its noon)."""
    text = fact.value
    scale = 86_400.0 if q.unit == "d" else 3_600.0
    allowed = TOLERANCES[q.tolerance].value
    if len(text.removesuffix("Z")) == 7:  # a month only: its middle, +/- half a month
        recorded_epoch = float(tdb_from_utc(text + "-15T12:00:00Z"))
        allowed = max(allowed, 16.0 * 86_400.0 / scale)
    else:
        recorded_epoch = noon(text)
    diff = (sim_epoch - recorded_epoch) / scale
    return Row(
        label,
        utc_from_tdb(sim_epoch, 0),
        text,
        q.unit,
        _refs(fact),
        round(diff, 3),
        f"+/- {allowed:g} {q.unit}",
        abs(diff) <= allowed,
    )


def noon(text: str) -> float:
    """The epoch (TDB s) of a recorded date, a bare date read as its noon."""
    return float(tdb_from_utc(text if "T" in text else text + "T12:00:00Z"))


def compare(mission: Mission, replay: Replay) -> list[Row]:
    """Every figure the record gives and the replay produced, with its basis.

    The figures that are a fault's own input are kept, as ``fault input`` rows; see
    :mod:`marsprobe.mission.basis` for what each row's ``basis`` says.
    """
    record = mission.record
    if record is None:
        return []
    rows: list[Row] = []
    for q in QUANTITIES:
        for path, fact, event in recorded_figures(record, q):
            sim = READERS[q.read](replay, mission, q, event)
            if sim is None:
                continue
            value, sim_name = sim
            label = q.quantity.format(event=event.name if event else "", sim=sim_name)
            if isinstance(fact.value, str) and q.read != "orbital_lifetime_days":
                if q.hours_only and "T" not in fact.value:
                    continue
                row = date_row(label, value, fact, q)
            elif q.read == "orbital_lifetime_days":
                launch = noon(mission.launch_utc.value)
                recorded = round((noon(fact.value) - launch) / 86_400.0, 2)
                row = number_row(label, value, recorded, fact, q)
            elif q.read == "landing.site_miss_km":
                row = number_row(label, value, 0.0, fact, q)
            else:
                row = number_row(label, float(value), float(fact.value), fact, q)
            rows.append(_with(row, path, q))
    classified, fault_inputs = classify(rows, mission, replay)
    return classified + [Row(**fields) for fields in fault_inputs]


def _with(row: Row, path: str, q: Quantity) -> Row:
    return replace(row, record_path=path, spec=q)


def recorded_figures(record, q: Quantity):
    """(record path, fact, recorded event or None) of every recorded figure ``q`` names."""
    parts = q.record.split(".")
    if parts[1] == "orbits":
        for orbit in record.orbits:
            if orbit.label == parts[2] and getattr(orbit, parts[3], None) is not None:
                yield q.record, getattr(orbit, parts[3]), None
        return
    name, fld = parts[2], parts[3]
    for event in record.events:
        if event.name != name or getattr(event, fld, None) is None:
            continue
        if q.object == "-" and event.object is not None:
            continue
        if q.object not in (None, "-") and event.object != q.object:
            continue
        if q.not_body is not None and event.body == q.not_body:
            continue
        yield event_path(event, record.events, fld), getattr(event, fld), event
