"""Chunk files of a Monte Carlo campaign and the executors that compute them.

A campaign of ``runs`` samples is cut into chunks of ``chunk_size`` consecutive samples
(the last one shorter); chunk ``k`` holds samples ``[k*chunk_size, min((k+1)*chunk_size,
runs))`` and is stored as ``chunk-00000k.parquet`` in the output directory, beside a
``campaign.json`` manifest. Each Parquet file carries in its schema metadata the campaign
(scenario, seed, layout, marsprobe version, random scheme, model base values) under
``marsprobe.campaign`` and its own place under ``marsprobe.chunk``, so a file is
self-describing and a stray file of another campaign is recognised.

A chunk is written to a hidden temporary name in the same directory, flushed with fsync and
then renamed with ``os.replace`` (atomic on POSIX): a file with the final name is complete or
absent, never half written. The driver, not the worker, writes the files, so workers need no
shared filesystem (a remote Dask cluster works as is).

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
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import json
import os
import re
import secrets
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from marsprobe.errors import InputError

MANIFEST = "campaign.json"
CAMPAIGN_KEY = b"marsprobe.campaign"
CHUNK_KEY = b"marsprobe.chunk"
_CHUNK_RE = re.compile(r"^chunk-(\d+)\.parquet$")
_TEMP_RE = re.compile(r"^\..+\.tmp-[0-9a-f]+$")
SCHEDULER_SCHEMES = ("tcp", "tls", "ucx", "ws", "wss", "inproc")


class ChunkBounds(Sequence[tuple[int, int]]):
    """(start, stop) sample indices of every chunk of the fixed layout, computed on demand.

    A sequence, not a list: a campaign of 10**11 runs has 10**8 chunks, and holding their
    bounds would cost gigabytes before the first sample is drawn.
    """

    def __init__(self, runs: int, chunk_size: int) -> None:
        self.runs = runs
        self.chunk_size = chunk_size

    def __len__(self) -> int:
        return -(-self.runs // self.chunk_size)

    def __getitem__(self, k):  # type: ignore[override]
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError(k)
        start = k * self.chunk_size
        return start, min(start + self.chunk_size, self.runs)


def chunk_bounds(runs: int, chunk_size: int) -> ChunkBounds:
    """(start, stop) sample indices of every chunk of the fixed layout."""
    return ChunkBounds(runs, chunk_size)


def chunk_name(index: int, n_chunks: int) -> str:
    width = max(6, len(str(n_chunks - 1)))
    return f"chunk-{index:0{width}d}.parquet"


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _atomic_write(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{secrets.token_hex(6)}")
    try:
        with open(tmp, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)


def is_chunk(name: str) -> bool:
    return _CHUNK_RE.match(name) is not None


def is_temporary(name: str) -> bool:
    return _TEMP_RE.match(name) is not None


# the files a campaign writes into its folder (the CLI adds its plot, landing.png)
CAMPAIGN_FILES = (MANIFEST, "summary.json", "landing.png")


def remove_campaign_files(out_dir: Path) -> list[str]:
    """Delete a campaign's own files from a folder (``--force``); other files stay."""
    removed = []
    for p in out_dir.iterdir():
        if p.is_file() and (
            _CHUNK_RE.match(p.name) or _TEMP_RE.match(p.name) or p.name in CAMPAIGN_FILES
        ):
            p.unlink()
            removed.append(p.name)
    return removed


def remove_temporaries(out_dir: Path) -> list[str]:
    """Delete temporary files left by a killed writer (never complete by construction)."""
    removed = []
    for p in out_dir.iterdir():
        if _TEMP_RE.match(p.name) and p.is_file():
            p.unlink()
            removed.append(p.name)
    return removed


# --- manifest ------------------------------------------------------------------------------


