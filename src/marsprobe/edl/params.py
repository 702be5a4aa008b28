"""Per-trajectory parameter arrays: the layout the compiled integrator reads.

A batch is a float64 array of shape (N, NPARAM); column ``PARAM_INDEX[name]`` holds one
parameter for every trajectory, so a dispersion is just a different column. Names (units in the
name; every one of them may be dispersed through ``fly(..., dispersions={name: array})``):

``mass_kg`` entry mass; ``area_m2`` aeroshell reference area; ``cd_scale`` multiplier on the
Cd(Mach) curve; ``lift_to_drag``; ``bank_deg``; ``nose_radius_m``; ``density_scale`` and
``density_scale_growth_per_km`` (see ``atmosphere.density_multiplier``); ``wind_east_m_s``,
``wind_north_m_s`` (constant with height, added to the atmosphere's own wind profile);
``ground_altitude_m`` (terrain height above the ellipsoid, which the radar altimeter measures
from); ``survival_speed_m_s``;
``capsule_cda_m2``; ``marker_altitude_m`` (record the state when descending through this
altitude above the ellipsoid; NaN for none).

Per stage (``pilot_chute``, ``main_chute``, ``jettison``, ``retro``): ``<stage>_present``
(0/1, from the vehicle), ``<stage>_enabled`` (0/1: a fault hook, 0 = the command is issued but
the hardware does not act), ``<stage>_trigger_type`` (code, see ``TRIGGER_CODES``),
``<stage>_trigger_value``, ``<stage>_delay_s`` (extra delay: a late deployment).

Stage details: ``pilot_chute_cda_m2``, ``pilot_chute_inflation_s``, ``main_chute_cda_m2``,
``main_chute_inflation_s``, ``jettison_mass_kg``, ``retro_mode`` (0 fixed, 1 guided),
``retro_thrust_n``, ``retro_thrust_min_n``, ``retro_isp_s``, ``retro_burn_time_s``,
``retro_burn_fraction`` (fault hook: 0.3 = cut off after 30 % of the burn),
``retro_release_chute`` (0/1),
``retro_release_mass_kg``, ``retro_target_speed_m_s``, ``retro_braking_fraction`` (guided:
the share of the engines' net deceleration at which braking starts), ``retro_propellant_kg``.

Limits (infinite where the vehicle file gives none): ``<chute>_max_mach`` and
``<chute>_max_q_pa`` (a canopy deployed beyond them fails and adds no drag); ``g_limit``
(Earth g) and ``heat_load_limit_j_cm2`` (integrated stagnation heating): a flight that
exceeds either is lost (outcomes ``broke_up``, ``burned_through``) whatever its touchdown.
"""

from __future__ import annotations

import math

import numpy as np

from marsprobe.edl.vehicle import TRIGGER_TYPES, Vehicle, load_vehicle
from marsprobe.errors import InputError

TRIGGER_CODES = {name: i for i, name in enumerate(TRIGGER_TYPES)}
STAGES = ("pilot_chute", "main_chute", "jettison", "retro")
STAGE_FIELDS = ("present", "enabled", "trigger_type", "trigger_value", "delay_s")

_BODY = (
    "mass_kg",
    "area_m2",
    "cd_scale",
    "lift_to_drag",
    "bank_deg",
    "nose_radius_m",
    "density_scale",
    "density_scale_growth_per_km",
    "wind_east_m_s",
    "wind_north_m_s",
    "ground_altitude_m",
    "survival_speed_m_s",
    "capsule_cda_m2",
    "marker_altitude_m",
)
_DETAILS = (
    "pilot_chute_cda_m2",
    "pilot_chute_inflation_s",
    "main_chute_cda_m2",
    "main_chute_inflation_s",
    "jettison_mass_kg",
    "retro_mode",
    "retro_thrust_n",
    "retro_thrust_min_n",
    "retro_isp_s",
    "retro_burn_time_s",
    "retro_burn_fraction",
    "retro_release_chute",
    "retro_release_mass_kg",
    "retro_target_speed_m_s",
    "retro_braking_fraction",
    "retro_propellant_kg",
    "pilot_chute_max_mach",
    "pilot_chute_max_q_pa",
    "main_chute_max_mach",
    "main_chute_max_q_pa",
    "g_limit",
    "heat_load_limit_j_cm2",
)
PARAM_NAMES = (
    *_BODY,
    *(f"{s}_{f}" for s in STAGES for f in STAGE_FIELDS),
    *_DETAILS,
)
PARAM_INDEX = {name: i for i, name in enumerate(PARAM_NAMES)}
NPARAM = len(PARAM_NAMES)
STAGE_BASE = len(_BODY)  # column of pilot_chute_present; stage s starts at STAGE_BASE + 5 s


