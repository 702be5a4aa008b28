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

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from marsprobe.errors import ScenarioError

TRIGGER_TYPES = ("mach", "dynamic_pressure", "g_load", "timer", "altitude")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Sourced(_Strict):
    source: str | None = None
    chosen: bool = False
    note: str | None = None
    sigma: float | None = None

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

    type: Literal["mach", "dynamic_pressure", "g_load", "timer", "altitude"]
    value: float
    delay_s: float = 0.0


class CdTable(_Sourced):
    """Drag coefficient against Mach number (linear between points, held beyond the ends).

    ``sigma`` is the relative 1-sigma of a multiplier on the whole curve.
    """

    mach: list[float]
    cd: list[float]

    @model_validator(mode="after")
    def _shape(self):
        if len(self.mach) != len(self.cd) or len(self.mach) < 1:
            raise ValueError("mach and cd must be lists of the same, non-zero length")
        if any(b <= a for a, b in zip(self.mach, self.mach[1:], strict=False)):
            raise ValueError("mach must be strictly increasing")
        return self


class Aeroshell(_Strict):
    mass_kg: Quantity  # whole vehicle at entry
    diameter_m: Quantity
    nose_radius_m: Quantity
    cd_mach: CdTable
    lift_to_drag: Quantity | None = None
    bank_deg: Quantity | None = None
    g_limit: Quantity | None = None  # structural limit, Earth g: above it the lander breaks up
    heat_load_limit_j_cm2: Quantity | None = None  # stagnation heat load the shield survives


class Capsule(_Strict):
    cda_m2: Quantity  # drag area of what flies on once the aeroshell is dropped
    survival_speed_m_s: Quantity  # touchdown speed the lander survives


class Chute(_Strict):
    trigger: Trigger
    cda_m2: Quantity
    inflation_s: Quantity
    diameter_m: Quantity | None = None
    max_mach: Quantity | None = None  # deployed faster than this, the canopy fails
    max_dynamic_pressure_pa: Quantity | None = None  # deployed above this q, the canopy fails


class Jettison(_Strict):
    trigger: Trigger
    mass_kg: Quantity  # mass that leaves


class Retro(_Strict):
    mode: Literal["fixed", "guided"]
    trigger: Trigger
    thrust_n: Quantity  # fixed: thrust; guided: maximum thrust
    isp_s: Quantity
    burn_time_s: Quantity  # fixed: burn duration; guided: longest burn
    propellant_kg: Quantity
    release_chute: bool
    release_mass_kg: Quantity | None = None  # leaves with the chute (e.g. a backshell)
    thrust_min_n: Quantity | None = None  # guided only
    target_speed_m_s: Quantity | None = None  # guided only: speed held near the ground
    braking_fraction: Quantity | None = None  # guided only: share of net deceleration used

    @model_validator(mode="after")
    def _guided(self):
        if self.mode == "guided" and (self.thrust_min_n is None or self.target_speed_m_s is None):
            raise ValueError("a guided retro needs thrust_min_n and target_speed_m_s")
        return self


class Vehicle(_Strict):
    id: str
    name: str
    description: str
    sources: dict[str, str]
    aeroshell: Aeroshell
    capsule: Capsule
    pilot_chute: Chute | None = None
    main_chute: Chute | None = None
    jettison: Jettison | None = None
    retro: Retro | None = None

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
