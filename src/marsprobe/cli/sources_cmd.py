"""``marsprobe sources``: the registry, what each source claims, conflicts and reliability."""

from __future__ import annotations

import click

from marsprobe import catalog
from marsprobe.cli.render import console, print_json, table

CONFLICT_KINDS = ("sources", "consistency", "narrative")
VERDICT_CHOICES = ("chosen", "plausible", "unsupported", "contradicted", "stated", "computed")


def _check_source(source_id: str | None) -> None:
    if source_id is not None and source_id not in catalog.sources():
        import difflib

        close = difflib.get_close_matches(source_id, list(catalog.sources()), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else "; `marsprobe sources` lists them"
        raise click.BadParameter(
            f"no source '{source_id}' in the registry{hint}", param_hint="--source"
        )


def _conflicts(mission, source_id, verdict, kind, sort):
    from marsprobe.catalog.claims import load_claims
    from marsprobe.catalog.findings import all_conflicts

    narrative = {c.topic for c in load_claims() if c.kind == "narrative"}
    rows = []
    for conflict in all_conflicts(mission):
        data = conflict.to_json()
        data_kind = "narrative" if conflict.topic in narrative else conflict.kind
        if kind is not None and data_kind != kind:
            continue
        claims = data["claims"]
        if source_id is not None:
            claims = [c for c in claims if any(s["id"] == source_id for s in c["sources"])]
        if verdict is not None:
            claims = [c for c in claims if c.get("verdict") == verdict]
        if (source_id or verdict) and not claims:
            continue
        rows.append(data)
    if sort == "severity":
        rows.sort(key=lambda c: -c["severity"])
    return rows


@click.command()
@click.option("--conflicts", "show_conflicts", is_flag=True, help="List every disagreement.")
@click.option("--source", "source_id", help="Everything one source claims, with its verdicts.")
@click.option("--mission", help="Only what concerns one mission (slug).")
@click.option(
    "--verdict", type=click.Choice(VERDICT_CHOICES), help="Only claims with this verdict."
)
@click.option(
    "--kind",
    help="With --conflicts: sources, consistency or narrative; otherwise a source kind "
    "(seed-article, reference-web, ...).",
)
@click.option(
    "--sort",
    type=click.Choice(["severity", "catalog"]),
    default="catalog",
    show_default=True,
    help="Order of the conflicts.",
)
@click.option(
    "--reliability",
    "show_reliability",
    is_flag=True,
    help="Per source: how its claims fared, beside the written assessment.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def sources(show_conflicts, source_id, mission, verdict, kind, sort, show_reliability, as_json):
    """The source registry; with --conflicts every disagreement and consistency finding."""
    _check_source(source_id)
    if mission is not None:
        catalog.load(mission)  # an unknown slug is one line and exit 2
    if show_reliability:
        return _reliability(kind, as_json)
    if show_conflicts:
        if kind is not None and kind not in CONFLICT_KINDS:
            raise click.BadParameter(
                f"'{kind}' is not one of {', '.join(CONFLICT_KINDS)} (with --conflicts)",
                param_hint="--kind",
            )
        found = _conflicts(mission, source_id, verdict, kind, sort)
        if as_json:
            print_json(found)
            return
        from marsprobe.cli.catalog_render import render_conflicts

        render_conflicts(found)
        return
    if source_id is not None or mission is not None or verdict is not None:
        return _claims(source_id, mission, verdict, as_json)
    _registry(kind, as_json)


def _source_kinds() -> set[str]:
    return {s.kind for s in catalog.sources().values()}


def _registry(kind, as_json):
    if kind is not None and kind not in _source_kinds():
        raise click.BadParameter(
            f"'{kind}' is not a source kind ({', '.join(sorted(_source_kinds()))})",
            param_hint="--kind",
        )
    registry = [s for s in catalog.sources().values() if kind is None or s.kind == kind]
    if as_json:
        print_json([s.model_dump(exclude_none=True) for s in registry])
        return
    out = table(f"{len(registry)} sources", ["id", "kind", "title", "reliability"])
    for source in registry:
        out.add_row(source.id, source.kind, source.title, source.reliability)
    console().print(out)
    seeds = table("The four founding documents (shared/seeds)", ["file", "what it is"])
    for source in registry:
        if source.seed:
            seeds.add_row(source.id, source.description or source.title)
    if seeds.row_count:
        console().print(seeds)


def _claims(source_id, mission, verdict, as_json):
    from marsprobe.catalog.citations import iter_citations, missions_of

    rows = [
        c
        for c in iter_citations()
        if (source_id is None or c.source == source_id)
        and (verdict is None or c.verdict == verdict)
        and (mission is None or mission in missions_of(c))
    ]
    if as_json:
        print_json([c.to_json() for c in rows])
        return
    title = f"{len(rows)} citations" + (f" of {source_id}" if source_id else "")
    out = table(title, ["mission", "where", "value", "verdict", "locator"])
    for c in rows:
        value = (
            c.value if not isinstance(c.value, str) or len(c.value) < 90 else c.value[:87] + "..."
        )
        out.add_row(c.mission or "-", c.topic, str(value), c.verdict, c.locator)
    console().print(out)


def _reliability(kind, as_json):
    from marsprobe.catalog.citations import reliability

    if kind is not None and kind not in _source_kinds():
        raise click.BadParameter(f"'{kind}' is not a source kind", param_hint="--kind")
    rows = [r for r in reliability() if kind is None or r.kind == kind]
    rows.sort(key=lambda r: -r.citations)
    if as_json:
        print_json([r.to_json() for r in rows])
        return
    out = table(
        "How each source's claims fared (computed) beside the registry's judgement (written)",
        ["source", "cited", "chosen", "plausible", "unsupported", "contradicted", "written"],
    )
    for r in rows:
        v = r.verdicts
        out.add_row(
            r.source,
            r.citations,
            v["chosen"],
            v["plausible"],
            v["unsupported"],
            v["contradicted"],
            r.written,
        )
    console().print(out)
