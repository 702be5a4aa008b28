"""Summary statistics of a campaign: Wilson intervals and landing ellipses."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats as st

from marsprobe.analysis.summary import landing_ellipse, wilson_interval
from marsprobe.errors import InputError

R_M = 3_389_500.0


@pytest.mark.parametrize(
    ("k", "n", "lo", "hi"),
    [
        # Newcombe 1998, Statistics in Medicine 17:857, Table I, method 3 (score interval
        # without continuity correction), examples (i)-(v)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        (29, 29, 0.8830, 1.0),
    ],
)
def test_wilson_matches_newcombe_table_1(k, n, lo, hi):
    got = wilson_interval(k, n)
    # the table prints 4 decimals: half a unit of the last place
    assert got[0] == pytest.approx(lo, abs=5e-5)
    assert got[1] == pytest.approx(hi, abs=5e-5)


@pytest.mark.parametrize(("k", "n"), [(0, 1), (3, 7), (500, 1000), (9999, 10000), (1, 8001)])
def test_wilson_matches_scipy(k, n):
    # scipy.stats.binomtest(...).proportion_ci(method="wilson"): an independent implementation;
    # both evaluate the closed form, so they agree to rounding (1e-12)
    ci = st.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    got = wilson_interval(k, n)
    assert got[0] == pytest.approx(ci.low, abs=1e-12)
    assert got[1] == pytest.approx(ci.high, abs=1e-12)


def test_wilson_rejects_impossible_counts():
    with pytest.raises(InputError):
        wilson_interval(5, 3)


def points_around(lat0_deg, lon0_deg, east_km, north_km):
    """Surface points whose tangent-plane (orthographic) coordinates are east/north, km."""
    lat0, lon0 = math.radians(lat0_deg), math.radians(lon0_deg)
    c = np.array([math.cos(lat0) * math.cos(lon0), math.cos(lat0) * math.sin(lon0), math.sin(lat0)])
    e = np.array([-math.sin(lon0), math.cos(lon0), 0.0])
    nn = np.array([-math.sin(lat0) * math.cos(lon0), -math.sin(lat0) * math.sin(lon0),
                   math.cos(lat0)])  # fmt: skip
    x, y = np.asarray(east_km) / (R_M / 1000), np.asarray(north_km) / (R_M / 1000)
    u = np.sqrt(1 - x**2 - y**2)[:, None] * c + x[:, None] * e + y[:, None] * nn
    return np.degrees(np.arcsin(u[:, 2])), np.degrees(np.arctan2(u[:, 1], u[:, 0]))


@pytest.mark.parametrize(("lat0", "lon0", "az"), [(-45.0, -158.0, 35.0), (10.0, 180.0, 120.0),
                                                  (-20.0, 30.0, 0.0)])  # fmt: skip
def test_ellipse_of_four_symmetric_points(lat0, lon0, az):
    # Points at +-a along azimuth az and +-b across it: their sample covariance (n-1 = 3) has
    # eigenvalues 2a^2/3 and 2b^2/3 along those directions (analytic), so the 3-sigma
    # semi-axes are 3 a sqrt(2/3) and 3 b sqrt(2/3), the major axis at azimuth az.
    a, b = 30.0, 10.0
    m = np.array([math.sin(math.radians(az)), math.cos(math.radians(az))])  # (east, north)
    s = np.array([m[1], -m[0]])
    pts = np.array([a * m, -a * m, b * s, -b * s])
    lat, lon = points_around(lat0, lon0, pts[:, 0], pts[:, 1])
    ell = landing_ellipse(lat, lon, R_M)
    # the construction is exact; only rounding separates the numbers (1e-9 relative)
    assert ell["semi_major_km"] == pytest.approx(3 * a * math.sqrt(2 / 3), rel=1e-9)
    assert ell["semi_minor_km"] == pytest.approx(3 * b * math.sqrt(2 / 3), rel=1e-9)
    assert ell["azimuth_deg"] == pytest.approx(az % 180.0, abs=1e-7)
    assert ell["centre_lat_deg"] == pytest.approx(lat0, abs=1e-9)
    dlon = (ell["centre_lon_deg"] - lon0 + 180.0) % 360.0 - 180.0  # across the date line
    assert abs(dlon) < 1e-9
    assert ell["inside_fraction"] == 1.0


def test_three_sigma_ellipse_holds_98_9_percent_of_normal_points():
    rng = np.random.default_rng(3)
    n = 20_000
    cov = np.array([[400.0, 150.0], [150.0, 100.0]])  # km^2
    pts = rng.multivariate_normal([0.0, 0.0], cov, size=n)
    lat, lon = points_around(-45.0, -158.0, pts[:, 0], pts[:, 1])
    ell = landing_ellipse(lat, lon, R_M)
    p = 1 - math.exp(-4.5)  # bivariate normal mass inside Mahalanobis radius 3
    assert abs(ell["inside_fraction"] - p) < 5 * math.sqrt(p * (1 - p) / n)  # 5 binomial SE
    w, v = np.linalg.eigh(cov)
    # semi-major within 5 SE of sqrt(lambda): SE(sqrt(l_hat)) ~ sqrt(l/(2n)) for normal data
    assert abs(ell["semi_major_km"] / 3 - math.sqrt(w[1])) < 5 * math.sqrt(w[1] / (2 * n))
    az_true = math.degrees(math.atan2(v[0, 1], v[1, 1])) % 180.0
    # SE of a principal-axis angle of a normal sample: sqrt(l1 l2 / n) / (l1 - l2) rad
    se_az = math.degrees(math.sqrt(w[0] * w[1] / n) / (w[1] - w[0]))
    assert abs(ell["azimuth_deg"] - az_true) < 5 * se_az


def test_ellipse_skips_nan_points():
    lat, lon = points_around(0.0, 0.0, np.array([10.0, -10.0, 0.0, 0.0]),
                             np.array([0.0, 0.0, 5.0, -5.0]))  # fmt: skip
    lat = np.append(lat, np.nan)
    lon = np.append(lon, np.nan)
    ell = landing_ellipse(lat, lon, R_M)
    assert ell["n"] == 4
    assert ell["azimuth_deg"] == pytest.approx(90.0, abs=1e-7)
