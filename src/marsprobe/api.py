"""The front door for a notebook or a script: load, fly, compare, read the sequence.

Each function takes a catalog slug, a path to a mission file, or an already loaded
:class:`~marsprobe.mission.schema.Mission`, and returns the library's typed objects::

    import marsprobe
    m = marsprobe.load("mars-3")
    r = marsprobe.replay(m)                       # a Replay: outcome, events, phases
    rows = marsprobe.compare(m, r)                # comparison rows, each with its basis
    seq = marsprobe.flight_sequence("cosmos-419") # the flight computer's commands
    what_if = marsprobe.replay("cosmos-419", without=["block-d-timer-wrong"])
    orders = marsprobe.orders("cosmos-419")       # the commands the phases will execute
    ignition = next(c for c in orders.commands if c.source == "escape.timer_s")
    on_time = marsprobe.replay("cosmos-419", orders=orders.changed("escape", ignition.name,
                                                                   value=5400.0))

``import marsprobe`` stays cheap: this module, and the physics behind it, load on first use.
The sequence is ``marsprobe.flight_sequence`` (``marsprobe.api.sequence``): the name
``marsprobe.sequence`` belongs to the flight computer's package.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from marsprobe.mission.compare import Row
    from marsprobe.mission.perturbation import Perturbation
    from marsprobe.mission.replay import Replay
    from marsprobe.mission.scenario import FlightPlan
    from marsprobe.mission.schema import Mission
    from marsprobe.sequence.commands import Orders, Sequence

__all__ = [
    "compare",
    "flight_plan",
    "flight_sequence",
    "load",
    "missions",
    "orders",
    "replay",
    "sequence",
    "slugs",
]


def load(target: str | Path | Mission) -> Mission:
    """A mission by catalog slug, or from a mission file's path."""
    from marsprobe import catalog
    from marsprobe.mission.schema import Mission

    if isinstance(target, Mission):
        return target
    text = str(target)
    if text.endswith(".toml") or Path(text).exists():
        return catalog.load_file(text)
    return catalog.load(text)


def slugs() -> list[str]:
    """Every catalog slug, in launch order."""
    from marsprobe import catalog

    return catalog.slugs()


def missions() -> list[Mission]:
    """Every catalog mission, in launch order."""
    from marsprobe import catalog

    return catalog.all_missions()


def flight_plan(
    target: str | Path | Mission, without: Iterable[str] = (), cause: str = "chosen"
) -> FlightPlan:
    """The validated flight: each phase's parameters, the faults applied, every value's role."""
    from marsprobe.mission.scenario import flight_plan as plan

    return plan(load(target), tuple(without), (cause,))


def orders(
    target: str | Path | Mission, without: Iterable[str] = (), cause: str = "chosen"
) -> Orders:
    """The commands the phases execute, assembled from the flight plan (what
    :func:`sequence` prints); :meth:`Orders.changed` gives a copy with one command changed,
    for ``replay(..., orders=)``."""
    from marsprobe.mission.flight_sequence import commands_of
    from marsprobe.sequence.commands import Orders

    mission = load(target)
    return Orders(commands_of(mission, flight_plan(mission, without, cause)))


def replay(
    target: str | Path | Mission,
    without: Iterable[str] = (),
    cause: str = "chosen",
    *,
    orders: Orders | None = None,
    perturbation: Perturbation | None = None,
) -> Replay:
    """Fly the mission through every phase it reaches (``without``: faults to remove).

    ``orders``: the commands to fly (from :func:`orders`, perhaps changed); by default the
    sequence assembled from the flight plan. ``perturbation``: one flight's injection,
    navigation and execution errors and fault sizes
    (:class:`marsprobe.mission.perturbation.Perturbation`); by default the nominal flight.
    The :class:`Replay` comes as a :class:`marsprobe.report.notebook.FlownMission`, which
    shows itself in a notebook and has plot methods (``plot_cruise``, ``plot_landing``...).
    """
    from marsprobe.mission.replay import replay as fly
    from marsprobe.report.notebook import FlownMission

    mission = load(target)
    flown = fly(mission, tuple(without), (cause,), perturbation=perturbation, orders=orders)
    return FlownMission.of(flown, mission)


def compare(target: str | Path | Mission, flown: Replay | None = None) -> list[Row]:
    """The comparison with the record (flying the mission first if ``flown`` is not given)."""
    from marsprobe.mission.compare import compare as rows

    mission = load(target)
    return rows(mission, flown if flown is not None else replay(mission))


def sequence(
    target: str | Path | Mission, without: Iterable[str] = (), cause: str = "chosen"
) -> Sequence:
    """The flight computer's sequence, with what each applied fault changes."""
    from marsprobe.mission.flight_sequence import flight_sequence

    return flight_sequence(load(target), tuple(without), (cause,))


flight_sequence = sequence
