"""Launch windows: every Earth-to-Mars opportunity in a span of years, and who flew in it.

The criterion (one definition, used everywhere):

* The cost of leaving on a date is the least departure C3 of the ballistic, zero-revolution
  transfers of either type (I: less than 180 degrees round the Sun, II: more) with a time of
  flight of 100 to 450 days.
* A window is the lowest local minimum of that cost within one synodic period: local minima
  closer than half a synodic period (390 days) to a lower one belong to the same window.
  Only minima whose date lies inside the requested span count.

The search: a coarse porkchop over the whole span plus 90 days each side (departures and
times of flight every 4 days: 250,000 Lambert problems for 30 years, about a second),
local minima of the cost taken over +-60 days on it, then each window refined with zooming
local grids (:func:`~marsprobe.analysis.porkchop.refine_minimum`) once for each type,
starting from that type's best cell within 60 days of the window; the lower of the two is
the window's optimum. (A type whose cost falls all the way to the edge of that 60-day
neighbourhood reports the edge of a 70-day box, not a true minimum: it has none nearby.)

The total delta-v of a window is the sum, at that optimum, of two impulsive burns: from a
circular parking orbit round the Earth (default 200 km altitude) onto the departure
hyperbola, and from the arrival hyperbola into a capture ellipse at Mars (default
1,500 x 200,000 km altitudes above the equatorial radius, the catalog's convention). It is
the cost at the minimum-C3 date, not a separately minimized total.

The catalog's launches of a window are those whose launch date lies within
``LAUNCH_MARGIN_DAYS`` of its optimal departure. The C3 each one needed is computed for its
own launch date and its recorded arrival (the earliest arrival event of its record), or,
for a probe that never got there and has none, for the time of flight that minimizes C3 on
its launch date; ``arrival_source`` says which.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from marsprobe.analysis.porkchop import (
    Progress,
    Transfer,
    best_tof,
    porkchop,
    refine_minimum,
)
from marsprobe.constants import DAY_S, GM_EARTH, GM_MARS, R_EARTH, R_MARS
from marsprobe.errors import InputError

__all__ = [
    "ARRIVAL_EVENTS",
    "LAUNCH_MARGIN_DAYS",
    "SYNODIC_PERIOD_DAYS",
    "Flown",
    "Window",
    "find_windows",
    "flown_transfers",
    "total_dv",
]

# Mean Earth-Mars synodic period 1 / (1/365.256 - 1/686.980) d, from the sidereal periods of
# NASA's Planetary Fact Sheets (Earth 365.256 d, Mars 686.980 d).
SYNODIC_PERIOD_DAYS = 1.0 / (1.0 / 365.256 - 1.0 / 686.980)

TOF_RANGE_DAYS = (100.0, 450.0)
"""Times of flight the window criterion considers, days."""

LAUNCH_MARGIN_DAYS = 120.0
"""A catalog launch within this many days of a window's optimal departure belongs to it."""

ARRIVAL_EVENTS = ("orbit_insertion", "closest_approach", "landing", "entry", "lander_separation")
"""Record events that mark a probe's arrival at its target."""

TARGETS = ("mars",)

_COARSE_STEP_DAYS = 4.0
_EDGE_DAYS = 90.0  # searched beyond each end so that a minimum near an end is a true minimum


@dataclass(frozen=True)
class Flown:
    """The transfer one catalog launch flew (or would have flown), zero-revolution."""

    slug: str
    name: str
    program: str
    transfer: Transfer
    arrival_source: str  # "record:<event name>" or "min-C3 time of flight"

    def to_json(self, reference_c3: float | None = None) -> dict:
        """Edge units; with ``reference_c3`` (m^2/s^2) also the excess over it."""
        out = {"slug": self.slug, "name": self.name, "program": self.program}
        out.update(self.transfer.to_json())
        out["arrival_source"] = self.arrival_source
        if reference_c3 is not None:
            out["delta_c3_km2_s2"] = round((self.transfer.c3 - reference_c3) / 1e6, 4)
        return out


