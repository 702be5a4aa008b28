"""Time ``marsprobe report --all``: 29 mission pages and the program page.

The issue's aim is under a minute on 2 cores. Each mission is flown once, plus once per
documented fault for its counterfactuals; the porkchops are one coarse grid per window. The
first run compiles the numba kernels into the on-disk cache; quote the warm run. Also reports
the pages' total size and checks that no page asks another host for anything.

    python benchmarks/report.py [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from pathlib import Path

EXTERNAL = re.compile(r"""(?:src|href|url)\s*[=(]\s*["']?\s*(?:https?:)?//""", re.I)


def time_report(workers: int) -> float:
    from marsprobe.report.site import write_report

    with tempfile.TemporaryDirectory() as out:
        t = time.perf_counter()
        pages = write_report(Path(out), workers=workers)
        elapsed = time.perf_counter() - t
        size = sum(p.stat().st_size for p in Path(out).iterdir())
        remote = [p.name for p in pages if EXTERNAL.search(p.read_text())]
    print(
        f"report --all, {workers} workers: {elapsed:6.2f} s, {len(pages)} pages, "
        f"{size / 1e6:.1f} MB with plotly.min.js, pages asking another host: {remote or 'none'}"
    )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs")
    time_report(args.workers)
    time_report(args.workers)


if __name__ == "__main__":
    main()
