"""The design tools' textual updater of mission files (set_keys) and their inputs.

The updater must set the values it is given inside one table and leave every other byte of
the file as it was: the mission files carry comments, notes and a layout that a TOML
writer would not keep."""

from __future__ import annotations

import tomllib

import pytest

from marsprobe.analysis.escape_design import NOTE_MARK, Design, design_note, updated_note
from marsprobe.analysis.guidance_design import (
    guidance_value,
    launch_inputs,
    mission_file,
    set_keys,
    toml_string,
)
from marsprobe.catalog import slugs
from marsprobe.errors import InputError, UnknownMissionError
from marsprobe.mission.launch import GuidanceParams

TEXT = """\
# a comment that must stay
slug = "x"

# ---- flight
[flight]
vehicle = "v"   # inline comment

[flight.launch]
parking_perigee_km = 159
guidance = {pitch_kick_deg = 1.0, lt_a = 0.5, lt_b = 0.001}
src = ["a@L1"]
note = "launch note"

[flight.escape]
arrival_utc = "1971-12-02"
timer_s = 5400  # keep me? no: the line is the value's
src = ["b@L2"]
note = "escape note"

[[flight.faults]]
id = "f"
set = {"escape.timer_s" = 4.73e7}
note = "fault note"
"""


def changed(old: str, new: str) -> list[tuple[str, str]]:
    """The lines that differ, pairwise (both texts must have the same number of lines)."""
    a, b = old.split("\n"), new.split("\n")
    assert len(a) == len(b)
    return [(x, y) for x, y in zip(a, b, strict=True) if x != y]


def test_replaces_a_key_only_inside_its_table():
    new = set_keys(TEXT, "flight.escape", {"timer_s": "4683.7", "note": '"new"'})
    assert changed(TEXT, new) == [
        ("timer_s = 5400  # keep me? no: the line is the value's", "timer_s = 4683.7"),
        ('note = "escape note"', 'note = "new"'),
    ]
    data = tomllib.loads(new)
    assert data["flight"]["launch"]["note"] == "launch note"
    assert data["flight"]["faults"][0]["note"] == "fault note"


def test_inserts_an_absent_key_before_the_tables_sources():
    new = set_keys(TEXT, "flight.escape", {"aim_c3_km2_s2": "8.23254"})
    lines = new.split("\n")
    at = lines.index("aim_c3_km2_s2 = 8.23254")
    assert lines[at - 1].startswith("timer_s") and lines[at + 1].startswith("src")
    assert [x for x in lines if x != "aim_c3_km2_s2 = 8.23254"] == TEXT.split("\n")
    assert tomllib.loads(new)["flight"]["escape"]["aim_c3_km2_s2"] == 8.23254


def test_inserts_into_a_table_without_keys_and_at_the_end_of_the_file():
    text = "[flight]\nvehicle = 'v'\n\n[flight.launch]\n"
    new = set_keys(text, "flight.launch", {"parking_perigee_km": "159"})
    assert tomllib.loads(new)["flight"]["launch"] == {"parking_perigee_km": 159}
    assert new.startswith("[flight]\nvehicle = 'v'\n\n[flight.launch]\nparking_perigee_km = 159")


def test_refuses_what_it_cannot_do_without_touching_anything_else():
    with pytest.raises(InputError, match=r"no \[flight.cruise\] table"):
        set_keys(TEXT, "flight.cruise", {"x": "1"})
    with pytest.raises(InputError, match=r"no \[flight.faults\] table"):
        set_keys(TEXT, "flight.faults", {"id": '"g"'})  # an array of tables: not one table
    with pytest.raises(InputError, match="breaks the file"):
        set_keys(TEXT, "flight.launch", {"note": "not a TOML value"})
    # a key that is a sub-table's name would change more than its own value
    with pytest.raises(InputError, match="breaks the file|would change other values"):
        set_keys(TEXT, "flight", {"launch": "1"})


def test_strings_are_escaped():
    note = 'Said "1.5 h"; a back\\slash and an accent: é'
    new = set_keys(TEXT, "flight.launch", {"note": toml_string(note)})
    assert tomllib.loads(new)["flight"]["launch"]["note"] == note


def test_stored_guidance_written_again_changes_nothing():
    # Every mission file: writing back the guidance it holds, in the tool's format, leaves
    # the parsed file as it was and touches at most that one line (10 significant digits
    # are what the files hold).
    for slug in slugs():
        text = mission_file(slug).read_text(encoding="utf-8")
        g = launch_inputs(slug, faults=False).launch.guidance
        new = set_keys(text, "flight.launch", {"guidance": guidance_value(g)})
        assert tomllib.loads(new) == tomllib.loads(text), slug
        assert len(changed(text, new)) <= 1, slug


def test_guidance_value_round_trips():
    g = GuidanceParams(pitch_kick_deg=2.9876, lt_a=0.685510483, lt_b=0.001670450007)
    back = tomllib.loads(f"g = {guidance_value(g)}")["g"]
    assert GuidanceParams(**back) == g


def test_escape_note_keeps_the_hand_written_part():
    d = Design("x", 4683.7, 282.6, 17.6, 8.23, 329.1, -25.5, 0.3, 0.81, 1.0, 60.0, 0.5, False, True)
    sentence = design_note(d)
    assert sentence.startswith(NOTE_MARK) and "81 %" in sentence
    old = f"Timer computed. {NOTE_MARK} an older design sentence."
    assert updated_note(old, d) == f"Timer computed. {sentence}"
    assert updated_note(None, d) == sentence


def test_unknown_mission_is_named():
    with pytest.raises(UnknownMissionError, match="mars-33"):
        mission_file("mars-33")


def test_a_stored_value_is_declared_generated():
    # what the design tools store is marked in the table's roles (mission.provenance)
    from marsprobe.catalog.loader import MISSIONS_DIR

    text = (MISSIONS_DIR / "mars-3.toml").read_text(encoding="utf-8")
    role = toml_string("design: generated by marsprobe design guidance")
    new = set_keys(text, "flight.launch.roles", {"guidance": role})
    assert tomllib.loads(new)["flight"]["launch"]["roles"]["guidance"].endswith("guidance")


def test_design_command_replays_the_stored_guidance(cli):
    # Cosmos 419 reaches its 134 x 187 km design orbit (chronology L73 header) and decays
    code, out, _ = cli("design", "guidance", "--replay", "cosmos-419")
    assert code == 0 and "decayed" in out and "134.0 x   187.0 km" in out


def test_design_refuses_an_unknown_mission(capsys):
    # An unknown slug is an error before any design runs, not a "skipped" line and exit 0.
    from marsprobe.cli import main

    assert main(["design", "escape", "no-such-mission"]) == 2
    assert "no-such-mission" in capsys.readouterr().err
