"""Monte Carlo campaigns: executors, resume after a kill, corrupt chunks, refusals, summary.

The model is a toy (a few array operations shaped like an EDL model: entry angle and heading
in, landing point, peak load and outcome out), so every campaign takes milliseconds; the
process pool and Dask cluster start-up dominate the run time.
"""

from __future__ import annotations

import gc
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from marsprobe.analysis.dispersions import parse_scenario
from marsprobe.analysis.montecarlo import (
    CampaignProgress,
    register_model,
    run_campaign,
    summarize,
)
from marsprobe.analysis.summary import read_columns
from marsprobe.errors import InputError, ScenarioError

R_KM = 3389.5
FIELDS = ["entry.fpa_deg", "entry.heading_deg", "vehicle.mass_kg", "chute.failed",
          "lander.engine_failure_time_s"]  # fmt: skip
BASE = {"entry.fpa_deg": -10.0, "entry.heading_deg": 90.0, "vehicle.mass_kg": 1210.0,
        "chute.failed": False, "lander.engine_failure_time_s": math.inf}  # fmt: skip


def toy_edl(draws, info):
    """Landing point downrange of a fixed entry point; fails on a chute or engine failure."""
    if os.environ.get("MARSPROBE_TOY_KILL_AT") == str(info.index):
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get("MARSPROBE_TOY_RAISE_AT") == str(info.index):
        raise RuntimeError(f"toy model fails on chunk {info.index}")
    fpa = draws["entry.fpa_deg"]
    wind = info.uniforms("wind")[:, 0] - 0.5
    downrange_km = 600.0 + 80.0 * (fpa + 10.0) + 20.0 * wind
    heading = np.radians(draws["entry.heading_deg"])
    lat = -45.0 + np.degrees(downrange_km * np.cos(heading) / R_KM)
    lon = -158.0 + np.degrees(downrange_km * np.sin(heading) / (R_KM * math.cos(math.radians(45))))
    skipped = fpa > -8.6
    lat[skipped] = np.nan
    lon[skipped] = np.nan
    landed = ~skipped & ~draws["chute.failed"] & (draws["lander.engine_failure_time_s"] > 20.0)
    return {
        "landed": landed,
        "landing_lat_deg": lat,
        "landing_lon_deg": lon,
        "peak_load_g": 2.0 * np.abs(fpa) * draws["vehicle.mass_kg"] / 1210.0,
    }


def bad_length(draws, info):
    return {"x": np.zeros(info.size + 1)}


register_model("toy-edl", toy_edl, FIELDS, BASE)
register_model("toy-bad", bad_length, FIELDS, BASE)

SCENARIO = {
    "campaign": {"model": "toy-edl", "runs": 1200, "seed": 1971, "chunk_size": 150},
    "dispersions": {
        "vehicle.mass_kg": {"dist": "uniform", "low": 1190.0, "high": 1230.0},
        "chute.failed": {"dist": "bernoulli", "p": 0.1},
        "lander.engine_failure_time_s": {"dist": "weibull", "shape": 1.5, "scale": 400.0},
    },
    "correlated": [{"fields": ["entry.fpa_deg", "entry.heading_deg"], "mean": [-10.0, 90.0],
                    "cov": [[0.49, 0.2], [0.2, 4.0]]}],
}  # fmt: skip


def scenario(**campaign):
    data = json.loads(json.dumps(SCENARIO))
    data["campaign"].update(campaign)
    return parse_scenario(data)


def assert_same_columns(a: dict, b: dict):
    assert list(a) == list(b)
    for name in a:
        assert a[name].dtype == b[name].dtype, name
        assert a[name].tobytes() == b[name].tobytes(), name  # bit for bit, NaN included


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """One uninterrupted in-process campaign that the other tests compare with."""
    out = tmp_path_factory.mktemp("ref")
    seen: list[CampaignProgress] = []
    result = run_campaign(None, scenario(), out_dir=out, progress=seen.append)
    return result, read_columns(out), seen


def copy_of(reference, tmp_path) -> Path:
    dst = tmp_path / "camp"
    shutil.copytree(reference[0].out_dir, dst)
    return dst


# --- the plain run -------------------------------------------------------------------------


