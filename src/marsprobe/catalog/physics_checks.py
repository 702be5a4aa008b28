"""Consistency findings that need physics beyond Kepler's period: they test what a source
says a figure *is* against what the figure can be.

* ``stated_body``: a source presents an orbit as one about another body (the chronology lists
  Phobos 1's elements like the Mars orbits of other entries); Kepler's third law says which
  body the elements fit.
* ``stated_as = "after_flyby"``: a source calls a heliocentric orbit the one left after a Mars
  flyby; the Lambert arc from the Earth at launch to Mars at the closest approach (DE421) is
  the transfer orbit, and the flyby's bend (from the recorded closest-approach distance) says
  how far the orbit after the pass must differ from it.
* a parachute event with both an altitude and a speed: a ballistic body with the descent
  module's ballistic coefficient is flown from the recorded entry speed through the
  atmosphere models, density scales and entry angles of :mod:`marsprobe.edl.ballistic`.
* claims with ``check = "entry_flight_path_angle"``: an entry angle is a flight-path angle,
  below the local horizontal, between 0 and 90 degrees.

Each finding lists in ``overturns`` the paths of the stored facts it shows wrong, so that
``marsprobe show`` can mark them.
"""

from __future__ import annotations

import math
from typing import Any

from marsprobe.catalog.conflicts import Conflict, refs_json
from marsprobe.catalog.consistency import period_misfit
from marsprobe.constants import AU_M, DAY_S, GM, GM_SUN
from marsprobe.mission.schema import Mission, Orbit

PERIOD_TOLERANCE = 0.01  # as in consistency.py: 1 % separates rounding from a disagreement
# The unit of an inclination difference when a stated heliocentric orbit is compared with the
# transfer arc: the Lambert arc (one impulse, point to point) lies in a plane 0.3-0.9 deg from
# the 2.2 deg the sources give for the 1973 craft, which flew course corrections; 1 deg keeps
# that idealisation from deciding the comparison.
INCLINATION_UNIT_DEG = 1.0
# The entry angles tried by the parachute check: the corridor's shallow edge to steep entries
# (tests/test_edl_missions.py uses the same set).
ENTRY_FPAS_DEG = (-9.5, -11.4, -15.0, -20.0)
DENSITY_SCALES = (0.7, 1.0, 1.3)
ATMOSPHERES = ("pathfinder-1997", "hydrostatic", "dust-storm-1971")


def _finding(mission: str | None, topic: str, claims, reason: str, overturns, **extra) -> Conflict:
    extra = {"overturns": list(overturns), **extra}
    return Conflict(mission, topic, claims, None, reason, kind="consistency", extra=extra)


def _computed(value: Any, locator: str) -> dict[str, Any]:
    return {
        "value": value,
        "sources": [{"id": "marsprobe", "locator": locator}],
        "verdict": "computed",
    }


def _stated(fact) -> dict[str, Any]:
    return {"value": fact.value, "sources": refs_json(fact.src), "verdict": "stated"}


def orbit_path(index: int, orbit: Orbit) -> str:
    return f"record.orbits[{index}:{orbit.label}]"


def check_stated_body(mission: Mission, index: int, orbit: Orbit) -> list[Conflict]:
    """A planet-centred orbit that a source presents about another body."""
    body = orbit.stated_body
    if body is None or body == orbit.central_body or orbit.central_body == "sun":
        return []
    if orbit.periapsis_km is None or orbit.apoapsis_km is None or orbit.period_min is None:
        return []
    low, high, period = orbit.periapsis_km.value, orbit.apoapsis_km.value, orbit.period_min.value
    bodies = (body, orbit.central_body)
    fits = {b: period_misfit(low * 1e3, high * 1e3, period * 60.0, b) for b in bodies}
    if abs(fits[body]) <= PERIOD_TOLERANCE:
        return []
    where = orbit_path(index, orbit)
    return [
        _finding(
            mission.slug,
            f"{where}: an orbit of {orbit.central_body}, not of {body}",
            [
                _stated(orbit.period_min),
                _computed(
                    {b: round(m, 4) for b, m in fits.items()},
                    f"misfit of the stated period against Kepler about each body, "
                    f"{low:g} x {high:g} km",
                ),
            ],
            f"The source presents these elements about {body}; their stated period misses the "
            f"Kepler period about {body} by {fits[body]:+.0%} and fits {orbit.central_body} "
            f"to {fits[orbit.central_body]:+.2%}. They are not the probe's {body} orbit.",
            [f"{where}.stated_body"],
            severity=3,
        )
    ]


