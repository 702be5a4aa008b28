"""The porkchop plot: departure C3 and arrival v_inf contours over departure and arrival dates.

Matplotlib's object API only: :func:`plot_porkchop` draws on the Axes it is given (or on a
new figure's) and returns it; nothing is shown. Dates on both axes are UTC (converted from
the grid's TDB epochs), C3 in km^2/s^2, v_inf in km/s.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from marsprobe.analysis.porkchop import Porkchop, Transfer
from marsprobe.analysis.windows import Flown

__all__ = ["c3_levels", "plot_porkchop", "utc_datetime64"]

_PROGRAM_STYLE = {"soviet": ("o", "#c0392b"), "us": ("s", "#1f4e9c")}


def utc_datetime64(t) -> np.ndarray:
    """UTC datetime64[ms] of TDB seconds past J2000 ``t`` (good to the leap second)."""
    from marsprobe.time import utc_seconds_from_tdb

    ms = np.round(np.asarray(utc_seconds_from_tdb(np.asarray(t, dtype=np.float64)) * 1e3))
    return np.datetime64("2000-01-01T12:00:00", "ms") + ms.astype("timedelta64[ms]")


def c3_levels(c3_min_km2_s2: float, span: float = 40.0) -> np.ndarray:
    """Contour levels (km^2/s^2) from just above the minimum: close near it, wider above."""
    base = np.floor(c3_min_km2_s2)
    fine = base + np.array([0.5, 1, 2, 3, 4, 6, 8, 10, 12.5, 15, 20, 25, 30, 40, 50, 60, 80])
    return fine[(fine > c3_min_km2_s2) & (fine <= c3_min_km2_s2 + span)]


def plot_porkchop(
    grid: Porkchop,
    ax=None,
    minimum: Transfer | None = None,
    flown: Sequence[Flown] = (),
    c3_span: float = 40.0,
    vinf_step: float = 0.5,
    title: str | None = None,
):
    """Draw ``grid`` as C3 contours (solid, coloured) and arrival v_inf contours (dashed).

    ``minimum`` (a zero- or multi-revolution transfer) is marked with a star; each of
    ``flown`` (catalog launches) with its program's marker at its launch and arrival dates,
    filled when the arrival is the record's, open when it is the minimum-C3 guess. Levels:
    C3 up to ``c3_span`` km^2/s^2 above the grid's minimum, v_inf every ``vinf_step`` km/s.
    Returns the Axes.
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib import patheffects

    if ax is None:
        _fig, ax = plt.subplots(figsize=(9.0, 7.0), layout="constrained")
    dep = utc_datetime64(grid.departure)
    arr = utc_datetime64(grid.departure[:, None] + grid.tof[None, :])
    x = np.broadcast_to(mdates.date2num(dep)[:, None], grid.shape)
    y = mdates.date2num(arr)
    c3 = grid.c3 / 1e6
    vinf = grid.vinf_arrival / 1e3
    finite = np.isfinite(c3)
    if finite.any():
        c3_min = float(np.nanmin(c3))
        levels = c3_levels(c3_min, c3_span)
        if levels.size:
            cs = ax.contour(x, y, c3, levels=levels, cmap="viridis", linewidths=1.0)
            ax.clabel(cs, fmt="%g", fontsize=7)
            bar = ax.figure.colorbar(cs, ax=ax)
            bar.set_label("departure C3 (km$^2$/s$^2$)")
        v_lo = np.floor(np.nanmin(vinf) / vinf_step) * vinf_step
        v_levels = np.arange(v_lo + vinf_step, v_lo + 8 * vinf_step + 1e-9, vinf_step)
        vs = ax.contour(
            x, y, vinf, levels=v_levels, colors="0.45", linestyles="dashed", linewidths=0.8
        )
        ax.clabel(vs, fmt="%g km/s", fontsize=6)
    if minimum is not None:
        mx = mdates.date2num(utc_datetime64(minimum.departure))
        my = mdates.date2num(utc_datetime64(minimum.departure + minimum.tof))
        ax.plot(mx, my, marker="*", ms=14, color="gold", mec="k", ls="none", zorder=5)
        # The numbers go in a corner box: next to the star they would hide the launches.
        ax.annotate(
            f"\u2605 min C3 {minimum.c3 / 1e6:.2f} km$^2$/s$^2$, type {minimum.kind}, "
            f"{minimum.tof / 86400.0:.0f} d, v$_\\infty$ {minimum.vinf_arrival / 1e3:.2f} km/s",
            (0.98, 0.02),
            xycoords="axes fraction",
            ha="right",
            va="bottom",
            fontsize=8,
            bbox={"boxstyle": "round", "fc": "white", "ec": "0.6", "alpha": 0.9},
        )
    seen: set[tuple[str, bool]] = set()
    for k, f in enumerate(flown):
        marker, colour = _PROGRAM_STYLE.get(f.program, ("D", "k"))
        recorded = f.arrival_source.startswith("record")
        fx = mdates.date2num(utc_datetime64(f.transfer.departure))
        fy = mdates.date2num(utc_datetime64(f.transfer.departure + f.transfer.tof))
        key = (f.program, recorded)
        label = None
        if key not in seen:
            seen.add(key)
            label = f"{f.program} launch, " + (
                "recorded arrival" if recorded else "arrival of least C3"
            )
        ax.plot(
            fx,
            fy,
            marker=marker,
            ms=7,
            ls="none",
            color=colour,
            mfc=colour if recorded else "none",
            label=label,
            zorder=6,
        )
        ax.annotate(
            f.name,
            (fx, fy),
            xytext=(6, 6 if k % 2 == 0 else -10),
            textcoords="offset points",
            fontsize=7,
            color=colour,
            path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")],
        )
    for axis in (ax.xaxis, ax.yaxis):
        loc = mdates.AutoDateLocator()
        axis.set_major_locator(loc)
        axis.set_major_formatter(mdates.ConciseDateFormatter(loc))
    ax.set_xlabel("departure date (UTC)")
    ax.set_ylabel("arrival date (UTC)")
    if flown:
        ax.legend(loc="upper left", fontsize=7)
    names = {"earth": "Earth", "earth-moon-barycenter": "Earth-Moon barycentre"}
    ax.set_title(
        title
        or f"{names.get(grid.origin, grid.origin.title())} to {grid.target.title()}: "
        f"C3 (solid) and arrival v$_\\infty$ (dashed, km/s), "
        + ("direct transfers" if grid.revs == 0 else f"{grid.revs}-revolution transfers"),
        fontsize=10,
    )
    ax.grid(alpha=0.25)
    return ax
