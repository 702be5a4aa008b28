"""The race to Mars: who reached each milestone first, and what the Soviet faults cost.

The milestones are read from the catalog's record (what happened); the counterfactual dates
come from replays with faults removed (what the physics says would have happened). A
milestone is reached by a mission whose outcome holds its outcome term, on the date of the
event that marks it:

==========================  ======================  ==============================
milestone                   outcome term            date of the event
==========================  ======================  ==============================
first flyby                 flyby                   closest approach
first orbiter               orbiter                 orbit insertion
first impact                lander_crashed          landing (impact)
first soft landing          lander_soft_landed      landing
first surface image         lander_soft_landed      landing, if it transmitted
first usable surface image  lander_soft_landed      landing, if it transmitted for
                                                    at least USABLE_IMAGE_S
==========================  ======================  ==============================
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from marsprobe.errors import MarsprobeError
from marsprobe.mission.schema import Mission

# Mars 3's capsule sent 79 lines of one picture in 14.5-20 s of transmission (000 at 00:32:30):
# a usable picture needs several times that. One minute is chosen as the threshold.
USABLE_IMAGE_S = 60.0

MILESTONES = (
    ("first_flyby", "flyby", "closest_approach"),
    ("first_orbiter", "orbiter", "orbit_insertion"),
    ("first_impact", "lander_crashed", "landing"),
    ("first_soft_landing", "lander_soft_landed", "landing"),
    ("first_surface_image", "lander_soft_landed", "landing"),
    ("first_usable_surface_image", "lander_soft_landed", "landing"),
)


@dataclass(frozen=True)
class Reached:
    milestone: str
    slug: str
    program: str
    date_utc: str


def _recorded_date(mission: Mission, event_name: str) -> str | None:
    for event in mission.record.events:
        if event.name == event_name and event.time_utc is not None:
            if event.object == "lander":
                continue
            if event.body not in (None, "mars"):
                continue
            return event.time_utc.value
    return None


def _transmission_s(mission: Mission) -> float | None:
    for event in mission.record.events:
        if event.name == "surface_transmission_end" and event.duration_s is not None:
            return float(event.duration_s.value)
    return None


def recorded_milestones(missions: list[Mission]) -> dict[str, Reached]:
    """The first mission to reach each milestone, according to the record."""
    firsts: dict[str, Reached] = {}
    for name, term, event_name in MILESTONES:
        candidates = []
        for m in missions:
            if m.record is None or term not in m.record.outcome.value:
                continue
            date = _recorded_date(m, event_name)
            if date is None:
                continue
            if name.startswith("first_usable"):
                sent = _transmission_s(m)
                if sent is not None and sent < USABLE_IMAGE_S:
                    continue
            candidates.append(Reached(name, m.slug, m.program, date))
        if candidates:
            firsts[name] = min(candidates, key=lambda r: r.date_utc)
    return firsts


def simulated_milestones(slug: str, replay) -> dict[str, str]:
    """The milestones one replay reaches, with the simulated dates (UTC)."""
    from marsprobe.time import utc_from_tdb

    out: dict[str, str] = {}
    events = {}
    for e in replay.events:
        if e.name == "closest_approach" and e.data.get("object") == "lander":
            continue
        events.setdefault(e.name, e.epoch)
    transmission = next(
        (e.data.get("duration_s") for e in replay.events if e.name == "surface_transmission_end"),
        math.inf,
    )
    for name, term, event_name in MILESTONES:
        if term not in replay.outcome or event_name not in events:
            continue
        if name.startswith("first_usable") and transmission < USABLE_IMAGE_S:
            continue
        out[name] = utc_from_tdb(events[event_name], 0)
    return out


def _counterfactual(slug: str, faults: tuple[str, ...]) -> dict[str, str] | str:
    """The milestones ``slug`` reaches flown without ``faults``, or why it cannot be flown."""
    from marsprobe import catalog
    from marsprobe.mission.replay import replay

    try:
        return simulated_milestones(slug, replay(catalog.load(slug), faults))
    except MarsprobeError as exc:  # a flight whose later phases are not described
        return str(exc)


def race(counterfactuals: bool = True, workers: int | None = None) -> dict[str, Any]:
    """The milestones with who reached them first, and the Soviet counterfactuals, flown in
    ``workers`` processes (default: the CPU count; :mod:`marsprobe.analysis.workers`)."""
    from marsprobe import catalog
    from marsprobe.analysis.workers import flight_cost, run_longest_first
    from marsprobe.mission.scenario import parse_faults

    missions = catalog.all_missions()
    firsts = recorded_milestones(missions)
    out: dict[str, Any] = {
        "milestones": [
            {"milestone": r.milestone, "slug": r.slug, "program": r.program, "date_utc": r.date_utc}
            for r in firsts.values()
        ],
        "counterfactuals": [],
        "not_flown": [],
    }
    if not counterfactuals:
        return out
    jobs, costs = [], []
    for m in missions:
        if m.program != "soviet" or not m.flight or m.launch_utc.value > "1977":
            continue
        faults = tuple(f.id for f in parse_faults(m))
        if faults:
            jobs.append((m.slug, faults))
            costs.append(flight_cost(m, faults))
    for (slug, faults), reached in zip(
        jobs, run_longest_first(_counterfactual, jobs, costs, workers), strict=True
    ):
        if isinstance(reached, str):
            out["not_flown"].append({"slug": slug, "without": list(faults), "reason": reached})
            continue
        out["counterfactuals"] += counterfactual_rows(slug, reached, firsts, faults)
    return out


def counterfactual_rows(slug: str, reached: dict, firsts: dict, without=None) -> list[dict]:
    """The ``race --json`` counterfactual rows of one flight: each milestone ``reached``
    (name -> UTC date) against the recorded first of another mission (``firsts``)."""
    rows = []
    for name, date in reached.items():
        first = firsts.get(name)
        if first is None or first.slug == slug:
            continue
        row = {"slug": slug, "without": list(without)} if without is not None else {"slug": slug}
        rows.append(
            {
                **row,
                "milestone": name,
                "simulated_date_utc": date,
                "recorded_first": first.slug,
                "recorded_first_date_utc": first.date_utc,
                "would_have_been_first": date < first.date_utc,
            }
        )
    return rows
