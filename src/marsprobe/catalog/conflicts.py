"""Every disagreement between sources, as one flat list a historian can read.

A conflict is a fact of the catalog that carries alternative claims: the
chosen value with its sources, the other claims with theirs, and the reason
for the choice. The same shape serves the findings of the consistency check
(:mod:`marsprobe.catalog.consistency`), where one claim is a computation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marsprobe.catalog.claims import load_claims
from marsprobe.catalog.lineage import independent
from marsprobe.catalog.loader import all_missions, iter_facts
from marsprobe.facts import Fact, SourceRef


@dataclass(frozen=True)
class Conflict:
    """One disagreement: its topic, the claims with their sources, the choice and why."""

    mission: str | None
    topic: str
    claims: list[dict[str, Any]]
    chosen: Any
    reason: str
    kind: str = "sources"  # "sources" (they disagree) or "consistency" (a computation disagrees)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = {
            "mission": self.mission,
            "topic": self.topic,
            "claims": self.claims,
            "chosen": self.chosen,
            "reason": self.reason,
            "kind": self.kind,
            "severity": severity(self),
        }
        out.update(self.extra)
        return out


def refs_json(refs: list[SourceRef]) -> list[dict[str, str]]:
    return [{"id": r.id, "locator": r.locator} for r in refs]


def witnesses(refs: list[SourceRef]) -> dict[str, Any]:
    """How many independent lineages the sources of one claim represent, and which."""
    chosen = independent(r.id for r in refs)
    return {"independent": len(chosen), "independent_sources": chosen}


def claims_of(fact: Fact) -> list[dict[str, Any]]:
    """The chosen value and every alternative, each with its sources, verdict and witnesses."""
    claims = [
        {"value": fact.value, "sources": refs_json(fact.src), "verdict": "chosen"}
        | witnesses(fact.src)
    ]
    for claim in fact.alt:
        entry = {"value": claim.value, "sources": refs_json(claim.src), "verdict": claim.verdict}
        entry |= witnesses(claim.src)
        if claim.note:
            entry["note"] = claim.note
        claims.append(entry)
    return claims


def source_conflicts(slug: str | None = None) -> list[Conflict]:
    """Conflicts recorded in the data: facts with alternative claims, and general claims."""
    conflicts: list[Conflict] = []
    for mission in all_missions():
        if slug is not None and mission.slug != slug:
            continue
        for path, fact in iter_facts(mission):
            if fact.alt:
                conflicts.append(
                    Conflict(mission.slug, path, claims_of(fact), fact.value, fact.reason or "")
                )
    for claim in load_claims():
        if slug is not None and slug not in claim.missions:
            continue
        if claim.alt:
            owner = claim.missions[0] if len(claim.missions) == 1 else None
            conflicts.append(
                Conflict(owner, claim.topic, claims_of(claim), claim.value, claim.reason or "")
            )
    return conflicts


# How much a wrong value misleads a reader, by what it is about: a launch date or an outcome
# rewrites the history, a mass or an orbit changes the physics, a serial or an alias only the
# bookkeeping. A consistency finding may carry its own.
SEVERITY_BY_FIELD = (
    (3, ("launch_utc", "outcome", "failure_cause", "failed_stage", "time_utc", "First", "Launch")),
    (
        2,
        (
            "mass",
            "orbit",
            "distance",
            "speed",
            "altitude",
            "period",
            "apsis",
            "perihelion",
            "aphelion",
            "inclination",
            "duration",
            "lat_deg",
            "lon_deg",
            "delta_v",
            "mission_type",
            "vehicle",
        ),
    ),
    (
        1,
        (
            "serial",
            "aliases",
            "name",
            "pad",
            "cospar",
            "vehicle_config",
            "site",
            "spacecraft",
            "COSPAR",
        ),
    ),
)


def severity(conflict: Conflict) -> int:
    """1 (bookkeeping) to 3 (rewrites the history): how much the disagreement matters."""
    if "severity" in conflict.extra:
        return int(conflict.extra["severity"])
    for level, words in SEVERITY_BY_FIELD:
        if any(word in conflict.topic for word in words):
            return level
    return 2
