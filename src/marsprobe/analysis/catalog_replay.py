"""The whole catalog replayed: one row per mission, outcome against record.

Missions are independent, so they fly in parallel processes, the longest first; the rows
come back in launch order whatever order the processes finish in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def replay_row(slug: str) -> dict[str, Any]:
    """Fly one catalog mission and compare it with its record (the row of ``replay --all``)."""
    from marsprobe import catalog
    from marsprobe.errors import MarsprobeError
    from marsprobe.mission.basis import outcome_basis
    from marsprobe.mission.compare import compare
    from marsprobe.mission.replay import replay

    mission = catalog.load(slug)
    recorded = mission.record.outcome.value if mission.record else None
    row: dict[str, Any] = {"slug": slug, "name": mission.name.value, "recorded_outcome": recorded}
    try:
        result = replay(mission)
        rows = compare(mission, result)
    except MarsprobeError as exc:  # CouldNotFly: a solver failed, shown as "could not fly"
        return {
            **row,
            "simulated_outcome": [],
            "match": False,
            "error": str(exc),
            "figures_within_tolerance": 0,
            "figures_compared": 0,
        }
    return {
        **row,
        "simulated_outcome": result.outcome,
        "match": recorded is not None and sorted(recorded) == sorted(result.outcome),
        # what the match measures: only a "prediction" match tests the physics
        "outcome_basis": outcome_basis(mission, result),
        "figures_within_tolerance": sum(1 for r in rows if r.within),
        # a fault's own input is shown beside the record, not compared
        "figures_compared": sum(1 for r in rows if r.basis != "fault input"),
        # the rows where nothing of the record went into the flight (compare.BASES)
        "predictions_within_tolerance": sum(
            1 for r in rows if r.within and r.basis == "prediction"
        ),
        "predictions_compared": sum(1 for r in rows if r.basis == "prediction"),
        "faults": result.applied_faults,
    }


def replay_catalog(
    workers: int | None = None, progress: Callable[[int, int], None] | None = None
) -> list[dict[str, Any]]:
    """Every mission's row, in launch order; ``workers`` processes (default: CPU count),
    the longest flights handed out first (:mod:`marsprobe.analysis.workers`)."""
    from marsprobe import catalog
    from marsprobe.analysis.workers import flight_cost, run_longest_first

    slugs = catalog.slugs()
    costs = [flight_cost(catalog.load(slug)) for slug in slugs]
    return run_longest_first(replay_row, [(slug,) for slug in slugs], costs, workers, progress)
