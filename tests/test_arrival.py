"""Arrival at Mars: orbit insertion as a finite burn, its faults, lander separation and
deflection, the entry state handed to EDL, flybys and the heliocentric orbits left behind,
compared with the record. Most flights start from their design departure
(tests/test_cruise_design.py) and fly the mission file's [flight] tables; the
propellant checks fly the whole replay from the pad (marsprobe.mission.replay)."""

from __future__ import annotations

import json
import math
from functools import cache

import numpy as np
import pytest

from marsprobe import constants as c
from marsprobe.frames import from_body_fixed, mars_fixed_matrix
from marsprobe.mission.arrival import (
    fly_arrival,
    fly_to_mars,
    heliocentric_orbit,
    propellant_for_orbit,
    propellant_loss_for_period,
)
from marsprobe.mission.cruise import mars_pole
from marsprobe.orbits import nbody
from marsprobe.orbits.conics import b_plane
from marsprobe.orbits.kepler import period_from_apsides
from test_cruise_design import design_departure, flight, params


def _orbit_period_min(peri_km, apo_km):
    return period_from_apsides(c.R_MARS + peri_km * 1e3, c.R_MARS + apo_km * 1e3, c.GM_MARS) / 60


# ---------------------------------------------------------------- capture orbits


def test_mars2_capture_orbit():
    # Record: 1,380 x 24,940 km, 18 h (1,080 min), 48.9 deg (002_d3f98a46457d5b1f.txt@L81).
    # The design aim and capture orbit are those achieved values (see the mission file), so this
    # checks that the finite KTDU-425A burn, cut off by the guidance, lands on them: 1 % (the
    # issue's tolerance; the record's own 18 h vs Kepler's 1,078 min is 0.2 %).
    orbit = flight("mars-2").arrival.capture_orbit
    assert orbit.periapsis_km == pytest.approx(1380, rel=0.01)
    assert orbit.apoapsis_km == pytest.approx(24940, rel=0.01)
    assert orbit.period_min == pytest.approx(1080, rel=0.01)
    assert orbit.inclination_deg == pytest.approx(48.9, abs=0.1)


def test_mars2_had_the_propellant_for_its_recorded_orbit():
    # "Whether the propellant on board could have done what the record says": the impulsive
    # propellant for the recorded 1,380 x 24,940 km orbit from this approach must fit in
    # what the orbiter still carried (M-71 load 1,175 kg less the corrections), with margin
    # for the finite burn's losses (the replay's own burn used what it reports).
    f = flight("mars-2")
    need = propellant_for_orbit(f, 1380, 24940)
    moi = f.arrival.moi
    assert need < moi.propellant_available_kg
    assert moi.propellant_used_kg < moi.propellant_available_kg
    assert moi.end == "guidance cut-off"


def test_mars5_capture_orbit():
    # Record: 1,760 x 32,586 km, 24 h 53 min (1,493 min), 35.32 deg (nasa-sse@mars-05,
    # 002_d3f98a46457d5b1f.txt@L99); achieved values used as the design; 1 % as for Mars 2.
    orbit = flight("mars-5").arrival.capture_orbit
    assert orbit.periapsis_km == pytest.approx(1760, rel=0.01)
    assert orbit.apoapsis_km == pytest.approx(32586, rel=0.01)
    assert orbit.period_min == pytest.approx(1493, rel=0.01)
    assert orbit.inclination_deg == pytest.approx(35.32, abs=0.1)


def test_mars3_without_its_fault_reaches_the_planned_orbit():
    # Design: 1,500 x 33,000 km, 25 h (drewexmachina 2014; wikipedia@Mars 3 gives 25 h). With
    # the propellant it was built with, the same code flies the planned orbit: 1 %.
    f = flight("mars-3", without=("propellant-short",))
    orbit = f.arrival.capture_orbit
    assert orbit.period_min == pytest.approx(25 * 60, rel=0.01)
    assert orbit.apoapsis_km == pytest.approx(33000, rel=0.01)


@cache
def _mars3_replay():
    from marsprobe.catalog.loader import load
    from marsprobe.mission.replay import replay

    return replay(load("mars-3"))


