"""What a lander's page adds to its flight: the entry-angle corridor and the landing ellipse.

The corridor is a ``marsprobe sweep`` of the entry flight-path angle over the served view's
bounds for it (:data:`marsprobe.report.whatif.KNOBS`), flown at a coarse spacing and then
bisected at each change of outcome class (:func:`marsprobe.analysis.sweep.refine`): a
modest resolution that keeps ``marsprobe report --all`` within its minute. The landing
ellipse is a small EDL Monte Carlo of the flown descent with a fixed seed
(:func:`marsprobe.analysis.landing_dispersion.landing_dispersion`), so the page is the same
on every run.
"""

from __future__ import annotations

from marsprobe.report.whatif import KNOBS

CORRIDOR_KNOB = "entry_fpa_deg"
CORRIDOR_POINTS = 6
"""Values flown evenly over the knob's range (-30 to -5 deg: 5 deg apart)."""
CORRIDOR_ROUNDS = 2
"""Bisections of each class boundary: each halves its interval (5 deg to 1.25 deg)."""
CORRIDOR_COST = 12.0
"""Flights a corridor costs, about (coarse values plus two per boundary), for scheduling."""


def how() -> dict[str, str]:
    """How the corridor is flown, in words for its page: the command and the resolution."""
    knob = KNOBS[CORRIDOR_KNOB]
    spacing = (knob.high - knob.low) / (CORRIDOR_POINTS - 1)
    return {
        "sweep": f"{knob.key}={knob.low:g}:{knob.high:g}:{CORRIDOR_POINTS}",
        "rounds": str(CORRIDOR_ROUNDS),
        "resolution": f"{spacing / 2**CORRIDOR_ROUNDS:g} {knob.unit}",
    }


def has_lander(mission) -> bool:
    """Whether the mission releases a lander aimed at an entry angle (what the corridor sweeps)."""
    flight = mission.flight or {}
    return "edl" in flight and "entry_fpa_deg" in (flight.get("arrival") or {})


def corridor(mission, without: tuple[str, ...] = ()):
    """The entry-angle corridor of ``mission``: a refined sweep (flown in this process)."""
    from marsprobe.analysis.sweep import refine, sweep

    knob = KNOBS[CORRIDOR_KNOB]
    coarse = sweep(mission.slug, knob.key, knob.low, knob.high, CORRIDOR_POINTS, without, workers=1)
    return refine(coarse, CORRIDOR_ROUNDS, workers=1)


def landing(data):
    """The landing ellipse of the flight in ``data`` (a MissionData), or None without a
    descent that reached the ground."""
    from marsprobe.analysis.landing_dispersion import landing_dispersion
    from marsprobe.mission.scenario import flight_plan

    r = data.replay
    touchdown = r.event("landing")
    if r.descent is None or touchdown is None or "lat_deg" not in touchdown.data:
        return None
    params = flight_plan(data.mission, tuple(r.without)).get("edl")
    return landing_dispersion(data.mission, params, r.descent.entry)


def add_studies(data, corridor_too: bool = True) -> None:
    """Fill ``data.landing_dispersion`` and (``corridor_too``) ``data.corridor``."""
    data.landing_dispersion = landing(data)
    if corridor_too and has_lander(data.mission):
        data.corridor = corridor(data.mission, tuple(data.replay.without))
