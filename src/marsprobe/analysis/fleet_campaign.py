"""A launch window's fleet flown many times, with its faults as chances.

Each documented fault that carries a ``chance`` (:class:`marsprobe.sequence.faults.Chance`)
happens on a given flight with that probability (for a Weibull wear-out law: the probability
that the part has failed by the time the flight needs it, taken as the design arrival). A
sample draws which faults happen on each mission of the fleet; a fault without a chance
always happens, as on the day.

The physics of a mission depends only on which of its faults happened, so every
combination is replayed once, then the samples look their outcome up: the Monte Carlo is
exact about the physics and costs 2^k replays per mission of k uncertain faults. The draws
run through the campaign engine (:mod:`marsprobe.analysis.montecarlo`), so the seeds,
chunks and confidence intervals are the same as for any campaign.
"""

from __future__ import annotations

import functools
import itertools
from typing import Any

import numpy as np

from marsprobe.analysis.montecarlo import ChunkInfo, register_model
from marsprobe.errors import InputError

WINDOWS: dict[str, tuple[str, ...]] = {
    "1971": ("cosmos-419", "mars-2", "mars-3"),
    "1973": ("mars-4", "mars-5", "mars-6", "mars-7"),
}

MILESTONES = {
    "at_least_one_orbiter": ("orbiter",),
    "at_least_one_flyby": ("flyby",),
    "at_least_one_soft_landing": ("lander_soft_landed",),
    "at_least_one_landing_returning_data": ("lander_soft_landed:data",),
}
# "Returning data": a soft-landed capsule that transmitted for longer than the image threshold
# of marsprobe.analysis.race (USABLE_IMAGE_S).


def uncertain_faults(slug: str) -> list[tuple[str, float]]:
    """(fault id, probability it happens) for the mission's faults that carry a chance."""
    from marsprobe import catalog
    from marsprobe.mission.scenario import flight_plan, parse_faults
    from marsprobe.time import tdb_from_utc

    mission = catalog.load(slug)
    plan = flight_plan(mission)
    cruise = plan.get("cruise")
    need = cruise.arrival_utc if cruise is not None and cruise.arrival_utc else None
    days = (
        (float(tdb_from_utc(need)) - float(tdb_from_utc(mission.launch_utc.value))) / 86_400.0
        if need
        else 0.0
    )
    return [(f.id, f.chance.probability_by(days)) for f in parse_faults(mission) if f.chance]


def _terms(replay) -> set[str]:
    from marsprobe.analysis.race import USABLE_IMAGE_S

    terms = set(replay.outcome)
    if "lander_soft_landed" in terms:
        sent = next(
            (
                e.data.get("duration_s")
                for e in replay.events
                if e.name == "surface_transmission_end"
            ),
            float("inf"),
        )
        if sent >= USABLE_IMAGE_S:
            terms.add("lander_soft_landed:data")
    return terms


_TABLES: dict[str, dict[tuple[bool, ...], frozenset[str]]] = {}


def _combinations(slug: str) -> list[tuple[tuple[bool, ...], tuple[str, ...]]]:
    """Every combination of the mission's uncertain faults (True = happens) with the faults
    it removes."""
    ids = [fid for fid, _ in uncertain_faults(slug)]
    return [
        (happens, tuple(fid for fid, h in zip(ids, happens, strict=True) if not h))
        for happens in itertools.product((True, False), repeat=len(ids))
    ]


def flown_terms(slug: str, without: tuple[str, ...]) -> frozenset[str]:
    """The outcome terms of the mission flown without the faults ``without``."""
    from marsprobe import catalog
    from marsprobe.mission.replay import replay

    return frozenset(_terms(replay(catalog.load(slug), without)))


def fly_window(window: str, workers: int | None = None) -> None:
    """Fly every combination of faults of every mission of ``window`` in ``workers``
    processes (default: the CPU count), the longest first (:mod:`marsprobe.analysis.workers`);
    :func:`outcome_table` then reads them."""
    from marsprobe import catalog
    from marsprobe.analysis.workers import flight_cost, run_longest_first

    keys, jobs, costs = [], [], []
    for slug in WINDOWS[window]:
        if slug in _TABLES:
            continue
        mission = catalog.load(slug)
        for happens, without in _combinations(slug):
            keys.append((slug, happens))
            jobs.append((slug, without))
            costs.append(flight_cost(mission, without))
    for (slug, happens), terms in zip(
        keys, run_longest_first(flown_terms, jobs, costs, workers), strict=True
    ):
        _TABLES.setdefault(slug, {})[happens] = terms


def outcome_table(slug: str) -> dict[tuple[bool, ...], frozenset[str]]:
    """The outcome terms of every combination of the mission's uncertain faults (True = happens)."""
    if slug not in _TABLES:
        _TABLES[slug] = {h: flown_terms(slug, w) for h, w in _combinations(slug)}
    return _TABLES[slug]


def fleet_batch(draws: dict[str, np.ndarray], info: ChunkInfo, window: str) -> dict[str, Any]:
    """One chunk of fleet samples: which milestones each sample reached."""
    n = info.size
    reached = {name: np.zeros(n, dtype=bool) for name in MILESTONES}
    for slug in WINDOWS[window]:
        ids = [fid for fid, _ in uncertain_faults(slug)]
        table = outcome_table(slug)
        flags = (
            np.stack([draws[f"{slug}.{fid}"].astype(bool) for fid in ids], axis=1)
            if ids
            else (np.zeros((n, 0), dtype=bool))
        )
        for k in range(n):
            terms = table[tuple(bool(x) for x in flags[k])]
            for name, wanted in MILESTONES.items():
                if any(t in terms for t in wanted):
                    reached[name][k] = True
    return reached


def campaign_scenario(window: str, runs: int, seed: int) -> tuple[str, dict[str, Any]]:
    """Register the window's model and return (its name, the campaign scenario)."""
    if window not in WINDOWS:
        raise InputError(f"no fleet for window '{window}'; accepted: {', '.join(WINDOWS)}")
    dispersions = {}
    base = {}
    for slug in WINDOWS[window]:
        for fid, p in uncertain_faults(slug):
            field = f"{slug}.{fid}"
            base[field] = True
            dispersions[field] = {"dist": "bernoulli", "p": p}
    name = f"fleet:{window}"
    register_model(name, functools.partial(fleet_batch, window=window), sorted(base), base)
    scenario = {
        "campaign": {
            "model": name,
            "runs": runs,
            "seed": seed,
            "chunk_size": 1000,
            "description": f"the {window} fleet",
        },
        "dispersions": dispersions,
    }
    return name, scenario