def test_mars3_long_orbit_comes_from_the_short_burn():
    # Record: about 1,500 x 211,400 km, 12 d 19 h = 18,420 min (wikipedia@Mars 3). The whole
    # replay, from the pad: with the fault the burn runs the tanks dry ("propellant
    # exhausted") and the orbit is long. The fault's size was inferred from this orbit on this
    # flight (next test): 1 % checks that the finite burn gives it; 1 kg moves it by ~4 %.
    f = _mars3_replay().flight
    orbit, moi = f.arrival.capture_orbit, f.arrival.moi
    assert moi.end == "propellant exhausted"
    assert orbit.period_min == pytest.approx(18420, rel=0.01)
    assert orbit.apoapsis_km == pytest.approx(211400, rel=0.01)
    assert orbit.periapsis_km == pytest.approx(1500, rel=0.01)


def test_mars3_fault_is_the_loss_the_record_implies():
    # The 'propellant-short' value is an inference, not a source: solving the
    # replay's own arrival for the recorded 18,420 min must give it back. It moves whenever
    # the flight before Mars does (the launch hand-over, the correction): then re-infer it
    # with propellant_loss_for_period and update mars-3.toml. 0.5 kg: the file's rounding
    # (0.1 kg) plus the solver's 1e-4 tolerance on the period (0.03 kg).
    from marsprobe.catalog.loader import load
    from marsprobe.mission.scenario import flight_plan

    arrival = flight_plan(load("mars-3")).get("arrival")  # the fault applied
    inferred = propellant_loss_for_period(_mars3_replay().flight.cruise, arrival, 18420)
    assert arrival.propellant_lost_kg == pytest.approx(inferred, abs=0.5), inferred


def test_mars3_record_implies_a_loss_the_budget_allows():
    # Independent of the finite burn: the impulsive propellant for the recorded orbit from
    # the replay's approach, against the orbiter's load after the correction, gives the loss
    # the record implies. It must be positive (the recorded orbit needs less than was on
    # board: the 'partial loss of fuel' of wikipedia@Mars 3 is needed to explain it) and
    # agree with the fault's finite-burn value to within the burn's steering and gravity
    # losses (~1 % of 950 m/s, i.e. ~10 kg; 20 kg allowed).
    f = _mars3_replay().flight
    on_board = f.cruise.propellant_kg
    implied = on_board - propellant_for_orbit(f, 1500, 211400)
    assert implied > 0
    assert implied == pytest.approx(params("mars-3")[1].propellant_lost_kg, abs=20)


@pytest.mark.parametrize(
    ("slug", "peri_km", "apo_km", "period_min"),
    [
        # 002_d3f98a46457d5b1f.txt@L81: 1,380 x 24,940 km, 18 h
        ("mars-2", 1380, 24940, 1080),
        # nasa-sse@mars-05/in-depth: 1,760 x 32,586 km, 24 h 53 min
        ("mars-5", 1760, 32586, 1493),
    ],
)
def test_m71_and_m73_loads_could_brake_into_the_recorded_orbits(slug, peri_km, apo_km, period_min):
    # The whole replay, from the pad: the finite burn, sized on board for the recorded
    # orbit (the achieved values used as the design), must reach it by the guidance cut-off
    # with propellant to spare in the M-71/M-73S load after the corrections (an upper bound,
    # see the spacecraft files). 1 % as for the design-departure tests.
    from marsprobe.catalog.loader import load
    from marsprobe.mission.replay import replay

    f = replay(load(slug)).flight
    moi, orbit = f.arrival.moi, f.arrival.capture_orbit
    assert moi.end == "guidance cut-off" and moi.propellant_left_kg > 0
    assert orbit.periapsis_km == pytest.approx(peri_km, rel=0.01)
    assert orbit.apoapsis_km == pytest.approx(apo_km, rel=0.01)
    assert orbit.period_min == pytest.approx(period_min, rel=0.01)


