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

    launch_mass_kg: Fact[NonNegative] | None = Field(
        None, description="Sourced: the whole spacecraft as it separates from the launcher, kg."
    )
    orbiter_mass_kg: Fact[NonNegative] | None = Field(
        None, description="Sourced: the orbiter (or bus) without its descent module, kg."
    )
    dry_mass_kg: Fact[NonNegative] | None = Field(
        None, description="Sourced: the spacecraft without propellant, kg."
    )
    propellant_mass_kg: Fact[NonNegative] | None = Field(
        None, description="Sourced: propellant loaded at launch, kg."
    )
    descent_module_mass_kg: Fact[NonNegative] | None = Field(
        None, description="Sourced: the descent module (aeroshell, capsule, chutes), kg."
    )
    lander_mass_kg: Fact[NonNegative] | None = Field(
        None, description="Sourced: the landed station alone, kg."
    )
    stack_in_orbit_mass_kg: Fact[NonNegative] | None = Field(
        None,
        description="Sourced: escape stage and spacecraft together in the parking orbit, kg.",
    )


class Event(SourcedTable):
    """One thing that happened, with when, where and how much, each sourced."""

    name: EventName = Field(description="What happened, one of a fixed vocabulary of events.")
    body: Body | None = Field(None, description="The body the event happened at or near.")
    object: Literal["lander", "orbiter", "stage"] | None = Field(
        None,
        description="The piece of the launch the event is about, where not the whole spacecraft.",
    )
    note: str | None = Field(None, description="Free text: context the fields cannot hold.")
    time_utc: UtcFact | None = Field(
        None, description="Sourced: when it happened (or was received, see time_basis), UTC."
    )
    # What the UTC time measures: "scet" when the event happened (spacecraft event time),
    # "ert" when its signal reached the Earth (Earth-received time, later by the light time),
    # "unstated" where the source does not say. Near the Earth the two differ by under 1 s.
    time_basis: Literal["scet", "ert", "unstated"] | None = Field(
        None,
        description="What time_utc measures: spacecraft event time, Earth-received time, "
        "or not stated by the source.",
    )
    t_s: Fact[float] | None = Field(
        None, description="Sourced: seconds from lift-off (launch events), s."
    )
    duration_s: Fact[NonNegative] | None = Field(
        None, description="Sourced: how long it lasted (a burn, a transmission), s."
    )
    altitude_km: Fact[float] | None = Field(
        None, description="Sourced: altitude above the body's surface or equatorial radius, km."
    )
    distance_km: Fact[NonNegative] | None = Field(
        None, description="Sourced: closest approach, miss distance or range from Earth, km."
    )
    speed_km_s: Fact[NonNegative] | None = Field(
        None, description="Sourced: speed at the event, km/s."
    )
    lat_deg: Fact[Annotated[float, Field(ge=-90, le=90)]] | None = Field(
        None, description="Sourced: latitude on the body, north positive, deg."
    )
    lon_deg: Fact[Annotated[float, Field(ge=-180, le=360)]] | None = Field(
        None, description="Sourced: longitude on the body, east positive, deg."
    )
    delta_v_m_s: Fact[NonNegative] | None = Field(
        None, description="Sourced: velocity change of a burn, m/s."
    )
    stage: Fact[str] | None = Field(
        None, description="Sourced: the launcher stage concerned, by name."
    )

    @model_validator(mode="after")
    def _cited(self) -> Event:
        if not any(getattr(self, k) is not None for k in type(self).fact_fields()):
            if not self.src:
                raise ValueError(f"event '{self.name}' gives no value and cites no source")
        return self


