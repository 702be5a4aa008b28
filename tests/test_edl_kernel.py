"""The compiled kernel's answers are pinned to its own error control, row by row and per thread.

A dispersed Viking-1 batch (entry speed and angle, mass, drag, density, winds) is flown at the
shipped step rule and at a quarter of every step limit; the quarter-step flight is the
reference (RK4 error falls ~256-fold per quartering of a smooth step, the trigger location
error at least ~4-fold), so a change to the kernel that alters its answers beyond the step
rule's stated tolerance (tests/test_edl_fly.py::test_step_halving_converges: 0.5 s, 0.5 m/s,
50 m) fails here, while a change that only reorders the arithmetic does not.
"""

from __future__ import annotations

import numba
import numpy as np

from marsprobe.edl import EntryState, fly, sample_dispersions

N = 6


def _batch(step_scale=1.0):
    rng = np.random.default_rng(14)
    e = EntryState(
        altitude_m=np.full(N, 120e3),
        speed_m_s=4420.0 + 20.0 * rng.standard_normal(N),
        fpa_deg=-16.99 + 0.25 * rng.standard_normal(N),
        heading_deg=np.full(N, 90.0),
        lat_deg=np.full(N, 22.0),
        lon_deg=np.full(N, -48.0),
    )
    disp = sample_dispersions("viking1", N, rng, atmosphere="pathfinder-1997")
    disp["ground_altitude_m"] = -4000.0
    return fly(e, "viking1", atmosphere="pathfinder-1997", dispersions=disp, step_scale=step_scale)


def test_dispersed_batch_stays_within_the_step_rule_tolerance():
    a, ref = _batch(1.0), _batch(0.25)
    np.testing.assert_array_equal(a.outcome, ref.outcome)
    np.testing.assert_array_equal(a.phase, ref.phase)
    # the tolerances the step rule is justified by (test_step_halving_converges)
    np.testing.assert_allclose(a.td("t_s"), ref.td("t_s"), atol=0.5, rtol=0)
    np.testing.assert_allclose(a.td("speed_m_s"), ref.td("speed_m_s"), atol=0.5, rtol=0)
    dlat = np.radians(a.td("lat_deg") - ref.td("lat_deg"))
    dlon = np.radians(a.td("lon_deg") - ref.td("lon_deg")) * np.cos(np.radians(ref.td("lat_deg")))
    assert np.all(np.hypot(dlat, dlon) * 3.39e6 < 50.0)
    # the main chute fires on radar altitude: its time within the same 0.5 s
    np.testing.assert_allclose(
        a.event("main_chute"), ref.event("main_chute"), atol=0.5, rtol=0, equal_nan=True
    )


def test_answers_do_not_depend_on_the_thread_count():
    # Each trajectory is flown by one thread from its own row alone, so the thread count (and
    # how the rows are chunked over threads) cannot change a bit of any answer.
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = _batch()
    finally:
        numba.set_num_threads(before)
    many = _batch()
    np.testing.assert_array_equal(one.events, many.events)
    np.testing.assert_array_equal(one.touchdown_array, many.touchdown_array)
    np.testing.assert_array_equal(one.outcome, many.outcome)
