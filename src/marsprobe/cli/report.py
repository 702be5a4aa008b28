"""``marsprobe report``: the offline HTML report of one mission, several, or the program."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
@click.argument("slugs", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every mission and the program page.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Directory for the pages (made if missing; its parent must exist).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Write into an --out folder that holds files other than an earlier report.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes flying missions (default: CPU count).",
)
def report(slugs, all_, out, force, workers):
    """Write an HTML report that works offline: one page per SLUG (or --all and the program)."""
    from marsprobe import catalog
    from marsprobe.cli import guards
    from marsprobe.errors import InputError
    from marsprobe.report.site import MARKER_FILE, write_report

    if all_ == bool(slugs):
        raise InputError("give one or more mission slugs, or --all")
    guards.workers(workers)
    out = guards.output_folder(out, "--out")
    if out.exists() and any(out.iterdir()) and not (out / MARKER_FILE).exists() and not force:
        raise InputError(
            f"--out {out}: the folder holds files that are not a marsprobe report; choose an "
            "empty or new folder, or use --force to write the pages among them"
        )
    for slug in slugs:
        catalog.load(slug)  # an unknown slug is an error before anything is written
    progress = None
    if sys.stderr.isatty():

        def progress(done, total):
            click.echo(f"\r{done}/{total} missions", nl=done == total, err=True)

    written = write_report(out, None if all_ else list(slugs), workers, progress)
    first = out / ("index.html" if all_ else f"{slugs[0]}.html")
    click.echo(f"wrote {len(written)} pages to {out} (open {first})")
