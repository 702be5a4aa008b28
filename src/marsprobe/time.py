"""Time scales UTC, TAI, TT and TDB, and the one internal epoch of marsprobe.

Inside marsprobe an instant is a float64 number of TDB seconds past J2000, that is past
2000-01-01T12:00:00 TDB (JD 2451545.0 TDB). UTC strings exist only at the edges.

The chain, each link with its source:

* UTC -> TAI: the table ``data/tai_utc.csv`` (USNO tai-utc.dat, IERS Bulletin C). Before 1972
  UTC ran at a rate offset from the SI second ("rubber seconds") and TAI-UTC is a linear
  function of the UTC date inside each segment; from 1972 on it only changes by leap seconds.
  The 1960 segment comes from the IAU SOFA/ERFA ``dat`` routine, which starts UTC on
  1960-01-01. Before that date UTC did not exist and ERFA returns 0 with a "dubious year"
  warning; marsprobe instead extends the 1960 segment backwards, which gives TAI-UTC ~ 0 at
  1958-01-01, the epoch at which TAI was set to agree with UT2. Such early dates should be
  read as approximate UT, good to about a second. After the last leap second (2016-12-31)
  TAI-UTC stays 37 s: no later leap second has been announced.
* TAI -> TT: TT = TAI + 32.184 s exactly (IAU 1991 Recommendation IV; IERS Conventions 2010,
  chapter 10).
* TT -> TDB: the periodic series of Fairhead & Bretagnon (1990, A&A 229, 240), truncated to
  its 30 largest time-independent terms and 2 largest terms proportional to time, with the
  coefficients as tabulated in the SOFA/ERFA ``dtdb`` routine. Against the full 787-term
  series (ERFA ``dtdb``, geocentre) the truncation error is at most 0.85 microseconds over
  the DE421 span 1899-2053 (measured on 400 001 dates). The topocentric terms (up to about
  2 microseconds) are left out: marsprobe's TDB is the geocentric one.

Leap seconds: ``23:59:60`` (and the fractional pre-1972 steps, such as 23:59:60.05 at the
end of 1963-10-31) is accepted on the days whose end carries a positive step, and
:func:`utc_from_tdb` writes it back the same way; UTC labels that never occurred (the 0.05 s
and 0.1 s skipped at the end of 1961-07-31 and 1968-01-31) are refused.

Each pre-1972 step happens at 00:00 UTC of its row's date, as tai-utc.dat states; ERFA's
``utctai``/``dtf2d`` pair gives the same instants (checked in the tests, also at noon of the
days before fractional steps).
"""

from __future__ import annotations

import csv
import datetime as _dt
import functools
import re
from importlib import resources
from typing import NamedTuple

import numpy as np

from marsprobe.constants import DAY_S
from marsprobe.errors import InputError

J2000_JD = 2451545.0
"""Julian Date of the J2000 epoch, 2000-01-01T12:00:00 (in TDB for marsprobe's epoch)."""
TT_MINUS_TAI_S = 32.184
"""TT - TAI in seconds, exact by definition (IAU 1991)."""

_J2000_MJD_DAY = 51544  # the MJD day whose noon is J2000
_MJD_OF_ORDINAL_1 = 678576  # MJD = date.toordinal() - 678576 (date(1858, 11, 17) -> MJD 0)
_MJD_UNIX = 40587  # MJD of 1970-01-01, numpy's datetime64 origin
_JULIAN_MILLENNIUM_S = 365250.0 * DAY_S

_ACCEPTED = (
    "accepted forms: YYYY-MM-DD, YYYY-MM-DDTHH:MM, YYYY-MM-DDTHH:MM:SS[.fff] "
    "(a space may replace T, a trailing Z is optional)"
)
_UTC_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?Z?",
)

