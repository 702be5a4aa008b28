"""Slot numbers of the EDL kernel's arrays: parameters, events, touchdown, history, modes.

The compiled integrator (:mod:`marsprobe.edl.kernel`, equations in :mod:`marsprobe.edl.eom`)
works on flat float arrays; these names say which column holds what. Parameter columns come
from :mod:`marsprobe.edl.params`, so they are compile-time constants for numba.
"""

from __future__ import annotations

import math

from marsprobe.edl.params import PARAM_INDEX as _I
from marsprobe.errors import InputError

# event slots
EVENT_NAMES = (
    "entry",
    "peak_deceleration",
    "peak_heating",
    "pilot_chute",
    "main_chute",
    "jettison",
    "retro_ignition",
    "retro_cutoff",
    "touchdown",
    "marker",
)
(
    EV_ENTRY,
    EV_PEAK_G,
    EV_PEAK_Q,
    EV_PILOT,
    EV_MAIN,
    EV_JETT,
    EV_RETRO,
    EV_RETRO_OFF,
    EV_TD,
    EV_MARK,
) = range(10)
NEV = 10
EVENT_FIELDS = (
    "t_s",
    "altitude_m",
    "speed_m_s",
    "mach",
    "dynamic_pressure_pa",
    "g_load",
    "height_above_ground_m",
)
NEF = len(EVENT_FIELDS)
TOUCHDOWN_FIELDS = (
    "t_s",
    "speed_m_s",
    "vertical_speed_m_s",
    "horizontal_speed_m_s",
    "lat_deg",
    "lon_deg",
    "mass_kg",
    "peak_g_load",
    "peak_heat_flux_w_m2",
    "heat_load_j_cm2",
    "chute_opening_g_load",
    "peak_radiative_heat_flux_w_m2",
    "radiative_heat_load_j_cm2",
)
NTD = len(TOUCHDOWN_FIELDS)  # a field added to the kernel's record is counted here
HISTORY_FIELDS = (
    "t_s",
    "altitude_m",
    "speed_m_s",
    "mach",
    "dynamic_pressure_pa",
    "g_load",
    "phase",
)
NHIST = 7
OUTCOMES = ("landed", "crashed", "skipped_out", "timeout", "broke_up", "burned_through")
PHASES = ("hypersonic", "pilot_chute", "main_chute", "terminal", "landed")

# parameter columns (compile-time constants for numba)
P_MASS = _I["mass_kg"]
P_AREA = _I["area_m2"]
P_CD_SCALE = _I["cd_scale"]
P_LD = _I["lift_to_drag"]
P_BANK = _I["bank_deg"]
P_RNOSE = _I["nose_radius_m"]
P_DSCALE = _I["density_scale"]
P_DGROW = _I["density_scale_growth_per_km"]
P_WIND_E = _I["wind_east_m_s"]
P_WIND_N = _I["wind_north_m_s"]
P_GROUND = _I["ground_altitude_m"]
P_SURVIVE = _I["survival_speed_m_s"]
P_CAPS_CDA = _I["capsule_cda_m2"]
P_MARKER = _I["marker_altitude_m"]
P_STAGE0 = _I["pilot_chute_present"]
P_PILOT_CDA = _I["pilot_chute_cda_m2"]
P_PILOT_INFL = _I["pilot_chute_inflation_s"]
P_MAIN_CDA = _I["main_chute_cda_m2"]
P_MAIN_INFL = _I["main_chute_inflation_s"]
P_JETT_MASS = _I["jettison_mass_kg"]
P_R_MODE = _I["retro_mode"]
P_R_THRUST = _I["retro_thrust_n"]
P_R_TMIN = _I["retro_thrust_min_n"]
P_R_ISP = _I["retro_isp_s"]
P_R_BURN = _I["retro_burn_time_s"]
P_R_FRAC = _I["retro_burn_fraction"]
P_R_RELEASE = _I["retro_release_chute"]
P_R_RELMASS = _I["retro_release_mass_kg"]
P_R_VT = _I["retro_target_speed_m_s"]
P_R_BRAKE = _I["retro_braking_fraction"]
P_R_PROP = _I["retro_propellant_kg"]
P_PILOT_MAXM = _I["pilot_chute_max_mach"]
P_PILOT_MAXQ = _I["pilot_chute_max_q_pa"]
P_MAIN_MAXM = _I["main_chute_max_mach"]
P_MAIN_MAXQ = _I["main_chute_max_q_pa"]
P_G_LIMIT = _I["g_limit"]
P_HEAT_LIMIT = _I["heat_load_limit_j_cm2"]

