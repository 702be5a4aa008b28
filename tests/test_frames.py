"""Tests of marsprobe.frames: fixed rotations, the Mars and Earth rotating frames, ellipsoids.

Oracles: ERFA (IAU 2006/2000A Earth rotation, IAU 2006 precession, GMST, ERA, geodetic
conversions), the WGCCRE 2009 report's Mars model, NASA fact-sheet values, and the SOFA test
suite's geodetic reference point.
"""

from __future__ import annotations

import erfa
import numpy as np
import pytest

from marsprobe import constants as c
from marsprobe import ephemeris as eph
from marsprobe import frames as fr
from marsprobe.errors import InputError
from marsprobe.time import julian_date_tdb, tdb_from_utc, tt_from_tdb, utc_seconds_from_tdb

ARCSEC = np.radians(1.0 / 3600.0)
EPOCHS = np.array(
    [
        tdb_from_utc(s)
        for s in ("1960-10-10T14:27", "1971-05-19T16:22:49", "1996-11-16", "2025-06-01")
    ]
)


def _angle(a, b):
    """Rotation angle (rad) of a @ b.T."""
    tr = np.trace(a @ np.swapaxes(b, -1, -2), axis1=-2, axis2=-1)
    return np.arccos(np.clip((tr - 1.0) / 2.0, -1.0, 1.0))


def _erfa_dates(t):
    tt = julian_date_tdb(tt_from_tdb(t))
    ut = 2451545.0 + utc_seconds_from_tdb(t) / c.DAY_S
    return tt, ut


# --- ecliptic ----------------------------------------------------------------------------


def test_ecliptic_pole_and_round_trip():
    # The north ecliptic pole of J2000 is at RA 18h, Dec 90 deg - 23.4393 deg (IAU 2006
    # obliquity 84381.406"); 1e-15: pure rotation arithmetic.
    eps = np.radians(84381.406 / 3600.0)
    pole = fr.icrf_from_ecliptic([0.0, 0.0, 1.0])
    np.testing.assert_allclose(pole, [0.0, -np.sin(eps), np.cos(eps)], atol=1e-15)
    x = np.random.default_rng(1).normal(size=(10, 3)) * 1e11
    np.testing.assert_allclose(
        fr.icrf_from_ecliptic(fr.ecliptic_from_icrf(x)), x, rtol=1e-15, atol=1e-4
    )


def test_earth_orbit_lies_in_the_j2000_ecliptic():
    # The EMB's heliocentric orbit pole in the J2000 ecliptic frame is within 0.005 deg of its
    # z axis: the ecliptic moves 47"/century and the osculating plane wobbles by arcseconds.
    r, v = eph.state("earth-moon-barycenter", np.array([0.0, -9.1e8, 9.1e8]))
    h = fr.ecliptic_from_icrf(np.cross(r, v))
    tilt = np.degrees(np.arccos(h[:, 2] / np.linalg.norm(h, axis=-1)))
    assert np.all(tilt < 0.005)


# --- Mars ----------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["mars", "earth"])
def test_matrices_are_rotations_and_vectorized(body):
    m = fr.body_fixed_matrix(body, EPOCHS)
    assert m.shape == (4, 3, 3)
    np.testing.assert_allclose(
        m @ np.swapaxes(m, -1, -2), np.broadcast_to(np.eye(3), m.shape), atol=1e-14
    )
    np.testing.assert_allclose(np.linalg.det(m), 1.0, atol=1e-14)
    np.testing.assert_array_equal(fr.body_fixed_matrix(body, float(EPOCHS[1])), m[1])


def test_mars_pole_is_the_wgccre_2009_pole():
    # WGCCRE 2009 (Archinal et al. 2011, Table 2): alpha0 = 317.68143 - 0.1061 T,
    # delta0 = 52.88650 - 0.0609 T (T in Julian centuries TDB from J2000). 1e-12: arithmetic.
    for t, tc in ((0.0, 0.0), (-0.3 * 36525 * c.DAY_S, -0.3)):
        a = np.radians(317.68143 - 0.1061 * tc)
        d = np.radians(52.88650 - 0.0609 * tc)
        expected = [np.cos(d) * np.cos(a), np.cos(d) * np.sin(a), np.sin(d)]
        np.testing.assert_allclose(fr.mars_fixed_matrix(t)[2], expected, atol=1e-12)


