"""Read the mission files and the source registry, and validate them.

The catalog is data: one TOML file per mission in ``catalog/missions/``, the
source registry in ``catalog/sources.toml`` and the claims that belong to no
single mission in ``catalog/claims.toml``. This module turns them into
validated :class:`~marsprobe.mission.schema.Mission` objects and says, in one
line, what is wrong with a file that does not fit.
"""

from __future__ import annotations

import difflib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from marsprobe.catalog.files import describe_validation_error, read_toml
from marsprobe.catalog.registry import Source, load_sources
from marsprobe.errors import CatalogError, UnknownMissionError
from marsprobe.facts import Fact
from marsprobe.mission.schema import Mission

MISSIONS_DIR = Path(str(resources.files("marsprobe.catalog") / "missions"))


def parse_mission(data: dict[str, Any], path: Path | str) -> Mission:
    """Validate one mission's data against the schema and the source registry."""
    try:
        mission = Mission.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(describe_validation_error(path, exc)) from None
    known = load_sources()
    for where, ref in iter_source_refs(mission):
        if ref.id not in known:
            close = difflib.get_close_matches(ref.id, list(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise CatalogError(f"{path}: field '{where}': unknown source id '{ref.id}'{hint}")
    return mission


def load_file(path: str | Path) -> Mission:
    """Load a mission (or scenario) file from anywhere on disk."""
    path = Path(path)
    return parse_mission(read_toml(path), path)


@cache
def _file_slugs() -> tuple[str, ...]:
    """The slugs the catalog's files are named after (listing the folder parses nothing)."""
    return tuple(sorted(path.stem for path in MISSIONS_DIR.glob("*.toml")))


@cache
def _mission(slug: str) -> Mission:
    path = MISSIONS_DIR / f"{slug}.toml"
    mission = load_file(path)
    if mission.slug != path.stem:
        raise CatalogError(f"{path}: field 'slug': '{mission.slug}' must match the file name")
    return mission


@cache
def _catalog() -> dict[str, Mission]:
    return {slug: _mission(slug) for slug in _file_slugs()}


def slugs() -> list[str]:
    """Every mission slug of the catalog, in launch order."""
    return [m.slug for m in all_missions()]


def all_missions() -> list[Mission]:
    """Every mission of the catalog, in launch order."""
    return sorted(_catalog().values(), key=lambda m: m.launch_utc.value)


def load(slug: str) -> Mission:
    """The catalog mission with this slug; an unknown slug names the near matches.

    Only that mission's file is read and validated (a replay of one mission does not parse the
    other 28; :func:`all_missions` and ``marsprobe missions`` read them all)."""
    if slug in _file_slugs():
        return _mission(slug)
    close = difflib.get_close_matches(slug, list(_file_slugs()), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `marsprobe missions` lists them"
    raise UnknownMissionError(f"no mission '{slug}' in the catalog{hint}")


def iter_facts(model: Any, prefix: str = ""):
    """Yield (dotted path, Fact) for every fact inside a model, depth first."""
    if isinstance(model, Fact):
        yield prefix, model
        return
    if isinstance(model, list):
        for index, item in enumerate(model):
            label = getattr(item, "name", None) or getattr(item, "label", None)
            key = f"{prefix}[{index}:{label}]" if label else f"{prefix}[{index}]"
            yield from iter_facts(item, key)
        return
    fields = getattr(type(model), "model_fields", None)
    if not fields:
        return
    for name in fields:
        value = getattr(model, name)
        if value is None or name == "src":
            continue
        yield from iter_facts(value, f"{prefix}.{name}" if prefix else name)


def iter_source_refs(mission: Mission):
    """Yield (path, SourceRef) for every citation in a mission, claims included."""
    for path, fact in iter_facts(mission):
        for ref in fact.src:
            yield path, ref
        for claim in fact.alt:
            for ref in claim.src:
                yield f"{path}.alt", ref


def sources() -> dict[str, Source]:
    """The source registry, by id."""
    return load_sources()
