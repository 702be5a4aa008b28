"""Bounded work: every size a user can give is refused above its limit, or generated lazily."""

from __future__ import annotations

import pytest

from marsprobe.analysis import chunks
from marsprobe.analysis.dispersions import parse_scenario
from marsprobe.analysis.limits import MAX_RUNS, CampaignEstimate
from marsprobe.analysis.montecarlo import register_model, run_campaign
from marsprobe.errors import InputError


def one_line_exit_2(result) -> str:
    code, _, err = result
    assert code == 2, err
    assert err.startswith("marsprobe: error:") and err.count("\n") == 1
    return err


def test_chunk_layout_is_lazy():
    # 10**11 runs in chunks of 1000: 10**8 chunks, which as a list of tuples took 24 GB
    bounds = chunks.chunk_bounds(10**11, 1000)
    assert len(bounds) == 10**8
    assert bounds[0] == (0, 1000)
    assert bounds[-1] == (10**11 - 1000, 10**11)
    short = chunks.chunk_bounds(2500, 1000)
    assert list(short) == [(0, 1000), (1000, 2000), (2000, 2500)]


def test_a_huge_scenario_file_is_refused_before_any_work(tmp_path, cli, monkeypatch):
    path = tmp_path / "mars3.toml"
    assert cli("edl", "mars-3", "--design-entry", "--save-scenario", str(path))[0] == 0
    path.write_text(path.read_text().replace("runs = 8001", "runs = 100000000000"))

    def no_flying(*args, **kwargs):
        raise AssertionError("the campaign must be refused before it runs")

    monkeypatch.setattr("marsprobe.analysis.montecarlo.run_campaign", no_flying)
    err = one_line_exit_2(cli("edl", "mars-3", "--design-entry", "--scenario", str(path)))
    assert "100,000,000,000" in err and f"{MAX_RUNS:,}" in err


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["edl", "mars-3", "--runs", "100000000000"], "more than one campaign may hold"),
        (["campaign", "1971", "--runs", "100000000000"], "more than one campaign may hold"),
        (["edl", "mars-3", "--runs", "10", "--workers", "100000"], "--workers 100000"),
        (["replay", "--all", "--workers", "100000"], "--workers 100000"),
        (
            ["porkchop", "--from", "1971-01-01", "--to", "1971-12-31", "--grid", "5000x5000"],
            "25,000,000 cells",
        ),
    ],
)
def test_sizes_above_their_limit_are_refused(cli, args, needle):
    assert needle in one_line_exit_2(cli(*args))


def _toy(draws, info):
    return {"landed": draws["x"] > 0.0}


register_model("toy-limits", _toy, ["x"], {"x": 0.0})


def _scenario(runs: int, chunk_size: int):
    return parse_scenario(
        {
            "campaign": {"model": "toy-limits", "runs": runs, "seed": 1, "chunk_size": chunk_size},
            "dispersions": {"x": {"dist": "normal", "mean": 0.0, "sd": 1.0}},
        },
        "test",
    )


def test_too_many_chunk_files_are_refused():
    with pytest.raises(InputError, match="chunk_size of at least 50"):
        run_campaign(None, _scenario(5_000_000, 1))


def test_the_cost_is_measured_on_the_first_chunk(tmp_path):
    seen: list[CampaignEstimate] = []
    run_campaign(None, _scenario(1000, 100), out_dir=tmp_path / "c", estimate=seen.append)
    assert len(seen) == 1  # once, after the first chunk
    est = seen[0]
    assert est.chunks_left == 9 and est.parallel == 1 and est.seconds_left >= 0
    first = (tmp_path / "c" / "chunk-000000.parquet").stat().st_size
    assert est.bytes_total == pytest.approx(first * 10)  # 10 chunks of the same size


def test_a_long_campaign_announces_its_cost(capsys):
    from marsprobe.cli.mc_report import estimate_printer

    say = estimate_printer("descents", 2_000_000)
    say(CampaignEstimate(chunks_left=1999, seconds_left=600.0, bytes_total=6e8, parallel=2))
    err = capsys.readouterr().err
    assert "about 10 min" in err and "600 MB" in err and err.count("\n") == 1
    say(CampaignEstimate(chunks_left=1, seconds_left=1.0, bytes_total=6e5, parallel=1))
    assert capsys.readouterr().err == ""  # short work is not announced
