"""EDL Monte Carlo: a mission's descent flown many times over dispersed inputs.

The model behind ``marsprobe edl SLUG --runs N``. Its dispersible fields are the entry state
(``entry.fpa_deg`` ...), every kernel parameter of :mod:`marsprobe.edl.params`
(``edl.main_chute_cda_m2`` ...) and one standard normal ``atmosphere.density_z`` from which the
density scale and its growth with height are derived together (the kernel's dispersion model
makes them fully correlated: see :func:`marsprobe.edl.atmosphere.density_multiplier`).

:func:`edl_scenario` writes the campaign scenario of a mission from its data, so that what is
dispersed and by how much is visible and editable as a TOML file: the vehicle file's 1-sigma
figures, the atmosphere model's dispersion, and the navigation delivery errors of the flight
file.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from marsprobe.analysis.montecarlo import ChunkInfo, register_model

ENTRY_FIELDS = ("altitude_m", "speed_m_s", "fpa_deg", "heading_deg", "lat_deg", "lon_deg")
EVENTS_REPORTED = ("peak_deceleration", "pilot_chute", "main_chute", "retro_ignition", "touchdown")


def edl_batch(
    draws: dict[str, np.ndarray], info: ChunkInfo, vehicle: str, atmosphere: str
) -> dict[str, np.ndarray]:
    """Fly one chunk of dispersed descents; outputs one value per sample."""
    from marsprobe.edl import EntryState, fly
    from marsprobe.edl.atmosphere import dispersion

    entry = EntryState(**{name: draws[f"entry.{name}"] for name in ENTRY_FIELDS})
    params = {k.removeprefix("edl."): v for k, v in draws.items() if k.startswith("edl.")}
    spread = dispersion(atmosphere)
    z = draws["atmosphere.density_z"]
    params["density_scale"] = np.exp(spread.density_sigma * z)
    params["density_scale_growth_per_km"] = spread.density_sigma_growth_per_km * z
    result = fly(entry, vehicle, atmosphere=atmosphere, dispersions=params)
    out = {
        "landed": result.survived,
        "reached_surface": np.isfinite(result.td("t_s")),
        "touchdown_speed_m_s": result.td("speed_m_s"),
        "touchdown_t_s": result.td("t_s"),
        "landing_lat_deg": result.td("lat_deg"),
        "landing_lon_deg": result.td("lon_deg"),
        "peak_g_load": result.td("peak_g_load"),
    }
    for name in EVENTS_REPORTED[:-1]:
        out[f"{name}_t_s"] = result.event(name, "t_s")
    out["main_chute_mach"] = result.event("main_chute", "mach")
    out["main_chute_altitude_m"] = result.event("main_chute", "altitude_m")
    return out


def edl_model_name(vehicle: str, atmosphere: str) -> str:
    return f"edl:{vehicle}:{atmosphere}"


def register_edl_model(vehicle: str, atmosphere: str, base_entry: dict[str, float]) -> str:
    """Register the EDL model of one vehicle in one atmosphere; returns its name."""
    from marsprobe.edl.params import PARAM_NAMES, nominal_parameters
    from marsprobe.edl.vehicle import load_vehicle

    nominal = nominal_parameters(load_vehicle(vehicle))
    base: dict[str, float] = {f"entry.{k}": float(v) for k, v in base_entry.items()}
    base.update({f"edl.{k}": float(nominal[k]) for k in PARAM_NAMES})
    base["atmosphere.density_z"] = 0.0
    # density_scale and its growth come from density_z, never from a draw of their own
    for derived in ("density_scale", "density_scale_growth_per_km"):
        base.pop(f"edl.{derived}")
    name = edl_model_name(vehicle, atmosphere)
    fn = functools.partial(edl_batch, vehicle=vehicle, atmosphere=atmosphere)
    register_model(name, fn, sorted(base), base)
    return name


def vehicle_dispersions(vehicle_id: str) -> dict[str, dict[str, Any]]:
    """Normal dispersions of every vehicle figure that carries a 1-sigma in its data file."""
    from marsprobe.edl.vehicle import load_vehicle

    vehicle = load_vehicle(vehicle_id)
    a = vehicle.aeroshell
    out: dict[str, dict[str, Any]] = {}

    def normal(field: str, quantity) -> None:
        if quantity is not None and quantity.sigma:
            out[f"edl.{field}"] = {"dist": "normal", "mean": quantity.value, "sd": quantity.sigma}

    normal("mass_kg", a.mass_kg)
    if a.cd_mach.sigma:
        out["edl.cd_scale"] = {"dist": "normal", "mean": 1.0, "sd": a.cd_mach.sigma}
    normal("lift_to_drag", a.lift_to_drag)
    normal("bank_deg", a.bank_deg)
    normal("capsule_cda_m2", vehicle.capsule.cda_m2)
    for stage in ("pilot_chute", "main_chute", "jettison", "retro"):
        spec = getattr(vehicle, stage)
        if spec is not None:
            normal(f"{stage}_trigger_value", spec.trigger)
    for chute in ("pilot_chute", "main_chute"):
        spec = getattr(vehicle, chute)
        if spec is not None:
            normal(f"{chute}_cda_m2", spec.cda_m2)
            normal(f"{chute}_inflation_s", spec.inflation_s)
    if vehicle.retro is not None:
        normal("retro_thrust_n", vehicle.retro.thrust_n)
    return out


def edl_scenario(
    *,
    vehicle: str,
    atmosphere: str,
    entry: dict[str, float],
    delivery: dict[str, float],
    fixed: dict[str, float],
    runs: int,
    seed: int,
    chunk_size: int = 1000,
    description: str = "",
) -> dict[str, Any]:
    """The campaign scenario (as TOML-shaped data) of one descent module's Monte Carlo.

    ``entry``: the nominal entry state (``ENTRY_FIELDS`` keys); ``delivery``: 1-sigma errors
    ``fpa_sd_deg``, ``speed_sd_m_s``, ``heading_sd_deg``, ``lat_sd_deg``, ``lon_sd_deg``;
    ``fixed``: kernel parameters set away from the vehicle's nominal (faults).
    """
    from marsprobe.edl.atmosphere import dispersion

    spread = dispersion(atmosphere)
    dispersions: dict[str, dict[str, Any]] = vehicle_dispersions(vehicle)
    dispersions["atmosphere.density_z"] = {"dist": "normal", "mean": 0.0, "sd": 1.0}
    if spread.wind_sigma_m_s > 0:
        for axis in ("east", "north"):
            dispersions[f"edl.wind_{axis}_m_s"] = {
                "dist": "normal",
                "mean": 0.0,
                "sd": spread.wind_sigma_m_s,
            }
    for key, sd_key in (
        ("fpa_deg", "fpa_sd_deg"),
        ("speed_m_s", "speed_sd_m_s"),
        ("heading_deg", "heading_sd_deg"),
        ("lat_deg", "lat_sd_deg"),
        ("lon_deg", "lon_sd_deg"),
    ):
        sd = float(delivery.get(sd_key, 0.0))
        if sd > 0:
            dispersions[f"entry.{key}"] = {"dist": "normal", "mean": entry[key], "sd": sd}
    fixed_fields = {f"edl.{k}": float(v) for k, v in fixed.items()}
    for name in fixed_fields:
        dispersions.pop(name, None)  # a fault that fixes a figure overrides its dispersion
    return {
        "campaign": {
            "model": edl_model_name(vehicle, atmosphere),
            "runs": runs,
            "seed": seed,
            "chunk_size": chunk_size,
            "description": description,
        },
        "fixed": fixed_fields,
        "dispersions": dispersions,
    }


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(float(value)) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def scenario_toml(data: dict[str, Any]) -> str:
    """The campaign scenario as a TOML file a user can edit and pass back with --scenario."""
    lines = ["# A Monte Carlo scenario of marsprobe (see marsprobe.analysis.dispersions).", ""]
    lines.append("[campaign]")
    lines += [f"{k} = {_toml_value(v)}" for k, v in data["campaign"].items()]
    if data.get("fixed"):
        lines += ["", "[fixed]"]
        lines += [f'"{k}" = {_toml_value(v)}' for k, v in data["fixed"].items()]
    for field, spec in data.get("dispersions", {}).items():
        lines += ["", f'[dispersions."{field}"]']
        lines += [f"{k} = {_toml_value(v)}" for k, v in spec.items()]
    for group in data.get("correlated", []):
        lines += ["", "[[correlated]]"]
        lines += [f"{k} = {_toml_value(v)}" for k, v in group.items()]
    return "\n".join(lines) + "\n"