# guided descent reaches its target speed this high and holds it to the ground (chosen: the
# Viking terminal descent ended in a constant-speed segment of this order)
GUIDED_HOLD_HEIGHT_M = 15.0
# below this speed the deceleration time scale |v|/|a| stops being the one that matters (a
# parachute or an engine then balances gravity): the step rule uses this speed instead
V_FLOOR_M_S = 200.0

# trigger codes (params.TRIGGER_CODES)
TR_MACH, TR_Q, TR_G, TR_TIMER, TR_ALT = 0, 1, 2, 3, 4

# A stage's trigger in the flight computer's vocabulary (kind, sensor or reference event; see
# marsprobe.sequence.commands) -> the kernel's trigger code and the unit of its value. A timer
# counts from the entry interface for the first stage, from the stage before for the rest.
STAGE_TRIGGERS: dict[tuple[str, str], tuple[int, str]] = {
    ("sensor", "mach"): (TR_MACH, "Mach"),
    ("sensor", "dynamic_pressure"): (TR_Q, "Pa"),
    ("sensor", "g_load"): (TR_G, "g"),
    ("sensor", "radar_altitude"): (TR_ALT, "m"),
    ("timer", "entry_interface"): (TR_TIMER, "s"),
    ("timer", "previous_stage"): (TR_TIMER, "s"),
}
# other units a stage's threshold may be written in: factor to the kernel's unit
UNIT_FACTORS: dict[tuple[str, str], float] = {
    ("km", "m"): 1e3,
    ("kPa", "Pa"): 1e3,
    ("min", "s"): 60.0,
}


def stage_parameters(
    stage: str,
    kind: str,
    reference: str,
    value: float,
    unit: str,
    delay_s: float,
    enabled: bool,
    first: bool,
) -> dict[str, float]:
    """The kernel's columns of one stage (``pilot_chute``, ``main_chute``, ``jettison``,
    ``retro``) from its command: the trigger's kind and sensor or reference event, its value
    and unit, the delay after the condition, s, and whether the hardware acts. ``first``: the
    first stage the vehicle has (its timer counts from the entry interface). Converted once,
    before the batch flies, so the compiled kernel reads its numeric arrays unchanged."""
    code_unit = STAGE_TRIGGERS.get((kind, reference))
    if code_unit is None:
        raise InputError(f"{stage}: the EDL kernel cannot fire a stage on {kind} {reference}")
    code, kernel_unit = code_unit
    if kind == "timer" and (reference == "entry_interface") != first:
        want = "the entry interface" if first else "the previous stage"
        raise InputError(f"{stage}: a stage's timer counts from {want}")
    if unit != kernel_unit:
        factor = UNIT_FACTORS.get((unit, kernel_unit))
        if factor is None:
            raise InputError(f"{stage}: a {reference} threshold in {unit!r}: give {kernel_unit}")
        value = value * factor
    if not math.isfinite(delay_s) or delay_s < 0:
        raise InputError(f"{stage}: the delay after the trigger must be a finite time >= 0 s")
    return {
        f"{stage}_trigger_type": float(code),
        f"{stage}_trigger_value": float(value),
        f"{stage}_delay_s": float(delay_s),
        f"{stage}_enabled": 1.0 if enabled else 0.0,
    }


# mode-state slots (per trajectory)
(
    M_T_PILOT,
    M_T_MAIN,
    M_JETT,
    M_T_RETRO,
    M_T_RETRO_OFF,
    M_CHUTE_GONE,
    M_RETRO_ON,
    M_M_CUT,
    M_ENGAGED,
    M_PILOT_TORN,
    M_MAIN_TORN,
) = range(11)
NMODE = 11

# auxiliary quantities written by _accel (A_HEAT: convective plus radiative stagnation flux;
# A_HEAT_RAD: its radiative part)
A_H, A_HR, A_SPEED, A_VAIR, A_MACH, A_Q, A_G, A_HEAT, A_VUP, A_HEAT_RAD = range(10)
NAUX = 10
