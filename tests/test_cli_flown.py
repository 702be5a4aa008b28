"""Say what was flown: the entry state's origin, the faults flown and not, N/S E/W, drivers."""

from __future__ import annotations

import json

import numpy as np
import pytest

from marsprobe.analysis.sensitivity import dominant, first_order_index, rank_drivers
from marsprobe.cli.render import latlon


def test_plain_edl_of_mars_2_flies_the_arrival_and_crashes(cli):
    code, out, _ = cli("edl", "mars-2")
    assert code == 0
    first = out.splitlines()[0]
    assert "arrival's hand-over" in first and "what happened" in first
    assert "faults flown: steep-entry" in out
    assert "did NOT survive" in out
    _, js, _ = cli("edl", "mars-2", "--json")
    data = json.loads(js)
    assert data["entry_source"] == "arrival" and data["faults_flown"] == ["steep-entry"]
    assert data["touchdown"]["survived"] is False
    # Mars 2 struck the surface (Perminov 1999, the mission file's [record]): the steep entry
    # leaves no time for the parachute; the touchdown is hundreds of m/s, not a landing
    assert data["touchdown"]["speed_m_s"] > 100.0


def test_design_entry_is_on_request_and_says_what_it_skips(cli):
    code, out, _ = cli("edl", "mars-2", "--design-entry", "--json")
    data = json.loads(out)
    assert code == 0 and data["entry_source"] == "design"
    assert data["faults_flown"] == []
    assert data["faults_not_flown"] == [
        {"id": "steep-entry", "reason": "acts before the entry; the design entry skips it"}
    ]
    _, text, _ = cli("edl", "mars-2", "--design-entry")
    assert text.splitlines()[0].startswith("Mars 2: the design entry state")


def test_every_flight_output_names_faults_flown_and_not(cli):
    _, out, _ = cli("replay", "mars-7", "--cause", "chronology", "--json")
    data = json.loads(out)
    assert data["faults_applied"] == ["premature-separation"]
    assert data["faults_not_flown"] == [
        {"id": "lander-engine-silent", "reason": "cause set 'chosen'"}
    ]
    _, out, _ = cli("launch", "cosmos-419", "--without", "block-d-timer-wrong", "--json")
    data = json.loads(out)
    assert data["faults_flown"] == []
    assert data["faults_not_flown"] == [{"id": "block-d-timer-wrong", "reason": "--without"}]
    _, text, _ = cli("launch", "cosmos-419")
    assert "faults flown: block-d-timer-wrong; not flown: none" in text


@pytest.mark.parametrize(
    ("lat", "lon", "text"),
    [
        (-45.98, 202.0, "45.98 S 158.00 W"),  # east longitudes past 180 are west
        (22.27, -47.95, "22.27 N 47.95 W"),
        (0.0, 180.0, "0.00 N 180.00 E"),
        (-0.001, -180.0, "0.00 S 180.00 E"),
        (float("nan"), 10.0, "-"),
    ],
)
def test_latitudes_and_longitudes_are_lettered(lat, lon, text):
    assert latlon(lat, lon) == text


def test_southern_sites_print_south_and_west(cli):
    _, out, _ = cli("edl", "mars-3")
    touchdown = next(line for line in out.splitlines() if line.startswith("Touchdown"))
    assert " S " in touchdown and " W," in touchdown and "-" not in touchdown.split(" at ")[1]


def test_first_order_index_against_closed_forms():
    rng = np.random.default_rng(1)
    x1, x2, x3 = rng.standard_normal((3, 40_000))
    # Y = X1 + X2 (independent, unit variance): S1 = S2 = 1/2, S3 = 0 exactly (Var(E[Y|Xi]) =
    # Var(Xi) = 1 of Var(Y) = 2). Tolerance 0.03: the binned estimator's scatter at 40 000
    # samples in 50 bins is about 0.01.
    y = x1 + x2
    assert first_order_index(x1, y) == pytest.approx(0.5, abs=0.03)
    assert first_order_index(x3, y) == pytest.approx(0.0, abs=0.03)
    # Y = U**2, U uniform on (-1, 1): Y is a function of U alone, so S_U = 1, though its rank
    # correlation with U is zero by symmetry. Tolerance 0.01: a bin of U is 0.04 wide, so the
    # variance of U**2 left inside the bins is below 1e-3 of Var(Y) = 4/45.
    u = rng.uniform(-1.0, 1.0, 40_000)
    drivers = rank_drivers({"u": u, "x2": x2, "y": u**2}, ["u", "x2"], "y")
    assert drivers[0].input == "u"
    assert drivers[0].first_order_index == pytest.approx(1.0, abs=0.01)
    assert abs(drivers[0].rank_correlation) < 0.03


def test_the_components_of_one_dispersion_count_together():
    rng = np.random.default_rng(2)
    east, north, other = rng.standard_normal((3, 20_000))
    speed = np.hypot(east, north) + 0.1 * other  # a cross wind, whatever its direction
    cols = {"edl.wind_east_m_s": east, "edl.wind_north_m_s": north, "edl.mass_kg": other}
    drivers = rank_drivers({**cols, "v": speed}, list(cols), "v")
    top = dominant(drivers)
    assert top is not None and top.dispersion == "edl.wind_m_s"
    assert set(top.inputs) == {"edl.wind_east_m_s", "edl.wind_north_m_s"}


def test_mars_3_monte_carlo_names_the_wind(tmp_path, cli):
    # Issue 17's finding: Mars 3's small chance of a safe landing comes mostly from the
    # 40 m/s wind sigma of the 1971 dust-storm atmosphere. Computed here from 2000 runs.
    code, out, _ = cli("edl", "mars-3", "--runs", "2000", "--json")
    data = json.loads(out)
    assert code == 0 and data["entry_source"] == "arrival"
    landed = data["sensitivity"]["landed"]
    assert landed["dominated_by"]["dispersion"] == "edl.wind_m_s"
    assert landed["dominated_by"]["share"] >= 0.5
    _, text, _ = cli("edl", "mars-3", "--runs", "2000")
    assert "landed is dominated by one dispersion: edl.wind_m_s" in text
    assert "faults flown: capsule-fell-silent, propellant-short" in text


def test_fleet_campaign_prints_the_chances_it_assumed(cli):
    from marsprobe.analysis.fleet_campaign import WINDOWS, uncertain_faults

    code, out, _ = cli("campaign", "1971", "--runs", "20")
    assert code == 0
    assert "The chances the campaign assumed for each fault" in " ".join(out.split())
    for slug in WINDOWS["1971"]:
        for fid, p in uncertain_faults(slug):
            row = next(line for line in out.splitlines() if fid in line)
            assert slug in row and f"{p:.3f}" in row
