"""The mission schema and the loader: what fits, what does not, and the one-line errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from marsprobe.catalog.loader import load_file
from marsprobe.errors import CatalogError
from marsprobe.facts import Fact, SourceRef, unit_of

CHRONOLOGY = "002_d3f98a46457d5b1f.txt"

MINIMAL = f"""
slug = "test-probe"
program = "soviet"
summary = "A probe made up for the tests."
name = {{value = "Test Probe", src = ["{CHRONOLOGY}@L1"]}}
launch_utc = {{value = "1971-05-28T15:26:30Z", src = ["{CHRONOLOGY}@L85"]}}
site = {{value = "Baikonur", src = ["{CHRONOLOGY}@L85"]}}
vehicle = {{value = "Proton-K/D", src = ["{CHRONOLOGY}@L85"]}}
spacecraft = {{value = "M-71", src = ["{CHRONOLOGY}@L87"]}}
mission_type = {{value = "orbiter", src = ["{CHRONOLOGY}@L87"]}}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "probe.toml"
    path.write_text(textwrap.dedent(text))
    return path


def test_minimal_mission_loads(tmp_path):
    mission = load_file(write(tmp_path, MINIMAL))
    assert mission.slug == "test-probe"
    assert mission.launch_utc.src == [SourceRef(id=CHRONOLOGY, locator="L85")]
    assert mission.record is None


def test_table_source_is_inherited_by_plain_values(tmp_path):
    text = (
        MINIMAL
        + f"""
[record]
outcome = {{value = ["orbiter"], src = ["{CHRONOLOGY}@L87"]}}
[[record.orbits]]
label = "capture"
central_body = "mars"
periapsis_km = 1380
apoapsis_km = 24940
period_min = 1080
src = ["{CHRONOLOGY}@L81"]
"""
    )
    orbit = load_file(write(tmp_path, text)).record.orbits[0]
    assert orbit.periapsis_km.value == 1380
    assert orbit.period_min.src[0].locator == "L81"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('program = "soviet"', 'program = "french"'), "field 'program'"),
        (("site = ", 'colour = "red"\nsite = '), "unknown key"),
        (('mission_type = {value = "orbiter"', 'mission_type = {value = "rover"'), "mission_type"),
        (('"1971-05-28T15:26:30Z"', '"1971-02-30"'), "launch_utc"),
        ((f'"{CHRONOLOGY}@L85"]}}\nsite', '"nosuch@L85"]}\nsite'), "unknown source id 'nosuch'"),
        (('slug = "test-probe"', 'slug = "Test Probe"'), "not a slug"),
    ],
)
def test_malformed_files_are_named_in_one_line(tmp_path, change, expected):
    old, new = change
    assert old in MINIMAL, old
    path = write(tmp_path, MINIMAL.replace(old, new, 1))
    with pytest.raises(CatalogError) as info:
        load_file(path)
    message = str(info.value)
    assert str(path) in message
    assert expected in message
    assert "\n" not in message


def test_toml_syntax_error_names_the_file(tmp_path):
    path = write(tmp_path, MINIMAL + "\n[[broken\n")
    with pytest.raises(CatalogError, match="not valid TOML"):
        load_file(path)


def test_accepted_values_are_listed(tmp_path):
    path = write(tmp_path, MINIMAL.replace('"soviet"', '"french"', 1))
    with pytest.raises(CatalogError, match="'soviet' or 'us'"):
        load_file(path)


def test_negative_mass_is_rejected(tmp_path):
    text = MINIMAL + f'\n[masses]\nsrc = ["{CHRONOLOGY}@L87"]\nlaunch_mass_kg = -5\n'
    with pytest.raises(CatalogError, match="masses.launch_mass_kg"):
        load_file(write(tmp_path, text))


def test_a_plain_value_needs_a_table_source(tmp_path):
    text = MINIMAL + "\n[masses]\nlaunch_mass_kg = 4650\n"
    with pytest.raises(CatalogError, match="no 'src' to cite"):
        load_file(write(tmp_path, text))


def test_alternatives_need_a_reason():
    with pytest.raises(ValueError, match="needs a reason"):
        Fact[str].model_validate(
            {"value": "a", "src": ["x@1"], "alt": [{"value": "b", "src": ["y@2"]}]}
        )


def test_units_come_from_field_names():
    assert unit_of("perigee_km") == "km"
    assert unit_of("speed_km_s") == "km/s"
    assert unit_of("c3_km2_s2") == "km^2/s^2"
    assert unit_of("period_days") == "d"
    assert unit_of("name") is None