def test_reference_run_records_draws_and_outputs(reference):
    result, cols, seen = reference
    assert result.chunks_run == 8 and result.chunks_reused == 0
    assert list(cols) == ["sample", "chute.failed", "entry.fpa_deg", "entry.heading_deg",
                          "lander.engine_failure_time_s", "vehicle.mass_kg", "landed",
                          "landing_lat_deg", "landing_lon_deg", "peak_load_g"]  # fmt: skip
    assert np.array_equal(cols["sample"], np.arange(1200))
    assert seen[0] == CampaignProgress(0, 8, 0, 1200)
    assert seen[-1] == CampaignProgress(8, 8, 1200, 1200)
    assert [p.samples_done for p in seen] == sorted(p.samples_done for p in seen)
    s = result.summary
    assert s["complete"] and s["runs"] == 1200 and s["seed"] == 1971 and s["n_chunks"] == 8
    landed = cols["landed"]
    assert s["probabilities"]["landed"]["k"] == int(landed.sum())
    lo, hi = s["probabilities"]["landed"]["ci95"]
    assert lo < landed.mean() < hi
    assert s["percentiles"]["peak_load_g"]["p50"] == float(np.median(cols["peak_load_g"]))
    ell = s["ellipses"]["landing"]
    assert ell["n"] == int(np.isfinite(cols["landing_lat_deg"]).sum())
    assert ell["semi_major_km"] > ell["semi_minor_km"] > 0
    # summary.json on disk is the same summary
    assert json.loads((result.out_dir / "summary.json").read_text()) == s
    assert summarize(result.out_dir) == s


def test_parquet_metadata_names_the_campaign(reference):
    import pyarrow.parquet as pq

    import marsprobe

    md = pq.read_metadata(reference[0].out_dir / "chunk-000003.parquet").metadata
    camp = json.loads(md[b"marsprobe.campaign"])
    chunk = json.loads(md[b"marsprobe.chunk"])
    assert camp["seed"] == 1971 and camp["chunk_size"] == 150 and camp["runs"] == 1200
    assert camp["marsprobe_version"] == marsprobe.__version__
    assert camp["scenario"]["campaign"]["model"] == "toy-edl"
    assert chunk == {"index": 3, "start": 450, "stop": 600}


def test_chunk_layout_does_not_change_any_number(reference, tmp_path):
    result = run_campaign("toy-edl", scenario(chunk_size=500), out_dir=tmp_path / "c500")
    assert_same_columns(read_columns(result.out_dir), reference[1])
    for key in ("probabilities", "percentiles", "ellipses"):
        assert result.summary[key] == reference[0].summary[key]


def test_without_out_dir_uses_a_temporary_directory(reference):
    result = run_campaign(toy_edl, scenario())
    tmp = result.out_dir
    assert tmp.is_dir() and result.summary == reference[0].summary
    assert_same_columns(result.columns(), reference[1])
    del result
    gc.collect()
    assert not tmp.exists()


# --- executors give the same bits ----------------------------------------------------------


def test_two_local_workers_give_identical_results(reference, tmp_path):
    result = run_campaign(None, scenario(), workers=2, out_dir=tmp_path / "w2")
    assert result.summary == reference[0].summary
    assert_same_columns(read_columns(result.out_dir), reference[1])


def test_caller_executor_gives_identical_results(reference, tmp_path):
    with ThreadPoolExecutor(2) as pool:
        result = run_campaign(None, scenario(), executor=pool, out_dir=tmp_path / "threads")
        assert pool.submit(int, "7").result() == 7  # still the caller's: not shut down
    assert result.summary == reference[0].summary
    assert_same_columns(read_columns(result.out_dir), reference[1])


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip(
        "distributed", reason="distributed (marsprobe[dask]) is not installed"
    )
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster


def test_dask_cluster_gives_identical_results(reference, dask_cluster, tmp_path):
    result = run_campaign(
        None, scenario(), scheduler=dask_cluster.scheduler_address, out_dir=tmp_path / "dask"
    )
    assert result.summary == reference[0].summary
    assert_same_columns(read_columns(result.out_dir), reference[1])


def test_unreachable_scheduler_is_one_line_in_bounded_time(tmp_path):
    with socket.socket() as s:  # a port that nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    caught: list[BaseException] = []

    def attempt():
        try:
            run_campaign(None, scenario(), scheduler=address, timeout_s=2, out_dir=tmp_path / "x")
        except BaseException as exc:
            caught.append(exc)

    t = threading.Thread(target=attempt, daemon=True)
    t.start()
    # a hang guard, not a speed test: the call has a 2 s connect timeout, 120 s is generous
    t.join(120)
    assert not t.is_alive(), "run_campaign hung on an unreachable scheduler"
    assert len(caught) == 1 and isinstance(caught[0], InputError), caught
    msg = str(caught[0])
    assert address in msg and "\n" not in msg


def test_bad_scheduler_address_and_worker_count():
    with pytest.raises(InputError, match="accepted: tcp"):
        run_campaign(None, scenario(), scheduler="localhost:8786")
    with pytest.raises(InputError, match="workers must be an integer >= 0"):
        run_campaign(None, scenario(), workers=-1)


# --- results that are not lost -------------------------------------------------------------


