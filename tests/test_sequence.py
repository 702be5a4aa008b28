"""The flight computer's sequence (marsprobe sequence): built from the flown parameters."""

from __future__ import annotations

import json

import pytest

from marsprobe.catalog import load, slugs
from marsprobe.edl.vehicle import TRIGGER_TYPES
from marsprobe.mission.flight_sequence import flight_sequence
from marsprobe.sequence.commands import EDL_TRIGGERS, REFERENCES, SENSORS, Trigger


def test_the_edl_kernel_triggers_are_the_sequence_vocabulary():
    # every stage trigger the compiled kernel knows is a trigger of the one vocabulary
    assert set(TRIGGER_TYPES) == set(EDL_TRIGGERS)
    for kind, name in EDL_TRIGGERS.values():
        assert name in (REFERENCES if kind == "timer" else SENSORS)
    with pytest.raises(ValueError, match="unknown reference"):
        Trigger("timer", 10.0, "s", "sunrise")


@pytest.mark.parametrize("slug", slugs())
def test_every_mission_has_a_sequence_of_complete_commands(slug):
    seq = flight_sequence(load(slug)).to_json()
    assert seq["commands"][0]["command"] == "lift-off"
    for c in seq["commands"]:
        t = c["trigger"]
        assert t["kind"] in ("timer", "epoch", "sensor") and t["reference"] and t["unit"], c
        assert c["source"] and c["when"], c
    # every applied fault shows what it changes
    assert {ch["fault"] for ch in seq["fault_changes"]} == set(seq["faults_applied"])


def test_cosmos_419_timer_fault_changes_the_block_d_ignition():
    # The chronology (L75): the Block D was set to fire 1.5 years, not 1.5 hours, after orbit
    # insertion; the nominal timer is the escape design's (the file's note explains why).
    seq = flight_sequence(load("cosmos-419"))
    change = next(c for c in seq.changes if c.fault == "block-d-timer-wrong")
    assert change.command.startswith("Block D") and change.source == "escape.timer_s"
    # Issue 12: the intended 1.5 h counted from lift-off (the reading the physics flies)
    assert change.before == "1.5 h after lift-off"
    assert change.after == "1.5 years after lift-off"
    ignition = next(c for c in seq.commands if c.name == change.command)
    assert ignition.trigger.value == 4.73e7  # the value the escape phase flies
    assert ignition.role == "fault: record.events.escape_failure.duration_s"


def test_the_sequence_follows_the_flown_parameters():
    # Mars 6's soft-landing engine is commanded but does not act (the transistor fault);
    # without the fault it acts: the sequence reads the same EdlParams the descent flies.
    def retro(*without):
        seq = flight_sequence(load("mars-6"), without)
        return next(c for c in seq.commands if c.name == "soft-landing engine ignition")

    assert not retro().enabled
    assert retro("transistors-soft-landing-engine").enabled
    assert retro().trigger.text() == "radar altitude < 25 m"


def test_sequence_command(cli):
    code, out, _ = cli("sequence", "mars-4", "--json")
    data = json.loads(out)
    moi = next(c for c in data["commands"] if c["command"] == "Mars orbit insertion burn")
    assert moi["enabled"] is False  # the computer never commanded the braking engine
    code, _, err = cli("sequence", "no-such-mission")
    assert code == 2 and err.startswith("marsprobe: error:")
