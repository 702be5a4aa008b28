"""Shared test helpers."""

from __future__ import annotations

import os

import pytest

# Plots are drawn off-screen in tests.
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def cli(capsys):
    """Run the command line in-process: ``code, out, err = cli("show", "mars-3")``."""
    from marsprobe.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run
