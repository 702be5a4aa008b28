"""Outcome classes decided by physics against written-down thresholds
(mission/data/outcome_thresholds.toml), and numerical failures that are never outcomes."""

from __future__ import annotations

import pytest

from marsprobe import catalog
from marsprobe.constants import SOI_MARS
from marsprobe.errors import ConvergenceError, CouldNotFly
from marsprobe.mission import replay as replay_module
from marsprobe.mission.outcome_rules import (
    classify_orbit,
    classify_pass,
    lander_decisions,
    thresholds,
)
from marsprobe.mission.replay import replay
from marsprobe.mission.what_if import with_parameter


def test_the_flyby_threshold_is_mars_sphere_of_influence():
    # Laplace radius 1.5237 au (GM_Mars/GM_Sun)^(2/5) = 5.77e8 m (constants.SOI_MARS).
    assert thresholds().flyby.max_distance_km.value == pytest.approx(SOI_MARS / 1e3, rel=1e-3)


def test_a_pass_is_a_flyby_only_inside_the_sphere_of_influence():
    assert classify_pass(11_000.0).outcome == "flyby"
    assert classify_pass(602_000.0).outcome == "missed_mars"


def test_a_pass_below_the_top_of_the_atmosphere_is_no_flyby():
    # the orbiter's threshold (125 km, outcome_thresholds.toml) bounds a pass too: a craft
    # that dips to 50 km has flown through the atmosphere, whatever its orbit
    decision = classify_pass(50.0)
    assert decision.outcome == "entered_atmosphere"
    assert decision.limit == thresholds().orbiter.min_periapsis_km.value
    assert classify_pass(130.0).outcome == "flyby"


def test_an_orbit_through_the_atmosphere_is_not_an_orbiter():
    assert classify_orbit(1_380.0).outcome == "orbiter"  # Mars 2's recorded periapsis
    assert classify_orbit(60.0).outcome == "entered_atmosphere"


def test_the_lander_is_judged_against_its_vehicles_limits():
    td = {"peak_g_load": 18.0, "heat_load_j_cm2": 900.0, "speed_m_s": 3.0}
    limits = {"g_limit": 13.5, "heat_load_limit_j_cm2": 1700.0, "survival_speed_m_s": 4.0}
    got = {d.figure: d.outcome for d in lander_decisions(td, limits)}
    assert got == {"peak g-load": "broke_up", "heat load": "within", "touchdown speed": "within"}


def test_mars_1_without_its_leak_misses_mars_outside_the_sphere_of_influence():
    # The 2MV-4 flew no course correction that reached Mars (its leak ended the flight);
    # without the leak its uncorrected path passes about 600,000 km from Mars' centre,
    # beyond the 577,000 km sphere of influence: no encounter.
    r = replay(catalog.load("mars-1"), ("attitude-gas-leak",))
    assert r.outcome == ["missed_mars"]
    (decision,) = r.decisions
    assert decision.value > decision.limit


def test_a_steep_viking_is_destroyed_by_its_load_not_missed():
    # At -25 deg the de-orbit point targeting has no solution from the design separation;
    # the capsule flies the cheapest burn for the angle, enters, and exceeds the 13 g
    # structural limit of its vehicle file (edl/data/vehicles/viking1.toml, chosen there).
    m = with_parameter(catalog.load("viking-1"), "arrival.entry_fpa_deg", -25.0)
    r = replay(m)
    assert "lander_missed_planet" not in r.outcome
    assert r.outcome[-1] == "lander_crashed"
    assert any(d.outcome == "broke_up" for d in r.decisions)


def test_a_solver_failure_is_a_flight_that_could_not_fly(monkeypatch):
    def fails(*args, **kwargs):
        raise ConvergenceError("the test's solver did not converge")

    monkeypatch.setattr(replay_module, "_fly_to_mars", fails)
    with pytest.raises(CouldNotFly, match=r"mars-3 could not fly: cruise and arrival: the test"):
        replay(catalog.load("mars-3"))


def test_replay_all_shows_a_mission_that_could_not_fly_and_fails(cli, monkeypatch):
    from marsprobe.analysis import catalog_replay

    def rows(workers=None, progress=None):
        return [
            {
                "slug": "mars-3",
                "name": "Mars 3",
                "recorded_outcome": ["orbiter"],
                "simulated_outcome": [],
                "match": False,
                "error": "mars-3 could not fly: descent: the solver did not converge",
                "figures_within_tolerance": 0,
                "figures_compared": 0,
                "predictions_within_tolerance": 0,
                "predictions_compared": 0,
            }
        ]

    monkeypatch.setattr(catalog_replay, "replay_catalog", rows)
    code, out, err = cli("replay", "--all")
    assert code == 1
    assert "could not fly" in out and "mars-3 could not fly: descent" in err
