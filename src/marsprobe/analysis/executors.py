"""The executors that compute a campaign's chunks, and how they end.

Executors (the ``concurrent.futures.Executor`` seam):

- ``workers=0``: in-process, one chunk at a time, no extra dependency;
- ``workers=N``: a local ``ProcessPoolExecutor`` (spawned processes: safe with threads and
  numba);
- ``scheduler="tcp://HOST:PORT"``: a Dask distributed cluster through
  ``distributed.Client(address, timeout=...).get_executor()`` (optional dependency
  ``marsprobe[dask]``, imported only here). On SLURM, PBS, SGE or LSF start the cluster with
  ``dask-jobqueue`` (e.g. ``SLURMCluster(...).scale(jobs=10)``) and pass its
  ``scheduler_address``: no marsprobe code changes;
- ``executor=``: any other ``concurrent.futures.Executor`` the caller owns (an MPI pool, ...).

A local pool's workers die with the driver: on an error or a signal they are terminated at
once, and on Linux the kernel kills them if the driver itself is killed (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import os
from collections.abc import Callable, Iterator

from marsprobe.errors import InputError

SCHEDULER_SCHEMES = ("tcp", "tls", "ucx", "ws", "wss", "inproc")


class InlineExecutor(cf.Executor):
    """Runs each submitted call at once in the calling thread (the default, workers=0)."""

    def submit(self, fn, /, *args, **kwargs):
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # KeyboardInterrupt and SystemExit propagate at once
            future.set_exception(exc)
        return future


def is_lost(executor: cf.Executor) -> bool:
    """Whether a Dask executor's client has lost its scheduler (never true for other pools)."""
    client = getattr(executor, "_client", None)
    status = getattr(client, "status", "running")
    return client is not None and status != "running"


def check_scheduler_address(address: str) -> None:
    scheme, sep, rest = address.partition("://")
    if not sep or scheme not in SCHEDULER_SCHEMES or not rest:
        raise InputError(
            f"scheduler {address!r} is not a Dask scheduler address; accepted: "
            f"{'|'.join(SCHEDULER_SCHEMES)}://HOST:PORT, e.g. tcp://10.0.0.5:8786"
        )


@contextlib.contextmanager
def open_executor(
    workers: int = 0,
    scheduler: str | None = None,
    executor: cf.Executor | None = None,
    timeout_s: float = 10.0,
    workers_timeout_s: float | None = None,
) -> Iterator[tuple[cf.Executor, int]]:
    """Yield (executor, how many chunks to keep in flight) and shut it down afterwards.

    An executor passed in is the caller's: it is used but not shut down. A local pool's
    workers die with the driver: on an error or a signal they are terminated at once (not
    waited for), and on Linux the kernel kills them if the driver is killed outright.
    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
        raise InputError(f"workers must be an integer >= 0 (0 = in-process); got {workers!r}")
    chosen = sum([workers > 0, scheduler is not None, executor is not None])
    if chosen > 1:
        raise InputError("give at most one of workers>0, scheduler and executor")
    if executor is not None:
        width = getattr(executor, "_max_workers", None) or os.cpu_count() or 1
        yield executor, 2 * width
    elif scheduler is not None:
        with _dask_executor(scheduler, timeout_s, workers_timeout_s) as pair:
            yield pair
    elif workers > 0:
        with process_pool(workers) as pool:
            yield pool, 2 * workers
    else:
        yield InlineExecutor(), 1


@contextlib.contextmanager
def process_pool(
    workers: int, warm: Callable[[], None] | None = None
) -> Iterator[cf.ProcessPoolExecutor]:
    """A spawned process pool whose workers never outlive the process that made it; each
    worker first runs ``warm`` (a module-level function, e.g. one that loads the kernels).

    Spawned, not forked: the numba kernels run OpenMP threads, which fork would break.
    """
    import multiprocessing

    pool = cf.ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(os.getpid(), warm),
    )
    try:
        yield pool
    except BaseException:
        # an error, Ctrl-C or SIGTERM: a chunk in progress is lost anyway, do not wait for it
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            with contextlib.suppress(OSError, AttributeError):
                process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(parent_pid: int, warm: Callable[[], None] | None) -> None:
    die_with_parent(parent_pid)
    if warm is not None:
        warm()


def die_with_parent(parent_pid: int) -> None:
    """Worker initializer: end this process when the driver ``parent_pid`` ends.

    On Linux the kernel sends SIGKILL when the parent dies (prctl PR_SET_PDEATHSIG), even if
    the parent was killed with SIGKILL; elsewhere a daemon thread polls the parent's id.
    """
    import signal
    import sys
    import threading
    import time

    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
            if os.getppid() != parent_pid:  # the parent died before prctl took effect
                os._exit(1)
            return

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="marsprobe-die-with-parent").start()


INSTALL_DASK = "pip install 'marsprobe[dask]' (from a checkout: pip install -e '.[dask]')"


@contextlib.contextmanager
def _dask_executor(
    address: str, timeout_s: float, workers_timeout_s: float | None = None
) -> Iterator[tuple[cf.Executor, int]]:
    check_scheduler_address(address)
    try:
        from distributed import Client
    except ImportError:
        raise InputError(
            f"--scheduler needs the optional dependency distributed: {INSTALL_DASK}"
        ) from None
    try:
        client = Client(address, timeout=timeout_s, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(
            f"cannot reach the Dask scheduler at {address} within {timeout_s:g} s "
            f"({_first_line(exc)}); is `dask scheduler` running there and the port open?"
        ) from None
    try:
        wait_s = timeout_s if workers_timeout_s is None else workers_timeout_s
        try:
            client.wait_for_workers(1, timeout=wait_s)
        except (TimeoutError, OSError) as exc:
            raise InputError(
                f"the Dask scheduler at {address} has no workers after {wait_s:g} s "
                f"({_first_line(exc)}); start some with `dask worker {address}`"
            ) from None
        threads = sum(client.nthreads().values()) or 1
        ex = client.get_executor(pure=False)
        try:
            yield ex, 2 * threads
        finally:
            ex.shutdown(wait=False)
    finally:
        with contextlib.suppress(Exception):  # a scheduler already gone cannot be told goodbye
            client.close(timeout=timeout_s)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
