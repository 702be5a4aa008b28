"""Set up every peer in its own virtual environment and run every benchmark.

The peers cannot share one environment: AMAT 2.3.0 pins numpy 1.26.2 while pykep 3.0.1 needs
numpy >= 2. So this script makes two under ``benchmarks/.venvs/`` (kept between runs; pass
``--rebuild`` to make them anew):

* ``amat``: ``amat==2.3.0`` alone (benchmarks/edl.py calls it in a subprocess);
* ``peers``: marsprobe from this checkout with ``pykep==3.0.1`` and ``lamberthub``
  (benchmarks/porkchop.py runs in it). pykep 3.0.1's wheel lacks four empty JSON files its
  import reads (pykep issue 217); they are created as ``{}``.

Then it runs, with the interpreter that runs it (the one marsprobe is installed in):
benchmarks/replay.py, benchmarks/ensemble.py and benchmarks/edl.py, and benchmarks/porkchop.py
with the ``peers`` interpreter. Each prints its figure, the peer's figure from the same run
where there is a peer, the ratio and the goal. ``--quick`` runs smaller sizes, one repeat.

    python benchmarks/run_all.py [--quick] [--rebuild] [--skip-setup]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENVS = ROOT / "benchmarks" / ".venvs"
PEERS = {
    "amat": ["amat==2.3.0"],
    "peers": ["-e", str(ROOT), "pykep==3.0.1", "lamberthub>=1.0"],
}
PYKEP_TOPS = ("_tops_cr3bp.json", "_tops_twobody.json", "_tops_ss.json", "_tops_mee.json")


def python_of(name: str) -> Path:
    return VENVS / name / ("Scripts" if os.name == "nt" else "bin") / "python"


def step(title: str, cmd: list[str], check: bool = True) -> int:
    print(f"\n$ {' '.join(cmd)}   # {title}", flush=True)
    return subprocess.run(cmd, check=check, cwd=ROOT).returncode


def make_env(name: str, rebuild: bool) -> None:
    py = python_of(name)
    if py.is_file() and not rebuild:
        print(f"{name}: {VENVS / name} exists (--rebuild to make it anew)")
        return
    venv.EnvBuilder(with_pip=True, clear=True).create(VENVS / name)
    step(f"{name}: pip", [str(py), "-m", "pip", "install", "--upgrade", "pip"])
    step(f"{name}: install", [str(py), "-m", "pip", "install", *PEERS[name]])


def patch_pykep() -> None:
    """Create the JSON files pykep 3.0.1's wheel forgot (pykep issue 217)."""
    find = "import importlib.util as u; print(u.find_spec('pykep').submodule_search_locations[0])"
    out = subprocess.run(
        [str(python_of("peers")), "-c", find], capture_output=True, text=True, check=True
    )
    tops = Path(out.stdout.strip()) / "trajopt" / "gym" / "tops"
    tops.mkdir(parents=True, exist_ok=True)
    for name in PYKEP_TOPS:
        if not (tops / name).exists():
            (tops / name).write_text("{}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, one repeat")
    ap.add_argument("--rebuild", action="store_true", help="make the peer environments anew")
    ap.add_argument("--skip-setup", action="store_true", help="use the environments as they are")
    args = ap.parse_args()
    if not args.skip_setup:
        for name in PEERS:
            make_env(name, args.rebuild)
    if python_of("peers").is_file():
        patch_pykep()
    me = sys.executable
    rep = ["--repeat", "1"] if args.quick else []
    failed = []
    runs = [
        (
            "catalog and missions",
            [me, "benchmarks/replay.py", "--missions", *rep]
            + (["--runs", "2001"] if args.quick else []),
        ),
        ("ensemble", [me, "benchmarks/ensemble.py", *rep]),
        (
            "EDL against scipy and AMAT",
            [me, "benchmarks/edl.py", "--amat-python", str(python_of("amat"))]
            + (["--n", "20000", "--n-ivp", "5", "--n-amat", "10"] if args.quick else []),
        ),
        (
            "porkchop against pykep and lamberthub",
            [str(python_of("peers")), "benchmarks/porkchop.py"]
            + (["--n", "100", "--repeat", "1"] if args.quick else []),
        ),
    ]
    for title, cmd in runs:
        if step(title, cmd, check=False) != 0:
            failed.append(title)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
