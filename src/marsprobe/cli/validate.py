"""``marsprobe validate``: marsprobe's figures held against published ones, case by case."""

from __future__ import annotations

import math

import click

from marsprobe.cli.render import console, print_json, table


def _fmt(x: float) -> str:
    if not math.isfinite(x):
        return "-"
    return f"{x:.6g}"


@click.command()
@click.option("--case", "names", multiple=True, help="Run only this case (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.pass_context
def validate(ctx, names, as_json):
    """Run the validation cases: the published figure and its citation, marsprobe's figure,
    the tolerance and its reason, and pass or fail. Cases whose flight a model parameter was
    fitted to are marked calibration: there agreement is consistency, not evidence. Exit
    status 1 when a case fails that is not a known weakness (or a known weakness passes)."""
    from marsprobe.analysis.validation import run

    results = run(list(names) or None)
    surprise = any(r.status in ("fail", "unexpected pass") for r in results)
    if as_json:
        print_json([r.to_json() for r in results])
        ctx.exit(1 if surprise else 0)
    t = table(
        "marsprobe validation",
        [
            "case",
            "role",
            "published",
            "marsprobe",
            "tolerance",
            "result",
            "citation; tolerance reason",
        ],
    )
    for r in results:
        c = r.case
        unit = f" {c.unit}" if c.unit else ""
        t.add_row(
            c.name,
            c.role,
            _fmt(r.published) + unit,
            _fmt(r.marsprobe) + unit,
            c.tolerance_text(),
            r.status,
            f"{c.citation}; {c.tol_reason}",
        )
    console().print(t)
    counts = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    roles = sum(r.case.role == "validation" for r in results)
    summary = ", ".join(f"{n} {s}" for s, n in counts.items())
    console().print(
        f"{len(results)} cases ({roles} validation, {len(results) - roles} calibration): {summary}"
    )
    for r in results:
        if r.case.known_weakness and r.status != "unavailable":
            console().print(f"known weakness, {r.case.name}: {r.case.known_weakness}")
    ctx.exit(1 if surprise else 0)
