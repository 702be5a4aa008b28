"""The schema of the launch-vehicle and launch-site data files, and their loaders.

The files live in ``marsprobe/ascent/data/``: one ``<vehicle-id>.toml`` per vehicle and
``sites.toml``. Every figure is a :class:`~marsprobe.facts.Fact` (value, sources,
other claims with the reason for the choice); a table's ``src`` covers its plain values.
Values that are modelling choices cite ``marsprobe@chosen`` and say why in ``note``.
The validated models turn into the plain SI objects of :mod:`marsprobe.ascent.vehicle`.

This module sits in the mission layer because the fact model does; the ascent kernels only
see numbers.
"""

from __future__ import annotations

import math
import tomllib
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from marsprobe.ascent.vehicle import Site, Stage, Vehicle
from marsprobe.constants import G0_M_S2
from marsprobe.errors import CatalogError, InputError
from marsprobe.facts import Fact, SourcedTable, Strict


class InjectionAccuracy(SourcedTable):
    """How well the escape stage puts the spacecraft on its departure: the 1-sigma error of
    each ICRF component of the velocity at the stage's cut-off (m/s), independent and
    zero-mean (:mod:`marsprobe.mission.perturbation` draws it). Where no figure was found the
    value cites ``marsprobe@chosen`` and its note says why."""

    note: str | None = Field(None, description="Free text: why the figure was chosen.")
    velocity_sigma_m_s: Fact[float] = Field(
        description="1-sigma error of each velocity component at cut-off (sourced or chosen), m/s."
    )

    @model_validator(mode="after")
    def _positive(self) -> InjectionAccuracy:
        if not self.velocity_sigma_m_s.value > 0:
            raise ValueError("injection.velocity_sigma_m_s must be positive")
        return self


class StageFile(SourcedTable):
    """One stage of a vehicle file (masses of all units together); the escape stage carries
    its ``injection`` accuracy, no other stage does."""

    name: str = Field(description="The stage's name and designation.")
    engine: str = Field(description="Its engines, in words (``6 x RD-253``).")
    propellants: str = Field(description="Fuel and oxidiser, in words.")
    ignition: Literal["liftoff", "staging", "orbit"] = Field(
        description="When it first ignites: at lift-off, at staging, or in orbit (escape stage)."
    )
    note: str | None = Field(
        None, description="Free text: why a value was chosen or how it was read."
    )
    units: Fact[int] | None = Field(
        None, description="Identical units burning together (strap-ons; default 1), count."
    )
    engines: Fact[int] | None = Field(
        None, description="Main engines of all units: what an engine-out loses (default 1), count."
    )
    gross_mass_kg: Fact[float] = Field(description="Fuelled mass of all units (sourced), kg.")
    dry_mass_kg: Fact[float] = Field(description="Empty mass of all units (sourced), kg.")
    thrust_vac_kn: Fact[float] = Field(description="Vacuum thrust of all units (sourced), kN.")
    thrust_sl_kn: Fact[float] | None = Field(
        None, description="Sea-level thrust (default: the vacuum thrust), kN."
    )
    isp_vac_s: Fact[float] = Field(description="Vacuum specific impulse (sourced), s.")
    isp_sl_s: Fact[float] | None = Field(None, description="Sea-level specific impulse, s.")
    burn_time_s: Fact[float] = Field(
        description="Quoted burn time (sourced; checks the masses, thrust and Isp agree), s."
    )
    restartable: Fact[bool] = Field(description="Whether it can ignite more than once.")
    gimbal_deg: Fact[float] | None = Field(
        None, description="Steering deflection limit of the main engines, deg."
    )
    gimbal_mode: Literal["any", "tangential"] = Field(
        "any", description="How the engines swivel: two-axis, or in one tangential plane."
    )
    engine_radius_m: Fact[float] | None = Field(
        None, description="Distance of the engines from the vehicle's axis, m."
    )
    length_m: Fact[float] = Field(description="Length of the stage, m.")
    ullage_s: Fact[float] | None = Field(
        None, description="Ullage thrust needed before an in-orbit ignition, s."
    )
    tank_stage: int | None = Field(
        default=None,
        ge=1,
        description="A drop section (no tanks of its own): the stage, from 1, that feeds it.",
    )
    cutoff_s: Fact[float] | None = Field(
        None, description="A drop section's commanded cut-off and jettison, s from lift-off."
    )
    injection: InjectionAccuracy | None = Field(
        None,
        description="The escape stage's injection accuracy (only the escape stage has one).",
    )

    @model_validator(mode="after")
    def _physical(self) -> StageFile:
        if self.tank_stage is not None:
            # a drop section: no tanks of its own, shut down and jettisoned on a command
            if self.gross_mass_kg.value != self.dry_mass_kg.value or self.cutoff_s is None:
                raise ValueError(
                    "a stage with tank_stage (a drop section) needs gross_mass_kg = dry_mass_kg "
                    "and a cutoff_s"
                )
        elif not 0.0 < self.dry_mass_kg.value < self.gross_mass_kg.value:
            raise ValueError("need 0 < dry_mass_kg < gross_mass_kg")
        if self.thrust_vac_kn.value <= 0 or self.isp_vac_s.value <= 0:
            raise ValueError("thrust_vac_kn and isp_vac_s must be positive")
        if self.thrust_sl_kn is not None and self.thrust_sl_kn.value > self.thrust_vac_kn.value:
            raise ValueError("thrust_sl_kn cannot exceed thrust_vac_kn")
        return self

    def to_stage(self) -> Stage:
        sl = self.thrust_sl_kn.value if self.thrust_sl_kn else self.thrust_vac_kn.value
        return Stage(
            name=self.name,
            dry_mass=self.dry_mass_kg.value,
            propellant_mass=self.gross_mass_kg.value - self.dry_mass_kg.value,
            thrust_vac=self.thrust_vac_kn.value * 1e3,
            thrust_sl=sl * 1e3,
            isp_vac=self.isp_vac_s.value,
            ignition=self.ignition,
            units=self.units.value if self.units else 1,
            engines=self.engines.value if self.engines else 1,
            restartable=self.restartable.value,
            gimbal_deg=self.gimbal_deg.value if self.gimbal_deg else 0.0,
            gimbal_mode=self.gimbal_mode,
            engine_radius=self.engine_radius_m.value if self.engine_radius_m else 0.0,
            length=self.length_m.value,
            ullage_s=self.ullage_s.value if self.ullage_s else 0.0,
            tank=self.tank_stage - 1 if self.tank_stage is not None else None,
            cutoff_t=self.cutoff_s.value if self.cutoff_s else math.inf,
        )


