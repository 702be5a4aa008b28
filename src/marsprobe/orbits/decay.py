"""Orbital lifetime in low Earth orbit under atmospheric drag, with the Sun of the date.

Model: the orbit-averaged decay of the semi-major axis and eccentricity under tangential
drag (King-Hele, "Satellite Orbits in an Atmosphere", 1987, ch. 3-4), with

    da/dt = < 2 a^2 v f / mu >,  de/dt = < 2 (e + cos nu) f / v >,
    f = -1/2 rho v^2 F / B,  F = (1 - r omega cos(i) / v)^2,

averaged over time (uniform samples of the eccentric anomaly weighted by 1 - e cos E),
where ``B = m / (Cd A)`` is the ballistic coefficient and ``F`` the wind factor of an
atmosphere turning with the Earth. The node and perigee turn under J2 (Vallado 2013,
eq. 9-41), so the density is sampled where the orbit really is. Density is NRLMSIS 2.1
(Emmert et al. 2021, Earth and Space Science 8, e2020EA001321) through the ``pymsis``
package, at the geodetic position, date and local time of each sample, with the solar and
geomagnetic activity of the month (monthly means of the observed F10.7 and of Ap from the
table ``orbits/data/f107_monthly.csv``, CelesTrak SW-All; see its header). The 81-day
F10.7 is the mean of the month and its two neighbours.

The integration (RK45 of :func:`marsprobe.orbits.ode.solve`, ``rtol=1e-6``) stops when the
mean altitude falls below ``end_alt`` (120 km by default): from there a body comes down
within about a revolution, so the lifetime is good to an hour or two; the dominant uncertainty is the
ballistic coefficient (a factor 1.5 in B is a factor 1.5 in lifetime).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from marsprobe.constants import DAY_S, GM_EARTH, J2_EARTH, OMEGA_EARTH, R_EARTH
from marsprobe.errors import InputError
from marsprobe.frames import earth_fixed_matrix, geodetic_from_fixed
from marsprobe.orbits.elements import elements_from_state
from marsprobe.orbits.ode import solve
from marsprobe.time import utc_from_tdb

_SAMPLES = 24


@cache
def _f107_table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    path = resources.files("marsprobe.orbits") / "data" / "f107_monthly.csv"
    rows = [
        line.split(",")
        for line in path.read_text().splitlines()
        if line and not line.startswith("#") and not line.startswith("year")
    ]
    months = np.array([int(r[0]) * 12 + int(r[1]) - 1 for r in rows])
    f107 = np.array([float(r[2]) for r in rows])
    ap = np.array([float(r[4]) for r in rows])
    return months, f107, ap


def solar_activity(t_tdb: float) -> tuple[float, float, float]:
    """Monthly F10.7 (sfu), its three-month mean (sfu) and monthly Ap at ``t_tdb``.

    Raises :class:`InputError` outside 1957-10..2000-12, the span of the shipped table.
    """
    months, f107, ap = _f107_table()
    utc = utc_from_tdb(t_tdb)
    month = int(utc[0:4]) * 12 + int(utc[5:7]) - 1
    k = int(np.searchsorted(months, month))
    if k >= months.size or months[k] != month:
        raise InputError(
            f"no solar activity on record for {utc[:7]}: the table covers 1957-10 to 2000-12"
        )
    lo, hi = max(k - 1, 0), min(k + 1, months.size - 1)
    return float(f107[k]), float(f107[lo : hi + 1].mean()), float(ap[k])


def density(t_tdb, r_icrf, activity=None) -> np.ndarray:
    """Mass density (kg/m^3) from NRLMSIS 2.1 at ICRF positions ``r_icrf`` (N, 3) in m and
    epochs ``t_tdb`` (N,), TDB s past J2000; ``activity`` is (F10.7, F10.7a, Ap)."""
    import pymsis

    t = np.atleast_1d(np.asarray(t_tdb, dtype=np.float64))
    r = np.atleast_2d(np.asarray(r_icrf, dtype=np.float64))
    f107, f107a, ap = activity if activity is not None else solar_activity(float(t[0]))
    fixed = np.einsum("nij,nj->ni", np.asarray(earth_fixed_matrix(t)).reshape(-1, 3, 3), r)
    lat, lon, alt = geodetic_from_fixed(fixed, "earth")
    # pymsis wants calendar dates; TDB-UTC (about a minute) does not matter for density
    dates = np.datetime64("2000-01-01T12:00:00") + (t * 1e6).astype("timedelta64[us]")
    n = t.size
    out = pymsis.calculate(
        dates,
        np.degrees(lon),
        np.degrees(lat),
        np.clip(alt / 1e3, 0.0, 1000.0),
        np.full(n, f107),
        np.full(n, f107a),
        np.full((n, 7), ap),
    )
    return np.asarray(out)[..., 0].reshape(n)


@dataclass(frozen=True)
class Decay:
    """Result of :func:`lifetime`: epoch of decay (TDB s), days in orbit, and the history
    of the mean altitude (``t``, ``perigee_km``, ``apogee_km`` at each solver step)."""

    epoch: float
    days: float
    decayed: bool
    t: np.ndarray
    perigee_km: np.ndarray
    apogee_km: np.ndarray


def lifetime(
    r,
    v,
    t_tdb: float,
    ballistic_coefficient: float,
    end_alt: float = 120e3,
    max_days: float = 400.0,
) -> Decay:
    """Time until the orbit through ``r`` (m), ``v`` (m/s) (ICRF, geocentric) at ``t_tdb``
    decays, for a body of ballistic coefficient ``m / (Cd A)`` in kg/m^2.

    ``decayed`` is False when the body is still up after ``max_days`` (then ``epoch`` is
    the end of the computation).
    """
    if not ballistic_coefficient > 0.0:
        raise InputError("the ballistic coefficient m/(Cd A) must be > 0 kg/m^2")
    el = elements_from_state(r, v, GM_EARTH)
    a0, e0 = float(el.a), float(el.e)
    if not (0.0 < a0 and e0 < 1.0):
        raise InputError("lifetime needs an elliptic orbit")
    inc = float(el.i)
    activity = solar_activity(t_tdb)
    ecc_anom = (np.arange(_SAMPLES) + 0.5) * (2.0 * np.pi / _SAMPLES)

    def rates(t, y):
        a, e, raan, argp = y
        a = max(a, R_EARTH + 60e3)  # a trial step may overshoot the end; keep it physical
        e = min(max(e, 0.0), 0.9)
        n = math.sqrt(GM_EARTH / a**3)
        cos_e = np.cos(ecc_anom)
        rr = a * (1.0 - e * cos_e)
        cos_nu = (cos_e - e) / (1.0 - e * cos_e)
        sin_nu = math.sqrt(1.0 - e * e) * np.sin(ecc_anom) / (1.0 - e * cos_e)
        mean = ecc_anom - e * np.sin(ecc_anom)
        u = argp + np.arctan2(sin_nu, cos_nu)
        co, so = math.cos(raan), math.sin(raan)
        ci, si = math.cos(inc), math.sin(inc)
        pos = np.stack(
            [
                rr * (co * np.cos(u) - so * np.sin(u) * ci),
                rr * (so * np.cos(u) + co * np.sin(u) * ci),
                rr * np.sin(u) * si,
            ],
            -1,
        )
        times = t + mean / n
        rho = density(times, pos, activity)
        speed = np.sqrt(GM_EARTH * (2.0 / rr - 1.0 / a))
        wind = (1.0 - rr * OMEGA_EARTH * ci / speed) ** 2
        f = -0.5 * rho * speed**2 * wind / ballistic_coefficient
        w = (1.0 - e * cos_e) / _SAMPLES
        da = float(np.sum(w * 2.0 * a * a * speed * f / GM_EARTH))
        de = float(np.sum(w * 2.0 * (e + cos_nu) * f / speed))
        p = a * (1.0 - e * e)
        k = 1.5 * n * J2_EARTH * (R_EARTH / p) ** 2
        return [da, de, -k * ci, 0.5 * k * (5.0 * ci * ci - 1.0)]

    def down(t, y):
        return y[0] - R_EARTH - end_alt

    down.terminal = True
    down.direction = -1
    y0 = [a0, e0, float(el.raan), float(el.argp)]
    if down(t_tdb, y0) <= 0.0:
        return Decay(
            t_tdb,
            0.0,
            True,
            np.array([t_tdb]),
            np.array([(a0 * (1 - e0) - R_EARTH) / 1e3]),
            np.array([(a0 * (1 + e0) - R_EARTH) / 1e3]),
        )
    sol = solve(
        rates,
        (t_tdb, t_tdb + max_days * DAY_S),
        y0,
        method="RK45",
        rtol=1e-6,
        atol=[1.0, 1e-7, 1e-6, 1e-6],
        events=[down],
        first_step=600.0,
        max_step=0.5 * DAY_S,
    )
    decayed = sol.status == 1
    t_end = float(sol.t_events[0][0]) if decayed else float(sol.t[-1])
    a, e = sol.y[0], np.clip(sol.y[1], 0.0, None)
    return Decay(
        epoch=t_end,
        days=(t_end - t_tdb) / DAY_S,
        decayed=decayed,
        t=sol.t,
        perigee_km=(a * (1.0 - e) - R_EARTH) / 1e3,
        apogee_km=(a * (1.0 + e) - R_EARTH) / 1e3,
    )


def ballistic_coefficient(mass: float, area: float, cd: float = 2.2) -> float:
    """m / (Cd A) in kg/m^2; Cd 2.2 is the usual free-molecular value for a tumbling body
    (e.g. Vallado 2013, sec. 8.6.2)."""
    if not (mass > 0 and area > 0 and cd > 0):
        raise InputError("mass, area and Cd must be positive")
    return mass / (cd * area)
