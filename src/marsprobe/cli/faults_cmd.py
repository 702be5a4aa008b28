"""``marsprobe faults``: a mission's documented faults, the ids and cause sets the flights take."""

from __future__ import annotations

import click

from marsprobe.cli.render import console, print_json, sources_text, table


def _chance_text(chance) -> str:
    if chance is None:
        return "-"
    if chance.dist == "bernoulli":
        return f"p = {chance.p:g}"
    return f"Weibull shape {chance.shape:g}, scale {chance.scale_days:g} d"


@click.command()
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def faults(slug, as_json):
    """SLUG's documented faults: the ids --without takes and the cause sets --cause takes.

    Each fault is the set of flight parameters it changed, with its sources; a fault of a
    cause set other than "chosen" is a reading of the record that the catalog did not choose,
    flown only with --cause SET. A chance is the probability a campaign draws it with.

    \b
    Examples:
      marsprobe faults mars-7
      marsprobe replay mars-7 --cause chronology
      marsprobe replay cosmos-419 --without block-d-timer-wrong
    """
    from marsprobe.cli.flight_cmds import load_mission
    from marsprobe.mission.scenario import parse_faults

    mission = load_mission(slug)
    found = parse_faults(mission)
    rows = [
        {
            "id": f.id,
            "cause": f.cause,
            "summary": f.summary,
            "sets": dict(f.set),
            "chance": None if f.chance is None else f.chance.model_dump(exclude_none=True),
            "sources": [s.model_dump() for s in f.src],
        }
        for f in found
    ]
    causes = sorted({f.cause for f in found} | {"chosen"})
    if as_json:
        print_json({"mission": mission.slug, "cause_sets": causes, "faults": rows})
        return
    out = console()
    if not found:
        out.print(f"{mission.name.value} ({mission.slug}): no documented faults")
        return
    t = table(
        f"{mission.name.value} ({mission.slug}): {len(found)} faults",
        ["id (--without)", "cause set (--cause)", "sets", "chance", "summary"],
    )
    for f in found:
        sets = "\n".join(f"{k} = {v}" for k, v in f.set.items())
        t.add_row(f.id, f.cause, sets, _chance_text(f.chance), f.summary)
    out.print(t)
    out.print(f'cause sets: {", ".join(causes)} ("chosen" is flown unless --cause names another)')
    for f in found:
        out.print(f"{f.id}: {sources_text([s.model_dump() for s in f.src])}")
