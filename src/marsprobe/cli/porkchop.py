"""``marsprobe porkchop`` and ``marsprobe windows``: launch energy over dates, and the windows."""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import click

from marsprobe.errors import CatalogError, InputError

PLOT_SUFFIXES = (".png", ".svg", ".pdf")
MAX_GRID_SIDE = 5000
# A cell costs 18 bytes of results and about 6 us to solve on one core (a 1000 x 1000 grid
# takes some 6 s); 5 million cells are some 30 s and 90 MB, and a plot still draws them.
MAX_GRID_CELLS = 5_000_000
ESTIMATE_MIN_CELLS = 1_000_000  # from here on the time is announced before the grid is done
PROGRESS_MIN_CELLS = 20_000  # smaller grids finish before a bar would be worth drawing
_DAY_S = 86_400.0


# --- argument parsing ----------------------------------------------------------------------


def _epoch(text: str, option: str, end_of_year: bool = False) -> float:
    """TDB s of a UTC date (a bare year is its 1 January, or with ``end_of_year`` its end)."""
    from marsprobe.time import tdb_from_utc

    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        text = f"{int(text) + 1}-01-01" if end_of_year else f"{text}-01-01"
    try:
        t = tdb_from_utc(text)
    except InputError as exc:
        raise InputError(f"{option} {text!r}: {exc}") from None
    _in_ephemeris(t, f"{option} {text}")
    return t


def _in_ephemeris(t: float, what: str) -> None:
    from marsprobe.ephemeris import JD_FIRST, JD_LAST
    from marsprobe.time import J2000_JD

    jd = J2000_JD + t / _DAY_S
    if not JD_FIRST <= jd <= JD_LAST:
        raise InputError(
            f"{what} is outside the DE421 ephemeris; accepted: dates from 1899-12-04 to "
            "2200-02-01 (departure and arrival)"
        )


def _span(start: float, end: float) -> None:
    if not end > start:
        raise InputError("empty date range: --to must be later than --from")


def parse_tof(text: str) -> tuple[float, float]:
    """``"120:400"`` -> (120.0, 400.0) days; 0 < first < second."""
    m = re.fullmatch(r"\s*([0-9.eE+-]+)\s*:\s*([0-9.eE+-]+)\s*", text)
    try:
        lo, hi = (float(m[1]), float(m[2])) if m else (None, None)
    except ValueError:
        lo = hi = None
    if lo is None or not (0.0 < lo < hi < 1e5):
        raise InputError(
            f"--tof {text!r} is not a time-of-flight range; accepted: MIN:MAX in days with "
            "0 < MIN < MAX, e.g. 120:400"
        )
    return lo, hi


def parse_grid(text: str) -> tuple[int, int]:
    """``"300x300"`` -> (departures, times of flight), each 2..MAX_GRID_SIDE."""
    # at most 7 digits each: int() of a 50,000-digit string is refused by Python itself
    m = re.fullmatch(r"\s*(\d{1,7})\s*[xX]\s*(\d{1,7})\s*", text[:64])
    if len(text) > 64 or m is None or not all(2 <= int(v) <= MAX_GRID_SIDE for v in m.groups()):
        shown = text if len(text) <= 40 else text[:20] + "..." + text[-10:]
        raise InputError(
            f"--grid {shown!r} is not a grid; accepted: NxM (departures x times of flight), "
            f"each 2..{MAX_GRID_SIDE}, e.g. 300x300"
        )
    n, k = int(m[1]), int(m[2])
    if n * k > MAX_GRID_CELLS:
        raise InputError(
            f"--grid {n}x{k} has {n * k:,} cells, more than {MAX_GRID_CELLS:,} (memory and "
            "time); use a coarser grid or a shorter date range"
        )
    return n, k


def check_out(path: str | None, force: bool = False) -> Path | None:
    from marsprobe.cli import guards

    if path is None:
        return None
    return guards.output_file(path, "--out", PLOT_SUFFIXES, overwrite=force)


def announce(cells: int, label: str):
    """A progress callback that prints, once, how long a large grid will take (stderr)."""
    import time

    started = time.monotonic()
    said = False

    def update(done: int, total: int) -> None:
        nonlocal said
        if said or total < ESTIMATE_MIN_CELLS or done <= 0:
            return
        said = True
        left = (time.monotonic() - started) / done * (total - done)
        click.echo(
            f"marsprobe: {label}: {total:,} cells, about {left:.0f} s more at this rate",
            err=True,
        )

    return update


# --- rendering helpers ---------------------------------------------------------------------


@contextmanager
def progress_bar(cells: int, label: str, enabled: bool):
    """A rich progress bar on stderr, only on a terminal and for long grids."""
    from rich.console import Console

    err = Console(stderr=True)
    if not enabled or cells < PROGRESS_MIN_CELLS or not err.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn(label),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,} transfers"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=cells)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _utc(t: float) -> str:
    from marsprobe.time import utc_from_tdb

    return utc_from_tdb(t, digits=0)


