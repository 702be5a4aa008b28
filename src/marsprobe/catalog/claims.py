"""Claims that belong to no single field of one mission (counts, firsts, general statements).

``catalog/claims.toml`` holds figures and firsts, ``catalog/narrative.toml`` the narrative
claims of the seeds (what the landers did, what the images showed, why a craft failed, the
context of the programme). Both are facts with a topic::

    [[claim]]
    topic = "Soviet Mars launches, 1960-1973"
    missions = []
    value = 18
    src = ["marsprobe@count of catalog launches 1960-1973"]
    reason = "..."
    alt = [{value = 15, src = ["000_70f349aa415e466e.txt@00:00:02"], verdict = "contradicted"}]
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from marsprobe.catalog.files import describe_validation_error, read_toml
from marsprobe.errors import CatalogError
from marsprobe.facts import Fact, Strict

CLAIMS_PATH = Path(str(resources.files("marsprobe.catalog") / "claims.toml"))
NARRATIVE_PATH = Path(str(resources.files("marsprobe.catalog") / "narrative.toml"))

ClaimKind = Literal["figure", "narrative"]


class GeneralClaim(Fact[Any]):
    """A fact about the program as a whole, or about several missions at once.

    ``kind`` is ``figure`` for counts, dates and firsts, ``narrative`` for a statement in
    words (what a lander did, what a failure was blamed on); a narrative claim's ``value`` is
    what the evidence supports, in the catalog's own words, and the seed's wording is cited
    with its verdict among ``alt`` where it says more or other than that.
    """

    topic: str = Field(min_length=1)
    missions: list[str] = Field(default_factory=list)
    kind: ClaimKind = "figure"
    # A physical constraint the consistency check applies to the claim's values
    # (marsprobe.catalog.physics_checks).
    check: Literal["entry_flight_path_angle"] | None = None


class ClaimsFile(Strict):
    claim: list[GeneralClaim] = Field(default_factory=list)


@cache
def load_claims(path: Path = CLAIMS_PATH) -> list[GeneralClaim]:
    """The general claims of one file (by default claims.toml and narrative.toml together)."""
    paths = [CLAIMS_PATH, NARRATIVE_PATH] if path == CLAIMS_PATH else [path]
    claims: list[GeneralClaim] = []
    for one in paths:
        if not one.exists():
            continue
        try:
            claims += ClaimsFile.model_validate(read_toml(one)).claim
        except ValidationError as exc:
            raise CatalogError(describe_validation_error(one, exc)) from None
    return claims
