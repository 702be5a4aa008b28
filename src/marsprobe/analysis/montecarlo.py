"""Monte Carlo campaigns: run a model many times over dispersed inputs, keep every sample.

A *model* is a picklable module-level function of arrays::

    def model(draws: dict[str, np.ndarray], info: ChunkInfo) -> dict[str, np.ndarray]

``draws`` holds every dispersible field of the model as an array of the chunk's length
(drawn values, or the base/fixed value repeated); the model returns named 1-D arrays of the
same length (bool for outcomes such as ``landed``, float for quantities with their unit in the
name, NaN where a quantity does not exist for a sample). ``info`` says which samples these are
and offers ``info.uniforms(name, k)`` for randomness inside the model that stays reproducible.
Models are registered by name so that a scenario's ``model = "edl"`` resolves::

    register_model("edl", edl_batch, dispersible_fields=[...], base_values={...})
    scenario = load_scenario("mars3-ellipse.toml")
    result = run_campaign(None, scenario, workers=4, out_dir="runs/mars3", resume=True,
                          progress=print)
    result.summary["ellipses"]["landing"]["semi_major_km"]

The scenario format is described in :mod:`marsprobe.analysis.dispersions`, the random
streams in :mod:`marsprobe.analysis.draws`, the chunk files and executors (in-process,
process pool, Dask, dask-jobqueue) in :mod:`marsprobe.analysis.chunks` and
:mod:`marsprobe.analysis.executors`, the limits in :mod:`marsprobe.analysis.limits`, the summary in
:mod:`marsprobe.analysis.summary`. One campaign directory serves one running campaign at a
time (there is no lock file: do not resume one directory from two processes at once).

Guarantees: a sample's draws depend only on (seed, field, sample index); the chunk layout is
fixed by the scenario's ``chunk_size`` and recorded; each finished chunk is on disk before the
next result is awaited; ``resume=True`` redoes only chunks that are missing, truncated or
left as temporaries, and refuses a directory that holds another campaign (other scenario,
seed, layout or marsprobe version) or other files instead of overwriting them, unless
``force=True``, which deletes only the campaign files found there. Bit-identical results across
executors hold on one machine (one numpy/scipy build); different CPUs or libm builds may
differ in the last bits of transcendental functions.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import math
import os
import tempfile
import time
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

import marsprobe
from marsprobe.analysis import chunks as _chunks
from marsprobe.analysis import executors as _executors
from marsprobe.analysis.dispersions import (
    CampaignScenario,
    check_fields,
    parse_scenario,
    scenario_dict,
)
from marsprobe.analysis.draws import RNG_SCHEME, DrawPlan, draw, model_inputs, uniforms
from marsprobe.analysis.limits import CampaignEstimate, check_size, estimate_rest
from marsprobe.analysis.summary import read_columns, summarize
from marsprobe.constants import R_MARS_MEAN
from marsprobe.errors import ComputeError, InputError, ScenarioError

__all__ = [
    "CampaignProgress",
    "CampaignResult",
    "ChunkInfo",
    "Model",
    "get_model",
    "load_scenario",
    "register_model",
    "registered_models",
    "run_campaign",
    "summarize",
]

FORMAT = 1  # layout of the chunk files and their metadata


@dataclass(frozen=True)
class Model:
    """A registered model: its function, dispersible fields and base values."""

    name: str
    fn: Callable[[dict[str, np.ndarray], ChunkInfo], dict[str, np.ndarray]]
    fields: tuple[str, ...]
    base_values: Mapping[str, float | bool]
    radius_m: float = R_MARS_MEAN


_REGISTRY: dict[str, Model] = {}


def register_model(
    name: str,
    fn: Callable[[dict[str, np.ndarray], ChunkInfo], dict[str, np.ndarray]],
    dispersible_fields: Sequence[str],
    base_values: Mapping[str, float | bool] | None = None,
    *,
    radius_m: float = R_MARS_MEAN,
) -> Model:
    """Register (or replace) a model under ``name``.

    ``dispersible_fields``: the field names a scenario may disperse or fix, with their unit in
    the name (``entry.fpa_deg``). ``base_values``: the value of each field when the scenario
    leaves it alone (a bool marks a true/false field, dispersed only by ``bernoulli``); a field
    without one must be set by every scenario. ``radius_m``: sphere radius for landing
    ellipses (Mars mean radius by default).
    """
    fields = tuple(dispersible_fields)
    base = dict(base_values or {})
    extra = set(base) - set(fields)
    if extra:
        raise ValueError(f"base_values for fields not in dispersible_fields: {sorted(extra)}")
    clean: dict[str, float | bool] = {}
    for key, value in base.items():
        clean[key] = bool(value) if isinstance(value, bool | np.bool_) else float(value)
    model = Model(name, fn, fields, clean, float(radius_m))
    _REGISTRY[name] = model
    return model


def registered_models() -> tuple[str, ...]:
    return tuple(sorted(_REGISTRY))


def get_model(name: str) -> Model:
    """The model registered under ``name``; ScenarioError listing the registered ones if none."""
    try:
        return _REGISTRY[name]
    except KeyError:
        names = ", ".join(registered_models()) or "none registered"
        raise ScenarioError(f"model {name!r} is not registered; accepted: {names}") from None


def load_scenario(path: str | os.PathLike) -> CampaignScenario:
    """Read and validate a campaign TOML file against its (registered) model's fields."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScenarioError(f"{p}: cannot read the scenario file ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{p}: not valid TOML ({exc})") from None
    scenario = parse_scenario(data, str(p))
    try:
        model = get_model(scenario.campaign.model)
    except ScenarioError as exc:
        raise ScenarioError(f"{p}: campaign.model: {exc}") from None
    check_fields(scenario, model.fields, model.base_values, str(p))
    return scenario


