"""The typed hand-over states of the launch and the descent (issue 11, item 4): what they
hold, and that their JSON is the one README "JSON output" documents."""

from __future__ import annotations

import math

import pytest

from marsprobe import catalog
from marsprobe.mission.handover import LaunchResult, ParkingOrbit, Touchdown
from marsprobe.mission.replay import replay

# README "JSON output", `edl SLUG --json`'s touchdown table (keys only ever added): the keys
# as printed before the state was typed, in their printed order.
TOUCHDOWN_KEYS = [
    "speed_m_s",
    "vertical_speed_m_s",
    "lat_deg",
    "lon_deg",
    "time_utc",
    "t_s",
    "peak_g_load",
    "chute_opening_g_load",
    "peak_heat_flux_w_cm2",
    "heat_load_j_cm2",
    "peak_radiative_heat_flux_w_cm2",
    "radiative_heat_load_j_cm2",
    "survived",
    "outcome",
]


def _kernel_record(**change):
    """A touchdown record with the EDL kernel's field names (edl/slots.py TOUCHDOWN_FIELDS)."""
    from marsprobe.edl.slots import TOUCHDOWN_FIELDS

    record = {name: float(i + 1) for i, name in enumerate(TOUCHDOWN_FIELDS)}
    return {**record, "survived": True, "outcome": "landed", **change}


def test_the_descent_hands_over_a_typed_touchdown():
    # Mars 3 landed (its replay's outcome, test_replay); its touchdown is dated from the
    # entry epoch the arrival handed over, to the second.
    flown = replay(catalog.load("mars-3"))
    td = flown.descent.touchdown
    assert isinstance(td, Touchdown) and td.survived and td.outcome == "landed"
    assert td.reached_ground and td.speed_m_s == pytest.approx(
        math.hypot(td.vertical_speed_m_s, td.horizontal_speed_m_s), rel=1e-9
    )
    assert list(td.to_dict()) == TOUCHDOWN_KEYS
    assert td.to_dict()["peak_heat_flux_w_cm2"] == td.peak_heat_flux_w_m2 * 1e-4
    landing = flown.event("landing")
    from marsprobe.time import utc_from_tdb

    assert td.time_utc == utc_from_tdb(landing.epoch)


def test_a_touchdown_gives_the_heat_fluxes_in_w_cm2_and_every_kernel_figure():
    # The JSON gives the peak fluxes in W/cm^2 (1 W/cm^2 = 1e4 W/m^2); the state keeps the
    # kernel's W/m^2. A record missing a figure is refused, not filled in.
    td = Touchdown.from_kernel(
        _kernel_record(peak_heat_flux_w_m2=1.2e6, peak_radiative_heat_flux_w_m2=52000.0)
    )
    out = td.to_dict()
    assert out["peak_heat_flux_w_cm2"] == pytest.approx(120.0)
    assert out["peak_radiative_heat_flux_w_cm2"] == pytest.approx(5.2)
    assert td.time_utc is None and list(out) == TOUCHDOWN_KEYS
    record = _kernel_record()
    del record["radiative_heat_load_j_cm2"]
    with pytest.raises(KeyError):
        Touchdown.from_kernel(record)
    # and a figure the kernel adds is not silently dropped on its way to the JSON
    with pytest.raises(ValueError, match="not carried"):
        Touchdown.from_kernel(_kernel_record(peak_dynamic_pressure_pa=900.0))


def test_the_state_carries_every_figure_the_kernel_reports():
    # flown, not a hand-written record: the compiled kernel's touchdown keys are all carried
    from dataclasses import fields

    from marsprobe.edl.fly import EntryState, fly

    entry = EntryState.single(
        altitude_m=125e3,
        speed_m_s=5600.0,
        fpa_deg=-11.0,
        heading_deg=90.0,
        lat_deg=-45.0,
        lon_deg=200.0,
    )
    record = fly(entry, "m71").touchdown(0)
    assert set(record) <= {f.name for f in fields(Touchdown)}
    Touchdown.from_kernel(record)


def test_a_touchdown_refuses_an_outcome_the_kernel_does_not_have():
    with pytest.raises(ValueError, match="outcome"):
        Touchdown.from_kernel(_kernel_record(outcome="bounced"))


def test_the_launch_hands_over_a_typed_parking_orbit():
    # Mariner 4's Agena parking orbit (test_launch_phase checks its figures against the
    # record); here: the type, and the JSON table of `launch --json` in its documented order.
    from marsprobe.mission.replay import fly_launch_only

    launch = fly_launch_only(catalog.load("mariner-4"))
    assert isinstance(launch, LaunchResult) and isinstance(launch.parking_orbit, ParkingOrbit)
    orbit = launch.parking_orbit
    assert list(launch.to_dict()["parking_orbit"]) == [
        "perigee_km",
        "apogee_km",
        "inclination_deg",
        "period_min",
    ]
    assert orbit.perigee_km < orbit.apogee_km
