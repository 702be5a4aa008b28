"""What the command line adds to a Monte Carlo: the cost announced first, the drivers after."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import click

from marsprobe.cli.render import console, table

ESTIMATE_MIN_SECONDS = 30.0  # shorter campaigns are not worth a line
SHOWN_DRIVERS = 5


def estimate_printer(what: str, runs: int):
    """A callback for run_campaign's ``estimate``: one line on stderr for long campaigns."""

    def say(est) -> None:
        if est.seconds_left < ESTIMATE_MIN_SECONDS:
            return
        minutes = est.seconds_left / 60.0
        click.echo(
            f"marsprobe: {runs:,} {what}: about {minutes:.0f} min more on {est.parallel} "
            f"process(es) and {est.bytes_total / 1e6:,.0f} MB on disk (measured on the first "
            "chunk); Ctrl-C keeps the finished chunks for --resume",
            err=True,
        )

    return say


def quiet_dask() -> None:
    """Keep distributed's own log lines off the terminal: errors arrive as one line."""
    for name in ("distributed", "tornado", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def sensitivity(
    columns: Mapping[str, Any], inputs: Sequence[str], outcomes: Sequence[str]
) -> dict[str, Any]:
    """The JSON of the inputs that drive each outcome, with the dominant one named."""
    from marsprobe.analysis.sensitivity import dominant, rank_drivers

    out: dict[str, Any] = {}
    for outcome in outcomes:
        if outcome not in columns:
            continue
        drivers = rank_drivers(columns, inputs, outcome)
        top = dominant(drivers)
        out[outcome] = {
            "drivers": [d.to_json() for d in drivers],
            "dominated_by": top.to_json() if top else None,
        }
    return out


def print_sensitivity(data: Mapping[str, Any]) -> None:
    con = console()
    for outcome, entry in data.items():
        drivers = entry["drivers"][:SHOWN_DRIVERS]
        if not drivers:
            con.print(f"{outcome}: the same in every run, no input drives it")
            continue
        rows = table(
            f"What drives {outcome}: the share of its variance each input explains alone",
            ["input", "first-order index", "share", "rank correlation"],
        )
        for d in drivers:
            rows.add_row(
                d["input"],
                f"{d['first_order_index']:.3f}",
                f"{d['share']:.0%}",
                f"{d['rank_correlation']:+.2f}",
            )
        con.print(rows)
        top = entry["dominated_by"]
        if top:
            con.print(
                f"{outcome} is dominated by one dispersion: {top['dispersion']} "
                f"({', '.join(top['inputs'])}: {top['share']:.0%} of the summed indices)"
            )


class ProgressBar:
    """A rich progress bar fed by the engine's CampaignProgress callbacks (terminal only)."""

    def __init__(self, total: int, what: str) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn(what),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            transient=True,
        )
        self.task = self.progress.add_task("edl", total=total, rate="")
        self.progress.start()

    def update(self, state) -> None:
        task = self.progress.tasks[0]
        rate = f"{task.speed:,.0f}/s" if task.speed else ""
        self.progress.update(self.task, completed=state.samples_done, rate=rate)

    def close(self) -> None:
        self.progress.stop()


@contextmanager
def engine_hooks(runs: int, what: str, quiet: bool, timeout_s: float) -> Iterator[dict[str, Any]]:
    """What every command running the campaign engine hands it for the user's sake: a
    progress bar on a terminal (none when ``quiet``, e.g. for JSON, or piped), the up-front
    cost estimate and the time-outs (s); the bar is closed however the run ends."""
    progress = None if quiet or not sys.stderr.isatty() else ProgressBar(runs, what)
    try:
        yield {
            "progress": progress.update if progress else None,
            "timeout_s": timeout_s,
            "workers_timeout_s": timeout_s,
            "estimate": estimate_printer(what, runs),
        }
    finally:
        if progress:
            progress.close()
