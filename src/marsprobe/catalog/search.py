"""Full-text search of the catalog: facts, claims, notes, reasons and the source registry."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from marsprobe.catalog.claims import load_claims
from marsprobe.catalog.loader import all_missions, iter_facts
from marsprobe.catalog.registry import load_sources


@dataclass(frozen=True)
class Hit:
    kind: str  # fact, claim, summary or source
    mission: str | None
    where: str  # fact path, claim topic or source id
    field: str  # value, note, reason, alternative, summary, title, ...
    text: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _texts_of_fact(fact) -> list[tuple[str, str]]:
    texts = [("value", str(fact.value))]
    texts += [(name, getattr(fact, name)) for name in ("note", "reason") if getattr(fact, name)]
    for alt in fact.alt:
        texts.append(("alternative", f"{alt.value} [{alt.verdict}]"))
        if alt.note:
            texts.append(("alternative note", alt.note))
    return texts


def search(text: str) -> list[Hit]:
    """Every place whose words contain ``text`` (case-insensitive)."""
    needle = text.casefold()
    hits: list[Hit] = []

    def add(kind, mission, where, field, words):
        if needle in words.casefold():
            hits.append(Hit(kind, mission, where, field, words))

    for mission in all_missions():
        add("summary", mission.slug, mission.slug, "summary", mission.summary)
        for path, fact in iter_facts(mission):
            for field, words in _texts_of_fact(fact):
                add("fact", mission.slug, path, field, words)
    for claim in load_claims():
        owner = claim.missions[0] if len(claim.missions) == 1 else None
        add("claim", owner, claim.topic, "topic", claim.topic)
        for field, words in _texts_of_fact(claim):
            add("claim", owner, claim.topic, field, words)
    for source in load_sources().values():
        for field in ("title", "reliability", "description", "lineage", "author"):
            words = getattr(source, field)
            if words:
                add("source", None, source.id, field, words)
    return hits
