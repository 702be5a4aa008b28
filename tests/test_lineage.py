"""Source lineage: copies are not independent witnesses (issue 15)."""

from __future__ import annotations

import pytest

from marsprobe import catalog
from marsprobe.catalog.conflicts import source_conflicts
from marsprobe.catalog.lineage import independent, independent_count, roots
from marsprobe.catalog.registry import load_sources

CHRONOLOGY = "002_d3f98a46457d5b1f.txt"
MARS7_ARTICLE = "003_fa6a318af82a3965.txt"
VIDEO = "000_70f349aa415e466e.txt"


def test_the_chronology_repeats_astronautix_and_nssdca():
    # sources.toml: the chronology's headers are Encyclopedia Astronautica's, its texts NSSDCA's.
    assert roots(CHRONOLOGY) == {"nssdca"}
    assert independent_count([CHRONOLOGY, "nssdca", "astronautix"]) == 1


def test_the_mars_7_seed_is_a_wikipedia_article():
    assert "wikipedia" in load_sources()[MARS7_ARTICLE].copies
    assert independent_count([MARS7_ARTICLE, "wikipedia"]) == 1


def test_a_compilation_does_not_merge_its_parents():
    # Wikipedia copies NSSDCA and Siddiqi; those two stay two witnesses beside it.
    assert sorted(independent(["nssdca", "siddiqi2018", "wikipedia"])) == ["nssdca", "siddiqi2018"]
    assert independent_count([CHRONOLOGY, MARS7_ARTICLE, VIDEO]) == 2


def test_every_lineage_names_registered_sources_and_ends():
    registry = catalog.sources()
    with_lineage = [s for s in registry.values() if s.copies]
    assert len(with_lineage) >= 15
    for source in registry.values():
        assert roots(source.id)  # raises on a circle
        if source.copies:
            assert source.lineage, source.id


def test_conflicts_count_independent_witnesses():
    # Mars 6's launch mass: four sources give 3,260 kg, but the chronology's text, the 2008
    # NASA profile and Wikipedia all repeat NSSDCA (sources.toml): one witness.
    conflict = next(c for c in source_conflicts("mars-6") if c.topic == "masses.launch_mass_kg")
    chosen = conflict.claims[0]
    assert len(chosen["sources"]) == 4
    assert chosen["independent"] == 1


@pytest.mark.parametrize("source_id", sorted(load_sources()))
def test_roots_are_sources_that_copy_nothing(source_id):
    registry = load_sources()
    assert all(not registry[r].copies for r in roots(source_id))
