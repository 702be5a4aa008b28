"""Replays: every mission flies to its recorded outcome through its documented faults, and
removing a fault flies the counterfactual through the same physics.

The recorded outcomes are the catalog's (each with its sources, `marsprobe show SLUG`); the
replay never reads them (see test_a_replay_does_not_need_the_record).
"""

from __future__ import annotations

import json
import tomllib
from functools import cache

import pytest

from marsprobe import catalog
from marsprobe.catalog.loader import MISSIONS_DIR
from marsprobe.cli import main
from marsprobe.mission.replay import replay


@cache
def flown(slug: str, without: tuple[str, ...] = ()):
    return replay(catalog.load(slug), without)


@pytest.mark.parametrize("slug", catalog.slugs())
def test_replay_reaches_the_recorded_outcome(slug):
    mission = catalog.load(slug)
    assert sorted(flown(slug).outcome) == sorted(mission.record.outcome.value)


def test_cosmos_419_with_its_timer_right_leaves_earth_and_reaches_mars():
    # The only fault is the timer value (1.5 years instead of 1.5 hours, L75): without it the
    # Block D fires on time and the M-71 flies to Mars orbit.
    result = flown("cosmos-419", ("block-d-timer-wrong",))
    assert result.launch.departure is not None
    assert "orbiter" in result.outcome


def test_mars_2_lander_without_the_steep_entry_lands():
    assert "lander_soft_landed" in flown("mars-2", ("steep-entry",)).outcome


def test_mars_4_without_the_transistor_fault_enters_orbit():
    assert flown("mars-4", ("computer-transistors",)).outcome == ["orbiter"]


def test_mars_7_lander_with_its_engine_enters_the_atmosphere():
    outcome = flown("mars-7", ("lander-engine-silent",)).outcome
    assert "lander_missed_planet" not in outcome
    assert any(term.startswith("lander_") for term in outcome)


def test_mars_1_without_the_leak_misses_mars():
    # Issue 12: a flyby is a pass inside Mars' sphere of influence (577,000 km). Mars 1 flew
    # no correction that reached Mars; without its leak the uncorrected path passes about
    # 605,000 km from Mars' centre, outside it: missed_mars, not a flyby.
    assert flown("mars-1", ("attitude-gas-leak",)).outcome == ["missed_mars"]


def _scenario_copy(tmp_path, slug: str, edit) -> str:
    text = (MISSIONS_DIR / f"{slug}.toml").read_text()
    data = tomllib.loads(text)
    new_text = edit(text)
    assert new_text != text
    tomllib.loads(new_text)  # still a valid file
    path = tmp_path / f"{slug}-copy.toml"
    path.write_text(new_text)
    return str(path), data