def test_mariner9_first_orbit_and_its_burn():
    # Record: first orbit 1,392 x 17,816 km, 64.28 deg, 12 h 34 min (herlent@mariner9.htm),
    # the achieved values used as the design (1 %: the finite burn reaches them); the burn
    # lasted 15 min 15 s from 00:17 UT (herlent). Its length is an output of the engine data
    # (NASA's 136 kgf; the Isp is chosen, 290 s) and the mass the replay brings to Mars: 10 %
    # covers a 5 % error in thrust or in the chosen Isp's effect, and the start within 2 min.
    from marsprobe.catalog.loader import load
    from marsprobe.mission.replay import replay
    from marsprobe.time import tdb_from_utc

    f = replay(load("mariner-9")).flight
    orbit, moi = f.arrival.capture_orbit, f.arrival.moi
    assert orbit.periapsis_km == pytest.approx(1392, rel=0.01)
    assert orbit.apoapsis_km == pytest.approx(17816, rel=0.01)
    assert orbit.inclination_deg == pytest.approx(64.28, abs=0.1)
    assert moi.end == "guidance cut-off"
    assert moi.burn_s == pytest.approx(15 * 60 + 15, rel=0.10)
    start = tdb_from_utc(moi.ignition_utc) - tdb_from_utc("1971-11-14T00:17")
    assert abs(start) < 120.0


def test_mars3_chronology_orbit_does_not_fit_kepler():
    # The chronology's 1,528 x 214,500 km with 18,243 min (002_d3f98a46457d5b1f.txt@L87)
    # disagree by 3 % under Kepler's law, while wikipedia@Mars 3's 1,500 x 211,400 km and
    # 12 d 19 h agree to 0.1 %: the catalog's choice of the latter stands.
    assert _orbit_period_min(1528, 214500) / 18243 - 1 > 0.025
    assert _orbit_period_min(1500, 211400) == pytest.approx(12 * 1440 + 19 * 60, rel=0.001)


# ---------------------------------------------------------------- flybys


def test_mars4_flies_past_with_its_engine_silent():
    # Record: no braking; closest approach 1,844 km (wikipedia@Mars 4) or 2,200 km
    # (002_d3f98a46457d5b1f.txt@L93). Mars 4's own aim is not known: its file flies its
    # twin's (Mars 5's 1,760 km). 10 % of 1,844 km covers that borrowing; the sources
    # themselves differ by 19 %.
    f = flight("mars-4")
    names = [e.name for e in f.arrival.events]
    assert "orbit_insertion_failure" in names and f.arrival.capture_orbit is None
    assert f.arrival.end == "flyby"
    assert f.arrival.flyby.closest_approach_km == pytest.approx(1844, rel=0.10)


def test_mars4_without_its_fault_is_captured():
    # Remove the fault and the same flight brakes into the M-73S design orbit.
    f = flight("mars-4", without=("computer-transistors",))
    assert f.arrival.end == "captured"
    assert f.arrival.capture_orbit.period_min == pytest.approx(1493, rel=0.01)


def test_mars6_lander_released_46000_to_48000_km_out():
    # Record: released 46,000 km (nasa-sse@mars-06/in-depth) or 48,000 km (nssdca, nasa-sse
    # -2008) from Mars, 4 h 04 min before entry. The distance comes out of the flight.
    sep = [e for e in flight("mars-6").arrival.events if e.name == "lander_separation"][0]
    assert 46000 <= sep.data["mars_distance_km"] <= 48000


def test_mars7_lander_misses_by_about_1300_km():
    # Record: the lander, its engine silent, passed Mars about 1,300 km away
    # (002_d3f98a46457d5b1f.txt@L111, 003_fa6a318af82a3965.txt@L1). The stack aimed at that
    # achieved value (see the mission file); 5 % checks the chain correction -> separation push ->
    # no deflection.
    f = flight("mars-7")
    assert f.arrival.lander.entered is False
    assert f.arrival.lander.miss_distance_km == pytest.approx(1300, rel=0.05)
    assert f.arrival.entry_state is None


