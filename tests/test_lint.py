"""The house rules that tools can check: layering contracts and lint."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    # pyproject.toml: the numeric core imports no CLI/report/plotting/cluster code, and the
    # rooms of DESIGN.md only import downwards, and no package has an import cycle.
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    proc = subprocess.run([exe or "lint-imports"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_ruff_is_clean():
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "src", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
