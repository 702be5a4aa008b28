"""Declared provenance: every flown value has a validated role (mission.provenance)."""

from __future__ import annotations

import copy

import pytest

from marsprobe.catalog import load, slugs
from marsprobe.errors import ScenarioError
from marsprobe.mission.provenance import RECORD_PATH, resolve
from marsprobe.mission.scenario import declared_roles, flight_plan, parse_faults


def _with_flight(slug: str, edit):
    mission = load(slug)
    flight = copy.deepcopy(mission.flight)
    edit(flight)
    return mission.model_copy(update={"flight": flight})


@pytest.mark.parametrize("slug", slugs())
def test_every_flown_value_has_a_role(slug):
    mission = load(slug)
    roles = declared_roles(mission, parse_faults(mission))
    for phase, table in mission.flight.items():
        if isinstance(table, dict) and phase != "roles":
            for key in table:
                if key not in ("src", "note", "roles"):
                    assert f"{phase}.{key}" in roles
    for path in (p.record_path for p in roles.values()):
        if path and ":" in path.split("record.")[0]:  # a twin's record: it must name a figure
            other, _, rest = path.partition(":")
            assert resolve(load(other).record, rest) is not None, path


def test_a_value_without_a_role_is_an_error():
    def drop(flight):
        del flight["launch"]["roles"]["parking_perigee_km"]

    with pytest.raises(ScenarioError, match="parking_perigee_km: the value declares no role"):
        flight_plan(_with_flight("cosmos-419", drop))


def test_a_role_needs_its_detail_and_a_real_record_path():
    def no_path(flight):
        flight["launch"]["roles"]["parking_perigee_km"] = "achieved"

    with pytest.raises(ScenarioError, match="needs the record path"):
        flight_plan(_with_flight("cosmos-419", no_path))

    def wrong_path(flight):
        flight["launch"]["roles"]["parking_perigee_km"] = "achieved: record.orbits.capture.x_km"

    with pytest.raises(ScenarioError, match="names nothing in"):
        flight_plan(_with_flight("cosmos-419", wrong_path))

    def unknown(flight):
        flight["escape"]["roles"]["stack_area_m2"] = "guessed: why not"

    with pytest.raises(ScenarioError, match="is not a role"):
        flight_plan(_with_flight("cosmos-419", unknown))


def test_the_issue_s_named_roles():
    """The cases the provenance work was asked to get right (issue 11)."""
    mars4 = flight_plan(load("mars-4")).roles["cruise.aim_periapsis_km"]
    assert (mars4.role, mars4.detail) == ("achieved", "mars-5:record.orbits.capture.periapsis_km")
    assert flight_plan(load("mars-2")).roles["arrival.entry_fpa_deg"].role == "inferred"
    m69 = flight_plan(load("m-69-no-521")).roles["launch.explosion_t_s"]
    assert (m69.role, m69.detail) == ("fault", "record.events.engine_failure.t_s")
    cutoff = flight_plan(load("mariner-8")).roles["launch.engine_cutoff_t_s"]
    assert cutoff.role == "fault"
    guidance = flight_plan(load("mars-3")).roles["launch.guidance"]
    assert guidance.generated
    assert RECORD_PATH.match("record.events.closest_approach@lander#2.distance_km")
