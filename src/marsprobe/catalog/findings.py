"""Every finding of the catalog: where sources disagree, then where a figure disagrees
with what the catalog computes from its others (:mod:`marsprobe.catalog.consistency`) or
with what physics allows (:mod:`marsprobe.catalog.physics_checks`)."""

from __future__ import annotations

from marsprobe.catalog import physics_checks
from marsprobe.catalog.conflicts import Conflict, source_conflicts
from marsprobe.catalog.consistency import check_catalog
from marsprobe.catalog.loader import all_missions


def all_conflicts(slug: str | None = None) -> list[Conflict]:
    """Source conflicts followed by consistency findings, optionally for one mission."""
    findings = [f for f in check_catalog() if slug is None or f.mission == slug]
    for mission in all_missions():
        if slug is None or mission.slug == slug:
            findings += physics_checks.check_mission(mission)
    findings += [
        f
        for f in physics_checks.check_entry_angles()
        if slug is None or f.mission == slug or slug in f.extra.get("missions", [])
    ]
    return source_conflicts(slug) + findings
