"""The schema of a mission file: who flew, on what, when, and what the record says.

A mission file (TOML) has three parts:

* identity, at the top: slug, names, COSPAR id, launch epoch, site, vehicle,
  spacecraft and masses. These are facts (:mod:`marsprobe.facts`) and
  also the inputs of a replay (a probe is launched at its recorded epoch);
* ``[record]``: what happened according to the sources (events, orbits,
  outcome, failure). A replay is compared with it and never reads it;
* ``[flight]`` (added by the replay work): the scenario the simulation flies.

Field names carry their unit (``apoapsis_km``); altitudes of planet-centred
orbits are above the body's equatorial radius (the convention of the sources:
Mars 2's 1,380 x 24,940 km, 18 h orbit only fits Kepler that way).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from marsprobe.facts import Fact, SourcedTable, Strict

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

Program = Literal["soviet", "us"]

MissionType = Literal[
    "flyby",
    "flyby+lander",
    "orbiter",
    "orbiter+lander",
    "lander",
    "phobos",
    "test",
]

Outcome = Literal[
    "launch_failure",  # never reached Earth orbit
    "stranded_in_earth_orbit",  # reached a parking orbit, never left it
    "lost_in_cruise",  # left Earth, lost before reaching Mars
    "missed_mars",  # left Earth alive on a path that never came near Mars
    "deep_space_test",  # left Earth on purpose not to reach Mars (Zond 3)
    "flyby",  # passed Mars working
    "orbiter",  # captured into a Mars orbit whose periapsis stays above the atmosphere
    "entered_atmosphere",  # captured or passing, its periapsis inside the atmosphere
    "lander_crashed",  # a descent module that reached the surface too fast or fell silent at it
    "lander_soft_landed",  # a descent module that landed and transmitted from the surface
    "lander_missed_planet",  # a descent module that never entered the atmosphere
    "lander_not_released",  # a lander that never left its carrier
]
OUTCOMES: tuple[str, ...] = Outcome.__args__  # type: ignore[attr-defined]

EventName = Literal[
    "liftoff",
    "engine_failure",
    "loss_of_control",
    "stage_failure",
    "ignition_failure",
    "destruct",
    "explosion",
    "impact_near_pad",
    "breakup",
    "shroud_failure",
    "parking_orbit",
    "escape_burn",
    "escape_failure",
    "spacecraft_separation",
    "panel_deployment_failure",
    "tcm",
    "lunar_flyby",
    "telemetry_failure",
    "loss_of_contact",
    "closest_approach",
    "lander_separation",
    "orbit_insertion",
    "orbit_insertion_failure",
    "entry",
    "parachute",
    "retro_ignition",
    "landing",
    "surface_transmission_end",
    "end_of_mission",
    "decay",
    "command_error",  # a wrong command or setting sent to (or loaded in) the vehicle
]
EVENT_NAMES: tuple[str, ...] = EventName.__args__  # type: ignore[attr-defined]

Body = Literal["earth", "moon", "mars", "phobos", "sun"]


def check_utc(text: str) -> str:
    """Accept an ISO-8601 UTC date or date-time (``1971-05-28``, ``1971-05-28T15:26:30Z``)."""
    stripped = text.removesuffix("Z")
    for fmt in ("%Y-%m-%d", "%Y-%m", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f"):
        try:
            datetime.strptime(stripped, fmt)
        except ValueError:
            continue
        return text
    raise ValueError(
        f"'{text}' is not an ISO-8601 UTC date or time "
        "(accepted: YYYY-MM-DD, YYYY-MM-DDTHH:MM, YYYY-MM-DDTHH:MM:SS[.fff][Z])"
    )


class UtcFact(Fact[str]):
    """A fact whose value is an ISO-8601 UTC date or date-time."""

    @field_validator("value")
    @classmethod
    def _iso(cls, value: str) -> str:
        return check_utc(value)


NonNegative = Annotated[float, Field(ge=0)]


class Masses(SourcedTable):
    """Masses in kg. ``launch_mass_kg`` is the spacecraft at separation from the launcher."""

    launch_mass_kg: Fact[NonNegative] | None = None
    orbiter_mass_kg: Fact[NonNegative] | None = None
    dry_mass_kg: Fact[NonNegative] | None = None
    propellant_mass_kg: Fact[NonNegative] | None = None
    descent_module_mass_kg: Fact[NonNegative] | None = None
    lander_mass_kg: Fact[NonNegative] | None = None
    stack_in_orbit_mass_kg: Fact[NonNegative] | None = None


class Event(SourcedTable):
    """One thing that happened, with when, where and how much, each sourced."""

    name: EventName
    body: Body | None = None
    # which piece of the launch the event is about, where not the spacecraft as a whole
    object: Literal["lander", "orbiter", "stage"] | None = None
    note: str | None = None
    time_utc: UtcFact | None = None
    # What the UTC time measures: "scet" when the event happened (spacecraft event time),
    # "ert" when its signal reached the Earth (Earth-received time, later by the light time),
    # "unstated" where the source does not say. Near the Earth the two differ by under 1 s.
    time_basis: Literal["scet", "ert", "unstated"] | None = None
    t_s: Fact[float] | None = None  # seconds from lift-off (launch events)
    duration_s: Fact[NonNegative] | None = None
    altitude_km: Fact[float] | None = None
    distance_km: Fact[NonNegative] | None = None  # closest approach, miss or range from Earth
    speed_km_s: Fact[NonNegative] | None = None
    lat_deg: Fact[Annotated[float, Field(ge=-90, le=90)]] | None = None
    lon_deg: Fact[Annotated[float, Field(ge=-180, le=360)]] | None = None  # east-positive
    delta_v_m_s: Fact[NonNegative] | None = None
    stage: Fact[str] | None = None

    @model_validator(mode="after")
    def _cited(self) -> Event:
        if not any(getattr(self, k) is not None for k in type(self).fact_fields()):
            if not self.src:
                raise ValueError(f"event '{self.name}' gives no value and cites no source")
        return self


class Orbit(SourcedTable):
    """An orbit the record gives. Planet-centred apsides are altitudes; heliocentric ones in AU."""

    label: Literal["parking", "earth_orbit", "capture", "mars_orbit", "heliocentric"]
    central_body: Literal["earth", "mars", "sun"]
    # The body the source presents the orbit about, where that differs from central_body or
    # is implied (the chronology lists Phobos 1's elements like other entries' Mars orbits);
    # the consistency check tests it by Kepler's law (marsprobe.catalog.physics_checks).
    stated_body: Literal["earth", "mars", "sun"] | None = None
    # What the source says the orbit is ("final heliocentric orbit" after a flyby), where the
    # physics can test it (marsprobe.catalog.physics_checks).
    stated_as: Literal["after_flyby"] | None = None
    note: str | None = None
    periapsis_km: Fact[NonNegative] | None = None
    apoapsis_km: Fact[NonNegative] | None = None
    perihelion_au: Fact[NonNegative] | None = None
    aphelion_au: Fact[NonNegative] | None = None
    inclination_deg: Fact[Annotated[float, Field(ge=0, le=180)]] | None = None
    period_min: Fact[NonNegative] | None = None
    period_days: Fact[NonNegative] | None = None
    epoch_utc: UtcFact | None = None

    @model_validator(mode="after")
    def _fits_its_body(self) -> Orbit:
        helio = self.central_body == "sun"
        if helio and (self.periapsis_km or self.apoapsis_km):
            raise ValueError("a heliocentric orbit gives perihelion_au/aphelion_au, not *_km")
        if not helio and (self.perihelion_au or self.aphelion_au):
            raise ValueError(f"an orbit of {self.central_body} gives periapsis_km/apoapsis_km")
        return self


class Record(Strict):
    """What happened, according to the sources. Compared with a replay, never read by it."""

    outcome: Fact[list[Outcome]]
    failed_stage: Fact[str] | None = None
    failure_cause: Fact[str] | None = None
    events: list[Event] = Field(default_factory=list)
    orbits: list[Orbit] = Field(default_factory=list)


class Mission(Strict):
    """One launch of the catalog: identity facts, and the record of what happened."""

    slug: str
    program: Program
    summary: str = Field(min_length=1)  # in the catalog's own words
    name: Fact[str]
    aliases: Fact[list[str]] | None = None
    serial: Fact[str] | None = None
    cospar: Fact[str] | None = None
    launch_utc: UtcFact
    site: Fact[str]
    pad: Fact[str] | None = None
    vehicle: Fact[str]
    vehicle_config: Fact[str] | None = None
    spacecraft: Fact[str]
    mission_type: Fact[MissionType]
    masses: Masses | None = None
    record: Record | None = None
    # The scenario the simulation flies, checked by marsprobe.mission.scenario when flown so
    # that listing the catalog does not import the physics that defines each phase's table.
    flight: dict[str, Any] | None = None

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.match(value):
            raise ValueError(f"'{value}' is not a slug (lower-case words joined by hyphens)")
        return value
