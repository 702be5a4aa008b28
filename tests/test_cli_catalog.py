"""The catalog commands: missions, show, sources, and their bad-input paths."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def test_missions_json_lists_29(cli):
    code, out, _ = cli("missions", "--json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 29
    assert set(rows[0]) >= {
        "slug",
        "name",
        "program",
        "launch_utc",
        "vehicle",
        "mission_type",
        "outcome",
    }


def test_missions_filter_by_program(cli):
    _, out, _ = cli("missions", "--program", "us", "--json")
    assert {r["program"] for r in json.loads(out)} == {"us"}
    assert len(json.loads(out)) == 8


def test_missions_table(cli):
    code, out, _ = cli("missions")
    assert code == 0
    assert "cosmos-419" in out and "Proton-K/D" in out


def test_show_json_sourced_values(cli):
    code, out, _ = cli("show", "mars-3", "--json")
    assert code == 0
    data = json.loads(out)
    launch = data["launch_utc"]
    assert launch["value"].startswith("1971-05-28")
    assert launch["sources"][0].keys() == {"id", "locator"}
    mass = data["masses"]["launch_mass_kg"]
    assert mass["unit"] == "kg"
    assert any(c["kind"] == "consistency" for c in data["conflicts"])


def test_show_text(cli):
    code, out, _ = cli("show", "cosmos-419")
    assert code == 0
    assert "Cosmos 419" in out and "disagreements" in out


def test_sources_registry(cli):
    code, out, _ = cli("sources", "--json")
    assert code == 0
    ids = {s["id"] for s in json.loads(out)}
    assert "002_d3f98a46457d5b1f.txt" in ids


def test_sources_conflicts_json_shape(cli):
    code, out, _ = cli("sources", "--conflicts", "--json")
    assert code == 0
    conflicts = json.loads(out)
    assert len(conflicts) > 20
    for c in conflicts:
        assert {"mission", "topic", "claims", "chosen", "reason"} <= c.keys()
        for claim in c["claims"]:
            assert {"value", "sources"} <= claim.keys()


def test_sources_conflicts_text(cli):
    code, out, _ = cli("sources", "--conflicts")
    assert code == 0 and "disagreements" in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["show", "mars-33"], "did you mean mars-3"),
        (["show", "cosmos419"], "cosmos-419"),
        (["missions", "--program", "french"], "'french' is not one of"),
        (["launchpad"], "No such command"),
        (["show"], "Missing argument"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli, args, expected):
    code, out, err = cli(*args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("marsprobe: error:")
    assert expected in err


def test_console_script_exit_code(tmp_path):
    # Through a real process: the exit status a shell sees.
    proc = subprocess.run(
        [sys.executable, "-m", "marsprobe", "show", "nosuch"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
