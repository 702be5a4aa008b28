"""Every finding of the catalog: where sources disagree, then where a figure disagrees
with what the catalog computes from its others (:mod:`marsprobe.catalog.consistency`)."""

from __future__ import annotations

from marsprobe.catalog.conflicts import Conflict, source_conflicts
from marsprobe.catalog.consistency import check_catalog


def all_conflicts(slug: str | None = None) -> list[Conflict]:
    """Source conflicts followed by consistency findings, optionally for one mission."""
    findings = [f for f in check_catalog() if slug is None or f.mission == slug]
    return source_conflicts(slug) + findings
