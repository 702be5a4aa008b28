"""Summary of a Monte Carlo campaign, computed from its chunk files alone.

- Probabilities of the true/false outputs with the Wilson score interval (Wilson 1927,
  "Probable inference, the law of succession, and statistical inference", JASA 22:209-212;
  recommended by Newcombe 1998, Statistics in Medicine 17:857-872, his method 3).
- Mean, standard deviation and percentiles of the numeric outputs (finite values only;
  ``numpy.percentile`` with linear interpolation).
- For each pair of outputs ``<prefix>lat_deg`` / ``<prefix>lon_deg`` (for instance
  ``landing_lat_deg``, ``landing_lon_deg``): the dispersion ellipse of the points in the local
  tangent plane at their mean direction, on a sphere of the model's radius. The ellipse is
  ``sigma`` times the 1-sigma ellipse of the sample covariance (3 by default: for a bivariate
  normal it holds 1 - exp(-9/2) = 98.9 % of the points, not 99.7 %); ``inside_fraction`` says
  how many points actually lie inside. Samples with NaN coordinates (no landing) are left out.

Everything is computed on the columns concatenated in sample order, so the numbers do not
depend on how many workers ran or in which order chunks finished.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from marsprobe.analysis import chunks as _chunks
from marsprobe.errors import InputError

Z95 = 1.959963984540054  # standard normal quantile at 0.975
DEFAULT_PERCENTILES = (1.0, 5.0, 50.0, 95.0, 99.0)


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion k/n (two-sided, z = 1.96 for 95 %)."""
    if n <= 0 or not 0 <= k <= n:
        raise InputError(f"wilson_interval needs 0 <= k <= n and n > 0; got k={k}, n={n}")
    p = k / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    # at k = 0 or k = n the bound is 0 or 1 exactly; rounding would leave 1e-17
    lo = 0.0 if k == 0 else max(0.0, centre - half)
    hi = 1.0 if k == n else min(1.0, centre + half)
    return lo, hi


def _east_north(lat_rad: np.ndarray, lon_rad: np.ndarray):
    east = np.stack([-np.sin(lon_rad), np.cos(lon_rad), np.zeros_like(lon_rad)], axis=-1)
    north = np.stack(
        [-np.sin(lat_rad) * np.cos(lon_rad), -np.sin(lat_rad) * np.sin(lon_rad), np.cos(lat_rad)],
        axis=-1,
    )
    return east, north


def landing_ellipse(
    lat_deg: np.ndarray, lon_deg: np.ndarray, radius_m: float, sigma: float = 3.0
) -> dict[str, Any]:
    """Dispersion ellipse of surface points (planetocentric lat/lon in degrees).

    Returns the centre (lat/lon of the mean direction, deg), semi-axes (km, ``sigma`` times
    the square roots of the eigenvalues of the sample covariance of the east/north tangent-plane
    coordinates), the azimuth of the major axis (deg from north towards east, in [0, 180)),
    the 1-sigma covariance terms (km^2) and the fraction of points inside the ellipse.
    """
    lat = np.radians(np.asarray(lat_deg, dtype=float))
    lon = np.radians(np.asarray(lon_deg, dtype=float))
    ok = np.isfinite(lat) & np.isfinite(lon)
    lat, lon = lat[ok], lon[ok]
    n = int(lat.size)
    if n < 3:
        return {"n": n}
    u = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)
    c = u.mean(axis=0)
    c /= np.linalg.norm(c)
    clat, clon = math.asin(max(-1.0, min(1.0, c[2]))), math.atan2(c[1], c[0])
    east, north = _east_north(np.array(clat), np.array(clon))
    r_km = radius_m / 1000.0
    x = r_km * (u @ east)  # orthographic projection on the tangent plane at the centre
    y = r_km * (u @ north)
    dx, dy = x - x.mean(), y - y.mean()
    see = float(dx @ dx) / (n - 1)
    snn = float(dy @ dy) / (n - 1)
    sen = float(dx @ dy) / (n - 1)
    mid, rad = 0.5 * (see + snn), math.hypot(0.5 * (see - snn), sen)
    lam1, lam2 = mid + rad, max(mid - rad, 0.0)
    theta = 0.5 * math.atan2(2 * sen, see - snn)  # major axis, from east towards north
    azimuth = (90.0 - math.degrees(theta)) % 180.0
    det = see * snn - sen * sen
    if det > 0:
        d2 = (snn * dx * dx - 2 * sen * dx * dy + see * dy * dy) / det
        inside = float(np.mean(d2 <= sigma * sigma))
    else:
        inside = None
    return {
        "n": n,
        "sigma": sigma,
        "centre_lat_deg": math.degrees(clat),
        "centre_lon_deg": math.degrees(clon),
        "semi_major_km": sigma * math.sqrt(lam1),
        "semi_minor_km": sigma * math.sqrt(lam2),
        "azimuth_deg": azimuth,
        "cov_east_north_km2": [[see, sen], [sen, snn]],
        "inside_fraction": inside,
        "radius_km": r_km,
    }


