"""``marsprobe report``: the offline HTML report, one page per mission and the program's.

Each mission is flown once (plus once per documented fault for its counterfactuals) in a
worker process, which renders its page; the program page reuses the rows they hand back.
The porkchop of each launch window is computed once, on a coarse grid, and shared by the
window's launches. Every page loads the one ``plotly.min.js`` written beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from marsprobe.constants import DAY_S

PLOTLY_FILE = "plotly.min.js"
MARKER_FILE = ".marsprobe-report"
"""Written into every report folder, so that a later report may replace its pages."""
WINDOW_GAP_DAYS = 120.0  # launches closer than this share a window (windows are ~780 d apart)
GRID = (30, 30)  # departure dates x times of flight: coarse, enough to see the window's shape
TOF_DAYS = (120.0, 420.0)


def windows(missions) -> list[list[Any]]:
    """The catalog's launches grouped into launch windows by date."""
    from marsprobe.time import tdb_from_utc

    groups: list[list[Any]] = []
    last = None
    for m in sorted(missions, key=lambda m: m.launch_utc.value):
        t = float(tdb_from_utc(m.launch_utc.value))
        if last is None or t - last > WINDOW_GAP_DAYS * DAY_S:
            groups.append([])
        groups[-1].append(m)
        last = t
    return groups


def window_porkchop(group):
    """The coarse porkchop of one window: 60 days either side of its launches."""
    from marsprobe.analysis.porkchop import porkchop
    from marsprobe.time import tdb_from_utc

    t = [float(tdb_from_utc(m.launch_utc.value)) for m in group]
    dep = np.linspace(min(t) - 60 * DAY_S, max(t) + 60 * DAY_S, GRID[0])
    tof = np.linspace(TOF_DAYS[0] * DAY_S, TOF_DAYS[1] * DAY_S, GRID[1])
    return porkchop(dep, tof)


def mission_page(
    slug: str, grid, launches, counterfactuals: bool = True, ensemble=None
) -> tuple[str, dict]:
    """Fly one mission, render its page; returns the HTML and its row for the program page.

    ``ensemble``: an :class:`~marsprobe.analysis.ensemble_summary.EnsembleSummary` of this
    mission (``replay SLUG --runs N --out DIR``) to show on the page, or None.
    """
    from marsprobe import catalog
    from marsprobe.report.lander_studies import add_studies
    from marsprobe.report.mission_data import gather
    from marsprobe.report.pages import render_mission

    mission = catalog.load(slug)
    data = gather(mission, counterfactuals=counterfactuals)
    add_studies(data)
    data.ensemble = ensemble
    html = render_mission(data, PLOTLY_FILE, "index.html", grid, launches)
    row = {
        "slug": slug,
        "name": mission.name.value,
        "program": mission.program,
        "launch_utc": mission.launch_utc.value,
        "href": f"{slug}.html",
        "recorded": data.recorded_outcome,
        "outcome": data.replay.outcome,
        "match": data.match,
        "outcome_basis": data.outcome_basis,
        "faults": data.replay.applied_faults,
        "end_utc": data.end_utc(),
        "counterfactual_milestones": counterfactual_milestones(mission, data),
    }
    return html, row


def page_cost(mission, flight_cost) -> float:
    """What a page costs to fly, relatively (for the longest-first schedule): the flight,
    and a lander's entry-angle corridor (about a dozen flights of it)."""
    from marsprobe.report.lander_studies import CORRIDOR_COST, has_lander

    cost = flight_cost(mission)
    return cost * (1.0 + CORRIDOR_COST) if has_lander(mission) else cost


def counterfactual_milestones(mission, data) -> dict[str, str]:
    """The milestones a Soviet probe of the race would have reached without its faults.

    The same flight ``marsprobe race`` flies (every documented fault removed); where the
    mission has one fault, its counterfactual flight already is that flight and is reused.
    """
    from marsprobe.analysis.race import simulated_milestones
    from marsprobe.errors import MarsprobeError
    from marsprobe.mission.replay import replay
    from marsprobe.mission.scenario import parse_faults

    if mission.program != "soviet" or not mission.flight or mission.launch_utc.value > "1977":
        return {}
    faults = tuple(f.id for f in parse_faults(mission))
    if not faults:
        return {}
    flown = next((c.replay for c in data.counterfactuals if (c.without,) == faults), None)
    if flown is None:
        try:
            flown = replay(mission, faults)
        except MarsprobeError:  # a flight whose later phases are not described
            return {}
    return simulated_milestones(mission.slug, flown)


def write_report(
    out: Path,
    slugs: list[str] | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    program: bool | None = None,
    ensembles: dict | None = None,
) -> list[Path]:
    """Write the pages of ``slugs`` (None: all) into ``out``; their paths.

    ``program``: also the program page over these missions (default: when all are written).
    ``ensembles``: slug -> :class:`~marsprobe.analysis.ensemble_summary.EnsembleSummary`
    already computed, shown on that mission's page (an ensemble is never flown here).
    """
    from marsprobe import catalog
    from marsprobe.report.interactive import plotly_js

    everything = slugs is None
    slugs = catalog.slugs() if everything else slugs
    missions = [catalog.load(s) for s in slugs]
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER_FILE).write_text("pages written by marsprobe report\n", encoding="utf-8")
    (out / PLOTLY_FILE).write_text(plotly_js(), encoding="utf-8")
    jobs = []
    for group in windows(missions):
        grid = window_porkchop(group)
        launches = [(m.name.value, m.launch_utc.value) for m in group]
        jobs += [(m.slug, grid, launches, True, (ensembles or {}).get(m.slug)) for m in group]
    from marsprobe.analysis.workers import flight_cost, run_longest_first

    by_slug = {m.slug: m for m in missions}
    costs = [page_cost(by_slug[job[0]], flight_cost) for job in jobs]
    pages = run_longest_first(mission_page, jobs, costs, workers, progress)
    results = {job[0]: page for job, page in zip(jobs, pages, strict=True)}
    written = []
    for slug in slugs:
        path = out / f"{slug}.html"
        _write(path, results[slug][0])
        written.append(path)
    if everything if program is None else program:
        written.append(write_program(out, [results[s][1] for s in slugs]))
    return written


def write_program(out: Path, rows: list[dict]) -> Path:
    from marsprobe.catalog.findings import all_conflicts
    from marsprobe.report.pages import render_program

    html = render_program(
        rows,
        race_with_counterfactuals(rows),
        [c.to_json() for c in all_conflicts()],
        PLOTLY_FILE,
        "index.html",
    )
    path = out / "index.html"
    _write(path, html)
    return path


def race_with_counterfactuals(rows: list[dict]) -> dict:
    """The race's recorded firsts, and the counterfactual milestones the pages' flights reached
    (shaped as ``marsprobe race --json``)."""
    from marsprobe import catalog
    from marsprobe.analysis.race import counterfactual_rows, race, recorded_milestones

    out = race(counterfactuals=False)
    firsts = recorded_milestones(catalog.all_missions())
    for row in rows:
        out["counterfactuals"] += counterfactual_rows(
            row["slug"], row["counterfactual_milestones"], firsts
        )
    return out


def _write(path: Path, text: str) -> None:
    """Write a page whole: a half-written page never replaces a good one."""
    tmp = path.with_suffix(path.suffix + ".part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
