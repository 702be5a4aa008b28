"""Orbits about Mars: the periapsis of a pass, the orbit-insertion burn, and the osculating
orbits the arrival hands over (:class:`MarsOrbit`, :class:`HeliocentricOrbit`).

The insertion burn is sized on board for the design capture orbit (the predicted periapsis
radius and ``moi_apoapsis_km``), centred on the predicted periapsis (shifted by the command's
timer), the thrust held fixed in inertial space against the predicted periapsis velocity (or
along the current velocity, ``moi_attitude = "velocity"``). It ends at the first of: the
osculating energy of the design orbit reached (the guidance cut-off), the propellant on board
spent, or ``moi_cutoff_s`` (a fault). An engine the command leaves idle never fires;
``propellant_lost_kg`` is propellant lost before the burn.

Orbits about Mars give apsides as altitudes above the equatorial radius (the catalog's
convention) and the inclination to Mars' equator; heliocentric orbits give perihelion and
aphelion in au and the inclination to the J2000 ecliptic.
"""

from __future__ import annotations

import math

import numpy as np

from marsprobe.constants import AU_M, DAY_S, GM_MARS, GM_SUN, R_MARS
from marsprobe.frames import ecliptic_from_icrf, mars_fixed_matrix
from marsprobe.mission.handover import HeliocentricOrbit, MarsOrbit, OrbitInsertion
from marsprobe.mission.lander import mars_leg
from marsprobe.mission.orders import ArrivalOrders
from marsprobe.orbits import nbody
from marsprobe.orbits.elements import elements_from_state
from marsprobe.time import utc_from_tdb


def periapsis_pass(t, r, v, eph, t1):
    """Fly (no burn) to the closest approach to Mars or to the surface, whichever first."""
    surface = nbody.distance_stop("surface", "mars", R_MARS)
    return mars_leg(t, r, v, t1, eph, nbody.periapsis_stop("periapsis", "mars"), surface)


def mars_orbit(t, r, v) -> MarsOrbit:
    """Osculating orbit about Mars of the state ``r``, ``v`` (Mars-centred ICRF) at ``t``:
    apsides to the metre, eccentricity to 1e-6, inclination to 1e-3 deg, period to 1e-3 min."""
    m = np.asarray(mars_fixed_matrix(t))
    el = elements_from_state(m @ r, m @ v, GM_MARS)
    apoapsis_km = period_min = None
    if el.e < 1.0:
        a = el.p / (1 - el.e**2)
        apoapsis_km = round(float(a * (1 + el.e) - R_MARS) / 1e3, 3)
        period_min = round(2 * math.pi * math.sqrt(a**3 / GM_MARS) / 60.0, 3)
    return MarsOrbit(
        periapsis_km=round(float(el.p / (1 + el.e) - R_MARS) / 1e3, 3),
        eccentricity=round(float(el.e), 6),
        inclination_deg=round(math.degrees(el.i), 3),
        epoch_utc=utc_from_tdb(t, 0),
        apoapsis_km=apoapsis_km,
        period_min=period_min,
    )


def heliocentric_orbit(t, r, v, center, eph) -> HeliocentricOrbit:
    """Osculating heliocentric orbit (J2000 ecliptic) of a state relative to ``center``:
    apsides to 1e-4 au, period to 0.01 day, inclination to 1e-3 deg."""
    rs, vs = nbody.change_center(eph, t, r, v, center, "sun")
    el = elements_from_state(ecliptic_from_icrf(rs), ecliptic_from_icrf(vs), GM_SUN)
    aphelion_au = period_days = None
    if el.e < 1:
        a = el.p / (1 - el.e**2)
        aphelion_au = round(float(a * (1 + el.e)) / AU_M, 4)
        period_days = round(2 * math.pi * math.sqrt(a**3 / GM_SUN) / DAY_S, 2)
    return HeliocentricOrbit(
        inclination_deg=round(math.degrees(el.i), 3),
        epoch_utc=utc_from_tdb(t, 0),
        perihelion_au=round(float(el.p / (1 + el.e)) / AU_M, 4),
        aphelion_au=aphelion_au,
        period_days=period_days,
    )


def insertion_burn(cruise, params, orders: ArrivalOrders, t, r, v, mass, prop, t1):
    """Orbit insertion, centred ``orders.moi_offset_s`` after the predicted periapsis:
    returns the state after the burn, the mass and propellant left, why it ended, the
    :class:`OrbitInsertion`, and the burn's arc (ignition epoch, state and thrust; None if it
    never fired: the closest approach of a craft not captured may lie on it)."""
    sc, eph = cruise.spacecraft, cruise.eph
    peri = periapsis_pass(t, r, v, eph, t1)
    tp, rp_vec, vp_vec = peri.t + orders.moi_offset_s, peri.r[0], peri.v[0]
    rp = float(np.linalg.norm(rp_vec))
    a_t = 0.5 * (rp + R_MARS + params.moi_apoapsis_km * 1e3)
    eps_t = -GM_MARS / (2 * a_t)
    vp = float(np.linalg.norm(vp_vec))
    planned = vp - math.sqrt(GM_MARS * (2 / rp - 1 / a_t))
    c = sc.exhaust_m_s
    mdot = sc.mass_flow_kg_s
    need = mass * (1 - math.exp(-planned / c))
    t_ign = tp - 0.5 * need / mdot
    # An unknown load does not limit the burn short of the craft's own mass.
    avail = 0.9 * mass if prop is None else max(prop - params.propellant_lost_kg, 0.0)
    planned_burn = {
        "planned_delta_v_m_s": round(planned, 3),
        "propellant_needed_kg": round(need, 2),
        "propellant_available_kg": None if prop is None else round(avail, 2),
        "ignition_utc": utc_from_tdb(t_ign, 0),
    }
    fl = mars_leg(t, r, v, t_ign, eph)
    r, v = fl.r[0], fl.v[0]
    if not orders.moi_fires:
        moi = OrbitInsertion(
            **planned_burn, fired=False, delta_v_m_s=0.0, burn_s=0.0, propellant_used_kg=0.0
        )
        return t_ign, r, v, mass, prop, "engine did not fire", moi, None
    t_max = min(avail / mdot, params.moi_cutoff_s)
    fixed = None if params.moi_attitude == "velocity" else tuple(-vp_vec / vp)
    accel = nbody.Thrust(sc.thrust_n, mass, mdot, t_ign, fixed)
    cutoff = nbody.energy_stop("cutoff", GM_MARS, eps_t)
    fl = mars_leg(t_ign, r, v, t_ign + t_max, eph, cutoff, accel=accel)
    burn = fl.t - t_ign
    used = mdot * burn
    if fl.stop == "cutoff":
        why = "guidance cut-off"
    else:
        why = "propellant exhausted" if avail / mdot <= params.moi_cutoff_s else "cut short"
    moi = OrbitInsertion(
        **planned_burn,
        fired=True,
        burn_s=round(burn, 2),
        propellant_used_kg=round(used, 2),
        delta_v_m_s=round(c * math.log(mass / (mass - used)), 3),
        end=why,
        # a tank emptied to its last gram prints as 0, not -0
        propellant_left_kg=None if prop is None else round(max(avail - used, 0.0), 2),
    )
    left = None if prop is None else max(avail - used, 0.0)
    return fl.t, fl.r[0], fl.v[0], mass - used, left, why, moi, (t_ign, r, v, accel)
