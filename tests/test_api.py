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


def test_the_front_door_flies_changed_orders():
    # Cosmos 419's sequence carries the fault's Block D timer (1.5 years after lift-off) and
    # the stack decays first; the intended 1.5 h (chronology L75), given through the front
    # door's orders=, lets it leave the Earth (the same flight as test_sequence's, through
    # marsprobe.replay): the front door must hand the orders to the phases, not drop them.
    orders = marsprobe.orders("cosmos-419")
    ignition = next(c for c in orders.commands if c.source == "escape.timer_s")
    assert ignition.trigger.value == 4.73e7
    on_time = marsprobe.replay(
        "cosmos-419", orders=orders.changed("escape", ignition.name, value=5400.0)
    )
    assert on_time.launch.departure is not None
    assert marsprobe.replay("cosmos-419").launch.departure is None


def test_the_front_door_passes_the_perturbation_through():
    # A 6 m/s injection error along z, as test_replay_runs flies it through mission.replay:
    # the front door's flight must be that same flight (same correction dv to the mm/s,
    # deterministic), and differ from the nominal one (the error costs correction dv).
    import numpy as np

    from marsprobe.mission.perturbation import Perturbation
    from marsprobe.mission.replay import replay

    zero = np.zeros((1, 3))
    p = Perturbation(np.array([0.0, 0.0, 6.0]), zero, zero, zero)

    def tcm_dv(flown):
        return sum(e.data["delta_v_m_s"] for e in flown.events if e.name == "tcm")

    mission = marsprobe.load("mars-3")
    through_api = tcm_dv(marsprobe.replay(mission, perturbation=p))
    direct = tcm_dv(replay(mission, perturbation=p))
    assert through_api == direct
    assert abs(through_api - tcm_dv(marsprobe.replay(mission))) > 0.1
