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
    "survived",
    "outcome",
]


def _kernel_record(**extra):
    """A touchdown record with the EDL kernel's field names (edl/slots.py TOUCHDOWN_FIELDS)."""
    from marsprobe.edl.slots import TOUCHDOWN_FIELDS

    record = {name: float(i + 1) for i, name in enumerate(TOUCHDOWN_FIELDS)}
    return {**record, "survived": True, "outcome": "landed", **extra}


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


def test_a_touchdown_keeps_the_radiative_heating_a_kernel_reports():
    # A kernel that models radiative heating adds its peak (W/m^2) and load (J/cm^2) to the
    # record; the JSON shows them beside the convective figures, the peak in W/cm^2, and adds
    # no key when the kernel does not report them.
    plain = Touchdown.from_kernel(_kernel_record())
    assert list(plain.to_dict()) == TOUCHDOWN_KEYS and plain.time_utc is None
    rad = Touchdown.from_kernel(
        _kernel_record(peak_radiative_heat_flux_w_m2=52000.0, radiative_heat_load_j_cm2=7.5)
    )
    out = rad.to_dict()
    keys = list(out)
    assert keys[keys.index("heat_load_j_cm2") + 1 : keys.index("survived")] == [
        "peak_radiative_heat_flux_w_cm2",
        "radiative_heat_load_j_cm2",
    ]
    assert out["peak_radiative_heat_flux_w_cm2"] == pytest.approx(5.2)
    assert out["radiative_heat_load_j_cm2"] == 7.5


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