@dataclass(frozen=True)
class ChunkInfo:
    """Which samples a model call computes: ``start..stop-1`` of chunk ``index``."""

    index: int
    start: int
    stop: int
    seed: int

    @property
    def size(self) -> int:
        return self.stop - self.start

    @property
    def sample(self) -> np.ndarray:
        """Global sample indices of this chunk."""
        return np.arange(self.start, self.stop, dtype=np.int64)

    def uniforms(self, name: str, k: int = 1) -> np.ndarray:
        """Reproducible uniforms in (0, 1), shape (size, k), from the stream ``model:<name>``."""
        return uniforms(self.seed, "model:" + name, self.start, self.stop, k)


class CampaignProgress(NamedTuple):
    chunks_done: int
    chunks_total: int
    samples_done: int
    samples_total: int


def compute_chunk(fn, plan: DrawPlan, info: ChunkInfo) -> dict[str, np.ndarray]:
    """Draw and run one chunk (this is what a worker executes). Returns its columns."""
    drawn = draw(plan, info.start, info.stop)
    outputs = fn(model_inputs(plan, drawn, info.size), info)
    if not isinstance(outputs, Mapping):
        raise TypeError(f"model returned {type(outputs).__name__}, not a dict of arrays")
    columns: dict[str, np.ndarray] = {"sample": info.sample}
    columns.update(drawn)
    for name, value in outputs.items():
        arr = np.asarray(value)
        if name in columns:
            raise ValueError(f"model output {name!r} clashes with an input column")
        if arr.shape != (info.size,):
            raise ValueError(
                f"model output {name!r} has shape {arr.shape}; expected ({info.size},)"
            )
        if not (arr.dtype == np.bool_ or np.issubdtype(arr.dtype, np.number)):
            raise ValueError(f"model output {name!r} has dtype {arr.dtype}; use bool or numbers")
        columns[name] = arr
    return columns


@dataclass
class CampaignResult:
    """What run_campaign returns. ``out_dir`` holds the chunk files and summary.json.

    Without an out_dir the files live in a temporary directory that is removed when this
    object is garbage-collected (copy what you need, or call :meth:`columns` before).
    """

    out_dir: Path
    summary: dict[str, Any]
    chunks_run: int
    chunks_reused: int
    _tmp: Any = field(default=None, repr=False)

    def columns(self, names: Sequence[str] | None = None) -> dict[str, np.ndarray]:
        """Columns of every sample, in sample order, read from the chunk files."""
        return read_columns(self.out_dir, names)


