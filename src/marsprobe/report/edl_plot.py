"""Plots of a descent: the timeline of one entry, and the landing points of a campaign."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np


def plot_descent(descent, axes=None):
    """Altitude, speed and Mach number against time since entry, with the events marked.

    ``descent``: a :class:`marsprobe.mission.descent.Descent` flown with ``history=True``.
    ``axes``: three Axes sharing the time axis (made if None). Returns the axes.
    """
    import matplotlib.pyplot as plt

    if descent.history is None:
        raise ValueError("the descent was flown without history=True")
    h = descent.history
    if axes is None:
        _, axes = plt.subplots(3, 1, sharex=True, figsize=(8, 8), layout="constrained")
    t = h["t_s"]
    series = (
        (h["altitude_m"] / 1e3, "altitude (km)"),
        (h["speed_m_s"], "speed, planet-relative (m/s)"),
        (h["mach"], "Mach number"),
    )
    for ax, (y, label) in zip(axes, series, strict=True):
        ax.plot(t, y, color="tab:blue")
        ax.set_ylabel(label)
        ax.grid(True, alpha=0.3)
    axes[1].set_yscale("log")
    for event in descent.events:
        if event["name"] == "entry":
            continue
        for ax in axes:
            ax.axvline(event["t_s"], color="grey", lw=0.6, ls=":")
        axes[0].annotate(
            event["name"].replace("_", " "),
            (event["t_s"], event["altitude_m"] / 1e3),
            xytext=(4, 6),
            textcoords="offset points",
            fontsize=8,
            rotation=30,
        )
    axes[-1].set_xlabel("time since entry (s)")
    return axes


def save_descent_plot(descent, path: Path, title: str = "") -> None:
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(3, 1, sharex=True, figsize=(8, 8), layout="constrained")
    plot_descent(descent, axes)
    td = descent.touchdown
    verdict = "survived" if td.survived else "crashed"
    fig.suptitle(f"{title}\ntouchdown {td.speed_m_s:.1f} m/s ({verdict})")
    fig.savefig(path, dpi=120)
    plt.close(fig)


def ellipse_outline(ellipse: dict[str, Any], n: int = 181) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude (deg) of the ellipse's outline, on a local tangent plane."""
    a, b = ellipse["semi_major_km"], ellipse["semi_minor_km"]
    az = math.radians(ellipse["orientation_deg"])
    lat0, lon0 = ellipse["center_lat_deg"], ellipse["center_lon_deg"]
    s = np.linspace(0.0, 2.0 * math.pi, n)
    x_major, x_minor = a * np.cos(s), b * np.sin(s)
    # major axis at azimuth az from north toward east
    east = x_major * math.sin(az) + x_minor * math.cos(az)
    north = x_major * math.cos(az) - x_minor * math.sin(az)
    km_per_deg = ellipse.get("radius_km", 3389.5) * math.pi / 180.0
    lat = lat0 + north / km_per_deg
    lon = lon0 + east / (km_per_deg * math.cos(math.radians(lat0)))
    return lat, lon


def plot_landings(columns: dict[str, np.ndarray], ellipse: dict[str, Any], ax=None):
    """Landing points (safe and not) and the dispersion ellipse on a lat/lon map."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 6), layout="constrained")
    lat, lon = columns["landing_lat_deg"], columns["landing_lon_deg"]
    safe = columns["landed"].astype(bool)
    # crashes first, so that the (often fewer) safe landings stay visible on top
    ax.scatter(lon[~safe], lat[~safe], s=3, color="tab:red", label="crash", alpha=0.4)
    ax.scatter(lon[safe], lat[safe], s=6, color="tab:green", label="safe landing", alpha=0.9)
    if ellipse.get("semi_major_km"):
        elat, elon = ellipse_outline(ellipse)
        ax.plot(
            elon,
            elat,
            color="black",
            lw=1.2,
            label=f"{ellipse.get('sigma', 3):g}-sigma ellipse "
            f"{ellipse['semi_major_km']:.0f} x {ellipse['semi_minor_km']:.0f} km",
        )
        ax.plot(ellipse["center_lon_deg"], ellipse["center_lat_deg"], "k+", ms=10)
    ax.set_xlabel("longitude (deg east)")
    ax.set_ylabel("latitude (deg, planetocentric)")
    ax.set_aspect(1.0 / max(math.cos(math.radians(np.nanmean(lat))), 0.2))
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", fontsize=8)
    return ax


def save_landing_plot(columns, ellipse, path: Path, title: str = "") -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 6), layout="constrained")
    plot_landings(columns, ellipse, ax)
    ax.set_title(title)
    fig.savefig(path, dpi=120)
    plt.close(fig)