def test_killed_campaign_resumes_to_the_uninterrupted_result(reference, tmp_path):
    out = tmp_path / "killed"
    here = Path(__file__).parent
    src = here.parent / "src"
    code = (
        "import test_montecarlo as t; from marsprobe.analysis.montecarlo import run_campaign; "
        f"run_campaign(None, t.scenario(), out_dir={str(out)!r})"
    )
    env = dict(os.environ, MARSPROBE_TOY_KILL_AT="5")
    env["PYTHONPATH"] = os.pathsep.join([str(here), str(src), env.get("PYTHONPATH", "")])
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    assert sorted(p.name for p in out.glob("chunk-*")) == [
        f"chunk-{k:06d}.parquet" for k in range(5)
    ]
    with pytest.raises(InputError, match="3 of 8 chunks missing"):
        summarize(out)
    result = run_campaign(None, scenario(), out_dir=out, resume=True)
    assert (result.chunks_run, result.chunks_reused) == (3, 5)
    assert result.summary == reference[0].summary
    assert_same_columns(read_columns(out), reference[1])


def test_model_error_keeps_finished_chunks(reference, tmp_path, monkeypatch):
    out = tmp_path / "err"
    monkeypatch.setenv("MARSPROBE_TOY_RAISE_AT", "2")
    with pytest.raises(RuntimeError, match="fails on chunk 2") as info:
        run_campaign(None, scenario(), out_dir=out)
    assert any("--resume" in note for note in info.value.__notes__)
    assert len(list(out.glob("chunk-*.parquet"))) == 2
    monkeypatch.delenv("MARSPROBE_TOY_RAISE_AT")
    with pytest.raises(InputError, match="already holds chunks"):
        run_campaign(None, scenario(), out_dir=out)  # without resume: refused
    result = run_campaign(None, scenario(), out_dir=out, resume=True)
    assert (result.chunks_run, result.chunks_reused) == (6, 2)
    assert_same_columns(read_columns(out), reference[1])


def test_truncated_chunk_and_leftover_temp_are_redone(reference, tmp_path):
    out = copy_of(reference, tmp_path)
    chunk2 = out / "chunk-000002.parquet"
    chunk2.write_bytes(chunk2.read_bytes()[: chunk2.stat().st_size // 2])
    (out / "chunk-000006.parquet").unlink()
    leftover = out / ".chunk-000006.parquet.tmp-0123456789ab"
    leftover.write_bytes(b"PAR1 half a file")
    with pytest.raises(InputError, match=r"2 of 8 chunks missing or partial \(2, 6\)"):
        summarize(out)
    partial = summarize(out, partial=True)
    assert not partial["complete"] and partial["runs_done"] == 900
    result = run_campaign(None, scenario(), out_dir=out, resume=True)
    assert (result.chunks_run, result.chunks_reused) == (2, 6)
    assert not leftover.exists()
    assert result.summary == reference[0].summary
    assert_same_columns(read_columns(out), reference[1])


def test_other_campaign_is_refused_and_left_untouched(reference, tmp_path):
    out = copy_of(reference, tmp_path)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(InputError, match=r"holds another campaign \(seed 1971 there, 7 here\)"):
        run_campaign(None, scenario(), seed=7, out_dir=out, resume=True)
    with pytest.raises(InputError, match="holds another campaign"):
        run_campaign(None, scenario(runs=1300), out_dir=out, resume=True)
    # a stray chunk of another campaign, without its manifest, is not overwritten either
    lone = tmp_path / "lone"
    lone.mkdir()
    shutil.copy(out / "chunk-000001.parquet", lone)
    with pytest.raises(InputError, match="belongs to another campaign"):
        run_campaign(None, scenario(), seed=7, out_dir=lone, resume=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in lone.iterdir()] == ["chunk-000001.parquet"]


def test_resume_of_a_complete_campaign_runs_nothing(reference, tmp_path):
    out = copy_of(reference, tmp_path)
    result = run_campaign(None, scenario(), out_dir=out, resume=True)
    assert (result.chunks_run, result.chunks_reused) == (0, 8)
    assert result.summary == reference[0].summary


# --- model and scenario mistakes ------------------------------------------------------------


def test_wrong_output_length_is_reported(tmp_path):
    data = json.loads(json.dumps(SCENARIO))
    data["campaign"]["model"] = "toy-bad"
    with pytest.raises(ValueError, match=r"shape \(151,\); expected \(150,\)"):
        run_campaign(None, parse_scenario(data), out_dir=tmp_path / "bad")


def test_model_mismatch_and_bad_overrides():
    with pytest.raises(ScenarioError, match="for model 'toy-edl', not 'toy-bad'"):
        run_campaign("toy-bad", scenario())
    with pytest.raises(ScenarioError, match="'nope' is not registered"):
        run_campaign("nope", scenario())
    with pytest.raises(InputError, match="runs must be an integer >= 1"):
        run_campaign(None, scenario(), runs=0)
