"""The shipped catalog: 29 missions, every figure sourced, every named disagreement kept."""

from __future__ import annotations

import pytest

from marsprobe import catalog
from marsprobe.catalog.conflicts import source_conflicts
from marsprobe.catalog.consistency import check_catalog
from marsprobe.catalog.findings import all_conflicts
from marsprobe.catalog.loader import iter_facts, iter_source_refs

SOVIET = [
    "1m-no-1",
    "1m-no-2",
    "sputnik-22",
    "mars-1",
    "sputnik-24",
    "cosmos-21",
    "3mv-1a-no-2",
    "zond-2",
    "zond-3",
    "m-69-no-521",
    "m-69-no-522",
    "cosmos-419",
    "mars-2",
    "mars-3",
    "mars-4",
    "mars-5",
    "mars-6",
    "mars-7",
    "phobos-1",
    "phobos-2",
    "mars-96",
]
US = [
    "mariner-3",
    "mariner-4",
    "mariner-6",
    "mariner-7",
    "mariner-8",
    "mariner-9",
    "viking-1",
    "viking-2",
]


def test_the_catalog_holds_the_29_launches():
    by_program = {
        p: {m.slug for m in catalog.all_missions() if m.program == p} for p in ("soviet", "us")
    }
    assert by_program["soviet"] == set(SOVIET)
    assert by_program["us"] == set(US)


def test_missions_are_in_launch_order():
    launches = [m.launch_utc.value for m in catalog.all_missions()]
    assert launches == sorted(launches)


def test_every_value_has_a_source_in_the_registry():
    registry = catalog.sources()
    for mission in catalog.all_missions():
        facts = list(iter_facts(mission))
        assert facts, mission.slug
        for path, fact in facts:
            assert fact.src, f"{mission.slug}: {path} has no source"
        for path, ref in iter_source_refs(mission):
            assert ref.id in registry, f"{mission.slug}: {path} cites unknown {ref.id}"


def test_the_four_seeds_are_registered_by_file_name():
    seeds = {s.file for s in catalog.sources().values() if s.seed}
    assert seeds == {
        "000_70f349aa415e466e.txt",
        "001_6bc26e764f32aa20.txt",
        "002_d3f98a46457d5b1f.txt",
        "003_fa6a318af82a3965.txt",
    }


def test_every_recorded_mission_has_an_outcome():
    for mission in catalog.all_missions():
        assert mission.record is not None and mission.record.outcome.value, mission.slug


def conflict(slug, topic_part):
    found = [c for c in source_conflicts(slug) if topic_part in c.topic]
    assert found, f"no conflict on {topic_part!r} for {slug}"
    return found[0]


def claimed_values(c):
    return [claim["value"] for claim in c.claims]


# The disagreements issue 2 names, each with what the seeds say.
def test_cosmos_419_timer():
    c = conflict("cosmos-419", "escape_failure")
    text = " ".join(str(v) for v in claimed_values(c)) + " " + c.reason
    assert "150" in text  # hours, in 000_70f349aa415e466e.txt at 00:29:14


def test_cosmos_419_launch_date():
    c = conflict("cosmos-419", "launch_utc")
    assert c.chosen.startswith("1971-05-10")  # 002_d3f98a46457d5b1f.txt L73
    assert any(str(v).startswith("1971-05-09") for v in claimed_values(c))  # the video


def test_mars_3_launch_date():
    c = conflict("mars-3", "launch_utc")
    assert c.chosen.startswith("1971-05-28")
    assert any(str(v).startswith("1971-05-21") for v in claimed_values(c))


def test_mars_3_transmission():
    c = conflict("mars-3", "surface_transmission_end")
    assert {20.0, 14.5} <= {float(v) for v in claimed_values(c)}


def test_cosmos_419_parking_orbit():
    c = conflict("cosmos-419", "orbits[0:parking].periapsis_km")
    assert {134.0, 159.0} <= {float(v) for v in claimed_values(c)}


def test_mars_3_orbit_is_flagged_by_kepler():
    findings = [f for f in check_catalog() if f.mission == "mars-3"]
    assert any(f.extra.get("source") == "002_d3f98a46457d5b1f.txt" for f in findings)


def test_launch_year_of_mars_6_and_7_in_the_article():
    topics = [c for c in all_conflicts() if c.mission is None and "Launch years" in c.topic]
    assert topics
    sources = {s["id"] for claim in topics[0].claims for s in claim["sources"]}
    assert "001_6bc26e764f32aa20.txt" in sources


def test_contradicted_claims_are_marked():
    verdicts = [claim["verdict"] for c in all_conflicts() for claim in c.claims]
    assert verdicts.count("contradicted") >= 10
    assert "unsupported" in verdicts


@pytest.mark.parametrize("slug", ["mars-2", "mars-5", "sputnik-22"])
def test_stated_periods_fit_kepler(slug):
    assert [f for f in check_catalog() if f.mission == slug] == []
