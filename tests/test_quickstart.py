"""CI runs what the README tells a new user to run."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_the_readme_test_command():
    # The README's second Quick start block is the command .ci/run ends with, character for
    # character, so CI sees what a new user sees.
    readme = (ROOT / "README.md").read_text()
    blocks = readme.split("## Quick start", 1)[1].split("```sh\n")[1:]
    second = blocks[1].split("```", 1)[0].strip()
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1]
    assert second == ci
    assert "--clear" in ci and "--upgrade-strategy eager" in ci