def nominal_parameters(vehicle: Vehicle) -> dict[str, float]:
    """The vehicle's nominal value of every parameter."""
    a = vehicle.aeroshell
    p = dict.fromkeys(PARAM_NAMES, 0.0)
    p.update(
        mass_kg=a.mass_kg.value,
        area_m2=math.pi * (a.diameter_m.value / 2) ** 2,
        cd_scale=1.0,
        lift_to_drag=a.lift_to_drag.value if a.lift_to_drag else 0.0,
        bank_deg=a.bank_deg.value if a.bank_deg else 0.0,
        nose_radius_m=a.nose_radius_m.value,
        density_scale=1.0,
        survival_speed_m_s=vehicle.capsule.survival_speed_m_s.value,
        capsule_cda_m2=vehicle.capsule.cda_m2.value,
        marker_altitude_m=math.nan,
        retro_burn_fraction=1.0,
        g_limit=a.g_limit.value if a.g_limit else math.inf,
        heat_load_limit_j_cm2=(
            a.heat_load_limit_j_cm2.value if a.heat_load_limit_j_cm2 else math.inf
        ),
    )
    for stage in STAGES:
        spec = getattr(vehicle, stage)
        if spec is None:
            continue
        p[f"{stage}_present"] = 1.0
        p[f"{stage}_enabled"] = 1.0
        p[f"{stage}_trigger_type"] = float(TRIGGER_CODES[spec.trigger.type])
        p[f"{stage}_trigger_value"] = spec.trigger.value
        p[f"{stage}_delay_s"] = spec.trigger.delay_s
    for chute in ("pilot_chute", "main_chute"):
        spec = getattr(vehicle, chute)
        if spec is not None:
            p[f"{chute}_cda_m2"] = spec.cda_m2.value
            p[f"{chute}_inflation_s"] = spec.inflation_s.value
        limits = (spec.max_mach, spec.max_dynamic_pressure_pa) if spec else (None, None)
        p[f"{chute}_max_mach"] = limits[0].value if limits[0] else math.inf
        p[f"{chute}_max_q_pa"] = limits[1].value if limits[1] else math.inf
    if vehicle.jettison is not None:
        p["jettison_mass_kg"] = vehicle.jettison.mass_kg.value
    r = vehicle.retro
    if r is not None:
        p.update(
            retro_mode=0.0 if r.mode == "fixed" else 1.0,
            retro_thrust_n=r.thrust_n.value,
            retro_thrust_min_n=r.thrust_min_n.value if r.thrust_min_n else 0.0,
            retro_isp_s=r.isp_s.value,
            retro_burn_time_s=r.burn_time_s.value,
            retro_release_chute=1.0 if r.release_chute else 0.0,
            retro_release_mass_kg=r.release_mass_kg.value if r.release_mass_kg else 0.0,
            retro_target_speed_m_s=r.target_speed_m_s.value if r.target_speed_m_s else 0.0,
            retro_braking_fraction=r.braking_fraction.value if r.braking_fraction else 1.0,
            retro_propellant_kg=r.propellant_kg.value,
        )
    return p


