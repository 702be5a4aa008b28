"""Narrative claims of the seeds: recorded, with the verdicts the record supports (issue 15)."""

from __future__ import annotations

import math

import pytest

from marsprobe import catalog
from marsprobe.catalog.claims import load_claims
from marsprobe.catalog.locators import resolve, seeds_dir
from marsprobe.constants import AU_M, DAY_S, GM_EARTH, GM_SUN, R_EARTH

ARTICLE = "001_6bc26e764f32aa20.txt"
SEEDS = seeds_dir()


def narrative():
    return [c for c in load_claims() if c.kind == "narrative"]


def cites(refs, words: str) -> bool:
    return any(r.id == ARTICLE and words in resolve(r.id, r.locator, SEEDS) for r in refs)


def verdict_of(words: str) -> str:
    """The verdict the catalog gives the article's claim whose cited words contain ``words``."""
    for claim in load_claims():
        if cites(claim.src, words):
            return "chosen"
        for alt in claim.alt:
            if cites(alt.src, words):
                return alt.verdict
    raise AssertionError(f"no claim cites {words!r}")


def test_there_are_narrative_claims():
    assert len(narrative()) >= 30


@pytest.mark.skipif(SEEDS is None, reason="shared/seeds is not on this machine")
@pytest.mark.parametrize(
    ("words", "verdict"),
    [
        # The article's statements issue 15 names, and what the mission files show of them.
        ("they provided invaluable insights", "contradicted"),  # a featureless partial frame
        ("they also captured important data about the planet", "contradicted"),  # no lander did
        ("The successful Mars landings", "contradicted"),  # one soft landing, Mars 3
        ("attributed to a powerful dust storm", "unsupported"),  # cause never established
        ("NASA has recently decla", "contradicted"),  # the catalog's value shows it false
        ("first-ever images from the Martian surface", "contradicted"),
        ("The real breakthrough came just a few months later", "contradicted"),  # five days
        ("Mars was the closest planet to Earth", "contradicted"),  # Venus comes closer
    ],
)
def test_the_article_claims_carry_their_verdicts(words, verdict):
    assert verdict_of(words) == verdict


def test_every_narrative_claim_names_catalog_missions():
    known = set(catalog.slugs())
    for claim in narrative():
        assert set(claim.missions) <= known, claim.topic


def test_a_contradicted_seed_claim_has_a_reason():
    for claim in narrative():
        if any(a.verdict == "contradicted" for a in claim.alt):
            assert claim.reason, claim.topic


def text_of(topic_part: str) -> str:
    return next(c.value for c in narrative() if topic_part in c.topic)


def test_the_launch_window_period_is_the_synodic_period():
    # Semi-major axes 1.00000261 and 1.52371034 AU (Standish, JPL 'Keplerian Elements for
    # Approximate Positions of the Major Planets', Table 1); Kepler's third law with DE421's
    # GM of the Sun. The claim states 779.9 d; 0.5 d covers the planets' own masses.
    def period_days(a_au):
        return 2 * math.pi * math.sqrt((a_au * AU_M) ** 3 / GM_SUN) / DAY_S

    synodic = 1 / (1 / period_days(1.00000261) - 1 / period_days(1.52371034))
    assert synodic == pytest.approx(779.9, abs=0.5)
    assert "779.9 days" in text_of("launch window opens")


def test_the_orbital_and_escape_speeds():
    # Circular and escape speeds at 200 km and escape at the surface, from DE421's GM of the
    # Earth and the WGS 84 radius; the claim gives them to 0.1 km/s.
    r = R_EARTH + 200e3
    circular, escape = math.sqrt(GM_EARTH / r) / 1e3, math.sqrt(2 * GM_EARTH / r) / 1e3
    surface = math.sqrt(2 * GM_EARTH / R_EARTH) / 1e3
    text = text_of("Speeds needed")
    for speed in (circular, escape, surface):
        assert f"{speed:.1f} km/s" in text
