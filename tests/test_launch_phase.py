"""The launch phases flown end to end from the mission files' [flight] tables (read as the
replay reads them, marsprobe.analysis.guidance_design.launch_inputs): parking orbits from
the recorded pads, the launch failures from their documented faults, Cosmos 419's timer,
Cosmos 21's tumbling burn, departures and their aim, and the vehicles' capability against
the record. Record values cite the chronology 002_d3f98a46457d5b1f.txt (Lnn) or the
sources named beside them."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from marsprobe.analysis.guidance_design import fly as fly_mission
from marsprobe.analysis.guidance_design import launch_inputs
from marsprobe.ascent.capability import best_c3, max_payload
from marsprobe.ascent.library import load_site, load_vehicle
from marsprobe.ascent.tuning import Shroud, Target, tune
from marsprobe.catalog import load, slugs
from marsprobe.constants import DAY_S
from marsprobe.mission.departure import target_v_inf
from marsprobe.mission.launch import nominal_launch, tune_guidance
from marsprobe.time import tdb_from_utc

ENDS = {"departed", "decayed", "destroyed", "impact", "suborbital", "in_parking_orbit"}


def fly(slug: str, with_faults: bool = True, escape: bool = True):
    return fly_mission(slug, faults=with_faults, escape=escape)


def nominal(slug: str):
    """``slug``'s launch inputs without its faults (the design's flight)."""
    return launch_inputs(slug, faults=False)


# --- every mission flies --------------------------------------------------------------------


def test_every_mission_with_a_launch_has_stored_guidance():
    # The 29 catalog missions (marsprobe missions); the guidance is data, not tuned on replay.
    assert len(slugs()) == 29
    for slug in slugs():
        assert "launch" in (load(slug).flight or {}), slug
        assert nominal(slug).launch.guidance is not None, slug


@pytest.mark.parametrize("slug", sorted(slugs()))
def test_mission_launch_replays(slug):
    res = fly(slug)
    assert res.end in ENDS
    if res.departure is not None:
        # the burn cuts off on the target C3 unless it ran dry (event resolution 1e-3)
        short = res.event("escape_failure") is not None
        assert short or res.departure.c3_km2_s2 == pytest.approx(
            res.departure.target_c3_km2_s2, abs=1e-3
        )


# --- parking orbits reached by the guidance from the recorded pad ------------------------
# (perigee km, apogee km, inclination deg, period min or None, source)
PARKING = {
    "sputnik-22": (202, 260, 65.1, 89.1, "L19"),
    "mars-1": (157, 238, 65.0, None, "L25"),
    "cosmos-21": (192, 231, 64.8, 88.7, "L35-37"),
    # the header's figures (L73), which the catalog chose (see its record.orbits reason)
    "cosmos-419": (134, 187, 51.5, 87.7, "L73"),
    # lissov1996: the Block D-2's first burn made an initial circular 160 km orbit
    "mars-96": (160, 161, 51.6, None, "lissov1996"),
}


@pytest.mark.parametrize("slug", list(PARKING))
def test_parking_orbit_from_the_record(slug):
    hp, ha, inc, period, _line = PARKING[slug]
    orbit = fly(slug, with_faults=False, escape=False).parking_orbit
    # The stored guidance was tuned on the apsides to 200 m and stored to 10 digits; the
    # yaw steering holds the plane to a few hundredths of a degree; 1 km and 0.5 deg, 0.5 min.
    assert orbit.perigee_km == pytest.approx(hp, abs=1.0)
    assert orbit.apogee_km == pytest.approx(ha, abs=1.0)
    assert orbit.inclination_deg == pytest.approx(inc, abs=0.5)
    if period is not None:
        assert orbit.period_min == pytest.approx(period, abs=0.5)


def test_stored_guidance_is_reproduced_by_retuning():
    # Re-optimising Mariner 4's programme from scratch must give back the stored constants:
    # the pitch-over to the golden-section search's 0.05 deg (plus the flatness of the
    # optimum, 0.2 deg in all), the linear-tangent pair to 1 % (the least-squares stops at
    # 200 m of perigee, which moves them by less).
    inputs = nominal("mariner-4")
    fresh = tune_guidance(*inputs.ascent)
    stored = inputs.launch.guidance
    assert fresh.pitch_kick_deg == pytest.approx(stored.pitch_kick_deg, abs=0.2)
    assert fresh.lt_a == pytest.approx(stored.lt_a, rel=0.01, abs=0.005)
    assert fresh.lt_b == pytest.approx(stored.lt_b, rel=0.01, abs=5e-5)


# --- launch failures: the fault is the input, the end is computed ------------------------


@pytest.fixture(scope="module")
def m1_1():
    return fly("1m-no-1")


def test_1m_no1_destroyed_after_losing_pitch_control(m1_1):
    # L5: control lost at T+300.9 s (the fault input), destruct at T+324.2 s when the pitch
    # error passed 7 deg (L7). The fault's drift rate (0.3 deg/s) is the record's mean error
    # rate, so this checks consistency, not a prediction: the programme's own pitching
    # (about 0.13 deg/s at that time) adds to or takes from it, so 7 deg takes between
    # 7 / 0.43 = 16 s and 7 / 0.17 = 41 s: 18 s of tolerance.
    assert m1_1.end == "destroyed"
    assert m1_1.event("loss_of_control").t_s == pytest.approx(300.9)
    assert m1_1.event("destruct").t_s == pytest.approx(324.2, abs=18.0)
    # L5: the third stage had burnt 13.3 s when it was cut off: Block I was burning
    ignitions = [e for e in m1_1.events if e.name == "ignition" and "Block I" in e.detail]
    assert ignitions and ignitions[0].t_s < m1_1.event("destruct").t_s
    assert m1_1.event("parking_orbit") is None


@pytest.mark.xfail(
    strict=True,
    reason="the model's R-7 profile is ~180 km high at the destruct (optimised programme, "
    "as with the former 6 deg pitch-over); the record's 120 km (L7) is not reproduced",
)
def test_1m_no1_destruct_altitude(m1_1):
    # L7: "reached an altitude of 120 km"; 30 km is the spread of R-7 family profiles.
    assert m1_1.event("destruct").altitude_km == pytest.approx(120.0, abs=30.0)


def test_1m_no2_third_stage_does_not_ignite_at_290_s():
    res = fly("1m-no-2")
    # L11: at T+290 s Block I failed to ignite. The model's core burns 291 s (Soyuz-L core
    # figures): 5 s of tolerance for the difference between the 8K78's core and those.
    fail = res.event("ignition_failure")
    assert fail is not None and "Block I" in fail.detail
    assert fail.t_s == pytest.approx(290.0, abs=5.0)
    assert res.end == "destroyed" and res.event("breakup") is not None


def test_3mv_1a_no2_block_i_explodes_and_falls_near_barabinsk():
    res = fly("3mv-1a-no-2")
    # nasa-sse@3mv-1a-4a/in-depth: the frozen, cracked feed line blew up the third stage
    # (Block I) -- the chronology's "failed stage 2" in its count from the core (L41).
    boom = res.event("explosion")
    assert boom is not None and "Block I" in boom.detail
    assert res.end == "destroyed" and res.event("parking_orbit") is None
    # raumfahrtkalender@1964-f01: the debris fell about 85 km north of Barabinsk, 1,540 km
    # from pad 1/5 (great circle to 55.35 N + 85 km, 78.35 E; Barabinsk's coordinates
    # recalled from Wikipedia). The model's ballistic fall from the explosion point: 25 %.
    assert res.event("breakup").range_km == pytest.approx(1540.0, rel=0.25)


def test_m69_522_engine_fire_brings_the_proton_down_near_the_pad():
    res = fly("m-69-no-522")
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
    res = fly("m-69-no-521")
    # Fault: the third stage's turbopump fire at T+438.66 s (video 00:20:22: 438 s; L61's
    # header says the third stage failed). The model must be in its third-stage burn then,
    # suborbital, and the wreck falls far downrange.
    third = [e for e in res.events if e.name == "ignition" and "stage 3" in e.detail][0]
    assert third.t_s < 438.66
    assert res.event("explosion").t_s == pytest.approx(438.66)
    flown = nominal_launch(*nominal("m-69-no-521").ascent).nominal
    assert flown.event("cutoff").t > 438.66
    assert res.end == "destroyed" and res.event("parking_orbit") is None
    assert res.event("breakup").range_km > 1000.0


def test_mariner_8_centaur_tumbles_into_the_atlantic():
    res = fly("mariner-8")
    # wikipedia@Mariner 8, nasa-aa@1971-05-08: pitch oscillation from Centaur ignition
    # (T+265 s, the fault time), engines starved at T+365 s (a fault input), stage and
    # spacecraft re-entered about 1,500 km downrange. The tumble rate is chosen, so the
    # range is checked to 40 %.
    assert res.event("loss_of_control").t_s == pytest.approx(265.0)
    assert res.event("engine_failure").t_s == pytest.approx(365.0)
    assert res.event("parking_orbit") is None and res.end in {"destroyed", "suborbital"}
    assert res.event("breakup").range_km == pytest.approx(1500.0, rel=0.4)


def test_mariner_3_leaves_with_its_shroud_on():
    res = fly("mariner-3")
    # nasa-sse@mariner-03/in-depth: the shroud never separated and the craft still entered a
    # heliocentric orbit. The shroud (136 kg, TIME 1964-12-04) rides on the spacecraft.
    assert res.event("shroud_failure") is not None and res.event("shroud_jettison") is None
    assert res.end == "departed"
    assert res.departure.shroud_attached_kg == pytest.approx(136.0)
    assert res.departure.mass_kg == pytest.approx(260.8 + 136.0)
    # without the fault the same code drops it at T+300 s
    clean = fly("mariner-3", with_faults=False)
    assert clean.event("shroud_jettison").t_s == pytest.approx(300.0)
    assert clean.departure.shroud_attached_kg == 0.0


# --- Cosmos 419 and Mars 96: stranded ------------------------------------------------------


def test_cosmos_419_reenters_before_its_timer():
    res = fly("cosmos-419")
    assert res.end == "decayed"
    assert res.event("escape_burn") is None
    # L75: launched 1971-05-10, re-entered 1971-05-12: within a factor of 2 (decay model)
    recorded = tdb_from_utc("1971-05-12T12:00") - tdb_from_utc(load("cosmos-419").launch_utc.value)
    assert 0.5 < res.lifetime_days / (recorded / DAY_S) < 2.0
    data = json.loads(res.to_json())
    assert data["decay_utc"].startswith("1971-05-1") and data["lifetime_days"] > 0


def test_cosmos_419_with_the_right_timer_leaves_the_earth():
    # The counterfactual: the same code with the fault removed fires the Block D at 1.5 h.
    res = fly("cosmos-419", with_faults=False)
    assert res.end == "departed"
    assert res.departure.c3_km2_s2 > 0


def test_cosmos_21_tumbling_burn_leaves_the_stack_in_orbit():
    # L35-37: Block L lost its attitude in the coast and fired in the wrong direction; the
    # stack stayed in orbit and decayed on 1963-11-14, about 3 days after the launch of
    # 1963-11-11 06:23 (2.7 to 3.7 days at the record's one-day resolution). A stage
    # tumbling while it fires turns its thrust round and round: the orbit changes little
    # (tests/test_ascent.py bounds the net velocity change), and what comes down is the
    # light burnt-out stage. Within a factor of 2 (decay model, as for Cosmos 419).
    res = fly("cosmos-21")
    assert res.event("escape_failure") is not None and res.end == "decayed"
    assert 0.5 < res.lifetime_days / 3.2 < 2.0


def test_mars_96_block_d2_does_not_fire_and_the_stack_comes_down():
    res = fly("mars-96")
    assert res.event("ignition_failure") is not None and res.end == "decayed"
    # L135 / lissov1996: launched 1996-11-16 20:49 UT, the Block D-2 re-entered on
    # 18 November (about 1.1-1.6 days later at the record's one-day resolution): the model's
    # stack, which the failed burn leaves in its 160 km orbit, within a factor of 2 (issue 4).
    # The craft itself came down on the 17th, after its own engine fired: not modelled.
    assert 1.1 / 2.0 < res.lifetime_days < 1.6 * 2.0


# --- departures ----------------------------------------------------------------------------


def test_mars_3_departure_matches_its_lambert_arc():
    res = fly("mars-3")
    d = res.departure
    assert res.end == "departed"
    # cut-off on the Lambert C3 (the event's resolution is far below 1e-3 km2/s2)
    assert d.c3_km2_s2 == pytest.approx(d.target_c3_km2_s2, abs=1e-3)
    # the designed timer and held attitude point the asymptote at the design aim; what is
    # left is the part of the turn out of the parking plane that the Block D's propellant
    # reserve cannot pay for (test_escape_design_puts_the_asymptote_on_the_aim): well under 5 deg
    cos = math.sin(math.radians(d.dec_deg)) * math.sin(math.radians(d.target_dec_deg)) + math.cos(
        math.radians(d.dec_deg)
    ) * math.cos(math.radians(d.target_dec_deg)) * math.cos(
        math.radians(d.ra_deg - d.target_ra_deg)
    )
    assert math.degrees(math.acos(min(1.0, cos))) < 5.0
    data = json.loads(res.to_json())
    for key in ("c3_km2_s2", "vinf_km_s", "ra_deg", "dec_deg", "time_utc", "mass_kg"):
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


def test_phobos_escape_is_finished_by_the_spacecraft():
    res = fly("phobos-2")
    # lissov1996 (Mars 96, the same profile): the Block D-2 gives 3,150 m/s, the craft's
    # propulsion unit completes the escape. The ideal velocity of the metered burn is the
    # meter's setting; the craft then reaches the Lambert C3 with propellant to spare.
    assert res.extra["escape_burn"]["dv_ideal_m_s"] == pytest.approx(3150.0, abs=1.0)
    assert res.event("spacecraft_burn") is not None and res.end == "departed"
    used = res.extra["spacecraft_burn"]["propellant_used_kg"]
    assert 0.0 < used < 3000.0
    assert res.departure.mass_kg == pytest.approx(6220.0 - used, abs=0.1)  # used is rounded


def test_zond_3_leaves_on_its_lunar_flyby_c3():
    res = fly("zond-3")
    # lunar-flyby design of the mission file: 5.5 km2/s2 (no Lambert target, so no RA/Dec target)
    assert res.end == "departed"
    assert res.departure.c3_km2_s2 == pytest.approx(5.5, abs=1e-3)
    assert "target_ra_deg" not in res.departure.to_dict()


# --- the escape design: timer, held attitude and launch targets -----------------------------

DESIGNED = sorted(
    slug
    for slug in slugs()
    if "aim_c3_km2_s2" in (load(slug).flight or {}).get("escape", {}) and slug != "cosmos-419"
)


@pytest.mark.parametrize("slug", DESIGNED)
def test_escape_design_puts_the_asymptote_on_the_aim(slug):
    # Flown without its faults (the design is the nominal flight), the escape must leave on
    # the stored launch targets. Tolerance 0.01 deg: the attitude is solved to 1e-9 rad, then
    # stored to 1e-5 deg (the asymptote follows the attitude about one to one), the timer is
    # stored to 0.1 s and the attitude solved again for it; 0.01 deg of a 3-4 km/s excess
    # velocity is 0.5-0.7 m/s, well under the smallest first course correction flown (Mariner
    # 4's, below). Where the design says the propellant reserve cannot buy the whole turn out
    # of the parking plane, the residual must be smaller than that plane's own miss (what a
    # burn that follows its velocity leaves) and the stage must end on its reserve (0.5 % of
    # its load, marsprobe.analysis.escape_design.RESERVE) to the kilogram.
    from marsprobe.analysis.escape_design import RESERVE
    from marsprobe.ascent.escape import coast
    from marsprobe.ascent.library import load_vehicle
    from marsprobe.ascent.tuning import icrf_from_ascent

    res = fly(slug, with_faults=False)
    assert res.end == "departed"
    burn = res.extra["escape_burn"]
    assert burn["attitude"] == "inertial hold"
    d = res.departure
    assert d.c3_km2_s2 == pytest.approx(d.target_c3_km2_s2, abs=1e-3)
    error = burn["asymptote_error_deg"]
    inputs = nominal(slug)
    esc = inputs.escape
    if "reserve pays for only" not in (esc.note or ""):
        assert error < 0.01
        return
    tuned = nominal_launch(*inputs.ascent)
    r, v = coast(tuned.nominal.r, tuned.nominal.v, esc.timer_s)
    normal = icrf_from_ascent(tuned.t0) @ np.cross(r, v)
    aim = esc.aim()
    out_of_plane = math.degrees(
        math.asin(abs(normal @ aim) / np.linalg.norm(normal) / 1e3 / math.sqrt(esc.aim_c3_km2_s2))
    )
    assert 0.0 < error < out_of_plane
    vehicle = load_vehicle(inputs.vehicle)
    stage_load = tuned.nominal.stage_propellant[vehicle.escape_stage]
    assert burn["propellant_left_kg"] == pytest.approx(RESERVE * stage_load, abs=1.0)


def test_stored_escape_design_is_reproduced():
    # Mars 6's design computed afresh must give back the stored values: the timer to 0.2 s
    # (stored to 0.1 s; Brent's search stops at 0.5 s, but the optimum it returns is
    # repeatable), the held attitude and the aim to 0.01 deg (stored to 1e-5 deg; the n-body
    # target converges to 0.05 m/s, 1e-3 deg), the C3 to 1e-3 km2/s2. A difference means the
    # guidance, the parking orbit or the cruise's aim changed since the design was stored:
    # run python -m marsprobe.analysis.escape_design --write again.
    from marsprobe.analysis.escape_design import design
    from marsprobe.ascent.escape import angle_deg
    from marsprobe.mission.departure import unit_vector

    esc = nominal("mars-6").escape
    fresh = design("mars-6")
    assert fresh.timer_s == pytest.approx(esc.timer_s, abs=0.2)
    stored_axis = unit_vector(esc.thrust_ra_deg, esc.thrust_dec_deg)
    assert angle_deg(unit_vector(fresh.thrust_ra_deg, fresh.thrust_dec_deg), stored_axis) < 0.01
    stored_aim = unit_vector(esc.aim_ra_deg, esc.aim_dec_deg)
    assert angle_deg(unit_vector(fresh.aim_ra_deg, fresh.aim_dec_deg), stored_aim) < 0.01
    assert fresh.aim_c3_km2_s2 == pytest.approx(esc.aim_c3_km2_s2, abs=1e-3)


def test_mariner_4_first_correction_is_no_larger_than_the_flown_one():
    # Mariner 4 made one midcourse correction, on 1964-12-05, and needed no second
    # (NASA Release 64-310 via thespacelibrary.com, 'Dec 5 1964'); its size, 16.7 m/s, is
    # the figure the project brief gives (the Mariner-Mars 1964 final report, NASA SP-139,
    # was not re-read in the stored sources). That correction took out the Agena's
    # injection errors; a replay has none, so with the design's asymptote on the aim its
    # first correction must be no larger than the flown one. (Before the escape was aimed,
    # the replay's was 171 m/s.)
    from marsprobe.mission.replay import replay

    out = replay(load("mariner-4"))
    tcms = [e for e in out.flight.cruise.events if e.name == "tcm"]
    assert tcms and tcms[0].data["delta_v_m_s"] <= 16.7


# --- the vehicles' capability against the record ---------------------------------------------


def _c3(utc: str, arrival: str, coast_s: float = 4700.0) -> float:
    return float(np.sum(target_v_inf(tdb_from_utc(utc) + coast_s, arrival) ** 2)) / 1e6


def _best(slug: str, payload: float | None = None, utc: str | None = None) -> float:
    """Best C3 (km2/s2) of ``slug``'s vehicle and orbit with ``payload`` (default: the
    mission's) at ``utc`` (default: its launch), its stored pitch-over held and the
    linear-tangent pair re-tuned for the payload."""
    inputs = nominal(slug)
    launch, mass = inputs.launch, inputs.payload_mass_kg
    when, site, pad = inputs.launch_utc, inputs.site, inputs.pad
    vehicle = load_vehicle(inputs.vehicle)
    target = Target(
        launch.parking_perigee_km * 1e3,
        launch.parking_apogee_km * 1e3,
        math.radians(launch.parking_inclination_deg),
    )
    tuned = tune(
        vehicle,
        load_site(site, pad),
        tdb_from_utc(utc or when),
        payload if payload is not None else mass,
        target,
        pitch_kick_deg=launch.guidance.pitch_kick_deg,
        shroud=Shroud(launch.shroud_mass_kg, launch.shroud_jettison_t_s),
    )
    return best_c3(vehicle, tuned) / 1e6


def test_proton_k_d_capability_against_the_record(capsys):
    # C3 of the flown dates from the Lambert arcs (launch L79/L85/L91-L109, arrivals L81,
    # L87, L93, L99, L105, L111). The Block D's dry mass was inferred from the 1971 record
    # (see proton-k-d.toml), so the 1971 line checks consistency; the 1973 lines predict.
    c3_1971 = max(
        _c3("1971-05-19T16:22:44Z", "1971-11-27"), _c3("1971-05-28T15:26:30Z", "1971-12-02")
    )
    c3_m5 = _c3("1973-07-25T18:55:48Z", "1974-02-12")
    c3_m7 = _c3("1973-08-09T17:00:17Z", "1974-03-09")
    m71_1971 = _best("mars-3", 4650.0)
    m73_orbiter = _best("mars-5")
    m73_lander = _best("mars-7")
    m71_1973 = _best("mars-5", 4650.0)
    with capsys.disabled():
        print(
            f"\nProton-K/D: 1971 M-71 4650 kg: best C3 {m71_1971:.2f} vs needed {c3_1971:.2f} "
            f"km2/s2; 1973 M-73 3440 kg: {m73_orbiter:.2f} vs {c3_m5:.2f}; 3260 kg: "
            f"{m73_lander:.2f} vs {c3_m7:.2f}; 4650 kg in 1973: {m71_1973:.2f} vs {c3_m5:.2f}"
        )
    assert m71_1971 > c3_1971
    assert m73_orbiter > c3_m5
    assert m73_lander > c3_m7
    assert m71_1973 < c3_m5


# (slug, launch, design arrival) of the US flights; the C3 is the Lambert arc's from the
# recorded launch epoch to the recorded arrival (marsprobe.mission.departure.target_v_inf).
US = [
    ("mariner-4", "1964-11-28T14:22:01Z", "1965-07-15"),
    ("mariner-7", "1969-03-27T22:22:00Z", "1969-08-05"),
    ("mariner-9", "1971-05-30T22:23:04Z", "1971-11-14"),
    ("viking-1", "1975-08-20T21:22:00Z", "1976-06-19"),
]


@pytest.mark.parametrize("slug,utc,arrival", US)
def test_us_vehicles_send_their_payloads_to_the_flown_c3(slug, utc, arrival, capsys):
    # The whole propellant of the escape stage burnt prograde from perigee (best_c3) must
    # reach the C3 the mission needed: they flew. The margin is printed.
    need = _c3(utc, arrival, coast_s=2000.0)
    best = _best(slug)
    with capsys.disabled():
        print(
            f"\n{slug}: best C3 {best:.2f} km2/s2 vs needed {need:.2f} (margin {best - need:+.2f})"
        )
    assert best > need


@pytest.mark.slow
def test_max_payload_for_the_1971_c3(capsys):
    c3 = _c3("1971-05-28T15:26:30Z", "1971-12-02")
    inputs = nominal("mars-3")
    launch = inputs.launch
    p, info = max_payload(
        load_vehicle(inputs.vehicle),
        load_site("Baikonur", "81/23"),
        tdb_from_utc("1971-05-28T15:26:30Z"),
        Target(159e3, 174e3, math.radians(51.4)),
        c3,
        guess_kg=4650.0,
        pitch_kick_deg=launch.guidance.pitch_kick_deg,
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
