"""The public front door (marsprobe.api): typed objects, and a cheap ``import marsprobe``."""

from __future__ import annotations

import subprocess
import sys

import marsprobe


def test_import_marsprobe_loads_no_physics():
    code = (
        "import sys, marsprobe; "
        "heavy = [m for m in ('numpy', 'numba', 'scipy', 'marsprobe.mission.replay') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stderr


def test_the_front_door_returns_the_typed_objects():
    from marsprobe.mission.compare import Row
    from marsprobe.mission.replay import Replay
    from marsprobe.mission.schema import Mission
    from marsprobe.sequence.commands import Sequence

    mission = marsprobe.load("cosmos-419")
    assert isinstance(mission, Mission) and "cosmos-419" in marsprobe.slugs()
    flown = marsprobe.replay(mission)
    assert isinstance(flown, Replay) and flown.outcome == ["stranded_in_earth_orbit"]
    assert all(isinstance(r, Row) for r in marsprobe.compare(mission, flown))
    assert isinstance(marsprobe.flight_sequence("cosmos-419"), Sequence)
    plan = marsprobe.flight_plan("cosmos-419", without=["block-d-timer-wrong"])
    assert plan.get("escape").timer_s == 5400.0  # the intended 1.5 h (from launch), not the fault's
