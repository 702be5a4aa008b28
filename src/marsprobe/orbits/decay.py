"""Orbital lifetime in low Earth orbit under atmospheric drag, with the Sun of the date.

Model: the orbit-averaged decay of the semi-major axis and eccentricity under tangential
drag (King-Hele, "Satellite Orbits in an Atmosphere", 1987, ch. 3-4), with

    da/dt = < 2 a^2 v f / mu >,  de/dt = < 2 (e + cos nu) f / v >,
    f = -1/2 rho v^2 F / B,  F = (1 - r omega cos(i) / v)^2,

averaged over time (uniform samples of the eccentric anomaly weighted by 1 - e cos E),
where ``B = m / (Cd A)`` is the ballistic coefficient and ``F`` the wind factor of an
atmosphere turning with the Earth. The node and perigee turn under J2 (Vallado 2013,
eq. 9-41), so the density is sampled where the orbit really is. Density is NRLMSIS 2.1 with
the solar and geomagnetic activity of the month (:mod:`marsprobe.orbits.thermosphere`),
through its table of the orbit's samples (``tabulated=True``, the default) or evaluated at
every sample of every evaluation (``tabulated=False``, ten times slower; the table's lifetimes
agree with it within the error the table's interpolation makes in the decay rate, measured in
tests/test_decay.py).

The integration (RK45 of :func:`marsprobe.orbits.ode.solve`, ``rtol=1e-6``, steps of at most
half a day) stops when the mean altitude falls below ``end_alt`` (120 km by default): from
there a body comes down within about a revolution, so the lifetime is good to an hour or two;
the dominant uncertainty is the ballistic coefficient (a factor 1.5 in B is a factor 1.5 in
lifetime).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from marsprobe.constants import DAY_S, GM_EARTH, J2_EARTH, OMEGA_EARTH, R_EARTH
from marsprobe.errors import InputError
from marsprobe.frames import geodetic_from_fixed, precession_matrix
from marsprobe.orbits.elements import elements_from_state
from marsprobe.orbits.ode import solve
from marsprobe.orbits.thermosphere import DensityTable, density, solar_activity

_SAMPLES = 24
_ECC_ANOM = (np.arange(_SAMPLES) + 0.5) * (2.0 * np.pi / _SAMPLES)
_COS_E, _SIN_E = np.cos(_ECC_ANOM), np.sin(_ECC_ANOM)


def _samples(t: float, y, inc: float):
    """The orbit's samples for the state ``y`` = (a, e, node, perigee argument) at ``t``:
    their epochs (TDB s), ICRF positions (m), radii (m) and cos of the true anomaly."""
    a, e, raan, argp = y
    n = math.sqrt(GM_EARTH / a**3)
    rr = a * (1.0 - e * _COS_E)
    cos_nu = (_COS_E - e) / (1.0 - e * _COS_E)
    sin_nu = math.sqrt(1.0 - e * e) * _SIN_E / (1.0 - e * _COS_E)
    u = argp + np.arctan2(sin_nu, cos_nu)
    co, so = math.cos(raan), math.sin(raan)
    ci, si = math.cos(inc), math.sin(inc)
    cu, su = np.cos(u), np.sin(u)
    pos = np.stack([rr * (co * cu - so * su * ci), rr * (so * cu + co * su * ci), rr * su * si], -1)
    return t + (_ECC_ANOM - e * _SIN_E) / n, pos, rr, cos_nu


def _j2_rates(a: float, e: float, inc: float) -> tuple[float, float]:
    """Secular rates (rad/s) of the node and of the argument of perigee under J2."""
    n = math.sqrt(GM_EARTH / a**3)
    k = 1.5 * n * J2_EARTH * (R_EARTH / (a * (1.0 - e * e))) ** 2
    ci = math.cos(inc)
    return -k * ci, 0.5 * k * (5.0 * ci * ci - 1.0)


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


def _rates(t0: float, inc: float, bc: float, tabulated: bool = True):
    """The right-hand side ``rates(t, y)`` of the decay for ``y`` = (a, e, node, perigee
    argument) from epoch ``t0`` (TDB s), inclination ``inc`` (rad) and ballistic coefficient
    ``bc`` (kg/m^2): da/dt, de/dt (the averages of the module docstring) and the J2 rates."""
    activity = solar_activity(t0)
    table = DensityTable(t0, activity) if tabulated else None
    # The samples' altitudes (tabulated) need the pole, not the Earth's turn: the mean equator
    # of the start date moves 20"/yr, a few metres of altitude over a 400-day computation.
    to_date = precession_matrix(t0).T
    ci = math.cos(inc)

    def rates(t, y):
        a, e, raan, argp = y
        a = max(a, R_EARTH + 60e3)  # a trial step may overshoot the end; keep it physical
        e = min(max(e, 0.0), 0.9)
        times, pos, rr, cos_nu = _samples(t, (a, e, raan, argp), inc)
        if table is None:
            rho = density(times, pos, activity)
        else:
            alt = geodetic_from_fixed(pos @ to_date, "earth")[2]
            node_rate, perigee_rate = _j2_rates(a, e, inc)

            def where(node_t):
                dt = node_t - t
                drifted = (a, e, raan + node_rate * dt, argp + perigee_rate * dt)
                return _samples(node_t, drifted, inc)[:2]

            rho = np.exp(table.log_density(t, alt, where))
        speed = np.sqrt(GM_EARTH * (2.0 / rr - 1.0 / a))
        wind = (1.0 - rr * OMEGA_EARTH * ci / speed) ** 2
        f = -0.5 * rho * speed**2 * wind / bc
        w = (1.0 - e * _COS_E) / _SAMPLES
        da = float(np.sum(w * 2.0 * a * a * speed * f / GM_EARTH))
        de = float(np.sum(w * 2.0 * (e + cos_nu) * f / speed))
        return [da, de, *_j2_rates(a, e, inc)]

    return rates


def lifetime(
    r,
    v,
    t_tdb: float,
    ballistic_coefficient: float,
    end_alt: float = 120e3,
    max_days: float = 400.0,
    tabulated: bool = True,
) -> Decay:
    """Time until the orbit through ``r`` (m), ``v`` (m/s) (ICRF, geocentric) at ``t_tdb``
    decays, for a body of ballistic coefficient ``m / (Cd A)`` in kg/m^2.

    ``decayed`` is False when the body is still up after ``max_days`` (then ``epoch`` is
    the end of the computation). ``tabulated=False`` evaluates NRLMSIS at every sample of
    every evaluation instead of through the table (see the module docstring).
    """
    if not ballistic_coefficient > 0.0:
        raise InputError("the ballistic coefficient m/(Cd A) must be > 0 kg/m^2")
    el = elements_from_state(r, v, GM_EARTH)
    a0, e0 = float(el.a), float(el.e)
    if not (0.0 < a0 and e0 < 1.0):
        raise InputError("lifetime needs an elliptic orbit")
    inc = float(el.i)
    rates = _rates(t_tdb, inc, ballistic_coefficient, tabulated)

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
