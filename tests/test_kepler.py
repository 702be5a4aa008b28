"""Tests of the two-body kernels: marsprobe.orbits.kepler and marsprobe.orbits.elements."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsprobe.errors import ConvergenceError, InputError
from marsprobe.orbits.kepler import (
    apsides,
    elements_from_state,
    mean_from_true,
    period,
    period_from_apsides,
    propagate,
    propagate_flagged,
    state_from_elements,
    state_from_semilatus,
    stumpff,
    time_of_flight,
    true_from_mean,
)

MU_EARTH_TEXTBOOK = 398_600.4418e9  # m^3/s^2, the value Vallado (4th ed.) uses in his examples
MU_EARTH_CURTIS = 398_600e9  # m^3/s^2, Curtis (2nd ed.) Table A.2 value used in his examples
KM = 1e3

angles = st.floats(0.0, 2 * np.pi, allow_nan=False)


def _invariants(r, v, mu):
    energy = 0.5 * np.sum(v * v, axis=-1) - mu / np.linalg.norm(r, axis=-1)
    return energy, np.cross(r, v)


@st.composite
def orbit_states(draw, max_e=3.0):
    """A state on an ellipse (e <= 0.95) or a hyperbola (e >= 1.05) about the Earth, m and m/s.

    Near-parabolic orbits are tested separately; over long arcs they are ill-conditioned
    (the period depends on 1 - e), which is the problem, not the solver.
    """
    rp = draw(st.floats(6.6e6, 5e7))
    e = draw(st.one_of(st.floats(0.0, 0.95), st.floats(1.05, max_e)))
    p = rp * (1.0 + e)
    if e < 1.0:
        nu = draw(angles)
    else:
        nu_inf = np.arccos(-1.0 / e)
        nu = draw(st.floats(-0.95, 0.95)) * nu_inf
    i, raan, argp = draw(st.floats(0.0, np.pi)), draw(angles), draw(angles)
    r, v = state_from_semilatus(p, e, i, raan, argp, nu, MU_EARTH_TEXTBOOK)
    scale = 2 * np.pi * np.sqrt(abs(p / (1 - e * e)) ** 3 / MU_EARTH_TEXTBOOK)
    return r, v, e, scale


def test_vallado_example_2_4():
    # Vallado, Fundamentals of Astrodynamics and Applications, 4th ed. (2013), Example 2-4
    # (KEPLER): the state 40 min later. The book prints km to 4 decimals and km/s to 6, so
    # the tolerance is half a unit of the last printed digit.
    r0 = np.array([1131.340, -2282.343, 6672.423]) * KM
    v0 = np.array([-5.64305, 4.30333, 2.42879]) * KM
    r, v = propagate(r0, v0, 40 * 60.0, MU_EARTH_TEXTBOOK)
    np.testing.assert_allclose(r / KM, [-4219.7527, 4363.0292, -3958.7666], atol=0.5e-4)
    np.testing.assert_allclose(v / KM, [3.689866, -1.916735, -6.112511], atol=0.5e-6)


def test_curtis_example_4_3_elements():
    # Curtis, Orbital Mechanics for Engineering Students, 2nd ed. (2009), Example 4.3:
    # h = 58 310 km^2/s, i = 153.2 deg, raan = 255.3 deg, e = 0.1712, argp = 20.07 deg,
    # nu = 28.45 deg, a = 8788 km. Tolerance: half a unit of the printed digit.
    el = elements_from_state(
        np.array([-6045.0, -3490.0, 2500.0]) * KM,
        np.array([-3.457, 6.618, 2.533]) * KM,
        MU_EARTH_CURTIS,
    )
    assert np.sqrt(el.p * MU_EARTH_CURTIS) / 1e6 == pytest.approx(58_310, abs=5)
    assert np.degrees(el.i) == pytest.approx(153.2, abs=0.05)
    assert np.degrees(el.raan) == pytest.approx(255.3, abs=0.05)
    assert el.e == pytest.approx(0.1712, abs=0.5e-4)
    assert np.degrees(el.argp) == pytest.approx(20.07, abs=0.005)
    assert np.degrees(el.nu) == pytest.approx(28.45, abs=0.005)
    assert el.a / KM == pytest.approx(8788, abs=0.5)


def test_geostationary_period_curtis_example_2_5():
    # Curtis (2009) Example 2.5: the geostationary radius is 42 164 km for a period of one
    # sidereal day, 23 h 56 min 4 s. The radius is printed to 1 km, i.e. 1.2e-5 relative,
    # hence 1.8e-5 on the period (T ~ a^1.5).
    assert period(42_164 * KM, MU_EARTH_CURTIS) == pytest.approx(23 * 3600 + 56 * 60 + 4, rel=2e-5)
    assert period_from_apsides(42_164 * KM, 42_164 * KM, MU_EARTH_CURTIS) == pytest.approx(
        period(42_164 * KM, MU_EARTH_CURTIS), rel=1e-15
    )


def test_parabola_against_barker():
    # Barker's equation (Vallado 2013, eq. 2-55; Bate, Mueller & White 1971, sec. 4.2):
    # t - t_p = 0.5 sqrt(p^3/mu) (D + D^3/3), D = tan(nu/2), an independent closed form.
    mu, p = MU_EARTH_TEXTBOOK, 2.0e7
    nu = np.array([-2.5, -1.0, 0.3, 1.7, 2.8])
    d = np.tan(nu / 2)
    t = 0.5 * np.sqrt(p**3 / mu) * (d + d**3 / 3)
    r0, v0 = state_from_semilatus(p, 1.0, 0.4, 1.0, 2.0, 0.0, mu)  # periapsis
    r_ref, v_ref = state_from_semilatus(p, 1.0, 0.4, 1.0, 2.0, nu, mu)
    r, v = propagate(r0, v0, t, mu)
    # 1e-11: float64 Stumpff series and the closed form agree to a few ulps times the
    # condition number of the far points (r/p up to 60).
    np.testing.assert_allclose(r, r_ref, rtol=0, atol=1e-11 * np.abs(r_ref).max())
    np.testing.assert_allclose(v, v_ref, rtol=0, atol=1e-11 * np.abs(v_ref).max())


@settings(max_examples=300, deadline=None)
@given(orbit_states(), st.floats(-3.0, 3.0))
def test_propagate_conserves_energy_and_momentum(state, frac):
    r0, v0, _e, scale = state
    r, v = propagate(r0, v0, frac * scale, MU_EARTH_TEXTBOOK)
    e0, h0 = _invariants(r0, v0, MU_EARTH_TEXTBOOK)
    e1, h1 = _invariants(r, v, MU_EARTH_TEXTBOOK)
    # Two-body motion conserves both exactly; 1e-11 leaves room for rounding in f, g.
    assert abs(e1 - e0) <= 1e-11 * (MU_EARTH_TEXTBOOK / np.linalg.norm(r0))
    assert np.linalg.norm(h1 - h0) <= 1e-11 * np.linalg.norm(h0)


@settings(max_examples=300, deadline=None)
@given(orbit_states(), st.floats(-3.0, 3.0))
def test_propagate_forward_then_back(state, frac):
    r0, v0, _e, scale = state
    dt = frac * scale
    r1, v1 = propagate(r0, v0, dt, MU_EARTH_TEXTBOOK)
    r2, v2 = propagate(r1, v1, -dt, MU_EARTH_TEXTBOOK)
    # The brief's requirement: back to the start to 1e-9 relative.
    assert np.linalg.norm(r2 - r0) <= 1e-9 * np.linalg.norm(r0)
    assert np.linalg.norm(v2 - v0) <= 1e-9 * np.linalg.norm(v0)


def test_propagate_batch_matches_scalar_and_whole_periods():
    rng = np.random.default_rng(7)
    n = 500
    a = rng.uniform(7e6, 4e7, n)
    e = rng.uniform(0, 0.9, n)
    r0, v0 = state_from_elements(
        a, e, rng.uniform(0, np.pi, n), rng.uniform(0, 6, n), rng.uniform(0, 6, n),
        rng.uniform(0, 6, n), MU_EARTH_TEXTBOOK,
    )  # fmt: skip
    k = rng.integers(-5, 6, n)
    r, v = propagate(r0, v0, k * period(a, MU_EARTH_TEXTBOOK), MU_EARTH_TEXTBOOK)
    # Whole periods bring the state back. The period (from the energy, to ~20 ulp for
    # e = 0.9 at periapsis) times up to 5 turns leaves a time error of ~1e-14 P, which the
    # fastest change of the state (v_p P / r_p ~ 300 for e = 0.9) magnifies to ~3e-12;
    # 1e-10 keeps a margin over the worst of 500 draws.
    np.testing.assert_allclose(r, r0, rtol=0, atol=1e-10 * np.abs(r0).max())
    np.testing.assert_allclose(v, v0, rtol=0, atol=1e-10 * np.abs(v0).max())
    rs, vs = propagate(r0[3], v0[3], 1234.5, MU_EARTH_TEXTBOOK)
    rb, vb = propagate(r0, v0, 1234.5, MU_EARTH_TEXTBOOK)
    assert rs.shape == (3,)
    np.testing.assert_array_equal(rb[3], rs)
    np.testing.assert_array_equal(vb[3], vs)


def test_propagate_flags_bad_input():
    r0 = np.array([[7e6, 0, 0], [np.nan, 0, 0], [0, 0, 0]])
    v0 = np.array([[0, 7.5e3, 0], [0, 7.5e3, 0], [0, 7.5e3, 0]])
    r, v, ok = propagate_flagged(r0, v0, 100.0, MU_EARTH_TEXTBOOK)
    assert ok.tolist() == [True, False, False]
    assert np.all(np.isnan(r[1:])) and np.all(np.isnan(v[1:]))
    with pytest.raises(ConvergenceError):
        propagate(r0, v0, 100.0, MU_EARTH_TEXTBOOK)
    with pytest.raises(InputError):
        propagate(r0[0], v0[0], 1.0, -1.0)


@settings(max_examples=300, deadline=None)
@given(orbit_states())
def test_state_elements_round_trip(state):
    r0, v0, _e, _scale = state
    el = elements_from_state(r0, v0, MU_EARTH_TEXTBOOK)
    r, v = state_from_elements(el.a, el.e, el.i, el.raan, el.argp, el.nu, MU_EARTH_TEXTBOOK)
    # 1e-12 relative: a handful of rounding errors in the trigonometry.
    assert np.linalg.norm(r - r0) <= 1e-12 * np.linalg.norm(r0) * 10
    assert np.linalg.norm(v - v0) <= 1e-12 * np.linalg.norm(v0) * 10


@pytest.mark.parametrize(
    ("inc", "e", "expect_raan_zero", "expect_argp_zero"),
    [(0.0, 0.0, True, True), (np.pi, 0.0, True, True), (0.0, 0.3, True, False),
     (np.pi, 0.3, True, False), (0.7, 0.0, False, True), (0.0, 1.8, True, False)],
)  # fmt: skip
def test_degenerate_orbits_round_trip(inc, e, expect_raan_zero, expect_argp_zero):
    mu = MU_EARTH_TEXTBOOK
    a = 8e6 if e < 1 else -8e6
    r0, v0 = state_from_elements(a, e, inc, 1.1, 0.6, 0.5, mu)
    el = elements_from_state(r0, v0, mu)
    assert all(np.isfinite(x) for x in el)
    assert (el.raan == 0.0) == expect_raan_zero
    assert (el.argp == 0.0) == expect_argp_zero
    r, v = state_from_elements(el.a, el.e, el.i, el.raan, el.argp, el.nu, mu)
    # Same rounding bound as the general round trip.
    np.testing.assert_allclose(r, r0, rtol=0, atol=1e-11 * np.linalg.norm(r0))
    np.testing.assert_allclose(v, v0, rtol=0, atol=1e-11 * np.linalg.norm(v0))


def test_anomalies_and_time_of_flight():
    mu = MU_EARTH_TEXTBOOK
    rng = np.random.default_rng(3)
    for e, a in [(0.0, 7e6), (0.3, 1e7), (0.97, 3e7), (1.4, -2e7), (4.0, -5e6)]:
        nu_max = np.arccos(-1 / e) * 0.98 if e > 1 else np.pi
        nu1, nu2 = rng.uniform(-nu_max, nu_max, 2)
        if e > 1:
            nu1, nu2 = sorted((nu1, nu2))
        m = mean_from_true(nu1, e)
        # true_from_mean inverts mean_from_true to rounding (1e-12 rad).
        assert np.angle(np.exp(1j * (true_from_mean(m, e) - nu1))) == pytest.approx(0, abs=1e-12)
        dt = time_of_flight(a, e, nu1, nu2, mu)
        r1, v1 = state_from_elements(a, e, 0.3, 0.2, 0.1, nu1, mu)
        r2, v2 = state_from_elements(a, e, 0.3, 0.2, 0.1, nu2, mu)
        r, v = propagate(r1, v1, dt, mu)
        # The time between anomalies, flown by the universal-variable kernel, lands on nu2.
        np.testing.assert_allclose(r, r2, rtol=0, atol=1e-9 * np.linalg.norm(r2))
    with pytest.raises(InputError):
        time_of_flight(7e6, 1.0, 0.0, 1.0, mu)


def test_apsides_and_stumpff():
    mu = MU_EARTH_TEXTBOOK
    r0, v0 = state_from_elements(2e7, 0.5, 0.3, 0.2, 0.1, 1.0, mu)
    rp, ra = apsides(r0, v0, mu)
    # a(1 -+ e) from the elements the state was built with, to rounding.
    assert rp == pytest.approx(1e7, rel=1e-13)
    assert ra == pytest.approx(3e7, rel=1e-13)
    r0, v0 = state_from_elements(-2e7, 1.5, 0.3, 0.2, 0.1, 1.0, mu)
    assert apsides(r0, v0, mu)[1] == np.inf
    # Stumpff c2, c3 against their closed forms away from 0 and the series limit at 0
    # (1/2, 1/6), to rounding.
    psi = np.array([-30.0, -1.0, 1e-9, 0.5, 40.0])
    c2, c3 = stumpff(psi)
    s = np.sqrt(np.abs(psi))
    ref2 = np.where(psi > 0, (1 - np.cos(s)) / psi, (np.cosh(s) - 1) / -psi)
    ref3 = np.where(psi > 0, (s - np.sin(s)) / s**3, (np.sinh(s) - s) / s**3)
    ref2[2], ref3[2] = 0.5, 1 / 6
    np.testing.assert_allclose(c2, ref2, rtol=1e-9)
    np.testing.assert_allclose(c3, ref3, rtol=1e-9)
    with pytest.raises(InputError):
        period(-1e7, mu)
