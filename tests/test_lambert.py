"""Tests of Izzo's Lambert solver, marsprobe.orbits.lambert."""

from __future__ import annotations

import numpy as np
import pytest

from marsprobe.constants import AU_M, DAY_S, GM_SUN
from marsprobe.errors import InputError
from marsprobe.orbits.kepler import propagate_flagged
from marsprobe.orbits.lambert import SIN_TRANSFER_MIN, lambert, lambert_all, min_tof

KM = 1e3
MU_CURTIS = 398_600e9  # m^3/s^2, Curtis (2nd ed.) value for the Earth
MU_VALLADO = 398_600.4418e9  # m^3/s^2, Vallado (4th ed.) value for the Earth


def _random_problems(n, seed, mu=1.0, length=1.0):
    """Random positions with radii in [0.5, 2] length units, in random directions."""
    rng = np.random.default_rng(seed)
    r1 = rng.normal(size=(n, 3))
    r2 = rng.normal(size=(n, 3))
    r1 *= (rng.uniform(0.5, 2.0, n) * length / np.linalg.norm(r1, axis=1))[:, None]
    r2 *= (rng.uniform(0.5, 2.0, n) * length / np.linalg.norm(r2, axis=1))[:, None]
    return rng, r1, r2


def _cases():
    """(revs, prograde, low_path) combinations: direct, and both branches for M = 1, 2."""
    out = [(0, True, True), (0, False, True)]
    out += [(m, pro, low) for m in (1, 2) for pro in (True, False) for low in (True, False)]
    return out


def _tofs(rng, r1, r2, m, prograde, mu=1.0, unit=1.0):
    if m == 0:
        return rng.uniform(0.1, 20.0, len(r1)) * unit
    # Multi-revolution: between 1.001 and 3 times the minimum time of flight.
    return min_tof(mu, r1, r2, m, prograde) * rng.uniform(1.001, 3.0, len(r1))


def test_curtis_example_5_2():
    # Curtis, Orbital Mechanics for Engineering Students, 2nd ed. (2009), Example 5.2:
    # r1 = (5000, 10000, 2100) km, r2 = (-14600, 2500, 7000) km, 1 h, prograde;
    # v1 = (-5.9925, 1.9254, 3.2456) km/s, v2 = (-3.3125, -4.1966, -0.38529) km/s.
    # Tolerance: half a unit of the 4th decimal printed.
    v1, v2, ok = lambert(
        MU_CURTIS, np.array([5000.0, 10000.0, 2100.0]) * KM,
        np.array([-14600.0, 2500.0, 7000.0]) * KM, 3600.0,
    )  # fmt: skip
    assert ok
    np.testing.assert_allclose(v1 / KM, [-5.9925, 1.9254, 3.2456], atol=0.5e-4)
    np.testing.assert_allclose(v2 / KM, [-3.3125, -4.1966, -0.38529], atol=0.5e-4)


def test_vallado_example_7_5():
    # Vallado, Fundamentals of Astrodynamics and Applications, 4th ed. (2013), Example 7-5,
    # p. 497: r0 = 15945.34 I km, r = 12214.83899 I + 10249.46731 J km, 76 min;
    # v0 = 2.058913 I + 2.915965 J km/s, v = -3.451565 I + 0.910315 J km/s.
    # The 5th edition (2022) prints 2.915964 and 0.910314 for two of them, so the printed
    # last digit is uncertain by one unit: tolerance 1.5e-6 km/s.
    v1, v2, ok = lambert(
        MU_VALLADO, np.array([15945.34, 0.0, 0.0]) * KM,
        np.array([12214.83899, 10249.46731, 0.0]) * KM, 76 * 60.0,
    )  # fmt: skip
    assert ok
    np.testing.assert_allclose(v1 / KM, [2.058913, 2.915965, 0.0], atol=1.5e-6)
    np.testing.assert_allclose(v2 / KM, [-3.451565, 0.910315, 0.0], atol=1.5e-6)


