"""``marsprobe missions``, ``show`` and ``sources``: the catalog on the terminal."""

from __future__ import annotations

import click

from marsprobe import catalog
from marsprobe.catalog.export import mission_row, model_json
from marsprobe.cli.render import console, print_json, table


@click.command()
@click.option(
    "--program",
    type=click.Choice(["soviet", "us", "all"]),
    default="all",
    show_default=True,
    help="Which program's missions to list.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def missions(program: str, as_json: bool) -> None:
    """List the missions of the catalog in launch order."""
    rows = [mission_row(m) for m in catalog.all_missions() if program in ("all", m.program)]
    if as_json:
        print_json(rows)
        return
    out = table(
        f"{len(rows)} missions",
        ["slug", "name", "launch (UTC)", "vehicle", "type", "outcome"],
    )
    for row in rows:
        out.add_row(
            row["slug"],
            row["name"],
            row["launch_utc"].replace("T", " ").removesuffix("Z"),
            row["vehicle"],
            row["mission_type"],
            ", ".join(row["outcome"] or []),
        )
    console().print(out)


@click.command()
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def show(slug: str, as_json: bool) -> None:
    """Everything known of one mission, each value with its sources."""
    from marsprobe.catalog.export import mark_overturned
    from marsprobe.catalog.findings import all_conflicts

    mission = catalog.load(slug)
    data = model_json(mission)
    conflicts = [c.to_json() for c in all_conflicts(slug)]
    mark_overturned(data, conflicts)
    if as_json:
        print_json({**data, "conflicts": conflicts})
        return
    from marsprobe.cli.catalog_render import render_mission

    render_mission(mission, data, conflicts)