def _rows_table(title: str, columns, rows):
    """A rich table from dicts: ``columns`` is a list of (header, key, format) triples."""
    from marsprobe.cli.render import table

    out = table(title, [c[0] for c in columns])
    for row in rows:
        cells = []
        for _header, key, fmt in columns:
            value = row.get(key)
            if value is None:
                cells.append("-")
            elif callable(fmt):
                cells.append(fmt(value))
            else:
                cells.append(format(value, fmt))
        out.add_row(*cells)
    return out


def _day(text: str) -> str:
    return text[:10]


TRANSFER_COLUMNS = [
    ("departure (UTC)", "departure_utc", _day),
    ("arrival (UTC)", "arrival_utc", _day),
    ("TOF (d)", "tof_days", ".1f"),
    ("type", "type", ""),
    ("C3 (km2/s2)", "c3_km2_s2", ".2f"),
    ("v_inf arr (km/s)", "vinf_arrival_km_s", ".2f"),
]
FLOWN_COLUMNS = [
    ("mission", "name", ""),
    ("program", "program", ""),
    *TRANSFER_COLUMNS,
    ("C3 over min", "delta_c3_km2_s2", "+.2f"),
    ("arrival from", "arrival_source", ""),
]


# --- porkchop ------------------------------------------------------------------------------


@click.command()
@click.option("--from", "date_from", required=True, help="First departure date (UTC).")
@click.option("--to", "date_to", required=True, help="Last departure date (UTC).")
@click.option("--tof", default="120:400", show_default=True, help="Time of flight MIN:MAX, d.")
@click.option("--grid", "grid_text", default="300x300", show_default=True, help="NxM cells.")
@click.option(
    "--revs",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Whole revolutions round the Sun; for M >= 1 each cell keeps the lower-C3 branch.",
)
@click.option("--out", "out_path", default=None, help="Plot file (.png, .svg or .pdf).")
@click.option("--force", is_flag=True, help="Overwrite an existing --out file.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (no progress bar).")
def porkchop(date_from, date_to, tof, grid_text, revs, out_path, force, as_json):
    """Departure C3 and arrival v_inf of Earth-to-Mars transfers over a grid of dates.

    The grid's rows are N departure dates from --from to --to, its columns M times of
    flight, both ends included. For zero revolutions the minimum C3 (overall, type I and
    type II) is refined inside the grid's box to 1e-4 day; for --revs M >= 1 it is the
    best cell. Catalog launches in the departure range are listed and marked on the plot.
    """
    import numpy as np

    from marsprobe.analysis.porkchop import grid_cell, grid_minimum, refine_minimum
    from marsprobe.analysis.porkchop import porkchop as solve_grid
    from marsprobe.analysis.windows import flown_transfers

    start = _epoch(date_from, "--from")
    end = _epoch(date_to, "--to")
    _span(start, end)
    tof_lo, tof_hi = parse_tof(tof)
    n_dep, n_tof = parse_grid(grid_text)
    out = check_out(out_path, force)
    _in_ephemeris(end + tof_hi * _DAY_S, f"the last arrival ({date_to} + {tof_hi:g} d)")

    dep = np.linspace(start, end, n_dep)
    tofs = np.linspace(tof_lo, tof_hi, n_tof) * _DAY_S
    say = announce(n_dep * n_tof, "porkchop")
    with progress_bar(n_dep * n_tof, "porkchop", not as_json) as bar:

        def both(done: int, total: int) -> None:
            say(done, total)
            if bar is not None:
                bar(done, total)

        grid = solve_grid(dep, tofs, "earth", "mars", revs, both)

    def best(long_way, refine=True):
        ij = grid_minimum(grid, long_way)
        if ij is None:
            return None
        cell = grid_cell(grid, *ij)
        if revs or not refine:
            return cell
        box = ((start, end), (tofs[0], tofs[-1]))
        return refine_minimum(cell.departure, cell.tof, "earth", "mars", cell.long_way, bounds=box)

    minima = {
        "min_c3": best(None),
        "grid_min_c3": best(None, refine=False),
        "min_c3_type_i": best(False),
        "min_c3_type_ii": best(True),
    }
    try:
        flown = flown_transfers(start, end)
    except CatalogError as exc:  # a broken catalog file must not cost the user the grid
        click.echo(f"marsprobe: warning: catalog launches left out ({exc})", err=True)
        flown = []
    if out is not None:
        import matplotlib

        matplotlib.use("Agg")
        from marsprobe.report.porkchop_plot import plot_porkchop

        ax = plot_porkchop(grid, minimum=minima["min_c3"], flown=flown)
        ax.figure.savefig(out, dpi=150)
    method = (
        "zero-revolution: one solution per cell; minima refined by zooming grids"
        if revs == 0
        else f"{revs}-revolution: per cell the lower-C3 of the two branches; minima are the "
        "grid's best cells (not refined)"
    )
    result = {key: tr.to_json() if tr else None for key, tr in minima.items()}
    if revs:
        for key, tr in minima.items():
            if tr is not None:
                ij = (np.flatnonzero(dep == tr.departure)[0], np.flatnonzero(tofs == tr.tof)[0])
                result[key].update(revs=revs, branch="low" if grid.low_path[ij] else "high")
    ref = minima["min_c3"].c3 if minima["min_c3"] else None
    launches = [f.to_json(ref) for f in flown]
    if as_json:
        from marsprobe.cli.render import print_json

        print_json(
            {
                "origin": "earth",
                "target": "mars",
                "departure_from_utc": _utc(start),
                "departure_to_utc": _utc(end),
                "tof_range_days": [tof_lo, tof_hi],
                "grid": {"shape": [n_dep, n_tof], "rows": "departure", "columns": "tof"},
                "revs": revs,
                "method": method,
                "solved_cells": int(np.isfinite(grid.c3).sum()),
                **result,
                "launches": launches,
                "out": str(out) if out else None,
            }
        )
        return
    from marsprobe.cli.render import console

    con = console()
    con.print(
        f"Earth -> Mars, departures {_day(_utc(start))} to {_day(_utc(end))}, "
        f"TOF {tof_lo:g}-{tof_hi:g} d, grid {n_dep} x {n_tof}; {method}"
    )
    labels = {"min_c3": "overall", "grid_min_c3": "best cell", "min_c3_type_i": "type I"}
    rows = [{"which": labels.get(key, "type II"), **(value or {})} for key, value in result.items()]
    con.print(_rows_table("Minimum C3", [("", "which", ""), *TRANSFER_COLUMNS], rows))
    if launches:
        con.print(_rows_table("Catalog launches (zero-revolution)", FLOWN_COLUMNS, launches))
    if out is not None:
        con.print(f"plot written to {out}")


