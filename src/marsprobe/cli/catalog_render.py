"""Terminal rendering of the catalog views: a mission's facts, conflicts, and the sources."""

from __future__ import annotations

from typing import Any

from rich.markup import escape

from marsprobe.cli.render import console, sources_text, table, value_text


def _fact_rows(data: Any, path: str, rows: list[tuple[str, str, str]], flagged: bool) -> None:
    flagged = flagged or bool(isinstance(data, dict) and data.get("overturned_by"))
    if isinstance(data, dict) and "value" in data and "sources" in data:
        marker = " *" if data.get("alternatives") else ""
        marker += " !" if flagged else ""
        rows.append((path, value_text(data) + marker, sources_text(data["sources"])))
        return
    if isinstance(data, dict):
        for key, value in data.items():
            if not key.endswith("overturned_by"):
                sibling = bool(data.get(f"{key}_overturned_by"))
                _fact_rows(value, f"{path}.{key}" if path else key, rows, flagged or sibling)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            label = item.get("name") or item.get("label") if isinstance(item, dict) else None
            _fact_rows(item, f"{path}[{label or index}]", rows, flagged)
    elif path and not path.endswith((".name", ".label", "summary")):
        rows.append((path, str(data) + (" !" if flagged else ""), ""))


def render_mission(mission: Any, data: dict[str, Any], conflicts: list[dict[str, Any]]) -> None:
    out = console()
    out.print(f"[bold]{escape(mission.name.value)}[/bold] ({mission.slug})")
    out.print(escape(mission.summary))
    rows: list[tuple[str, str, str]] = []
    _fact_rows(data, "", rows, False)
    facts = table(
        "Facts (* = sources disagree; ! = overturned by a consistency finding, see below)",
        ["field", "value", "sources"],
    )
    for row in rows:
        if row[0] != "summary":
            facts.add_row(*row)
    out.print(facts)
    overturned = [c for c in conflicts if c.get("overturns")]
    if overturned:
        found = table("Facts overturned by the consistency check", ["facts", "finding"])
        for c in overturned:
            found.add_row("\n".join(c["overturns"]), c["reason"])
        out.print(found)
    if conflicts:
        render_conflicts(conflicts)


def claim_text(claim: dict[str, Any]) -> str:
    witnesses = claim.get("independent")
    count = f", {witnesses} independent" if witnesses is not None else ""
    return (
        f"{value_text(claim)} [{claim.get('verdict', '')}{count}] "
        f"({sources_text(claim['sources'])})"
    )


def render_conflicts(conflicts: list[dict[str, Any]]) -> None:
    out = table(
        f"{len(conflicts)} disagreements",
        ["sev", "mission", "topic", "claims", "chosen", "reason"],
    )
    for c in conflicts:
        claims = "\n".join(claim_text(cl) for cl in c["claims"])
        out.add_row(
            str(c.get("severity", "")),
            c["mission"] or "-",
            c["topic"],
            claims,
            str(c["chosen"]),
            c["reason"],
        )
    console().print(out)