# Mean obliquity of the ecliptic at J2000, 84381.406 arcsec (IAU 2006, Capitaine et al. 2003):
# the sources give heliocentric inclinations to the ecliptic, the ephemeris ICRF axes.
OBLIQUITY_RAD = math.radians(84381.406 / 3600.0)


def _apsides(r, v) -> dict[str, float]:
    """Perihelion, aphelion (AU), period (d) and ecliptic inclination (deg) of a state."""
    import numpy as np

    from marsprobe.orbits.elements import elements_from_state

    c, s = math.cos(OBLIQUITY_RAD), math.sin(OBLIQUITY_RAD)
    to_ecliptic = np.array([[1.0, 0.0, 0.0], [0.0, c, s], [0.0, -s, c]])
    el = elements_from_state(to_ecliptic @ r, to_ecliptic @ v, GM_SUN)
    a, e = float(el.a), float(el.e)
    return {
        "perihelion_au": a * (1 - e) / AU_M,
        "aphelion_au": a * (1 + e) / AU_M,
        "period_days": 2 * math.pi * math.sqrt(a**3 / GM_SUN) / DAY_S if a > 0 else math.inf,
        "inclination_deg": math.degrees(float(el.i)),
    }


def flyby_orbits(launch_utc: str, arrival_utc: str, periapsis_m: float, clocks: int = 72):
    """The transfer orbit Earth -> Mars (Lambert arc, DE421) and the orbits after the flyby.

    The flyby bends the Mars-relative velocity by the turn angle of the stated periapsis; the
    direction of the bend (the clock angle in the B-plane) is unknown, so every one of
    ``clocks`` directions is returned. Returns (transfer, [after...], v_inf m/s, bend rad).
    """
    import numpy as np

    from marsprobe.ephemeris import state
    from marsprobe.orbits.conics import turn_angle
    from marsprobe.orbits.lambert import lambert
    from marsprobe.time import tdb_from_utc

    t1, t2 = tdb_from_utc(launch_utc), tdb_from_utc(arrival_utc)
    r1, _ = state("earth", t1)
    r2, v_mars = state("mars", t2)
    v1, v2, ok = lambert(GM_SUN, r1, r2, t2 - t1)
    if not ok:
        raise ValueError("no Lambert arc")
    v_in = np.asarray(v2) - np.asarray(v_mars)
    speed = float(np.linalg.norm(v_in))
    bend = float(turn_angle(speed, periapsis_m, GM["mars"]))
    unit = v_in / speed
    side = np.cross(unit, [0.0, 0.0, 1.0])
    side /= np.linalg.norm(side)
    up = np.cross(unit, side)
    after = []
    for k in range(clocks):
        clock = 2 * math.pi * k / clocks
        axis = math.cos(clock) * side + math.sin(clock) * up
        v_out = speed * (math.cos(bend) * unit + math.sin(bend) * axis)
        after.append(_apsides(r2, np.asarray(v_mars) + v_out))
    return _apsides(r1, v1), after, speed, bend


