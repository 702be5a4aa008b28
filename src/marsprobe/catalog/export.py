"""Plain-data views of the catalog for JSON output (stable: outside tools read them)."""

from __future__ import annotations

from typing import Any

from marsprobe.catalog.conflicts import refs_json
from marsprobe.facts import Fact, unit_of
from marsprobe.mission.schema import Mission


def fact_json(fact: Fact, name: str) -> dict[str, Any]:
    """``{"value", "unit" (where it has one), "sources", and "alternatives"/"reason" if any}``."""
    out: dict[str, Any] = {"value": fact.value}
    unit = unit_of(name)
    if unit:
        out["unit"] = unit
    out["sources"] = refs_json(fact.src)
    if fact.note:
        out["note"] = fact.note
    if fact.alt:
        out["alternatives"] = [
            {"value": c.value, "sources": refs_json(c.src), "verdict": c.verdict}
            | ({"note": c.note} if c.note else {})
            for c in fact.alt
        ]
        out["reason"] = fact.reason
    return out


def model_json(model: Any, name: str = "") -> Any:
    """Every fact as a sourced-value object; other fields as they are."""
    if isinstance(model, Fact):
        return fact_json(model, name)
    if isinstance(model, list):
        return [model_json(item, name) for item in model]
    fields = getattr(type(model), "model_fields", None)
    if fields is None:
        return model
    out = {}
    for key in fields:
        value = getattr(model, key)
        if value is None or key == "src":
            continue
        out[key] = model_json(value, key)
    return out


def mission_row(mission: Mission) -> dict[str, Any]:
    """The one-line summary of ``marsprobe missions --json``."""
    outcome = mission.record.outcome.value if mission.record else None
    return {
        "slug": mission.slug,
        "name": mission.name.value,
        "program": mission.program,
        "launch_utc": mission.launch_utc.value,
        "vehicle": mission.vehicle.value,
        "mission_type": mission.mission_type.value,
        "outcome": outcome,
    }
