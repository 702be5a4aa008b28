"""Density of the Earth's thermosphere for orbital decay: NRLMSIS 2.1 with the Sun of the month,
evaluated directly or through a table that an orbit fills as it decays.

NRLMSIS 2.1 (Emmert et al. 2021, Earth and Space Science 8, e2020EA001321) through the
``pymsis`` package, at the geodetic position, date and local time of each point, with the solar
and geomagnetic activity of the month (monthly means of the observed F10.7 and of Ap from
``orbits/data/f107_monthly.csv``, CelesTrak SW-All; see its header). The 81-day F10.7 is the
mean of the month and its two neighbours.

Why a table (:class:`DensityTable`): an orbit-averaged decay samples the orbit at fixed points
(24 eccentric anomalies) at every evaluation of its rates, six evaluations per half-day step,
so a 140-day lifetime asked NRLMSIS for about 50,000 densities (0.5 s, the bulk of the Sputnik
22 replay). Along the decay a sample's latitude and local time drift slowly (the node turns
a few degrees a day under J2, the Sun one degree) and only its altitude changes much. The table
keeps, for each sample, log density on a grid of altitudes (every ``DH_M``) at node epochs
(every ``NODE_S``), each entry computed the first time it is needed; a density is the cubic
Lagrange interpolant in altitude, linear in time between the two nodes around it. What this
leaves out: the drift of a sample's latitude and local time between nodes beyond its linear
part, and NRLMSIS's dependence on universal time and longitude at fixed local time (about 1 %
rms at a point), sampled at the nodes instead of at each evaluation. tests/test_decay.py
measures the resulting error in the orbit-averaged decay rate along real decays (0.5-0.7 % on
average, under 3 % at worst) and holds the lifetimes to the directly evaluated ones within it;
the catalog's lifetimes moved by 0.04 % (Sputnik 22, 141 days) to 0.6 % (Mars 96, 1.5 days).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache
from importlib import resources

import numpy as np

from marsprobe.constants import DAY_S
from marsprobe.errors import InputError
from marsprobe.frames import earth_fixed_matrix, geodetic_from_fixed
from marsprobe.time import utc_from_tdb

NODE_S = 0.5 * (1.0 + math.sqrt(5.0)) * DAY_S
"""Spacing (s) of the table's node epochs, 1.618 days (chosen). Not a whole number of days or
half-days: NRLMSIS depends on universal time and longitude at fixed local time, and nodes a
whole number of days apart sample that at one universal time, which biased the orbit-averaged
density by 0.5 %; at an irrational fraction of a day the nodes' universal times spread round
the clock and the bias averages away (tests/test_decay.py bounds what is left)."""
DH_M = 10e3
"""Altitude step (m) of the table (chosen: the cubic interpolant is then within 0.3 % of NRLMSIS
at 150 km and 1e-4 above 200 km)."""
TOP_M = 1000e3
"""Top of the table (m): NRLMSIS's range as ``density`` clips it."""

Activity = tuple[float, float, float]


@cache
def _f107_table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    path = resources.files("marsprobe.orbits") / "data" / "f107_monthly.csv"
    rows = [
        line.split(",")
        for line in path.read_text().splitlines()
        if line and not line.startswith("#") and not line.startswith("year")
    ]
    months = np.array([int(r[0]) * 12 + int(r[1]) - 1 for r in rows])
    f107 = np.array([float(r[2]) for r in rows])
    ap = np.array([float(r[4]) for r in rows])
    return months, f107, ap


def solar_activity(t_tdb: float) -> Activity:
    """Monthly F10.7 (sfu), its three-month mean (sfu) and monthly Ap at ``t_tdb``.

    Raises :class:`InputError` outside 1957-10..2000-12, the span of the shipped table.
    """
    months, f107, ap = _f107_table()
    utc = utc_from_tdb(t_tdb)
    month = int(utc[0:4]) * 12 + int(utc[5:7]) - 1
    k = int(np.searchsorted(months, month))
    if k >= months.size or months[k] != month:
        raise InputError(
            f"no solar activity on record for {utc[:7]}: the table covers 1957-10 to 2000-12"
        )
    lo, hi = max(k - 1, 0), min(k + 1, months.size - 1)
    return float(f107[k]), float(f107[lo : hi + 1].mean()), float(ap[k])


def _msis(t, lat, lon, alt_m, activity: Activity) -> np.ndarray:
    """NRLMSIS mass density (kg/m^3) at epochs ``t`` (TDB s), geodetic ``lat``, ``lon`` (rad)
    and altitude ``alt_m`` (m, clipped to 0-1000 km), all (N,)."""
    import pymsis

    f107, f107a, ap = activity
    # pymsis wants calendar dates; TDB-UTC (about a minute) does not matter for density
    dates = np.datetime64("2000-01-01T12:00:00") + (t * 1e6).astype("timedelta64[us]")
    n = t.size
    out = pymsis.calculate(
        dates,
        np.degrees(lon),
        np.degrees(lat),
        np.clip(alt_m / 1e3, 0.0, TOP_M / 1e3),
        np.full(n, f107),
        np.full(n, f107a),
        np.full((n, 7), ap),
    )
    return np.asarray(out)[..., 0].reshape(n)