def _distance(stated: dict[str, float], orbit: dict[str, float]) -> float:
    """How far an orbit is from the stated one, in units of the sources' rounding.

    Apsides are printed to 0.01 AU and periods to about 1 %, so each difference is divided by
    that; an inclination difference by INCLINATION_UNIT_DEG. The largest counts.
    """
    units = [
        abs(stated["perihelion_au"] - orbit["perihelion_au"]) / 0.01,
        abs(stated["aphelion_au"] - orbit["aphelion_au"]) / 0.01,
        abs(stated["period_days"] / orbit["period_days"] - 1) / 0.01,
    ]
    if "inclination_deg" in stated:
        tilt = abs(stated["inclination_deg"] - orbit["inclination_deg"])
        units.append(tilt / INCLINATION_UNIT_DEG)
    return max(units)


def check_after_flyby(mission: Mission, index: int, orbit: Orbit) -> list[Conflict]:
    """A 'final' heliocentric orbit nearer the transfer orbit than any orbit after the pass."""
    if orbit.stated_as != "after_flyby" or mission.record is None:
        return []
    flyby = next(
        (
            e
            for e in mission.record.events
            if e.name == "closest_approach" and e.body == "mars" and e.time_utc and e.distance_km
        ),
        None,
    )
    facts = (orbit.perihelion_au, orbit.aphelion_au, orbit.period_days)
    if flyby is None or any(f is None for f in facts):
        return []
    from marsprobe.constants import RADIUS

    arrival = flyby.time_utc.value.removesuffix("Z")
    rp = flyby.distance_km.value * 1e3 + RADIUS["mars"]
    transfer, after, v_inf, bend = flyby_orbits(
        mission.launch_utc.value.removesuffix("Z"), arrival, rp
    )
    names = ("perihelion_au", "aphelion_au", "period_days")
    stated = dict(zip(names, (f.value for f in facts), strict=True))
    if orbit.inclination_deg is not None:
        stated["inclination_deg"] = orbit.inclination_deg.value
    to_transfer = _distance(stated, transfer)
    nearest_after = min(after, key=lambda o: _distance(stated, o))
    to_after = _distance(stated, nearest_after)
    if to_transfer >= to_after:
        return []
    where = orbit_path(index, orbit)

    def rounded(o):
        return {k: round(v, 3) for k, v in o.items()}

    return [
        _finding(
            mission.slug,
            f"{where}: the 'final' orbit is the transfer orbit",
            [
                {
                    "value": stated,
                    "sources": refs_json(orbit.perihelion_au.src),
                    "verdict": "stated",
                },
                _computed(
                    rounded(transfer),
                    f"Lambert arc Earth {mission.launch_utc.value[:10]} -> Mars {arrival[:10]} "
                    "(DE421)",
                ),
                _computed(
                    rounded(nearest_after),
                    f"nearest orbit after a pass at {flyby.distance_km.value:g} km, over every "
                    "direction of the bend",
                ),
            ],
            f"The recorded orbit, given as the one left after the flyby, is {to_transfer:.1f} "
            f"rounding units from the transfer arc ({transfer['perihelion_au']:.2f} x "
            f"{transfer['aphelion_au']:.2f} AU, {transfer['period_days']:.0f} d) and "
            f"{to_after:.1f} from the nearest orbit a pass at {flyby.distance_km.value:g} km "
            f"can leave (v_inf {v_inf / 1e3:.2f} km/s bent by {math.degrees(bend):.0f} deg, "
            "in any direction). The figures describe the cruise, not the orbit left behind.",
            [f"{where}.stated_as"],
            severity=2,
            distance_to_transfer=round(to_transfer, 2),
            distance_to_after=round(to_after, 2),
        )
    ]


