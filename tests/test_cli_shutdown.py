"""Clean shutdown: pool workers die with their parent; a scheduler without workers is reported."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

SRC = str(Path(__file__).resolve().parents[1] / "src")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_pool_workers_die_with_their_parent(tmp_path, sig):
    out = tmp_path / "mc"
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    args = ["edl", "mars-3", "--design-entry", "--runs", "400000", "--workers", "2"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "marsprobe", *args, "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    parent = psutil.Process(proc.pid)
    children: list[psutil.Process] = []
    deadline = time.monotonic() + 180
    # wait until the workers compute: the pool is up and a first chunk is on disk
    while time.monotonic() < deadline and proc.poll() is None:
        children = parent.children(recursive=True)
        if len(children) >= 2 and any(out.glob("chunk-*.parquet")):
            break
        time.sleep(0.2)
    assert proc.poll() is None, proc.communicate()[1].decode()
    assert len(children) >= 2
    proc.send_signal(sig)
    # the pipes close only when every process holding them (the workers too) has ended
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        for child in children:
            child.kill()
        raise
    if sig == signal.SIGTERM:
        assert proc.returncode == 143 and err.decode().endswith("marsprobe: terminated\n")
    deadline = time.monotonic() + 30
    alive = children
    while alive and time.monotonic() < deadline:
        alive = [c for c in alive if _running(c)]
        time.sleep(0.2)
    for orphan in alive:  # a failing run must not leave them behind either
        orphan.kill()
    assert not alive, "workers outlived their parent"


def _running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_a_scheduler_without_workers_is_reported(cli):
    from distributed import LocalCluster

    with LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster:
        code, _, err = cli(
            "edl", "mars-3", "--design-entry", "--runs", "10",
            "--scheduler", cluster.scheduler_address, "--scheduler-timeout", "1",
        )  # fmt: skip
    assert code == 2 and err.count("\n") == 1
    assert "has no workers after 1 s" in err and "dask worker" in err
