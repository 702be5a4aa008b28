"""Entry vehicles as data: TOML files validated by a pydantic v2 schema.

A vehicle is an aeroshell (hypersonic body), the capsule left after the aeroshell is dropped,
and up to four optional stages flown in this order, each armed when the one before it fires:
``pilot_chute`` -> ``main_chute`` -> ``jettison`` (aeroshell or braking cone) -> ``retro``.
Each stage has a trigger ``{type, value, delay_s}`` with type one of ``mach`` (fires when the
Mach number falls below value), ``dynamic_pressure`` and ``g_load`` (fire when the quantity,
having risen above value, falls back below it: a deceleration-pulse sensor), ``timer`` (value
seconds after the previous stage fired, or after entry for the first) and ``altitude`` (radar
altitude above the ground below value). ``delay_s`` is added after the condition is met.

Every number is a table ``{value, source = "id: locator"}`` or ``{value, chosen = true, note,
sigma}``: a chosen value must say why and carry a 1-sigma dispersion, which
:func:`sample_dispersions` uses. Source ids refer to the file's ``[sources]`` table.

Built-in vehicles live in ``data/vehicles/*.toml``: ``m71`` (Mars 2/3 descent module),
``m73`` (Mars 6/7), ``viking1`` and ``pathfinder``.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from marsprobe.errors import ScenarioError

TRIGGER_TYPES = ("mach", "dynamic_pressure", "g_load", "timer", "altitude")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Sourced(_Strict):
    source: str | None = Field(
        None, description="Where the value comes from: ``key: locator``, key of ``[sources]``."
    )
    chosen: bool = Field(
        False, description="True where the value is a modelling choice (then note and sigma)."
    )
    note: str | None = Field(None, description="Why the value was chosen, or how it was read.")
    sigma: float | None = Field(
        None, description="1-sigma dispersion for Monte Carlo runs, in the value's unit."
    )

    @model_validator(mode="after")
    def _provenance(self):
        if not self.source and not self.chosen:
            raise ValueError("give either source = 'id: locator' or chosen = true with a note")
        if self.chosen and (self.note is None or self.sigma is None):
            raise ValueError("a chosen value needs a note (why) and a sigma (its 1-sigma)")
        if self.sigma is not None and self.sigma < 0:
            raise ValueError("sigma must be >= 0")
        return self


class Quantity(_Sourced):
    """A number with its provenance; ``sigma`` is a 1-sigma in the same unit."""

    value: float


class Trigger(_Sourced):
    """When a stage fires. ``sigma`` disperses ``value``."""

    type: Literal["mach", "dynamic_pressure", "g_load", "timer", "altitude"] = Field(
        description="What is sensed: Mach, dynamic pressure, deceleration pulse, a timer or "
        "radar altitude."
    )
    value: float = Field(
        description="The threshold, in the unit of its type: Mach number, Pa, Earth g, s, m."
    )
    delay_s: float = Field(0.0, description="Added after the condition is met, s.")


class CdTable(_Sourced):
    """Drag coefficient against Mach number (linear between points, held beyond the ends).

    ``sigma`` is the relative 1-sigma of a multiplier on the whole curve.
    """

    mach: list[float] = Field(description="Mach numbers of the table, increasing.")
    cd: list[float] = Field(description="Drag coefficient at each (dimensionless).")

    @model_validator(mode="after")
    def _shape(self):
        if len(self.mach) != len(self.cd) or len(self.mach) < 1:
            raise ValueError("mach and cd must be lists of the same, non-zero length")
        if any(b <= a for a, b in zip(self.mach, self.mach[1:], strict=False)):
            raise ValueError("mach must be strictly increasing")
        return self


class Aeroshell(_Strict):
    """The hypersonic body flown from the entry interface."""

    mass_kg: Quantity = Field(description="The whole vehicle at entry, kg.")
    diameter_m: Quantity = Field(description="Diameter; its disc is the reference area, m.")
    nose_radius_m: Quantity = Field(description="Nose radius, for stagnation heating, m.")
    cd_mach: CdTable = Field(description="Drag coefficient against Mach number.")
    lift_to_drag: Quantity | None = Field(
        None, description="Lift-to-drag ratio (default 0: ballistic; dimensionless)."
    )
    bank_deg: Quantity | None = Field(None, description="Bank angle of the lift vector, deg.")
    g_limit: Quantity | None = Field(
        None, description="Structural limit: above it the lander breaks up, Earth g."
    )
    heat_load_limit_j_cm2: Quantity | None = Field(
        None, description="Stagnation heat load the shield survives, J/cm^2."
    )


class Capsule(_Strict):
    """What flies on once the aeroshell is dropped, and lands."""

    cda_m2: Quantity = Field(description="Drag area (Cd times area), m^2.")
    survival_speed_m_s: Quantity = Field(description="Touchdown speed the lander survives, m/s.")


class Chute(_Strict):
    """A parachute: when it opens, its drag and its limits."""

    trigger: Trigger = Field(description="When it is deployed.")
    cda_m2: Quantity = Field(description="Drag area of the open canopy (Cd times area), m^2.")
    inflation_s: Quantity = Field(description="Time to open fully, s.")
    diameter_m: Quantity | None = Field(
        None, description="Canopy diameter (recorded; the flight uses cda_m2), m."
    )
    max_mach: Quantity | None = Field(
        None, description="Deployed faster than this Mach number, the canopy fails."
    )
    max_dynamic_pressure_pa: Quantity | None = Field(
        None, description="Deployed above this dynamic pressure, the canopy fails, Pa."
    )


class Jettison(_Strict):
    """Dropping the aeroshell or braking cone."""

    trigger: Trigger = Field(description="When it is dropped.")
    mass_kg: Quantity = Field(description="Mass that leaves, kg.")


class Retro(_Strict):
    """The braking rocket near the ground."""

    mode: Literal["fixed", "guided"] = Field(
        description="A fixed burn, or throttled to hold a speed near the ground."
    )
    trigger: Trigger = Field(description="When it ignites.")
    thrust_n: Quantity = Field(description="Thrust (guided: the maximum), N.")
    isp_s: Quantity = Field(description="Specific impulse, s.")
    burn_time_s: Quantity = Field(description="Burn duration (guided: the longest burn), s.")
    propellant_kg: Quantity = Field(description="Propellant loaded, kg.")
    release_chute: bool = Field(description="Whether the parachute is cut away at ignition.")
    release_mass_kg: Quantity | None = Field(
        None, description="Mass that leaves with the chute (a backshell), kg."
    )
    thrust_min_n: Quantity | None = Field(None, description="Guided only: lowest thrust, N.")
    target_speed_m_s: Quantity | None = Field(
        None, description="Guided only: descent speed held near the ground, m/s."
    )
    braking_fraction: Quantity | None = Field(
        None,
        description="Guided only: share of the net deceleration at which braking starts "
        "(dimensionless).",
    )

    @model_validator(mode="after")
    def _guided(self):
        if self.mode == "guided" and (self.thrust_min_n is None or self.target_speed_m_s is None):
            raise ValueError("a guided retro needs thrust_min_n and target_speed_m_s")
        return self


class Vehicle(_Strict):
    """An entry vehicle file (see the module docstring)."""

    id: str = Field(description="The vehicle's id (the file's name for built-in vehicles).")
    name: str = Field(description="The vehicle, in words.")
    description: str = Field(description="What it is and which missions flew it.")
    sources: dict[str, str] = Field(
        description="The sources its values cite: key = reference, in words."
    )
    aeroshell: Aeroshell = Field(description="The hypersonic body.")
    capsule: Capsule = Field(description="What flies on after the aeroshell is dropped.")
    pilot_chute: Chute | None = Field(None, description="Pilot (or drogue) parachute.")
    main_chute: Chute | None = Field(None, description="Main parachute.")
    jettison: Jettison | None = Field(None, description="Dropping the aeroshell or cone.")
    retro: Retro | None = Field(None, description="The braking rocket.")

    @model_validator(mode="after")
    def _known_sources(self):
        bad = [
            (path, q.source)
            for path, q in iter_sourced(self)
            if q.source and q.source.split(":")[0].strip() not in self.sources
        ]
        if bad:
            path, src = bad[0]
            raise ValueError(
                f"{'.'.join(path)}: source {src!r} does not start with a key of [sources] "
                f"(accepted: {', '.join(sorted(self.sources))})"
            )
        return self

    @property
    def ballistic_coefficient_kg_m2(self) -> float:
        """Entry mass over (hypersonic Cd times reference area), kg/m^2."""
        import math

        area = math.pi * (self.aeroshell.diameter_m.value / 2) ** 2
        return self.aeroshell.mass_kg.value / (self.aeroshell.cd_mach.cd[-1] * area)


def iter_sourced(model, path=()):
    """Yield (path, item) for every sourced number in a vehicle (depth first)."""
    if isinstance(model, _Sourced):
        yield path, model
        return
    if isinstance(model, BaseModel):
        for name in type(model).model_fields:
            yield from iter_sourced(getattr(model, name), (*path, name))


def builtin_vehicles() -> list[str]:
    """Ids of the vehicles shipped in ``data/vehicles``."""
    folder = resources.files("marsprobe.edl").joinpath("data/vehicles")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def _accepted_keys(loc) -> str:
    """The keys accepted where a validation error points (for 'extra' errors)."""
    model = Vehicle
    for part in loc[:-1]:
        field = model.model_fields.get(part) if isinstance(part, str) else None
        if field is None:
            return ""
        ann = field.annotation
        args = getattr(ann, "__args__", (ann,))
        nxt = next((a for a in args if isinstance(a, type) and issubclass(a, BaseModel)), None)
        if nxt is None:
            return ""
        model = nxt
    return ", ".join(model.model_fields)


def load_vehicle(name_or_path: str | Path) -> Vehicle:
    """A built-in vehicle by id, or a TOML file by path. Raises ScenarioError when invalid."""
    if isinstance(name_or_path, Vehicle):
        return name_or_path
    text_name = str(name_or_path)
    if text_name in builtin_vehicles():
        res = resources.files("marsprobe.edl").joinpath(f"data/vehicles/{text_name}.toml")
        label, text = f"{text_name}.toml", res.read_text()
    else:
        path = Path(text_name)
        if not path.is_file():
            raise ScenarioError(
                f"unknown vehicle {text_name!r}: accepted are {', '.join(builtin_vehicles())} "
                "or the path of a .toml file"
            )
        label, text = str(path), path.read_text()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{label}: not valid TOML: {exc}") from None
    try:
        return Vehicle.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = f"unknown key; accepted: {_accepted_keys(err['loc'])}"
        elif err["type"] == "literal_error":
            msg = f"{msg} (got {err.get('input')!r})"
        raise ScenarioError(f"{label}: {loc}: {msg}") from None
