"""What a vehicle can do: the best C3 of a tuned ascent and the largest payload to a C3.

The escape stage burns all its propellant prograde from perigee (the ideal geometry, with
the finite burn's gravity losses) for :func:`best_c3`; :func:`max_payload` searches the
payload (secant steps) at which that best C3 equals the one asked for, re-tuning the
ascent at each trial. Used to check the vehicle data against the record.
"""

from __future__ import annotations

import math

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