def _finite_or_none(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def _stats(values: np.ndarray, percentiles: Sequence[float]) -> dict[str, Any]:
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    out: dict[str, Any] = {"n": int(v.size)}
    if v.size == 0:
        return out
    out["mean"] = float(v.mean())
    out["sd"] = float(v.std(ddof=1)) if v.size > 1 else None
    out["min"] = float(v.min())
    out["max"] = float(v.max())
    for q, val in zip(percentiles, np.percentile(v, list(percentiles)), strict=True):
        out[f"p{q:g}"] = float(val)
    return out


# --- reading a campaign directory ----------------------------------------------------------


def load_campaign(out_dir: str | Path, *, partial: bool = False) -> tuple[dict[str, Any], list]:
    """The campaign description and the chunk files of a directory, checked for completeness.

    Returns (campaign, [(index, path), ...] in index order). Raises InputError if chunks are
    missing or unreadable (unless ``partial``), or if they belong to different campaigns.
    """
    out = Path(out_dir)
    if not out.is_dir():
        raise InputError(f"{out}: no such campaign directory")
    campaign = _chunks.read_manifest(out)
    found = _chunks.existing_chunks(out)
    if campaign is None:
        if not found:
            raise InputError(f"{out}: no campaign here (no {_chunks.MANIFEST}, no chunk files)")
        try:
            campaign, _ = _chunks.read_chunk_metadata(found[min(found)])
        except (OSError, KeyError, ValueError, TypeError):
            raise InputError(
                f"{out}: no {_chunks.MANIFEST} and the first chunk is unreadable"
            ) from None
    bounds = _chunks.chunk_bounds(campaign["runs"], campaign["chunk_size"])
    good, bad = [], []
    for k, (start, stop) in enumerate(bounds):
        path = found.get(k)
        state = (
            "missing"
            if path is None
            else _chunks.chunk_state(path, campaign["campaign_id"], k, start, stop)
        )
        if state == "foreign":
            raise InputError(f"{path}: chunk of another campaign in {out}; refusing to mix them")
        (good if state == "complete" else bad).append((k, path))
    if bad and not partial:
        shown = ", ".join(str(k) for k, _ in bad[:10]) + (" ..." if len(bad) > 10 else "")
        raise InputError(
            f"{out}: campaign incomplete: {len(bad)} of {len(bounds)} chunks missing or "
            f"partial ({shown}); use --resume to finish it"
        )
    if good:
        # outputs are known once a chunk has run: take them from the first file
        campaign = dict(campaign, outputs=_chunks.read_chunk_metadata(good[0][1])[0]["outputs"])
    else:
        campaign = dict(campaign, outputs=[])
    return campaign, good


def read_columns(
    out_dir: str | Path, names: Iterable[str] | None = None, *, partial: bool = False
) -> dict[str, np.ndarray]:
    """Columns of a campaign (all by default), concatenated in sample order."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    _, files = load_campaign(out_dir, partial=partial)
    cols = list(names) if names is not None else None
    tables = []
    for _, path in files:
        try:
            tables.append(pq.read_table(path, columns=cols))
        except (pa.ArrowException, OSError) as exc:
            raise InputError(f"{path}: unreadable chunk ({exc}); delete it and resume") from None
    if not tables:
        return {}
    table = pa.concat_tables(tables)
    return {name: table.column(name).to_numpy() for name in table.column_names}


def summarize(
    out_dir: str | Path,
    *,
    columns: Sequence[str] | None = None,
    percentiles: Sequence[float] = DEFAULT_PERCENTILES,
    sigma: float = 3.0,
    partial: bool = False,
) -> dict[str, Any]:
    """JSON-ready summary of a campaign directory (see the module docstring).

    ``columns`` chooses the numeric columns given percentiles (default: every numeric output);
    drawn inputs may be named too. ``partial=True`` summarizes the complete chunks of an
    unfinished campaign (``complete`` is then false and ``runs_done`` says how many).
    """
    campaign, files = load_campaign(out_dir, partial=partial)
    data = read_columns(out_dir, partial=partial)
    outputs = campaign["outputs"]
    runs_done = int(data["sample"].size) if data else 0
    summary: dict[str, Any] = {
        "model": campaign["model"],
        "runs": campaign["runs"],
        "runs_done": runs_done,
        "complete": runs_done == campaign["runs"],
        "seed": campaign["seed"],
        "chunk_size": campaign["chunk_size"],
        "n_chunks": campaign["n_chunks"],
        "scenario_hash": campaign["scenario_hash"],
        "marsprobe_version": campaign["marsprobe_version"],
        "rng": campaign["rng"],
        "inputs": campaign["inputs"],
        "outputs": outputs,
        "probabilities": {},
        "percentiles": {},
        "ellipses": {},
    }
    if not data:
        return summary
    for name in outputs:
        col = data[name]
        if col.dtype == np.bool_:
            k, n = int(col.sum()), int(col.size)
            lo, hi = wilson_interval(k, n)
            summary["probabilities"][name] = {"k": k, "n": n, "p": k / n, "ci95": [lo, hi]}
    wanted = (
        columns
        if columns is not None
        else [
            c
            for c in outputs
            if data[c].dtype != np.bool_ and np.issubdtype(data[c].dtype, np.number)
        ]
    )
    for name in wanted:
        if name not in data:
            raise InputError(f"{out_dir}: no column {name!r}; accepted: {', '.join(data)}")
        summary["percentiles"][name] = _stats(data[name], percentiles)
    for name in outputs:
        if name.endswith("lat_deg") and name[: -len("lat_deg")] + "lon_deg" in data:
            prefix = name[: -len("lat_deg")]
            key = prefix.rstrip("_.") or "position"
            ell = landing_ellipse(
                data[name], data[prefix + "lon_deg"], campaign["radius_m"], sigma=sigma
            )
            summary["ellipses"][key] = {
                k: (_finite_or_none(v) if isinstance(v, float) else v) for k, v in ell.items()
            }
    return summary
