"""Design of the escape, computed before flight: the timer, the held attitude, the targets.

What a trajectory office loaded into an escape stage before launch: the coast in the parking
orbit (the timer), the inertial attitude the gyro platform holds through the burn, and the
launch targets (the C3 at which the engine is cut and the direction of the outgoing
asymptote, its right ascension and declination). :func:`design` computes them for one
catalog mission (its file's ``[flight.launch]`` and ``[flight.escape]``, read as the replay
reads them), flying the same models as the replay: the nominal ascent with the stored
guidance, the J2 coast, the finite burn.

1. The first target is the Lambert arc from the Earth's centre at ignition to Mars at the
   design arrival date (:func:`marsprobe.mission.departure.target_v_inf`); without a cruise
   aim point it stays the target, taken again at the designed ignition epoch.
2. :func:`marsprobe.ascent.escape.aim_burn` finds the coast and the two attitude angles
   that put the asymptote on it for the least propellant, within the stage's propellant
   less a reserve (:data:`RESERVE`); what it cannot pay for is left as a residual, and the
   table's note says how much of the turn out of the parking plane the reserve bought.
3. The patched conic is not the flight: from the end of the burn the cruise's own
   correction (:func:`marsprobe.mission.cruise.correction`, the n-body flight to the design
   aim point in Mars' B-plane of the mission's ``[flight.cruise]``) says what velocity the
   craft needed there; the excess velocity of that state is the next target. Two or three
   rounds settle it (the target moves by a few m/s after the first), as a design office
   iterated its precision trajectory after the conic one.

The timer is rounded to 0.1 s and the attitude solved again for the rounded timer. A timer
taken from the record (an escape table whose sources name no ``marsprobe`` design, Cosmos
419's 1.5 h) is kept: only the attitude is solved then.

Computed values are marked by a source id ``marsprobe`` in the escape table's ``src`` and a
sentence in its ``note`` that starts with :data:`NOTE_MARK`. Run

    marsprobe design escape [--write] SLUG... | all    (1 to 12 s a mission)

after the guidance (:mod:`marsprobe.analysis.guidance_design`), a parking orbit or a cruise
aim changes; ``--write`` stores the values and the note in the mission file's
``[flight.escape]`` (:func:`marsprobe.analysis.guidance_design.set_keys`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from marsprobe.analysis.guidance_design import (
    launch_inputs,
    mission_slugs,
    toml_string,
    write_table,
)
from marsprobe.ascent.escape import (
    aim_angles,
    aim_burn,
    angle_deg,
    attitude,
    coast,
    escape_burn,
    hyperbola,
)
from marsprobe.ascent.library import load_vehicle
from marsprobe.ascent.tuning import icrf_from_ascent
from marsprobe.constants import GM_EARTH
from marsprobe.errors import ConvergenceError, InputError
from marsprobe.mission.departure import EscapeParams, spacecraft_engine, target_v_inf
from marsprobe.mission.launch import nominal_launch

RESERVE = 0.005
"""Propellant the design leaves unburnt, as a fraction of the escape stage's (or, where the
spacecraft finishes the escape, of the spacecraft's) load: a flight performance reserve
against thrust, specific impulse and mass dispersions. Chosen: no figure for these stages
was found; half a per cent of a Block D's 12 t is 60 kg, about 30 m/s."""


