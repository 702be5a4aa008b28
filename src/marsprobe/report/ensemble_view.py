"""The mission page's ensemble block: outcome-class probabilities with their intervals.

Whole-mission ensembles (``marsprobe replay SLUG --runs N``) are computed elsewhere; a page
shows one when its data carries it (``MissionData.ensemble``), as an :class:`EnsembleView`
or as the plain dict :meth:`EnsembleView.from_dict` reads. Nothing here computes an
ensemble: the block renders what it is given, and a page without one has no block.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marsprobe.errors import InputError


@dataclass(frozen=True)
class OutcomeProbability:
    """One outcome class: how many runs reached it, its probability and 95 % interval."""

    outcome_class: str
    count: int
    probability: float
    ci95: tuple[float, float]


@dataclass(frozen=True)
class EnsembleView:
    """What the page shows of an ensemble (probabilities in 0..1)."""

    runs: int
    outcomes: list[OutcomeProbability]
    seed: int | None = None
    interval: str = "Wilson score interval, 95 %"
    notes: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EnsembleView:
        """Read ``{runs, seed?, interval?, notes?, outcomes: [{outcome_class, count,
        probability, ci95: [lo, hi]}]}``; a missing or inconsistent field is an InputError."""
        try:
            outcomes = [
                OutcomeProbability(
                    str(o["outcome_class"]),
                    int(o["count"]),
                    float(o["probability"]),
                    (float(o["ci95"][0]), float(o["ci95"][1])),
                )
                for o in data["outcomes"]
            ]
            view = cls(
                runs=int(data["runs"]),
                outcomes=outcomes,
                seed=None if data.get("seed") is None else int(data["seed"]),
                interval=str(data.get("interval", cls.interval)),
                notes=[str(n) for n in data.get("notes", [])],
            )
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise InputError(f"ensemble block: missing or malformed field ({exc})") from None
        for o in view.outcomes:
            if not (
                0 <= o.ci95[0] <= o.probability <= o.ci95[1] <= 1 and 0 <= o.count <= view.runs
            ):
                raise InputError(
                    f"ensemble block: '{o.outcome_class}' is not a probability "
                    "inside its interval, or counts more runs than were flown"
                )
        return view


def as_view(ensemble) -> EnsembleView | None:
    """The page's ensemble as an :class:`EnsembleView` (None stays None)."""
    if ensemble is None or isinstance(ensemble, EnsembleView):
        return ensemble
    return EnsembleView.from_dict(ensemble)
