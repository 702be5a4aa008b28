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
@click.option(
    "--ensemble",
    "ensembles",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="A folder written by 'replay SLUG --runs N --out DIR': show its outcome odds on "
    "SLUG's page (repeatable).",
)
def report(slugs, all_, out, force, workers, ensembles):
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
    shown = read_ensembles(ensembles, None if all_ else set(slugs))
    progress = None
    if sys.stderr.isatty():

        def progress(done, total):
            click.echo(f"\r{done}/{total} missions", nl=done == total, err=True)

    written = write_report(out, None if all_ else list(slugs), workers, progress, ensembles=shown)
    first = out / ("index.html" if all_ else f"{slugs[0]}.html")
    click.echo(f"wrote {len(written)} pages to {out} (open {first})")


def read_ensembles(folders, slugs: set[str] | None) -> dict:
    """slug -> EnsembleSummary of each ``--ensemble`` folder; a folder without a readable
    ``ensemble.json``, two for one mission, or one for a mission not being written is refused
    before anything is flown or written."""
    import json

    from marsprobe.analysis.ensemble_summary import EnsembleSummary
    from marsprobe.errors import InputError

    shown = {}
    for folder in folders:
        path = folder / "ensemble.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(
                f"--ensemble {folder}: no ensemble.json there; write one with "
                "'marsprobe replay SLUG --runs N --out DIR'"
            ) from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"--ensemble {folder}: ensemble.json is unreadable ({exc})") from None
        if not isinstance(data, dict):
            raise InputError(f"--ensemble {folder}: ensemble.json is not an ensemble summary")
        summary = EnsembleSummary.from_json(data)
        if slugs is not None and summary.slug not in slugs:
            raise InputError(
                f"--ensemble {folder}: it is of {summary.slug}, which this report does not write"
            )
        if summary.slug in shown:
            raise InputError(f"--ensemble {folder}: a second ensemble of {summary.slug}")
        shown[summary.slug] = summary
    return shown