@dataclass
class Design:
    """The design values of one escape and what they give in the design's own flight."""

    slug: str
    timer_s: float
    thrust_ra_deg: float
    thrust_dec_deg: float
    aim_c3_km2_s2: float
    aim_ra_deg: float
    aim_dec_deg: float
    residual_deg: float  # angle left between the designed asymptote and the aim
    share: float  # of the turn out of the cheapest direction that the budget bought
    yaw_deg: float  # held attitude out of the parking plane at ignition
    margin_kg: float  # propellant the design leaves (the reserve included)
    lambert_miss_deg: float  # the aim's angle from the Lambert asymptote
    timer_kept: bool
    refined: bool  # the aim is the n-body flight's (False: the Lambert arc's)

    def values(self) -> dict[str, str]:
        """The ``[flight.escape]`` values that store it, as TOML text."""
        return {
            "timer_s": f"{self.timer_s:.1f}",
            "thrust_ra_deg": f"{self.thrust_ra_deg:.5f}",
            "thrust_dec_deg": f"{self.thrust_dec_deg:.5f}",
            "aim_c3_km2_s2": f"{self.aim_c3_km2_s2:.5f}",
            "aim_ra_deg": f"{self.aim_ra_deg:.5f}",
            "aim_dec_deg": f"{self.aim_dec_deg:.5f}",
        }


def _ra_dec(vec) -> tuple[float, float]:
    x, y, z = (float(c) for c in vec)
    ra = math.degrees(math.atan2(y, x)) % 360.0
    return ra, math.degrees(math.asin(z / math.sqrt(x * x + y * y + z * z)))


def _cruise_params(slug: str):
    """The mission's nominal ``[flight.cruise]`` (None if it has none or no aim point)."""
    from marsprobe.catalog import load
    from marsprobe.mission.scenario import flight_plan

    mission = load(slug)
    plan = flight_plan(mission)
    params = flight_plan(mission, tuple(f.id for f in plan.faults)).get("cruise")
    return params if params is not None and params.aim_periapsis_km is not None else None


def _needed_v_inf(t: float, r_geo, v_geo, cruise) -> np.ndarray:
    """Excess velocity (m/s, ICRF) the craft needed at the end of the burn (``t``, state
    relative to the Earth, ICRF) to fly through the cruise's aim point."""
    from marsprobe.mission.cruise import HORIZON_S, correction
    from marsprobe.orbits import nbody
    from marsprobe.time import tdb_from_utc

    t_end = tdb_from_utc(cruise.arrival_utc or cruise.end_utc) + HORIZON_S
    eph = nbody.SampledEphemeris(t, t_end + HORIZON_S)
    dv, _ = correction(t, np.asarray(r_geo), np.asarray(v_geo), "earth", eph, t_end, cruise)
    return hyperbola(r_geo, np.asarray(v_geo) + dv)[1]


def _timer_recorded(params: EscapeParams) -> bool:
    return not any(str(s).startswith("marsprobe") for s in params.src)


