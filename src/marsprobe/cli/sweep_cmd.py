"""``marsprobe sweep``: fly one mission across a range of one parameter."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from marsprobe.cli.render import console, print_json, table


@click.command()
@click.argument("slug")
@click.argument("spec", metavar="PHASE.NAME=LO:HI:N")
@click.option("--without", multiple=True, metavar="FAULT", help="Fly without this fault.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes (default: as many as the work and the CPUs allow).",
)
@click.option("--out", type=click.Path(path_type=Path), help="Write the plot here (PNG).")
@click.option("--force", is_flag=True, help="Overwrite an existing --out file.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def sweep(slug, spec, without, workers, out, force, as_json):
    """Fly SLUG at N values of one flown parameter from LO to HI (e.g. mars-2
    arrival.entry_fpa_deg=-25:-5:41): the outcome class and key figures at each, and where
    the class changes."""
    from marsprobe.analysis.sweep import parse_range
    from marsprobe.analysis.sweep import sweep as run
    from marsprobe.cli import guards

    param, lo, hi, n = parse_range(spec)
    guards.workers(workers)
    if out is not None:  # checked before any flight, so no work is lost to a bad path
        out = guards.output_file(out, "--out", (".png",), overwrite=force)
    progress = None
    bar = None
    if not as_json and sys.stderr.isatty():
        from rich.progress import Progress

        bar = Progress(transient=True)
        bar.start()
        task = bar.add_task("sweeping", total=n)

        def progress(done, total):
            bar.update(task, completed=done, total=total)

    try:
        result = run(slug, param, lo, hi, n, tuple(without), workers, progress)
    finally:
        if bar:
            bar.stop()
    if out is not None:
        _plot(result, Path(out))
    if as_json:
        print_json(result.to_json())
        return
    _print(result)


def _plot(result, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from marsprobe.report.sweep_plot import plot_sweep

    ax = plot_sweep(result)
    tmp = path.with_name(path.name + ".partial.png")
    ax.figure.savefig(tmp, dpi=120)
    tmp.replace(path)


def _print(result) -> None:
    out = console()
    keys: list[str] = []
    for p in result.points:
        keys += [k for k in p.figures if k not in keys]
    t = table(f"{result.slug}: sweep of {result.parameter}", [result.parameter, "outcome", *keys])
    for p in result.points:
        cls = p.outcome_class if p.error is None else f"could not fly: {p.error}"
        t.add_row(f"{p.value:g}", cls, *(_fmt(p.figures.get(k)) for k in keys))
    out.print(t)
    for cls, lo, hi in result.ranges():
        span = f"{lo:g}" if lo == hi else f"{lo:g} to {hi:g}"
        out.print(f"{cls}: {result.parameter} {span}")
    for b in result.boundaries:
        out.print(f"boundary between {b.below:g} and {b.above:g}: {b.from_class} -> {b.to_class}")


def _fmt(value) -> str:
    return "" if value is None else f"{value:,.3f}".rstrip("0").rstrip(".")
