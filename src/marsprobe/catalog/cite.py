"""The bibliography behind a mission or the whole catalog, as BibTeX, CSL-JSON or RIS.

Entries are built from the source registry (title, author, year, address, what the source
is); a mission's bibliography holds the sources its facts cite, each with the locators
cited, so that a reader can go from the entry to the words.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

from marsprobe.catalog.citations import iter_citations, missions_of
from marsprobe.catalog.registry import Source, load_sources

FORMATS = ("bibtex", "csl-json", "ris")

# registry kind -> (BibTeX entry type, CSL type, RIS type)
TYPES = {
    "reference-book": ("book", "book", "BOOK"),
    "reference-paper": ("article", "article-journal", "JOUR"),
    "reference-catalog": ("misc", "dataset", "DBASE"),
    "reference-web": ("misc", "webpage", "ELEC"),
    "seed-video-notes": ("misc", "motion_picture", "VIDEO"),
    "seed-article": ("misc", "webpage", "ELEC"),
    "seed-chronology": ("misc", "webpage", "ELEC"),
    "seed-encyclopedia": ("misc", "entry-encyclopedia", "ENCYC"),
    "computed": ("misc", "software", "COMP"),
}


def cited_locators(slug: str | None = None) -> dict[str, list[str]]:
    """{source id: the distinct locators cited} for one mission, or for the whole catalog."""
    found: dict[str, list[str]] = defaultdict(list)
    for citation in iter_citations():
        if slug is not None and slug not in missions_of(citation):
            continue
        if citation.locator and citation.locator not in found[citation.source]:
            found[citation.source].append(citation.locator)
        found.setdefault(citation.source, found[citation.source])
    return dict(found)


def _key(source: Source) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", source.id.removesuffix(".txt")).strip("-")


def _note(source: Source, locators: list[str]) -> str:
    parts = [source.description or source.reliability]
    if locators:
        parts.append(
            f"Cited at: {'; '.join(locators[:20])}" + (" ..." if len(locators) > 20 else "")
        )
    return " ".join(parts)


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([{}%&$#_])", r"\\\1", text)


def bibtex(source: Source, locators: list[str]) -> str:
    entry = TYPES[source.kind][0]
    fields = {
        "title": source.title,
        "author": source.author,
        "year": source.year,
        "url": source.url,
        "note": _note(source, locators),
    }
    body = ",\n".join(
        f"  {name} = {{{_bibtex_escape(str(value))}}}" for name, value in fields.items() if value
    )
    return f"@{entry}{{{_key(source)},\n{body}\n}}"


def csl(source: Source, locators: list[str]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": source.id,
        "type": TYPES[source.kind][1],
        "title": source.title,
        "note": _note(source, locators),
    }
    if source.author:
        item["author"] = [{"literal": source.author}]
    if source.year:
        item["issued"] = {"date-parts": [[source.year]]}
    if source.url:
        item["URL"] = source.url
    return item


def ris(source: Source, locators: list[str]) -> str:
    lines = [f"TY  - {TYPES[source.kind][2]}", f"ID  - {source.id}", f"TI  - {source.title}"]
    if source.author:
        lines.append(f"AU  - {source.author}")
    if source.year:
        lines.append(f"PY  - {source.year}")
    if source.url:
        lines.append(f"UR  - {source.url}")
    lines += [f"N1  - {_note(source, locators)}", "ER  - "]
    return "\n".join(lines)


def bibliography(slug: str | None, fmt: str) -> str:
    """The bibliography of one mission (slug) or of every source cited (None)."""
    registry = load_sources()
    cited = cited_locators(slug)
    sources = [registry[i] for i in registry if i in cited]
    if fmt == "csl-json":
        return json.dumps([csl(s, cited[s.id]) for s in sources], indent=2, ensure_ascii=False)
    render = bibtex if fmt == "bibtex" else ris
    return "\n\n".join(render(s, cited[s.id]) for s in sources)