# --- windows -------------------------------------------------------------------------------


@click.command()
@click.option("--from", "date_from", required=True, help="Start: a year (1960) or a UTC date.")
@click.option("--to", "date_to", required=True, help="End: a year (its end) or a UTC date.")
@click.option("--target", default="mars", show_default=True, help="Target planet.")
@click.option("--park-alt-km", default=200.0, show_default=True, help="Earth parking orbit.")
@click.option("--capture-peri-alt-km", default=1500.0, show_default=True, help="Capture orbit.")
@click.option("--capture-apo-alt-km", default=200000.0, show_default=True, help="Capture orbit.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list (no progress bar).")
def windows(
    date_from, date_to, target, park_alt_km, capture_peri_alt_km, capture_apo_alt_km, as_json
):
    """Every Earth-to-Mars launch opportunity in a span, and the catalog's launches in each.

    A window is the lowest C3 of zero-revolution transfers (type I or II, 100-450 d) within
    one synodic period. Delta-v, at that optimum: escape from a circular parking orbit plus
    capture into the ellipse (altitudes in km). A launch belongs to the window whose
    optimum is within 120 days; its C3 is for its own launch date and recorded arrival
    (or, with none, the least-C3 arrival: "arrival from" says which).
    """
    from marsprobe.analysis.windows import LAUNCH_MARGIN_DAYS, TARGETS, find_windows

    if target not in TARGETS:
        raise InputError(f"--target {target!r} is not supported; accepted: {', '.join(TARGETS)}")
    start = _epoch(date_from, "--from")
    end = _epoch(date_to, "--to", end_of_year=True)
    _span(start, end)
    _in_ephemeris(start - 90 * _DAY_S, f"--from {date_from} (the search starts 90 days earlier)")
    _in_ephemeris(end + 540 * _DAY_S, f"--to {date_to} (the search needs 540 days after it)")
    cells = int((end - start) / _DAY_S / 4 + 46) * 88
    with progress_bar(cells, "windows", not as_json) as bar:
        found = find_windows(
            start,
            end,
            target,
            park_alt=park_alt_km * 1e3,
            capture_periapsis_alt=capture_peri_alt_km * 1e3,
            capture_apoapsis_alt=capture_apo_alt_km * 1e3,
            progress=bar,
        )
    rows = [w.to_json() for w in found]
    if as_json:
        from marsprobe.cli.render import print_json

        print_json(rows)
        return
    from marsprobe.cli.render import console

    con = console()
    con.print(
        f"{len(rows)} Earth -> Mars windows: least C3 over type I and II direct transfers "
        f"(TOF 100-450 d); delta-v = escape from a {park_alt_km:g} km circular orbit + capture "
        f"into {capture_peri_alt_km:g} x {capture_apo_alt_km:g} km; launches within "
        f"{LAUNCH_MARGIN_DAYS:g} d of the optimum."
    )
    for r in rows:
        r["launch_list"] = ", ".join(r["launches"]) or "-"
    columns = [
        *TRANSFER_COLUMNS,
        ("escape dv (km/s)", "escape_dv_km_s", ".3f"),
        ("capture dv", "capture_dv_km_s", ".3f"),
        ("total dv", "total_dv_km_s", ".3f"),
        ("launches", "launch_list", ""),
    ]
    con.print(_rows_table("Windows", columns, rows))
    for r in rows:
        if r["flown"]:
            title = f"Launches of the {_day(r['departure_utc'])} window"
            con.print(_rows_table(title, FLOWN_COLUMNS, r["flown"]))
