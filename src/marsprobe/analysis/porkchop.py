"""Porkchop grids: launch energy and arrival speed of ballistic transfers over a grid of dates.

A cell of the grid is one departure epoch and one time of flight. The origin's and the
target's heliocentric states come from DE421 (:func:`marsprobe.ephemeris.state`, centre
"sun"; the origin "earth" is the Earth's centre, not the Earth-Moon barycentre), the
heliocentric arc between the two positions from Lambert's problem
(:func:`marsprobe.orbits.lambert.lambert`, Izzo 2015), and the patched-conic quantities
from :mod:`marsprobe.orbits.conics`: departure C3 = ``|v1 - v_origin|^2`` and the arrival
excess speed ``|v2 - v_target|``.

Conventions:

* Positions are rotated into the J2000 ecliptic before Lambert is solved, so that
  "prograde" means the sense of the planets' motion round the Sun (the equatorial z axis
  would misjudge transfer planes that are steep to the equator, near 180 degrees).
* Type I is a transfer through less than 180 degrees of heliocentric longitude, type II
  more; the C3 surface has a ridge between the two near 180 degrees, where the transfer
  plane turns steep.
* ``revs = 0`` is the direct transfer (one solution per cell). ``revs = M >= 1`` asks for
  exactly M whole revolutions round the Sun; each cell keeps the better (lower C3) of the
  two branches of Lambert's problem and records which one it took (``low_path``); cells
  whose time of flight is too short for M revolutions are NaN.

Everything is SI: epochs in TDB seconds past J2000, times of flight in s, C3 in m^2/s^2,
speeds in m/s. Nothing here prints or draws.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from marsprobe.constants import DAY_S, GM_SUN
from marsprobe.errors import InputError

__all__ = [
    "Porkchop",
    "Transfer",
    "best_tof",
    "grid_cell",
    "grid_minimum",
    "porkchop",
    "refine_minimum",
    "transfer_geometry",
    "transfers",
]

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` with counts of grid cells."""


@dataclass(frozen=True)
class Transfer:
    """One ballistic transfer (fields scalar for one point, or arrays of one shape)."""

    departure: float  # TDB s past J2000
    tof: float  # s
    c3: float  # m^2/s^2, departure C3
    vinf_arrival: float  # m/s, excess speed at the target
    long_way: bool  # True: type II (transfer angle above 180 degrees)

    @property
    def arrival(self) -> float:
        """Arrival epoch, TDB s past J2000."""
        return self.departure + self.tof

    @property
    def kind(self) -> str:
        """The transfer type, "I" (short way) or "II" (long way)."""
        return "II" if self.long_way else "I"

    def to_json(self) -> dict:
        """The transfer in edge units (UTC to the second, days, km^2/s^2, km/s)."""
        from marsprobe.time import utc_from_tdb

        return {
            "departure_utc": utc_from_tdb(self.departure, digits=0),
            "arrival_utc": utc_from_tdb(self.arrival, digits=0),
            "tof_days": round(self.tof / DAY_S, 4),
            "c3_km2_s2": round(self.c3 / 1e6, 4),
            "vinf_arrival_km_s": round(self.vinf_arrival / 1e3, 4),
            "type": self.kind,
        }


@dataclass(frozen=True)
class Porkchop:
    """A porkchop grid: rows are departure epochs, columns times of flight."""

    departure: np.ndarray  # (N,) TDB s past J2000
    tof: np.ndarray  # (M,) s
    c3: np.ndarray  # (N, M) m^2/s^2, NaN where Lambert has no solution
    vinf_arrival: np.ndarray  # (N, M) m/s
    long_way: np.ndarray  # (N, M) bool, type II
    low_path: np.ndarray  # (N, M) bool, branch kept for revs >= 1 (True for revs = 0)
    revs: int
    origin: str
    target: str

    @property
    def shape(self) -> tuple[int, int]:
        return self.c3.shape


def _ecliptic(x):
    from marsprobe.frames import ecliptic_from_icrf

    return ecliptic_from_icrf(x)


def transfer_geometry(departure, tof, origin: str = "earth", target: str = "mars"):
    """Heliocentric states at both ends, J2000 ecliptic axes, for 1-D arrays of one length.

    Returns ``(r1, v_origin, r2, v_target)`` of shape (N, 3) in m and m/s: the origin at
    ``departure`` and the target at ``departure + tof`` (TDB s past J2000, s).
    Raises :class:`~marsprobe.errors.EphemerisRangeError` outside DE421.
    """
    from marsprobe.ephemeris import state

    departure = np.asarray(departure, dtype=np.float64)
    tof = np.asarray(tof, dtype=np.float64)
    r1, vo = state(origin, departure, center="sun")
    r2, vt = state(target, departure + tof, center="sun")
    return _ecliptic(r1), _ecliptic(vo), _ecliptic(r2), _ecliptic(vt)