def test_mars7_lander_with_a_working_engine_enters():
    f = flight("mars-7", without=("lander-engine-silent",))
    assert f.arrival.lander.entered is True
    assert f.arrival.entry_state.fpa_deg < 0


# ---------------------------------------------------------------- heliocentric orbits

HELIO_RECORD = {  # perihelion, aphelion (au), period (days), inclination (deg), flyby (km)
    "mars-4": ((1.02, 1.63, 556, 2.2), 1844.0),  # 002_d3f98a46457d5b1f.txt@L93
    "mars-6": ((1.01, 1.67, 567, 2.2), 1600.0),  # @L105
    "mars-7": ((1.01, 1.69, 574, 2.2), 1300.0),  # @L111
}
INCLINATION_TOL_DEG = 1.0  # the record gives 2.2 deg to a tenth; one degree is generous


def _close(orbit, rec, da_peri, da_apo, dt_days):
    return (
        abs(orbit[0] - rec[0]) <= da_peri
        and abs(orbit[1] - rec[1]) <= da_apo
        and abs(orbit[2] - rec[2]) <= dt_days
        and abs(orbit[3] - rec[3]) <= INCLINATION_TOL_DEG
    )


def _elements(helio):
    return (
        helio.perihelion_au,
        helio.aphelion_au,
        helio.period_days,
        helio.inclination_deg,
    )


@pytest.mark.parametrize("slug", sorted(HELIO_RECORD))
def test_recorded_final_orbit_is_the_transfer_orbit(slug):
    # The chronology calls these the final heliocentric orbits. Their perihelia, 1.01-1.02
    # au, are the Earth's distance at departure, and they agree with the TRANSFER orbit of
    # the flight (osculating heliocentric orbit on entering Mars' sphere of influence):
    # perihelion within 0.02 au (the tolerance), aphelion within 0.05 au and period
    # within 20 days, inclination within 1 deg. The wider aphelion and period tolerances are
    # the record's own: the transfer orbit is set by the recorded launch and arrival dates
    # (Lambert), and the records' aphelia sit 0.03-0.045 au above it; no flight between
    # those dates meets 0.02 au and 5 days.
    rec = HELIO_RECORD[slug][0]
    cr = flight(slug).cruise
    pre = _elements(heliocentric_orbit(cr.t, cr.r, cr.v, cr.center, cr.eph))
    assert _close(pre, rec, 0.02, 0.05, 20.0), pre


@pytest.mark.parametrize("slug", sorted(HELIO_RECORD))
def test_no_flyby_plane_leaves_the_recorded_orbit(slug):
    # The flyby at the recorded distance turns v_inf by 60-70 deg; sweeping the B-plane angle
    # round the full circle (patched conic: the flight's own v_inf and arrival epoch), no
    # plane leaves an orbit within 0.02 au, 5 days (the tolerance) and 1 deg of the
    # record. (For Mars 4 one plane comes within 0.02 au and 5 days, but inclined 5.6 deg.)
    # So the record's 'final' orbits cannot be post-flyby ones, whatever the aim was.
    rec, dist_km = HELIO_RECORD[slug]
    cr = flight(slug).cruise
    t = cr.t + 2.5 * c.DAY_S  # about the closest approach
    vm = nbody.exact_state(cr.eph, "mars", t, "sun")
    v_inf = float(b_plane(cr.r, cr.v, c.GM_MARS).v_inf)
    s_hat = cr.v / np.linalg.norm(cr.v)
    rp = c.R_MARS + dist_km * 1e3
    turn = 2 * math.asin(1 / (1 + rp * v_inf**2 / c.GM_MARS))
    u = np.cross(s_hat, [0.0, 0.0, 1.0])
    u /= np.linalg.norm(u)
    w = np.cross(s_hat, u)
    for theta in np.radians(np.arange(0.0, 360.0, 2.0)):
        b_hat = math.cos(theta) * u + math.sin(theta) * w
        out = v_inf * (math.cos(turn) * s_hat - math.sin(turn) * b_hat)
        orbit = _elements(heliocentric_orbit(t, vm[0], vm[1] + out, "sun", cr.eph))
        assert not _close(orbit, rec, 0.02, 0.02, 5.0), (math.degrees(theta), orbit)