class Orbit(SourcedTable):
    """An orbit the record gives. Planet-centred apsides are altitudes; heliocentric ones in AU."""

    label: Literal["parking", "earth_orbit", "capture", "mars_orbit", "heliocentric"] = Field(
        description="Which orbit of the flight this is."
    )
    central_body: Literal["earth", "mars", "sun"] = Field(description="The body orbited.")
    # The body the source presents the orbit about, where that differs from central_body or
    # is implied (the chronology lists Phobos 1's elements like other entries' Mars orbits);
    # the consistency check tests it by Kepler's law (marsprobe.catalog.physics_checks).
    stated_body: Literal["earth", "mars", "sun"] | None = Field(
        None, description="The body the source presents the orbit about, where it differs."
    )
    # What the source says the orbit is ("final heliocentric orbit" after a flyby), where the
    # physics can test it (marsprobe.catalog.physics_checks).
    stated_as: Literal["after_flyby"] | None = Field(
        None, description="What the source says the orbit is, where physics can test it."
    )
    note: str | None = Field(None, description="Free text: context the fields cannot hold.")
    periapsis_km: Fact[NonNegative] | None = Field(
        None, description="Sourced: lowest altitude above the equatorial radius, km."
    )
    apoapsis_km: Fact[NonNegative] | None = Field(
        None, description="Sourced: highest altitude above the equatorial radius, km."
    )
    perihelion_au: Fact[NonNegative] | None = Field(
        None, description="Sourced: closest distance to the Sun (heliocentric orbits), au."
    )
    aphelion_au: Fact[NonNegative] | None = Field(
        None, description="Sourced: farthest distance from the Sun (heliocentric orbits), au."
    )
    inclination_deg: Fact[Annotated[float, Field(ge=0, le=180)]] | None = Field(
        None,
        description="Sourced: inclination to the body's equator (the ecliptic for the Sun), deg.",
    )
    period_min: Fact[NonNegative] | None = Field(None, description="Sourced: period, min.")
    period_days: Fact[NonNegative] | None = Field(
        None, description="Sourced: period (long orbits), days."
    )
    epoch_utc: UtcFact | None = Field(
        None, description="Sourced: when the orbit held (entered or measured), UTC."
    )

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

    outcome: Fact[list[Outcome]] = Field(
        description="Sourced: how the flight ended, one or more outcomes (orbiter and lander)."
    )
    failed_stage: Fact[str] | None = Field(
        None, description="Sourced: the stage or part that failed, in words."
    )
    failure_cause: Fact[str] | None = Field(
        None, description="Sourced: why it failed, as the sources tell it."
    )
    events: list[Event] = Field(
        default_factory=list, description="What happened, one table per event."
    )
    orbits: list[Orbit] = Field(
        default_factory=list, description="The orbits the record gives, one table each."
    )


class Mission(Strict):
    """One launch of the catalog: identity facts, and the record of what happened."""

    slug: str = Field(description="The launch's identifier: lower-case words joined by hyphens.")
    program: Program = Field(description="Which programme flew it.")
    summary: str = Field(
        min_length=1, description="What happened, in a few sentences of the catalog's own words."
    )
    name: Fact[str] = Field(description="Sourced: the name the launch is known by.")
    aliases: Fact[list[str]] | None = Field(
        None, description="Sourced: other names (programme designations, Western names)."
    )
    serial: Fact[str] | None = Field(None, description="Sourced: the spacecraft's serial number.")
    cospar: Fact[str] | None = Field(
        None, description="Sourced: the international designator, where it reached orbit."
    )
    launch_utc: UtcFact = Field(description="Sourced: lift-off, UTC; the replay launches then.")
    site: Fact[str] = Field(
        description="Sourced: the launch site (a site of ascent/data/sites.toml)."
    )
    pad: Fact[str] | None = Field(None, description="Sourced: the launch pad at that site.")
    vehicle: Fact[str] = Field(description="Sourced: the launch vehicle, by name.")
    vehicle_config: Fact[str] | None = Field(
        None, description="Sourced: the vehicle's configuration or serial, where known."
    )
    spacecraft: Fact[str] = Field(description="Sourced: the spacecraft type.")
    mission_type: Fact[MissionType] = Field(description="Sourced: what the probe was sent to do.")
    masses: Masses | None = Field(None, description="Sourced masses of the spacecraft.")
    record: Record | None = Field(
        None, description="What happened; compared with a replay, never read by it."
    )
    # checked by marsprobe.mission.scenario when flown, so that listing the catalog does not
    # import the physics that defines each phase's table
    flight: dict[str, Any] | None = Field(
        None, description="The scenario the replay flies: a header and one table per phase."
    )

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.match(value):
            raise ValueError(f"'{value}' is not a slug (lower-case words joined by hyphens)")
        return value
