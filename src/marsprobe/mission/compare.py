"""The replay beside the record: simulated value, recorded value, source, difference, verdict.

Only figures the simulation computes are compared (an orbit the guidance reached, a date of
loss of contact, a flyby distance, a landing site), never the inputs it was given (a timer, a
course-correction date, a fault's own value). Where the flight file aims at a recorded value,
the row says so in its ``basis`` (:mod:`marsprobe.mission.basis`). Each kind of figure has
one tolerance, with its reason, in ``mission/data/tolerances.toml`` (:data:`TOLERANCES`).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from marsprobe.facts import Fact
from marsprobe.mission.replay import Replay
from marsprobe.mission.schema import Mission
from marsprobe.time import tdb_from_utc, utc_from_tdb


@dataclass(frozen=True)
class Tolerance:
    kind: str  # "abs" (same unit), "rel" (fraction), "factor" (ratio within 1/x..x)
    value: float
    reason: str


def _load_tolerances() -> dict[str, Tolerance]:
    """The tolerances, one per kind of figure, from ``mission/data/tolerances.toml``."""
    text = resources.files("marsprobe.mission").joinpath("data/tolerances.toml").read_text()
    return {key: Tolerance(**table) for key, table in tomllib.loads(text).items()}


TOLERANCES: dict[str, Tolerance] = _load_tolerances()


@dataclass(frozen=True)
class Row:
    """One line of the comparison table."""

    quantity: str
    simulated: Any
    recorded: Any
    unit: str
    sources: list[dict[str, str]]
    difference: float | None
    tolerance: str
    within: bool | None
    basis: str = "prediction"

    def to_json(self) -> dict[str, Any]:
        return {
            "quantity": self.quantity,
            "simulated": self.simulated,
            "recorded": self.recorded,
            "unit": self.unit,
            "sources": self.sources,
            "difference": self.difference,
            "tolerance": self.tolerance,
            "within_tolerance": self.within,
            "basis": self.basis,
        }


def _refs(fact: Fact) -> list[dict[str, str]]:
    return [{"id": r.id, "locator": r.locator} for r in fact.src]


def _row(
    quantity: str, simulated: float | None, fact: Fact | None, unit: str, key: str
) -> Row | None:
    if fact is None or simulated is None:
        return None
    recorded = float(fact.value)
    tol = TOLERANCES[key]
    simulated = float(simulated)
    difference = simulated - recorded
    if tol.kind == "abs":
        within = abs(difference) <= tol.value
        text = f"+/- {tol.value:g} {unit}"
    elif tol.kind == "rel":
        within = abs(difference) <= tol.value * abs(recorded)
        text = f"+/- {tol.value:.0%}"
    else:
        ratio = simulated / recorded if recorded else math.inf
        within = 1.0 / tol.value <= ratio <= tol.value
        text = f"within a factor {tol.value:g}"
    return Row(
        quantity,
        round(simulated, 3),
        recorded,
        unit,
        _refs(fact),
        round(difference, 3),
        text,
        bool(within),
    )


def _days_between(a_utc: str, b_epoch: float) -> float:
    return (b_epoch - float(tdb_from_utc(a_utc))) / 86_400.0


def _date_row(quantity: str, sim_epoch: float | None, fact: Fact | None, key: str) -> Row | None:
    """A date compared at the precision the record gives it (a bare date means its noon)."""
    if fact is None or sim_epoch is None:
        return None
    text = fact.value
    tol = TOLERANCES[key]
    scale = 86_400.0 if key == "event_days" else 3_600.0
    unit = "d" if key == "event_days" else "h"
    allowed = tol.value
    if len(text.removesuffix("Z")) == 7:  # a month only: its middle, +/- half a month
        recorded_epoch = float(tdb_from_utc(text + "-15T12:00:00Z"))
        allowed = max(allowed, 16.0 * 86_400.0 / scale)
    else:
        recorded_epoch = _noon(text)
    diff = (sim_epoch - recorded_epoch) / scale
    return Row(
        quantity,
        utc_from_tdb(sim_epoch, 0),
        text,
        unit,
        _refs(fact),
        round(diff, 3),
        f"+/- {allowed:g} {unit}",
        abs(diff) <= allowed,
    )


def great_circle_km(lat1, lon1, lat2, lon2, radius_km: float = 3389.5) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlon = math.radians(lon2 - lon1)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dlon)
    return radius_km * math.acos(max(-1.0, min(1.0, c)))


def compare(mission: Mission, replay: Replay) -> list[Row]:
    """Every computed figure of the replay that the record also gives, with its basis.

    A figure that is a fault's own value is not a comparison and is left out; see
    :mod:`marsprobe.mission.basis` for what each row's ``basis`` says.
    """
    from marsprobe.mission.basis import classify

    record = mission.record
    if record is None:
        return []
    rows: list[Row | None] = []
    rows += _orbits(record, replay)
    rows += _launch_events(mission, record, replay)
    rows += _cruise_events(record, replay)
    return classify([r for r in rows if r is not None], mission, replay)


def _orbits(record, replay: Replay) -> list[Row | None]:
    rows: list[Row | None] = []
    launch = replay.launch
    flight = replay.flight
    for orbit in record.orbits:
        if orbit.label == "parking" and launch is not None and launch.parking_orbit:
            sim = launch.parking_orbit
            rows += [
                _row(
                    "parking perigee",
                    sim["perigee_km"],
                    orbit.periapsis_km,
                    "km",
                    "parking_altitude_km",
                ),
                _row(
                    "parking apogee",
                    sim["apogee_km"],
                    orbit.apoapsis_km,
                    "km",
                    "parking_altitude_km",
                ),
                _row(
                    "parking inclination",
                    sim["inclination_deg"],
                    orbit.inclination_deg,
                    "deg",
                    "parking_inclination_deg",
                ),
                _row(
                    "parking period",
                    sim["period_min"],
                    orbit.period_min,
                    "min",
                    "parking_period_min",
                ),
            ]
        if orbit.label == "capture" and flight is not None and flight.arrival.capture_orbit:
            sim = flight.arrival.capture_orbit
            rows += [
                _row(
                    "capture periapsis",
                    sim["periapsis_km"],
                    orbit.periapsis_km,
                    "km",
                    "mars_altitude_km",
                ),
                _row(
                    "capture apoapsis",
                    sim.get("apoapsis_km"),
                    orbit.apoapsis_km,
                    "km",
                    "mars_altitude_km",
                ),
                _row(
                    "capture period",
                    sim.get("period_min"),
                    orbit.period_min,
                    "min",
                    "mars_period_min",
                ),
                _row(
                    "capture inclination",
                    sim["inclination_deg"],
                    orbit.inclination_deg,
                    "deg",
                    "mars_inclination_deg",
                ),
            ]
        if orbit.label == "heliocentric" and flight is not None:
            sim = flight.arrival.heliocentric_orbit
            if sim:
                rows += [
                    _row("perihelion", sim["perihelion_au"], orbit.perihelion_au, "AU", "helio_au"),
                    _row("aphelion", sim.get("aphelion_au"), orbit.aphelion_au, "AU", "helio_au"),
                    _row(
                        "heliocentric period",
                        sim.get("period_days"),
                        orbit.period_days,
                        "d",
                        "helio_days",
                    ),
                    _row(
                        "heliocentric inclination",
                        sim["inclination_deg"],
                        orbit.inclination_deg,
                        "deg",
                        "helio_inclination_deg",
                    ),
                ]
    return rows


# Each recorded launch event and the simulated events that stand for it, best first. A loss
# of control is not compared: its time is the fault's own input.
LAUNCH_EVENT_MATCH = {
    "destruct": ("destruct", "engine_failure", "explosion", "breakup", "impact", "cutoff"),
    "engine_failure": ("engine_failure", "destruct", "explosion", "breakup"),
    "explosion": ("explosion", "breakup"),
    "ignition_failure": ("ignition_failure",),
    "impact_near_pad": ("impact",),
    "shroud_failure": ("shroud_failure",),
}


def _launch_events(mission: Mission, record, replay: Replay) -> list[Row | None]:
    rows: list[Row | None] = []
    launch = replay.launch
    if launch is None:
        return rows
    launch_epoch = float(tdb_from_utc(mission.launch_utc.value))
    for event in record.events:
        names = LAUNCH_EVENT_MATCH.get(event.name)
        if names and (event.t_s or event.altitude_km or event.distance_km):
            launch_events = [e for e in replay.events if e.phase == "launch"]
            sim = next((e for name in names for e in launch_events if e.name == name), None)
            if sim is None:
                continue
            label = f"{event.name} ({sim.name})"
            rows.append(_row(f"{label} time", sim.data.get("t_s"), event.t_s, "s", "launch_t_s"))
            if event.altitude_km is not None and event.name != "impact_near_pad":
                rows.append(
                    _row(
                        f"{label} altitude",
                        sim.data.get("altitude_km"),
                        event.altitude_km,
                        "km",
                        "launch_altitude_km",
                    )
                )
            if event.distance_km is not None:
                rows.append(
                    _row(
                        f"{label} range",
                        sim.data.get("range_km"),
                        event.distance_km,
                        "km",
                        "range_km",
                    )
                )
        if event.name == "decay" and event.time_utc is not None and launch.decay_epoch:
            recorded = _days_between(mission.launch_utc.value, _noon(event.time_utc.value))
            fact = Fact[float](value=round(recorded, 2), src=event.time_utc.src)
            sim_days = (launch.decay_epoch - launch_epoch) / 86_400.0
            rows.append(_row("orbital lifetime", sim_days, fact, "d", "lifetime_days"))
    return rows


def _noon(text: str) -> float:
    return float(tdb_from_utc(text if "T" in text else text + "T12:00:00Z"))


def _cruise_events(record, replay: Replay) -> list[Row | None]:
    rows: list[Row | None] = []
    sim = {e.name: e for e in replay.events if e.phase in ("cruise", "systems")}
    flight = replay.flight
    for event in record.events:
        if event.name == "loss_of_contact" and replay.loss_epoch is not None and event.time_utc:
            if event.body == "mars":
                continue  # a lander's last signal: compared with the descent below
            rows.append(
                _date_row("loss of contact", replay.loss_epoch, event.time_utc, "event_days")
            )
            distance = sim.get("loss_of_contact")
            if event.distance_km is not None and distance is not None:
                rows.append(
                    _row(
                        "range from Earth at loss of contact",
                        distance.data.get("earth_distance_km"),
                        event.distance_km,
                        "km",
                        "earth_distance_rel",
                    )
                )
        if event.name == "closest_approach" and flight is not None and event.distance_km:
            flyby = flight.arrival.flyby
            lander = flight.arrival.lander or {}
            is_lander = event.object == "lander" and "miss_distance_km" in lander
            if is_lander:
                rows.append(
                    _row(
                        "lander miss distance",
                        lander["miss_distance_km"],
                        event.distance_km,
                        "km",
                        "distance_rel",
                    )
                )
            elif flyby is not None:
                rows.append(
                    _row(
                        "closest approach",
                        flyby["closest_approach_km"],
                        event.distance_km,
                        "km",
                        "distance_rel",
                    )
                )
                if event.time_utc is not None:
                    epoch = _epoch_of(flyby["time_utc"])
                    rows.append(
                        _date_row("closest approach time", epoch, event.time_utc, "event_days")
                    )
        if event.name == "lander_separation" and "lander_separation" in sim:
            e = sim["lander_separation"]
            if event.distance_km is not None:
                rows.append(
                    _row(
                        "lander release distance from Mars",
                        e.data.get("mars_distance_km"),
                        event.distance_km,
                        "km",
                        "distance_rel",
                    )
                )
        if event.name == "orbit_insertion" and event.time_utc and "orbit_insertion" in sim:
            rows.append(
                _date_row(
                    "orbit insertion", sim["orbit_insertion"].epoch, event.time_utc, "event_days"
                )
            )
        if event.name == "entry" and replay.descent is not None:
            entry = replay.descent.entry
            if event.time_utc is not None and "T" in event.time_utc.value:
                rows.append(_date_row("entry time", entry.epoch, event.time_utc, "arrival_hours"))
            if event.speed_km_s is not None:
                rows.append(
                    _row(
                        "entry speed", entry.speed_m_s / 1e3, event.speed_km_s, "km/s", "speed_rel"
                    )
                )
        if event.name == "landing" and replay.descent is not None:
            td = replay.descent.touchdown
            if (
                event.lat_deg is not None
                and event.lon_deg is not None
                and not math.isnan(td["lat_deg"])
            ):
                miss = great_circle_km(
                    td["lat_deg"], td["lon_deg"], event.lat_deg.value, event.lon_deg.value
                )
                fact = Fact[float](value=0.0, src=event.lat_deg.src)
                rows.append(
                    _row(
                        "landing site (distance from the recorded site)",
                        miss,
                        fact,
                        "km",
                        "landing_km",
                    )
                )
        if event.name == "parachute" and replay.descent is not None and event.duration_s:
            chute = next((e for e in replay.descent.events if e["name"] == "main_chute"), None)
            if chute is not None:
                rows.append(
                    _row(
                        "parachute, time after entry", chute["t_s"], event.duration_s, "s", "edl_s"
                    )
                )
    return rows


def _epoch_of(text: str) -> float:
    return float(tdb_from_utc(text))
