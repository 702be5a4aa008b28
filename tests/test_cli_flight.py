"""``marsprobe launch`` and ``cruise``: their JSON and their bad input."""

from __future__ import annotations

import json

import pytest


def test_launch_json_of_a_stranded_probe(cli):
    code, out, _ = cli("launch", "cosmos-419", "--json")
    assert code == 0
    data = json.loads(out)
    assert {"name", "t_s", "altitude_km"} <= set(data["events"][0])
    assert {"perigee_km", "apogee_km", "inclination_deg", "period_min"} <= set(
        data["parking_orbit"]
    )
    # Cosmos 419 re-entered on 1971-05-12, two days after launch (002_d3f98a46457d5b1f.txt
    # L73-75); issue 4 asks for the lifetime within a factor of 2.
    assert data["decay_utc"].startswith("1971-05")
    assert 1.0 <= data["lifetime_days"] <= 4.0
    assert "departure" not in data or data["departure"] is None


def test_launch_json_of_a_departure(cli):
    code, out, _ = cli("launch", "mars-3", "--json")
    assert code == 0
    departure = json.loads(out)["departure"]
    assert {"c3_km2_s2", "vinf_km_s", "ra_deg", "dec_deg", "time_utc"} <= set(departure)
    # The 1971 minimum C3 is 7.9 km2/s2 (shared/peers/README.md, DE421); Mars 3 flew within a
    # few km2/s2 of it (issue 3).
    assert 7.5 < departure["c3_km2_s2"] < 11.0


def test_launch_text(cli):
    code, out, _ = cli("launch", "1m-no-1")
    assert code == 0 and "end: destroyed" in out


def test_cruise_json(cli):
    code, out, _ = cli("cruise", "mars-4", "--json")
    assert code == 0
    data = json.loads(out)
    assert {"name", "time_utc"} <= set(data["events"][0])
    # Mars 4 passed Mars at 1,844 km (catalog's choice; 2,200 km in the chronology) with its
    # braking engine silent: issue 5's "about 2,000 km", 25 % for the spread of the sources.
    assert data["flyby"]["closest_approach_km"] == pytest.approx(2000.0, rel=0.25)
    assert {"perihelion_au", "aphelion_au", "inclination_deg", "period_days"} <= set(
        data["heliocentric_orbit"]
    )


def test_cruise_of_a_lander(cli):
    code, out, _ = cli("cruise", "mars-7", "--json")
    assert code == 0
    # Mars 7's lander missed by about 1,300 km (003_fa6a318af82a3965.txt): the aim is that
    # achieved value (see the mission file), so this checks the flight follows its aim.
    assert json.loads(out)["lander"]["miss_distance_km"] == pytest.approx(1300.0, rel=0.05)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["launch", "mars-33"], "did you mean mars-3"),
        (["cruise", "cosmos-419"], "never left the Earth"),
        (["launch", "mars-3", "--without", "nope"], "no fault 'nope'"),
    ],
)
def test_bad_input(cli, args, expected):
    code, out, err = cli(*args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and expected in err
