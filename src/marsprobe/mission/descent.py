"""The entry, descent and landing phase of a mission: from the entry interface to the ground.

The phase takes an entry state (handed over by the arrival phase, or written in the flight
file for a stand-alone study) and the descent module's parameters, and flies them through the
batch EDL kernel (:mod:`marsprobe.edl`). Faults are parameters of the kernel named in the
flight file's ``[flight.edl]`` table or set by a fault (``"edl.main_chute_enabled" = 0``).

``[flight.edl]``::

    vehicle = "m71"                   # an EDL vehicle of marsprobe/edl/data/vehicles
    atmosphere = "dust-storm-1971"    # a model of marsprobe.edl.atmosphere
    entry_utc = "1971-12-02T13:47:00Z"      # a design entry state (optional; the
    entry_altitude_km = 100                 # arrival phase's hand-over wins in a replay)
    entry_speed_km_s = 5.8
    entry_fpa_deg = -11.4
    entry_heading_deg = 90
    entry_lat_deg = -45
    entry_lon_deg = -170
    entry_datum = "ellipsoid"               # what entry_altitude_km is measured from:
                                            # ellipsoid (default), areoid, or radius (then
                                            # entry_altitude_km is the areocentric radius)
    ls_deg = 300                      # season (solar longitude) and local solar time of the
    local_time_h = 14                 # atmosphere (optional; marsprobe.edl.climate): absent,
                                      # the model is flown as it is; a local time is flown at
                                      # the site's latitude (else the design entry's)
    site = "mars-3"                   # a landing site of marsprobe/edl/data/sites.toml: the
                                      # descent touches down on its terrain height
    delivery = {fpa_sd_deg = 1.0, ...}      # 1-sigma delivery errors for Monte Carlo runs
    [flight.edl.set]                  # kernel parameters away from the vehicle's nominal
    main_chute_enabled = 1
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from marsprobe.errors import InputError
from marsprobe.facts import SourceRef, Strict
from marsprobe.mission.handover import EntryInterface, Touchdown
from marsprobe.sequence.commands import Orders
from marsprobe.sequence.flight_computer import EDL_STAGES, phase_commands

__all__ = [
    "Delivery",
    "Descent",
    "EdlParams",
    "EntryInterface",
    "Touchdown",
    "aim_entry",
    "fly_descent",
]


class Delivery(Strict):
    """One-sigma errors of the entry state a navigation system delivers (for Monte Carlo)."""

    fpa_sd_deg: float = Field(
        default=0.0, ge=0, description="1-sigma of the entry flight-path angle, deg."
    )
    speed_sd_m_s: float = Field(default=0.0, ge=0, description="1-sigma of the entry speed, m/s.")
    heading_sd_deg: float = Field(
        default=0.0, ge=0, description="1-sigma of the entry heading, deg."
    )
    lat_sd_deg: float = Field(default=0.0, ge=0, description="1-sigma of the entry latitude, deg.")
    lon_sd_deg: float = Field(default=0.0, ge=0, description="1-sigma of the entry longitude, deg.")
    note: str | None = Field(None, description="Free text: where the figures come from.")


class EdlParams(Strict):
    """Parameters of the EDL phase (see the module docstring)."""

    vehicle: str = Field(
        description="The entry vehicle: a file of edl/data/vehicles (its id, e.g. ``m71``)."
    )
    atmosphere: str = Field(
        "pathfinder-1997", description="The atmosphere model flown (marsprobe.edl.atmosphere)."
    )
    entry_utc: str | None = Field(
        None,
        description="Design entry state (stand-alone studies; a replay takes the arrival "
        "phase's): epoch, UTC.",
    )
    entry_altitude_km: float | None = Field(
        default=None, gt=0, description="Design entry altitude above entry_datum, km."
    )
    entry_speed_km_s: float | None = Field(
        default=None, gt=0, description="Design entry speed, km/s."
    )
    entry_fpa_deg: float | None = Field(
        default=None, ge=-90, le=0, description="Design entry flight-path angle (negative), deg."
    )
    entry_heading_deg: float | None = Field(
        None, description="Design entry heading, clockwise from north, deg."
    )
    entry_lat_deg: float | None = Field(
        default=None, ge=-90, le=90, description="Design entry latitude, deg."
    )
    entry_lon_deg: float | None = Field(
        None, description="Design entry longitude, east positive, deg."
    )
    entry_datum: Literal["ellipsoid", "areoid", "radius"] = Field(
        "ellipsoid",
        description="What entry_altitude_km is measured from (``radius``: it is the "
        "areocentric radius).",
    )
    ls_deg: float | None = Field(
        default=None,
        ge=0,
        lt=360,
        description="Season flown, as Mars' solar longitude (None: the model as published), deg.",
    )
    local_time_h: float | None = Field(
        default=None,
        ge=0,
        lt=24,
        description="Local solar time at the site flown (None: the model as published), h.",
    )
    site: str | None = Field(
        None,
        description="A landing site of edl/data/sites.toml: the descent touches down on its "
        "terrain height.",
    )
    delivery: Delivery = Field(
        default_factory=Delivery, description="1-sigma errors of the delivered entry state."
    )
    set: dict[str, float] = Field(
        default_factory=dict,
        description="Kernel parameters away from the vehicle's nominal (names of "
        "marsprobe.edl.params, units in each name).",
    )
    src: list[SourceRef] = Field(
        default_factory=list, description="Sources (``id@locator``) of the design values."
    )
    note: str | None = Field(None, description="Free text: why the values are what they are.")

    @model_validator(mode="before")
    @classmethod
    def _kernel_parameters_at_top(cls, data: Any) -> Any:
        # A fault names a kernel parameter as "edl.retro_enabled": gather such keys into `set`.
        if not isinstance(data, dict):
            return data
        from marsprobe.edl.params import PARAM_NAMES

        loose = {k: v for k, v in data.items() if k in PARAM_NAMES}
        if not loose:
            return data
        rest = {k: v for k, v in data.items() if k not in loose}
        return {**rest, "set": {**rest.get("set", {}), **loose}}

    @model_validator(mode="after")
    def _ground_from_the_site(self) -> EdlParams:
        # The site's terrain, converted from its datum, is where the descent meets the ground
        # (and what a radar altimeter measures from); an explicit ground_altitude_m wins.
        if self.site is None:
            return self
        from marsprobe.edl.sites import site

        try:
            ground = site(self.site).ground_altitude_m
        except InputError as exc:
            raise ValueError(str(exc)) from None
        if "ground_altitude_m" not in self.set:
            object.__setattr__(self, "set", {**self.set, "ground_altitude_m": ground})
        return self

    @field_validator("set")
    @classmethod
    def _known_parameters(cls, value: dict[str, float]) -> dict[str, float]:
        from marsprobe.edl.params import PARAM_NAMES

        for name in value:
            if name not in PARAM_NAMES:
                raise ValueError(f"'{name}' is not an EDL parameter (see marsprobe.edl.params)")
        return value

    @property
    def flown_atmosphere(self) -> str:
        """The atmosphere id flown: the model, moved to ``ls_deg`` and ``local_time_h`` when
        they are given (for the time of day: over the descent's ground, at the latitude of its
        site, else of its design entry, whose diurnal range it takes)."""
        from marsprobe.edl.climate import spec

        ground = self.set.get("ground_altitude_m", 0.0)
        return spec(self.atmosphere, self.ls_deg, self.local_time_h, ground, self._latitude())

    def _latitude(self) -> float | None:
        # The local time is the site's, so its latitude; a study without a site has only the
        # design entry's (the descent moves a few degrees at most, under 1 K of amplitude).
        if self.site is not None:
            from marsprobe.edl.sites import site

            return site(self.site).lat_deg
        return self.entry_lat_deg

    def design_entry(self) -> EntryInterface | None:
        """The entry state written in the flight file, if it is complete."""
        fields = (
            self.entry_altitude_km,
            self.entry_speed_km_s,
            self.entry_fpa_deg,
            self.entry_heading_deg,
            self.entry_lat_deg,
            self.entry_lon_deg,
        )
        if any(f is None for f in fields):
            return None
        epoch = None
        if self.entry_utc is not None:
            from marsprobe.time import tdb_from_utc

            epoch = float(tdb_from_utc(self.entry_utc))
        from marsprobe.edl.datum import height_above_ellipsoid

        return EntryInterface(
            epoch=epoch,
            altitude_m=height_above_ellipsoid(
                self.entry_altitude_km * 1e3, self.entry_datum, self.entry_lat_deg
            ),
            speed_m_s=self.entry_speed_km_s * 1e3,
            fpa_deg=self.entry_fpa_deg,
            heading_deg=self.entry_heading_deg,
            lat_deg=self.entry_lat_deg,
            lon_deg=self.entry_lon_deg,
        )


@dataclass(frozen=True)
class Descent:
    """The result of one descent: the entry state it started from, its events (the kernel's,
    times from entry), the :class:`Touchdown` it handed over, and the time history."""

    entry: EntryInterface
    events: list[dict[str, Any]]
    touchdown: Touchdown
    history: dict | None
    vehicle: str
    atmosphere: str

    @property
    def survived(self) -> bool:
        return self.touchdown.survived

    @property
    def outcome(self) -> str:
        """``landed``, ``crashed``, ``skipped_out`` (missed the ground), ``timeout``,
        ``broke_up`` (past the structural g limit) or ``burned_through`` (past the heat load)."""
        return self.touchdown.outcome

    def touchdown_utc(self) -> str | None:
        """The touchdown's UTC, to the second (None without an entry epoch or a touchdown)."""
        return self.touchdown.time_utc

    def to_json(self) -> dict[str, Any]:
        keys = ("name", "t_s", "altitude_m", "speed_m_s", "mach", "dynamic_pressure_pa")
        events = [{k: e[k] for k in keys} | {"g_load": e["g_load"]} for e in self.events]
        if self.entry.epoch is not None:
            from marsprobe.time import utc_from_tdb

            for event in events:
                event["time_utc"] = utc_from_tdb(self.entry.epoch + event["t_s"])
        return {
            "vehicle": self.vehicle,
            "atmosphere": self.atmosphere,
            "entry_state": self.entry.to_json(),
            "events": events,
            "touchdown": self.touchdown.to_dict(),
        }


