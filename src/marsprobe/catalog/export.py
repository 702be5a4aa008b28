"""Plain-data views of the catalog for JSON output (stable: outside tools read them)."""

from __future__ import annotations

import re
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


SEGMENT = re.compile(r"^(?P<key>[a-z_]+)(?:\[(?P<index>\d+)(?::[^\]]*)?\])?$")


def mark_overturned(data: dict[str, Any], conflicts: list[dict[str, Any]]) -> list[str]:
    """Add ``overturned_by`` (finding topics) to each fact of ``data`` a finding overturns.

    A finding names fact paths in ``overturns``; where the path ends at a plain value (what a
    source says an orbit is: ``stated_as``, ``stated_body``) the table gets
    ``<field>_overturned_by`` beside it. Returns the paths marked, in order.
    """
    marked = []
    for conflict in conflicts:
        for path in conflict.get("overturns", []):
            node: Any = data
            parent, key = None, None
            for segment in path.split("."):
                match = SEGMENT.match(segment)
                if match is None or not isinstance(node, dict) or match["key"] not in node:
                    node = None
                    break
                parent, key, node = node, match["key"], node[match["key"]]
                if match["index"] is not None:
                    parent, key, node = node, None, node[int(match["index"])]
            if isinstance(node, dict) and "value" in node:
                node.setdefault("overturned_by", []).append(conflict["topic"])
                marked.append(path)
            elif node is not None and isinstance(parent, dict) and key is not None:
                parent.setdefault(f"{key}_overturned_by", []).append(conflict["topic"])
                marked.append(path)
    return marked