def design(slug: str, refine: bool = True, rounds: int = 4, verbose: bool = False) -> Design:
    """Design the escape of mission ``slug``, flown nominal (see the module docstring)."""
    inputs = launch_inputs(slug, faults=False)
    esc, vehicle_id = inputs.escape, inputs.vehicle
    if esc is None or esc.arrival_utc is None:
        raise InputError(f"'{slug}' has no escape aimed at a planet to design")
    tuned = nominal_launch(*inputs.ascent)
    res = tuned.nominal
    if res.outcome != "orbit":
        raise InputError(f"'{slug}': the nominal ascent does not reach orbit")
    vehicle = load_vehicle(vehicle_id)
    stage = vehicle.stages[vehicle.escape_stage]
    prop = res.stage_propellant[vehicle.escape_stage]
    m = icrf_from_ascent(tuned.t0)
    t_ins = tuned.t0 + res.t
    by_craft = esc.spacecraft_thrust_kn > 0.0 and math.isfinite(esc.stage_dv_m_s)
    load = esc.spacecraft_propellant_kg if by_craft else prop
    budget = load * (1.0 - RESERVE)
    kept = _timer_recorded(esc)
    period = (
        2.0
        * math.pi
        * math.sqrt(
            (1.0 / (2.0 / np.linalg.norm(res.r) - res.v @ res.v / GM_EARTH)) ** 3 / GM_EARTH
        )
    )

    def fly(c: float, pitch: float, yaw: float, c3: float):
        """The design's flight: final state, burn-end epoch offset, propellant used."""
        r, v = coast(res.r, res.v, c)
        axis = attitude(r, v, pitch, yaw)
        target = np.array([math.sqrt(c3), 0.0, 0.0])
        if not by_craft:
            b = escape_burn(stage, 2.0 * prop, r, v, res.mass, target, attitude=axis)
            return b, c + b.t, b.propellant_used
        b = escape_burn(stage, prop, r, v, res.mass, None, dv_limit=esc.stage_dv_m_s, attitude=axis)
        mass = b.mass - stage.dry_mass - (prop - b.propellant_used)
        r2, v2 = coast(b.r, b.v, esc.spacecraft_burn_delay_s)
        engine = spacecraft_engine(mass, esc)
        f = escape_burn(engine, 2.0 * esc.spacecraft_propellant_kg, r2, v2, mass, target)
        return f, c + b.t + esc.spacecraft_burn_delay_s + f.t, f.propellant_used

    # a timer counted from lift-off (timer_from) is a coast shorter by the ascent
    ascent_s = res.t if esc.timer_from == "liftoff" else 0.0
    lambert = target_v_inf(t_ins + esc.timer_s - ascent_s, esc.arrival_utc)
    aim_icrf = lambert
    cruise = _cruise_params(slug) if refine else None
    coast0, guess = esc.timer_s - ascent_s, (0.0, 0.0)
    for k in range(rounds):
        c3 = float(aim_icrf @ aim_icrf)
        u = m.T @ aim_icrf / math.sqrt(c3)

        def shoot(c, pitch, yaw, c3=c3):
            b, _t, used = fly(c, pitch, yaw, c3)
            return used, b.v_inf

        r_ign, v_ign = coast(res.r, res.v, coast0)
        normal = np.cross(r_ign, v_ign)
        normal /= np.linalg.norm(normal)
        if guess == (0.0, 0.0):  # hold the velocity direction at mid-burn: half the arc back
            n = math.sqrt(GM_EARTH / np.linalg.norm(r_ign) ** 3)
            t_burn = escape_burn(stage, prop, r_ign, v_ign, res.mass, m.T @ aim_icrf).t
            guess = (-0.5 * n * t_burn, 0.0)
        window = 0.0 if kept else 0.08 * period
        aim = aim_burn(shoot, u, coast0, budget, normal, window, guess)
        coast0, guess = aim.coast, (aim.pitch, aim.yaw)
        if verbose:
            print(
                f"  round {k}: coast {aim.coast:.1f} s, pitch {math.degrees(aim.pitch):.3f}, "
                f"yaw {math.degrees(aim.yaw):.3f} deg, {aim.cost:.1f} kg of {budget:.0f}, "
                f"residual {aim.error_deg:.4f} deg, share {aim.share:.3f}"
            )
        if cruise is None:  # the Lambert arc from the designed ignition epoch
            needed = target_v_inf(t_ins + aim.coast, esc.arrival_utc)
        else:
            b, dt, _used = fly(aim.coast, aim.pitch, aim.yaw, c3)
            needed = _needed_v_inf(t_ins + dt, m @ b.r, m @ b.v, cruise)
        change = float(np.linalg.norm(needed - aim_icrf))
        aim_icrf = needed
        if verbose:
            print(f"  n-body target moves {change:.2f} m/s")
        if change < 0.05:
            break
    # the timer is data to 0.1 s: solve the attitude again for the stored value
    c3 = float(aim_icrf @ aim_icrf)
    u = m.T @ aim_icrf / math.sqrt(c3)
    timer = esc.timer_s if kept else round(coast0 + ascent_s, 1)

    def shoot(c, pitch, yaw):
        b, _t, used = fly(c, pitch, yaw, c3)
        return used, b.v_inf

    # aim where the last round reached (the target itself unless the budget stopped short)
    reached = u if aim.share == 1.0 else aim.v_inf / np.linalg.norm(aim.v_inf)
    final = aim_angles(shoot, reached, timer - ascent_s, guess)
    final.error_deg, final.share = angle_deg(final.v_inf, u), aim.share
    r_ign, v_ign = coast(res.r, res.v, timer - ascent_s)
    axis = m @ attitude(r_ign, v_ign, final.pitch, final.yaw)
    t_ra, t_dec = _ra_dec(axis)
    a_ra, a_dec = _ra_dec(aim_icrf)
    return Design(
        slug=slug,
        timer_s=timer,
        thrust_ra_deg=t_ra,
        thrust_dec_deg=t_dec,
        aim_c3_km2_s2=c3 / 1e6,
        aim_ra_deg=a_ra,
        aim_dec_deg=a_dec,
        residual_deg=final.error_deg,
        share=final.share,
        yaw_deg=math.degrees(final.yaw),
        margin_kg=load - final.cost,
        lambert_miss_deg=angle_deg(aim_icrf, lambert),
        timer_kept=kept,
        refined=cruise is not None,
    )


