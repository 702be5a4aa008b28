"""A mission replayed many times with its errors: the campaign model behind ``replay --runs``.

Each sample is one whole replay (:func:`marsprobe.mission.replay.replay`) with a
:class:`~marsprobe.mission.perturbation.Perturbation` drawn for it: the escape stage's
injection error, the navigation and execution errors of each correction, the uncertainty of
each inferred or chosen fault size. The flights run through the campaign engine
(:mod:`marsprobe.analysis.montecarlo`): a sample's errors come from the engine's counter-based
streams (``info.uniforms``, turned into normals by the inverse normal CDF), so they depend
only on (seed, stream, sample index), not on the chunks or the workers; chunk files make a
run resumable.

Each sample stores fixed columns (the same names in every chunk, as the engine requires):

- ``outcome.<class>``: whether the flight ended in that class (every class of
  :data:`marsprobe.mission.schema.OUTCOMES`; a flight may have two, an orbiter and its lander);
- ``could_not_fly``: a solver failed (:class:`marsprobe.errors.CouldNotFly`): never an
  outcome; such a sample has every outcome false and is left out of the probabilities;
- ``matches_record``: the flight's outcome is the recorded one;
- ``tcm_dv_m_s``, ``propellant_left_kg`` (NaN: no corrections or no known load),
  ``injection_error_m_s`` (the size of the drawn injection error);
- ``figure.<j>.simulated`` and ``figure.<j>.difference`` for the j-th recorded figure of the
  comparison (:mod:`marsprobe.mission.compare`; NaN where a flight did not produce it). A
  date's ``simulated`` is NaN: its difference from the record is the figure.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import ndtri

from marsprobe.analysis.montecarlo import ChunkInfo, register_model
from marsprobe.errors import ConvergenceError, InputError

CHUNK_SIZE = 4
"""Flights per chunk file: small, so that two workers share a 200-flight run evenly and an
interruption loses little; the layout is fixed, never the worker count."""

STREAM_PREFIX = "replay:"  # the engine's model streams are "model:<this prefix><stream>"


@dataclass(frozen=True)
class Figure:
    """One recorded figure the comparison may produce: its record path, the reader of its
    simulated value, its label, unit and whether it is a date (compared as a difference)."""

    key: str
    label: str
    unit: str
    is_date: bool
    recorded_text: str | None = None  # a date's recorded value as the record gives it


@functools.lru_cache(maxsize=8)
def _mission(slug: str):
    from marsprobe import catalog

    return catalog.load(slug)


@functools.lru_cache(maxsize=8)
def mission_uncertainty(slug: str):
    """The :class:`~marsprobe.mission.perturbation.Uncertainty` of catalog mission ``slug``."""
    from marsprobe.mission.perturbation import uncertainty

    return uncertainty(_mission(slug))


@functools.lru_cache(maxsize=8)
def figures(slug: str) -> tuple[Figure, ...]:
    """Every recorded figure of the mission that a flight may be compared on, in the order of
    ``mission/data/comparison.toml``."""
    from marsprobe.mission.compare import QUANTITIES, recorded_figures

    mission = _mission(slug)
    if mission.record is None:
        return ()
    out: list[Figure] = []
    seen: set[str] = set()
    for q in QUANTITIES:
        for path, fact, event in recorded_figures(mission.record, q):
            key = f"{path}|{q.read}"
            if key in seen:
                continue
            seen.add(key)
            name = event.name if event else ""
            label = q.quantity.format(event=name, sim=name)
            is_date = isinstance(fact.value, str) and q.read != "orbital_lifetime_days"
            out.append(Figure(key, label, q.unit, is_date, fact.value if is_date else None))
    return tuple(out)


def normals_of(slug: str, seed: int, start: int, stop: int) -> list[dict[str, np.ndarray]]:
    """The standard normals of samples ``start..stop-1``, one dict of streams per sample."""
    from marsprobe.analysis.draws import uniforms

    sizes = mission_uncertainty(slug).sizes()
    n = stop - start
    columns = {}
    for stream, k in sizes.items():
        if k == 0:
            columns[stream] = np.zeros((n, 0))
            continue
        u = uniforms(seed, "model:" + STREAM_PREFIX + stream, start, stop, k)
        columns[stream] = ndtri(u)
    return [{s: columns[s][i] for s in sizes} for i in range(n)]


def perturbation_of(slug: str, seed: int, sample: int):
    """The errors of one sample of a run (to fly it again alone: the same flight)."""
    from marsprobe.mission.perturbation import Perturbation

    (normals,) = normals_of(slug, seed, sample, sample + 1)
    return Perturbation.draw(mission_uncertainty(slug), normals)


def fly_sample(slug: str, perturbation) -> dict[str, Any]:
    """One perturbed flight as the scalars of its columns; a solver's failure is returned as
    ``could_not_fly`` with its message under ``error`` (never an outcome)."""
    from marsprobe.mission.compare import compare
    from marsprobe.mission.replay import replay
    from marsprobe.mission.schema import OUTCOMES

    mission = _mission(slug)
    row: dict[str, Any] = {f"outcome.{c}": False for c in OUTCOMES}
    row.update(could_not_fly=False, matches_record=False)
    row["injection_error_m_s"] = float(np.linalg.norm(perturbation.injection_dv))
    row["tcm_dv_m_s"] = row["propellant_left_kg"] = np.nan
    for j in range(len(figures(slug))):
        row[f"figure.{j}.simulated"] = row[f"figure.{j}.difference"] = np.nan
    try:
        result = replay(mission, perturbation=perturbation)
        rows = compare(mission, result)
    except ConvergenceError as exc:  # a solver failed: counted apart, never an outcome;
        # any other error (bad data, a bad drawn value) stops the run and is reported
        row["could_not_fly"] = True
        row["error"] = str(exc)
        return row
    for c in result.outcome:
        row[f"outcome.{c}"] = True
    recorded = mission.record.outcome.value if mission.record else None
    row["matches_record"] = recorded is not None and sorted(recorded) == sorted(result.outcome)
    tcms = [e for e in result.events if e.name == "tcm"]
    if tcms:
        row["tcm_dv_m_s"] = float(sum(e.data["delta_v_m_s"] for e in tcms))
        left = tcms[-1].data.get("propellant_left_kg")
        row["propellant_left_kg"] = np.nan if left is None else float(left)
    index = {f.key: j for j, f in enumerate(figures(slug))}
    for r in rows:
        if r.spec is None:  # a fault's own input shown beside the record: not a flown figure
            continue
        j = index.get(f"{r.record_path}|{r.spec.read}")
        if j is None or r.difference is None:
            continue
        if isinstance(r.simulated, int | float):
            row[f"figure.{j}.simulated"] = float(r.simulated)
        row[f"figure.{j}.difference"] = float(r.difference)
    return row


def ensemble_batch(draws: dict[str, np.ndarray], info: ChunkInfo, slug: str) -> dict[str, Any]:
    """One chunk of perturbed flights of ``slug`` (the engine's model function)."""
    from marsprobe.mission.perturbation import Perturbation

    spec = mission_uncertainty(slug)
    rows = [
        fly_sample(slug, Perturbation.draw(spec, normals))
        for normals in normals_of(slug, info.seed, info.start, info.stop)
    ]
    names = [k for k in rows[0] if k != "error"]
    return {k: np.array([r[k] for r in rows]) for k in names}


def campaign_scenario(slug: str, runs: int, seed: int) -> tuple[str, dict[str, Any]]:
    """Register ``slug``'s ensemble model and return (its name, the campaign scenario).

    The scenario disperses no field: the errors are drawn inside the model. Its description
    names the 1-sigma figures, so a resumed run whose data files changed is refused as
    another campaign instead of being mixed with it.
    """
    from marsprobe import catalog

    if slug not in catalog.slugs():
        raise InputError(f"unknown mission '{slug}'; see `marsprobe missions` for the slugs")
    spec = mission_uncertainty(slug)
    name = f"replay:{slug}"
    register_model(name, functools.partial(ensemble_batch, slug=slug), (), {})
    scenario = {
        "campaign": {
            "model": name,
            "runs": runs,
            "seed": seed,
            "chunk_size": CHUNK_SIZE,
            "description": f"{slug} flown with its errors: {spec}",
        },
    }
    return name, scenario


def run_ensemble(slug: str, runs: int, seed: int, **engine: Any):
    """Fly ``slug`` ``runs`` times with its errors (seed ``seed``) through the campaign engine
    and summarize it (:class:`marsprobe.analysis.ensemble_summary.EnsembleSummary`).

    ``engine``: passed to :func:`marsprobe.analysis.montecarlo.run_campaign` (``workers``,
    ``scheduler``, ``out_dir``, ``resume``, ``force``, ``progress``, ``estimate``, ...). The
    flights that could not fly are flown once more, alone, to name their error (the same
    errors: a sample's draws depend on the seed and its index only).
    """
    from marsprobe.analysis.dispersions import parse_scenario
    from marsprobe.analysis.ensemble_summary import CouldNotFly, summarize_ensemble
    from marsprobe.analysis.limits import check_size
    from marsprobe.analysis.montecarlo import run_campaign

    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise InputError(f"--runs must be an integer >= 1; got {runs!r}")
    check_size(runs, CHUNK_SIZE)
    _, data = campaign_scenario(slug, runs, seed)
    result = run_campaign(None, parse_scenario(data, f"{slug} ensemble"), **engine)
    columns = result.columns()
    failed = [int(i) for i in np.asarray(columns["sample"])[np.asarray(columns["could_not_fly"])]]
    named = [
        CouldNotFly(i, fly_sample(slug, perturbation_of(slug, seed, i)).get("error", "?"))
        for i in failed
    ]
    summary = summarize_ensemble(slug, runs, seed, columns, figures(slug), named)
    spec = mission_uncertainty(slug)
    summary.uncertainty = {
        "injection_sigma_m_s": spec.injection_sigma_m_s,
        "navigation_position_sigma_km": spec.position_sigma_m / 1e3,
        "navigation_velocity_sigma_m_s": spec.velocity_sigma_m_s,
        "execution_sigma_fraction": spec.execution_sigma_fraction,
        "corrections": spec.n_tcm,
        "fault_sizes": [
            {"fault": fid, "parameter": path, "sigma": sigma}
            for fid, path, sigma in spec.fault_sizes
        ],
    }
    return summary