@dataclass(frozen=True)
class Window:
    """One launch opportunity; ``best`` is its minimum-C3 transfer."""

    best: Transfer
    type_i: Transfer | None
    type_ii: Transfer | None
    escape_dv: float  # m/s, parking orbit to departure hyperbola, at ``best``
    capture_dv: float  # m/s, arrival hyperbola to capture ellipse, at ``best``
    flown: list[Flown] = field(default_factory=list)

    @property
    def total_dv(self) -> float:
        """m/s, escape plus capture."""
        return self.escape_dv + self.capture_dv

    def to_json(self) -> dict:
        """Edge units: the optimum, the burns, each type's minimum and the launches."""
        out = self.best.to_json()
        out.update(
            escape_dv_km_s=round(self.escape_dv / 1e3, 4),
            capture_dv_km_s=round(self.capture_dv / 1e3, 4),
            total_dv_km_s=round(self.total_dv / 1e3, 4),
            type_i=self.type_i.to_json() if self.type_i else None,
            type_ii=self.type_ii.to_json() if self.type_ii else None,
            launches=[f.slug for f in self.flown],
            flown=[f.to_json(self.best.c3) for f in self.flown],
        )
        return out


def total_dv(
    c3,
    vinf_arrival,
    park_alt: float = 200e3,
    capture_periapsis_alt: float = 1_500e3,
    capture_apoapsis_alt: float = 200_000e3,
) -> tuple[np.ndarray, np.ndarray]:
    """(escape, capture) impulsive burns in m/s for C3 (m^2/s^2) and arrival v_inf (m/s).

    Escape from a circular Earth orbit at ``park_alt`` (m above the equatorial radius);
    capture at Mars into the ellipse with the given periapsis and apoapsis altitudes (m).
    """
    from marsprobe.orbits.conics import capture_dv, escape_dv

    if not 0.0 <= capture_periapsis_alt <= capture_apoapsis_alt:
        raise InputError(
            "capture orbit needs 0 <= periapsis altitude <= apoapsis altitude; got "
            f"{capture_periapsis_alt / 1e3:g} x {capture_apoapsis_alt / 1e3:g} km"
        )
    if not park_alt >= 0.0:
        raise InputError(f"parking orbit altitude must be >= 0 km; got {park_alt / 1e3:g}")
    esc = escape_dv(np.sqrt(c3), R_EARTH + park_alt, GM_EARTH)
    cap = capture_dv(
        vinf_arrival, R_MARS + capture_periapsis_alt, R_MARS + capture_apoapsis_alt, GM_MARS
    )
    return esc, cap


def _check_span(start: float, end: float) -> None:
    if not end > start:
        raise InputError("empty date range: the end must be later than the start")


def _local_minima(f: np.ndarray, radius: int) -> list[int]:
    """Indices i, not at an end, where f[i] is the least value within +-radius samples."""
    padded = np.pad(f, radius, constant_values=np.inf)
    lowest = np.lib.stride_tricks.sliding_window_view(padded, 2 * radius + 1).min(axis=1)
    hit = np.isfinite(f) & (f <= lowest)
    hit[[0, -1]] = False
    idx = np.flatnonzero(hit)
    # A flat bottom (equal neighbours) counts once.
    return [int(i) for k, i in enumerate(idx) if k == 0 or i - idx[k - 1] > 1]


