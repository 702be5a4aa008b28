"""The launch phases flown end to end: parking orbits from the recorded pads, the launch
failures from their documented faults, Cosmos 419's timer, a departure, and the Proton-K/D's
capability against the record. Record values cite the chronology
002_d3f98a46457d5b1f.txt (Lnn) or Siddiqi's entries as published on NASA's site."""

from __future__ import annotations

import json
import math
import tomllib
from importlib import resources

import numpy as np
import pytest

from marsprobe.constants import DAY_S
from marsprobe.mission.escape import EscapeParams, best_c3, max_payload, target_v_inf
from marsprobe.mission.launch import Fault, LaunchParams, apply_faults, fly_launch, tuned_launch
from marsprobe.ascent.library import load_site, load_vehicle
from marsprobe.time import tdb_from_utc

# Identity facts the mission files hold (launch epoch, pad): chronology lines.
IDENTITY = {
    "mars-1m-1": ("1960-10-10T14:27:49Z", "Baikonur", "1"),  # L5
    "mars-1m-2": ("1960-10-14T13:51:03Z", "Baikonur", "1"),  # L11
    "sputnik-22": ("1962-10-24T17:55:04Z", "Baikonur", "1"),  # L17
    "mars-1": ("1962-11-01T16:14:16Z", "Baikonur", "1"),  # L23
    "cosmos-21": ("1963-11-11T06:23:34Z", "Baikonur", "1"),  # L35
    "m-69-521": ("1969-03-27T10:40:45Z", "Baikonur", "81/23"),  # L61
    "m-69-522": ("1969-04-02T10:33:00Z", "Baikonur", "81/24"),  # L67
    "cosmos-419": ("1971-05-10T16:58:42Z", "Baikonur", "81/23"),  # L73
    "mars-3": ("1971-05-28T15:26:30Z", "Baikonur", "81/23"),  # L85
}


def draft(slug: str):
    """The flight draft of ``slug``: vehicle, payload, launch and escape parameters, faults."""
    text = (resources.files("marsprobe.catalog") / "flights" / "launch.toml").read_text()
    flight = tomllib.loads(text)[slug]["flight"]
    payload = flight["payload_mass_kg"]
    payload = payload["value"] if isinstance(payload, dict) else payload
    launch = LaunchParams.model_validate(flight["launch"])
    escape = EscapeParams.model_validate(flight["escape"])
    faults = [Fault.model_validate(f) for f in flight.get("faults", [])]
    return flight["vehicle"], float(payload), launch, escape, faults


def fly(slug: str, with_faults: bool = True, escape: bool = True):
    vehicle, payload, launch, esc, faults = draft(slug)
    if with_faults:
        launch, esc = apply_faults(launch, esc, faults)
    utc, site, pad = IDENTITY[slug]
    return fly_launch(utc, site, pad, vehicle, payload, launch, esc if escape else None)


# --- parking orbits reached by the guidance from the recorded pad ------------------------
# (perigee km, apogee km, inclination deg, period min or None, source)
PARKING = {
    "sputnik-22": (202, 260, 65.1, 89.1, "L19"),
    "mars-1": (157, 238, 65.0, None, "L25"),
    "cosmos-21": (192, 231, 64.8, 88.7, "L35-37"),
    # text figures (L75); the period is the header's 87.7 min (L73), which the text's
    # apsides give within 0.15 min
    "cosmos-419": (159, 174, 51.4, 87.7, "L73-75"),
}


@pytest.mark.parametrize("slug", list(PARKING))
def test_parking_orbit_from_the_record(slug):
    hp, ha, inc, period, _line = PARKING[slug]
    orbit = fly(slug, with_faults=False, escape=False).parking_orbit
    # The guidance tunes on the apsides to 200 m; the yaw steering holds the plane to a
    # few hundredths of a degree; the issue asks 0.5 deg and 0.5 min.
    assert orbit["perigee_km"] == pytest.approx(hp, abs=1.0)
    assert orbit["apogee_km"] == pytest.approx(ha, abs=1.0)
    assert orbit["inclination_deg"] == pytest.approx(inc, abs=0.5)
    if period is not None:
        assert orbit["period_min"] == pytest.approx(period, abs=0.5)


# --- launch failures: the fault is the input, the end is computed ------------------------


@pytest.fixture(scope="module")
def m1_1():
    return fly("mars-1m-1")