def _solve(r1, vo, r2, vt, tof, revs: int):
    """(c3, vinf_arrival, long_way, low_path) of one flat batch of problems."""
    from marsprobe.orbits.lambert import lambert

    long_way = (r1[:, 0] * r2[:, 1] - r1[:, 1] * r2[:, 0]) < 0.0
    if revs == 0:
        v1, v2, _ok = lambert(GM_SUN, r1, r2, tof, 0, True, True)
        c3 = np.sum((v1 - vo) ** 2, axis=1)
        vinf = np.linalg.norm(v2 - vt, axis=1)
        return c3, vinf, long_way, np.ones_like(long_way)
    out = []
    for low in (True, False):
        v1, v2, _ok = lambert(GM_SUN, r1, r2, tof, revs, True, low)
        out.append((np.sum((v1 - vo) ** 2, axis=1), np.linalg.norm(v2 - vt, axis=1)))
    (c3_lo, vi_lo), (c3_hi, vi_hi) = out
    # NaN (no solution) must lose against a number: compare with NaN replaced by +inf.
    pick_low = np.nan_to_num(c3_lo, nan=np.inf) <= np.nan_to_num(c3_hi, nan=np.inf)
    c3 = np.where(pick_low, c3_lo, c3_hi)
    vinf = np.where(pick_low, vi_lo, vi_hi)
    return c3, vinf, long_way, pick_low


def _check_revs(revs) -> int:
    try:
        whole = not isinstance(revs, bool) and float(revs).is_integer() and int(revs) >= 0
    except (TypeError, ValueError, OverflowError):
        whole = False
    if not whole:
        raise InputError(f"revs must be a whole number of revolutions >= 0; got {revs!r}")
    return int(revs)


def transfers(departure, tof, origin: str = "earth", target: str = "mars", revs: int = 0):
    """Ballistic transfers at broadcast pairs of ``departure`` (TDB s) and ``tof`` (s).

    Returns a :class:`Transfer` whose fields are arrays of the broadcast shape (scalars for
    scalar inputs); C3 and v_inf are NaN where Lambert has no solution.
    """
    revs = _check_revs(revs)
    dep, tof_b = np.broadcast_arrays(
        np.asarray(departure, dtype=np.float64), np.asarray(tof, dtype=np.float64)
    )
    shape = dep.shape
    if np.any(~(tof_b > 0.0)):
        raise InputError("time of flight must be positive (s)")
    dep, tof_b = dep.ravel(), tof_b.ravel()
    r1, vo, r2, vt = transfer_geometry(dep, tof_b, origin, target)
    c3, vinf, long_way, _low = _solve(r1, vo, r2, vt, tof_b, revs)
    if shape == ():
        return Transfer(
            float(dep[0]), float(tof_b[0]), float(c3[0]), float(vinf[0]), bool(long_way[0])
        )
    return Transfer(
        dep.reshape(shape),
        tof_b.reshape(shape),
        c3.reshape(shape),
        vinf.reshape(shape),
        long_way.reshape(shape),
    )


