"""One line and exit 2 for every class of bad input, and output paths checked before any work."""

from __future__ import annotations

import os

import pytest

BINARY = b"\x00\x01\x02PAR1\xff\xfe" * 10
LATIN1 = "name = 'Marte \u00e9'\n".encode("latin-1")
LONG = "x" * 300


def one_line_exit_2(result) -> str:
    code, _, err = result
    assert code == 2, err
    assert err.startswith("marsprobe: error:") and err.count("\n") == 1, err
    return err


@pytest.fixture
def files(tmp_path):
    (tmp_path / "binary.toml").write_bytes(BINARY)
    (tmp_path / "latin1.toml").write_bytes(LATIN1)
    (tmp_path / "folder.toml").mkdir()
    (tmp_path / "a-file").write_text("not a folder")
    return tmp_path


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("binary.toml", "binary file"),
        ("latin1.toml", "not UTF-8"),
        ("folder.toml", "is a folder"),
        ("missing.toml", "no such file"),
        (LONG + ".toml", "longer than the 255"),
    ],
)
@pytest.mark.parametrize("command", ["replay", "launch", "cruise"])
def test_bad_mission_files(files, cli, command, name, needle):
    assert needle in one_line_exit_2(cli(command, str(files / name)))


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("binary.toml", "binary file"),
        ("latin1.toml", "not UTF-8"),
        ("folder.toml", "is a folder"),
        ("missing.toml", "no such file"),
        (LONG + ".toml", "longer than the 255"),
    ],
)
def test_bad_scenario_files(files, cli, name, needle):
    args = ["edl", "mars-3", "--runs", "10", "--scenario", str(files / name)]
    assert needle in one_line_exit_2(cli(*args))


def test_a_very_long_slug_is_an_unknown_mission(cli):
    # too long to be a file name: read as a slug, not passed to the file system
    assert "no mission 'xxx" in one_line_exit_2(cli("replay", LONG))


@pytest.fixture
def no_work(monkeypatch):
    """Make every computation fail: a refusal must come before any of it."""

    def boom(*args, **kwargs):
        raise AssertionError("computed before the output path was checked")

    # modules that bind these names at import must bind the real ones before the patching
    import marsprobe.analysis.fleet_campaign
    import marsprobe.analysis.windows
    import marsprobe.mission.compare  # noqa: F401

    for target in (
        "marsprobe.analysis.catalog_replay.replay_catalog",
        "marsprobe.mission.replay.replay",
        "marsprobe.mission.descent.fly_descent",
        "marsprobe.mission.entry.entry_for",
        "marsprobe.analysis.montecarlo.run_campaign",
        "marsprobe.analysis.porkchop.porkchop",
    ):
        monkeypatch.setattr(target, boom)


PORKCHOP = ["porkchop", "--from", "1971-04-01", "--to", "1971-07-01", "--grid", "20x20"]


@pytest.mark.parametrize(
    ("args", "out", "needle"),
    [
        (["replay", "--all"], "missing/dir/x.json", "does not exist"),
        (["replay", "mars-3"], "missing/x.json", "does not exist"),
        (["replay", "mars-3"], "a-file/sub", "a-file is not a folder"),
        (["replay", "mars-3"], LONG + ".json", "longer than the 255"),
        (["edl", "mars-3"], "missing/plot.png", "does not exist"),
        (["edl", "mars-3"], "folder.toml", "cannot write a .toml"),
        (["edl", "mars-3"], LONG + ".png", "longer than the 255"),
        (["edl", "mars-3", "--runs", "10"], "missing/dir", "does not exist"),
        (["edl", "mars-3", "--runs", "10"], "a-file", "is a file"),
        (["campaign", "1971", "--runs", "10"], "missing/dir", "does not exist"),
        (PORKCHOP, "missing/p.png", "does not exist"),
        (PORKCHOP, LONG + ".png", "longer than the 255"),
    ],
)
def test_output_paths_are_checked_before_any_work(files, cli, no_work, args, out, needle):
    assert needle in one_line_exit_2(cli(*args, "--out", str(files / out)))


@pytest.mark.parametrize(
    ("out", "needle"),
    [
        ("missing/s.toml", "does not exist"),
        ("folder.toml", "is a folder"),
        (LONG + ".toml", "longer than the 255"),
        ("s.json", "cannot write a .json"),
    ],
)
def test_save_scenario_path_is_checked_first(files, cli, no_work, out, needle):
    err = one_line_exit_2(cli("edl", "mars-3", "--save-scenario", str(files / out)))
    assert needle in err and "--save-scenario" in err