def test_1m_no1_destroyed_after_losing_pitch_control(m1_1):
    # L5: control lost at T+300.9 s (the fault input), destruct at T+324.2 s when the pitch
    # error passed 7 deg (L7). The fault's drift rate (0.3 deg/s) is the record's mean error
    # rate, so this checks consistency, not a prediction: the model adds the pitch
    # programme's own turning (~0.1 deg/s), hence 15 s of tolerance.
    assert m1_1.end == "destroyed"
    assert m1_1.event("loss_of_control").t_s == pytest.approx(300.9)
    assert m1_1.event("destruct").t_s == pytest.approx(324.2, abs=15.0)
    # L5: the third stage had burnt 13.3 s when it was cut off: Block I was burning
    ignitions = [e for e in m1_1.events if e.name == "ignition" and "Block I" in e.detail]
    assert ignitions and ignitions[0].t_s < m1_1.event("destruct").t_s
    assert m1_1.event("parking_orbit") is None


@pytest.mark.xfail(
    strict=True,
    reason="model's R-7 profile is ~190 km at T+324 s; the "
    "record's 120 km (L7) is not reproduced (see report)",
)
def test_1m_no1_destruct_altitude(m1_1):
    # L7: "reached an altitude of 120 km"; 30 km is the spread of R-7 family profiles.
    assert m1_1.event("destruct").altitude_km == pytest.approx(120.0, abs=30.0)


def test_1m_no2_third_stage_does_not_ignite_at_290_s():
    res = fly("mars-1m-2")
    # L11: at T+290 s Block I failed to ignite. The model's core burns 291 s (Soyuz-L core
    # figures): 5 s of tolerance for the difference between the 8K78's core and those.
    fail = res.event("ignition_failure")
    assert fail is not None and "Block I" in fail.detail
    assert fail.t_s == pytest.approx(290.0, abs=5.0)
    assert res.end == "destroyed" and res.event("breakup") is not None


def test_m69_522_engine_fire_brings_the_proton_down_near_the_pad():
    res = fly("m-69-522")
    # Fault: one of six first-stage engines lost at T+0.02 s (L67). Record (Siddiqi, NASA
    # 'M-69 No. 522'): the booster flew on five engines, veered, and hit the ground about
    # 3 km from the pad at T+41 s. The model holds the attitude (five engines have the
    # authority) but, at 5/6 thrust, its gravity turn folds over. Tolerances: 5 s (the
    # first-stage pitch programme is generic) and a factor of 2 in range.
    assert res.event("engine_failure").t_s == pytest.approx(0.02)
    assert res.event("loss_of_control") is None
    impact = res.event("impact")
    assert res.end == "impact"
    assert impact.t_s == pytest.approx(41.0, abs=5.0)
    assert 1.5 < impact.range_km < 6.0


def test_m69_521_third_stage_fails_at_438_s():
    res = fly("m-69-521")
    # Fault: the third stage's turbopump fire at T+438.66 s (video 00:20:22: 438 s; L61's
    # header says the third stage failed). The model must be in its third-stage burn then,
    # suborbital, and the wreck falls far downrange.
    third = [e for e in res.events if e.name == "ignition" and "stage 3" in e.detail][0]
    assert third.t_s < 438.66
    assert res.event("explosion").t_s == pytest.approx(438.66)
    nominal = tuned_launch(
        "proton-k-d", "Baikonur", "81/23", IDENTITY["m-69-521"][0], 3800.0, 159.0, 174.0, 51.4
    ).nominal
    assert nominal.event("cutoff").t > 438.66
    assert res.end == "destroyed" and res.event("parking_orbit") is None
    assert res.event("breakup").range_km > 1000.0


# --- Cosmos 419: a timer longer than the orbit's life --------------------------------------


def test_cosmos_419_reenters_before_its_timer():
    res = fly("cosmos-419")
    assert res.end == "decayed"
    assert res.event("escape_burn") is None
    # L75: launched 1971-05-10, re-entered 1971-05-12: within a factor of 2 (decay model)
    recorded = tdb_from_utc("1971-05-12T12:00") - tdb_from_utc(IDENTITY["cosmos-419"][0])
    assert 0.5 < res.lifetime_days / (recorded / DAY_S) < 2.0
    data = json.loads(res.to_json())
    assert data["decay_utc"].startswith("1971-05-1") and data["lifetime_days"] > 0


def test_cosmos_419_with_the_right_timer_leaves_the_earth():
    # The counterfactual: the same code with the fault removed fires the Block D at 1.5 h.
    res = fly("cosmos-419", with_faults=False)
    assert res.end == "departed"
    assert res.departure.c3_km2_s2 > 0


# --- a departure ---------------------------------------------------------------------------


