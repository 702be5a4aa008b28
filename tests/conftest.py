"""Shared test helpers."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# Plots are drawn off-screen in tests.
os.environ.setdefault("MPLBACKEND", "Agg")

# A run's result must not depend on what an earlier run left behind: no example database
# (.hypothesis/ replays old failures first), and the same examples on every machine.
settings.register_profile("marsprobe", database=None, derandomize=True)
settings.load_profile("marsprobe")


@pytest.fixture
def cli(capsys):
    """Run the command line in-process: ``code, out, err = cli("show", "mars-3")``."""
    from marsprobe.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run
