"""Everything one mission's page shows, gathered once: the flight, the record, the sources.

:func:`gather` flies the mission (and, once per documented fault, the flight without it) and
reads the catalog; the result is plain data (:class:`MissionData`) that the page, the
notebook view and the web view all render. Nothing here draws or writes files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marsprobe.time import utc_from_tdb


@dataclass
class Counterfactual:
    """The flight without one fault: its outcome, or why it could not be flown."""

    without: str
    outcome: list[str]
    error: str = ""
    replay: Any = field(default=None, repr=False)  # the flight itself, for who reuses it


@dataclass
class MissionData:
    """One mission's flight and record, ready to render."""

    mission: Any  # marsprobe.mission.schema.Mission
    replay: Any  # marsprobe.mission.replay.Replay
    rows: list[Any]  # marsprobe.mission.compare.Row
    sequence: Any  # marsprobe.sequence.commands.Sequence
    conflicts: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    history: dict | None = None  # the descent's time history, flown again with history=True
    counterfactuals: list[Counterfactual] = field(default_factory=list)
    # computed by the report where a lander flies (marsprobe.report.lander_studies)
    corridor: Any = None  # marsprobe.analysis.sweep.Sweep of the entry angle
    landing_dispersion: Any = None  # marsprobe.analysis.landing_dispersion.LandingDispersion
    ensemble: Any = None  # an EnsembleSummary (marsprobe.analysis.ensemble_summary), if given

    @property
    def slug(self) -> str:
        return self.mission.slug

    @property
    def recorded_outcome(self) -> list[str]:
        return self.mission.record.outcome.value if self.mission.record else []

    @property
    def match(self) -> bool:
        return sorted(self.recorded_outcome) == sorted(self.replay.outcome)

    @property
    def outcome_basis(self) -> str:
        """What the outcome's match measures (:func:`marsprobe.mission.basis.outcome_basis`)."""
        from marsprobe.mission.basis import outcome_basis

        return outcome_basis(self.mission, self.replay)

    def timeline(self) -> list[dict[str, Any]]:
        """Simulated and recorded events in one list by time, each marked with its side."""
        from marsprobe.catalog.export import model_json

        out = []
        for e in sorted(self.replay.events, key=lambda e: e.epoch):
            out.append(
                {
                    "side": "simulated",
                    "name": e.name,
                    "time_utc": utc_from_tdb(e.epoch, 0),
                    "phase": e.phase,
                    "detail": _detail(e.data),
                    "sources": [],
                }
            )
        if self.mission.record is not None:
            for e in model_json(self.mission.record.events):
                when = e.get("time_utc") or {}
                out.append(
                    {
                        "side": "recorded",
                        "name": e["name"],
                        "time_utc": when.get("value", ""),
                        "phase": e.get("body") or "",
                        "detail": e.get("note", ""),
                        "sources": when.get("sources", []),
                    }
                )
        return sorted(out, key=lambda r: (r["time_utc"] or "9999", r["side"]))

    def end_utc(self) -> str:
        """When the simulated flight ended: its last event."""
        if not self.replay.events:
            return self.mission.launch_utc.value
        return utc_from_tdb(max(e.epoch for e in self.replay.events), 0)


def _detail(data: dict[str, Any]) -> str:
    parts = []
    for key, value in data.items():
        if value is None or value == "" or key == "detail":
            continue
        if isinstance(value, float):
            value = f"{value:.6g}"
        parts.append(f"{key} {value}")
    if data.get("detail"):
        parts.append(str(data["detail"]))
    return ", ".join(parts)


def mission_sources(mission) -> list[dict[str, Any]]:
    """Every source the mission cites, with its registry entry and where it is cited."""
    from marsprobe.catalog import sources
    from marsprobe.catalog.loader import iter_source_refs

    registry = sources()
    cited: dict[str, dict[str, Any]] = {}
    for path, ref in iter_source_refs(mission):
        entry = cited.setdefault(
            ref.id, {"id": ref.id, "title": "", "reliability": "", "url": "", "where": []}
        )
        known = registry.get(ref.id)
        if known is not None:
            entry.update(
                title=known.title, reliability=known.reliability or "", url=known.url or ""
            )
        if path not in entry["where"]:
            entry["where"].append(path)
    return sorted(cited.values(), key=lambda s: s["id"])


def fly_with_history(
    mission, replay, without: tuple[str, ...] = (), causes: tuple[str, ...] = ("chosen",)
) -> dict | None:
    """The descent's time history: the same entry flown again with ``history=True``."""
    from marsprobe.mission.descent import fly_descent
    from marsprobe.mission.scenario import flight_plan

    if replay.descent is None:
        return None
    edl = flight_plan(mission, tuple(without), tuple(causes)).get("edl")
    flown = fly_descent(replay.descent.entry, edl, history=True)
    return {k: v.tolist() if hasattr(v, "tolist") else v for k, v in flown.history.items()}


def gather(
    mission,
    without: tuple[str, ...] = (),
    causes: tuple[str, ...] = ("chosen",),
    counterfactuals: bool = True,
    replay=None,
) -> MissionData:
    """Fly ``mission`` (unless ``replay`` is given) and gather what its page shows."""
    from marsprobe.catalog.findings import all_conflicts
    from marsprobe.errors import MarsprobeError
    from marsprobe.mission.compare import compare
    from marsprobe.mission.flight_sequence import flight_sequence
    from marsprobe.mission.replay import replay as fly

    flown = replay if replay is not None else fly(mission, tuple(without), tuple(causes))
    data = MissionData(
        mission=mission,
        replay=flown,
        rows=compare(mission, flown),
        sequence=flight_sequence(mission, tuple(without), tuple(causes)),
        conflicts=[c.to_json() for c in all_conflicts(mission.slug)],
        sources=mission_sources(mission),
        history=fly_with_history(mission, flown, without, causes),
    )
    if counterfactuals:
        for fault in flown.applied_faults:
            try:
                other = fly(mission, (*without, fault), tuple(causes))
                data.counterfactuals.append(Counterfactual(fault, other.outcome, replay=other))
            except MarsprobeError as exc:  # a flight whose later phases are not described
                data.counterfactuals.append(Counterfactual(fault, [], str(exc)))
    return data