def test_mars_3_departure_matches_its_lambert_arc():
    res = fly("mars-3")
    d = res.departure
    assert res.end == "departed"
    # cut-off on the Lambert C3 (the event's resolution is far below 1e-3 km2/s2)
    assert d.c3_km2_s2 == pytest.approx(d.target_c3_km2_s2, abs=1e-3)
    # the design timer points the asymptote within a few degrees of the Lambert one: what
    # is left is the angle between the parking plane and the asymptote (2-3 deg)
    cos = math.sin(math.radians(d.dec_deg)) * math.sin(math.radians(d.target_dec_deg)) + math.cos(
        math.radians(d.dec_deg)
    ) * math.cos(math.radians(d.target_dec_deg)) * math.cos(
        math.radians(d.ra_deg - d.target_ra_deg)
    )
    assert math.degrees(math.acos(min(1.0, cos))) < 5.0
    data = json.loads(res.to_json())
    for key in ("c3_km2_s2", "vinf_km_s", "ra_deg", "dec_deg", "time_utc"):
        assert key in data["departure"]
    for ev in data["events"]:
        assert {"name", "t_s", "altitude_km"} <= set(ev)
    assert set(data["parking_orbit"]) == {
        "perigee_km",
        "apogee_km",
        "inclination_deg",
        "period_min",
    }
    # the hand-over to the cruise: heliocentric, 1 AU from the Sun, near the Earth
    from marsprobe.ephemeris import position

    assert np.linalg.norm(d.r - position("earth", d.epoch, "sun")) < 1e8
    assert d.mass_kg == 4643.0


# --- the Proton-K/D's capability against the record ---------------------------------------


def _c3(slug_epoch: str, arrival: str) -> float:
    return float(np.sum(target_v_inf(tdb_from_utc(slug_epoch) + 4700.0, arrival) ** 2)) / 1e6


def _best(utc: str, pad: str, payload: float) -> float:
    launch = tuned_launch("proton-k-d", "Baikonur", pad, utc, payload, 159.0, 174.0, 51.4)
    return best_c3(load_vehicle("proton-k-d"), launch) / 1e6


def test_proton_k_d_capability_against_the_record(capsys):
    # C3 of the flown dates from the Lambert arcs (launch L79/L85/L91-L109, arrivals L81,
    # L87, L93, L99, L105, L111). The Block D's dry mass was inferred from the 1971 record
    # (see proton-k-d.toml), so the 1971 line checks consistency; the 1973 lines predict.
    c3_1971 = max(
        _c3("1971-05-19T16:22:44Z", "1971-11-27"), _c3("1971-05-28T15:26:30Z", "1971-12-02")
    )
    c3_m5 = _c3("1973-07-25T18:55:48Z", "1974-02-12")
    c3_m7 = _c3("1973-08-09T17:00:17Z", "1974-03-09")
    m71_1971 = _best("1971-05-28T15:26:30Z", "81/23", 4650.0)
    m73_orbiter = _best("1973-07-25T18:55:48Z", "81/24", 3440.0)
    m73_lander = _best("1973-08-09T17:00:17Z", "81/24", 3260.0)
    m71_1973 = _best("1973-07-25T18:55:48Z", "81/24", 4650.0)
    with capsys.disabled():
        print(
            f"\n1971 M-71 4650 kg: best C3 {m71_1971:.2f} vs needed {c3_1971:.2f} km2/s2; "
            f"1973 M-73 3440 kg: {m73_orbiter:.2f} vs {c3_m5:.2f}; 3260 kg: "
            f"{m73_lander:.2f} vs {c3_m7:.2f}; 4650 kg in 1973: {m71_1973:.2f} vs {c3_m5:.2f}"
        )
    assert m71_1971 > c3_1971
    assert m73_orbiter > c3_m5
    assert m73_lander > c3_m7
    assert m71_1973 < c3_m5


@pytest.mark.slow
def test_max_payload_for_the_1971_c3(capsys):
    c3 = _c3("1971-05-28T15:26:30Z", "1971-12-02")
    p, info = max_payload(
        load_vehicle("proton-k-d"),
        load_site("Baikonur", "81/23"),
        tdb_from_utc("1971-05-28T15:26:30Z"),
        tuned_launch(
            "proton-k-d", "Baikonur", "81/23", "1971-05-28T15:26:30Z", 4643.0, 159.0, 174.0, 51.4
        ).target,
        c3,
        guess_kg=4650.0,
    )
    with capsys.disabled():
        print(
            f"\nProton-K/D max payload to C3 {c3:.2f} km2/s2 (Mars 3): {p:.0f} kg, "
            f"margin {p - 4643:.0f} kg over Mars 3's 4,643 kg; trials {info}"
        )
    # Mars 3 flew 4,643 kg (L87) and the check above says it fits; the largest payload
    # must then be above it, by less than 1 t (the Block D's dry mass was inferred just
    # below the limit).
    assert 4643.0 < p < 5643.0
