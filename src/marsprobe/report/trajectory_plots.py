"""Pictures of a flown mission's path: the ascent, the cruise, the arrival, the landing site.

Each function takes a :class:`marsprobe.mission.replay.Replay` (and the mission where the
record is drawn), draws on ``ax`` (made when None) and returns the Axes; none calls
``show()``. Distances in the labels are in the units named there.
"""

from __future__ import annotations

import math

import numpy as np

from marsprobe.constants import AU_M, DAY_S, GM_SUN, R_MARS
from marsprobe.report import palette


def _axes(ax, figsize=(6.4, 4.8)):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def plot_ascent(replay, ax=None):
    """Altitude (km) of the launch events against time from lift-off (s), each event named."""
    ax = _axes(ax)
    events = [e for e in replay.events if e.phase == "launch" and "t_s" in e.data]
    if not events:
        raise ValueError(f"{replay.slug}: no launch events to draw")
    t = [e.t_s for e in events]
    alt = [e.altitude_km for e in events]
    ax.plot(t, alt, color=palette.SIMULATED, marker="o", ms=4, label="simulated ascent events")
    seen: set[str] = set()
    for e in events:
        if e.name in seen:
            continue
        seen.add(e.name)
        ax.annotate(
            e.name.replace("_", " "),
            (e.t_s, e.altitude_km),
            xytext=(3, 4),
            textcoords="offset points",
            fontsize=7,
            rotation=25,
        )
    ax.set_xlabel("time from lift-off (s)")
    ax.set_ylabel("altitude (km)")
    ax.set_title(f"{replay.name}: ascent")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    return ax


def _ecliptic_au(r_icrf: np.ndarray) -> np.ndarray:
    from marsprobe.frames import ecliptic_from_icrf

    return np.asarray(ecliptic_from_icrf(np.asarray(r_icrf, float))) / AU_M


def cruise_path(replay, points: int = 300):
    """The heliocentric path for the picture, ecliptic x, y in AU, with its epochs.

    Drawn as the two-body conic from the escape stage's hand-over (the Earth's state plus the
    hyperbolic excess velocity), which is what the eye needs at this scale; the replay itself
    integrates the n-body cruise, and the corrections are marked where they fired.
    """
    from marsprobe.ephemeris import state
    from marsprobe.mission.departure import unit_vector
    from marsprobe.orbits.kepler import propagate_flagged

    dep = replay.launch.departure
    end = replay.flight.cruise.t if replay.flight is not None else dep.epoch + 250 * DAY_S
    v_inf = dep.vinf_km_s * 1e3 * unit_vector(dep.ra_deg, dep.dec_deg)
    r_e, v_e = state("earth", dep.epoch)
    t = np.linspace(dep.epoch, end, points)
    r0 = np.broadcast_to(np.asarray(r_e, float), (points, 3))
    v0 = np.broadcast_to(np.asarray(v_e, float) + v_inf, (points, 3))
    r, _, ok = propagate_flagged(r0, v0, t - dep.epoch, GM_SUN)
    return t[ok], _ecliptic_au(r[ok])


def plot_cruise(replay, ax=None):
    """The cruise among the orbits of the Earth and Mars (ecliptic plane, AU)."""
    from marsprobe.ephemeris import position

    ax = _axes(ax, (6.0, 6.0))
    if replay.launch is None or replay.launch.departure is None:
        raise ValueError(f"{replay.slug}: the probe never left the Earth")
    t, xy = cruise_path(replay)
    for body, color, style, days in (
        ("earth", palette.EARTH, "--", 366),
        ("mars", palette.MARS, ":", 687),
    ):
        tt = t[0] + np.linspace(0, days * DAY_S, 200)
        orbit = _ecliptic_au(position(body, tt))
        ax.plot(orbit[:, 0], orbit[:, 1], color=color, ls=style, lw=1, label=f"{body} orbit")
        for k, marker in ((0, "o"), (-1, "s")):
            p = _ecliptic_au(position(body, t[k]))
            ax.plot(p[0], p[1], marker=marker, color=color, ms=6, ls="none")
    ax.plot(xy[:, 0], xy[:, 1], color=palette.SIMULATED, lw=2, label="probe (two-body conic)")
    tcms = [e for e in replay.events if e.name == "tcm"]
    for i, e in enumerate(tcms):
        k = int(np.argmin(np.abs(t - e.epoch)))
        ax.plot(
            xy[k, 0],
            xy[k, 1],
            marker="^",
            color=palette.EVENT,
            ms=9,
            ls="none",
            label="course correction" if i == 0 else None,
        )
    ax.plot(0, 0, marker="*", color=palette.YELLOW, mec=palette.BLACK, ms=12, ls="none")
    ax.set_aspect("equal")
    ax.set_xlabel("ecliptic x (AU)")
    ax.set_ylabel("ecliptic y (AU)")
    ax.set_title(f"{replay.name}: cruise (circle: departure, square: arrival)", fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="lower left", fontsize=8)
    return ax