def test_mars_prime_meridian_at_j2000_and_rotation_period():
    # W at J2000 is 176.630 deg (WGCCRE 2009), measured from the node of the Mars equator on
    # the ICRF equator to the prime meridian.
    m = fr.mars_fixed_matrix(0.0)
    pole, meridian = m[2], m[0]
    node = np.cross([0.0, 0.0, 1.0], pole)
    node /= np.linalg.norm(node)
    w = np.degrees(np.arctan2(np.cross(node, meridian) @ pole, node @ meridian))
    assert w == pytest.approx(176.630, abs=1e-9)  # 1e-9 deg: arithmetic only
    # Sidereal rotation period 24.6229 h (NASA Mars fact sheet) = 88642.66 s (Allison 1997,
    # 24h 37m 22.663s). 0.36 s: one unit in the last digit of the fact sheet's hours.
    period = 360.0 / c.MARS_W_RATE_DEG_PER_DAY * c.DAY_S
    assert period == pytest.approx(24.6229 * 3600.0, abs=0.36)
    assert period == pytest.approx(88642.663, abs=1e-3)  # Allison's value to its last digit
    # After one period the frame is back where it was, apart from the pole drift
    # (0.1 deg/century -> 5e-8 rad per day); budget 1e-7 rad.
    assert _angle(fr.mars_fixed_matrix(1e8 + period), fr.mars_fixed_matrix(1e8)) < 1e-7


def test_mars_obliquity_from_pole_and_ephemeris():
    # NASA Mars fact sheet: obliquity to orbit 25.19 deg. The WGCCRE pole against the DE421
    # orbit normal: budget 0.01 deg (the sheet's rounding plus the orbit plane's wobble).
    for t in (0.0, tdb_from_utc("1971-11-27")):
        r, v = eph.state("mars", t)
        h = np.cross(r, v)
        pole = fr.mars_fixed_matrix(t)[2]
        assert np.degrees(np.arccos(pole @ h / np.linalg.norm(h))) == pytest.approx(25.19, abs=0.01)


# --- Earth ---------------------------------------------------------------------------------


def test_earth_rotation_angle_at_j2000_and_against_erfa():
    # IERS 2010 eq. 5.15: ERA(J2000.0 UT1) = 2 pi x 0.7790572732640 = 280.46061837504 deg.
    t = tdb_from_utc("2000-01-01T12:00:00")
    assert np.degrees(fr.earth_rotation_angle(t)) == pytest.approx(280.46061837504, abs=1e-9)
    # ERFA era00 on the same UT1 (= UTC) dates; 1e-9 rad: float64 day fractions.
    _, ut = _erfa_dates(EPOCHS)
    np.testing.assert_allclose(fr.earth_rotation_angle(EPOCHS), erfa.era00(ut, 0.0), atol=1e-9)


def test_gmst_and_precession_against_erfa():
    tt, ut = _erfa_dates(EPOCHS)
    # GMST: ERFA gmst06 (IERS 2010 eq. 5.32); 1e-3 arcsec: float64 arithmetic only.
    dg = (
        np.remainder(
            fr.greenwich_mean_sidereal_time(EPOCHS) - erfa.gmst06(ut, 0.0, tt, 0.0) + np.pi,
            2 * np.pi,
        )
        - np.pi
    )
    assert np.max(np.abs(dg)) < 1e-3 * ARCSEC
    # Precession: ERFA pmat06 includes the ICRS frame bias (about 23 mas: IERS 2010 eq. 5.21,
    # xi0 = -16.617 mas, eta0 = -6.819 mas, dalpha0 = -14.6 mas), which marsprobe leaves out.
    ang = _angle(fr.precession_matrix(EPOCHS), erfa.pmat06(tt, 0.0)) / ARCSEC
    assert np.all(ang < 0.025)


