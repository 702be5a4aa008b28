"""``marsprobe edl``: the nominal descent and the Monte Carlo campaign, with their bad input."""

from __future__ import annotations

import json

import pytest


def test_nominal_json_has_the_documented_keys(cli):
    code, out, _ = cli("edl", "viking-1", "--design-entry", "--json")
    assert code == 0
    data = json.loads(out)
    names = [e["name"] for e in data["events"]]
    assert names[0] == "entry" and "main_chute" in names and names[-1] == "touchdown"
    for event in data["events"]:
        assert {"name", "t_s", "altitude_m", "speed_m_s", "mach", "dynamic_pressure_pa"} <= set(
            event
        )
    td = data["touchdown"]
    assert {"speed_m_s", "lat_deg", "lon_deg", "time_utc", "survived"} <= set(td)
    # The design entry is aimed at Viking 1's site, 22.27 N 47.95 W (flight file): the nominal
    # descent must land there to the aiming tolerance (1 km, about 0.02 deg).
    assert td["lat_deg"] == pytest.approx(22.27, abs=0.05)
    assert td["lon_deg"] == pytest.approx(-47.95, abs=0.05)
    assert td["survived"]


def test_fault_removed_changes_the_descent(cli):
    # Mars 6: the soft-landing engine's failure is a documented fault; without it, it lands.
    _, out, _ = cli("edl", "mars-6", "--json")
    assert json.loads(out)["touchdown"]["survived"] is False
    _, out, _ = cli("edl", "mars-6", "--json", "--without", "transistors-soft-landing-engine")
    assert json.loads(out)["touchdown"]["survived"] is True


def test_plot_is_written(tmp_path, cli):
    path = tmp_path / "descent.png"
    code, _, _ = cli("edl", "mars-3", "--out", str(path))
    assert code == 0 and path.stat().st_size > 10_000


def test_monte_carlo_summary_does_not_depend_on_workers(tmp_path, cli):
    args = ["edl", "mars-3", "--design-entry", "--runs", "300", "--seed", "7", "--json"]
    _, one, _ = cli(*args, "--out", str(tmp_path / "a"))
    _, two, _ = cli(*args, "--out", str(tmp_path / "b"), "--workers", "2")
    a, b = json.loads(one), json.loads(two)
    a.pop("plot"), b.pop("plot")
    assert a == b
    assert a["runs"] == 300 and 0.0 <= a["probability_safe_landing"] <= 1.0
    lo, hi = a["ci95"]
    assert lo <= a["probability_safe_landing"] <= hi
    assert a["ellipse"]["semi_major_km"] >= a["ellipse"]["semi_minor_km"] > 0
    assert (tmp_path / "a" / "landing.png").exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["edl", "mars-4"], "no descent module"),
        (["edl", "mars-3", "--out", "plot.gif"], ".png, .svg, .pdf"),
        (["edl", "mars-3", "--runs", "0"], "0"),
        (["edl", "mars-3", "--resume"], "--runs"),
        (
            ["edl", "mars-3", "--runs", "10", "--workers", "2", "--scheduler", "tcp://x:1"],
            "not both",
        ),
        (["edl", "mars-3", "--without", "no-such-fault"], "no fault 'no-such-fault'"),
    ],
)
def test_bad_input(cli, args, expected):
    code, out, err = cli(*args)
    assert code == 2
    assert err.startswith("marsprobe: error:") and err.count("\n") == 1
    assert expected in err


def test_unreachable_scheduler_is_one_line(cli):
    code, _, err = cli(
        "edl", "mars-3", "--runs", "10", "--scheduler", "tcp://127.0.0.1:1",
        "--scheduler-timeout", "2",
    )  # fmt: skip
    assert code == 2 and "scheduler" in err and err.count("\n") == 1


def _saved_scenario(tmp_path, cli) -> str:
    path = tmp_path / "mars3.toml"
    assert cli("edl", "mars-3", "--design-entry", "--save-scenario", str(path))[0] == 0
    return path.read_text()


def test_a_saved_scenario_flies_the_same_campaign(tmp_path, cli):
    text = _saved_scenario(tmp_path, cli)
    path = tmp_path / "edited.toml"
    path.write_text(text)
    args = ["edl", "mars-3", "--design-entry", "--runs", "200", "--seed", "5", "--json"]
    _, default, _ = cli(*args, "--out", str(tmp_path / "a"))
    _, from_file, _ = cli(*args, "--scenario", str(path), "--out", str(tmp_path / "b"))
    a, b = json.loads(default), json.loads(from_file)
    a.pop("plot"), b.pop("plot")
    assert a == b


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('dist = "normal"\nmean = 1210.0', 'dist = "gaussian"\nmean = 1210.0', "edl.mass_kg"),
        ("sd = 10.0", "sd = -10.0", "edl.mass_kg"),
        ('[dispersions."edl.mass_kg"]', '[dispersions."edl.masss_kg"]', "edl.masss_kg"),
    ],
)
def test_bad_scenario_files_name_the_field(tmp_path, cli, old, new, expected):
    text = _saved_scenario(tmp_path, cli)
    assert old in text
    path = tmp_path / "bad.toml"
    path.write_text(text.replace(old, new, 1))
    code, _, err = cli("edl", "mars-3", "--design-entry", "--scenario", str(path), "--runs", "10")
    assert code == 2 and err.count("\n") == 1
    assert expected in err and str(path) in err
