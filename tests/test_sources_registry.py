"""Every citation in the package's data files names a source of the registry.

The data files cite in two forms: ``"id@locator"`` in ``src`` lists (catalog missions,
claims, ascent data, spacecraft data) and ``source = "id: locator"`` in the
EDL vehicle files. Both are collected from every TOML file of the package and each id is
looked up in ``catalog/sources.toml``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from marsprobe.catalog.registry import load_sources

PACKAGE = Path(str(resources.files("marsprobe")))
REGISTRY = PACKAGE / "catalog" / "sources.toml"

# Ids that name a registered source under another spelling. The EDL vehicle files (not
# ours to edit) cite the video-notes seed as "seed-asianometry"; registering it again
# would duplicate the seed's entry, so it stays an alias until those files cite the seed's
# own id.
ALIASES = {"seed-asianometry": "000_70f349aa415e466e.txt"}


def data_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.toml") if p != REGISTRY)


def citations(node, where: str = "") -> Iterator[tuple[str, str]]:
    """``(where, source id)`` of every citation below ``node`` (a parsed TOML value)."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{where}.{key}" if where else str(key)
            if key == "src":
                refs = value if isinstance(value, list) else [value]
                for ref in refs:
                    if isinstance(ref, str):
                        yield here, ref.partition("@")[0].strip()
                    else:  # a source given as a table {id, locator}
                        yield here, str(ref.get("id", ""))
            elif key == "source" and isinstance(value, str):
                yield here, value.partition(":")[0].strip()
            else:
                yield from citations(value, here)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from citations(item, f"{where}[{i}]")


def test_the_scan_finds_both_citation_forms():
    # The scanner must see the compact form, a fact's alternative claims and the EDL form,
    # or the test below would pass on files it cannot read.
    data = {
        "a": {"value": 1, "src": ["x@L1"], "alt": [{"value": 2, "src": ["y@p. 3"]}]},
        "b": {"value": 3, "source": "z: table 2"},
    }
    assert sorted(i for _w, i in citations(data)) == ["x", "y", "z"]


def test_every_data_file_is_scanned():
    # catalog missions, claims, ascent data, EDL vehicles, spacecraft data
    rooms = {p.relative_to(PACKAGE).parts[0:2] for p in data_files()}
    for room in [
        ("catalog", "missions"),
        ("catalog", "claims.toml"),
        ("ascent", "data"),
        ("edl", "data"),
        ("mission", "data"),
    ]:
        assert room in rooms, room


@pytest.mark.parametrize("path", data_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_cited_source_is_registered(path):
    known = set(load_sources()) | set(ALIASES)
    data = tomllib.loads(path.read_text())
    missing = sorted({(i, w) for w, i in citations(data) if i not in known})
    assert not missing, f"{path.name}: unregistered source ids {missing}"


def test_aliases_point_at_registered_sources():
    known = load_sources()
    for alias, target in ALIASES.items():
        assert target in known and alias not in known