def test_earth_fixed_frame_within_0_005_deg_of_full_iau2006_2000a():
    # ERFA c2t06a: the complete celestial-to-terrestrial matrix (IAU 2006 precession, 2000A
    # nutation), given the same UT1 = UTC and no polar motion. What marsprobe leaves out is
    # nutation, whose pole offset is at most ~12.5" = 0.0035 deg (17.2" x sin(eps) and 9.2"
    # with the smaller terms); budget 0.005 deg, half the 0.01 deg requirement of issue 3.
    t = np.concatenate([EPOCHS, np.linspace(-1.3e9, 1.6e9, 60)])
    tt, ut = _erfa_dates(t)
    ang = np.degrees(_angle(fr.earth_fixed_matrix(t), erfa.c2t06a(tt, 0.0, ut, 0.0, 0.0, 0.0)))
    assert np.all(ang < 0.005)


@pytest.mark.parametrize(
    "utc, obliquity_arcsec", [("2000-01-01T12:00", 84381.406), ("1971-05-19", 84394.99)]
)
def test_earth_pole_of_date_against_the_orbit(utc, obliquity_arcsec):
    # Mean obliquity of date, IAU 2006 (IERS 2010 eq. 5.39): 84381.406" - 46.836769" T; in
    # 1971 (T = -0.29) 84394.99". The Earth-fixed z axis against the DE421 EMB orbit normal:
    # budget 0.002 deg for the osculating plane's arcsecond wobble. Without precession the
    # 1971 pole would be 0.16 deg away, so this checks the precession's sign and size.
    t = tdb_from_utc(utc)
    r, v = eph.state("earth-moon-barycenter", t)
    h = np.cross(r, v)
    pole = fr.earth_fixed_matrix(t)[2]
    tilt = np.degrees(np.arccos(pole @ h / np.linalg.norm(h)))
    assert tilt == pytest.approx(obliquity_arcsec / 3600.0, abs=0.002)


# --- rotating frames -----------------------------------------------------------------------


@pytest.mark.parametrize("body", ["earth", "mars"])
def test_body_fixed_round_trip(body):
    rng = np.random.default_rng(7)
    r = rng.normal(size=(4, 3)) * 7e6
    v = rng.normal(size=(4, 3)) * 7e3
    rf, vf = fr.to_body_fixed(r, v, body, EPOCHS)
    r2, v2 = fr.from_body_fixed(rf, vf, body, EPOCHS)
    # 1e-8 m and 1e-11 m/s: a rotation and a cross product in float64 at 1e7 m.
    np.testing.assert_allclose(r2, r, rtol=0, atol=1e-8)
    np.testing.assert_allclose(v2, v, rtol=0, atol=1e-11)
    # One epoch for a batch of vectors broadcasts too.
    rf1, _ = fr.to_body_fixed(r, v, body, EPOCHS[0])
    np.testing.assert_allclose(rf1[0], rf[0], rtol=0, atol=1e-8)


@pytest.mark.parametrize("body, omega", [("earth", c.OMEGA_EARTH), ("mars", c.OMEGA_MARS)])
def test_a_point_on_the_ground_moves_with_the_planet(body, omega):
    # A point at rest on the equator has inertial speed omega * a: 465.10 m/s for the Earth
    # (WGS 84 omega and a), 240.7 m/s for Mars. The frame's rate includes precession (Earth:
    # +4612"/century, 1e-12 rad/s), so 1e-5 m/s relative budget against the constants.
    a, _ = fr.ellipsoid(body)
    t = EPOCHS[1]
    ground = fr.fixed_from_geodetic(0.0, 0.3, 0.0, body)
    r, v = fr.from_body_fixed(ground, np.zeros(3), body, t)
    assert np.linalg.norm(v) == pytest.approx(omega * a, rel=1e-5)
    # Its velocity is the time derivative of its inertial position: central difference over
    # +-1 s (truncation omega^3 a h^2 / 6 ~ 3e-11 m/s). The transformation neglects the
    # turning of the pole (precession 3e-12 rad/s for the Earth, WGCCRE drift 6e-13 rad/s for
    # Mars: <= 2e-5 m/s here) and, before 1972, the UTC rate offset (3e-8 x 465 m/s); budget
    # 1e-4 m/s.
    rp, _ = fr.from_body_fixed(ground, np.zeros(3), body, t + 1.0)
    rm, _ = fr.from_body_fixed(ground, np.zeros(3), body, t - 1.0)
    np.testing.assert_allclose((rp - rm) / 2.0, v, rtol=0, atol=1e-4)


# --- ellipsoids ----------------------------------------------------------------------------