def check_parachute(mission: Mission) -> list[Conflict]:
    """A parachute opening at a speed a ballistic descent module cannot have at that height."""
    record, flight = mission.record, mission.flight or {}
    vehicle_id = (flight.get("edl") or {}).get("vehicle")
    if record is None or vehicle_id is None:
        return []
    events = list(enumerate(record.events))
    chute = next(
        ((i, e) for i, e in events if e.name == "parachute" and e.altitude_km and e.speed_km_s),
        None,
    )
    entry = next((e for _, e in events if e.name == "entry" and e.speed_km_s), None)
    if chute is None or entry is None:
        return []
    import numpy as np

    from marsprobe.edl.ballistic import speed_at_altitude
    from marsprobe.edl.vehicle import load_vehicle

    index, event = chute
    beta = load_vehicle(vehicle_id).ballistic_coefficient_kg_m2
    speeds = speed_at_altitude(
        [beta],
        event.altitude_km.value * 1e3,
        entry_speed_m_s=entry.speed_km_s.value * 1e3,
        fpa_deg=ENTRY_FPAS_DEG,
        density_scales=DENSITY_SCALES,
        models=ATMOSPHERES,
    )
    slowest = float(min(np.nanmin(v) for v in speeds.values()))
    stated = event.speed_km_s.value * 1e3
    # The stated speed must be reachable by at least one case; 10 % covers the module's mass
    # and drag (beta 100-130 kg/m^2 for this class).
    if stated >= 0.9 * slowest:
        return []
    where = f"record.events[{index}:parachute]"
    return [
        _finding(
            mission.slug,
            f"{where}: {stated:.0f} m/s at {event.altitude_km.value:g} km is not reachable",
            [
                _stated(event.speed_km_s),
                _computed(
                    round(slowest),
                    f"slowest speed at {event.altitude_km.value:g} km of a ballistic body of "
                    f"beta {beta:.0f} kg/m2 ({vehicle_id}) entering at "
                    f"{entry.speed_km_s.value:g} km/s, angles {ENTRY_FPAS_DEG} deg, densities "
                    f"x{DENSITY_SCALES}, models {', '.join(ATMOSPHERES)}",
                ),
            ],
            f"The descent module (ballistic coefficient {beta:.0f} kg/m2) is still at "
            f"{slowest:.0f} m/s or more at {event.altitude_km.value:g} km in every atmosphere, "
            f"density and entry angle tried, so the stated pair of {stated:.0f} m/s and "
            f"{event.altitude_km.value:g} km cannot both hold; the event time is unaffected.",
            [f"{where}.speed_km_s", f"{where}.altitude_km"],
            severity=2,
        )
    ]


def check_entry_angles() -> list[Conflict]:
    """Claims of an entry angle: a flight-path angle lies between 0 and 90 deg below the horizon."""
    from marsprobe.catalog.claims import load_claims

    findings = []
    for claim in load_claims():
        if claim.check != "entry_flight_path_angle":
            continue
        for alt in [claim, *claim.alt]:
            value = alt.value
            if isinstance(value, int | float) and abs(value) > 90.0:
                owner = claim.missions[0] if len(claim.missions) == 1 else None
                findings.append(
                    _finding(
                        owner,
                        f"{claim.topic}: {value:g} deg is not a flight-path angle",
                        [
                            {"value": value, "sources": refs_json(alt.src), "verdict": "stated"},
                            _computed("-90..0 deg", "range of a descending flight-path angle"),
                        ],
                        f"An entry angle is the angle of the velocity below the local "
                        f"horizontal: 0 deg grazes the atmosphere, 90 deg falls vertically. "
                        f"{value:g} deg would point the velocity above the horizon, back out "
                        "of the atmosphere; no reading as a flight-path angle makes it one.",
                        [],
                        severity=1,
                        missions=claim.missions,
                    )
                )
    return findings


def check_mission(mission: Mission) -> list[Conflict]:
    """The physics findings of one mission."""
    findings: list[Conflict] = []
    if mission.record is not None:
        for index, orbit in enumerate(mission.record.orbits):
            findings += check_stated_body(mission, index, orbit)
            findings += check_after_flyby(mission, index, orbit)
    findings += check_parachute(mission)
    return findings
