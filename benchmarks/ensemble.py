"""Time an ensemble of whole-mission flights: one mission flown N times, pad to end.

What-if studies fly a mission many times over (issue 14: a 100-member ensemble of one mission
in <= 30 s on 2 cores). Every member here is the full replay of the mission with its faults,
as ``marsprobe replay SLUG`` flies it, so the time is that of N complete flights, spread over
``--workers`` processes by :mod:`marsprobe.analysis.workers` (worker start-up included, the
numba cache warm). No other tool flies these missions: the figure is printed beside its goal.
Times are medians of ``--repeat`` runs, wall clock (the machine may be shared: say so).

    python benchmarks/ensemble.py [--mission mars-3] [--members 100] [--workers 2] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

# The checkout these benchmarks live in is the one measured, whatever else is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from marsprobe.analysis.catalog_replay import replay_row
from marsprobe.analysis.workers import run_longest_first, warm_kernels

GOAL_S = 30.0


def ensemble_seconds(slug: str, members: int, workers: int) -> tuple[float, int]:
    """Wall time of ``members`` flights of ``slug``, and how many matched the record."""
    t = time.perf_counter()
    rows = run_longest_first(replay_row, [(slug,)] * members, [1.0] * members, workers)
    return time.perf_counter() - t, sum(r["match"] for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mission", default="mars-3")
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    warm_kernels()  # the cache is warm before the clock starts
    runs = []
    for _ in range(args.repeat):
        seconds, matched = ensemble_seconds(args.mission, args.members, args.workers)
        runs.append(seconds)
    med = statistics.median(runs)
    print(
        f"{args.members}-member ensemble of {args.mission}, {args.workers} workers, median of "
        f"{args.repeat}: {med:.2f} s ({med / args.members * 1e3:.0f} ms a member; runs "
        f"{', '.join(f'{r:.1f}' for r in runs)}); {matched}/{args.members} match the record; "
        f"goal <= {GOAL_S:g} s: {'met' if med <= GOAL_S else 'NOT met'} ({med / GOAL_S:.2f}x)"
    )


if __name__ == "__main__":
    main()
