"""Earth's atmosphere for the ascent: density, pressure and speed of sound by altitude.

Below 81 km the values are those of the U.S. Standard Atmosphere 1976 (NOAA/NASA/USAF,
NOAA-S/T 76-1562, 1976) as computed by the ``ambiance`` package (A. Dettmann, PyPI
``ambiance`` 1.3), tabulated on a 50 m grid and interpolated (the table is exact at its
nodes; linear interpolation of log density on a 50 m grid is good to 1e-5). The table ships
as ``ascent/data/us1976_50m.npz``, written by :func:`build_table` (``python -m
marsprobe.ascent.atmosphere`` rewrites it; tests/test_ascent.py checks it still equals
ambiance's numbers): importing ``ambiance`` loads scipy.optimize, about a third of a second
that every replay paid for 1,700 numbers. Above 81 km,
where ``ambiance`` stops, the density follows the 1976 standard's Table 1 values at 86, 100,
120, 150, 200, 300, 500 and 1000 km, interpolated in log; pressure there is below 1 Pa and
is taken as zero for thrust (it changes a stage's thrust by less than 1e-5).

A launch vehicle crosses these heights in seconds, so the standard (a mean, mid-latitude
profile) is all the ascent needs. Orbital lifetimes use the thermosphere model of
:mod:`marsprobe.orbits.decay`, which follows the Sun's activity.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

_TOP_AMBIANCE_M = 81_000.0

# U.S. Standard Atmosphere 1976, Table 1 (geometric altitude, kg/m^3).
_HIGH_ALT_M = np.array([86e3, 100e3, 120e3, 150e3, 200e3, 300e3, 500e3, 1000e3])
_HIGH_RHO = np.array(
    [6.958e-6, 5.604e-7, 2.222e-8, 2.076e-9, 2.541e-10, 1.916e-11, 5.215e-13, 3.561e-15]
)


_TABLE_FILE = "us1976_50m.npz"


def build_table() -> dict[str, np.ndarray]:
    """The 50 m table from ``ambiance``: altitude (m), density (kg/m^3), pressure (Pa) and
    speed of sound (m/s) from -5 km to 81 km."""
    from ambiance import Atmosphere

    h = np.arange(-5_000.0, _TOP_AMBIANCE_M + 1.0, 50.0)
    atm = Atmosphere(h)
    return {
        "altitude_m": h,
        "density": np.asarray(atm.density, dtype=np.float64),
        "pressure": np.asarray(atm.pressure, dtype=np.float64),
        "speed_of_sound": np.asarray(atm.speed_of_sound, dtype=np.float64),
    }


def write_table(path: Path) -> None:
    """Write :func:`build_table` to ``path`` (.npz), with where it came from."""
    from importlib.metadata import version

    source = (
        "U.S. Standard Atmosphere 1976 below 81 km on a 50 m grid, computed by ambiance "
        f"{version('ambiance')} (marsprobe.ascent.atmosphere.build_table)"
    )
    np.savez(path, source=np.array(source), **build_table())


@cache
def _table() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    with (resources.files("marsprobe.ascent") / "data" / _TABLE_FILE).open("rb") as f:
        data = np.load(f, allow_pickle=False)
        h, rho = data["altitude_m"], data["density"]
        p, a = data["pressure"], data["speed_of_sound"]
    h_all = np.concatenate([h, _HIGH_ALT_M])
    log_rho = np.log(np.concatenate([rho, _HIGH_RHO]))
    return h_all, log_rho, p, a


def interp(x: float, xs: list[float], ys: list[float]) -> float:
    """``np.interp(x, xs, ys)`` for one float, to the last bit (the same bracket, the same
    slope formula and end values), without numpy's per-call overhead: the ascent asks for four
    such values at each of its several thousand right-hand side evaluations."""
    if not x >= xs[0]:
        return x if x != x else ys[0]
    if x >= xs[-1]:
        return ys[-1]
    j = bisect_right(xs, x) - 1
    slope = (ys[j + 1] - ys[j]) / (xs[j + 1] - xs[j])
    return slope * (x - xs[j]) + ys[j]


@cache
def _lists() -> tuple[list[float], list[float], list[float], list[float], list[float]]:
    """The table as lists: all altitudes, log density, the altitudes below 81 km, pressure and
    speed of sound there."""
    h_all, log_rho, p, a = _table()
    return h_all.tolist(), log_rho.tolist(), h_all[: p.size].tolist(), p.tolist(), a.tolist()


def density(h):
    """Air density (kg/m^3) at geometric altitude ``h`` (m); 0 beyond 1000 km."""
    if isinstance(h, float):
        h_all, log_rho, _h, _p, _a = _lists()
        return 0.0 if h > h_all[-1] else float(np.exp(interp(h, h_all, log_rho)))
    h_all, log_rho, _p, _a = _table()
    h = np.asarray(h, dtype=np.float64)
    rho = np.exp(np.interp(h, h_all, log_rho))
    return np.where(h > h_all[-1], 0.0, rho)[()]


def pressure(h):
    """Static pressure (Pa) at geometric altitude ``h`` (m); 0 above 81 km."""
    if isinstance(h, float):
        _h, _r, h_low, p, _a = _lists()
        return 0.0 if h > _TOP_AMBIANCE_M else interp(h, h_low, p)
    h_all, _r, p, _a = _table()
    h = np.asarray(h, dtype=np.float64)
    n = p.size
    return np.where(h > _TOP_AMBIANCE_M, 0.0, np.interp(h, h_all[:n], p))[()]


def speed_of_sound(h):
    """Speed of sound (m/s) at geometric altitude ``h`` (m); held at its 81 km value above."""
    if isinstance(h, float):
        _h, _r, h_low, _p, a = _lists()
        return interp(h, h_low, a)
    h_all, _r, _p, a = _table()
    h = np.asarray(h, dtype=np.float64)
    return np.interp(h, h_all[: a.size], a)[()]


if __name__ == "__main__":
    write_table(Path(__file__).resolve().parent / "data" / _TABLE_FILE)