class VehicleFile(SourcedTable):
    """A launch vehicle file: stages bottom-up and its guidance and control constants."""

    id: str = Field(description="The file's name without ``.toml``; ``[flight]`` names it.")
    name: str = Field(description="The vehicle, in words.")
    note: str | None = Field(
        None, description="Free text: why a value was chosen or how it was read."
    )
    reference_diameter_m: Fact[float] = Field(
        description="Diameter whose disc is the drag reference area (sourced), m."
    )
    control_limit_deg: Fact[float] = Field(
        description="Attitude error at which the emergency system cuts the engines "
        "(usually chosen), deg."
    )
    vertical_rise_s: Fact[float] = Field(
        description="Vertical rise before the pitch-over (guidance constant, chosen), s."
    )
    pitch_kick_deg: Fact[float] = Field(
        description="Default pitch-over (each mission stores its own; chosen), deg."
    )
    kick_duration_s: Fact[float] = Field(
        description="Duration of the pitch-over manoeuvre (chosen), s."
    )
    gravity_turn_end_s: Fact[float] = Field(
        description="End of the zero angle-of-attack turn through the dense air (chosen), s "
        "from lift-off."
    )
    cg_fraction: Fact[float] = Field(
        description="Centre of mass above the gimbals, as a fraction of the stack's length "
        "(chosen; dimensionless)."
    )
    stage: list[StageFile] = Field(
        min_length=1, description="The stages, bottom-up, one ``[[stage]]`` table each."
    )

    @model_validator(mode="after")
    def _one_escape_stage(self) -> VehicleFile:
        if sum(s.ignition == "orbit" for s in self.stage) > 1:
            raise ValueError("at most one stage may have ignition = 'orbit'")
        if self.stage[0].ignition != "liftoff":
            raise ValueError("the first stage must have ignition = 'liftoff'")
        for k, st in enumerate(self.stage):
            if st.tank_stage is None:
                continue
            feeder = self.stage[st.tank_stage - 1] if st.tank_stage <= len(self.stage) else None
            if st.tank_stage == k + 1 or feeder is None or feeder.tank_stage is not None:
                raise ValueError(f"stage {k + 1}: tank_stage must name another stage with tanks")
            if st.ignition != feeder.ignition:
                raise ValueError(f"stage {k + 1}: a drop section ignites with its tank stage")
        escape = self.escape_index()
        for k, st in enumerate(self.stage):
            if k == escape and st.injection is None:
                raise ValueError(f"stage {k + 1} (the escape stage) needs its [stage.injection]")
            if k != escape and st.injection is not None:
                raise ValueError(f"stage {k + 1}: only the escape stage has an injection accuracy")
        return self

    def escape_index(self) -> int | None:
        """Index of the stage fired from the parking orbit (None: the vehicle stops in orbit)."""
        orbit = [i for i, s in enumerate(self.stage) if s.ignition == "orbit"]
        restart = [i for i, s in enumerate(self.stage) if s.restartable.value]
        return orbit[0] if orbit else (restart[-1] if restart else None)

    def to_vehicle(self) -> Vehicle:
        stages = tuple(s.to_stage() for s in self.stage)
        escape = self.escape_index()
        return Vehicle(
            id=self.id,
            name=self.name,
            stages=stages,
            reference_area=math.pi * self.reference_diameter_m.value**2 / 4.0,
            control_limit_deg=self.control_limit_deg.value,
            vertical_rise_s=self.vertical_rise_s.value,
            pitch_kick_deg=self.pitch_kick_deg.value,
            kick_duration_s=self.kick_duration_s.value,
            gravity_turn_end_s=self.gravity_turn_end_s.value,
            escape_stage=escape,
            cg_fraction=self.cg_fraction.value,
        )


