"""What a vehicle can do: the best C3 of a tuned ascent and the largest payload to a C3.

The escape stage burns all its propellant prograde from perigee (the ideal geometry, with
the finite burn's gravity losses) for :func:`best_c3`; :func:`max_payload` searches the
payload (secant steps) at which that best C3 equals the one asked for, re-tuning the
ascent at each trial. Used to check the vehicle data against the record.
"""

from __future__ import annotations

import math
from dataclasses import replace

from marsprobe.ascent.escape import escape_burn
from marsprobe.ascent.tuning import NO_SHROUD, Launch, Shroud, tune
from marsprobe.ascent.vehicle import Vehicle
from marsprobe.constants import GM_EARTH
from marsprobe.errors import ConvergenceError
from marsprobe.orbits.elements import elements_from_state
from marsprobe.orbits.kepler import propagate


def best_c3(vehicle: Vehicle, launch: Launch) -> float:
    """Largest C3 (m^2/s^2) the escape stage gives the payload of a tuned ``launch``: all
    its remaining propellant burnt prograde from perigee (the ideal geometry)."""
    res = launch.nominal
    if res.outcome != "orbit" or vehicle.escape_stage is None:
        return -math.inf
    k = vehicle.escape_stage
    # coast to perigee: the burn is best placed there
    el = elements_from_state(res.r, res.v, GM_EARTH)
    a, e, nu = float(el.a), float(el.e), float(el.nu)
    n = math.sqrt(GM_EARTH / a**3)
    ecc = 2.0 * math.atan(math.sqrt((1 - e) / (1 + e)) * math.tan(nu / 2.0))
    mean = ecc - e * math.sin(ecc)
    dt = ((2.0 * math.pi - mean) % (2.0 * math.pi)) / n
    r, v = propagate(res.r, res.v, dt, GM_EARTH)
    burn = escape_burn(vehicle.stages[k], res.stage_propellant[k], r, v, res.mass, None)
    return burn.c3


def max_payload(
    vehicle: Vehicle,
    site,
    t_tdb: float,
    target,
    c3_km2_s2: float,
    guess_kg: float = 4000.0,
    tol_kg: float = 25.0,
    pitch_kick_deg: float | None = None,
    shroud: Shroud = NO_SHROUD,
) -> tuple[float, dict]:
    """Largest payload (kg) that ``vehicle`` puts on a hyperbola of C3 ``c3_km2_s2`` via the
    parking orbit ``target`` (each trial re-tunes the linear-tangent constants for the
    pitch-over ``pitch_kick_deg`` and burns the escape stage prograde to depletion; secant
    steps on payload). Returns the payload and the trials."""
    want = c3_km2_s2 * 1e6
    trials: dict[float, float] = {}

    def c3_of(p: float) -> float:
        try:
            launch = tune(
                vehicle, site, t_tdb, p, target, pitch_kick_deg=pitch_kick_deg, shroud=shroud
            )
        except ConvergenceError:
            trials[p] = -math.inf
            return -math.inf
        trials[p] = best_c3(vehicle, launch) / 1e6
        return trials[p] * 1e6

    p0, p1 = guess_kg, guess_kg * 1.15
    f0, f1 = c3_of(p0) - want, c3_of(p1) - want
    for _ in range(8):
        if not (math.isfinite(f0) and math.isfinite(f1)) or f1 == f0:
            break
        p2 = p1 - f1 * (p1 - p0) / (f1 - f0)
        p2 = min(max(p2, 0.5 * p1), 1.5 * p1)
        p0, f0 = p1, f1
        p1, f1 = p2, c3_of(p2) - want
        if abs(p1 - p0) < tol_kg:
            break
    return p1, {"trials_c3_km2_s2": {round(k, 1): round(v, 3) for k, v in trials.items()}}


def lower_stages(vehicle: Vehicle, count: int) -> Vehicle:
    """The first ``count`` stages of ``vehicle`` as a vehicle of their own (no escape stage):
    what a published 'payload to low orbit' of the core vehicle counts as payload sits above
    them (a Block D or Block L is then part of the payload)."""
    if not 1 <= count <= len(vehicle.stages):
        raise ValueError(f"{vehicle.name} has {len(vehicle.stages)} stages, not {count}")
    escape = vehicle.escape_stage
    return replace(
        vehicle,
        stages=vehicle.stages[:count],
        escape_stage=escape if escape is not None and escape < count else None,
    )


def payload_to_orbit(
    vehicle: Vehicle,
    site,
    t_tdb: float,
    target,
    guess_kg: float,
    shroud: Shroud = NO_SHROUD,
    tol_kg: float = 10.0,
) -> tuple[float, dict]:
    """Largest payload (kg) ``vehicle`` puts on the parking orbit ``target``.

    The pitch-over is optimised once at ``guess_kg`` (:func:`tune.optimise`: the most
    propellant left at insertion); then, with that pitch-over held, the propellant left at
    insertion is followed against payload by secant steps to the payload that leaves none.
    Every trial is a converged tuned ascent; the answer is the secant root of the last two,
    the closest of which leaves a few per cent of the first's propellant (the curve steepens
    a little towards the edge, so a root from far off overstates by some 1-2 %). Returns the
    payload and the trials.
    """
    from marsprobe.ascent.tuning import optimise

    for _ in range(4):
        try:
            best = optimise(vehicle, site, t_tdb, guess_kg, target, shroud=shroud)
            break
        except ConvergenceError:
            guess_kg *= 0.6  # too heavy a start: no pitch-over reaches the orbit
    else:
        raise ConvergenceError(f"{vehicle.name} reaches the orbit with no payload tried")
    kick = best.guidance.pitch_kick_deg
    left: dict[float, float] = {guess_kg: float(sum(best.nominal.stage_propellant))}

    def propellant_left(p: float) -> float:
        launch = tune(vehicle, site, t_tdb, p, target, pitch_kick_deg=kick, shroud=shroud)
        if launch.nominal.outcome != "orbit":
            raise ConvergenceError(f"{vehicle.name}: no orbit with {p:.0f} kg")
        left[p] = float(sum(launch.nominal.stage_propellant))
        return left[p]

    p0, f0 = guess_kg, left[guess_kg]
    p1 = guess_kg + 0.5 * f0
    f1 = propellant_left(p1)
    root = p1
    for _ in range(10):
        if f1 == f0:
            break
        root = p1 - f1 * (p1 - p0) / (f1 - f0)
        if abs(root - p1) < tol_kg:
            break
        # step 90 % of the way, so that the trial still reaches orbit; a trial that does
        # not (the tuner misses near the edge) is halved back towards the last good one
        step = 0.9 * (root - p1)
        for _half in range(4):
            try:
                f2 = propellant_left(p1 + step)
                break
            except ConvergenceError:
                step *= 0.5
        else:
            break
        p0, f0, p1, f1 = p1, f1, p1 + step, f2
    info = {
        "pitch_kick_deg": round(kick, 3),
        "propellant_left_kg": {round(k, 1): round(v, 1) for k, v in left.items()},
    }
    return root, info
