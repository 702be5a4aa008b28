"""Sweeps (marsprobe sweep): one mission across one parameter, and where its class changes."""

from __future__ import annotations

import json

import pytest

from marsprobe import catalog
from marsprobe.analysis.sweep import MAX_POINTS, parse_range, sweep
from marsprobe.errors import InputError
from marsprobe.mission.scenario import flight_plan
from marsprobe.mission.what_if import with_parameter


def test_a_range_is_parsed_and_bad_ones_refused_in_one_line():
    assert parse_range("arrival.entry_fpa_deg=-25:-5:41") == ("arrival.entry_fpa_deg", -25, -5, 41)
    for bad in ("arrival.entry_fpa_deg=-25:-5", "x=a:b:3", f"a.b=0:1:{MAX_POINTS + 1}", "=1:2:3"):
        with pytest.raises(InputError):
            parse_range(bad)


def test_the_swept_value_flies_over_the_fault_that_set_it():
    # Mars 2's fault sets arrival.entry_fpa_deg = -20 (inferred from its crash); a sweep of
    # the angle must fly the swept value, declared chosen, not the fault's.
    m = with_parameter(catalog.load("mars-2"), "arrival.entry_fpa_deg", -12.5)
    plan = flight_plan(m)
    assert plan.get("arrival").entry_fpa_deg == -12.5
    assert plan.roles["arrival.entry_fpa_deg"].role == "chosen"
    with pytest.raises(InputError, match="no parameter"):
        with_parameter(catalog.load("mars-2"), "arrival.not_a_parameter", 1.0)


@pytest.mark.slow
def test_mars_2_lander_breaks_up_steep_and_lands_shallower(cli):
    # The M-71 vehicle file's structural limit is 13.5 g (chosen there, issue 16); at -20 deg
    # the replay's peak load is 18 g (commit 27485c1), at -12 deg about 9 g: one boundary.
    code, out, _ = cli(
        "sweep", "mars-2", "arrival.entry_fpa_deg=-20:-12:2", "--workers", "1", "--json"
    )
    assert code == 0
    data = json.loads(out)
    classes = [p["outcome_class"] for p in data["points"]]
    assert classes == ["orbiter, lander_crashed (broke_up)", "orbiter, lander_soft_landed"]
    (b,) = data["boundaries"]
    assert (b["below"], b["above"]) == (-20.0, -12.0)
    assert data["points"][0]["figures"]["peak_g_load_g"] > 13.5
    assert data["points"][1]["figures"]["peak_g_load_g"] < 13.5


def test_direct_call_refuses_too_many_points():
    with pytest.raises(InputError):
        sweep("mars-2", "arrival.entry_fpa_deg", -25, -5, MAX_POINTS + 1)


def test_refine_bisects_each_boundary_towards_the_true_one(monkeypatch):
    """A stand-in flight whose class changes at exactly 0.3: each round halves the interval
    around it (5 values 0.25 apart, two rounds: 0.0625), and the class runs stay exact."""
    from marsprobe.analysis import sweep as engine

    def flown(slug, parameter, value, without):
        return engine.SweepPoint(value, "low" if value < 0.3 else "high")

    monkeypatch.setattr(engine, "fly_point", flown)
    coarse = engine.Sweep("x", "a.b", [flown("x", "a.b", v, ()) for v in (0, 0.25, 0.5, 0.75, 1)])
    fine = engine.refine(coarse, 2, workers=1)
    (b,) = fine.boundaries
    assert b.below < 0.3 <= b.above and b.above - b.below == pytest.approx(0.0625)
    assert [p.value for p in fine.points] == sorted(p.value for p in fine.points)
    assert len(fine.points) == 7  # one flight per boundary per round
    assert (
        engine.refine(engine.Sweep("x", "a.b", coarse.points[:1]), 3, workers=1).points
        == (coarse.points[:1])
    )