def staging(params: EdlParams, orders: Orders | None = None) -> dict[str, float]:
    """The kernel's stage columns as the sequence's EDL commands order them: each command's
    trigger (kind, sensor or reference, value, unit, delay) and whether the hardware acts,
    converted by :func:`marsprobe.edl.slots.stage_parameters`. Without ``orders`` (a descent
    flown on its own) the commands are assembled from ``params`` and the entry vehicle."""
    from marsprobe.edl.slots import stage_parameters
    from marsprobe.edl.vehicle import load_vehicle

    if orders is None:
        edl_vehicle = load_vehicle(params.vehicle)
        orders = Orders(phase_commands("edl", params, edl_vehicle=edl_vehicle))
    out: dict[str, float] = {}
    first = True
    for stage, name in EDL_STAGES:
        cmd = orders.take("edl", name)
        if cmd is None:
            continue
        t = cmd.trigger
        out.update(
            stage_parameters(
                stage, t.kind, t.reference, float(t.value), t.unit, t.delay_s, cmd.enabled, first
            )
        )
        first = False
    return out


def fly_descent(
    entry: EntryInterface, params: EdlParams, history: bool = False, orders: Orders | None = None
) -> Descent:
    """Fly one descent module from its entry interface to the ground (or past the planet),
    its stages fired as the sequence's EDL commands say (:func:`staging`)."""
    from marsprobe.edl import EntryState, fly

    if not (0 < entry.speed_m_s < 20e3):
        raise InputError(f"entry speed {entry.speed_m_s:.0f} m/s is not a Mars entry speed")
    state = EntryState.single(
        altitude_m=entry.altitude_m,
        speed_m_s=entry.speed_m_s,
        fpa_deg=entry.fpa_deg,
        heading_deg=entry.heading_deg,
        lat_deg=entry.lat_deg,
        lon_deg=entry.lon_deg,
    )
    result = fly(
        state,
        params.vehicle,
        atmosphere=params.flown_atmosphere,
        dispersions={**params.set, **staging(params, orders)},
        history=history,
    )
    return Descent(
        entry=entry,
        events=result.event_list(0),
        touchdown=Touchdown.from_kernel(result.touchdown(0), entry.epoch),
        history=result.history,
        vehicle=params.vehicle,
        atmosphere=params.flown_atmosphere,
    )


