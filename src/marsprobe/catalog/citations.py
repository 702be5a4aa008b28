"""Every citation of the catalog as a flat row: who claims what, where, with which verdict.

The rows feed the historian's views: everything one source claims (``marsprobe sources
--source ID``), the reliability of each source computed from the verdicts its claims earned,
and the bibliography of a mission (``marsprobe cite``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from marsprobe.catalog.claims import load_claims
from marsprobe.catalog.loader import all_missions, iter_facts
from marsprobe.catalog.registry import load_sources

VERDICTS = ("chosen", "plausible", "unsupported", "contradicted")


@dataclass(frozen=True)
class Citation:
    """One source cited for one value: the value, where it sits, and the verdict it earned."""

    source: str
    locator: str
    mission: str | None
    topic: str  # a fact path in the mission file, or a general claim's topic
    value: Any
    verdict: str  # chosen for the catalog's value, else the alternative's verdict
    claim_kind: str  # figure (a mission fact or a figure claim) or narrative

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def iter_citations() -> Iterator[Citation]:
    """Every citation of the mission files and the general claims, in catalog order."""
    owners: list[tuple[str | None, str, Any, str]] = []
    for mission in all_missions():
        owners += [(mission.slug, path, fact, "figure") for path, fact in iter_facts(mission)]
    for claim in load_claims():
        owner = claim.missions[0] if len(claim.missions) == 1 else None
        owners.append((owner, claim.topic, claim, claim.kind))
    for mission, topic, fact, kind in owners:
        for ref in fact.src:
            yield Citation(ref.id, ref.locator, mission, topic, fact.value, "chosen", kind)
        for alt in fact.alt:
            for ref in alt.src:
                yield Citation(ref.id, ref.locator, mission, topic, alt.value, alt.verdict, kind)


def missions_of(citation: Citation) -> set[str]:
    """The missions a citation concerns (a general claim names several)."""
    if citation.mission is not None:
        return {citation.mission}
    return {
        slug for claim in load_claims() if claim.topic == citation.topic for slug in claim.missions
    }


@dataclass(frozen=True)
class Reliability:
    """How the claims of one source fared, beside the registry's written judgement."""

    source: str
    kind: str
    citations: int
    verdicts: dict[str, int]
    chosen_share: float
    contradicted_share: float
    written: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def reliability() -> list[Reliability]:
    """Per source: how often its claims were chosen, plausible, unsupported, contradicted.

    A source cited for the chosen value counts as chosen even where it is one of several; the
    shares are of the source's own citations. Sources never cited are listed with zero.
    """
    counts: dict[str, Counter] = {}
    for citation in iter_citations():
        counts.setdefault(citation.source, Counter())[citation.verdict] += 1
    rows = []
    for source in load_sources().values():
        tally = counts.get(source.id, Counter())
        total = sum(tally.values())
        rows.append(
            Reliability(
                source=source.id,
                kind=source.kind,
                citations=total,
                verdicts={v: tally.get(v, 0) for v in VERDICTS},
                chosen_share=round(tally["chosen"] / total, 3) if total else 0.0,
                contradicted_share=round(tally["contradicted"] / total, 3) if total else 0.0,
                written=source.reliability,
            )
        )
    return rows
