"""The historian's views of the catalog (issue 15): sources, filters, timeline, search, cite."""

from __future__ import annotations

import json

SEEDS = {
    "000_70f349aa415e466e.txt",
    "001_6bc26e764f32aa20.txt",
    "002_d3f98a46457d5b1f.txt",
    "003_fa6a318af82a3965.txt",
}


def test_the_founding_documents_are_described(cli):
    # Issue 17: a user without shared/ learns from the registry what each seed is.
    code, out, _ = cli("sources", "--json")
    assert code == 0
    described = {s["id"]: s.get("description", "") for s in json.loads(out) if s.get("seed")}
    assert set(described) == SEEDS
    assert all(len(text) > 100 for text in described.values())
    assert "Wikipedia" in described["003_fa6a318af82a3965.txt"]
    code, out, _ = cli("sources")
    assert "founding documents" in out
