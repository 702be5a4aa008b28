"""Spacecraft data for the cruise and the arrival: masses, propellant, the main engine, the
descent module.

The files live in ``marsprobe/mission/data/spacecraft/``, one ``<id>.toml`` per spacecraft
type. Every figure is a :class:`~marsprobe.facts.Fact` (value, sources, other claims
with the reason for the choice); a table's ``src`` covers its plain values. Figures that are
modelling choices cite ``marsprobe@chosen`` and say why in ``note``; figures worked out from
others cite ``marsprobe@derived``. Unknown keys are errors.

The validated file turns into a plain :class:`Spacecraft` of SI numbers for the phases.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pydantic import Field, ValidationError, model_validator

from marsprobe.constants import G0_M_S2
from marsprobe.errors import CatalogError, InputError
from marsprobe.facts import Fact, SourcedTable


class EngineFile(SourcedTable):
    """A rocket engine: vacuum thrust (N) and specific impulse (s)."""

    name: str = Field(description="The engine's designation.")
    propellants: str | None = Field(None, description="Fuel and oxidiser, in words.")
    note: str | None = Field(
        None, description="Free text: why a figure was chosen or how it was read."
    )
    thrust_n: Fact[float] = Field(description="Vacuum thrust (sourced or chosen), N.")
    isp_s: Fact[float] = Field(description="Vacuum specific impulse (sourced or chosen), s.")

    @model_validator(mode="after")
    def _positive(self) -> EngineFile:
        if self.thrust_n.value <= 0 or self.isp_s.value <= 0:
            raise ValueError("thrust_n and isp_s must be positive")
        return self


class LanderFile(SourcedTable):
    """The descent module carried to Mars and released before arrival."""

    name: str = Field(description="The descent module's name.")
    note: str | None = Field(
        None, description="Free text: why a figure was chosen or how it was read."
    )
    mass_kg: Fact[float] = Field(
        description="Mass at separation from the carrier (a fact: sourced), kg."
    )
    deflection_isp_s: Fact[float] | None = Field(
        None,
        description="Its deflection or de-orbit engine's specific impulse (sourced or chosen), s.",
    )
    deflection_propellant_kg: Fact[float] = Field(
        description="Propellant for that burn (sourced or chosen; 0: no engine), kg."
    )


class NavigationFile(SourcedTable):
    """How well a course correction is aimed and flown: the 1-sigma error of each ICRF
    component of the position (km) and velocity (m/s) the ground knew when it computed the
    correction, and the 1-sigma error of each component of the burn as a fraction of its
    Δv (execution). Independent and zero-mean (:mod:`marsprobe.mission.perturbation`)."""

    note: str | None = Field(None, description="Free text: why the figures were chosen.")
    position_sigma_km: Fact[float] = Field(
        description="1-sigma knowledge error of each position component at a correction, km."
    )
    velocity_sigma_m_s: Fact[float] = Field(
        description="1-sigma knowledge error of each velocity component at a correction, m/s."
    )
    execution_sigma_fraction: Fact[float] = Field(
        description="1-sigma error of each component of a burn, as a fraction of its Δv (0-1)."
    )

    @model_validator(mode="after")
    def _positive(self) -> NavigationFile:
        for name in ("position_sigma_km", "velocity_sigma_m_s", "execution_sigma_fraction"):
            if not getattr(self, name).value > 0:
                raise ValueError(f"navigation.{name} must be positive")
        if self.execution_sigma_fraction.value >= 1:
            raise ValueError("navigation.execution_sigma_fraction must be below 1")
        return self


@dataclass(frozen=True)
class Navigation:
    """A spacecraft's navigation accuracy in SI: 1-sigma per ICRF axis of the position (m)
    and velocity (m/s) known at a correction, and of a burn's error as a fraction of Δv."""

    position_sigma_m: float
    velocity_sigma_m_s: float
    execution_sigma_fraction: float


