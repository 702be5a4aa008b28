"""Positions and velocities of the Sun, Moon and planets from JPL's DE421 ephemeris.

DE421 (Folkner, Williams & Boggs 2009, IPN Progress Report 42-178) is read from the PyPI
package ``de421`` with jplephem's package interface (``jplephem.ephem``), so nothing is
downloaded at run time. The package holds the Chebyshev series of the ephemeris file in km
and km/day, axes of the ICRF (equatorial J2000), argument the TDB Julian Date, over
JD 2414992.5 to 2524624.5, that is 1899-12-04 to 2200-02-01 TDB: this package holds the
300-year export of DE421, not the 1899-07-29..2053-10-09 span of JPL's de421.bsp file (its
own docstring says "1900 through 2050"; the coefficient arrays and their jalpha/jomega say
otherwise, and the Earth agrees with ERFA's epv00 to 3-5 km at both ends).

What each series is, in DE4xx: the planets and the Sun are relative to the solar-system
barycentre (for Mars and the outer planets, the barycentre of the planet's system, which for
Mars is within a few cm of its centre); ``earthmoon`` is the Earth-Moon barycentre (EMB);
``moon`` is the Moon relative to the Earth's centre. So the Earth's centre is
EMB - moon / (1 + EMRAT) and the Moon is EMB + moon * EMRAT / (1 + EMRAT), with EMRAT the
Earth/Moon mass ratio of the ephemeris (81.30056907).

Results are in SI: metres and metres per second, ICRF axes.
"""

from __future__ import annotations

import functools

import numpy as np

from marsprobe.constants import DAY_S
from marsprobe.errors import EphemerisRangeError, InputError

BODIES = (
    "sun",
    "mercury",
    "venus",
    "earth",
    "moon",
    "earth-moon-barycenter",
    "mars",
    "jupiter",
    "saturn",
    "uranus",
    "neptune",
    "ssb",
)
"""Names accepted as ``body`` and ``center``; "ssb" is the solar-system barycentre."""

JD_FIRST = 2414992.5
"""First TDB Julian Date that the de421 package covers (1899-12-04)."""
JD_LAST = 2524624.5
"""Last TDB Julian Date that the de421 package covers (2200-02-01)."""

_J2000_JD = 2451545.0
_KM = 1000.0
_KM_PER_DAY = 1000.0 / DAY_S


@functools.cache
def _ephemeris():
    """The DE421 reader, built on first use (jplephem then loads each series once)."""
    import de421
    from jplephem.ephem import Ephemeris

    eph = Ephemeris(de421)
    if (eph.jalpha, eph.jomega) != (JD_FIRST, JD_LAST):  # a different build of the package
        raise RuntimeError(
            f"de421 package spans JD {eph.jalpha}..{eph.jomega}, expected {JD_FIRST}..{JD_LAST}"
        )
    return eph


@functools.cache
def _series_of(body: str) -> tuple[tuple[str, float], ...]:
    """Barycentric state of ``body`` as a linear combination of ephemeris series."""
    emrat = float(_ephemeris().EMRAT)
    if body == "ssb":
        return ()
    if body == "earth":
        return (("earthmoon", 1.0), ("moon", -1.0 / (1.0 + emrat)))
    if body == "moon":
        return (("earthmoon", 1.0), ("moon", emrat / (1.0 + emrat)))
    if body == "earth-moon-barycenter":
        return (("earthmoon", 1.0),)
    return ((body, 1.0),)


def _check_body(name: str, role: str) -> str:
    if not isinstance(name, str) or name.lower() not in BODIES:
        raise InputError(f"unknown {role} {name!r}; accepted: {', '.join(BODIES)}")
    return name.lower()


def _combination(body: str, center: str) -> dict[str, float]:
    coef: dict[str, float] = {}
    for name, c in _series_of(body):
        coef[name] = coef.get(name, 0.0) + c
    for name, c in _series_of(center):
        coef[name] = coef.get(name, 0.0) - c
    # Earth -> Moon leaves exactly the geocentric Moon series: drop the cancelled EMB term.
    return {name: c for name, c in coef.items() if abs(c) > 1e-15}


def _days(t) -> tuple[np.ndarray, tuple[int, ...]]:
    t = np.asarray(t, dtype=np.float64)
    if not np.all(np.isfinite(t)):
        raise InputError("epoch must be finite TDB seconds past J2000 (got nan or inf)")
    d = t.ravel() / DAY_S
    jd = _J2000_JD + d
    outside = np.flatnonzero((jd < JD_FIRST) | (jd > JD_LAST))
    if outside.size:
        from marsprobe.time import utc_from_tdb

        bad = float(t.ravel()[outside[0]])
        raise EphemerisRangeError(
            f"epoch {utc_from_tdb(bad, digits=0)} (TDB JD {_J2000_JD + bad / DAY_S:.3f}) is "
            f"outside the DE421 ephemeris, which covers {_tdb_date(JD_FIRST)} to "
            f"{_tdb_date(JD_LAST)} TDB (JD {JD_FIRST} to {JD_LAST})"
        )
    return d, t.shape


def _tdb_date(jd: float) -> str:
    return str(np.datetime64(int(np.floor(jd - 2440587.5)), "D"))


def _evaluate(body: str, center: str, t, velocity: bool):
    body = _check_body(body, "body")
    center = _check_body(center, "center")
    d, shape = _days(t)
    eph = _ephemeris()
    r = np.zeros((3, d.size))
    v = np.zeros((3, d.size)) if velocity else None
    if d.size:
        for name, c in _combination(body, center).items():
            # J2000 as the big part and days past it as the small part keeps the Chebyshev
            # argument at full float64 resolution.
            bundle = eph.compute_bundle(name, _J2000_JD, d)
            r += c * eph.position_from_bundle(bundle)
            if velocity:
                v += c * eph.velocity_from_bundle(bundle)
    r = (r.T * _KM).reshape(shape + (3,))
    if not velocity:
        return r
    return r, (v.T * _KM_PER_DAY).reshape(shape + (3,))


def state(body: str, t, center: str = "sun") -> tuple[np.ndarray, np.ndarray]:
    """Position (m) and velocity (m/s) of ``body`` relative to ``center``, ICRF axes.

    ``t`` is TDB seconds past J2000: a scalar gives two arrays of shape (3,), an array of
    shape (N,) gives (N, 3) (any shape S gives S + (3,)). ``body`` and ``center`` are names
    from :data:`BODIES`. Raises :class:`EphemerisRangeError` outside 1899-12-04..2200-02-01 TDB.
    """
    return _evaluate(body, center, t, velocity=True)


def position(body: str, t, center: str = "sun") -> np.ndarray:
    """Position (m) of ``body`` relative to ``center``, ICRF axes; as :func:`state`."""
    return _evaluate(body, center, t, velocity=False)
