"""``marsprobe timeline``, ``search`` and ``cite``: the catalog as a historian reads it."""

from __future__ import annotations

import datetime
import re

import click

from marsprobe import catalog
from marsprobe.cli.render import console, print_json, table

DATE = re.compile(r"^\d{4}(-\d\d(-\d\d)?)?$")


def _date(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    padded = value + "-01-01"[len(value) - 4 :] if DATE.match(value) else ""
    try:
        datetime.date.fromisoformat(padded)  # a month 13 or a 30 February is no date
    except ValueError:
        raise click.BadParameter(
            f"'{value}' is not a date YYYY, YYYY-MM or YYYY-MM-DD", param_hint=name
        ) from None
    return value


@click.command()
@click.option("--from", "start", help="First date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--to", "end", help="Last date (same forms).")
@click.option(
    "--program", type=click.Choice(["soviet", "us", "all"]), default="all", show_default=True
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def timeline(start, end, program, as_json):
    """Every launch and recorded event in one chronology, Earth-received times moved back."""
    from marsprobe.catalog.timeline import timeline as build

    start, end = _date(start, "--from"), _date(end, "--to")
    # the earliest day --from can mean against the latest --to can (string order is date order)
    if start and end and start + "-01-01"[len(start) - 4 :] > end + "-99-99"[len(end) - 4 :]:
        raise click.BadParameter(f"--from {start} is after --to {end}", param_hint="--from")
    rows = build(start, end, program)
    if as_json:
        print_json([r.to_json() for r in rows])
        return
    out = table(
        f"{len(rows)} events (event time; ERT = Earth-received, moved back by the light time)",
        ["event time (UTC)", "recorded", "basis", "mission", "event", "body"],
    )
    for r in rows:
        recorded = "" if r.recorded_utc == r.event_time_utc else r.recorded_utc
        out.add_row(r.event_time_utc, recorded, r.basis, r.mission, r.event, r.body or "")
    console().print(out)


@click.command()
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def search(text, as_json):
    """Facts, claims, notes and sources whose words contain TEXT."""
    from marsprobe.catalog.search import search as find

    if not text.strip():
        raise click.BadParameter("the search text is empty", param_hint="TEXT")
    hits = find(text)
    if as_json:
        print_json([h.to_json() for h in hits])
        return
    out = table(f"{len(hits)} matches for '{text}'", ["kind", "mission", "where", "field", "text"])
    for h in hits:
        words = h.text if len(h.text) < 160 else h.text[:157] + "..."
        out.add_row(h.kind, h.mission or "-", h.where, h.field, words)
    console().print(out)


@click.command()
@click.argument("slug", required=False)
@click.option("--all", "everything", is_flag=True, help="The bibliography of the whole catalog.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["bibtex", "csl-json", "ris"]),
    default="bibtex",
    show_default=True,
)
@click.option("--json", "as_json", is_flag=True, help="Print the entries as CSL-JSON.")
def cite(slug, everything, fmt, as_json):
    """The bibliography behind a mission (SLUG) or the catalog (--all)."""
    from marsprobe.catalog.cite import bibliography

    if (slug is None) == (not everything):
        raise click.UsageError("give a mission SLUG or --all, not both or neither")
    if slug is not None:
        catalog.load(slug)
    text = bibliography(slug, "csl-json" if as_json else fmt)
    click.echo(text)
