"""Claims that belong to no single field of one mission (counts, firsts, general statements).

``catalog/claims.toml`` holds them as facts with a topic::

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
from typing import Any

from pydantic import Field, ValidationError

from marsprobe.catalog.files import describe_validation_error, read_toml
from marsprobe.errors import CatalogError
from marsprobe.facts import Fact, Strict

CLAIMS_PATH = Path(str(resources.files("marsprobe.catalog") / "claims.toml"))


class GeneralClaim(Fact[Any]):
    """A fact about the program as a whole, or about several missions at once."""

    topic: str = Field(min_length=1)
    missions: list[str] = Field(default_factory=list)


class ClaimsFile(Strict):
    claim: list[GeneralClaim] = Field(default_factory=list)


@cache
def load_claims(path: Path = CLAIMS_PATH) -> list[GeneralClaim]:
    """The general claims; an absent file means none."""
    if not path.exists():
        return []
    try:
        return ClaimsFile.model_validate(read_toml(path)).claim
    except ValidationError as exc:
        raise CatalogError(describe_validation_error(path, exc)) from None