def _geodetic(t, r_icrf) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    fixed = np.einsum("nij,nj->ni", np.asarray(earth_fixed_matrix(t)).reshape(-1, 3, 3), r_icrf)
    return geodetic_from_fixed(fixed, "earth")


def density(t_tdb, r_icrf, activity: Activity | None = None) -> np.ndarray:
    """Mass density (kg/m^3) from NRLMSIS 2.1 at ICRF positions ``r_icrf`` (N, 3) in m and
    epochs ``t_tdb`` (N,), TDB s past J2000; ``activity`` is (F10.7, F10.7a, Ap), by default
    the month's."""
    t = np.atleast_1d(np.asarray(t_tdb, dtype=np.float64))
    r = np.atleast_2d(np.asarray(r_icrf, dtype=np.float64))
    activity = activity if activity is not None else solar_activity(float(t[0]))
    lat, lon, alt = _geodetic(t, r)
    return _msis(t, lat, lon, alt, activity)


Where = Callable[[float], tuple[np.ndarray, np.ndarray]]
"""``where(T) -> (t (S,), r (S, 3))``: the epochs (TDB s) and ICRF positions (m) of an orbit's
samples when its sampling starts at node epoch ``T``."""


class DensityTable:
    """Log density at an orbit's samples on node epochs x altitudes, filled on demand.

    ``t0`` (TDB s) is the first node; ``activity`` as for :func:`density`. See the module
    docstring for the model and what it leaves out.
    """

    def __init__(self, t0: float, activity: Activity, node_s: float = NODE_S, dh_m: float = DH_M):
        self.t0, self.activity, self.node_s, self.dh = t0, activity, node_s, dh_m
        self.levels = int(round(TOP_M / dh_m)) + 1
        self._nodes: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
        self.evaluations = 0  # NRLMSIS calls made (for tests and benchmarks)

    def _node(self, k: int, where: Where):
        node = self._nodes.get(k)
        if node is None:
            t, r = where(self.t0 + k * self.node_s)
            lat, lon, alt = _geodetic(t, r)
            node = (t, lat, lon, np.full((t.size, self.levels), np.nan))
            self._nodes[k] = node
            self._fill(node, np.arange(t.size), self._level(alt))
        return node

    def _level(self, alt_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The level below each altitude and the fraction of a step above it. Altitudes are
        held within the grid's interior: a sample above 980 km reads the 980 km density, where
        drag is a millionth of a low perigee's."""
        u = np.clip(alt_m, self.dh, TOP_M - 2.0 * self.dh) / self.dh
        m = np.floor(u).astype(np.int64)
        return m, u - m

    def _fill(self, node, rows: np.ndarray, level: tuple[np.ndarray, np.ndarray]) -> None:
        """Compute the missing entries of ``rows`` from two levels below to three above their
        ``level`` (one call to NRLMSIS; the band is wider than the interpolant needs so that
        the samples' drift in altitude, a kilometre or two a day with latitude over the
        ellipsoid, does not call it again at once)."""
        ts, lat, lon, table = node
        cols = np.clip(level[0][rows, None] + np.arange(-2, 4), 0, self.levels - 1)
        j = np.broadcast_to(rows[:, None], cols.shape)
        gap = np.isnan(table[j, cols])
        if gap.any():
            j, c = j[gap], cols[gap]
            self.evaluations += j.size
            table[j, c] = np.log(_msis(ts[j], lat[j], lon[j], c * self.dh, self.activity))

    def log_density(self, t: float, alt_m: np.ndarray, where: Where) -> np.ndarray:
        """ln(kg/m^3) at the samples of altitudes ``alt_m`` (S,), m, at epoch ``t`` (TDB s).

        ``where`` places the samples at a node epoch the first time that node is needed."""
        x = (t - self.t0) / self.node_s
        k = math.floor(x)
        frac = x - k
        m, u = level = self._level(alt_m)
        # cubic Lagrange weights on the levels m-1, m, m+1, m+2
        up, um, um2 = u + 1.0, u - 1.0, u - 2.0
        w = np.empty((u.size, 4))
        w[:, 0] = -u * um * um2 / 6.0
        w[:, 1] = up * um * um2 / 2.0
        w[:, 2] = -up * u * um2 / 2.0
        w[:, 3] = up * u * um / 6.0
        cols = m[:, None] + np.arange(-1, 3)
        rows = np.arange(alt_m.size)
        out = []
        for kk in (k, k + 1):
            node = self._node(kk, where)
            vals = node[3][rows[:, None], cols]
            gap = np.isnan(vals).any(axis=1)
            if gap.any():
                self._fill(node, rows[gap], level)
                vals = node[3][rows[:, None], cols]
            out.append(np.sum(vals * w, axis=1))
        return (1.0 - frac) * out[0] + frac * out[1]
