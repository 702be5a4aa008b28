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


# ---- the phases execute the sequence (issue 11, item 1) ----------------------------------------


def _orders(slug):
    from marsprobe.mission.flight_sequence import commands_of
    from marsprobe.mission.scenario import flight_plan
    from marsprobe.sequence.commands import Orders

    mission = load(slug)
    return mission, Orders(commands_of(mission, flight_plan(mission)))


def test_changing_the_pilot_chute_command_changes_what_mars_3_flies():
    # The m71 vehicle file's pilot chute fires at Mach 3.5 and the main chute 2 s later. Flown
    # from a sequence whose pilot-chute command says Mach 2.0, the descent deploys it at
    # Mach 2.0: the kernel locates a sensor trigger inside its step by interpolation, to well
    # under 0.01 Mach (the unchanged flight's event reads 3.500), and keeps the 2 s timer of
    # the next stage, counted from the new deployment.
    from marsprobe.mission.replay import replay

    mission, orders = _orders("mars-3")
    changed = orders.changed("edl", "pilot parachute deploy", value=2.0)
    events = {e["name"]: e for e in replay(mission, orders=changed).descent.events}
    assert events["pilot_chute"]["mach"] == pytest.approx(2.0, abs=0.01)
    assert events["main_chute"]["t_s"] - events["pilot_chute"]["t_s"] == pytest.approx(2.0)
    baseline = {e["name"]: e for e in replay(mission).descent.events}
    assert baseline["pilot_chute"]["mach"] == pytest.approx(3.5, abs=0.01)
    assert events["pilot_chute"]["t_s"] > baseline["pilot_chute"]["t_s"]  # slower, so later


def test_changing_the_block_d_timer_command_lets_cosmos_419_leave_earth():
    # Cosmos 419's sequence carries the fault's timer (1.5 years after lift-off): the Block D
    # never fires before the stack decays. The same flight plan flown from a sequence whose
    # ignition command says 1.5 h after lift-off (the intended value, chronology L75) leaves
    # the Earth: the escape phase reads its timer from the command, not from the file.
    from marsprobe.mission.replay import replay

    mission, orders = _orders("cosmos-419")
    ignition = next(c for c in orders.commands if c.source == "escape.timer_s")
    assert ignition.trigger.value == 4.73e7
    stranded = replay(mission)
    assert stranded.launch.departure is None
    changed = orders.changed("escape", ignition.name, value=5400.0)
    flown = replay(mission, orders=changed)
    assert flown.launch.departure is not None
    ullage = flown.launch.event("ullage")  # the settling burn, its length before ignition
    lift_off = flown.launch.launch_epoch
    assert ullage.epoch - lift_off < 5400.0 <= ullage.epoch - lift_off + 60.0


def test_a_command_the_phase_cannot_fly_is_refused():
    # A lander separation counted from lift-off is not something the arrival can fly: it says
    # so, naming the command, rather than flying something else.
    from marsprobe.errors import ScenarioError
    from marsprobe.mission.orders import arrival_orders

    _, orders = _orders("mars-3")
    bad = orders.changed("arrival", "lander separation", reference="liftoff")
    with pytest.raises(ScenarioError, match="lander separation"):
        arrival_orders(bad)
    with pytest.raises(KeyError):
        orders.changed("arrival", "no such command", value=1.0)


def test_stage_slots_from_the_vocabulary():
    # The EDL kernel's numeric stage columns, from a trigger in the sequence's words: the
    # trigger codes of edl.params (TRIGGER_CODES), a radar altitude in km converted to m.
    from marsprobe.edl.params import TRIGGER_CODES
    from marsprobe.edl.slots import stage_parameters
    from marsprobe.errors import InputError

    cols = stage_parameters("retro", "sensor", "radar_altitude", 0.025, "km", 0.5, False, False)
    assert cols == {
        "retro_trigger_type": TRIGGER_CODES["altitude"],
        "retro_trigger_value": 25.0,
        "retro_delay_s": 0.5,
        "retro_enabled": 0.0,
    }
    first = stage_parameters("pilot_chute", "timer", "entry_interface", 120.0, "s", 0, True, True)
    assert first["pilot_chute_trigger_type"] == TRIGGER_CODES["timer"]
    with pytest.raises(InputError, match="counts from the previous stage"):
        stage_parameters("main_chute", "timer", "entry_interface", 2.0, "s", 0.0, True, False)
    with pytest.raises(InputError, match="cannot fire"):
        stage_parameters("main_chute", "sensor", "c3", 2.0, "km2/s2", 0.0, True, False)


def test_an_ignition_command_switched_back_on_clears_only_its_own_stages_fault():
    # Two stage faults at once (none in the catalog, but a what-if may set them): the
    # Proton's stage 3 fails to ignite and its Block D (stage 4) explodes at ignition. A
    # sequence that lights stage 3 again lifts that fault and keeps the Block D's.
    from marsprobe.ascent.library import load_vehicle
    from marsprobe.mission.flight_sequence import commands_of
    from marsprobe.mission.orders import launch_orders
    from marsprobe.mission.scenario import flight_plan
    from marsprobe.sequence.commands import Orders

    mission = load("mars-2")
    plan = flight_plan(mission)
    vehicle = load_vehicle(plan.header.vehicle)
    both = plan.get("launch").model_copy(
        update={"failed_ignition_stage": 3, "ignition_explosion_stage": 4}
    )
    orders = Orders(commands_of(mission, plan))  # every ignition commanded
    third = vehicle.stages[2].name
    relit = orders.changed("launch", f"{third} ignition", enabled=True)
    flown = launch_orders(both, relit, vehicle)
    assert flown.failed_ignition_stage == 0
    assert flown.ignition_explosion_stage == 4