def test_flyby_orbit_agrees_with_the_patched_conic():
    # Independent check of the n-body flyby: the heliocentric orbit after Mars 6's bus pass
    # against the patched conic of the same approach (v_inf turned by 2 asin(1/e) towards the
    # planet, in the plane of the B-plane point). The two differ by what the conic leaves
    # out (Mars' motion during the ~5 days in its sphere, the Sun's pull there): 0.01 au.
    f = flight("mars-6")
    cr = f.cruise
    fb = f.arrival.flyby
    bp = b_plane(cr.r, cr.v, c.GM_MARS, pole=mars_pole(cr.t))
    k = mars_pole(cr.t)
    from marsprobe.mission.cruise import asymptote

    s_hat = asymptote(cr.r, cr.v)
    t_hat = np.cross(s_hat, k) / np.linalg.norm(np.cross(s_hat, k))
    b_hat = math.cos(bp.theta) * t_hat + math.sin(bp.theta) * np.cross(s_hat, t_hat)
    rp = c.R_MARS + fb.closest_approach_km * 1e3
    turn = 2 * math.asin(1 / (1 + rp * float(bp.v_inf) ** 2 / c.GM_MARS))
    out = float(bp.v_inf) * (math.cos(turn) * s_hat - math.sin(turn) * b_hat)
    from marsprobe.time import tdb_from_utc

    t_ca = tdb_from_utc(fb.time_utc)
    rm, vm = nbody.exact_state(cr.eph, "mars", t_ca, "sun")
    conic = heliocentric_orbit(t_ca, rm, vm + out, "sun", cr.eph)
    nb = f.arrival.heliocentric_orbit
    assert nb.perihelion_au == pytest.approx(conic.perihelion_au, abs=0.01)
    assert nb.aphelion_au == pytest.approx(conic.aphelion_au, abs=0.01)


# ---------------------------------------------------------------- entry state


def test_entry_state_is_the_lander_state_in_the_documented_frame():
    # Rebuild the inertial Mars-centred state from the handed-over fields with the EDL
    # geometry and the WGCCRE 2009 rotation, and check it is a state on the lander's
    # hyperbola: same energy and the flight-path angle the mission file asks for (inertial).
    from marsprobe.edl.geometry import state_from_entry

    e = flight("mars-6").arrival.entry_state
    keys = ("altitude_m", "speed_m_s", "fpa_deg", "heading_deg", "lat_deg", "lon_deg")
    pos, vel = state_from_entry(*(np.array([getattr(e, k)]) for k in keys))
    r, v = from_body_fixed(pos[0], vel[0], "mars", e.epoch)
    assert np.linalg.norm(v) == pytest.approx(e.inertial_speed_m_s, abs=0.01)
    gamma = math.degrees(math.asin(np.dot(r, v) / np.linalg.norm(r) / np.linalg.norm(v)))
    design = params("mars-6")[1].entry_fpa_deg
    assert gamma == pytest.approx(design, abs=0.01)  # design inertial angle, re-aimed to 1e-4 rad
    assert e.altitude_m == pytest.approx(100e3, abs=1.0)
    m = np.asarray(mars_fixed_matrix(e.epoch))
    assert math.degrees(math.asin((m @ r)[2] / np.linalg.norm(r))) == pytest.approx(
        e.lat_deg, abs=1e-6
    )


def test_entry_state_feeds_the_edl_kernel():
    from marsprobe.edl import EntryState

    e = flight("mars-2").arrival.entry_state
    state = EntryState.single(
        **{
            k: getattr(e, k)
            for k in ("altitude_m", "speed_m_s", "fpa_deg", "heading_deg", "lat_deg", "lon_deg")
        }
    )
    assert len(state) == 1 and state.speed_m_s[0] > 5000


