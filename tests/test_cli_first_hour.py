"""A first hour that works: help with examples, bare marsprobe, faults, tables, README links."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
from pathlib import Path

import click
import pytest

from marsprobe.cli import COMMANDS
from marsprobe.cli import cli as group

ROOT = Path(__file__).resolve().parents[1]


def test_bare_marsprobe_prints_the_help_and_exits_0(cli):
    code, out, err = cli()
    assert code == 0 and err == ""
    assert out.startswith("Usage: marsprobe")
    for name in COMMANDS:
        assert name in out


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_help_has_a_working_example(cli, name):
    code, out, _ = cli(name, "--help")
    assert code == 0 and "Example" in out
    examples = [line.strip() for line in out.splitlines() if line.strip().startswith("marsprobe ")]
    assert examples, out
    assert any(shlex.split(e)[1] == name for e in examples)
    for example in examples:
        words = shlex.split(example.split("  #")[0])
        command = group.get_command(click.Context(group), words[1])
        # the example's options and arguments are accepted (parsing only, nothing runs)
        command.make_context(words[1], words[2:])


def test_faults_lists_ids_and_cause_sets(cli):
    code, out, _ = cli("faults", "mars-7", "--json")
    data = json.loads(out)
    assert code == 0 and data["cause_sets"] == ["chosen", "chronology"]
    ids = {f["id"]: f["cause"] for f in data["faults"]}
    assert ids == {"lander-engine-silent": "chosen", "premature-separation": "chronology"}
    # every id listed is accepted by --without, every cause set by --cause
    from marsprobe import catalog
    from marsprobe.mission.scenario import flight_plan

    mission = catalog.load("mars-7")
    for fid in ids:
        flight_plan(mission, (fid,))
    for cause in data["cause_sets"]:
        flight_plan(mission, (), (cause,))
    code, text, _ = cli("faults", "mars-7")
    assert "lander-engine-silent" in text and "--cause" in text


def test_faults_of_a_mission_without_any(cli):
    code, out, _ = cli("faults", "viking-1")
    assert code == 0 and "no documented faults" in out


def test_tables_fold_rather_than_truncate_at_80_columns(cli, monkeypatch):
    from marsprobe.cli import flight_cmds, render

    narrow = render.FormatConsole(highlight=False, soft_wrap=False, width=80)
    monkeypatch.setattr(flight_cmds, "console", lambda: narrow)  # an 80-column terminal
    code, out, _ = cli("replay", "mars-3")
    assert code == 0
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in out  # rich's ellipsis: a value cut short
    flat = re.sub(r"[\s│┃]", "", out)
    # a long source locator of the comparison survives whole, only folded
    assert "002_d3f98a46457d5b1f.txt" in flat


def test_csv_and_markdown_tables(cli):
    code, out, err = cli("missions", "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["slug", "name", "launch (UTC)", "vehicle", "type", "outcome"]
    _, js, _ = cli("missions", "--json")
    assert [r[0] for r in rows[1:] if r] == [m["slug"] for m in json.loads(js)]
    assert "missions" in err  # the title goes to stderr: stdout is only the table
    code, md, _ = cli("faults", "mars-7", "--format", "markdown")
    assert code == 0
    assert "| id (--without) | cause set (--cause) |" in md and "|---|" in md
    code, text, _ = cli("missions")  # the format does not stick to the next command
    assert "┃" in text


def test_license_is_the_one_pyproject_declares():
    import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"]
    text = (ROOT / "LICENSE").read_text()
    assert declared == "MIT" and text.startswith("MIT License")
    assert "Copyright (c) the marsprobe developers" in text


def test_every_relative_link_of_the_readme_resolves_inside_the_repository():
    text = (ROOT / "README.md").read_text()
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    assert links
    for link in links:
        if re.match(r"^[a-z]+://|^mailto:", link):
            continue
        target = (ROOT / link.split("#")[0]).resolve()
        assert target.is_relative_to(ROOT), link
        assert target.exists(), link
    # nothing pointing outside the repository (the project workspace's files)
    assert "DESIGN.md" not in text and "shared/seeds" not in text
