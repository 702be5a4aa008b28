"""Benchmark: a 300 x 300 Earth-to-Mars Lambert grid, marsprobe against its peers.

Run from the repository root:  python benchmarks/lambert.py [--n 300] [--repeat 3]

The grid is the 1971 opportunity (departures 1971-03-01 + 0..200 days, times of
flight 100..400 days), Earth and Mars heliocentric states from DE421 through
``marsprobe.ephemeris.state`` (synthetic circular, slightly inclined orbits if
that module cannot be imported). Every solver gets the same positions and times
in SI units. Timings:

* marsprobe: ``marsprobe.orbits.lambert.lambert`` on the whole grid in one call
  (numba, parallel over the batch), once on one thread and once on all of them;
  the ratio uses the latter. A first call on a few problems compiles or
  loads the cached machine code; it is excluded, and so is building the grid.
* lamberthub ``izzo2015`` (numba-jitted scalar solver, GPL-3.0, called only):
  a Python loop over the grid, all 10 arguments positional, tolerances 1e-13
  (full convergence, as marsprobe); its compilation is excluded by a warm-up call.

Each figure is the best of ``--repeat`` runs. Printed: solves per second, the
ratio, the number of failed problems, and the largest velocity difference.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import datetime

import numpy as np

from marsprobe.constants import AU_M, DAY_S, GM_SUN
from marsprobe.orbits.lambert import lambert

J2000 = datetime(2000, 1, 1, 12, 0, 0)


def _grid(n):
    """Departure epochs (TDB s past J2000) and times of flight (s), flattened n*n."""
    # The calendar date is read as TDB: a minute's difference does not matter here.
    t0 = (datetime(1971, 3, 1) - J2000).total_seconds()
    dep = t0 + np.linspace(0.0, 200.0, n) * DAY_S
    tof = np.linspace(100.0, 400.0, n) * DAY_S
    dep, tof = (a.ravel() for a in np.meshgrid(dep, tof, indexing="ij"))
    return dep, tof


def _states(dep, tof):
    """(r1, r2, source): Earth at departure, Mars at arrival, heliocentric, m."""
    try:
        from marsprobe.ephemeris import state

        r1, _v = state("earth", dep, center="sun")
        r2, _v = state("mars", dep + tof, center="sun")
        return r1, r2, "DE421 via marsprobe.ephemeris"
    except ImportError:
        pass

    def circ(a_au, t, phase, inc):
        a = a_au * AU_M
        ang = np.sqrt(GM_SUN / a**3) * t + phase
        return a * np.stack([np.cos(ang), np.sin(ang) * np.cos(inc), np.sin(ang) * np.sin(inc)], -1)

    return circ(1.0, dep, 0.0, 0.0), circ(1.5237, dep + tof, 1.0, np.radians(1.85)), "synthetic"


def _best(fn, repeat):
    best, out = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def bench_marsprobe(r1, r2, tof, repeat):
    lambert(GM_SUN, r1[:8], r2[:8], tof[:8])  # warm-up: compile or load the cache
    sec, (v1, v2, ok) = _best(lambda: lambert(GM_SUN, r1, r2, tof), repeat)
    return sec, v1, v2, ok


def bench_lamberthub(r1, r2, tof, repeat):
    try:
        from lamberthub import izzo2015
    except ImportError:
        return None
    izzo2015(GM_SUN, r1[0], r2[0], tof[0], 0, True, True, 35, 1e-5, 1e-7)  # warm-up (jit)

    def run():
        v1 = np.full_like(r1, np.nan)
        v2 = np.full_like(r2, np.nan)
        for k in range(len(tof)):
            try:
                # maxiter 35, atol = rtol = 1e-13 (its defaults are 1e-5, 1e-7): converged to
                # the accuracy marsprobe delivers, so both do the same work. All positional.
                v1[k], v2[k] = izzo2015(
                    GM_SUN, r1[k], r2[k], tof[k], 0, True, True, 35, 1e-13, 1e-13
                )
            except Exception:  # its failures raise; keep NaN and count them
                pass
        return v1, v2

    sec, (v1, v2) = _best(run, repeat)
    return sec, v1, v2


# --- hooks for the lead: pykep and hapsira are not installed in this environment. ---------
# Each hook must return (seconds, v1, v2) for the same (r1, r2, tof) or None when the package
# is missing; do not enter figures that were not measured in this run.
def bench_pykep(r1, r2, tof, repeat):  # HOOK: pykep.lambert_problem in a loop
    return None


def bench_hapsira(r1, r2, tof, repeat):  # HOOK: hapsira.iod.izzo.lambert (batched or looped)
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="grid side (default 300)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs, best kept")
    args = parser.parse_args()

    dep, tof = _grid(args.n)
    r1, r2, source = _states(dep, tof)
    n = tof.size
    import numba

    print(f"grid: {args.n} x {args.n} = {n} Earth->Mars problems, positions: {source}")
    print(f"cores: {os.cpu_count()}, numba threads: {numba.get_num_threads()}")
    print("warm-up excluded: marsprobe's first call (compile/cache load), lamberthub's jit")

    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    sec1, *_ = bench_marsprobe(r1, r2, tof, args.repeat)
    numba.set_num_threads(threads)
    print(f"marsprobe  (1 thread)  : {n / sec1:12,.0f} solves/s  ({sec1:.4f} s)")
    sec, v1, v2, ok = bench_marsprobe(r1, r2, tof, args.repeat)
    rate = n / sec
    print(
        f"marsprobe  ({threads} threads) : {rate:12,.0f} solves/s  ({sec:.4f} s, "
        f"{n - ok.sum()} failed)"
    )

    peers = {
        "lamberthub izzo2015": bench_lamberthub,
        "pykep lambert_problem": bench_pykep,
        "hapsira izzo": bench_hapsira,
    }
    for name, fn in peers.items():
        res = fn(r1, r2, tof, args.repeat)
        if res is None:
            print(f"{name:23s}: not installed, not measured")
            continue
        psec, w1, w2 = res
        prate = n / psec
        both = ok & np.isfinite(w1).all(axis=1) & np.isfinite(w2).all(axis=1)
        dv = max(
            np.max(np.linalg.norm(v1[both] - w1[both], axis=1)),
            np.max(np.linalg.norm(v2[both] - w2[both], axis=1)),
        )
        rel = dv / np.min(np.linalg.norm(w1[both], axis=1))
        print(
            f"{name:23s}: {prate:12,.0f} solves/s  ({psec:.4f} s, {n - both.sum()} failed or "
            f"disagreeing on existence)"
        )
        print(
            f"  ratio marsprobe/{name.split()[0]}: {rate / prate:8.1f}x   largest |dv|: "
            f"{dv:.3e} m/s (relative to the smallest |v1|: {rel:.1e})"
        )


if __name__ == "__main__":
    main()