# ---- storing the design in the mission file ------------------------------------------------

NOTE_MARK = "Escape design (marsprobe):"


def design_note(d: Design) -> str:
    """The sentence the escape table's note carries about the computed values."""
    what = "attitude and launch targets" if d.timer_kept else "timer, attitude and launch targets"
    aim = (
        "the n-body flight to the cruise's aim point"
        if d.refined
        else "the Lambert arc to the arrival date (no cruise aim to refine it)"
    )
    text = f"{NOTE_MARK} {what} computed by marsprobe.analysis.escape_design, aimed at {aim}"
    if d.timer_kept:
        text += "; the recorded timer is kept"
    if d.share < 1.0 and not d.timer_kept:
        text += (
            f"; the propellant reserve pays for only {100 * d.share:.0f} % of the turn out of "
            f"the parking plane, leaving the asymptote {d.residual_deg:.2f} deg off the aim"
        )
    elif d.share < 1.0:
        text += (
            f", where the cheapest burn leaves the asymptote {d.residual_deg:.1f} deg off the aim"
        )
    return text + "."


def updated_note(old: str | None, d: Design) -> str:
    """``old`` note with its design sentence (from :data:`NOTE_MARK` on) replaced by ``d``'s."""
    kept = (old or "").split(NOTE_MARK)[0].rstrip()
    return (kept + " " if kept else "") + design_note(d).replace('"', "'")


def store(slug: str, d: Design) -> None:
    """Write ``d`` and its note into ``[flight.escape]`` of mission ``slug``'s file."""
    from marsprobe.catalog import load

    old = (load(slug).flight or {}).get("escape", {}).get("note")
    values = {**d.values(), "note": toml_string(updated_note(old, d))}
    write_table(slug, "flight.escape", values, "escape")


def run(slugs: list[str], write: bool = False, verbose: bool = False, echo=print) -> None:
    """``marsprobe design escape [--write] [-v] SLUG... | all``: compute each mission's escape
    timer, held attitude and launch targets; ``write`` stores them in the file."""
    import time

    for slug in mission_slugs(slugs):
        start = time.perf_counter()
        try:
            d = design(slug, verbose=verbose)
        except (InputError, ConvergenceError) as exc:
            echo(f"{slug:12s} skipped: {exc}")
            continue
        echo(
            f"{slug:12s} timer {d.timer_s:8.1f} s  C3 {d.aim_c3_km2_s2:7.4f}  "
            f"yaw {d.yaw_deg:+7.3f} deg  residual {d.residual_deg:.4f} deg  "
            f"share {d.share:.3f}  margin {d.margin_kg:7.1f} kg  "
            f"aim-Lambert {d.lambert_miss_deg:.2f} deg  ({time.perf_counter() - start:.1f} s)"
        )
        if d.margin_kg < 0.0:
            echo(f"{'':12s} not stored: the stage cannot reach that C3")
            continue
        if write:
            store(slug, d)
