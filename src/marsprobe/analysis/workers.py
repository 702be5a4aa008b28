"""Flights spread over worker processes: the longest first, the compiled kernels built once.

Scheduling. With a few dozen flights of very unequal cost (a launch failure takes a tenth of
a second, a Viking with its site trim, de-orbit and descent ten times that) the wall time is
set by the longest flight started last; handing the flights out longest first (the LPT rule
of Graham, "Bounds on multiprocessing timing anomalies", SIAM J. Appl. Math. 17, 1969) keeps
it within 4/3 of the best. The cost of a flight is estimated from what its plan flies
(:func:`flight_cost`): an estimate that only orders the work, never a result.

Compilation. The cruise and EDL kernels are compiled by numba on first use and cached on
disk. Workers started together on a cold cache would each compile the same kernels at once,
on the same cores; so each worker warms the kernels on start-up under a lock shared by the
machine: the first compiles and writes the cache, the others wait for it and then load it.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

LOCK_FILE = Path(tempfile.gettempdir()) / "marsprobe-numba-compile.lock"

# Relative costs, in units of about 0.05 s on one core (a launch about 0.05 s, a cruise with
# its corrections 0.1 s, an arrival or a descent 0.05 s, a Viking's site trim 0.2 s, a
# parking orbit's decay up to 0.4 s; replay --all with --workers 1, December 2026). They only
# order the work and size the pool.
_COST = {"launch": 1.0, "escape": 0.5, "cruise": 2.0, "arrival": 1.0, "edl": 1.0}
_TRIM_COST = 4.0
_DECAY_COST = 6.0  # stranded in Earth orbit: the parking orbit's decay is integrated
WORKER_START_COST = 30.0
"""What starting a worker costs (imports, loading the kernels: about 1.5 s), in the same
units: the default pool gets one worker per twice that much work, so each does more work
than it costs to start."""


def flight_cost(mission, without: Sequence[str] = ()) -> float:
    """Relative cost of flying ``mission`` (with the faults of ``without`` removed): the
    phases its plan describes, the site trim, and only the launch where the record says the
    flight ended there and none of its faults is removed."""
    flight = mission.flight or {}
    record = getattr(mission, "record", None)
    outcome = set(record.outcome.value) if record is not None else set()
    if not without and outcome == {"launch_failure"}:
        return _COST["launch"]
    if not without and outcome == {"stranded_in_earth_orbit"}:
        return _COST["launch"] + _DECAY_COST
    cost = sum(w for phase, w in _COST.items() if phase in flight)
    if "trim_utc" in flight.get("arrival", {}):
        cost += _TRIM_COST
    return cost


@contextlib.contextmanager
def _machine_lock() -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, at worst a kernel is compiled twice
        yield
        return
    with open(LOCK_FILE, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def warm_kernels() -> None:
    """Compile (or load from numba's cache) the cruise, Kepler and EDL kernels here, one
    process of the machine at a time (see the module docstring)."""
    import numpy as np

    with _machine_lock():
        from marsprobe.constants import DAY_S
        from marsprobe.edl import EntryState, fly
        from marsprobe.orbits import kepler, nbody

        eph = nbody.SampledEphemeris(0.0, DAY_S, bodies=("sun",))
        stop = [nbody.periapsis_stop("p", "sun")]
        nbody.propagate(0.0, [1.5e11, 0, 0], [0, 3e4, 0], 60.0, "sun", eph, stops=stop)
        # the Kepler solver is called with read-only views and (a strided batch) with copies
        kepler.propagate(np.array([7e6, 0, 0]), np.array([0, 7.5e3, 0]), 60.0, 4e14)
        strided = np.array([[7e6, 0, 0, 0, 0, 0]])[:, ::2], np.array([[0, 0, 7.5e3, 0, 0, 0]])
        kepler.propagate(strided[0], strided[1][:, ::2], 60.0, 4e14)
        entry = EntryState(*(np.array([x]) for x in (125e3, 5600.0, -12.0, 0.0, -45.0, 200.0)))
        fly(entry, "m71", t_max_s=1.0)


def run_longest_first(
    fn: Callable[..., Any],
    jobs: Sequence[tuple],
    costs: Sequence[float],
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Any]:
    """``fn(*job)`` for every job, in ``workers`` processes (1: in this process; default:
    the CPU count, fewer when the work is small, see :data:`WORKER_START_COST`), handed out
    by decreasing cost; the results in the order of ``jobs``."""
    if workers is None:
        by_work = int(sum(costs) // (2 * WORKER_START_COST))
        workers = max(1, min(os.cpu_count() or 1, by_work))
    workers = min(workers, max(len(jobs), 1))
    order = sorted(range(len(jobs)), key=lambda k: -costs[k])
    results: dict[int, Any] = {}
    if workers == 1:
        for k in order:
            results[k] = fn(*jobs[k])
            if progress:
                progress(len(results), len(jobs))
        return [results[k] for k in range(len(jobs))]
    from marsprobe.analysis.executors import process_pool

    # spawned workers that end with this process (a SIGTERM or SIGKILL leaves none behind)
    with process_pool(workers, warm_kernels) as pool:
        futures = {pool.submit(fn, *jobs[k]): k for k in order}
        for future in cf.as_completed(futures):
            results[futures[future]] = future.result()
            if progress:
                progress(len(results), len(jobs))
    return [results[k] for k in range(len(jobs))]
