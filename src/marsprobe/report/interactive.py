"""The interactive figures of the report (plotly): each function returns a Figure.

None of them shows anything or fetches plotly.js: the pages load one local copy
(:func:`plotly_js`), and the figures are written with ``include_plotlyjs=False``.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np

from marsprobe.report import palette

FONT = {"family": "DejaVu Sans, Arial, sans-serif", "size": 13}


def plotly_js() -> str:
    """The plotly.js bundle shipped inside the plotly package (no network)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def div(fig, div_id: str) -> str:
    """A figure as an HTML fragment that uses the page's one copy of plotly.js."""
    return fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config={"displaylogo": False, "responsive": True},
    )


def edl_profile(history: dict, events: list[dict], title: str = ""):
    """Altitude (km), speed (m/s), Mach and g-load against time since entry (s), with events.

    ``history``: the descent's time history (:data:`marsprobe.edl.kernel.HISTORY_FIELDS`);
    ``events``: the descent's events, each with ``name`` and ``t_s``.
    """
    from plotly.subplots import make_subplots

    t = np.asarray(history["t_s"], float)
    series = (
        ("altitude (km)", np.asarray(history["altitude_m"]) / 1e3),
        ("speed (m/s)", np.asarray(history["speed_m_s"])),
        ("Mach number", np.asarray(history["mach"])),
        ("g-load (Earth g)", np.asarray(history["g_load"])),
    )
    fig = make_subplots(rows=4, cols=1, shared_xaxes=True, vertical_spacing=0.03)
    for i, (label, y) in enumerate(series):
        fig.add_scatter(
            x=t,
            y=y,
            name=label,
            row=i + 1,
            col=1,
            mode="lines",
            line={"color": palette.SERIES[i], "dash": palette.DASHES[i]},
        )
        fig.update_yaxes(title_text=label, row=i + 1, col=1)
    span = float(t[-1] - t[0]) or 1.0
    last_t, tier = -np.inf, 0
    for e in events:
        if e["name"] == "entry":
            continue
        # events a few seconds apart get their labels on stacked rows, not on top of each other
        tier = tier + 1 if e["t_s"] - last_t < 0.04 * span else 0
        last_t = e["t_s"]
        fig.add_vline(x=e["t_s"], line={"color": "grey", "dash": "dot", "width": 1})
        fig.add_annotation(
            x=e["t_s"],
            y=1.0,
            yref="paper",
            yshift=2 + 14 * (tier % 4),
            text=e["name"].replace("_", " "),
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            font={"size": 10},
        )
    fig.update_xaxes(title_text="time since entry interface (s)", row=4, col=1)
    fig.update_layout(
        height=760,
        title={"text": title, "y": 0.995},
        font=FONT,
        margin={"t": 110, "l": 70, "r": 20, "b": 50},
        legend={"orientation": "h", "y": -0.08},
    )
    return fig


def porkchop(grid, launches: list[tuple[str, str]], title: str = "", current: str = ""):
    """Departure C3 (km^2/s^2) over departure date and time of flight (days).

    ``grid``: a :class:`marsprobe.analysis.porkchop.Porkchop`; ``launches``: (name, UTC) of
    the launches to mark, each at the grid's time of flight of least C3 for its date.
    """
    import plotly.graph_objects as go

    from marsprobe.constants import DAY_S
    from marsprobe.time import tdb_from_utc, utc_from_tdb

    dates = [utc_from_tdb(t, 0)[:10] for t in grid.departure]
    tof_days = grid.tof / DAY_S
    c3 = np.where(np.isfinite(grid.c3), grid.c3 / 1e6, np.nan)
    c3 = np.where(c3 > 60.0, np.nan, c3)  # beyond any launcher of the era
    fig = go.Figure(
        go.Contour(
            x=dates,
            y=tof_days,
            z=c3.T,
            colorscale="Cividis",
            contours={"coloring": "heatmap", "showlabels": True},
            colorbar={"title": {"text": "C3 (km²/s²)"}},
            name="C3",
        )
    )
    for i, (name, utc) in enumerate(launches):
        t = float(tdb_from_utc(utc))
        k = int(np.argmin(np.abs(grid.departure - t)))
        row = grid.c3[k]
        j = int(np.nanargmin(row)) if np.isfinite(row).any() else len(tof_days) // 2
        fig.add_scatter(
            x=[utc[:10]],
            y=[tof_days[j]],
            mode="markers+text" if name == current else "markers",
            text=[name],
            hovertext=name,
            textposition="top center",
            name=name,
            marker={
                "symbol": "x",
                "size": 12,
                "color": palette.SERIES[i % 7],
                "line": {"width": 1, "color": "black"},
            },
        )
    fig.update_layout(
        title=title,
        font=FONT,
        height=480,
        showlegend=False,
        xaxis={"title": "departure date (UTC)", "type": "date"},
        yaxis={"title": "time of flight (days)"},
    )
    return fig


def race_timeline(rows: list[dict], firsts: list[dict] = ()):
    """Both programs' launches on a date axis, one row per mission, outcome in the hover.

    ``rows``: ``{slug, name, program, launch_utc, outcome, end_utc}`` per mission, with
    ``counterfactual_milestones`` (name -> UTC reached without the faults) where flown;
    ``firsts``: the recorded firsts (``{milestone, slug, date_utc}``), marked on their rows.
    """
    import plotly.graph_objects as go

    fig = go.Figure()
    for program, label in (("soviet", "Soviet Union"), ("us", "United States")):
        mine = [r for r in rows if r["program"] == program]
        if not mine:
            continue
        for k, r in enumerate(mine):
            x0 = datetime.fromisoformat(r["launch_utc"][:19])
            x1 = datetime.fromisoformat((r["end_utc"] or r["launch_utc"])[:19])
            fig.add_scatter(
                x=[x0, x1],
                y=[r["name"], r["name"]],
                mode="lines+markers",
                line={
                    "color": palette.PROGRAM[program],
                    "width": 4,
                    "dash": "solid" if program == "soviet" else "dash",
                },
                marker={"symbol": palette.PROGRAM_SYMBOL[program], "size": 8},
                name=label,
                legendgroup=program,
                showlegend=k == 0,
                hovertext=f"{r['name']}: {', '.join(r['outcome'])}",
                hoverinfo="text",
            )
    names = {r["slug"]: r["name"] for r in rows}
    marks = (
        ("recorded first", "star", [(f["slug"], f["milestone"], f["date_utc"]) for f in firsts]),
        (
            "reached without its faults (simulated)",
            "star-open",
            [
                (r["slug"], name, date)
                for r in rows
                for name, date in r.get("counterfactual_milestones", {}).items()
            ],
        ),
    )
    for label, symbol, points in marks:
        points = [p for p in points if p[0] in names]
        if not points:
            continue
        fig.add_scatter(
            x=[datetime.fromisoformat(p[2][:19]) for p in points],
            y=[names[p[0]] for p in points],
            mode="markers",
            marker={
                "symbol": symbol,
                "size": 15,
                "color": palette.EVENT,
                "line": {"width": 1.5, "color": palette.BLACK},
            },
            name=label,
            hovertext=[f"{names[p[0]]}: {p[1].replace('_', ' ')} {p[2][:10]}" for p in points],
            hoverinfo="text",
        )
    fig.update_layout(
        font=FONT,
        height=max(400, 24 * len(rows) + 120),
        xaxis={"title": "date (UTC): launch to the end of the simulated flight", "type": "date"},
        yaxis={"autorange": "reversed"},
        margin={"l": 160},
        legend={"orientation": "h", "y": 1.03},
    )
    return fig
