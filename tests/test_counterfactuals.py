"""Counterfactual flights of the missions that never left the Earth.

Eight Soviet missions of 1960-1964 and 1969 and Mars 96 failed at launch or in Earth orbit.
Their ``[flight]`` tables carry the design they were flown to (arrival dates, course
corrections, aim points, capture orbits: sources and choices in the mission files' notes),
so that the replay without the documented faults flies on by physics. Two things are
checked for each: with its faults the replay still ends in the recorded outcome, and
without them it reaches the outcome and the date its design called for. The design dates
come from the sources; the dates flown are outputs of the escape, the n-body cruise and
the corrections.

Date tolerances are one day: the sources give the planned arrival as a date only (the
mission files pin noon, a choice), and an impact comes minutes before the noon periapsis
of its sub-surface hyperbola.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pytest

from marsprobe import catalog
from marsprobe.analysis.race import recorded_milestones
from marsprobe.constants import DAY_S
from marsprobe.mission.replay import replay
from marsprobe.mission.scenario import parse_faults
from marsprobe.mission.spacecraft import load_spacecraft
from marsprobe.time import tdb_from_utc

FAILED_AT_HOME = [
    "1m-no-1",
    "1m-no-2",
    "sputnik-22",
    "sputnik-24",
    "cosmos-21",
    "3mv-1a-no-2",
    "m-69-no-521",
    "m-69-no-522",
    "mars-96",
]


def _faults(slug: str) -> tuple[str, ...]:
    return tuple(f.id for f in parse_faults(catalog.load(slug)))


@cache
def flown(slug: str):
    """The replay of ``slug`` without any of its documented faults."""
    return replay(catalog.load(slug), _faults(slug))


@cache
def firsts() -> dict:
    return recorded_milestones(catalog.all_missions())


def _event(r, name: str):
    event = r.event(name)
    assert event is not None, f"{r.slug}: no '{name}' event"
    return event


def _days_from(epoch: float, utc: str) -> float:
    return abs(epoch - tdb_from_utc(utc)) / DAY_S


@pytest.mark.parametrize("slug", FAILED_AT_HOME)
def test_with_its_faults_the_replay_keeps_its_recorded_outcome(slug):
    # The flight tables added for the counterfactual must not change what the faults do:
    # each still ends where its record says (launch failure or stranded in Earth orbit).
    m = catalog.load(slug)
    assert replay(m).outcome == list(m.record.outcome.value)


@pytest.mark.parametrize(
    ("slug", "planned"),
    [
        # nasa-sse@1m-1/in-depth and @1m-2/in-depth (after Siddiqi 2018): flybys planned for
        # 13 and 15 May 1961.
        ("1m-no-1", "1961-05-13"),
        ("1m-no-2", "1961-05-15"),
        # nasa-sse@2mv-4-1/in-depth: the 2MV-4 was designed to fly by on 17 June 1963.
        ("sputnik-22", "1963-06-17"),
    ],
)
def test_flyby_craft_pass_mars_before_mariner_4(slug, planned):
    r = flown(slug)
    assert r.outcome == ["flyby"]
    ca = _event(r, "closest_approach")
    assert _days_from(ca.epoch, planned) <= 1.0
    # The 1960 and 1962 windows came years before Mariner 4's recorded flyby (1965-07-15):
    # either craft would have been first, had its rocket worked.
    assert ca.epoch < tdb_from_utc(firsts()["first_flyby"].date_utc)
    # The design flyby distance (about 11,000 km, a choice: see the mission files) is met by
    # the correction to within 1 km (its convergence test is 100 m in the B-plane).
    assert ca.data["altitude_km"] == pytest.approx(11000.0, abs=1.0)


def test_2mv3_impact_craft_hits_mars_in_june_1963():
    r = flown("sputnik-24")
    # nasa-sse@2mv-3-1/in-depth: objective Mars impact, arrival 21 June 1963. The craft is
    # aimed whole at the planet (the capsule's mass is unknown, so no separation is flown).
    assert r.outcome == ["lander_crashed"]
    assert r.flight.arrival.end == "impact"  # as aimed (aim_periapsis_km < 0), not a carrier's
    landing = _event(r, "landing")
    assert landing.data["detail"] == "impact"
    assert _days_from(landing.epoch, "1963-06-21") <= 1.0
    # Eight years before Mars 2's capsule, the recorded first object on Mars (1971-11-27).
    assert landing.epoch < tdb_from_utc(firsts()["first_impact"].date_utc)


@pytest.mark.parametrize(
    ("slug", "end"), [("cosmos-21", "1964-05-11"), ("3mv-1a-no-2", "1964-06-19")]
)
def test_object_probes_fly_their_deep_space_tests(slug, end):
    r = flown(slug)
    # Test flights aimed at no planet (target = "deep-space"): they count as flown when the
    # craft leaves the Earth and lives to the end of the planned test (six and four months,
    # russianspaceweb@3mv_kosmos21.html and nasa-sse@3mv-1a-4a/in-depth).
    assert r.outcome == ["deep_space_test"]
    assert r.flight.cruise.t_end == pytest.approx(tdb_from_utc(end))
    assert r.flight.arrival.heliocentric_orbit is not None


def test_cosmos_21_escape_energy_is_the_5_degree_tilt_of_the_earths_orbit():
    # russianspaceweb: a solar orbit tilted 5 deg to the ecliptic, 12-16 million km from the
    # Earth after three months. Turning the Earth's heliocentric velocity by 5 deg needs an
    # excess speed of 2 v sin(2.5 deg), v the Earth's speed on the launch day (DE421); the
    # mission file's C3 (6.89 km2/s2) is that, rounded to 0.01 (hence 0.1 %).
    from marsprobe.ephemeris import state

    _, v_earth = state("earth", tdb_from_utc("1963-11-11T06:23:34Z"), "sun")
    v_inf = 2.0 * np.linalg.norm(v_earth) * math.sin(math.radians(2.5))
    assert (v_inf / 1e3) ** 2 == pytest.approx(6.89, rel=1e-3)
    # and the stage cuts off at that energy (an event stop of the burn integrator)
    assert flown("cosmos-21").launch.departure.c3_km2_s2 == pytest.approx(6.89, abs=1e-3)


@pytest.mark.parametrize(
    ("slug", "planned"), [("m-69-no-521", "1969-09-11"), ("m-69-no-522", "1969-09-15")]
)
def test_m69_orbiters_enter_mars_orbit_in_1969(slug, planned):
    r = flown(slug)
    # nasa-sse@m-69-521/in-depth and @m-69-522/in-depth: Mars orbit on 11 and 15 September
    # 1969, about 1,700 x 34,000 km at 40 deg.
    assert r.outcome == ["orbiter"]
    moi = _event(r, "orbit_insertion")
    assert _days_from(moi.epoch, planned) <= 1.0
    # two years before Mariner 9, the recorded first orbiter (1971-11-14)
    assert moi.epoch < tdb_from_utc(firsts()["first_orbiter"].date_utc)
    orbit = r.flight.arrival.capture_orbit
    # The craft's own engine paid for part of the escape from the same tanks (m69.toml's
    # 2,585 kg, itself a derived upper bound), so the insertion runs dry short of the design
    # energy: captured at the design periapsis, in an orbit longer than the planned one.
    assert r.flight.arrival.moi.end == "propellant exhausted"
    assert orbit.periapsis_km == pytest.approx(1700.0, rel=0.01)
    assert 34000.0 < orbit.apoapsis_km < 200000.0
    assert orbit.inclination_deg == pytest.approx(40.0, abs=0.5)


@pytest.mark.parametrize("slug", ["m-69-no-521", "m-69-no-522"])
def test_the_block_d_alone_cannot_send_the_m69(slug):
    # Why the escape design once reported 'the stage cannot reach that C3': 4,850 kg (the
    # catalog's mass) on the model's Proton-K/D. Flown with the Block D only (no cut by the
    # velocity meter, no burn of the craft's own engine), the stage runs dry short of the
    # design C3; the mission files fly the scheme kosmo-spaceprobes@cid=76 describes, the
    # craft's propulsion unit finishing the escape.
    from marsprobe.analysis.guidance_design import launch_inputs
    from marsprobe.mission.launch import fly_launch

    inputs = launch_inputs(slug, faults=False)
    alone = inputs.escape.model_copy(update={"stage_dv_m_s": math.inf, "spacecraft_thrust_kn": 0.0})
    res = fly_launch(*inputs.ascent, alone)
    failure = res.event("escape_failure")
    assert failure is not None and "depleted" in failure.detail
    assert res.departure.c3_km2_s2 < inputs.escape.aim_c3_km2_s2 - 3.0
    # with the scheme, the craft's engine burns part of its own load
    burn = flown(slug).launch.extra["spacecraft_burn"]
    assert 0.0 < burn["propellant_used_kg"] < load_spacecraft("m69").propellant_kg


@pytest.mark.parametrize("slug", ["m-69-no-521", "m-69-no-522", "mars-96"])
def test_the_cruise_starts_with_what_the_escape_left_in_the_tanks(slug):
    # The craft's engine finished the escape from its own tanks: the cruise must start with
    # the spacecraft file's load less that burn (Departure.propellant_used_kg).
    r = flown(slug)
    used = r.launch.extra["spacecraft_burn"]["propellant_used_kg"]
    assert used > 0.0 and r.launch.departure.propellant_used_kg == used
    spacecraft = load_spacecraft(r.flight.cruise.params.spacecraft)
    spent_in_cruise = sum(
        e.data.get("propellant_kg", 0.0) for e in r.flight.cruise.events if e.name == "tcm"
    )
    left = spacecraft.propellant_kg - used - spent_in_cruise
    assert r.flight.cruise.propellant_kg == pytest.approx(left, abs=0.5)


def test_mars_96_enters_mars_orbit_on_its_planned_date():
    r = flown("mars-96")
    # nssdca@MARS96E: arrival 12 September 1997; a 3-day capture orbit with the 300 km
    # periapsis it was to be trimmed to (the mission file's design, see its note).
    assert r.outcome == ["orbiter"]
    assert _days_from(_event(r, "orbit_insertion").epoch, "1997-09-12") <= 1.0
    orbit = r.flight.arrival.capture_orbit
    assert orbit.period_min / 60.0 / 24.0 == pytest.approx(3.0, rel=0.01)
    assert orbit.periapsis_km == pytest.approx(300.0, abs=5.0)