def porkchop(
    departure,
    tof,
    origin: str = "earth",
    target: str = "mars",
    revs: int = 0,
    progress: Progress | None = None,
    chunk_cells: int = 20_000,
) -> Porkchop:
    """The porkchop grid of every ``departure`` (N,) x ``tof`` (M,) pair.

    ``departure`` in TDB s past J2000, ``tof`` in s (both 1-D, tof > 0). The grid is
    solved in blocks of whole departure rows of about ``chunk_cells`` cells; after each,
    ``progress(done_cells, total_cells)`` is called if given.
    """
    revs = _check_revs(revs)
    dep = np.atleast_1d(np.asarray(departure, dtype=np.float64))
    tof = np.atleast_1d(np.asarray(tof, dtype=np.float64))
    if dep.ndim != 1 or tof.ndim != 1 or dep.size == 0 or tof.size == 0:
        raise InputError("departure and tof must be non-empty 1-D arrays")
    if np.any(~(tof > 0.0)):
        raise InputError("times of flight must be positive (s)")
    n, m = dep.size, tof.size
    c3 = np.empty((n, m))
    vinf = np.empty((n, m))
    long_way = np.empty((n, m), dtype=bool)
    low = np.empty((n, m), dtype=bool)
    rows = max(1, chunk_cells // m)
    # The origin is needed once per row; the target once per cell.
    from marsprobe.ephemeris import state

    r_o, v_o = state(origin, dep, center="sun")
    r_o, v_o = _ecliptic(r_o), _ecliptic(v_o)
    for i0 in range(0, n, rows):
        i1 = min(n, i0 + rows)
        d = np.repeat(dep[i0:i1], m)
        t = np.tile(tof, i1 - i0)
        r2, vt = state(target, d + t, center="sun")
        out = _solve(
            np.repeat(r_o[i0:i1], m, axis=0),
            np.repeat(v_o[i0:i1], m, axis=0),
            _ecliptic(r2),
            _ecliptic(vt),
            t,
            revs,
        )
        for full, part in zip((c3, vinf, long_way, low), out, strict=True):
            full[i0:i1] = part.reshape(i1 - i0, m)
        if progress is not None:
            progress(i1 * m, n * m)
    return Porkchop(dep, tof, c3, vinf, long_way, low, revs, origin, target)


def grid_cell(grid: Porkchop, i: int, j: int) -> Transfer:
    """The transfer of one cell (row ``i``, column ``j``) of a grid."""
    return Transfer(
        float(grid.departure[i]),
        float(grid.tof[j]),
        float(grid.c3[i, j]),
        float(grid.vinf_arrival[i, j]),
        bool(grid.long_way[i, j]),
    )


def grid_minimum(grid: Porkchop, long_way: bool | None = None) -> tuple[int, int] | None:
    """(row, column) of the lowest C3 of the grid, of one type if ``long_way`` is given.

    None when no cell (of that type) has a solution.
    """
    c3 = np.where(np.isnan(grid.c3), np.inf, grid.c3)
    if long_way is not None:
        c3 = np.where(grid.long_way == long_way, c3, np.inf)
    k = int(np.argmin(c3))
    if not np.isfinite(c3.flat[k]):
        return None
    return np.unravel_index(k, c3.shape)


def refine_minimum(
    departure: float,
    tof: float,
    origin: str = "earth",
    target: str = "mars",
    long_way: bool | None = None,
    half_width: tuple[float, float] = (4.0 * DAY_S, 8.0 * DAY_S),
    bounds: tuple[tuple[float, float], tuple[float, float]] | None = None,
    tol: float = 1e-4 * DAY_S,
) -> Transfer:
    """The zero-revolution C3 minimum near a starting point (``departure`` TDB s, ``tof`` s).

    Zooming grids: a 41 x 41 grid of transfers over the box ``departure +- half_width[0]``,
    ``tof +- half_width[1]`` (s) is solved in one batch, the box is re-centred on its best
    cell and shrunk tenfold, until the spacing is below ``tol`` (s). When the best cell is
    on the box's edge the box moves without shrinking, so a starting point a few boxes
    away from the minimum still gets there. With ``long_way`` given, cells of the other
    type are ignored, so the search stays on its side of the 180-degree ridge; ``bounds``
    ((dep_lo, dep_hi), (tof_lo, tof_hi)), in s, keep it inside a box. A half-width of 0
    holds that coordinate fixed. Each step is one vectorized batch, which is why this beats
    a scalar simplex search here.
    """
    n = 41
    centre = np.array([departure, tof], dtype=np.float64)
    hw = np.array(half_width, dtype=np.float64)
    lo = np.array([-np.inf, 0.0])
    hi = np.array([np.inf, np.inf])
    if bounds is not None:
        lo, hi = np.array(bounds, dtype=np.float64).T
    best = None
    for _ in range(200):
        axes = [
            np.clip(np.linspace(c - h, c + h, n if h > 0 else 1), a, b)
            for c, h, a, b in zip(centre, hw, lo, hi, strict=True)
        ]
        d, t = np.meshgrid(*axes, indexing="ij")
        tr = transfers(d.ravel(), np.maximum(t.ravel(), 1.0), origin, target)
        c3 = np.where(np.isnan(tr.c3), np.inf, tr.c3)
        if long_way is not None:
            c3 = np.where(tr.long_way == long_way, c3, np.inf)
        k = int(np.argmin(c3))
        if not np.isfinite(c3[k]):
            break
        best = k, tr
        idx = np.unravel_index(k, d.shape)
        new = np.array([d[idx], t[idx]])
        inside = [
            h == 0 or (0 < i < ax.size - 1) or ax[i] in (a, b)
            for i, ax, h, a, b in zip(idx, axes, hw, lo, hi, strict=True)
        ]
        centre = new
        if all(inside):
            if np.all(hw / (n - 1) * 2.0 <= tol):
                break
            hw = hw / 10.0
    if best is None:
        return transfers(departure, tof, origin, target)
    k, tr = best
    return Transfer(
        float(tr.departure[k]),
        float(tr.tof[k]),
        float(tr.c3[k]),
        float(tr.vinf_arrival[k]),
        bool(tr.long_way[k]),
    )


def best_tof(
    departure: float,
    tof_range: tuple[float, float],
    origin: str = "earth",
    target: str = "mars",
    long_way: bool | None = None,
) -> Transfer:
    """The zero-revolution transfer of least C3 for a fixed ``departure`` (TDB s).

    Scans ``tof_range`` (s) at one-day steps, then zooms on the best sample
    (:func:`refine_minimum` with the departure held fixed).
    """
    lo, hi = float(tof_range[0]), float(tof_range[1])
    if not 0.0 < lo < hi:
        raise InputError(f"tof_range must satisfy 0 < lo < hi (s); got {tof_range}")
    scan = np.linspace(lo, hi, int(np.ceil((hi - lo) / DAY_S)) + 1)
    tr = transfers(departure, scan, origin, target)
    c3 = np.where(np.isnan(tr.c3), np.inf, tr.c3)
    if long_way is not None:
        c3 = np.where(tr.long_way == long_way, c3, np.inf)
    k = int(np.argmin(c3))
    return refine_minimum(
        departure,
        float(scan[k]),
        origin,
        target,
        long_way,
        half_width=(0.0, 2.0 * DAY_S),
        bounds=((departure, departure), (lo, hi)),
    )
