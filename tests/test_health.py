"""Spacecraft system budgets: when a probe falls silent, computed from rates and the trajectory."""

from __future__ import annotations

import math

import numpy as np
import pytest

from marsprobe.mission.health import HealthParams, assess, gas_exhausted_days, power_exhausted_days
from marsprobe.time import tdb_from_utc

LAUNCH = float(tdb_from_utc("1962-11-01T16:14:00Z"))  # Mars 1, for the dates below


def test_nominal_probe_never_fails():
    days = np.linspace(0, 300, 301)
    health = assess(HealthParams(), LAUNCH, days, np.linspace(1.0, 1.5, 301))
    assert health.survives and health.cause is None


def test_gas_leak_shortens_the_tank():
    # 10 kg used at 0.01 kg/day lasts 1,000 days; a 0.09 kg/day leak from day 20 leaves
    # 9.8 kg to go at 0.1 kg/day: 98 more days, empty on day 118 (arithmetic by hand).
    p = HealthParams(attitude_gas_kg=10, gas_use_kg_per_day=0.01)
    assert gas_exhausted_days(p, LAUNCH) == pytest.approx(1000.0)
    leaking = p.model_copy(
        update={"gas_leak_kg_per_day": 0.09, "gas_leak_start_utc": "1962-11-21T16:14:00Z"}
    )
    assert gas_exhausted_days(leaking, LAUNCH) == pytest.approx(118.0)
    assert (
        assess(leaking, LAUNCH, np.array([0.0, 500.0]), np.ones(2)).cause
        == "attitude gas exhausted"
    )


def test_battery_drains_when_the_panels_fall_short():
    # Panels give 300 W at 1 AU (half deployed: 150 W); the load is 200 W. At a constant
    # 1 AU the deficit is 50 W, so a 1,200 Wh battery lasts 24 h = 1 day.
    p = HealthParams(panel_power_w=300, panels_deployed_fraction=0.5, load_w=200, battery_wh=1200)
    days = np.linspace(0.0, 10.0, 1001)
    assert power_exhausted_days(p, days, np.ones_like(days)) == pytest.approx(1.0, abs=1e-6)
    # Fully deployed, the probe has a surplus until 300 / r^2 = 200, at r = 1.2247 AU.
    full = p.model_copy(update={"panels_deployed_fraction": 1.0})
    r = np.linspace(1.0, 1.5, 1001)
    lost = power_exhausted_days(full, days, r)
    assert lost > days[np.searchsorted(r, math.sqrt(1.5))]


def test_thrusters_disabled_then_battery():
    p = HealthParams(
        attitude_thrusters_disabled_utc="1962-12-25T16:14:00Z", load_w=500, battery_wh=12000
    )
    health = assess(p, LAUNCH, np.array([0.0, 100.0]), np.ones(2))
    assert health.lost_days == pytest.approx(55.0, abs=1e-5)  # 12,000 Wh / 500 W = 24 h
    assert "thrusters" in health.cause


def test_first_failure_wins_and_telemetry_is_not_a_loss():
    p = HealthParams(
        computer_fails_utc="1963-07-09T16:14:00Z", telemetry_fails_utc="1962-12-31T16:14:00Z"
    )
    health = assess(p, LAUNCH, np.array([0.0, 300.0]), np.ones(2))
    # 1e-5 d (0.9 s): the 1962 UTC second differs from the TDB second by 1.5e-8
    assert health.lost_days == pytest.approx(250.0, abs=1e-5)
    assert health.cause == "computer failure"
    assert health.telemetry_lost_days == pytest.approx(60.0, abs=1e-5)
    only_telemetry = HealthParams(telemetry_fails_utc="1962-12-31T16:14:00Z")
    assert assess(only_telemetry, LAUNCH, np.array([0.0, 300.0]), np.ones(2)).survives


def test_pressure_leak():
    p = HealthParams(
        pressure_kpa=100,
        pressure_leak_kpa_per_day=5,
        pressure_leak_start_utc="1963-05-20T16:14:00Z",
        min_pressure_kpa=10,
    )
    assert assess(p, LAUNCH, np.array([0.0, 400.0]), np.ones(2)).lost_days == pytest.approx(
        218.0, abs=1e-5
    )


def test_negative_rates_are_rejected():
    with pytest.raises(ValueError):
        HealthParams(gas_leak_kg_per_day=-1)
