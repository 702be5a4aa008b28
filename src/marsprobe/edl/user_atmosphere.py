"""A user's atmosphere table: read, checked and gridded for the EDL integrator.

The file is CSV: comment lines start with ``#``; ``# key = value`` comments set options; the
first other line is the header. Columns (any order)::

    altitude_km or altitude_m   height on the file's datum (required)
    density_kg_m3               (required, > 0)
    temperature_k               (required, > 0)
    pressure_pa                 (required, > 0)
    wind_east_m_s, wind_north_m_s   horizontal wind toward east / north (optional, 0)

Options: ``# datum = ellipsoid`` (default), ``areoid`` or ``radius`` (the altitude column is
then an areocentric radius), with ``# lat_deg = ...`` for the two latter (the latitude used to
convert them, :mod:`marsprobe.edl.datum`).

Checks, each reported as one line naming the file and row: the columns, numbers that are
finite, at least two rows, distinct heights, positive density, temperature and pressure,
winds under 300 m/s (chosen: above the speed of sound anywhere at Mars, so surely a unit
slip), and the ideal-gas law: p / (rho R T) must imply a mean molar mass of 30-60 g/mol (Mars
air is 43.3-43.5 g/mol; a density in g/m3 or a pressure in mbar falls far outside).
Outside its heights the table is continued hydrostatically (``atmosphere.gridded_profile``).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from marsprobe.edl.datum import DATUMS, height_above_ellipsoid
from marsprobe.errors import InputError

REQUIRED = ("density_kg_m3", "temperature_k", "pressure_pa")
OPTIONAL = ("wind_east_m_s", "wind_north_m_s")
ALTITUDE = {"altitude_km": 1e3, "altitude_m": 1.0}
# what each column holds, for the file-format reference (docs/_ext/marsprobe_formats.py)
COLUMN_MEANING = {
    "altitude_km": "Height of the row on the file's datum (or the areocentric radius), km.",
    "altitude_m": "The same in metres, m.",
    "density_kg_m3": "Air density, kg/m^3.",
    "temperature_k": "Air temperature, K.",
    "pressure_pa": "Air pressure, Pa.",
    "wind_east_m_s": "Wind blowing toward the east at that height, m/s.",
    "wind_north_m_s": "Wind blowing toward the north at that height, m/s.",
}
MAX_WIND_M_S = 300.0
MOLAR_MASS_RANGE_G = (30.0, 60.0)
_R_GAS = 8.314462618


def _options(lines: list[str], path: str) -> dict[str, str]:
    out = {}
    for line in lines:
        body = line.lstrip("#").strip()
        if "=" in body:
            key, _, value = body.partition("=")
            out[key.strip()] = value.strip()
    datum = out.get("datum", "ellipsoid")
    if datum not in DATUMS:
        raise InputError(f"{path}: datum {datum!r}: accepted are {', '.join(DATUMS)}")
    if datum != "ellipsoid" and "lat_deg" not in out:
        raise InputError(f"{path}: datum {datum!r} needs '# lat_deg = ...' to convert heights")
    if "lat_deg" in out:
        try:
            lat = float(out["lat_deg"])
        except ValueError:
            lat = math.nan
        if not -90.0 <= lat <= 90.0:  # also refuses nan
            raise InputError(
                f"{path}: lat_deg {out['lat_deg']!r}: give a latitude in degrees, -90 to 90"
            )
    return out


def _header(line: str, path: str, lineno: int) -> list[str]:
    cols = [c.strip() for c in line.split(",")]
    accepted = (*ALTITUDE, *REQUIRED, *OPTIONAL)
    unknown = [c for c in cols if c not in accepted]
    if unknown:
        raise InputError(
            f"{path}: line {lineno}: unknown column {unknown[0]!r}: accepted are "
            f"{', '.join(accepted)}"
        )
    alt = [c for c in cols if c in ALTITUDE]
    missing = [c for c in REQUIRED if c not in cols]
    if len(alt) != 1 or missing:
        need = "one of altitude_km, altitude_m" if len(alt) != 1 else missing[0]
        raise InputError(f"{path}: line {lineno}: the header needs {need}")
    if len(set(cols)) != len(cols):
        raise InputError(f"{path}: line {lineno}: a column is given twice")
    return cols


def _rows(body: list[tuple[int, str]], cols: list[str], path: str) -> np.ndarray:
    out = []
    for lineno, line in body:
        cells = [c.strip() for c in line.split(",")]
        if len(cells) != len(cols):
            raise InputError(f"{path}: line {lineno}: {len(cells)} values, expected {len(cols)}")
        try:
            values = [float(c) for c in cells]
        except ValueError:
            raise InputError(f"{path}: line {lineno}: not a number in {line.strip()!r}") from None
        if not all(math.isfinite(v) for v in values):
            raise InputError(f"{path}: line {lineno}: values must be finite")
        out.append(values)
    if len(out) < 2:
        raise InputError(f"{path}: the table needs at least two rows, it has {len(out)}")
    return np.array(out)


def _check(data: dict[str, np.ndarray], linenos: np.ndarray, path: str) -> None:
    for name in REQUIRED:
        bad = np.flatnonzero(data[name] <= 0)
        if bad.size:
            raise InputError(f"{path}: line {linenos[bad[0]]}: {name} must be > 0")
    for name in OPTIONAL:
        bad = np.flatnonzero(np.abs(data[name]) > MAX_WIND_M_S)
        if bad.size:
            raise InputError(
                f"{path}: line {linenos[bad[0]]}: {name} above {MAX_WIND_M_S:.0f} m/s "
                "(faster than sound at Mars: check the units)"
            )
    molar_g = 1e3 * data["density_kg_m3"] * _R_GAS * data["temperature_k"] / data["pressure_pa"]
    lo, hi = MOLAR_MASS_RANGE_G
    bad = np.flatnonzero((molar_g < lo) | (molar_g > hi))
    if bad.size:
        raise InputError(
            f"{path}: line {linenos[bad[0]]}: density, temperature and pressure imply a molar "
            f"mass of {molar_g[bad[0]]:.3g} g/mol; Mars air is about 43.4 (units: kg/m3, K, Pa)"
        )


def read_table(path) -> dict[str, np.ndarray]:
    """The checked rows of a user's file, sorted by height above the ellipsoid: arrays
    ``h_m`` (m), ``density_kg_m3``, ``pressure_pa``, ``temperature_k``, ``wind_east_m_s``,
    ``wind_north_m_s`` (m/s). :func:`marsprobe.edl.atmosphere.table` grids them."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise InputError(f"{name}: cannot read the atmosphere table ({reason})") from None
    lines = list(enumerate(text.splitlines(), start=1))
    comments = [s for _, s in lines if s.lstrip().startswith("#")]
    content = [(n, s) for n, s in lines if s.strip() and not s.lstrip().startswith("#")]
    if not content:
        raise InputError(f"{name}: the atmosphere table is empty")
    options = _options(comments, name)
    cols = _header(content[0][1], name, content[0][0])
    rows = _rows(content[1:], cols, name)
    linenos = np.array([n for n, _ in content[1:]])
    data = {c: rows[:, i] for i, c in enumerate(cols)}
    for c in OPTIONAL:
        data.setdefault(c, np.zeros(len(rows)))
    _check(data, linenos, name)
    alt_col = next(c for c in cols if c in ALTITUDE)
    lat = float(options.get("lat_deg", 0.0))
    h = height_above_ellipsoid(
        data[alt_col] * ALTITUDE[alt_col], options.get("datum", "ellipsoid"), lat
    )
    h = np.atleast_1d(h)
    order = np.argsort(h)
    if np.any(np.diff(h[order]) <= 0):
        raise InputError(f"{name}: two rows have the same altitude")
    pick = {k: v[order] for k, v in data.items()}
    return {"h_m": h[order], **pick}
