"""The source registry: every document the catalog cites, with a note on how far to trust it."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from marsprobe.catalog.files import describe_validation_error, read_toml
from marsprobe.errors import CatalogError
from marsprobe.facts import Strict

REGISTRY_PATH = Path(str(resources.files("marsprobe.catalog") / "sources.toml"))


class Source(Strict):
    """One document the catalog cites."""

    id: str = Field(min_length=1)
    title: str
    kind: Literal[
        "seed-video-notes",
        "seed-article",
        "seed-chronology",
        "seed-encyclopedia",
        "reference-catalog",
        "reference-book",
        "reference-paper",
        "reference-web",
        "computed",
    ]
    seed: bool = False  # one of the four founding documents in shared/seeds/
    file: str | None = None  # seed file name
    url: str | None = None
    author: str | None = None
    year: int | None = None
    locator: str  # how a locator into this source is written
    reliability: str  # a sentence in our own words
    # What the document is and where it was published, in our own words (every seed has one,
    # so that a reader without shared/seeds learns what the founding documents are).
    description: str | None = None
    # How to find the cited text again (web sources): the date or revision read, where it is
    # known, and the copies read; an honest "not recorded" where it is not.
    retrieval: str | None = None
    archive: str | None = None  # an address of archived copies (e.g. the Wayback Machine's)
    # Lineage: the registered sources whose text this one repeats. Two sources that share an
    # ancestor are one piece of evidence, not two (marsprobe.catalog.lineage).
    copies: list[str] = Field(default_factory=list)
    lineage: str | None = None  # why, in a sentence


class Registry(Strict):
    source: list[Source]


@cache
def load_sources(path: Path = REGISTRY_PATH) -> dict[str, Source]:
    """The registry as {id: Source}; a malformed registry names the file and field."""
    try:
        registry = Registry.model_validate(read_toml(path))
    except ValidationError as exc:
        raise CatalogError(describe_validation_error(path, exc)) from None
    by_id: dict[str, Source] = {}
    for source in registry.source:
        if source.id in by_id:
            raise CatalogError(f"{path}: field 'source': duplicate id '{source.id}'")
        by_id[source.id] = source
    for source in by_id.values():
        for parent in source.copies:
            if parent not in by_id:
                raise CatalogError(f"{path}: source '{source.id}': copies unknown '{parent}'")
    return by_id
