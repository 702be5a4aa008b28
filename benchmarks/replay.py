"""Time the catalog replay (cold and warm), every mission alone from the command line, and
Mars 3's EDL Monte Carlo.

No other tool replays these missions, so there is no peer: each figure is printed beside its
goal (issue 14): ``replay --all`` warm <= 5 s, every mission <= 1.5 s including start-up.
Times are medians of ``--repeat`` runs (wall clock; the machine may be shared: say so when
quoting). The cold run first deletes marsprobe's numba cache (the ``*.nbi``/``*.nbc`` files
beside its modules), so it includes compiling every kernel, whatever ran before.

    python benchmarks/replay.py [--workers 2] [--repeat 5] [--missions] [--runs 8001]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The checkout these benchmarks live in is the one measured, whatever else is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
import marsprobe  # noqa: E402

PACKAGE = Path(marsprobe.__file__).resolve().parent
GOAL_CATALOG_S = 5.0
GOAL_MISSION_S = 1.5


def clear_numba_cache() -> int:
    """Delete marsprobe's numba cache files; returns how many."""
    files = [*PACKAGE.rglob("__pycache__/*.nbi"), *PACKAGE.rglob("__pycache__/*.nbc")]
    for f in files:
        f.unlink()
    return len(files)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # An installed marsprobe has its bytecode cached (pip writes it, or the first run does);
    # with PYTHONDONTWRITEBYTECODE set, as on some shared machines, every run would compile
    # the checkout's ~70 modules again (about 0.1 s) and time that instead of a user's start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join([str(PACKAGE.parent), env.get("PYTHONPATH", "")])
    env["PYTHONPATH"] = env["PYTHONPATH"].rstrip(os.pathsep)
    return env


def cli_seconds(*args: str) -> float:
    """Wall time of ``python -m marsprobe ARGS`` in a fresh interpreter (start-up included)."""
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "marsprobe", *args],
        check=True,
        stdout=subprocess.DEVNULL,
        env=_env(),
    )
    return time.perf_counter() - t


def verdict(figure: float, goal: float) -> str:
    return f"goal <= {goal:g} s: {'met' if figure <= goal else 'NOT met'} ({figure / goal:.2f}x)"


def time_catalog(workers: int, repeat: int) -> None:
    n = clear_numba_cache()
    cold = cli_seconds("replay", "--all", "--workers", str(workers))
    print(f"replay --all, {workers} workers, cold ({n} cache files deleted): {cold:6.2f} s")
    warm = [cli_seconds("replay", "--all", "--workers", str(workers)) for _ in range(repeat)]
    med = statistics.median(warm)
    print(
        f"replay --all, {workers} workers, warm, median of {repeat}: {med:6.2f} s "
        f"(runs {', '.join(f'{w:.2f}' for w in warm)}); {verdict(med, GOAL_CATALOG_S)}"
    )


def time_missions(repeat: int) -> None:
    from marsprobe import catalog

    worst = ("", 0.0)
    missed = []
    for slug in catalog.slugs():
        med = statistics.median(cli_seconds("replay", slug) for _ in range(repeat))
        worst = max(worst, (slug, med), key=lambda x: x[1])
        if med > GOAL_MISSION_S:
            missed.append(f"{slug} {med:.2f} s")
        print(f"  replay {slug:<14} {med:5.2f} s")
    print(
        f"every mission alone, median of {repeat}: slowest {worst[0]} {worst[1]:.2f} s; "
        f"{verdict(worst[1], GOAL_MISSION_S)}" + (f"; over: {', '.join(missed)}" if missed else "")
    )


def time_mars3_edl(runs: int, workers: int) -> None:
    from marsprobe.cli import main

    with tempfile.TemporaryDirectory() as out:
        t = time.perf_counter()
        args = ["edl", "mars-3", "--runs", str(runs), "--json", "--out", os.path.join(out, "mc")]
        if workers > 1:
            args += ["--workers", str(workers)]
        with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
            main(args)
        elapsed = time.perf_counter() - t
    print(
        f"Mars 3 EDL Monte Carlo, {runs} cases, {workers} workers: {elapsed:6.2f} s "
        f"({runs / elapsed:,.0f} descents/s, results written and summarised from Parquet)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--missions", action="store_true", help="also time every mission alone")
    parser.add_argument("--runs", type=int, default=8001)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    time_catalog(args.workers, args.repeat)
    if args.missions:
        time_missions(args.repeat)
    time_mars3_edl(args.runs, 1)
    time_mars3_edl(args.runs, args.workers)


if __name__ == "__main__":
    main()