def aim_entry(
    params: EdlParams,
    target_lat_deg: float,
    target_lon_deg: float,
    *,
    iterations: int = 6,
    tolerance_km: float = 1.0,
) -> EntryInterface:
    """The entry point whose nominal descent lands on a target: how planners aim a lander.

    Starting from the target itself, each pass flies the nominal descent and moves the entry
    point back by the miss, in latitude and longitude. The descent's ground track hardly
    changes over a few degrees, so the miss shrinks by orders of magnitude per pass.
    """
    design = params.design_entry()
    if design is None:
        raise InputError("aim_entry needs the entry speed, angle, heading and altitude")
    lat, lon = target_lat_deg, target_lon_deg
    for _ in range(iterations):
        trial = EntryInterface(
            design.epoch,
            design.altitude_m,
            design.speed_m_s,
            design.fpa_deg,
            design.heading_deg,
            lat,
            lon,
        )
        td = fly_descent(trial, params).touchdown
        if math.isnan(td.lat_deg):
            raise InputError("the nominal descent never reaches the ground: cannot aim it")
        miss_lat = td.lat_deg - target_lat_deg
        miss_lon = (td.lon_deg - target_lon_deg + 180.0) % 360.0 - 180.0
        lat, lon = lat - miss_lat, lon - miss_lon
        miss_km = math.hypot(miss_lat, miss_lon * math.cos(math.radians(target_lat_deg))) * 59.2
        if miss_km < tolerance_km:
            break
    return EntryInterface(
        design.epoch,
        design.altitude_m,
        design.speed_m_s,
        design.fpa_deg,
        design.heading_deg,
        lat,
        (lon + 180.0) % 360.0 - 180.0,
    )