def find_windows(
    start: float,
    end: float,
    target: str = "mars",
    origin: str = "earth",
    park_alt: float = 200e3,
    capture_periapsis_alt: float = 1_500e3,
    capture_apoapsis_alt: float = 200_000e3,
    with_catalog: bool = True,
    progress: Progress | None = None,
) -> list[Window]:
    """Every opportunity whose optimal departure lies in [``start``, ``end``] (TDB s).

    Altitudes in m (see :func:`total_dv`). With ``with_catalog`` each window lists the
    catalog's launches near it (see the module docstring). ``progress`` follows the coarse
    grid, as in :func:`~marsprobe.analysis.porkchop.porkchop`.
    """
    if target not in TARGETS:
        raise InputError(f"unknown target {target!r}; accepted: {', '.join(TARGETS)}")
    _check_span(start, end)
    total_dv(1.0, 1.0, park_alt, capture_periapsis_alt, capture_apoapsis_alt)  # checks
    step = _COARSE_STEP_DAYS * DAY_S
    dep = np.arange(start - _EDGE_DAYS * DAY_S, end + _EDGE_DAYS * DAY_S + step, step)
    lo, hi = (d * DAY_S for d in TOF_RANGE_DAYS)
    tof = np.linspace(lo, hi, int(round((hi - lo) / step)) + 1)
    grid = porkchop(dep, tof, origin, target, 0, progress)
    c3 = np.where(np.isnan(grid.c3), np.inf, grid.c3)
    cost = c3.min(axis=1)
    # Minima of the same window: a rival within half a synodic period that is lower wins.
    half = 0.5 * SYNODIC_PERIOD_DAYS * DAY_S
    picked: list[int] = []
    for i in sorted(
        _local_minima(cost, radius=int(60.0 / _COARSE_STEP_DAYS)), key=lambda k: cost[k]
    ):
        if all(abs(dep[i] - dep[j]) >= half for j in picked):
            picked.append(i)
    windows = []
    bounds_tof = (lo, hi)
    for i in sorted(picked):
        rows = np.abs(dep - dep[i]) <= 60.0 * DAY_S
        per_type = []
        for long_way in (False, True):
            masked = np.where(rows[:, None] & (grid.long_way == long_way), c3, np.inf)
            k = int(np.argmin(masked))
            if not np.isfinite(masked.flat[k]):
                per_type.append(None)
                continue
            a, b = np.unravel_index(k, masked.shape)
            per_type.append(
                refine_minimum(
                    dep[a],
                    tof[b],
                    origin,
                    target,
                    long_way,
                    half_width=(2 * step, 2 * step),
                    bounds=((dep[i] - 70 * DAY_S, dep[i] + 70 * DAY_S), bounds_tof),
                )
            )
        found = [t for t in per_type if t is not None]
        best = min(found, key=lambda t: t.c3)
        if not start <= best.departure <= end:
            continue
        esc, cap = total_dv(
            best.c3, best.vinf_arrival, park_alt, capture_periapsis_alt, capture_apoapsis_alt
        )
        windows.append(Window(best, per_type[0], per_type[1], float(esc), float(cap)))
    if with_catalog and windows:
        flown = flown_transfers(
            start - LAUNCH_MARGIN_DAYS * DAY_S, end + LAUNCH_MARGIN_DAYS * DAY_S, origin, target
        )
        for w in windows:
            w.flown.extend(
                f
                for f in flown
                if abs(f.transfer.departure - w.best.departure) <= LAUNCH_MARGIN_DAYS * DAY_S
            )
    return windows


def _tdb_or_none(text: str | None) -> float | None:
    from marsprobe.time import tdb_from_utc

    if not text:
        return None
    try:
        return tdb_from_utc(text)
    except InputError:  # a month-only date ("1971-12") is too vague for a time of flight
        return None


def _arrival(mission) -> tuple[float, str] | None:
    """(TDB s, event name) of the earliest dated arrival event of a mission's record."""
    if mission.record is None:
        return None
    found = []
    for event in mission.record.events:
        if event.name in ARRIVAL_EVENTS and event.time_utc is not None:
            t = _tdb_or_none(event.time_utc.value)
            if t is not None:
                # Same instant (often a bare date): the order of ARRIVAL_EVENTS decides.
                found.append((t, ARRIVAL_EVENTS.index(event.name), event.name))
    if not found:
        return None
    t, _rank, name = min(found)
    return t, name


def flown_transfers(
    start: float, end: float, origin: str = "earth", target: str = "mars", missions=None
) -> list[Flown]:
    """The transfers of the catalog's launches between ``start`` and ``end`` (TDB s).

    ``missions`` defaults to :func:`marsprobe.catalog.all_missions`. Each launch gets the
    zero-revolution transfer from its launch epoch to its recorded arrival, or, with no
    dated arrival event, to the arrival that minimizes C3 (times of flight 100-450 d).
    """
    from marsprobe.analysis.porkchop import transfers

    if missions is None:
        from marsprobe.catalog import all_missions

        missions = all_missions()
    out = []
    for m in missions:
        launch = _tdb_or_none(m.launch_utc.value)
        if launch is None or not start <= launch <= end:
            continue
        arrival = _arrival(m)
        if arrival is not None and arrival[0] > launch:
            tr = transfers(launch, arrival[0] - launch, origin, target)
            source = f"record:{arrival[1]}"
        else:
            tr = best_tof(launch, tuple(d * DAY_S for d in TOF_RANGE_DAYS), origin, target)
            source = "min-C3 time of flight"
        out.append(Flown(m.slug, m.name.value, m.program, tr, source))
    return out