class SpacecraftFile(SourcedTable):
    """One spacecraft type: mass at separation from the launcher, main-tank propellant, the
    engine of the course corrections and of the orbit insertion, and the descent module."""

    id: str = Field(description="The file's name without ``.toml``; missions name it.")
    name: str = Field(description="The spacecraft type, in words.")
    note: str | None = Field(
        None, description="Free text: why a figure was chosen or how it was read."
    )
    launch_mass_kg: Fact[float] = Field(
        description="Mass at separation from the launcher (a fact: sourced), kg."
    )
    propellant_kg: Fact[float] = Field(
        description="Main-tank propellant at launch, drawn by every main-engine burn "
        "(sourced or derived), kg."
    )
    engine: EngineFile = Field(description="The engine of course corrections and insertion.")
    lander: LanderFile | None = Field(
        None, description="The descent module carried, where there is one."
    )
    navigation: NavigationFile = Field(
        description="How well its course corrections are aimed and flown (1-sigma errors)."
    )

    @model_validator(mode="after")
    def _masses(self) -> SpacecraftFile:
        used = self.propellant_kg.value + (self.lander.mass_kg.value if self.lander else 0.0)
        if self.propellant_kg.value < 0:
            raise ValueError("propellant_kg must not be negative")
        if used >= self.launch_mass_kg.value:
            raise ValueError("propellant plus descent module must be less than launch_mass_kg")
        if self.lander is not None:
            load = self.lander.deflection_propellant_kg.value
            if not 0 <= load < self.lander.mass_kg.value:
                raise ValueError("lander.deflection_propellant_kg must be in [0, lander mass)")
        return self


@dataclass(frozen=True)
class Spacecraft:
    """Plain SI numbers of a spacecraft type.

    ``propellant_kg`` is the main-tank load at launch: every burn of the main engine (the
    escape's share, course corrections, orbit insertion, trims) draws from it and stops when
    it is spent. ``lander_propellant_kg`` is the descent module's own load for its
    deflection or de-orbit burn. ``exhaust_m_s`` is Isp g0 of the main engine.
    """

    id: str
    name: str
    launch_mass_kg: float
    propellant_kg: float
    engine: str
    thrust_n: float
    isp_s: float
    lander_mass_kg: float
    lander_isp_s: float | None
    lander_propellant_kg: float = 0.0

    @property
    def exhaust_m_s(self) -> float:
        return self.isp_s * G0_M_S2

    @property
    def mass_flow_kg_s(self) -> float:
        return self.thrust_n / self.exhaust_m_s


def _data_dir():
    return resources.files("marsprobe.mission").joinpath("data/spacecraft")


def spacecraft_ids() -> list[str]:
    """Ids of the spacecraft data files."""
    return sorted(p.name[:-5] for p in _data_dir().iterdir() if p.name.endswith(".toml"))


@cache
def spacecraft_file(sc_id: str) -> SpacecraftFile:
    """The validated data file ``<sc_id>.toml``."""
    ids = spacecraft_ids()
    if sc_id not in ids:
        raise InputError(f"unknown spacecraft {sc_id!r}; accepted: {', '.join(ids)}")
    text = _data_dir().joinpath(f"{sc_id}.toml").read_text("utf-8")
    try:
        data = SpacecraftFile.model_validate(tomllib.loads(text))
    except (ValidationError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"spacecraft file {sc_id}.toml: {exc}") from exc
    if data.id != sc_id:
        raise CatalogError(f"spacecraft file {sc_id}.toml declares id {data.id!r}")
    return data


def load_spacecraft(sc_id: str) -> Spacecraft:
    """The :class:`Spacecraft` of data file ``<sc_id>.toml``."""
    f = spacecraft_file(sc_id)
    return Spacecraft(
        id=f.id,
        name=f.name,
        launch_mass_kg=f.launch_mass_kg.value,
        propellant_kg=f.propellant_kg.value,
        engine=f.engine.name,
        thrust_n=f.engine.thrust_n.value,
        isp_s=f.engine.isp_s.value,
        lander_mass_kg=f.lander.mass_kg.value if f.lander else 0.0,
        lander_isp_s=(
            f.lander.deflection_isp_s.value if f.lander and f.lander.deflection_isp_s else None
        ),
        lander_propellant_kg=f.lander.deflection_propellant_kg.value if f.lander else 0.0,
    )


def navigation(sc_id: str) -> Navigation:
    """The :class:`Navigation` accuracy of data file ``<sc_id>.toml``."""
    nav = spacecraft_file(sc_id).navigation
    return Navigation(
        position_sigma_m=nav.position_sigma_km.value * 1e3,
        velocity_sigma_m_s=nav.velocity_sigma_m_s.value,
        execution_sigma_fraction=nav.execution_sigma_fraction.value,
    )