def test_an_unwritable_folder_is_refused(files, cli, no_work, monkeypatch):
    # the tests may run as root, whom file modes do not stop: the check itself is exercised
    real_access = os.access
    locked = files / "locked"
    locked.mkdir()

    def access(path, mode, **kwargs):
        if str(path) == str(locked) and mode & os.W_OK:
            return False
        return real_access(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", access)
    for args in (
        ["replay", "--all", "--out", str(locked / "x.json")],
        ["edl", "mars-3", "--out", str(locked / "p.png")],
        ["edl", "mars-3", "--save-scenario", str(locked / "s.toml")],
        [*PORKCHOP, "--out", str(locked / "p.png")],
    ):
        assert "permission denied" in one_line_exit_2(cli(*args))


def test_a_50000_digit_grid(cli):
    err = one_line_exit_2(cli(*PORKCHOP[:-2], "--grid", "9" * 50_000 + "x10"))
    assert "is not a grid" in err and len(err) < 300


@pytest.mark.parametrize(
    "address", ["tcp://no-such-host.invalid:8786", "tcp://bad host:1", "tcp://[::1"]
)
def test_a_bad_scheduler_host(cli, address):
    err = one_line_exit_2(
        cli("edl", "mars-3", "--runs", "10", "--scheduler", address, "--scheduler-timeout", "1")
    )
    assert "scheduler" in err


def test_install_hint_works_from_a_checkout(monkeypatch):
    import builtins

    from marsprobe.analysis.executors import open_executor
    from marsprobe.errors import InputError

    real_import = builtins.__import__

    def no_distributed(name, *args, **kwargs):
        if name == "distributed":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_distributed)
    with pytest.raises(InputError, match=r"pip install -e '\.\[dask\]'"):
        with open_executor(scheduler="tcp://127.0.0.1:1"):
            pass


def test_messages_speak_the_command_line(tmp_path, cli):
    out = tmp_path / "mc"
    args = ["edl", "mars-3", "--runs", "20", "--out", str(out)]
    assert cli(*args)[0] == 0
    err = one_line_exit_2(cli(*args))
    assert "--resume" in err and "resume=True" not in err


_LOSE: list = []  # the cluster to close once the second chunk starts (one test at a time)


def _chunk_then_lose_the_cluster(fn, plan, info):
    import threading
    import time

    if info.index == 1 and _LOSE:
        threading.Thread(target=_LOSE.pop().close).start()
        time.sleep(2.0)
    return _REAL_CHUNK[0](fn, plan, info)


_REAL_CHUNK: list = []


def test_a_scheduler_lost_mid_run(tmp_path, cli, monkeypatch):
    from distributed import LocalCluster

    from marsprobe.analysis import montecarlo

    cluster = LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    )
    _REAL_CHUNK[:] = [montecarlo.compute_chunk]
    _LOSE[:] = [cluster]
    monkeypatch.setattr(montecarlo, "compute_chunk", _chunk_then_lose_the_cluster)
    out = tmp_path / "mc"
    try:
        err = one_line_exit_2(
            cli(
                "edl",
                "mars-3",
                "--design-entry",
                "--runs",
                "6000",
                "--out",
                str(out),
                "--scheduler",
                cluster.scheduler_address,
                "--scheduler-timeout",
                "2",
            )  # fmt: skip
        )
    finally:
        cluster.close()
    assert "lost the Dask scheduler" in err and "--resume" in err
    assert (out / "campaign.json").exists()  # the finished chunks and manifest are kept


def test_a_file_system_failure_no_check_foresaw(tmp_path, cli, monkeypatch):
    import errno

    def disk_full(path, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr("marsprobe.cli.flight_cmds._write", disk_full)
    err = one_line_exit_2(cli("replay", "cosmos-419", "--out", str(tmp_path / "r.json")))
    assert "No space left on device" in err and "r.json" in err


@pytest.mark.parametrize(
    ("ensemble", "needle"),
    [
        ("missing", "no ensemble.json there"),
        ("a-file", "is a file"),  # click's own check of a folder option
        ("garbled", "ensemble.json is unreadable"),
    ],
)
def test_report_refuses_a_bad_ensemble_before_any_work(files, cli, no_work, ensemble, needle):
    (files / "garbled").mkdir()
    (files / "garbled" / "ensemble.json").write_text("{not json")
    args = ["report", "mars-3", "--out", str(files / "site"), "--ensemble", str(files / ensemble)]
    assert needle in one_line_exit_2(cli(*args))
