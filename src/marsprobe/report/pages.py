"""The report's pages rendered with Jinja2 (autoescaped): one per mission and the program's.

The templates live in ``report/templates`` (package data). Every page loads plotly.js from
``plotly_src``: a file beside the pages in the offline report, a local route in the web view;
never another host.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from marsprobe.report import interactive
from marsprobe.report import trajectory_plots as tp


@lru_cache(maxsize=1)
def environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("marsprobe.report", "templates"),
        autoescape=select_autoescape(["html"], default_for_string=True),
        undefined=StrictUndefined,
    )
    env.globals["cites"] = cites
    return env


def cites(refs) -> str:
    """Source references as 'id@locator; ...' (SourceRef objects or their JSON dicts)."""
    out = []
    for ref in refs or []:
        rid = ref["id"] if isinstance(ref, dict) else ref.id
        loc = ref.get("locator", "") if isinstance(ref, dict) else ref.locator
        out.append(f"{rid}@{loc}" if loc else rid)
    return "; ".join(out)


def figures(data) -> tuple[list[tuple[str, str]], list[str]]:
    """The static trajectory figures (name, SVG) this flight has, and why others are absent."""
    r = data.replay
    out: list[tuple[str, str]] = []
    notes: list[str] = []
    if any(e.phase == "launch" and "t_s" in e.data for e in r.events):
        out.append(("ascent", tp.svg(tp.plot_ascent, r)))
    if r.launch is not None and r.launch.departure is not None:
        out.append(("cruise", tp.svg(tp.plot_cruise, r, figsize=(6.0, 6.0))))
        notes.append(
            "The cruise is drawn as the two-body conic of the departure asymptote; "
            "the replay integrates the n-body cruise with its corrections."
        )
    elif r.launch is not None and r.launch.decay_epoch is not None:
        out.append(("decay", tp.svg(tp.plot_decay, r, figsize=(6.4, 3.6))))
    arrival = r.flight.arrival if r.flight is not None else None
    if arrival is not None and (arrival.capture_orbit or arrival.flyby):  # typed states or None
        out.append(("arrival", tp.svg(tp.plot_arrival, r, figsize=(6.0, 6.0))))
        if arrival.flyby and not arrival.capture_orbit:
            notes.append(
                "The flyby is drawn at its closest approach; its hyperbola's shape is illustrative."
            )
    landing = r.event("landing")
    # with a landing ellipse the map is the interactive one (lander_figures)
    if landing is not None and "lat_deg" in landing.data and data.landing_dispersion is None:
        out.append(("landing", tp.svg(tp.plot_landing_map, r, data.mission, figsize=(7.2, 3.9))))
    return out, notes


def lander_figures(data) -> dict[str, str]:
    """The corridor's and the landing ellipse's interactive figures, where computed."""
    from marsprobe.report import interactive_landing as il
    from marsprobe.report import lander_studies as ls
    from marsprobe.report.trajectory_plots import recorded_landing
    from marsprobe.report.whatif import KNOBS

    out = {"corridor_div": "", "landing_div": "", "corridor_how": ls.how()}
    name = data.mission.name.value
    if data.corridor is not None:
        knob = next(k for k in KNOBS.values() if k.key == data.corridor.parameter)
        fig = il.sweep_outcomes(
            data.corridor,
            f"{knob.label} ({knob.unit})",
            f"{name}: outcome class against the entry angle",
        )
        out["corridor_div"] = interactive.div(fig, "corridor")
    landing = data.replay.event("landing")
    if data.landing_dispersion is not None and landing is not None:
        fig = il.landing_map(
            (landing.data["lat_deg"], landing.data["lon_deg"]),
            recorded_landing(data.mission),
            data.landing_dispersion,
            f"{name}: landing point, dispersed landings and ellipse",
        )
        out["landing_div"] = interactive.div(fig, "landing-map")
    return out


def render_mission(
    data,
    plotly_src: str,
    home: str,
    porkchop_grid=None,
    launches: list[tuple[str, str]] = (),
    template: str = "mission.html",
    extra: dict[str, Any] | None = None,
) -> str:
    """One mission's page (``template``: the whole page, or ``mission_body.html`` alone)."""
    figs, notes = figures(data)
    edl_div = ""
    if data.history is not None:
        fig = interactive.edl_profile(
            data.history,
            data.replay.descent.events,
            f"{data.mission.name.value}: entry, descent and landing",
        )
        edl_div = interactive.div(fig, "edl-profile")
    pork_div = ""
    if porkchop_grid is not None:
        fig = interactive.porkchop(
            porkchop_grid,
            list(launches),
            f"Departure C3 in the window of {data.mission.name.value}",
            data.mission.name.value,
        )
        pork_div = interactive.div(fig, "porkchop")
    return (
        environment()
        .get_template(template)
        .render(
            d=data,
            ensemble=data.ensemble,
            **lander_figures(data),
            figures=figs,
            notes=notes,
            edl_div=edl_div,
            porkchop_div=pork_div,
            plotly_src=plotly_src,
            home=home,
            **(extra or {}),
        )
    )


def render_program(
    rows: list[dict[str, Any]],
    race: dict[str, Any],
    conflicts: list[dict],
    plotly_src: str,
    home: str,
) -> str:
    """The program page: the race, every outcome at a glance, the filterable conflicts."""
    timeline = interactive.div(interactive.race_timeline(rows, race["milestones"]), "race-timeline")
    return (
        environment()
        .get_template("program.html")
        .render(
            rows=rows,
            race=race,
            conflicts=conflicts,
            timeline_div=timeline,
            plotly_src=plotly_src,
            home=home,
        )
    )
