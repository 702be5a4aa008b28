"""Benchmark: one 300 x 300 porkchop grid of the 1971 window, marsprobe against three peers.

Run from the repository root with either virtual environment:

    python benchmarks/porkchop.py [--n 300] [--repeat 3]

The grid is the one ``marsprobe porkchop --from 1971-03-01 --to 1971-07-01 --tof 120:400``
solves: n departures x n times of flight, the Earth's centre and Mars from DE421, positions
in J2000 ecliptic axes (``marsprobe.analysis.porkchop.transfer_geometry``). Every solver gets
the same positions and times, SI units, zero revolutions, prograde. Timed, each the best of
``--repeat`` runs, compilation and imports excluded by a warm-up call:

* marsprobe ``orbits.lambert.lambert`` on the whole grid in one call (numba, parallel over
  the batch) on one thread and on all; the ratios use all threads. Also the whole
  ``analysis.porkchop.porkchop`` call (ephemeris, Lambert, C3 and v_inf), for information.
* pykep 3 ``lambert_problem`` (C++), one Python call per cell. Run in a child process,
  because pykep 3.0.1 may abort when its interpreter exits: the child writes its velocities
  and time to files and this script reads them.
* lamberthub ``izzo2015`` (numba-jitted, GPL-3.0, called only), a Python loop, all ten
  arguments positional (its keyword defaults cost a numba dispatch each call), tolerances
  1e-13 so that it converges as far as marsprobe does.
* hapsira ``core.iod.izzo`` (numba) inside one ``@njit`` loop: the compiled-loop ceiling,
  rtol 1e-13.

A peer that cannot be imported is skipped with the reason. hapsira needs numpy < 2.4, so it
usually runs only from the separate benchmark environment (see /work/shared/peers/README.md).
Printed: solves per second, marsprobe's ratio to each, and the largest velocity difference.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

# The checkout these benchmarks live in is the one measured, whatever else is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from marsprobe.analysis.porkchop import porkchop, transfer_geometry
from marsprobe.constants import DAY_S, GM_SUN
from marsprobe.orbits.lambert import lambert
from marsprobe.time import tdb_from_utc


def grid(n):
    """Departures (TDB s) and times of flight (s) of the 1971 grid, and the flat batch."""
    dep = np.linspace(tdb_from_utc("1971-03-01"), tdb_from_utc("1971-07-01"), n)
    tof = np.linspace(120.0, 400.0, n) * DAY_S
    d, t = (a.ravel() for a in np.meshgrid(dep, tof, indexing="ij"))
    r1, _vo, r2, _vt = transfer_geometry(d, t)
    return dep, tof, np.ascontiguousarray(r1), np.ascontiguousarray(r2), t


def best_of(fn, repeat):
    best, out = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def bench_marsprobe(r1, r2, tof, repeat):
    lambert(GM_SUN, r1[:8], r2[:8], tof[:8])  # compile or load the cache
    sec, (v1, v2, ok) = best_of(lambda: lambert(GM_SUN, r1, r2, tof), repeat)
    return sec, v1, v2, ok


def bench_lamberthub(r1, r2, tof, repeat):
    try:
        from lamberthub import izzo2015
    except ImportError as exc:
        return f"not importable ({exc})"
    izzo2015(GM_SUN, r1[0], r2[0], tof[0], 0, True, True, 35, 1e-13, 1e-13)  # jit

    def run():
        v1 = np.full_like(r1, np.nan)
        v2 = np.full_like(r2, np.nan)
        for k in range(tof.size):
            try:
                v1[k], v2[k] = izzo2015(
                    GM_SUN, r1[k], r2[k], tof[k], 0, True, True, 35, 1e-13, 1e-13
                )
            except Exception:  # it raises where there is no solution: keep NaN
                pass
        return v1, v2

    sec, (v1, v2) = best_of(run, repeat)
    return sec, v1, v2


def bench_hapsira(r1, r2, tof, repeat):
    try:
        from hapsira.core.iod import izzo
        from numba import njit
    except Exception as exc:  # ImportError, or numpy too new for its numba/astropy pins
        return f"not importable ({type(exc).__name__}: {exc})"

    @njit
    def loop(k, r1, r2, tof, v1, v2):
        for i in range(tof.size):
            a, b = izzo(k, r1[i], r2[i], tof[i], 0, True, True, 35, 1e-13)
            v1[i] = a
            v2[i] = b

    v1 = np.empty_like(r1)
    v2 = np.empty_like(r2)
    loop(GM_SUN, r1[:4], r2[:4], tof[:4], v1[:4], v2[:4])  # compile

    def run():
        loop(GM_SUN, r1, r2, tof, v1, v2)
        return v1.copy(), v2.copy()

    sec, (w1, w2) = best_of(run, repeat)
    return sec, w1, w2


_PYKEP_CHILD = textwrap.dedent(
    """
    import sys, time
    import numpy as np
    import pykep as pk
    folder, repeat, mu = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    r1 = np.load(folder + "/r1.npy").tolist()
    r2 = np.load(folder + "/r2.npy").tolist()
    tof = np.load(folder + "/tof.npy").tolist()
    pk.lambert_problem(r1[0], r2[0], tof[0], mu, False, 0)  # warm-up
    best = float("inf")
    for _ in range(repeat):
        v1, v2 = [], []
        start = time.perf_counter()
        for a, b, t in zip(r1, r2, tof):
            lp = pk.lambert_problem(a, b, t, mu, False, 0)
            v1.append(lp.v0[0])
            v2.append(lp.v1[0])
        best = min(best, time.perf_counter() - start)
    np.save(folder + "/v1.npy", np.array(v1))
    np.save(folder + "/v2.npy", np.array(v2))
    with open(folder + "/seconds.txt", "w") as f:
        f.write(repr(best))
    sys.stdout.flush()
    """
)


def bench_pykep(r1, r2, tof, repeat):
    probe = subprocess.run(
        [sys.executable, "-c", "import pykep"], capture_output=True, text=True, timeout=120
    )
    if probe.returncode != 0 and "ModuleNotFoundError" in probe.stderr:
        return "not importable (no module named pykep)"
    with tempfile.TemporaryDirectory() as folder:
        for name, arr in (("r1", r1), ("r2", r2), ("tof", tof)):
            np.save(f"{folder}/{name}.npy", arr)
        child = subprocess.run(
            [sys.executable, "-c", _PYKEP_CHILD, folder, str(repeat), repr(GM_SUN)],
            capture_output=True,
            text=True,
            timeout=3600,
        )
        seconds = Path(folder, "seconds.txt")
        if not seconds.exists():
            tail = (child.stderr or child.stdout).strip().splitlines()[-1:]
            return f"failed in its child process (exit {child.returncode}: {' '.join(tail)})"
        # A non-zero exit after the files were written is pykep's abort at exit.
        return float(seconds.read_text()), np.load(f"{folder}/v1.npy"), np.load(f"{folder}/v2.npy")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="grid side (default 300)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs, best kept")
    args = parser.parse_args()

    import numba

    dep, tof_axis, r1, r2, tof = grid(args.n)
    n = tof.size
    print(f"grid: {args.n} x {args.n} = {n:,} Earth->Mars Lambert problems, 1971 window, DE421")
    print(
        f"python {sys.version.split()[0]}, numpy {np.__version__}, numba {numba.__version__}, "
        f"cores: {os.cpu_count()}, numba threads: {numba.get_num_threads()}"
    )
    print("compilation and imports excluded (warm-up calls); best of", args.repeat, "runs")

    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    sec1, *_ = bench_marsprobe(r1, r2, tof, args.repeat)
    numba.set_num_threads(threads)
    sec, v1, v2, ok = bench_marsprobe(r1, r2, tof, args.repeat)
    rate = n / sec
    print(f"{'marsprobe lambert, 1 thread':34s}: {n / sec1:12,.0f} solves/s ({sec1:.4f} s)")
    print(
        f"{f'marsprobe lambert, {threads} threads':34s}: {rate:12,.0f} solves/s ({sec:.4f} s, "
        f"{n - ok.sum()} without solution)"
    )
    porkchop(dep[:2], tof_axis[:2])
    grid_sec, _g = best_of(lambda: porkchop(dep, tof_axis), args.repeat)
    label = "marsprobe porkchop (ephemeris+C3)"
    print(f"{label:34s}: {n / grid_sec:12,.0f} cells/s  ({grid_sec:.4f} s)")

    peers = {
        "pykep lambert_problem (loop)": bench_pykep,
        "lamberthub izzo2015 (loop)": bench_lamberthub,
        "hapsira core izzo (@njit loop)": bench_hapsira,
    }
    for name, fn in peers.items():
        res = fn(r1, r2, tof, args.repeat)
        if isinstance(res, str):
            print(f"{name:34s}: skipped, {res}")
            continue
        psec, w1, w2 = res
        prate = n / psec
        both = ok & np.isfinite(w1).all(axis=1) & np.isfinite(w2).all(axis=1)
        dv = max(
            np.max(np.linalg.norm(v1[both] - w1[both], axis=1)),
            np.max(np.linalg.norm(v2[both] - w2[both], axis=1)),
        )
        print(
            f"{name:34s}: {prate:12,.0f} solves/s ({psec:.4f} s)   marsprobe/peer: lambert "
            f"{rate / prate:5.1f}x, whole porkchop {n / grid_sec / prate:5.1f}x   "
            f"largest |dv| {dv:.2e} m/s over {both.sum():,} cells"
        )
    print("goal: none set for the Lambert grid (issue 14's goals are the replay, ensemble and EDL)")


if __name__ == "__main__":
    main()