# Fairhead & Bretagnon (1990) TDB-TT series, leading terms, as tabulated in SOFA/ERFA dtdb:
# amplitude (s), frequency (rad per Julian millennium of TDB past J2000), phase (rad).
_FB_T0 = np.array(
    [
        (1656.674564e-6, 6283.075849991, 6.240054195),
        (22.417471e-6, 5753.384884897, 4.296977442),
        (13.839792e-6, 12566.151699983, 6.196904410),
        (4.770086e-6, 529.690965095, 0.444401603),
        (4.676740e-6, 6069.776754553, 4.021195093),
        (2.256707e-6, 213.299095438, 5.543113262),
        (1.694205e-6, -3.523118349, 5.025132748),
        (1.554905e-6, 77713.771467920, 5.198467090),
        (1.276839e-6, 7860.419392439, 5.988822341),
        (1.193379e-6, 5223.693919802, 3.649823730),
        (1.115322e-6, 3930.209696220, 1.422745069),
        (0.794185e-6, 11506.769769794, 2.322313077),
        (0.447061e-6, 26.298319800, 3.615796498),
        (0.435206e-6, -398.149003408, 4.349338347),
        (0.600309e-6, 1577.343542448, 2.678271909),
        (0.496817e-6, 6208.294251424, 5.696701824),
        (0.486306e-6, 5884.926846583, 0.520007179),
        (0.432392e-6, 74.781598567, 2.435898309),
        (0.468597e-6, 6244.942814354, 5.866398759),
        (0.375510e-6, 5507.553238667, 4.103476804),
        (0.243085e-6, -775.522611324, 3.651837925),
        (0.173435e-6, 18849.227549974, 6.153743485),
        (0.230685e-6, 5856.477659115, 4.773852582),
        (0.203747e-6, 12036.460734888, 4.333987818),
        (0.143935e-6, -796.298006816, 5.957517795),
        (0.159080e-6, 10977.078804699, 1.890075226),
        (0.119979e-6, 38.133035638, 4.551585768),
        (0.118971e-6, 5486.777843175, 1.914547226),
        (0.116120e-6, 1059.381930189, 0.873504123),
        (0.137927e-6, 11790.629088659, 1.135934669),
    ]
)
_FB_T1 = np.array(
    [
        (102.156724e-6, 6283.075849991, 4.249032005),
        (1.706807e-6, 12566.151699983, 4.205904248),
    ]
)


class _Table(NamedTuple):
    start: np.ndarray  # int64 MJD of each segment's first UTC day
    offset: np.ndarray  # s
    ref: np.ndarray  # MJD
    rate: np.ndarray  # s/day
    tai_start_s: np.ndarray  # TAI at the segment start, seconds after 00:00 of its MJD day
    step_after: np.ndarray  # s, jump of TAI-UTC at the segment's end (0 for the last one)


def _mjd(year: int, month: int, day: int) -> int:
    return _dt.date(year, month, day).toordinal() - _MJD_OF_ORDINAL_1


