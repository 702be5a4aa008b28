"""Terminal rendering shared by the commands: rich tables, JSON, sourced values.

Every table goes through :func:`console`, whose ``print`` writes it as a rich table (the
default, ``--format text``), as CSV or as Markdown (``--format csv|markdown``, an option the
command group gives every command). In CSV the tables alone go to standard output, one after
another with a blank line between them, and titles and notes go to standard error, so that
``marsprobe missions --format csv > missions.csv`` is a clean file. A cell too long for its
column folds onto the next line rather than being cut.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from functools import cache
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

FORMATS = ("text", "csv", "markdown")
_format = ["text"]


def set_format(name: str) -> None:
    """Choose how tables are written: ``text`` (rich), ``csv`` or ``markdown``."""
    if name not in FORMATS:
        raise ValueError(f"format {name!r}; accepted: {', '.join(FORMATS)}")
    _format[0] = name


class FormatConsole(Console):
    """A rich console whose tables follow the chosen format (see the module docstring)."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        fmt = _format[0]
        if fmt == "text":
            super().print(*objects, **kwargs)
            return
        for obj in objects:
            if isinstance(obj, PlainTable):
                if fmt == "csv":
                    if obj.raw_title:
                        sys.stderr.write(obj.raw_title + "\n")
                    sys.stdout.write(table_csv(obj) + "\n")
                else:
                    sys.stdout.write(table_markdown(obj) + "\n")
                continue
            text = Text.from_markup(obj).plain if isinstance(obj, str) else str(obj)
            (sys.stderr if fmt == "csv" else sys.stdout).write(text + "\n")


@cache
def console() -> Console:
    # Piped output gets a wide table rather than rich's 80-column default.
    probe = Console()
    width = None if probe.is_terminal else max(probe.width, 160)
    return FormatConsole(highlight=False, soft_wrap=False, width=width)


def table_csv(t: PlainTable) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(t.raw_columns)
    writer.writerows(t.raw_rows)
    return buffer.getvalue()


def table_markdown(t: PlainTable) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", "<br>")

    lines = [f"**{cell(t.raw_title)}**", ""] if t.raw_title else []
    lines.append("| " + " | ".join(cell(c) for c in t.raw_columns) + " |")
    lines.append("|" + "---|" * len(t.raw_columns))
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in t.raw_rows]
    return "\n".join(lines) + "\n"


def print_json(data: Any) -> None:
    """JSON on stdout, with a trailing newline; NaN and infinity become null."""
    sys.stdout.write(json.dumps(clean_json(data), indent=2, ensure_ascii=False) + "\n")


def clean_json(data: Any) -> Any:
    if isinstance(data, float):
        return data if data == data and abs(data) != float("inf") else None
    if isinstance(data, dict):
        return {k: clean_json(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [clean_json(v) for v in data]
    return data


class PlainTable(Table):
    """A rich table whose cells are text, never markup: "[tcm]" in a path stays visible.

    It keeps its title, headers and cells as plain text too, for CSV and Markdown.
    """

    raw_title: str = ""
    raw_columns: list[str]
    raw_rows: list[list[str]]

    def add_row(self, *cells, **kwargs) -> None:
        self.raw_rows.append([str(c) for c in cells])
        super().add_row(*(escape(str(c)) for c in cells), **kwargs)


def table(title: str, columns: list[str]) -> Table:
    out = PlainTable(title=escape(title), title_justify="left", header_style="bold")
    out.raw_title, out.raw_columns, out.raw_rows = title, list(columns), []
    for column in columns:
        out.add_column(column, overflow="fold")  # a long id or source folds, never cut
    return out


def sources_text(sources: list[dict[str, str]]) -> str:
    return "; ".join(f"{s['id']} {s['locator']}".strip() for s in sources)


def value_text(entry: dict[str, Any]) -> str:
    value = entry["value"]
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    unit = entry.get("unit")
    return f"{value} {unit}" if unit else str(value)


def _fact_rows(data: Any, path: str, rows: list[tuple[str, str, str]]) -> None:
    if isinstance(data, dict) and "value" in data and "sources" in data:
        marker = " *" if data.get("alternatives") else ""
        rows.append((path, value_text(data) + marker, sources_text(data["sources"])))
        return
    if isinstance(data, dict):
        for key, value in data.items():
            _fact_rows(value, f"{path}.{key}" if path else key, rows)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            label = item.get("name") or item.get("label") if isinstance(item, dict) else None
            _fact_rows(item, f"{path}[{label or index}]", rows)
    elif path and not path.endswith((".name", ".label", "summary")):
        rows.append((path, str(data), ""))


def render_mission(mission: Any, data: dict[str, Any], conflicts: list[dict[str, Any]]) -> None:
    out = console()
    out.print(f"[bold]{escape(mission.name.value)}[/bold] ({mission.slug})")
    out.print(escape(mission.summary))
    rows: list[tuple[str, str, str]] = []
    _fact_rows(data, "", rows)
    facts = table("Facts (* = sources disagree, see below)", ["field", "value", "sources"])
    for row in rows:
        if row[0] != "summary":
            facts.add_row(*row)
    out.print(facts)
    if conflicts:
        render_conflicts(conflicts)


def render_conflicts(conflicts: list[dict[str, Any]]) -> None:
    out = table(
        f"{len(conflicts)} disagreements",
        ["mission", "topic", "claims", "chosen", "reason"],
    )
    for c in conflicts:
        claims = "\n".join(
            f"{value_text(cl)} [{cl.get('verdict', '')}] ({sources_text(cl['sources'])})"
            for cl in c["claims"]
        )
        out.add_row(c["mission"] or "-", c["topic"], claims, str(c["chosen"]), c["reason"])
    console().print(out)


def latlon(lat_deg: float | None, lon_deg: float | None, digits: int = 2) -> str:
    """``45.98 S 158.00 W``: planetocentric latitude N/S, longitude E/W in (-180, 180]."""
    if lat_deg is None or lon_deg is None or lat_deg != lat_deg or lon_deg != lon_deg:
        return "-"
    lon = (lon_deg + 180.0) % 360.0 - 180.0
    if lon == -180.0:
        lon = 180.0
    ns = "S" if lat_deg < 0 else "N"
    ew = "W" if lon < 0 else "E"
    return f"{abs(lat_deg):.{digits}f} {ns} {abs(lon):.{digits}f} {ew}"
