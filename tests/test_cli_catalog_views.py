"""The historian's views of the catalog (issue 15): sources, filters, timeline, search, cite."""

from __future__ import annotations

import json

import pytest

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


ARTICLE = "001_6bc26e764f32aa20.txt"


def test_everything_one_source_claims_with_its_verdicts(cli):
    code, out, _ = cli("sources", "--source", ARTICLE, "--json")
    assert code == 0
    rows = json.loads(out)
    assert rows and {r["source"] for r in rows} == {ARTICLE}
    # The article is mostly wrong: of its checkable claims more are contradicted than chosen
    # (the verdicts recorded in the mission files, claims.toml and narrative.toml).
    verdicts = [r["verdict"] for r in rows]
    assert verdicts.count("contradicted") > verdicts.count("chosen")
    code, out, _ = cli("sources", "--source", ARTICLE, "--verdict", "contradicted", "--json")
    assert {r["verdict"] for r in json.loads(out)} == {"contradicted"}


def test_claims_about_one_mission(cli):
    code, out, _ = cli("sources", "--mission", "mars-3", "--json")
    assert code == 0
    rows = json.loads(out)
    assert rows and all(r["mission"] in ("mars-3", None) for r in rows)


def test_conflicts_filter_by_kind_and_sort_by_severity(cli):
    code, out, _ = cli(
        "sources", "--conflicts", "--kind", "consistency", "--sort", "severity", "--json"
    )
    assert code == 0
    found = json.loads(out)
    assert found and {c["kind"] for c in found} == {"consistency"}
    severities = [c["severity"] for c in found]
    assert severities == sorted(severities, reverse=True)
    code, out, _ = cli("sources", "--conflicts", "--kind", "narrative", "--json")
    assert json.loads(out)


def test_a_launch_date_conflict_outranks_a_serial(cli):
    # Issue 15: a launch year wrong matters more than a serial number.
    code, out, _ = cli("sources", "--conflicts", "--mission", "mars-6", "--json")
    by_topic = {c["topic"]: c["severity"] for c in json.loads(out)}
    code, out, _ = cli("sources", "--conflicts", "--mission", "3mv-1a-no-2", "--json")
    serial = {c["topic"]: c["severity"] for c in json.loads(out)}["vehicle_config"]
    assert by_topic["launch_utc"] > serial


def test_reliability_is_computed_beside_the_written_judgement(cli):
    code, out, _ = cli("sources", "--reliability", "--json")
    assert code == 0
    rows = {r["source"]: r for r in json.loads(out)}
    article, chronology = rows[ARTICLE], rows["002_d3f98a46457d5b1f.txt"]
    assert sum(article["verdicts"].values()) == article["citations"]
    assert article["contradicted_share"] > chronology["contradicted_share"]
    assert article["written"].startswith("A sensational web article")


def test_timeline_reconciles_time_bases(cli):
    code, out, _ = cli("timeline", "--from", "1976-09-03", "--to", "1976-09-03", "--json")
    assert code == 0
    landing = next(
        r for r in json.loads(out) if r["mission"] == "viking-2" and r["event"] == "landing"
    )
    # Science 194, 62: 22:58:20 UT Earth-received; less the 20.5 min light time (DE421) the
    # event time is 22:37:49, within 10 s of the rounding of the published time.
    assert landing["basis"] == "ert" and landing["recorded_utc"] == "1976-09-03T22:58:20Z"
    assert landing["event_time_utc"].startswith("1976-09-03T22:37")
    code, out, _ = cli("timeline", "--program", "us", "--from", "1965", "--to", "1965", "--json")
    rows = json.loads(out)
    assert rows and {r["program"] for r in rows} == {"us"}
    assert [r["event_time_utc"] for r in rows] == sorted(r["event_time_utc"] for r in rows)


def test_search_finds_facts_claims_and_sources(cli):
    code, out, _ = cli("search", "Lissov", "--json")
    assert code == 0
    kinds = {h["kind"] for h in json.loads(out)}
    assert {"fact", "source"} <= kinds
    code, out, _ = cli("search", "invaluable", "--json")
    assert any(h["kind"] == "claim" for h in json.loads(out))


def test_cite_formats(cli):
    code, out, _ = cli("cite", "mars-7", "--format", "bibtex")
    assert code == 0 and "@misc{003-fa6a318af82a3965," in out
    code, out, _ = cli("cite", "mars-7", "--format", "ris")
    assert out.count("TY  - ") == out.count("ER  - ") > 3
    code, out, _ = cli("cite", "--all", "--format", "csl-json")
    items = json.loads(out)
    assert {"siddiqi2018", "mcdowell"} <= {i["id"] for i in items}
    code, out, _ = cli("cite", "mars-7", "--json")
    assert all("title" in i for i in json.loads(out))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["sources", "--source", "wikipedya"], "did you mean 'wikipedia'"),
        (["sources", "--mission", "mars-33"], "mars-3"),
        (["sources", "--verdict", "maybe"], "'maybe' is not one of"),
        (["sources", "--kind", "blog"], "not a source kind"),
        (["sources", "--conflicts", "--kind", "blog"], "sources, consistency, narrative"),
        (["timeline", "--from", "last year"], "not a date"),
        (["timeline", "--program", "esa"], "'esa' is not one of"),
        (["search", " "], "empty"),
        (["cite"], "SLUG or --all"),
        (["cite", "mars-3", "--all"], "SLUG or --all"),
        (["cite", "mars-3", "--format", "word"], "'word' is not one of"),
        (["cite", "nosuch"], "no mission 'nosuch'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli, args, expected):
    code, out, err = cli(*args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("marsprobe: error:")
    assert expected in err


@pytest.mark.parametrize(
    "args",
    [["--from", "1971-13-01"], ["--from", "1971-02-30"], ["--from", "1975", "--to", "1970"]],
)
def test_timeline_refuses_dates_that_are_no_span(args, capsys):
    # A month 13, a 30 February or a span that ends before it starts: one line, exit 2.
    from marsprobe.cli import main

    assert main(["timeline", *args]) == 2
    assert capsys.readouterr().err.startswith("marsprobe: error:")