class PadFile(SourcedTable):
    """A launch pad: geodetic latitude, east longitude (deg) and height (m); ``aliases``
    are other spellings of the pad's name (the catalog writes ``LC-13`` or ``1/5``)."""

    site: str = Field(description="The launch site (the mission file's ``site``).")
    pad: str = Field(description="The pad's name at that site.")
    aliases: list[str] = Field(
        default_factory=list, description="Other spellings of the pad's name in the catalog."
    )
    lat_deg: Fact[float] = Field(description="Geodetic latitude, WGS 84 (sourced), deg.")
    lon_deg: Fact[float] = Field(description="Longitude, east positive (sourced), deg.")
    height_m: Fact[float] = Field(
        description="Ground height above the WGS 84 ellipsoid (sourced), m."
    )
    note: str | None = Field(
        None, description="Free text: why a value was chosen or how it was read."
    )


class SitesFile(Strict):
    """The launch sites file, ``ascent/data/sites.toml``."""

    pad: list[PadFile] = Field(description="The pads, one ``[[pad]]`` table each.")


def _describe(path: str, exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{path}: field '{where}': {err['msg']}"


def _read(name: str) -> tuple[str, dict]:
    ref = resources.files("marsprobe.ascent") / "data" / name
    path = str(ref)
    try:
        return path, tomllib.loads(ref.read_text())
    except FileNotFoundError:
        raise CatalogError(f"{path}: no such file") from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{path}: not valid TOML: {exc}") from None


def vehicle_ids() -> list[str]:
    """Ids of the vehicles that have a data file."""
    folder = resources.files("marsprobe.ascent") / "data"
    return sorted(
        p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml") and p.name != "sites.toml"
    )


def parse_vehicle(data: dict, path: str = "<vehicle>") -> VehicleFile:
    """Validate vehicle data; a mismatch raises :class:`CatalogError` naming file and field."""
    try:
        return VehicleFile.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(_describe(path, exc)) from None


@cache
def vehicle_file(vehicle_id: str) -> VehicleFile:
    """The validated data file of ``vehicle_id`` (e.g. ``"proton-k-d"``)."""
    if vehicle_id not in vehicle_ids():
        raise InputError(
            f"unknown launch vehicle '{vehicle_id}'; accepted: {', '.join(vehicle_ids())}"
        )
    path, data = _read(f"{vehicle_id}.toml")
    vf = parse_vehicle(data, path)
    if vf.id != vehicle_id:
        raise CatalogError(f"{path}: field 'id': '{vf.id}' must match the file name")
    return vf


def injection_sigma_m_s(vehicle_id: str) -> float:
    """The 1-sigma velocity error per axis (m/s) of the vehicle's escape stage at cut-off."""
    vf = vehicle_file(vehicle_id)
    k = vf.escape_index()
    if k is None:
        raise InputError(f"launch vehicle '{vehicle_id}' has no escape stage")
    return vf.stage[k].injection.velocity_sigma_m_s.value


def load_vehicle(vehicle_id: str) -> Vehicle:
    """The numeric :class:`~marsprobe.ascent.vehicle.Vehicle` of ``vehicle_id``."""
    return vehicle_file(vehicle_id).to_vehicle()


@cache
def sites_file() -> SitesFile:
    path, data = _read("sites.toml")
    try:
        return SitesFile.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(_describe(path, exc)) from None


def load_site(site: str, pad: str) -> Site:
    """The pad ``pad`` of launch site ``site`` (e.g. ``"Baikonur"``, ``"81/23"``)."""
    pads = sites_file().pad
    for p in pads:
        if p.site.lower() == site.lower() and (p.pad == pad or pad in p.aliases):
            return Site(
                p.site,
                p.pad,
                math.radians(p.lat_deg.value),
                math.radians(p.lon_deg.value),
                p.height_m.value,
            )
    known = ", ".join(f"{p.site} {p.pad}" for p in pads)
    raise InputError(f"unknown launch pad '{site} {pad}'; accepted: {known}")


def _mdot(stage: StageFile) -> float:
    return stage.thrust_vac_kn.value * 1e3 / (stage.isp_vac_s.value * G0_M_S2)


def derived_burn_time_s(stage: StageFile, vehicle: VehicleFile | None = None) -> float:
    """Burn time (s) implied by propellant, thrust and Isp (a check of the sourced figures).

    For a stage whose tanks also feed a drop section (the Atlas sustainer), the drop
    section's flow up to its cut-off is taken out of the propellant first; a drop section's
    own burn time is its cut-off time.
    """
    if stage.tank_stage is not None:
        return stage.cutoff_s.value
    propellant = stage.gross_mass_kg.value - stage.dry_mass_kg.value
    if vehicle is not None:
        index = vehicle.stage.index(stage) + 1
        for other in vehicle.stage:
            if other.tank_stage == index:
                propellant -= _mdot(other) * other.cutoff_s.value
    return propellant / _mdot(stage)
