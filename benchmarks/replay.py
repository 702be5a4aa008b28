"""Time the replay of the whole catalog, and Mars 3's 8,001-case EDL Monte Carlo.

There is no other tool that replays these missions, so the figures stand alone: the issue's
aims are the whole catalog in under a minute and the Monte Carlo "in seconds" on 2 cores.
The first, cold run includes numba compilation into the on-disk cache; the warm run is the
one to quote.

    python benchmarks/replay.py [--workers 2] [--runs 8001]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time


def time_catalog(workers: int) -> float:
    from marsprobe.analysis.catalog_replay import replay_catalog

    t = time.perf_counter()
    rows = replay_catalog(workers=workers)
    elapsed = time.perf_counter() - t
    matched = sum(r["match"] for r in rows)
    print(
        f"catalog replay, {workers} workers: {elapsed:6.2f} s, {matched}/{len(rows)} outcomes match"
    )
    return elapsed


def time_mars3_edl(runs: int, workers: int) -> float:
    from marsprobe.cli import main

    with tempfile.TemporaryDirectory() as out:
        t = time.perf_counter()
        args = ["edl", "mars-3", "--runs", str(runs), "--json", "--out", os.path.join(out, "mc")]
        if workers > 1:
            args += ["--workers", str(workers)]
        with open(os.devnull, "w") as sink:
            import contextlib

            with contextlib.redirect_stdout(sink):
                main(args)
        elapsed = time.perf_counter() - t
    print(
        f"Mars 3 EDL Monte Carlo, {runs} cases, {workers} workers: {elapsed:6.2f} s "
        f"({runs / elapsed:,.0f} descents/s, results written and summarised from Parquet)"
    )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=8001)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs")
    cold = time_catalog(args.workers)
    warm = time_catalog(args.workers)
    print(f"cold/warm ratio {cold / warm:.2f}")
    time_mars3_edl(args.runs, 1)
    time_mars3_edl(args.runs, args.workers)


if __name__ == "__main__":
    main()
