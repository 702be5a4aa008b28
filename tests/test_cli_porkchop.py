"""``marsprobe porkchop`` and ``marsprobe windows`` on the command line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from marsprobe.cli import main

SMALL = ["porkchop", "--from", "1971-03-01", "--to", "1971-07-01", "--tof", "120:400"]


def run(capsys, args):
    rc = main(args)
    out, err = capsys.readouterr()
    return rc, out, err


def test_porkchop_json(capsys):
    rc, out, err = run(capsys, SMALL + ["--grid", "40x30", "--json"])
    assert rc == 0, err
    assert err == ""  # no progress bar, no chatter
    data = json.loads(out)
    assert data["grid"]["shape"] == [40, 30]
    best = data["min_c3"]
    assert set(best) >= {"departure_utc", "tof_days", "c3_km2_s2", "vinf_arrival_km_s"}
    # /work/shared/peers/README.md: 7.94 km2/s2 on 1971-05-24, TOF 213 d for the Earth-Moon
    # barycentre, about 1 % lower for the Earth's centre (used here): 7.86 +- 0.04 (the
    # "about" read as +-0.5 %); dates to the reference's day, TOF to a day.
    assert best["c3_km2_s2"] == pytest.approx(7.94 * 0.99, abs=0.04)
    assert best["departure_utc"].startswith("1971-05-24")
    assert best["tof_days"] == pytest.approx(213.0, abs=1.0)
    assert best["type"] == "I"
    assert data["min_c3_type_i"] == best
    assert data["min_c3_type_ii"]["type"] == "II"
    assert data["grid_min_c3"]["c3_km2_s2"] >= best["c3_km2_s2"]
    slugs = [x["slug"] for x in data["launches"]]
    assert {"mars-2", "mars-3", "mariner-9"} <= set(slugs)
    for x in data["launches"]:
        assert x["arrival_source"] in ("min-C3 time of flight",) or x["arrival_source"].startswith(
            "record:"
        )


def test_porkchop_text_and_plot(capsys, tmp_path):
    out_file = tmp_path / "pc.svg"
    rc, out, err = run(capsys, SMALL + ["--grid", "30x30", "--out", str(out_file)])
    assert rc == 0, err
    assert "Minimum C3" in out and "Mars 3" in out
    assert out_file.stat().st_size > 10_000
    assert out_file.read_text().lstrip().startswith("<?xml")
    # A saved plot is never replaced silently: refused (before computing), then --force.
    before = out_file.read_bytes()
    rc, _out, err = run(capsys, SMALL + ["--grid", "30x30", "--out", str(out_file), "--json"])
    assert rc == 2 and "--force" in err and out_file.read_bytes() == before
    rc, _out, err = run(
        capsys, SMALL + ["--grid", "30x30", "--out", str(out_file), "--json", "--force"]
    )
    assert rc == 0, err


def test_porkchop_survives_a_broken_catalog(capsys, monkeypatch, tmp_path):
    from marsprobe.analysis import windows as win
    from marsprobe.errors import CatalogError

    def broken(*args, **kwargs):
        raise CatalogError("mars-9.toml: field 'launch_utc': missing")

    monkeypatch.setattr(win, "flown_transfers", broken)
    out_file = tmp_path / "pc.png"
    rc, out, err = run(capsys, SMALL + ["--grid", "10x10", "--json", "--out", str(out_file)])
    assert rc == 0
    assert "warning" in err and "mars-9.toml" in err
    assert json.loads(out)["launches"] == []
    assert out_file.stat().st_size > 0


def test_porkchop_multi_rev(capsys):
    args = ["porkchop", "--from", "1971-01-01", "--to", "1971-12-01", "--tof", "500:1000"]
    rc, out, err = run(capsys, args + ["--grid", "12x12", "--revs", "1", "--json"])
    assert rc == 0, err
    data = json.loads(out)
    assert data["revs"] == 1
    assert "lower-C3 of the two branches" in data["method"]
    assert data["min_c3"]["revs"] == 1 and data["min_c3"]["branch"] in ("low", "high")
    assert data["min_c3"] == data["grid_min_c3"]


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--from", "1971-07-01", "--to", "1971-03-01"], "empty date range"),
        (["--from", "1971-03-01", "--to", "1971-03-01"], "empty date range"),
        (["--from", "1971-13-01", "--to", "1971-07-01"], "--from"),
        (["--from", "1890-01-01", "--to", "1971-07-01"], "DE421"),
        (["--from", "2199-01-01", "--to", "2199-06-01"], "DE421"),
        (["--tof", "400:120"], "--tof"),
        (["--tof", "-5:100"], "--tof"),
        (["--tof", "0:100"], "--tof"),
        (["--tof", "120-400"], "--tof"),
        (["--grid", "300by300"], "--grid"),
        (["--grid", "1x300"], "--grid"),
        (["--revs", "-1"], "--revs"),
        (["--out", "plot.txt"], "--out"),
        (["--out", "no/such/folder/plot.png"], "does not exist"),
    ],
)
def test_porkchop_bad_arguments_one_line_exit_2(capsys, extra, needle):
    base = {"--from": "1971-03-01", "--to": "1971-07-01", "--tof": "120:400", "--grid": "5x5"}
    args = ["porkchop"]
    keys = extra[::2]
    for k, v in base.items():
        if k not in keys:
            args += [k, v]
    rc, out, err = run(capsys, args + extra)
    assert rc == 2
    assert out == ""
    assert err.startswith("marsprobe: error:") and err.count("\n") == 1
    assert needle in err


def test_windows_json(capsys):
    rc, out, err = run(capsys, ["windows", "--from", "1971", "--to", "1973", "--json"])
    assert rc == 0, err
    data = json.loads(out)
    assert [w["departure_utc"][:4] for w in data] == ["1971", "1973"]
    for w in data:
        assert set(w) >= {
            "departure_utc",
            "tof_days",
            "c3_km2_s2",
            "vinf_arrival_km_s",
            "total_dv_km_s",
            "launches",
            "flown",
        }
        assert w["total_dv_km_s"] == pytest.approx(
            w["escape_dv_km_s"] + w["capture_dv_km_s"], abs=2e-4
        )
        assert [f["slug"] for f in w["flown"]] == w["launches"]
        for f in w["flown"]:
            assert f["c3_km2_s2"] >= w["c3_km2_s2"]
    assert {"mars-2", "mars-3", "mariner-9"} <= set(data[0]["launches"])
    assert data[1]["launches"] == ["mars-4", "mars-5", "mars-6", "mars-7"]
    assert data[0]["total_dv_km_s"] < data[1]["total_dv_km_s"]


def test_windows_capture_orbit_option_changes_dv(capsys):
    args = ["windows", "--from", "1971-01-01", "--to", "1971-12-31", "--json"]
    _rc, out, _err = run(capsys, args)
    _rc, out_low, _err = run(capsys, args + ["--capture-apo-alt-km", "1500"])
    base, low = json.loads(out)[0], json.loads(out_low)[0]
    assert low["capture_dv_km_s"] > base["capture_dv_km_s"]
    assert low["escape_dv_km_s"] == base["escape_dv_km_s"]


def test_windows_text(capsys):
    rc, out, err = run(capsys, ["windows", "--from", "1973", "--to", "1973"])
    assert rc == 0, err
    assert "Windows" in out and "Mars 7" in out and "arrival from" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--from", "1990", "--to", "1960"], "empty date range"),
        (["--from", "1960", "--to", "1990", "--target", "venus"], "--target"),
        (["--from", "1899", "--to", "1901"], "DE421"),
        (["--from", "1971", "--to", "1972", "--capture-peri-alt-km", "9e5"], "capture orbit"),
    ],
)
def test_windows_bad_arguments(capsys, args, needle):
    rc, out, err = run(capsys, ["windows", *args])
    assert rc == 2 and out == ""
    assert err.startswith("marsprobe: error:") and err.count("\n") == 1
    assert needle in err


def test_no_progress_bar_with_json_even_on_a_terminal(capsys, monkeypatch):
    # rich treats FORCE_COLOR as "this is a terminal": the bar would be drawn without --json.
    from marsprobe.cli import porkchop as cmd

    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setattr(cmd, "PROGRESS_MIN_CELLS", 1)
    with cmd.progress_bar(100, "x", enabled=True) as bar:
        assert bar is not None
        bar(100, 100)
    capsys.readouterr()
    rc, out, err = run(capsys, SMALL + ["--grid", "10x10", "--json"])
    assert rc == 0 and err == ""
    json.loads(out)


def test_help_does_not_import_heavy_modules():
    code = (
        "import sys; from marsprobe.cli import main; main(['--help']); "
        "print(sorted(m for m in ('matplotlib', 'numba', 'scipy') if m in sys.modules))"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "porkchop" in res.stdout and "windows" in res.stdout
    assert res.stdout.strip().splitlines()[-1] == "[]"