def write_manifest(out_dir: Path, campaign: Mapping[str, Any]) -> None:
    text = json.dumps(campaign, sort_keys=True, indent=1, allow_nan=False) + "\n"
    _atomic_write(out_dir / MANIFEST, lambda fh: fh.write(text.encode("utf-8")))


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically (summary.json): never a half-written file under the final name."""
    text = json.dumps(data, indent=1, allow_nan=False) + "\n"
    _atomic_write(path, lambda fh: fh.write(text.encode("utf-8")))


def read_manifest(out_dir: Path) -> dict[str, Any] | None:
    """The campaign of a directory's manifest; None if there is none, InputError if unreadable."""
    path = out_dir / MANIFEST
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            f"{path}: unreadable campaign manifest ({exc}); refusing to touch "
            f"{out_dir}: choose another directory"
        ) from None


def existing_chunks(out_dir: Path) -> dict[int, Path]:
    """Chunk files in a directory by index (complete or not: see :func:`chunk_state`)."""
    found = {}
    for p in out_dir.iterdir():
        m = _CHUNK_RE.match(p.name)
        if m:
            found[int(m.group(1))] = p
    return found


def describe_difference(ours: Mapping[str, Any], theirs: Mapping[str, Any]) -> str:
    """The first campaign property that differs, for a one-line refusal."""
    for key in (
        "model",
        "seed",
        "runs",
        "chunk_size",
        "scenario_hash",
        "marsprobe_version",
        "rng",
        "base_values",
        "format",
    ):
        if ours.get(key) != theirs.get(key):
            if key in ("scenario_hash", "base_values"):
                return f"{key} differs"
            return f"{key} {theirs.get(key)!r} there, {ours.get(key)!r} here"
    return "campaign id differs"


# --- chunk files ---------------------------------------------------------------------------


def write_chunk(
    path: Path,
    columns: Mapping[str, np.ndarray],
    campaign: Mapping[str, Any],
    chunk: Mapping[str, Any],
) -> None:
    """Write one chunk atomically: temp file, fsync, os.replace, fsync of the directory."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({name: pa.array(col) for name, col in columns.items()})
    table = table.replace_schema_metadata(
        {CAMPAIGN_KEY: canonical_json(campaign), CHUNK_KEY: canonical_json(chunk)}
    )
    _atomic_write(path, lambda fh: pq.write_table(table, fh))


def chunk_state(path: Path, campaign_id: str, index: int, start: int, stop: int) -> str:
    """'complete', 'corrupt' (unreadable, truncated or misplaced: redo it) or 'foreign'.

    'foreign' is a readable chunk that another campaign (or another program) wrote: the caller
    must refuse to overwrite it.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        md = pq.read_metadata(path)
    except (pa.ArrowException, OSError):
        return "corrupt"
    meta = md.metadata or {}
    try:
        campaign = json.loads(meta[CAMPAIGN_KEY])
        chunk = json.loads(meta[CHUNK_KEY])
    except (KeyError, ValueError):
        return "foreign"
    if campaign.get("campaign_id") != campaign_id:
        return "foreign"
    if (chunk.get("index"), chunk.get("start"), chunk.get("stop")) != (index, start, stop):
        return "corrupt"
    if md.num_rows != stop - start:
        return "corrupt"
    return "complete"


def recorded_outputs(paths) -> list[str] | None:
    """Output column names recorded in the first of some complete chunk files (None if none)."""
    for path in paths:
        return read_chunk_metadata(path)[0]["outputs"]
    return None


def read_chunk_metadata(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    import pyarrow.parquet as pq

    meta = pq.read_metadata(path).metadata or {}
    return json.loads(meta[CAMPAIGN_KEY]), json.loads(meta[CHUNK_KEY])


# --- executors -----------------------------------------------------------------------------


class InlineExecutor(cf.Executor):
    """Runs each submitted call at once in the calling thread (the default, workers=0)."""

    def submit(self, fn, /, *args, **kwargs):
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # KeyboardInterrupt and SystemExit propagate at once
            future.set_exception(exc)
        return future


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
def process_pool(workers: int) -> Iterator[cf.ProcessPoolExecutor]:
    """A spawned process pool whose workers never outlive the process that made it.

    Spawned, not forked: the numba kernels run OpenMP threads, which fork would break.
    """
    import multiprocessing

    pool = cf.ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=die_with_parent,
        initargs=(os.getpid(),),
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