def test_geodetic_sofa_reference_point():
    # SOFA/ERFA test suite (t_sofa_c.c, t_gc2gd, WGS84): (2e6, 3e6, 5.244e6) m ->
    # longitude 0.9827937232473290680 rad, latitude 0.97160184819075459 rad,
    # height 331.4172461426059892 m. Budgets 1e-14 rad and 1e-8 m as in that suite.
    lat, lon, alt = fr.geodetic_from_fixed([2e6, 3e6, 5.244e6], "earth")
    assert lon == pytest.approx(0.9827937232473290680, abs=1e-14)
    assert lat == pytest.approx(0.97160184819075459, abs=1e-14)
    assert alt == pytest.approx(331.4172461426059892, abs=1e-8)


@pytest.mark.parametrize("body", ["earth", "mars"])
def test_geodetic_against_erfa_and_round_trip(body):
    # ERFA gd2gce/gc2gde on the same ellipsoid (a, f) are an independent solver. Points from
    # 10 km below the surface to 40 000 km up, all latitudes; budgets 1e-12 rad (~6 um) and
    # 1e-6 m.
    a, f = fr.ellipsoid(body)
    rng = np.random.default_rng(11)
    lat = rng.uniform(-np.pi / 2, np.pi / 2, 200)
    lon = rng.uniform(-np.pi, np.pi, 200)
    alt = rng.uniform(-1e4, 4e7, 200)
    r = fr.fixed_from_geodetic(lat, lon, alt, body)
    np.testing.assert_allclose(r, erfa.gd2gce(a, f, lon, lat, alt), rtol=0, atol=1e-6)
    lat2, lon2, alt2 = fr.geodetic_from_fixed(r, body)
    np.testing.assert_allclose(lat2, lat, rtol=0, atol=1e-12)
    np.testing.assert_allclose(lon2, lon, rtol=0, atol=1e-12)
    np.testing.assert_allclose(alt2, alt, rtol=0, atol=1e-6)
    # ERFA's inverse (Fukushima 2006) is itself off its own gd2gce by up to 2.5e-10 rad for
    # these far points on the Mars ellipsoid (measured), hence 1e-9 rad and 1e-6 m here.
    _, e_lat, e_alt = erfa.gc2gde(a, f, r)
    np.testing.assert_allclose(lat2, e_lat, rtol=0, atol=1e-9)
    np.testing.assert_allclose(alt2, e_alt, rtol=0, atol=1e-6)


def test_mars_ellipsoid_shape_and_planetocentric():
    # WGCCRE 2009 Mars radii: 3396.19 km equatorial, 3376.20 km polar. 1e-6 m: arithmetic.
    lat, _, alt = fr.geodetic_from_fixed([0.0, 0.0, c.R_MARS_POLAR], "mars")
    assert np.degrees(lat) == pytest.approx(90.0) and alt == pytest.approx(0.0, abs=1e-6)
    lat, lon, alt = fr.geodetic_from_fixed([0.0, -c.R_MARS, 0.0], "mars")
    assert (np.degrees(lat), np.degrees(lon), alt) == pytest.approx((0.0, -90.0, 0.0), abs=1e-6)
    # Planetocentric round trip and its known gap to planetodetic latitude at 45 deg
    # (about f radians = 0.337 deg for Mars at the surface).
    p = fr.fixed_from_planetocentric(np.radians(45.0), np.radians(137.4), 3.39e6)
    lat_c, lon_c, rad = fr.planetocentric_from_fixed(p)
    assert (np.degrees(lat_c), np.degrees(lon_c), rad) == pytest.approx((45.0, 137.4, 3.39e6))
    lat_d, _, _ = fr.geodetic_from_fixed(
        fr.fixed_from_planetocentric(np.radians(45.0), 0.0, c.R_MARS_MEAN), "mars"
    )
    assert np.degrees(lat_d) - 45.0 == pytest.approx(np.degrees(c.F_MARS), rel=0.01)


def test_unknown_body_frame():
    with pytest.raises(InputError, match="venus.*accepted: earth, mars"):
        fr.to_body_fixed(np.zeros(3), np.zeros(3), "venus", 0.0)
    with pytest.raises(InputError):
        fr.geodetic_from_fixed(np.ones(3), "moon")
