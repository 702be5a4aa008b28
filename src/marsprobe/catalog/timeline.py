"""One chronology of every launch and recorded event, on one time basis.

Each row keeps the time as recorded with its basis (see :mod:`marsprobe.catalog.timebase`)
and adds the spacecraft event time, to which an Earth-received time at Mars is moved back by
the light time of that day; rows are ordered by the event time.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from marsprobe.catalog.loader import all_missions
from marsprobe.catalog.timebase import to_event_time


@dataclass(frozen=True)
class TimelineRow:
    event_time_utc: str  # when it happened (SCET), or the recorded time where no shift applies
    recorded_utc: str
    basis: str  # scet, ert or unstated
    light_time_s: float  # removed from an Earth-received time (0 otherwise)
    mission: str
    program: str
    event: str
    body: str | None
    sources: list[str]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _sort_key(text: str) -> str:
    # Dates of lower precision sort before the times of the same day.
    return text.removesuffix("Z")


def timeline(
    start: str | None = None, end: str | None = None, program: str = "all"
) -> list[TimelineRow]:
    """Every launch and timed event, optionally between two dates and for one program."""
    rows = []
    for mission in all_missions():
        if program != "all" and mission.program != program:
            continue
        launch = mission.launch_utc
        rows.append(
            TimelineRow(
                launch.value,
                launch.value,
                "scet",
                0.0,
                mission.slug,
                mission.program,
                "launch",
                "earth",
                [str(r) for r in launch.src],
            )
        )
        for event in mission.record.events if mission.record else []:
            if event.time_utc is None:
                continue
            recorded = event.time_utc.value
            basis = event.time_basis or "unstated"
            when, delay = to_event_time(recorded, basis, event.body)
            rows.append(
                TimelineRow(
                    when,
                    recorded,
                    basis,
                    round(delay, 1),
                    mission.slug,
                    mission.program,
                    event.name,
                    event.body,
                    [str(r) for r in event.time_utc.src],
                )
            )
    rows = [
        r
        for r in rows
        if (start is None or _sort_key(r.event_time_utc) >= start)
        and (end is None or _sort_key(r.event_time_utc)[: len(end)] <= end)
    ]
    return sorted(rows, key=lambda r: (_sort_key(r.event_time_utc), r.mission))
