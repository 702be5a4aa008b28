"""``marsprobe sequence``: a mission's flight sequence as its flight computer would run it."""

from __future__ import annotations

import click

from marsprobe.cli.render import console, print_json, table


@click.command()
@click.argument("slug")
@click.option("--without", multiple=True, metavar="FAULT", help="Without this fault.")
@click.option("--cause", "causes", multiple=True, metavar="SET", help="Fly this cause set.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def sequence(slug, without, causes, as_json):
    """Print SLUG's commands with their triggers, sources and roles, and each fault's change."""
    from marsprobe.cli.flight_cmds import load_mission
    from marsprobe.mission.flight_sequence import flight_sequence

    mission = load_mission(slug)
    seq = flight_sequence(mission, tuple(without), tuple(causes) or ("chosen",))
    if as_json:
        print_json(seq.to_json())
        return
    out = console()
    rows = table(
        f"{seq.name}: flight sequence",
        ["phase", "command", "trigger", "source", "role"],
    )
    for c in seq.commands:
        name = c.name if c.enabled else f"{c.name} (does not act)"
        rows.add_row(c.phase, name, c.trigger.text(), c.source, c.role)
    out.print(rows)
    if seq.changes:
        faults = table("what the faults change", ["fault", "command", "nominal", "flown"])
        for ch in seq.changes:
            faults.add_row(ch.fault, ch.command, ch.before or "(none)", ch.after)
        out.print(faults)
