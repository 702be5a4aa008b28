"""What each parameter of the EDL kernel means, in words, for the file-format reference.

The names are those of :mod:`marsprobe.edl.params` (the unit is in each name's suffix where it
has one; the sentences say it where it has none). A flight file sets them in ``[flight.edl]``
or ``[flight.edl.set]``, a fault as ``"edl.NAME"``, a sweep or a campaign scenario as
``edl.NAME``. Their nominal values come from the vehicle file, or are the defaults stated
here. ``tests/test_formats_reference.py`` checks that every parameter has a sentence.
"""

from __future__ import annotations

# one sentence per stage field; {stage} is pilot_chute, main_chute, jettison or retro
STAGE_FIELD_MEANING = {
    "present": "1 where the vehicle file has this stage, else 0 (set from the file).",
    "enabled": "Fault input: 0, the command is issued but the hardware does not act (default 1).",
    "trigger_type": "What fires the stage, as a code: 0 mach, 1 dynamic_pressure, 2 g_load, "
    "3 timer, 4 altitude (a name is accepted too).",
    "trigger_value": "The trigger's threshold, in its type's unit (Mach, Pa, Earth g, s, m).",
    "delay_s": "Extra delay after the condition is met (a late deployment), s.",
}

MEANING = {
    "mass_kg": "Entry mass (the aeroshell's mass_kg), kg.",
    "area_m2": "Aeroshell reference area, from its diameter, m^2.",
    "cd_scale": "Multiplier on the whole Cd(Mach) curve (dimensionless; nominal 1).",
    "lift_to_drag": "Lift-to-drag ratio (dimensionless; 0: ballistic).",
    "bank_deg": "Bank angle of the lift vector, deg.",
    "nose_radius_m": "Nose radius, for the stagnation heating, m.",
    "density_scale": "Multiplier on the atmosphere's density at zero altitude (dimensionless; "
    "nominal 1).",
    "density_scale_growth_per_km": "Growth of that multiplier's logarithm with height, 1/km "
    "(see marsprobe.edl.atmosphere.density_multiplier).",
    "wind_east_m_s": "Constant wind toward the east, added to the atmosphere's own, m/s.",
    "wind_north_m_s": "Constant wind toward the north, added to the atmosphere's own, m/s.",
    "ground_altitude_m": "Terrain height above the ellipsoid, which the radar altimeter "
    "measures from (set from the flight's site), m.",
    "survival_speed_m_s": "Touchdown speed the lander survives, m/s.",
    "capsule_cda_m2": "Drag area of the capsule once the aeroshell is dropped, m^2.",
    "marker_altitude_m": "Record the state when descending through this height above the "
    "ellipsoid (NaN: none), m.",
    "pilot_chute_cda_m2": "Drag area of the open pilot chute, m^2.",
    "pilot_chute_inflation_s": "Time for the pilot chute to open fully, s.",
    "main_chute_cda_m2": "Drag area of the open main chute, m^2.",
    "main_chute_inflation_s": "Time for the main chute to open fully, s.",
    "jettison_mass_kg": "Mass dropped at the jettison, kg.",
    "retro_mode": "0 a fixed burn, 1 guided (throttled to hold a speed near the ground).",
    "retro_thrust_n": "Retro-rocket thrust (guided: the maximum), N.",
    "retro_thrust_min_n": "Guided retro: the lowest thrust, N.",
    "retro_isp_s": "Retro-rocket specific impulse, s.",
    "retro_burn_time_s": "Retro burn duration (guided: the longest burn), s.",
    "retro_burn_fraction": "Fault input: the burn is cut off after this share of it "
    "(dimensionless; nominal 1).",
    "retro_release_chute": "1: the parachute is cut away at retro ignition, else 0.",
    "retro_release_mass_kg": "Mass that leaves with the chute (a backshell), kg.",
    "retro_target_speed_m_s": "Guided retro: descent speed held near the ground, m/s.",
    "retro_braking_fraction": "Guided retro: share of the engines' net deceleration at which "
    "braking starts (dimensionless).",
    "retro_propellant_kg": "Retro-rocket propellant, kg.",
    "pilot_chute_max_mach": "Deployed faster than this Mach number, the pilot chute fails "
    "(inf: no limit).",
    "pilot_chute_max_q_pa": "Deployed above this dynamic pressure, the pilot chute fails, Pa.",
    "main_chute_max_mach": "Deployed faster than this Mach number, the main chute fails "
    "(inf: no limit).",
    "main_chute_max_q_pa": "Deployed above this dynamic pressure, the main chute fails, Pa.",
    "g_limit": "Structural limit: a flight above it breaks up, Earth g (inf: no limit).",
    "heat_load_limit_j_cm2": "Stagnation heat load the shield survives; above it the flight "
    "burns through, J/cm^2 (inf: no limit).",
}


def meaning(name: str) -> str:
    """The sentence for a kernel parameter, or '' where none is written."""
    if name in MEANING:
        return MEANING[name]
    from marsprobe.edl.params import STAGE_FIELDS, STAGES

    for stage in STAGES:
        for field in STAGE_FIELDS:
            if name == f"{stage}_{field}":
                return f"{stage}: {STAGE_FIELD_MEANING[field]}"
    return ""
