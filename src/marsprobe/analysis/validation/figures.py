"""marsprobe's side of the non-EDL validation cases: each function computes one figure.

Every function takes the case's ``args`` as keywords and returns a float in the case's unit.
Nothing here reads the published figure; the kernels are the ones the missions fly
(marsprobe.orbits, marsprobe.time, marsprobe.ephemeris, the launch and window analyses).
The independent references that are themselves computed (lamberthub, astropy, ERFA) are
optional: :class:`Unavailable` says that one is not installed.
"""

from __future__ import annotations

import functools
import math
import warnings

import numpy as np

from marsprobe.constants import DAY_S, GM_EARTH, GM_SUN, R_EARTH


class Unavailable(Exception):
    """An independent reference (a test-only package) is not installed."""


def _need(module: str):
    try:
        return __import__(module)
    except ImportError as exc:
        raise Unavailable(f"needs the package {module!r} (pip install marsprobe[test])") from exc


# --- astrodynamics kernels ---------------------------------------------------------------


def lambert_vs_lamberthub(depart: str, arrive: str) -> float:
    """|v1 marsprobe - v1 lamberthub| (m/s) for the Earth-Mars arc between two UTC dates."""
    lamberthub = _need("lamberthub")
    from marsprobe import ephemeris as eph
    from marsprobe.orbits.lambert import lambert
    from marsprobe.time import tdb_from_utc

    t1, t2 = tdb_from_utc(depart), tdb_from_utc(arrive)
    r1 = eph.position("earth", t1, center="sun")
    r2 = eph.position("mars", t2, center="sun")
    v1, _v2, ok = lambert(GM_SUN, r1, r2, t2 - t1)
    if not ok:
        return math.nan
    ref, _ = lamberthub.izzo2015(GM_SUN, r1, r2, t2 - t1, 0, True, True, 35, 1e-13, 1e-13)
    return float(np.linalg.norm(np.asarray(v1) - ref))


def kepler_vallado() -> float:
    """x (km) of Vallado's Example 2-4 state propagated 40 min (his mu, 398,600.4418 km3/s2)."""
    from marsprobe.orbits.kepler import propagate

    r0 = np.array([1131.340, -2282.343, 6672.423]) * 1e3
    v0 = np.array([-5.64305, 4.30333, 2.42879]) * 1e3
    r, _v = propagate(r0, v0, 40 * 60.0, 398_600.4418e9)
    return float(r[0] / 1e3)


def tdb_minus_utc(utc: str) -> float:
    """TDB - UTC (s) by marsprobe: TDB past J2000 minus the UTC label counted the same way."""
    from marsprobe.time import tdb_from_utc, utc_seconds_from_tdb

    t = tdb_from_utc(utc)
    return float(t - utc_seconds_from_tdb(t))


def tdb_minus_utc_astropy(utc: str) -> float:
    """TDB - UTC (s) by astropy (ERFA's full dtdb series and its leap-second table)."""
    _need("astropy")
    from astropy.time import Time

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        u = Time(utc, scale="utc")
        return float((u.tdb.jd1 - u.jd1) * DAY_S + (u.tdb.jd2 - u.jd2) * DAY_S)


def tai_minus_utc(utc: str) -> float:
    from marsprobe.time import parse_utc
    from marsprobe.time import tai_minus_utc as dat

    mjd, sec = parse_utc(utc)
    return float(dat(mjd + sec / DAY_S))


def tai_minus_utc_erfa(utc: str) -> float:
    erfa = _need("erfa")
    from marsprobe.time import parse_utc

    mjd, sec = parse_utc(utc)
    y, m, d, _ = erfa.jd2cal(2400000.5, float(mjd))
    return float(erfa.dat(int(y), int(m), int(d), sec / DAY_S))


def closest_approach_2003() -> float:
    """Least Mars-Earth distance (km) in DE421, sampled each minute round 2003-08-27 09:51."""
    from marsprobe import ephemeris as eph
    from marsprobe.time import tdb_from_utc

    t = tdb_from_utc("2003-08-27T09:51") + np.arange(-1440, 1441) * 60.0
    return float(np.min(np.linalg.norm(eph.position("mars", t, center="earth"), axis=-1)) / 1e3)


# --- orbital decay ----------------------------------------------------------------------


