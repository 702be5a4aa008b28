"""Source lineage: which sources repeat which, and how many independent witnesses agree.

The chronology seed repeats the Encyclopedia Astronautica and NSSDCA, the Mars 7 seed is a
Wikipedia article, NASA's mission pages follow Siddiqi: counting them as separate witnesses
would count one text several times. Each source of the registry lists what it ``copies``;
a source's *roots* are the ancestors that copy nothing registered (itself if it copies
nothing). Sources whose roots overlap belong to one lineage.
"""

from __future__ import annotations

from collections.abc import Iterable

from marsprobe.catalog.registry import load_sources
from marsprobe.errors import CatalogError


def roots(source_id: str) -> frozenset[str]:
    """The ancestors of a source that copy nothing registered (the source itself if none)."""
    registry = load_sources()
    found: set[str] = set()
    seen: set[str] = set()
    stack = [source_id]
    while stack:
        current = stack.pop()
        if current in seen:
            continue  # reached along two paths (a diamond), counted once
        seen.add(current)
        parents = registry[current].copies if current in registry else []
        if parents:
            stack.extend(parents)
        else:
            found.add(current)
    if not found:
        raise CatalogError(f"sources.toml: the lineage of '{source_id}' runs in a circle")
    return frozenset(found)


def independent(source_ids: Iterable[str]) -> list[str]:
    """The largest set of the given sources no two of which share a root.

    Its size is the number of independent witnesses. A compilation that copies several
    parents (Wikipedia copies NSSDCA, McDowell and Siddiqi) adds nothing beside any one of
    them, while two parents it joins stay two witnesses: a maximum packing of disjoint root
    sets, found by trying every subset (a claim cites a handful of sources).
    """
    ids = list(dict.fromkeys(source_ids))
    if len(ids) > 16:
        raise CatalogError(f"{len(ids)} sources on one claim: too many to weigh by subsets")
    root_sets = [roots(i) for i in ids]
    best: list[int] = []
    for mask in range(1, 1 << len(ids)):
        chosen = [k for k in range(len(ids)) if mask >> k & 1]
        if len(chosen) <= len(best):
            continue
        union: set[str] = set()
        if all(not (root_sets[k] & union) and not union.update(root_sets[k]) for k in chosen):
            best = chosen
    return [ids[k] for k in best]


def independent_count(source_ids: Iterable[str]) -> int:
    """How many independent witnesses a set of sources represents (see independent)."""
    return len(independent(source_ids))
