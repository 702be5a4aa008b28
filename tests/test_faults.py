"""Faults as parameter overrides: selection, removal, alternative causes and chances."""

from __future__ import annotations

import math

import pytest

from marsprobe.errors import ScenarioError
from marsprobe.sequence.faults import Chance, Fault, active_faults, apply_overrides

SRC = ["002_d3f98a46457d5b1f.txt@L75"]


def fault(id_, set_, cause="chosen"):
    return Fault(id=id_, summary="test", set=set_, src=SRC, cause=cause)


def test_overrides_replace_nominal_values():
    tables = {"escape": {"timer_s": 5400.0}, "launch": {"parking_perigee_km": 159}}
    timer = fault("timer-wrong", {"escape.timer_s": 4.73e7})
    out = apply_overrides(tables, [timer])
    assert out["escape"]["timer_s"] == 4.73e7
    assert tables["escape"]["timer_s"] == 5400.0  # the input is not changed
    assert apply_overrides(tables, active_faults([timer], without=["timer-wrong"])) == tables


def test_alternative_causes_are_off_unless_asked():
    chosen = fault("turbopump-fire", {"launch.explosion_t_s": 438.0})
    other = fault("shroud-failure", {"launch.shroud_fails_t_s": 51.0}, cause="chronology")
    assert [f.id for f in active_faults([chosen, other])] == ["turbopump-fire"]
    assert [f.id for f in active_faults([chosen, other], causes=["chronology"])] == [
        "shroud-failure"
    ]


def test_unknown_names_are_errors():
    with pytest.raises(ScenarioError, match="no fault 'timer'"):
        active_faults([fault("timer-wrong", {"escape.timer_s": 1.0})], without=["timer"])
    with pytest.raises(ScenarioError, match="no cause set"):
        active_faults([], causes=["video"])


def test_fault_paths_and_ids_are_checked():
    with pytest.raises(ValueError, match="phase.parameter"):
        fault("x", {"timer_s": 1.0})
    with pytest.raises(ValueError, match="lower-case"):
        fault("Timer Wrong", {"escape.timer_s": 1.0})


def test_weibull_chance_half_by_the_median():
    # Engineers gave the 1973 transistors about even odds (000_70f349aa415e466e.txt at
    # 00:37:00): a Weibull law whose median is the arrival time gives 0.5 there.
    shape, days_to_arrival = 2.0, 200.0
    scale = days_to_arrival / math.log(2.0) ** (1.0 / shape)
    chance = Chance(dist="weibull", shape=shape, scale_days=scale, src=SRC)
    assert chance.probability_by(days_to_arrival) == pytest.approx(0.5)
    assert Chance(dist="bernoulli", p=0.2, src=SRC).probability_by(10) == 0.2
    with pytest.raises(ValueError, match="needs p"):
        Chance(dist="bernoulli", src=SRC)
