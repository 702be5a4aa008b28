"""The states the arrival phase hands over: approach, orbits, burns, flyby, lander, entry.

Each is a frozen dataclass whose fields carry their unit in their name. The figures are held
as the replay reports them (lengths in km to the metre, angles to a thousandth of a degree,
see each constructor), so that a figure compared with the record is the one printed.
``to_dict`` gives exactly the JSON keys, order and values that ``marsprobe replay --json``
and ``marsprobe cruise --json`` print (README "JSON output": keys are only ever added).

Orbits about Mars give their apsides as altitudes above Mars' equatorial radius (the
catalog's convention) and the inclination to Mars' equator; the heliocentric orbit gives
perihelion and aphelion in au and the inclination to the J2000 ecliptic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ENTRY_FRAME = (
    "Mars body-fixed, IAU WGCCRE 2009 rotation (Archinal et al. 2011); planetocentric "
    "latitude, east longitude, altitude above the WGCCRE 2009 ellipsoid"
)


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    """Add ``key`` only when the state has that figure (the JSON leaves it out otherwise)."""
    if value is not None:
        out[key] = value


@dataclass(frozen=True)
class Approach:
    """The hyperbolic approach on entering Mars' sphere of influence: excess speed, km/s;
    the B-plane point (B.T, B.R about Mars' pole), km; the spacecraft's mass then, kg."""

    v_inf_km_s: float
    b_t_km: float
    b_r_km: float
    mass_kg: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "v_inf_km_s": self.v_inf_km_s,
            "b_t_km": self.b_t_km,
            "b_r_km": self.b_r_km,
            "mass_kg": self.mass_kg,
        }


@dataclass(frozen=True)
class MarsOrbit:
    """An osculating orbit about Mars at ``epoch_utc``: periapsis and apoapsis altitudes, km;
    eccentricity; inclination to Mars' equator, deg; period, min. Apoapsis and period are
    None for an open (hyperbolic) path. The capture orbit, the orbit at the lander's release
    and the orbit after the trim are all of this kind."""

    periapsis_km: float
    eccentricity: float
    inclination_deg: float
    epoch_utc: str
    apoapsis_km: float | None = None
    period_min: float | None = None

    @property
    def closed(self) -> bool:
        return self.eccentricity < 1.0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "periapsis_km": self.periapsis_km,
            "eccentricity": self.eccentricity,
            "inclination_deg": self.inclination_deg,
            "epoch_utc": self.epoch_utc,
        }
        _put(out, "apoapsis_km", self.apoapsis_km)
        _put(out, "period_min", self.period_min)
        return out


CaptureOrbit = MarsOrbit
"""The orbit the insertion left the spacecraft in (a :class:`MarsOrbit`)."""


@dataclass(frozen=True)
class OrbitInsertion:
    """The orbit-insertion burn as planned on board and as flown.

    Planned: ``planned_delta_v_m_s`` (impulsive, for the design orbit), the propellant it
    needs and the propellant available, kg (None when the load is unknown), the ignition
    epoch (UTC). Flown: ``fired``; the burn's ``delta_v_m_s``, ``burn_s``,
    ``propellant_used_kg``; for a burn that fired, why it ended (``end``: guidance cut-off,
    propellant exhausted, cut short) and the propellant left, kg (None when unknown).
    """

    planned_delta_v_m_s: float
    propellant_needed_kg: float
    propellant_available_kg: float | None
    ignition_utc: str
    fired: bool
    delta_v_m_s: float
    burn_s: float
    propellant_used_kg: float
    end: str | None = None
    propellant_left_kg: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "planned_delta_v_m_s": self.planned_delta_v_m_s,
            "propellant_needed_kg": self.propellant_needed_kg,
            "propellant_available_kg": self.propellant_available_kg,
            "ignition_utc": self.ignition_utc,
            "fired": self.fired,
        }
        if not self.fired:
            out.update(
                delta_v_m_s=self.delta_v_m_s,
                burn_s=self.burn_s,
                propellant_used_kg=self.propellant_used_kg,
            )
            return out
        out.update(
            burn_s=self.burn_s,
            propellant_used_kg=self.propellant_used_kg,
            delta_v_m_s=self.delta_v_m_s,
            end=self.end,
            propellant_left_kg=self.propellant_left_kg,
        )
        return out


@dataclass(frozen=True)
class TrimPlan:
    """The site trim as planned: the period it aims at, min, and where the capsule released
    on the planned pass would reach the interface (UTC, planetocentric latitude and east
    longitude, deg)."""

    period_min: float
    predicted_entry_utc: str
    predicted_entry_lat_deg: float
    predicted_entry_lon_deg: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "period_min": self.period_min,
            "predicted_entry_utc": self.predicted_entry_utc,
            "predicted_entry_lat_deg": self.predicted_entry_lat_deg,
            "predicted_entry_lon_deg": self.predicted_entry_lon_deg,
        }


@dataclass(frozen=True)
class Trim:
    """The site trim as flown: its epoch (UTC), the plan, the burn's ``delta_v_m_s`` and
    propellant, kg (what is left: None when unknown), ``detail`` when the tanks ran dry, and
    the orbit it left (its period replaces the planned one in the printed figures)."""

    time_utc: str
    plan: TrimPlan
    delta_v_m_s: float
    propellant_kg: float
    orbit: MarsOrbit
    propellant_left_kg: float | None = None
    detail: str | None = None

    def burn_data(self) -> dict[str, Any]:
        """The plan and the burn, as the ``orbit_trim`` event reports them."""
        out = self.plan.to_dict()
        _put(out, "detail", self.detail)
        out.update(delta_v_m_s=self.delta_v_m_s, propellant_kg=self.propellant_kg)
        _put(out, "propellant_left_kg", self.propellant_left_kg)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"time_utc": self.time_utc, **self.burn_data(), **self.orbit.to_dict()}


@dataclass(frozen=True)
class Flyby:
    """The closest approach to Mars of a spacecraft that flies past: altitude above the
    equatorial radius, km; its epoch (UTC); the Mars-relative speed there, km/s (None where
    the cruise already ended at the closest approach)."""

    closest_approach_km: float
    time_utc: str
    speed_km_s: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "closest_approach_km": self.closest_approach_km,
            "time_utc": self.time_utc,
        }
        _put(out, "speed_km_s", self.speed_km_s)
        return out


@dataclass(frozen=True)
class LanderRelease:
    """Where the released lander went: ``entered`` (it reached the entry interface) at
    ``time_utc``, or it passed Mars ``miss_distance_km`` above the equatorial radius at its
    closest approach at ``time_utc``."""

    entered: bool
    time_utc: str
    miss_distance_km: float | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.entered:
            return {"entered": True, "time_utc": self.time_utc}
        return {
            "entered": False,
            "miss_distance_km": self.miss_distance_km,
            "time_utc": self.time_utc,
        }


@dataclass(frozen=True)
class EntryInterface:
    """The state at the entry interface (Mars body-fixed, see :data:`ENTRY_FRAME`), the
    arrival's hand-over to the descent.

    ``epoch``: TDB s past J2000 (None when unknown); altitude above the WGCCRE 2009
    ellipsoid, m; planet-relative speed, m/s; flight-path angle from the local horizontal
    (negative down) and heading clockwise from north, deg; planetocentric latitude and east
    longitude, deg. Handed over by the arrival, it also carries the inertial speed, m/s, and
    inertial flight-path angle, deg, and its UTC to the millisecond; a design entry state
    written in a flight file has neither.
    """

    epoch: float | None
    altitude_m: float
    speed_m_s: float
    fpa_deg: float
    heading_deg: float
    lat_deg: float
    lon_deg: float
    inertial_speed_m_s: float | None = None
    inertial_fpa_deg: float | None = None
    time_utc: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The arrival's ``entry_state`` as ``marsprobe cruise --json`` prints it."""
        return {
            "time_utc": self.time_utc,
            "epoch_tdb_s": self.epoch,
            "altitude_m": self.altitude_m,
            "speed_m_s": self.speed_m_s,
            "fpa_deg": self.fpa_deg,
            "heading_deg": self.heading_deg,
            "lat_deg": self.lat_deg,
            "lon_deg": self.lon_deg,
            "inertial_speed_m_s": self.inertial_speed_m_s,
            "inertial_fpa_deg": self.inertial_fpa_deg,
            "frame": ENTRY_FRAME,
        }

    def to_json(self) -> dict[str, Any]:
        """The descent's ``entry_state`` (``edl`` of a replay): km and km/s, UTC to the s."""
        from marsprobe.time import utc_from_tdb

        return {
            "time_utc": None if self.epoch is None else utc_from_tdb(self.epoch),
            "altitude_km": self.altitude_m / 1e3,
            "speed_km_s": self.speed_m_s / 1e3,
            "fpa_deg": self.fpa_deg,
            "heading_deg": self.heading_deg,
            "lat_deg": self.lat_deg,
            "lon_deg": self.lon_deg,
            "frame": "Mars body-fixed (IAU WGCCRE 2009), planetocentric latitude, east longitude",
        }


@dataclass(frozen=True)
class HeliocentricOrbit:
    """The osculating heliocentric orbit of what flies on past Mars (or never reached it), at
    ``epoch_utc``: inclination to the J2000 ecliptic, deg; perihelion and aphelion, au;
    period, days (aphelion and period None for an open orbit)."""

    inclination_deg: float
    epoch_utc: str
    perihelion_au: float
    aphelion_au: float | None = None
    period_days: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "inclination_deg": self.inclination_deg,
            "epoch_utc": self.epoch_utc,
            "perihelion_au": self.perihelion_au,
        }
        _put(out, "aphelion_au", self.aphelion_au)
        _put(out, "period_days", self.period_days)
        return out