@pytest.mark.parametrize(("revs", "prograde", "low_path"), _cases())
def test_agrees_with_lamberthub(revs, prograde, low_path):
    lamberthub = pytest.importorskip(
        "lamberthub", reason="lamberthub (GPL-3.0) is the independent oracle: test-only dependency"
    )
    n = 300
    rng, r1, r2 = _random_problems(n, seed=100 + 10 * revs + 2 * prograde + low_path)
    tof = _tofs(rng, r1, r2, revs, prograde)
    v1, v2, ok = lambert(1.0, r1, r2, tof, revs, prograde, low_path)
    assert ok.all()
    worst_izzo = worst_gooding = 0.0
    for k in range(n):
        # lamberthub's signature: (mu, r1, r2, tof, M, prograde, low_path, maxiter, atol, rtol),
        # given positionally; tolerances tightened from its defaults (1e-5, 1e-7).
        ref = lamberthub.izzo2015(
            1.0, r1[k], r2[k], tof[k], revs, prograde, low_path, 35, 1e-13, 1e-13
        )
        worst_izzo = max(worst_izzo, _rel(v1[k], v2[k], *ref))
        if k % 3 == 0:  # Gooding's solver is pure Python (~80 us a call): a third of them
            ref = lamberthub.gooding1990(
                1.0, r1[k], r2[k], tof[k], revs, prograde, low_path, 35, 1e-13, 1e-13
            )
            worst_gooding = max(worst_gooding, _rel(v1[k], v2[k], *ref))
    # The brief's bar: 1e-8 relative in velocity against both independent solvers
    # (observed: ~1e-14).
    assert worst_izzo < 1e-8
    assert worst_gooding < 1e-8


def _rel(v1, v2, w1, w2):
    return max(
        np.linalg.norm(v1 - w1) / np.linalg.norm(w1), np.linalg.norm(v2 - w2) / np.linalg.norm(w2)
    )


def test_agrees_with_lamberthub_in_si_units():
    lamberthub = pytest.importorskip(
        "lamberthub", reason="lamberthub (GPL-3.0) is the independent oracle: test-only dependency"
    )
    # Heliocentric Earth-to-Mars scale: 1 AU lengths, tof 60 to 600 days.
    rng, r1, r2 = _random_problems(200, seed=5, length=AU_M)
    tof = rng.uniform(60, 600, 200) * DAY_S
    v1, v2, ok = lambert(GM_SUN, r1, r2, tof)
    assert ok.all()
    for k in range(200):
        ref = lamberthub.izzo2015(GM_SUN, r1[k], r2[k], tof[k], 0, True, True, 35, 1e-13, 1e-13)
        assert _rel(v1[k], v2[k], *ref) < 1e-8  # same bar as above


@pytest.mark.parametrize(("revs", "prograde", "low_path"), _cases())
def test_solutions_fly_to_r2(revs, prograde, low_path):
    rng, r1, r2 = _random_problems(2000, seed=7 + revs)
    tof = _tofs(rng, r1, r2, revs, prograde)
    v1, v2, ok = lambert(1.0, r1, r2, tof, revs, prograde, low_path)
    assert ok.all()
    r, v, okp = propagate_flagged(r1, v1, tof, 1.0)
    assert okp.all()
    # Kepler's universal-variable kernel, a different formulation, must land on r2 with
    # the Lambert velocity v2; the brief asks for 1e-6 relative (observed ~1e-10).
    np.testing.assert_array_less(np.linalg.norm(r - r2, axis=1), 1e-6 * np.linalg.norm(r2, axis=1))
    np.testing.assert_array_less(np.linalg.norm(v - v2, axis=1), 1e-6 * np.linalg.norm(v2, axis=1))
    hz = np.cross(r1, v1)[:, 2]
    assert np.all(hz >= 0) if prograde else np.all(hz <= 0)


def test_short_and_long_flights():
    lamberthub = pytest.importorskip(
        "lamberthub", reason="lamberthub (GPL-3.0) is the independent oracle: test-only dependency"
    )
    rng, r1, r2 = _random_problems(200, seed=11)
    for tof in (10 ** rng.uniform(-6, -3, 200), 10 ** rng.uniform(3, 5, 200)):
        v1, v2, ok = lambert(1.0, r1, r2, tof)
        assert ok.all()
        for k in range(0, 200, 4):
            ref = lamberthub.izzo2015(1.0, r1[k], r2[k], tof[k], 0, True, True, 35, 1e-13, 1e-13)
            # Far from the textbook range (x up to 1e6, or x within 1e-7 of -1) the
            # solution keeps the 1e-8 bar against the independent implementation.
            assert _rel(v1[k], v2[k], *ref) < 1e-8