def _campaign_record(model: Model, scenario: CampaignScenario) -> dict[str, Any]:
    sc = scenario_dict(scenario)
    scenario_hash = hashlib.sha256(_chunks.canonical_json(sc).encode()).hexdigest()
    record: dict[str, Any] = {
        "format": FORMAT,
        "marsprobe_version": marsprobe.__version__,
        "model": model.name,
        "runs": scenario.campaign.runs,
        "seed": scenario.campaign.seed,
        "chunk_size": scenario.campaign.chunk_size,
        "n_chunks": len(_chunks.chunk_bounds(scenario.campaign.runs, scenario.campaign.chunk_size)),
        "rng": RNG_SCHEME,
        "scenario": sc,
        "scenario_hash": scenario_hash,
        # JSON has no infinity: a non-finite base value (never fails) is kept as its repr
        "base_values": {
            k: v if isinstance(v, bool) or math.isfinite(v) else repr(v)
            for k, v in model.base_values.items()
        },
        "radius_m": model.radius_m,
        "inputs": scenario.dispersed_fields(),
    }
    record["campaign_id"] = hashlib.sha256(_chunks.canonical_json(record).encode()).hexdigest()
    return record


def _resolve(model, scenario) -> tuple[Model, CampaignScenario]:
    if not isinstance(scenario, CampaignScenario):
        scenario = load_scenario(scenario)
    if model is None:
        resolved = get_model(scenario.campaign.model)
    elif isinstance(model, Model):
        resolved = model
    elif isinstance(model, str):
        resolved = get_model(model)
    else:
        matches = [m for m in _REGISTRY.values() if m.fn is model]
        if not matches:
            raise ScenarioError(
                f"model function {getattr(model, '__name__', model)!r} is not registered; "
                "register_model(name, fn, fields, base_values) first"
            )
        resolved = matches[0]
    if resolved.name != scenario.campaign.model:
        raise ScenarioError(
            f"the scenario is for model {scenario.campaign.model!r}, not {resolved.name!r}"
        )
    check_fields(scenario, resolved.fields, resolved.base_values, "scenario")
    return resolved, scenario


def _with_overrides(scenario: CampaignScenario, runs, seed) -> CampaignScenario:
    update = {}
    if runs is not None:
        if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
            raise InputError(f"runs must be an integer >= 1; got {runs!r}")
        update["runs"] = runs
    if seed is not None:
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise InputError(f"seed must be an integer >= 0; got {seed!r}")
        update["seed"] = seed
    if not update:
        return scenario
    return scenario.model_copy(update={"campaign": scenario.campaign.model_copy(update=update)})


