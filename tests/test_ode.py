"""marsprobe.orbits.ode against scipy's solve_ivp, the integrator it stands in for."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.integrate._ivp.rk import RK45
from scipy.optimize import brentq

from marsprobe.constants import GM_EARTH
from marsprobe.orbits.ode import _RK45_A, _RK45_B, _RK45_C, _RK45_E, _RK45_P, brent_root, solve


def _kepler(t, y):
    r = math.sqrt(y[0] ** 2 + y[1] ** 2 + y[2] ** 2)
    k = -GM_EARTH / r**3
    return [y[3], y[4], y[5], k * y[0], k * y[1], k * y[2]]


def _below(t, y):
    return math.sqrt(y[0] ** 2 + y[1] ** 2 + y[2] ** 2) - 6.9e6


_below.terminal = True
_below.direction = -1


def _node(t, y):
    return y[2]


Y0 = [7.0e6, 0.0, 0.0, 0.0, 7.0e3, 2.0e3]  # an ellipse dipping below 6,900 km


def test_rk45_tableau_is_scipys():
    # The RK45 numbers are written out in ode.py; scipy's class holds the same published ones.
    for ours, theirs in ((_RK45_A, RK45.A), (_RK45_B, RK45.B), (_RK45_C, RK45.C)):
        assert np.array_equal(ours, theirs)
    assert np.array_equal(_RK45_E, RK45.E)
    assert np.array_equal(_RK45_P, RK45.P)


@pytest.mark.parametrize("method", ["DOP853", "RK45"])
@pytest.mark.parametrize("events", [[], [_node], [_node, _below]])
def test_same_steps_and_events_as_solve_ivp(method, events):
    # Same tableau, control and event location as scipy: the same accepted steps, the same
    # number of right-hand side calls and the same states. Exact equality is what the
    # arithmetic gives (the operations are done in scipy's order); 1e-9 m would also pass
    # a change of order, far below the 1 mm absolute tolerance of the ascent.
    kw = dict(method=method, rtol=1e-9, atol=1e-6)
    if method == "RK45":
        kw["max_step"] = 3000.0
    ref = solve_ivp(_kepler, (0.0, 20000.0), Y0, events=events or None, **kw)
    got = solve(_kepler, (0.0, 20000.0), Y0, events=events, **kw)
    assert got.status == ref.status
    assert got.nfev == ref.nfev
    np.testing.assert_allclose(got.t, ref.t, rtol=0, atol=1e-9)
    np.testing.assert_allclose(got.y, ref.y, rtol=0, atol=1e-9)
    for k in range(len(events)):
        np.testing.assert_allclose(got.t_events[k], ref.t_events[k], rtol=0, atol=1e-9)
        if ref.y_events[k].size:
            np.testing.assert_allclose(got.y_events[k], ref.y_events[k], rtol=0, atol=1e-9)
    if _below in events:
        assert got.status == 1 and got.t_events[1].size == 1  # the dip ends the flight


def test_first_step_and_max_step_are_honoured():
    # A given first step and a step cap (the orbital decay's half day) are used as given.
    got = solve(_kepler, (0.0, 5000.0), Y0, method="RK45", first_step=10.0, max_step=50.0)
    ref = solve_ivp(_kepler, (0.0, 5000.0), Y0, method="RK45", first_step=10.0, max_step=50.0)
    assert got.t[1] == pytest.approx(10.0)
    assert np.max(np.diff(got.t)) <= 50.0
    np.testing.assert_allclose(got.y[:, -1], ref.y[:, -1], rtol=0, atol=1e-9)


def test_brent_root_lands_where_brentq_does():
    # Brent's method in scipy's form: same iterates, so the same root to the last place
    # (4 eps relative is the convergence test of both).
    for f, a, b in (
        (lambda x: math.cos(x) - x, 0.0, 1.5),
        (lambda x: x**3 - 2.0 * x - 5.0, 2.0, 3.0),
        (lambda x: math.exp(x) - 1e3, 0.0, 20.0),
    ):
        ref = brentq(f, a, b, xtol=4 * np.finfo(float).eps, rtol=4 * np.finfo(float).eps)
        assert brent_root(f, a, b) == pytest.approx(ref, rel=8 * np.finfo(float).eps)