def test_failure_flags():
    r1 = np.array([1.0, 0.0, 0.0])
    tiny = 0.1 * SIN_TRANSFER_MIN
    r2 = np.array(
        [[-1.5, 0.0, 0.0], [-1.5, 1.5 * tiny, 0.0], [2.0, 0.0, 0.0], [1.0, 2.0 * tiny, 0.0]]
    )
    v1, v2, ok = lambert(1.0, r1, r2, 3.0)
    # 180 degrees, 180 degrees minus 1e-8 rad, 0 degrees, 0 degrees plus 2e-8 rad:
    # the transfer plane is not determined, so no answer is given.
    assert not ok.any()
    assert np.isnan(v1).all() and np.isnan(v2).all()
    # Just outside the threshold the plane is defined and the answer is good.
    r2_ok = np.array([-1.5, 1.5 * 20 * SIN_TRANSFER_MIN, 0.0])
    v1, v2, ok = lambert(1.0, r1, r2_ok, 3.0)
    assert ok
    r, v, _ = propagate_flagged(r1, v1, 3.0, 1.0)
    assert np.linalg.norm(r - r2_ok) < 1e-6 * 1.5  # as in test_solutions_fly_to_r2
    # Non-positive or non-finite times of flight, and non-finite or zero positions.
    r2 = np.array([0.0, 1.5, 0.3])
    assert not lambert(1.0, r1, r2, np.array([0.0, -1.0, np.nan, np.inf]))[2].any()
    assert not lambert(1.0, [np.nan, 0, 0], r2, 1.0)[2]
    assert not lambert(1.0, [0.0, 0, 0], r2, 1.0)[2]
    with pytest.raises(InputError):
        lambert(-1.0, r1, r2, 1.0)
    with pytest.raises(InputError):
        lambert(1.0, r1, r2, 1.0, revs=-1)
    with pytest.raises(InputError):
        lambert(1.0, np.zeros((2, 2)), r2, 1.0)


def test_multi_rev_minimum_time():
    lamberthub = pytest.importorskip(
        "lamberthub", reason="lamberthub (GPL-3.0) is the independent oracle: test-only dependency"
    )
    _rng, r1, r2 = _random_problems(20, seed=3)
    for m in (1, 3):
        tmin = min_tof(1.0, r1, r2, m)
        s = 0.5 * (np.linalg.norm(r1, axis=1) + np.linalg.norm(r2, axis=1))
        s += 0.5 * np.linalg.norm(r2 - r1, axis=1)
        # Izzo's eq. for T(x) has the term M pi / (1 - x^2)^1.5 >= M pi, in his time unit
        assert np.all(tmin * np.sqrt(2.0 / s**3) > m * np.pi)
        for low in (True, False):
            below = lambert(1.0, r1, r2, tmin * (1 - 1e-6), m, True, low)
            above = lambert(1.0, r1, r2, tmin * (1 + 1e-6), m, True, low)
            assert not below[2].any() and np.isnan(below[0]).all()
            assert above[2].all()
        for k in range(20):
            # lamberthub (its own T_min) agrees there is no solution 1e-3 below the minimum
            with pytest.raises(ValueError):
                lamberthub.izzo2015(
                    1.0, r1[k], r2[k], tmin[k] * 0.999, m, True, True, 35, 1e-13, 1e-13
                )
    # Too many revolutions for the time: no solution; M = 0 always has one.
    assert not lambert(1.0, r1[0], r2[0], 1.0, 5)[2]
    assert min_tof(1.0, r1[0], r2[0], 0) == 0.0


def test_shapes_and_lambert_all():
    _rng, r1, r2 = _random_problems(5, seed=2)
    v1, v2, ok = lambert(1.0, r1[0], r2, 4.0)  # (3,) broadcast against (N, 3)
    assert v1.shape == (5, 3) and ok.shape == (5,)
    s1, s2, sok = lambert(1.0, r1[0], r2[0], 4.0)
    assert s1.shape == (3,) and isinstance(sok, bool)
    np.testing.assert_array_equal(s1, v1[0])
    revs, low, v1, v2, ok = lambert_all(1.0, r1, r2, 40.0, 2)
    assert revs.tolist() == [0, 1, 1, 2, 2] and low.tolist() == [True, True, False, True, False]
    assert v1.shape == (5, 5, 3) and ok.shape == (5, 5)
    for j in range(5):
        good = ok[:, j]
        r, _v, _ = propagate_flagged(r1[good], v1[good, j], 40.0, 1.0)
        # same bar as test_solutions_fly_to_r2
        assert np.all(
            np.linalg.norm(r - r2[good], axis=1) < 1e-6 * np.linalg.norm(r2[good], axis=1)
        )
    # Two different solutions for each M >= 1 where both exist.
    both = ok[:, 1] & ok[:, 2]
    assert np.all(np.linalg.norm(v1[both, 1] - v1[both, 2], axis=1) > 1e-3)