def _conic_xy(rp_m: float, e: float, nu_max: float) -> np.ndarray:
    nu = np.linspace(-nu_max, nu_max, 400)
    p = rp_m * (1 + e)
    r = p / (1 + e * np.cos(nu))
    return np.column_stack((r * np.cos(nu), r * np.sin(nu))) / 1e3


def plot_arrival(replay, ax=None):
    """The path at Mars drawn in its own plane (km): the capture orbit or the flyby."""
    ax = _axes(ax, (6.0, 6.0))
    arrival = replay.flight.arrival if replay.flight is not None else None
    if arrival is None or (arrival.capture_orbit is None and arrival.flyby is None):
        raise ValueError(f"{replay.slug}: no arrival at Mars to draw")
    if arrival.capture_orbit is not None:
        orbit = arrival.capture_orbit
        rp = R_MARS + orbit.periapsis_km * 1e3
        e = orbit.eccentricity
        xy = _conic_xy(rp, e, math.pi)
        label = (
            f"capture orbit {orbit.periapsis_km:.0f} x {orbit.apoapsis_km:.0f} km, "
            f"{orbit.period_min / 60:.1f} h"
        )
    else:
        rp = R_MARS + arrival.flyby.closest_approach_km * 1e3
        e = 2.0  # the flyby's shape is not kept; its closest approach is, and sets the scale
        xy = _conic_xy(rp, e, math.radians(110))
        label = f"flyby, closest approach {arrival.flyby.closest_approach_km:.0f} km"
    ax.plot(xy[:, 0], xy[:, 1], color=palette.SIMULATED, lw=1.5, label=label)
    ang = np.linspace(0, 2 * math.pi, 200)
    ax.fill(
        R_MARS / 1e3 * np.cos(ang),
        R_MARS / 1e3 * np.sin(ang),
        color=palette.MARS,
        alpha=0.6,
        label="Mars",
    )
    ax.plot(rp / 1e3, 0, marker="o", color=palette.EVENT, ls="none", label="periapsis")
    ax.set_aspect("equal")
    ax.set_xlabel("distance from Mars' centre along periapsis (km)")
    ax.set_ylabel("distance from Mars' centre (km)")
    ax.set_title(f"{replay.name}: arrival, drawn in the orbit's plane", fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper right", fontsize=8)
    return ax


def recorded_landing(mission) -> tuple[float, float] | None:
    """The recorded landing site (latitude, east longitude in degrees), if the record has it."""
    if mission.record is None:
        return None
    for e in mission.record.events:
        lat, lon = getattr(e, "lat_deg", None), getattr(e, "lon_deg", None)
        if e.name == "landing" and lat is not None and lon is not None:
            return float(lat.value), float(lon.value)
    return None


def plot_landing_map(replay, mission=None, ax=None):
    """The simulated landing point and the recorded site on a latitude/longitude map of Mars."""
    ax = _axes(ax, (7.2, 3.9))
    landing = replay.event("landing")
    if landing is None or "lat_deg" not in landing.data:
        raise ValueError(f"{replay.slug}: no landing to draw")
    lon = landing.data["lon_deg"] % 360
    ax.plot(
        lon,
        landing.data["lat_deg"],
        marker="o",
        ms=9,
        color=palette.SIMULATED,
        ls="none",
        label="simulated touchdown",
    )
    site = recorded_landing(mission) if mission is not None else None
    if site is not None:
        ax.plot(
            site[1] % 360,
            site[0],
            marker="x",
            ms=11,
            mew=2.5,
            color=palette.RECORDED,
            ls="none",
            label="recorded site",
        )
    entry = replay.event("entry")
    ax.set_xlim(0, 360)
    ax.set_ylim(-90, 90)
    ax.set_xticks(range(0, 361, 60))
    ax.set_yticks(range(-90, 91, 30))
    ax.set_xlabel("east longitude (deg)")
    ax.set_ylabel("planetocentric latitude (deg)")
    ax.set_facecolor("#f3e3d3")
    ax.grid(True, alpha=0.5)
    ax.set_title(f"{replay.name}: landing on Mars" + ("" if entry is None else ""), fontsize=10)
    ax.legend(loc="lower left", fontsize=8)
    return ax


def plot_decay(replay, ax=None):
    """A probe left in Earth orbit: its parking orbit's apsides and the day it decayed."""
    ax = _axes(ax, (6.4, 3.6))
    launch = replay.launch
    if launch is None or launch.decay_epoch is None or launch.parking_orbit is None:
        raise ValueError(f"{replay.slug}: no decay to draw")
    days = launch.lifetime_days
    peri, apo = launch.parking_orbit.perigee_km, launch.parking_orbit.apogee_km
    ax.plot(
        [0, 0],
        [peri, apo],
        color=palette.SIMULATED,
        ls="none",
        marker="o",
        label=f"parking orbit {peri:.0f} x {apo:.0f} km",
    )
    ax.axvline(days, color=palette.RECORDED, ls="--", label="re-entry (simulated decay)")
    ax.set_xlim(-0.05 * days, 1.1 * days)
    ax.set_ylim(0, apo * 1.3)
    ax.set_xlabel("days after lift-off")
    ax.set_ylabel("altitude (km)")
    ax.set_title(
        f"{replay.name}: left in Earth orbit, re-entered after {days:.1f} days", fontsize=10
    )
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def svg(draw, *args, **kwargs) -> str:
    """Draw with ``draw(*args, ax=...)`` on a new figure and return the figure as SVG text."""
    import io

    from matplotlib.figure import Figure

    fig = Figure(figsize=kwargs.pop("figsize", (6.4, 4.8)), layout="constrained")
    ax = fig.add_subplot()
    draw(*args, ax=ax, **kwargs)
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    text = buf.getvalue()
    return text[text.index("<svg") :]


def plot_edl(history: dict, events: list[dict], title: str = "", ax=None):
    """Altitude (km) and speed (m/s, right axis) against time since entry (s), with events.

    ``history``: a descent's time history; ``events``: its events with ``name`` and ``t_s``.
    """
    ax = _axes(ax, (7.2, 4.2))
    t = np.asarray(history["t_s"], float)
    ax.plot(
        t,
        np.asarray(history["altitude_m"]) / 1e3,
        color=palette.SIMULATED,
        ls="-",
        label="altitude",
    )
    speed_ax = ax.twinx()
    speed_ax.plot(t, history["speed_m_s"], color=palette.RECORDED, ls="--", label="speed")
    speed_ax.set_ylabel("speed, planet-relative (m/s)")
    for e in events:
        if e["name"] == "entry":
            continue
        ax.axvline(e["t_s"], color="grey", lw=0.6, ls=":")
        ax.annotate(
            e["name"].replace("_", " "),
            (e["t_s"], e["altitude_m"] / 1e3),
            xytext=(3, 5),
            textcoords="offset points",
            fontsize=7,
            rotation=30,
        )
    ax.set_xlabel("time since entry interface (s)")
    ax.set_ylabel("altitude (km)")
    ax.set_title(title, fontsize=10)
    ax.grid(True, alpha=0.3)
    lines = ax.get_lines()[:1] + speed_ax.get_lines()[:1]
    ax.legend(lines, [ln.get_label() for ln in lines], loc="upper right", fontsize=8)
    return ax