def test_a_copied_scenario_with_another_timer_flies_differently(tmp_path, capsys):
    # A user copies Cosmos 419 and sets the faulty timer to the video's 150 hours
    # (000_70f349aa415e466e.txt at 00:29:14) instead of the chronology's 1.5 years: the
    # stage still re-enters first (the orbit lasts about 2 days), so the outcome stands...
    fault = '"escape.timer_s" = 4.73e7'
    path, _ = _scenario_copy(
        tmp_path, "cosmos-419", lambda t: t.replace(fault, '"escape.timer_s" = 540000')
    )
    assert main(["replay", path, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["simulated_outcome"] == ["stranded_in_earth_orbit"]
    # ...while the design timer (the [flight.escape] value) sends it on its way to Mars.
    design = tomllib.loads((MISSIONS_DIR / "cosmos-419.toml").read_text())
    timer = design["flight"]["escape"]["timer_s"]
    path, _ = _scenario_copy(
        tmp_path, "cosmos-419", lambda t: t.replace(fault, f'"escape.timer_s" = {timer}')
    )
    assert main(["replay", path, "--json"]) == 0
    assert "orbiter" in json.loads(capsys.readouterr().out)["simulated_outcome"]


def test_a_replay_does_not_need_the_record(tmp_path, capsys):
    # Cut the [record] out of Mars 3's file: the replay must fly exactly as before.
    def drop_record(text: str) -> str:
        head, _, rest = text.partition("\n[record]")
        tail = rest[rest.index("\n# ---- flight") :]
        return head + tail

    path, _ = _scenario_copy(tmp_path, "mars-3", drop_record)
    assert catalog.load_file(path).record is None
    assert main(["replay", path, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["simulated_outcome"] == flown("mars-3").outcome
    assert data["recorded_outcome"] is None and data["comparison"] == []


def test_replay_json_has_the_timeline_and_the_comparison(capsys):
    assert main(["replay", "sputnik-22", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {
        "slug",
        "simulated_outcome",
        "recorded_outcome",
        "match",
        "events",
        "comparison",
    } <= set(data)
    row = data["comparison"][0]
    assert {
        "quantity",
        "simulated",
        "recorded",
        "sources",
        "difference",
        "within_tolerance",
    } <= set(row)


def test_replay_all_rows(capsys):
    assert main(["replay", "--all", "--json", "--workers", "2"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["slug"] for r in rows] == catalog.slugs()
    keys = {
        "slug",
        "recorded_outcome",
        "simulated_outcome",
        "match",
        "figures_within_tolerance",
        "figures_compared",
    }
    assert all(keys <= set(r) for r in rows)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["replay", "cosmos-419", "--without", "timer"], "no fault 'timer'"),
        (["replay", "cosmos-491"], "did you mean cosmos-419"),
        (["replay"], "--all"),
        (["replay", "mars-3", "--all"], "--all"),
        (["replay", "mars-3", "--cause", "video"], "no cause set 'video'"),
        (["replay", "nonexistent.toml"], "no such file"),
    ],
)
def test_bad_input(capsys, args, expected):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("marsprobe: error:") and err.count("\n") == 1
    assert expected in err


def _fault_ids(slug: str) -> list[str]:
    from marsprobe.mission.scenario import parse_faults

    return [f.id for f in parse_faults(catalog.load(slug)) if f.cause == "chosen"]


FAULTS = [(slug, fid) for slug in catalog.slugs() for fid in _fault_ids(slug)]


def _timeline(result) -> set[tuple]:
    events = {(e.name, round(e.epoch / 60.0)) for e in result.events}
    orbit = result.flight.arrival.capture_orbit if result.flight is not None else None
    if orbit:  # Mars 3's lost propellant changes the orbit it ends in, not an event
        events.add(("capture_orbit_period_min", round(orbit.period_min)))
    return events


@pytest.mark.parametrize(("slug", "fault"), FAULTS)
def test_every_fault_acts_on_the_flight(slug, fault):
    # A documented fault that changed nothing would be decoration: removing it must change the
    # outcome or the simulated timeline (an event, or its time to the minute, or the capture
    # orbit). Mars 3's silent capsule and Mars 6's telemetry change no outcome term, only what
    # happened after.
    with_it, without = flown(slug), flown(slug, (fault,))
    assert with_it.outcome != without.outcome or _timeline(with_it) != _timeline(without)
    # Issue 12: the counterfactual obeys the conservation and classification rules too.
    _obeys_conservation(without)
    _obeys_classification(without)


def _obeys_conservation(result) -> None:
    """Every burn drew from a declared load and none drew more than was left."""
    for e in result.events:
        left = e.data.get("propellant_left_kg")
        if left is not None:  # 1e-6 kg: the reports round to 0.001 kg or finer
            assert left >= -1e-6, (result.slug, e.name, left)
    if result.flight is None:
        return
    cruise = result.flight.cruise
    sc = cruise.spacecraft
    spent = (result.launch.extra.get("spacecraft_burn") or {}).get("propellant_used_kg", 0.0)
    spent += sum(e.data.get("propellant_kg", 0.0) for e in cruise.events if e.name == "tcm")
    moi = result.flight.arrival.moi
    spent += 0.0 if moi is None else moi.propellant_used_kg
    trim = result.flight.arrival.trim
    spent += 0.0 if trim is None else trim.propellant_kg
    # The main tanks: the escape's share, corrections, insertion and trim within the load
    # (0.2 kg: the reports' rounding to 0.1 kg of two of the terms).
    assert spent <= sc.propellant_kg + 0.2, (result.slug, spent, sc.propellant_kg)
    for e in result.flight.arrival.events:
        if e.name in ("lander_deflection", "deorbit_burn") and "propellant_kg" in e.data:
            assert e.data["propellant_kg"] <= sc.lander_propellant_kg + 1e-9


def _obeys_classification(result) -> None:
    """Each class that the thresholds decide agrees with the figures that decided it."""
    from marsprobe.mission.outcome_rules import thresholds

    decided = {d.outcome: d for d in result.decisions}
    for d in result.decisions:
        if d.outcome in ("flyby", "orbiter", "within"):
            assert d.value <= d.limit if d.outcome != "orbiter" else d.value >= d.limit
        else:
            assert d.value > d.limit if d.outcome != "entered_atmosphere" else d.value < d.limit
    if "flyby" in result.outcome:
        assert decided["flyby"].value <= thresholds().flyby.max_distance_km.value
    if "orbiter" in result.outcome:
        assert decided["orbiter"].value >= thresholds().orbiter.min_periapsis_km.value
    if "lander_soft_landed" in result.outcome:
        assert all(d.outcome in ("flyby", "orbiter", "within") for d in result.decisions)
    assert "could not fly" not in " ".join(result.outcome)


@pytest.mark.parametrize(
    ("slug", "alternative", "expected"),
    [
        ("m-69-no-521", "shroud-failure-stage-3-no-ignition", ["launch_failure"]),
        # Issue 12: the premature separation flies its own mechanism only (it no longer
        # borrows the chosen cause's silent engine): separated 8 h out, the module's own
        # engine still fires by its timer and its guidance puts it on the entry path, so this
        # reading does NOT reproduce the record's miss. The mismatch is the finding.
        ("mars-7", "premature-separation", ["flyby", "lander_soft_landed"]),
    ],
)
def test_the_other_reading_of_a_disputed_cause_flies_too(slug, alternative, expected):
    # Where the sources disagree on the cause (issue 8: M-69 No.521, Mars 7), the chronology's
    # reading (002_d3f98a46457d5b1f.txt L61, L111) is a fault set of its own, flown instead of
    # the chosen one through its own physics; it ends where that physics goes.
    result = replay(catalog.load(slug), (), ("chronology",))
    assert sorted(result.outcome) == sorted(expected)
    assert result.applied_faults == [alternative]


def _phases_reached(result) -> set[str]:
    """The phases a replay flew: each takes its commands when it starts."""
    reached = {"launch", "escape"}
    if result.flight is not None:
        reached |= {"systems", "cruise", "arrival"}
    if result.descent is not None:
        reached.add("edl")
    if "lander_soft_landed" in result.outcome:
        reached.add("surface")
    return reached


@pytest.mark.parametrize("slug", catalog.slugs())
def test_every_command_the_sequence_prints_is_executed(slug):
    # Issue 11: no command printed that nothing executes. With its faults and without them,
    # every command of a phase the flight reached was read by that phase (Orders.take); only a
    # phase the flight never reached (a launch failure's cruise) leaves its commands unread.
    for result in (flown(slug), flown(slug, tuple(_fault_ids(slug)))):
        reached = _phases_reached(result)
        left = [(c.phase, c.name) for c in result.orders.unexecuted() if c.phase in reached]
        assert not left, (slug, result.without, left)


def test_every_kind_of_command_is_executed_somewhere():
    # Across the catalog (flown with and without the faults) each phase's commands are read
    # by a flight that reached it: the per-mission test above cannot excuse a whole phase.
    printed, executed = set(), set()
    for slug in catalog.slugs():
        for result in (flown(slug), flown(slug, tuple(_fault_ids(slug)))):
            left = {id(c) for c in result.orders.unexecuted()}
            for c in result.orders.commands:
                kind = (c.phase, c.name.rstrip("0123456789 "))
                printed.add(kind)
                if id(c) not in left:
                    executed.add(kind)
    assert printed - executed == set()


def test_a_descent_that_runs_out_of_integration_time_could_not_fly(monkeypatch):
    # The EDL integrator's time limit is no physical ending: a descent stopped by it is a
    # numerical failure naming the mission and the phase, never lander_missed_planet.
    import functools

    import marsprobe.edl
    from marsprobe.errors import CouldNotFly

    monkeypatch.setattr(marsprobe.edl, "fly", functools.partial(marsprobe.edl.fly, t_max_s=30.0))
    with pytest.raises(CouldNotFly, match="mars-3 could not fly: descent: .*time limit"):
        replay(catalog.load("mars-3"))