def _orbit(perigee_km, apogee_km, inc_deg):
    from marsprobe.orbits.elements import state_from_elements

    a = R_EARTH + 0.5 * (perigee_km + apogee_km) * 1e3
    e = (apogee_km - perigee_km) * 1e3 / (2 * a)
    return state_from_elements(a, e, math.radians(inc_deg), 0.5, 0.0, 0.0, GM_EARTH)


def decay_lifetime(start, perigee_km, apogee_km, inc_deg, bc, decayed) -> float:
    """Days from ``start`` to re-entry for the recorded orbit and the chosen B (kg/m2)."""
    from marsprobe.orbits.decay import lifetime
    from marsprobe.time import tdb_from_utc

    r, v = _orbit(perigee_km, apogee_km, inc_deg)
    got = lifetime(r, v, tdb_from_utc(start), bc)
    return float(got.days) if got.decayed else math.inf


def recorded_lifetime(start, decayed, **_) -> float:
    """Days from ``start`` to noon of the recorded decay date (the record gives a date)."""
    from marsprobe.time import tdb_from_utc

    return (tdb_from_utc(decayed + "T12:00") - tdb_from_utc(start)) / DAY_S


# --- windows and ascents -----------------------------------------------------------------


def window_c3(year: int) -> float:
    """Least type-I C3 (km2/s2) of the year's window (Earth-Moon barycentre, as the peers)."""
    from marsprobe.analysis.windows import find_windows
    from marsprobe.time import tdb_from_utc

    found = find_windows(
        tdb_from_utc(f"{year}-01-01"),
        tdb_from_utc(f"{year}-12-31"),
        origin="earth-moon-barycenter",
        with_catalog=False,
    )
    return float(found[0].type_i.c3 / 1e6)


@functools.cache
def _launch(slug: str, faults: bool, escape: bool):
    from marsprobe.analysis.guidance_design import fly

    return fly(slug, faults=faults, escape=escape)


def ascent_event(slug: str, event: str, field: str) -> float:
    """One field of one event of the mission's launch, flown with its faults."""
    e = _launch(slug, True, True).event(event)
    return math.nan if e is None else float(getattr(e, field))


def parking_perigee(slug: str) -> float:
    """Perigee (km) of the parking orbit the stored guidance reaches (no faults, no escape)."""
    return float(_launch(slug, False, False).parking_orbit.perigee_km)


@functools.cache
def payload_to_low_orbit(
    vehicle: str,
    stages: int,
    site: str,
    pad: str,
    perigee_km: float,
    apogee_km: float,
    inc_deg: float,
    utc: str,
    guess_kg: float,
    shroud_kg: float = 0.0,
    shroud_jettison_s: float = math.inf,
) -> float:
    """Largest payload (kg) the vehicle file's first ``stages`` stages put on the orbit
    (marsprobe.ascent.capability.payload_to_orbit: optimised pitch-over, tuned guidance).
    The vehicle file is flown as it is: nothing here is fitted to the published figure."""
    from marsprobe.ascent.capability import lower_stages, payload_to_orbit
    from marsprobe.ascent.library import load_site, load_vehicle
    from marsprobe.ascent.tuning import Shroud, Target
    from marsprobe.time import tdb_from_utc

    v = lower_stages(load_vehicle(vehicle), stages)
    target = Target(perigee_km * 1e3, apogee_km * 1e3, math.radians(inc_deg))
    shroud = Shroud(shroud_kg, shroud_jettison_s)
    p, _ = payload_to_orbit(
        v, load_site(site, pad), tdb_from_utc(utc), target, guess_kg, shroud=shroud
    )
    return float(p)


# --- the atmosphere's seasonal cycle -------------------------------------------------------


def seasonal_pressure_swing() -> float:
    """Largest over smallest column mass of marsprobe's seasonal cycle (edl.climate)."""
    from marsprobe.edl.climate import seasonal_factor

    f = seasonal_factor(np.arange(0.0, 360.0, 0.25))
    return float(f.max() / f.min())


def viking_1_pressure(ls_deg: float) -> float:
    """marsprobe's Viking Lander 1 sol-mean surface pressure (mbar) at ``ls_deg``."""
    from marsprobe.edl.climate import vl1_pressure_mbar

    return float(vl1_pressure_mbar(ls_deg))