@functools.cache
def _table() -> _Table:
    text = resources.files("marsprobe").joinpath("data/tai_utc.csv").read_text("utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    start = np.array([_mjd(*map(int, r["utc_date"].split("-"))) for r in rows], dtype=np.int64)
    jd = np.array([float(r["jd"]) for r in rows])
    if not np.array_equal(jd - 2400000.5, start.astype(float)) or np.any(np.diff(start) <= 0):
        raise RuntimeError("data/tai_utc.csv: utc_date and jd columns disagree or are unsorted")
    offset = np.array([float(r["tai_minus_utc_s"]) for r in rows])
    ref = np.array([float(r["ref_mjd"]) for r in rows])
    rate = np.array([float(r["rate_s_per_day"]) for r in rows])
    tai_start = offset + (start - ref) * rate
    old_at_next = offset[:-1] + (start[1:] - ref[:-1]) * rate[:-1]
    step = np.append(tai_start[1:] - old_at_next, 0.0)
    return _Table(start, offset, ref, rate, tai_start, step)


def _segment(mjd: np.ndarray) -> np.ndarray:
    """Index of the table row in force on UTC day ``mjd`` (the first row before 1960)."""
    tab = _table()
    return np.maximum(np.searchsorted(tab.start, mjd, side="right") - 1, 0)


def _dat(mjd: np.ndarray, sec: np.ndarray) -> np.ndarray:
    """TAI-UTC (s) at UTC day ``mjd`` (int) and ``sec`` seconds into that day."""
    tab = _table()
    i = _segment(mjd)
    return tab.offset[i] + ((mjd - tab.ref[i]) + sec / DAY_S) * tab.rate[i]


def _end_step(mjd: np.ndarray) -> np.ndarray:
    """Jump of TAI-UTC (s) at the end of UTC day ``mjd``; 0 on ordinary days."""
    tab = _table()
    nxt = np.searchsorted(tab.start, mjd + 1)
    hit = (nxt < tab.start.size) & (tab.start[np.minimum(nxt, tab.start.size - 1)] == mjd + 1)
    return np.where(hit, tab.step_after[np.maximum(nxt - 1, 0)], 0.0)


def tai_minus_utc(mjd_utc):
    """TAI-UTC in seconds at the UTC Modified Julian Date ``mjd_utc`` (float, fraction = time).

    Scalar in, float out; arrays keep their shape. On a leap-second day the value before the
    leap second is returned for the whole day.
    """
    m = np.asarray(mjd_utc, dtype=np.float64)
    day = np.floor(m)
    out = _dat(day.astype(np.int64), (m - day) * DAY_S)
    return float(out) if out.ndim == 0 else out


def tdb_minus_tt(t):
    """TDB-TT in seconds at ``t`` TDB (or TT) seconds past J2000, geocentric.

    Truncated Fairhead & Bretagnon (1990) series, within 0.85 microseconds of the full series
    over 1899-2053 (see the module docstring).
    """
    tm = np.asarray(t, dtype=np.float64)[..., None] / _JULIAN_MILLENNIUM_S
    w0 = np.sum(_FB_T0[:, 0] * np.sin(_FB_T0[:, 1] * tm + _FB_T0[:, 2]), axis=-1)
    w1 = np.sum(_FB_T1[:, 0] * np.sin(_FB_T1[:, 1] * tm + _FB_T1[:, 2]), axis=-1)
    out = w0 + tm[..., 0] * w1
    return float(out) if out.ndim == 0 else out


def tdb_from_tt(tt):
    """TDB seconds past J2000 from TT seconds past J2000 (TT's own J2000)."""
    tt = np.asarray(tt, dtype=np.float64)
    out = tt + tdb_minus_tt(tt)
    return float(out) if out.ndim == 0 else out


def tt_from_tdb(t):
    """TT seconds past J2000 from TDB seconds past J2000.

    The series changes by less than 1e-12 s over its own 1.7 ms size, so evaluating it at TDB
    instead of TT costs nothing.
    """
    t = np.asarray(t, dtype=np.float64)
    out = t - tdb_minus_tt(t)
    return float(out) if out.ndim == 0 else out


def julian_date_tdb(t):
    """TDB Julian Date of ``t`` TDB seconds past J2000 (float64: ~20 microsecond resolution)."""
    out = J2000_JD + np.asarray(t, dtype=np.float64) / DAY_S
    return float(out) if out.ndim == 0 else out


def tdb_from_julian_date(jd_tdb):
    """TDB seconds past J2000 from a TDB Julian Date."""
    out = (np.asarray(jd_tdb, dtype=np.float64) - J2000_JD) * DAY_S
    return float(out) if out.ndim == 0 else out


def days(t):
    """Seconds to days (86 400 s each): ``days(t)`` is TDB days past J2000 for an epoch."""
    out = np.asarray(t, dtype=np.float64) / DAY_S
    return float(out) if out.ndim == 0 else out


def seconds(d):
    """Days (86 400 s each) to seconds; the inverse of :func:`days`."""
    out = np.asarray(d, dtype=np.float64) * DAY_S
    return float(out) if out.ndim == 0 else out


def _strings(utc) -> tuple[np.ndarray, bool]:
    if isinstance(utc, str | np.str_):
        return np.array([str(utc)], dtype=object), True
    try:
        arr = np.asarray(utc, dtype=object)
    except (TypeError, ValueError) as exc:  # pragma: no cover - exotic containers
        raise InputError(f"cannot read UTC dates from {utc!r}; {_ACCEPTED}") from exc
    bad = [s for s in arr.ravel() if not isinstance(s, str | np.str_)]
    if bad:
        raise InputError(f"UTC date {bad[0]!r} is not a string; {_ACCEPTED}")
    if arr.ndim == 0:
        return arr.reshape(1), True
    return arr, False


def _parse_one(s: str) -> tuple[int, float]:
    m = _UTC_RE.fullmatch(s.strip())
    if m is None:
        raise InputError(f"cannot read UTC date {s!r}; {_ACCEPTED}")
    year, month, day = int(m[1]), int(m[2]), int(m[3])
    hour = int(m[4] or 0)
    minute = int(m[5] or 0)
    sec = float(m[6] or 0.0)
    try:
        mjd = _mjd(year, month, day)
    except ValueError as exc:
        raise InputError(f"UTC date {s!r} does not exist ({exc}); {_ACCEPTED}") from None
    if hour > 23 or minute > 59 or sec >= 61.0:
        raise InputError(f"UTC time of day in {s!r} is out of range; {_ACCEPTED}")
    if sec >= 60.0 and (hour, minute) != (23, 59):
        raise InputError(f"second 60 in {s!r} is only valid at 23:59:60; {_ACCEPTED}")
    return mjd, hour * 3600.0 + minute * 60.0 + sec


def parse_utc(utc):
    """Read ISO-8601 UTC date(s) into (MJD day, seconds into that UTC day).

    ``utc`` is a str or a sequence/array of str in one of the forms ``1971-05-28``,
    ``1971-05-28T15:26``, ``1971-05-28T15:26:30``, ``1971-05-28 15:26:30.25Z`` (trailing Z
    optional). Returns ``(mjd, sec)``: int MJD of the UTC day and float seconds since its
    00:00 (86 400 and beyond only inside a leap second). Scalar in, scalars out.

    Raises :class:`InputError` naming the bad string for a malformed text, an impossible date
    (1971-02-30, hour 25), a 23:59:60 on a day without a leap second, or a label that UTC
    skipped (the end of 1961-07-31 and 1968-01-31).
    """
    arr, scalar = _strings(utc)
    flat = arr.ravel()
    parsed = [_parse_one(str(s)) for s in flat]
    mjd = np.array([p[0] for p in parsed], dtype=np.int64)
    sec = np.array([p[1] for p in parsed], dtype=np.float64)
    day_length = DAY_S + _end_step(mjd)
    bad = np.flatnonzero((sec >= day_length) | ((sec >= DAY_S) & (day_length <= DAY_S)))
    if bad.size:
        s = flat[bad[0]]
        raise InputError(
            f"UTC label {s!r} never occurred: that day had {day_length[bad[0]]:.6g} s "
            f"(23:59:60 exists only on leap-second days such as 2016-12-31); {_ACCEPTED}"
        )
    if scalar:
        return int(mjd[0]), float(sec[0])
    return mjd.reshape(arr.shape), sec.reshape(arr.shape)


def _tdb_from_parts(mjd: np.ndarray, sec: np.ndarray) -> np.ndarray:
    # The big day term is added last so that every correction keeps ~1e-11 s resolution.
    small = (sec - 0.5 * DAY_S) + _dat(mjd, sec) + TT_MINUS_TAI_S
    big = (mjd - _J2000_MJD_DAY).astype(np.float64) * DAY_S
    return big + (small + tdb_minus_tt(big + small))


def tdb_from_utc(utc):
    """TDB seconds past J2000 from ISO-8601 UTC string(s) (see :func:`parse_utc` for forms).

    Scalar str in, float out; a sequence/array of str gives an array of the same shape.
    """
    arr, scalar = _strings(utc)
    mjd, sec = parse_utc(arr)
    out = _tdb_from_parts(np.asarray(mjd), np.asarray(sec))
    return float(out.ravel()[0]) if scalar else out


def _utc_parts(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """UTC (MJD day, seconds into the day) of TDB seconds past J2000 ``t``."""
    tab = _table()
    k = np.floor(t / DAY_S)
    r = t - k * DAY_S  # exact: the result is a multiple of t's last bit
    day = k.astype(np.int64) + _J2000_MJD_DAY
    tai_sec = r + 0.5 * DAY_S - tdb_minus_tt(t) - TT_MINUS_TAI_S
    shift = np.floor(tai_sec / DAY_S)
    day = day + shift.astype(np.int64)
    tai_sec = tai_sec - shift * DAY_S
    # Last row whose start (as a TAI instant: start day, tai_start_s) is not after the instant.
    i = np.searchsorted(tab.start, day, side="right") - 1
    i = np.where(
        (i >= 0)
        & (tab.start[np.maximum(i, 0)] == day)
        & (tai_sec < tab.tai_start_s[np.maximum(i, 0)]),
        i - 1,
        i,
    )
    i = np.maximum(i, 0)
    rate = tab.rate[i]
    x = (tai_sec - tab.offset[i] - (day - tab.ref[i]) * rate) / (1.0 + rate / DAY_S)
    has_next = i + 1 < tab.start.size
    nxt = np.where(
        has_next, tab.start[np.minimum(i + 1, tab.start.size - 1)], np.iinfo(np.int64).max // 2
    )
    y = (day - nxt).astype(np.float64) * DAY_S + x  # UTC seconds past the next row's start
    inserted = has_next & (y >= 0.0)
    q = np.floor(x / DAY_S)
    mjd = np.where(inserted, nxt - 1, day + q.astype(np.int64))
    sec = np.where(inserted, DAY_S + y, x - q * DAY_S)
    return mjd, sec


def utc_from_tdb(t, digits: int = 3):
    """ISO-8601 UTC string(s) such as ``1971-05-28T15:26:30.000Z`` for TDB seconds past J2000.

    ``digits`` (0-9) is the number of decimals of the second; the time is rounded to it.
    Scalar in, str out; arrays give an array of str of the same shape.
    """
    if not isinstance(digits, int | np.integer) or not 0 <= digits <= 9:
        raise InputError(f"digits must be an integer from 0 to 9, got {digits!r}")
    t = np.asarray(t, dtype=np.float64)
    if not np.all(np.isfinite(t)):
        raise InputError("cannot write a UTC date for a non-finite epoch (nan or inf)")
    mjd, sec = _utc_parts(t.ravel())
    unit = 10**digits
    q = np.rint(sec * unit).astype(np.int64)
    # Round to the label nearest in time among those that occurred. A day whose length is not
    # a whole number of units (the pre-1972 fractional steps: 1961-07-31 ends at 86 399.95 s)
    # has its last label below its end; an instant between the two goes to whichever is
    # nearer, the last label or 00:00 of the next day. Rounding the seconds alone would write
    # a skipped label such as 23:59:59.950 for an instant a few ns before 1961-08-01.
    day_len = DAY_S + _end_step(mjd)
    day_q = np.ceil(day_len * unit - 1e-6).astype(np.int64)  # first label that did not occur
    last = (day_q - 1) / unit
    carry = (q >= day_q) | ((sec > last) & (day_len - sec < sec - last))
    mjd = mjd + carry
    q = np.where(carry, np.maximum(np.rint((sec - day_len) * unit), 0).astype(np.int64), q)
    hour = np.minimum(q // (3600 * unit), 23)
    q = q - hour * 3600 * unit
    minute = np.minimum(q // (60 * unit), 59)
    q = q - minute * 60 * unit
    whole, frac = q // unit, q % unit
    dates = np.datetime_as_string((mjd - _MJD_UNIX).astype("datetime64[D]"))
    tail = [f".{f:0{digits}d}Z" if digits else "Z" for f in frac.tolist()]
    out = [
        f"{d}T{h:02d}:{m:02d}:{s:02d}{z}"
        for d, h, m, s, z in zip(
            dates, hour.tolist(), minute.tolist(), whole.tolist(), tail, strict=True
        )
    ]
    if t.ndim == 0:
        return out[0]
    return np.array(out).reshape(t.shape)


def utc_seconds_from_tdb(t):
    """UTC as seconds past 2000-01-01T12:00:00 UTC, counting 86 400 s per UTC day.

    This is the argument that Earth-rotation formulas take when UT1 is approximated by UTC
    (|UT1-UTC| < 0.9 s). A leap second counts on past 86 400 s of its day, so it shares
    values with the first second of the next day (1 s of Earth rotation = 0.004 deg).
    """
    t = np.asarray(t, dtype=np.float64)
    mjd, sec = _utc_parts(t.ravel())
    out = ((mjd - _J2000_MJD_DAY).astype(np.float64) * DAY_S + (sec - 0.5 * DAY_S)).reshape(t.shape)
    return float(out) if out.ndim == 0 else out
