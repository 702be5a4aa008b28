"""Interactive figures of a sweep and of a landing (plotly): each function returns a Figure.

:func:`sweep_outcomes` draws the outcome class against the swept value, the class
boundaries marked; :func:`landing_map` the simulated touchdown, the recorded site and, where
a Monte Carlo of the descent was flown, its landings and dispersion ellipse, on a
latitude/longitude map of Mars. Nothing here flies or shows anything.
"""

from __future__ import annotations

import math

import numpy as np

from marsprobe.report import palette
from marsprobe.report.interactive import FONT

SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross")
ELLIPSE_TRACE = "landing ellipse"
"""The start of the ellipse trace's name (the browser test finds it by this)."""


def sweep_outcomes(result, x_title: str, title: str = ""):
    """The outcome class (rows) at each swept value (``x_title``: the axis title with unit).

    ``result``: a :class:`marsprobe.analysis.sweep.Sweep`. Each class has its own colour and
    marker (Okabe-Ito, so that colour-blind readers and greyscale prints tell them apart);
    a dashed line halfway between neighbouring values where the class changes.
    """
    import plotly.graph_objects as go

    classes: list[str] = []
    for p in result.points:
        if p.outcome_class not in classes:
            classes.append(p.outcome_class)
    fig = go.Figure()
    for i, name in enumerate(classes):
        mine = [p for p in result.points if p.outcome_class == name]
        fig.add_scatter(
            x=[p.value for p in mine],
            y=[name] * len(mine),
            mode="markers",
            name=name,
            marker={
                "size": 11,
                "color": palette.SERIES[i % len(palette.SERIES)],
                "symbol": SYMBOLS[i % len(SYMBOLS)],
                "line": {"width": 1, "color": palette.BLACK},
            },
        )
    xs: list[float | None] = []
    ys: list[str | None] = []
    for b in result.boundaries:
        mid = 0.5 * (b.below + b.above)
        xs += [mid, mid, None]
        ys += [classes[0], classes[-1], None]
    if xs:
        fig.add_scatter(
            x=xs,
            y=ys,
            mode="lines",
            name="class boundary (midway between flown values)",
            line={"color": palette.BLACK, "dash": "dash", "width": 1},
        )
    fig.update_layout(
        title=title,
        font=FONT,
        height=max(300, 70 * len(classes) + 200),
        xaxis={"title": x_title},
        yaxis={"title": "outcome class", "type": "category", "categoryarray": classes},
        legend={"orientation": "h", "y": -0.3},
        margin={"l": 230},
    )
    return fig


def ellipse_outline(ellipse: dict, n: int = 181) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and east longitude (deg) of a campaign ellipse's outline.

    ``ellipse``: the summary's form (:func:`marsprobe.analysis.summary.landing_ellipse`):
    ``centre_lat_deg``, ``centre_lon_deg``, ``semi_major_km``, ``semi_minor_km``,
    ``azimuth_deg`` (major axis from north towards east), ``radius_km``. Drawn on the tangent
    plane at the centre, as the summary computes it (the ellipses here are far smaller than
    the planet, where the plane and the sphere agree).
    """
    a, b = ellipse["semi_major_km"], ellipse["semi_minor_km"]
    az = math.radians(ellipse["azimuth_deg"])
    lat0 = ellipse["centre_lat_deg"]
    s = np.linspace(0.0, 2.0 * math.pi, n)
    major, minor = a * np.cos(s), b * np.sin(s)
    east = major * math.sin(az) + minor * math.cos(az)
    north = major * math.cos(az) - minor * math.sin(az)
    km_per_deg = ellipse["radius_km"] * math.pi / 180.0
    lat = lat0 + north / km_per_deg
    lon = ellipse["centre_lon_deg"] + east / (km_per_deg * math.cos(math.radians(lat0)))
    return lat, lon


def _around(values: list[float], pad: float, least: float) -> list[float]:
    lo, hi = min(values), max(values)
    mid, half = 0.5 * (lo + hi), max(0.5 * (hi - lo) + pad, least)
    return [mid - half, mid + half]


def landing_map(touchdown: tuple[float, float], site, dispersion=None, title: str = ""):
    """The landing on a latitude/longitude map: the simulated touchdown (lat, east lon deg),
    the recorded ``site`` (lat, lon or None) and the ``dispersion``
    (:class:`marsprobe.analysis.landing_dispersion.LandingDispersion` or None).

    The view is the region around them (a plotly figure: zoom out for the planet).
    Longitudes are drawn east, continued across 180 deg so that the region is not cut.
    """
    import plotly.graph_objects as go

    lat0, lon0 = touchdown

    def near(lon):  # the same longitude, within 180 deg of the touchdown
        return lon0 + ((np.asarray(lon, float) - lon0 + 180.0) % 360.0) - 180.0

    fig = go.Figure()
    lats, lons = [lat0], [lon0]
    if dispersion is not None and len(dispersion.lat_deg):
        safe = np.asarray(dispersion.landed, bool)
        for ok, label, colour, symbol in (
            (False, "dispersed descent: crashed", palette.PURPLE, "x-thin-open"),
            (True, "dispersed descent: landed safely", palette.GREEN, "circle-open"),
        ):
            pick = safe == ok
            if not pick.any():
                continue
            fig.add_scatter(
                x=near(np.asarray(dispersion.lon_deg)[pick]),
                y=np.asarray(dispersion.lat_deg)[pick],
                mode="markers",
                name=label,
                marker={"size": 6, "color": colour, "symbol": symbol, "line": {"width": 1.5}},
                opacity=0.8,
            )
        ell = dispersion.ellipse
        if ell.get("semi_major_km"):
            elat, elon = ellipse_outline(ell)
            fig.add_scatter(
                x=near(elon),
                y=elat,
                mode="lines",
                name=f"{ELLIPSE_TRACE}, {ell['sigma']:g} sigma "
                f"({ell['semi_major_km']:.0f} x {ell['semi_minor_km']:.0f} km)",
                line={"color": palette.BLUE, "width": 2.5},
            )
            lats += list(elat)
            lons += list(near(elon))
    fig.add_scatter(
        x=[lon0],
        y=[lat0],
        mode="markers",
        name="simulated touchdown",
        marker={"size": 13, "color": palette.SIMULATED, "symbol": "circle"},
    )
    if site is not None:
        fig.add_scatter(
            x=near([site[1]]),
            y=[site[0]],
            mode="markers",
            name="recorded site",
            marker={"size": 15, "color": palette.RECORDED, "symbol": "x", "line": {"width": 1}},
        )
        lats.append(site[0])
        lons.append(float(near([site[1]])[0]))
    scale = max(math.cos(math.radians(lat0)), 0.2)
    fig.update_layout(
        title=title,
        font=FONT,
        height=520,
        plot_bgcolor="#f3e3d3",
        xaxis={"title": "east longitude (deg)", "range": _around(lons, 1.0, 3.0 / scale)},
        yaxis={
            "title": "planetocentric latitude (deg)",
            "range": _around(lats, 1.0, 3.0),
            "scaleanchor": "x",
            "scaleratio": 1.0 / scale,
        },
        legend={"orientation": "h", "y": -0.18},
    )
    return fig