def run_campaign(
    model: str | Model | Callable | None,
    scenario: CampaignScenario | str | os.PathLike,
    *,
    runs: int | None = None,
    seed: int | None = None,
    workers: int = 0,
    scheduler: str | None = None,
    executor: cf.Executor | None = None,
    out_dir: str | os.PathLike | None = None,
    resume: bool = False,
    progress: Callable[[CampaignProgress], None] | None = None,
    timeout_s: float = 10.0,
    estimate: Callable[[CampaignEstimate], None] | None = None,
    force: bool = False,
    workers_timeout_s: float | None = None,
) -> CampaignResult:
    """Run (or finish) a campaign and summarize it from its files.

    model: a registered name, a :class:`Model`, a registered function, or None for the
    scenario's ``campaign.model``. scenario: a :class:`CampaignScenario` or a TOML path.
    runs, seed: override the scenario's. workers: 0 in-process, N a local process pool;
    scheduler: a Dask scheduler address ``tcp://HOST:PORT`` (connection timeout ``timeout_s``
    seconds); executor: any concurrent.futures.Executor (not shut down here). out_dir: where
    chunk files, ``campaign.json`` and ``summary.json`` go (a temporary directory if None);
    resume: finish a campaign already started there; force: take over a folder that holds
    other files or another campaign (whose files are then deleted). progress: called with a
    :class:`CampaignProgress` at start and after each chunk; estimate: called once, when the
    first chunk of this run is stored, with what the rest will take. workers_timeout_s: how
    long a Dask scheduler may stay without workers before the run is abandoned.
    """
    resolved, scenario = _resolve(model, scenario)
    scenario = _with_overrides(scenario, runs, seed)
    check_size(scenario.campaign.runs, scenario.campaign.chunk_size)
    plan = DrawPlan.build(scenario, resolved.fields, resolved.base_values)
    record = _campaign_record(resolved, scenario)
    bounds = _chunks.chunk_bounds(scenario.campaign.runs, scenario.campaign.chunk_size)
    n_chunks = len(bounds)

    tmp = None
    if out_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="marsprobe-mc-")
        out = Path(tmp.name)
    else:
        out = Path(out_dir)
    if scheduler is not None:
        _executors.check_scheduler_address(scheduler)
    complete = _chunks.prepare_folder(out, record, resume, force)
    todo = (k for k in range(n_chunks) if k not in complete)  # lazily: runs may be huge
    n_todo = n_chunks - len(complete)
    done_chunks = len(complete)
    done_samples = sum(bounds[k][1] - bounds[k][0] for k in complete)
    total = scenario.campaign.runs

    def report() -> None:
        if progress is not None:
            progress(CampaignProgress(done_chunks, n_chunks, done_samples, total))

    report()
    outputs = _chunks.recorded_outputs(complete.values())
    started = time.monotonic()
    machinery = (
        f"the Dask scheduler at {scheduler}"
        if scheduler
        else "the worker processes"
        if workers
        else "the executor"
    )
    if n_todo:
        with _executors.open_executor(
            workers, scheduler, executor, timeout_s, workers_timeout_s
        ) as (
            ex,
            window,
        ):
            queue = todo
            in_flight: dict[cf.Future, int] = {}

            def fill() -> None:
                while len(in_flight) < window:
                    k = next(queue, None)
                    if k is None:
                        return
                    info = ChunkInfo(k, *bounds[k], scenario.campaign.seed)
                    in_flight[ex.submit(compute_chunk, resolved.fn, plan, info)] = k

            try:
                fill()
                while in_flight:
                    finished, _ = cf.wait(in_flight, return_when=cf.FIRST_COMPLETED)
                    # in index order, so that the chunk whose error is raised is well defined
                    for fut in sorted(finished, key=in_flight.__getitem__):
                        k = in_flight.pop(fut)
                        outputs = _store(
                            fut,
                            k,
                            bounds,
                            out,
                            record,
                            outputs,
                            (machinery, lambda: _executors.is_lost(ex)),
                        )
                        done_chunks += 1
                        done_samples += bounds[k][1] - bounds[k][0]
                        report()
                        if estimate is not None and done_chunks == len(complete) + 1:
                            estimate(
                                estimate_rest(
                                    out, k, bounds, n_todo, window, time.monotonic() - started
                                )
                            )
                    fill()
            finally:
                for fut in in_flight:
                    fut.cancel()
    summary = summarize(out)
    _chunks.write_json(out / "summary.json", summary)
    return CampaignResult(out, summary, n_todo, len(complete), tmp)


def _store(
    fut: cf.Future,
    k: int,
    bounds,
    out: Path,
    record,
    outputs: list[str] | None,
    machinery: tuple[str, Callable[[], bool]],
):
    """Write a finished chunk; return the output names (checked against earlier chunks).

    ``machinery``: what computes (for the message) and a test of whether it is gone.
    """
    what, is_lost = machinery
    try:
        columns = fut.result()
    except Exception as exc:
        # a pool or cluster that went away is not the model's error; a cluster closing under
        # a running task may raise anything from inside distributed, so its state decides
        gone = isinstance(exc, cf.CancelledError | cf.BrokenExecutor | OSError | TimeoutError)
        if gone or is_lost():
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else "no detail"
            raise ComputeError(
                f"lost {what} while computing chunk {k} ({type(exc).__name__}: {detail}); "
                f"the finished chunks in {out} are kept: restart it and use --resume"
            ) from None
        exc.add_note(
            f"while computing chunk {k} (samples {bounds[k][0]}..{bounds[k][1] - 1}) of the "
            f"campaign in {out}; finished chunks are kept: run again with --resume"
        )
        raise
    names = [c for c in columns if c != "sample" and c not in record["inputs"]]
    if outputs is not None and names != outputs:
        raise ValueError(f"model outputs of chunk {k} ({names}) differ from earlier ({outputs})")
    _chunks.write_chunk(
        out / _chunks.chunk_name(k, len(bounds)),
        columns,
        dict(record, outputs=names),
        {"index": k, "start": bounds[k][0], "stop": bounds[k][1]},
    )
    return names