def parameter_array(vehicle, n: int, dispersions=None) -> np.ndarray:
    """(n, NPARAM) array: the vehicle's nominal values, overridden by ``dispersions``.

    ``dispersions`` maps parameter names to scalars or arrays of shape (n,). Trigger types may
    be given by name (``{"main_chute_trigger_type": "altitude"}``).
    """
    vehicle = load_vehicle(vehicle)
    nominal = nominal_parameters(vehicle)
    out = np.empty((n, NPARAM))
    out[:] = np.array([nominal[k] for k in PARAM_NAMES])
    for name, value in (dispersions or {}).items():
        if name not in PARAM_INDEX:
            raise InputError(f"unknown dispersion {name!r}: accepted are {', '.join(PARAM_NAMES)}")
        if name.endswith("_trigger_type") and isinstance(value, str):
            if value not in TRIGGER_CODES:
                raise InputError(
                    f"{name}: unknown trigger type {value!r}: accepted are "
                    f"{', '.join(TRIGGER_TYPES)}"
                )
            value = TRIGGER_CODES[value]
        arr = np.asarray(value, dtype=float)
        if arr.ndim > 1 or (arr.ndim == 1 and arr.shape[0] != n):
            raise InputError(f"{name}: expected a scalar or an array of shape ({n},)")
        out[:, PARAM_INDEX[name]] = arr
    return out


def sample_dispersions(vehicle, n: int, rng: np.random.Generator, atmosphere=None) -> dict:
    """Draw one dispersed case per row from the vehicle's sigmas (and the atmosphere's).

    Normal draws around the nominal value for every number with a ``sigma``; the Cd curve's
    sigma scales ``cd_scale``. With ``atmosphere`` (a model id) the density scale, its growth
    and the two wind components are drawn too. Returns {parameter name: array (n,)}.
    """
    from marsprobe.edl.atmosphere import dispersion

    vehicle = load_vehicle(vehicle)
    a = vehicle.aeroshell
    out = {}

    def normal(name, q, nominal):
        if q is not None and q.sigma:
            out[name] = nominal + q.sigma * rng.standard_normal(n)

    normal("mass_kg", a.mass_kg, a.mass_kg.value)
    if a.cd_mach.sigma:
        out["cd_scale"] = 1.0 + a.cd_mach.sigma * rng.standard_normal(n)
    normal("lift_to_drag", a.lift_to_drag, a.lift_to_drag.value if a.lift_to_drag else 0.0)
    normal("bank_deg", a.bank_deg, a.bank_deg.value if a.bank_deg else 0.0)
    normal("capsule_cda_m2", vehicle.capsule.cda_m2, vehicle.capsule.cda_m2.value)
    for stage in STAGES:
        spec = getattr(vehicle, stage)
        if spec is None:
            continue
        normal(f"{stage}_trigger_value", spec.trigger, spec.trigger.value)
    for chute in ("pilot_chute", "main_chute"):
        spec = getattr(vehicle, chute)
        if spec is not None:
            normal(f"{chute}_cda_m2", spec.cda_m2, spec.cda_m2.value)
            normal(f"{chute}_inflation_s", spec.inflation_s, spec.inflation_s.value)
    if vehicle.retro is not None:
        normal("retro_thrust_n", vehicle.retro.thrust_n, vehicle.retro.thrust_n.value)
    if atmosphere is not None:
        d = dispersion(atmosphere)
        z = rng.standard_normal(n)
        out["density_scale"] = np.exp(d.density_sigma * z)
        out["density_scale_growth_per_km"] = d.density_sigma_growth_per_km * z
        out["wind_east_m_s"] = d.wind_sigma_m_s * rng.standard_normal(n)
        out["wind_north_m_s"] = d.wind_sigma_m_s * rng.standard_normal(n)
    for key in ("mass_kg", "cd_scale", "capsule_cda_m2", "retro_thrust_n"):
        if key in out:  # a physical quantity stays positive whatever the draw
            out[key] = np.maximum(out[key], 1e-3)
    return out