def test_lander_aimed_through_its_site_enters_near_it():
    # Mars 6's plane was set through the landing site (23.9 S, 19.4 W, nasa-sse-2008) and
    # its arrival time to the recorded entry (09:05:53 UT, nasa-sse): both achieved values
    # used as the design. The entry point is then uprange of the site by the length of a
    # ballistic descent (several hundred km, under 10 deg of longitude at 24 S), on its
    # latitude within 2 deg, and the entry comes within a minute of the recorded time.
    f = flight("mars-6")
    e = f.arrival.entry_state
    assert e.lat_deg == pytest.approx(-23.9, abs=2.0)
    east = 1.0 if math.sin(math.radians(e.heading_deg)) > 0 else -1.0
    uprange_deg = east * (-19.42 - e.lon_deg)
    assert 0.0 < uprange_deg < 10.0
    from marsprobe.time import tdb_from_utc

    assert abs(e.epoch - tdb_from_utc("1974-03-12T09:05:53")) < 60.0


# ---------------------------------------------------------------- JSON


@pytest.mark.parametrize(
    "slug, keys",
    [
        ("mars-2", {"capture_orbit", "entry_state", "lander", "moi"}),
        ("mars-4", {"flyby", "heliocentric_orbit", "moi"}),
        ("mars-7", {"flyby", "heliocentric_orbit", "lander"}),
        ("mars-1", {"flyby", "heliocentric_orbit"}),
    ],
)
def test_json_holds_what_the_command_line_prints(slug, keys):
    d = json.loads(flight(slug).to_json())
    assert keys <= set(d)
    assert all({"name", "time_utc"} <= set(e) for e in d["events"])
    if "capture_orbit" in d:
        assert {"periapsis_km", "apoapsis_km", "period_min", "inclination_deg"} <= set(
            d["capture_orbit"]
        )
    if "flyby" in d:
        assert {"closest_approach_km", "time_utc"} <= set(d["flyby"])
    if "heliocentric_orbit" in d:
        assert {"perihelion_au", "aphelion_au", "inclination_deg", "period_days"} <= set(
            d["heliocentric_orbit"]
        )
    if "lander" in d and not d["lander"]["entered"]:
        assert "miss_distance_km" in d["lander"]


def test_arrival_alone_from_a_cruise_result():
    # fly_arrival composes with any cruise result: Mars 5's cruise, arrival re-flown with
    # the engine cut off after 60 s (the burn-cut-short hook) stays hyperbolic.
    f = flight("mars-5")
    _, arrival = params("mars-5")
    res = fly_arrival(f.cruise, arrival.model_copy(update={"moi_cutoff_s": 60.0}))
    assert res.moi.end == "cut short" and res.moi.burn_s == pytest.approx(60.0, abs=0.01)
    assert res.end == "flyby"


def test_velocity_steered_burn_also_reaches_the_design_orbit():
    # The other attitude law: thrust against the current velocity. Same guidance cut-off,
    # so the same period (1 %); the periapsis moves a little, the burn differs by seconds.
    f = flight("mars-2")
    _, arrival = params("mars-2")
    res = fly_arrival(f.cruise, arrival.model_copy(update={"moi_attitude": "velocity"}))
    assert res.capture_orbit.period_min == pytest.approx(1080, rel=0.01)
    assert res.moi.burn_s == pytest.approx(f.arrival.moi.burn_s, abs=5.0)


def test_a_lander_whose_burn_comes_after_its_periapsis_misses_by_the_pass_distance():
    # Mars 7's module (its engine silent) pushed off only 60 s before the carrier's closest
    # approach: the time of its (missing) burn, 900 s later, is already past periapsis.
    # Its miss distance is still that of its pass, where it was when it crossed the
    # periapsis, not a heliocentric near-miss days later (once 680,594 km). 0.5 m/s of push
    # for 60 s moves it 30 m: 1 km covers that and the rounding of both figures.
    cruise, arrival = params("mars-7")
    late = arrival.model_copy(update={"separation_before_periapsis_s": 60.0})
    f = fly_to_mars(design_departure("mars-7"), cruise, late)
    assert f.arrival.lander.entered is False
    carrier = f.arrival.flyby.closest_approach_km
    assert f.arrival.lander.miss_distance_km == pytest.approx(carrier, abs=1.0)
