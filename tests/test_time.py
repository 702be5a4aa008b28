"""Tests of marsprobe.time against ERFA (through astropy, the test-only oracle) and by itself.

astropy.time converts UTC to TAI with ERFA's dat/utctai (the same USNO/IERS TAI-UTC table,
including its 1960 segment) and TT to TDB with ERFA's full 787-term Fairhead & Bretagnon
series, so it is an independent implementation of the same definitions.
"""

from __future__ import annotations

import warnings

import erfa
import numpy as np
import pytest
from astropy.time import Time
from hypothesis import given, settings
from hypothesis import strategies as st

from marsprobe import time as mt
from marsprobe.errors import InputError, MarsprobeError

# The dates named in issue 3: the 1960 launches, both sides of the start of tai-utc.dat, the
# 1968 negative step, both sides of the first leap second, of the last one, and the far end.
ORACLE_DATES = [
    "1960-10-10",
    "1960-10-10T14:27:00",
    "1961-01-01",
    "1968-02-01",
    "1971-05-28T15:26:30",
    "1961-07-31T12:00:00",
    "1963-10-31T18:00:00",
    "1971-12-31",
    "1971-12-31T12:00:00",
    "1972-01-01",
    "1988-06-15T08:00:00",
    "2000-01-01T12:00:00",
    "2016-12-31",
    "2016-12-31T12:00:00",
    "2017-01-01",
    "2050-01-01",
]


def _astropy_tdb_seconds(utc):
    with warnings.catch_warnings():
        # ERFA flags years more than 5 after its release as "dubious" but computes them.
        warnings.simplefilter("ignore", erfa.ErfaWarning)
        tdb = Time(utc, scale="utc").tdb
    return ((tdb.jd1 - mt.J2000_JD) + tdb.jd2) * 86400.0


@pytest.mark.parametrize("utc", ORACLE_DATES)
def test_tai_minus_utc_matches_erfa(utc):
    mjd, sec = mt.parse_utc(utc)
    y, m, d = (int(v) for v in utc[:10].split("-"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", erfa.ErfaWarning)  # 2050 is a "dubious year" to ERFA
        expected = erfa.dat(y, m, d, sec / 86400.0)
    # 1e-9 s: both evaluate the same linear formula of the same table.
    assert mt.tai_minus_utc(mjd + sec / 86400.0) == pytest.approx(expected, abs=1e-9)


def test_tai_minus_utc_1960_launches_not_ten_seconds():
    # Issue 3 of marsprobe: "TAI-UTC was 1.31 s on 1960-10-10, not 10 s"; ERFA dat gives
    # 1.4178180 + (37217 - 37300) * 0.001296 = 1.31025 s (1960 row of SOFA/ERFA dat.c).
    assert mt.tai_minus_utc(37217.0) == pytest.approx(1.31025, abs=1e-9)  # exact arithmetic


def test_tai_minus_utc_every_table_boundary_matches_erfa():
    # Each row of the table on its first day, and the last day of the row before it, against
    # ERFA dat (a transcription independent of data/tai_utc.csv). 1e-9 s: same arithmetic.
    table = mt._table()
    for mjd in np.concatenate([table.start, table.start[1:] - 1]):
        y, m, d = (int(v) for v in str(np.datetime64(int(mjd) - 40587, "D")).split("-"))
        assert mt.tai_minus_utc(float(mjd)) == pytest.approx(erfa.dat(y, m, d, 0.0), abs=1e-9)


def test_tai_minus_utc_holds_37_after_2017_and_is_vectorized():
    # IERS Bulletin C: no leap second after 2016-12-31 (37 s from 2017-01-01 on).
    mjd = np.array([57753.5, 57754.0, 60000.0, 69807.0])  # 2016-12-31 .. 2050-01-01
    np.testing.assert_array_equal(mt.tai_minus_utc(mjd), [36.0, 37.0, 37.0, 37.0])


def test_before_1960_extrapolates_to_zero_near_1958():
    # TAI was set to agree with UT2 at 1958-01-01 (MJD 36204); extending the 1960 UTC
    # segment backwards lands within 3 ms of zero there (a documented extrapolation).
    assert abs(mt.tai_minus_utc(36204.0)) < 3e-3


@pytest.mark.parametrize("utc", ORACLE_DATES)
def test_tdb_seconds_match_astropy(utc):
    # 2 microseconds: the truncated Fairhead & Bretagnon series is within 0.85 us of ERFA's
    # full series (module docstring), plus ~0.3 us of float64 rounding at 1e9 s.
    assert mt.tdb_from_utc(utc) == pytest.approx(_astropy_tdb_seconds(utc), abs=2e-6)


def test_tdb_vectorized_over_1960_2050_matches_astropy():
    rng = np.random.default_rng(3)
    mjd = rng.integers(36934, 69807, 200)  # 1960-01-01 .. 2050-01-01
    sec = np.floor(rng.uniform(0.0, 86400.0, 200) * 1000.0) / 1000.0
    keep = sec < 86400.0 + mt._end_step(mjd)  # labels skipped by a negative step are refused
    utc = [
        f"{np.datetime64(int(m) - 40587, 'D')}T{int(s // 3600):02d}:{int(s % 3600 // 60):02d}:"
        f"{s % 60:06.3f}"
        for m, s in zip(mjd[keep], sec[keep], strict=True)
    ]
    # Same 2 us budget as above.
    np.testing.assert_allclose(mt.tdb_from_utc(utc), _astropy_tdb_seconds(utc), rtol=0, atol=2e-6)


def test_tdb_minus_tt_against_full_series():
    # 1 us: the truncation error measured over 1899-2053 is 0.85 us (module docstring).
    t = np.linspace(-3.1e9, 1.7e9, 5001)
    full = erfa.dtdb(mt.J2000_JD, t / 86400.0, 0.0, 0.0, 0.0, 0.0)
    np.testing.assert_allclose(mt.tdb_minus_tt(t), full, rtol=0, atol=1e-6)


def test_tt_tdb_helpers_invert_each_other():
    t = np.linspace(-1.3e9, 1.6e9, 101)
    # 1e-9 s: the series changes by < 1e-12 s over its own 1.7 ms size; float64 at 1.6e9 s
    # rounds to 2.4e-7 s, hence the absolute budget on the round trip.
    np.testing.assert_allclose(mt.tdb_from_tt(mt.tt_from_tdb(t)), t, rtol=0, atol=5e-7)
    assert mt.tt_from_tdb(0.0) == pytest.approx(-mt.tdb_minus_tt(0.0), abs=1e-12)


def test_j2000_is_noon_tt_2000_01_01_minus_64_184_s():
    # J2000 TDB is 2000-01-01T12:00:00 TDB = 11:58:55.816 UTC (TAI-UTC 32 s + 32.184 s, minus
    # TDB-TT of about -0.1 ms): the IERS/USNO textbook value of UTC at J2000.0.
    assert mt.utc_from_tdb(0.0) == "2000-01-01T11:58:55.816Z"
    assert mt.julian_date_tdb(0.0) == mt.J2000_JD
    assert mt.tdb_from_julian_date(mt.J2000_JD + 1.5) == 1.5 * 86400.0
    assert mt.days(mt.seconds(2.5)) == 2.5


def test_scalars_in_scalars_out_and_shapes_kept():
    assert isinstance(mt.tdb_from_utc("1971-05-28"), float)
    assert isinstance(mt.utc_from_tdb(0.0), str)
    arr = mt.tdb_from_utc([["1971-05-28", "1971-05-30"], ["1973-08-09", "1996-11-16"]])
    assert arr.shape == (2, 2)
    assert mt.utc_from_tdb(arr).shape == (2, 2)
    assert mt.tdb_from_utc(np.array(["1971-05-28"]))[0] == mt.tdb_from_utc("1971-05-28")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1971-05-28", "1971-05-28T00:00:00.000Z"),
        ("1971-05-28T15:26", "1971-05-28T15:26:00.000Z"),
        ("1971-05-28T15:26:30", "1971-05-28T15:26:30.000Z"),
        ("1971-05-28 15:26:30.25Z", "1971-05-28T15:26:30.250Z"),
        ("1971-05-28T15:26:30Z", "1971-05-28T15:26:30.000Z"),
    ],
)
def test_accepted_forms_round_trip(text, expected):
    assert mt.utc_from_tdb(mt.tdb_from_utc(text)) == expected


def test_leap_seconds_round_trip():
    # 23:59:60 exists at the end of 2016-12-31 (IERS Bulletin C 52) and, as a 0.1 s step, at
    # the end of 1963-10-31 (tai-utc.dat 1963 NOV 1 row); the 1972 step is 0.107758 s.
    labels = [
        "2016-12-31T23:59:60.500000Z",
        "1963-10-31T23:59:60.050000Z",
        "1971-12-31T23:59:60.100000Z",
        "1972-06-30T23:59:60.000000Z",
    ]
    assert list(mt.utc_from_tdb(mt.tdb_from_utc(labels), digits=6)) == labels
    # One SI second after 23:59:59 on a leap day is 23:59:60, two is the next day.
    t = mt.tdb_from_utc("2016-12-31T23:59:59")
    assert mt.utc_from_tdb(t + 1.0, digits=0) == "2016-12-31T23:59:60Z"
    assert mt.utc_from_tdb(t + 2.0, digits=0) == "2017-01-01T00:00:00Z"


def test_rounding_carries_into_the_next_day():
    t = mt.tdb_from_utc("1971-05-28T23:59:59.9996")
    assert mt.utc_from_tdb(t, digits=3) == "1971-05-29T00:00:00.000Z"
    assert mt.utc_from_tdb(t, digits=0) == "1971-05-29T00:00:00Z"


@settings(max_examples=300, deadline=None)
@given(
    mjd=st.integers(min_value=36934, max_value=69807),  # 1960-01-01 .. 2050-01-01
    micro=st.integers(min_value=0, max_value=86_400_000_000 - 1),
)
def test_round_trip_exact_to_the_microsecond(mjd, micro):
    # Issue 3: UTC -> TDB -> UTC exact to 1 microsecond. The float64 epoch resolves 0.24 us at
    # 1.6e9 s and every correction is applied at 1e-11 s resolution, so a label on the
    # microsecond grid comes back identical when written with 6 decimals.
    sec = micro / 1e6
    if sec >= 86400.0 + mt._end_step(np.array([mjd]))[0]:
        return  # a label skipped by a negative pre-1972 step: refused, tested below
    date = str(np.datetime64(mjd - 40587, "D"))
    text = (
        f"{date}T{micro // 3_600_000_000:02d}:{micro // 60_000_000 % 60:02d}:"
        f"{micro // 1_000_000 % 60:02d}.{micro % 1_000_000:06d}Z"
    )
    assert mt.utc_from_tdb(mt.tdb_from_utc(text), digits=6) == text


def test_instant_at_a_negative_step_writes_a_label_that_occurred():
    # Issue 16: the 1961-08-01 row of tai-utc.dat lowers TAI-UTC by 0.05 s, so 1961-07-31 ends
    # at 23:59:59.95. Its 00:00 came back 31 ns early and was written as the skipped label
    # 23:59:59.950, which parse_utc refuses.
    t = mt.tdb_from_utc("1961-08-01T00:00:00")
    assert mt.utc_from_tdb(t) == "1961-08-01T00:00:00.000Z"
    assert mt.utc_from_tdb(mt.tdb_from_utc("1968-02-01T00:00:00")) == "1968-02-01T00:00:00.000Z"


_PRE_1972 = int(np.searchsorted(mt._table().start, 41317))  # rows before 1972-01-01 (MJD 41317)


@settings(max_examples=400, deadline=None)
@given(
    row=st.integers(min_value=0, max_value=_PRE_1972 - 1),
    where=st.floats(min_value=0.0, max_value=1.0),
    near_end=st.one_of(st.none(), st.floats(min_value=-2.0, max_value=2.0)),
    digits=st.integers(min_value=0, max_value=9),
)
def test_round_trip_over_every_pre_1972_segment(row, where, near_end, digits):
    # Any instant of any rubber-second segment (or within 2 s of the step that ends it) is
    # written as a UTC label that parse_utc accepts and that reads back to the same instant
    # within half a unit of the last digit, plus 2 us: the float64 epoch resolves 0.24 us near
    # -1.2e9 s and the rate term and the TDB-TT series each add rounding of that order.
    tab = mt._table()
    start = mt.tdb_from_utc(str(np.datetime64(int(tab.start[row]) - 40587, "D")))
    end = mt.tdb_from_utc(str(np.datetime64(int(tab.start[row + 1]) - 40587, "D")))
    t = end + near_end if near_end is not None else start + where * (end - start)
    label = mt.utc_from_tdb(t, digits=digits)
    back = mt.tdb_from_utc(label)  # raises InputError for a label that never occurred
    assert abs(back - t) <= 0.5 * 10.0**-digits + 2e-6, (label, back - t)


@pytest.mark.parametrize(
    "bad",
    [
        "1971-02-30",  # no such day
        "1971-13-01",
        "1971-05-28T25:00",  # hour 25
        "1971-05-28T12:60",
        "1971-05-28T12:00:61",
        "1971-05-28T23:59:60",  # not a leap-second day
        "1968-01-31T23:59:59.95",  # skipped by the -0.1 s step of 1968-02-01 (tai-utc.dat)
        "28/05/1971",
        "1971-5-28",
        "1971-05-28T15",
        "",
        "yesterday",
    ],
)
def test_bad_input_names_the_string_and_the_accepted_forms(bad):
    with pytest.raises(InputError) as info:
        mt.tdb_from_utc(bad)
    assert repr(bad) in str(info.value)
    assert "accepted forms" in str(info.value)
    assert isinstance(info.value, MarsprobeError)


def test_bad_input_in_a_batch_and_non_strings():
    with pytest.raises(InputError, match="'1971-02-30'"):
        mt.tdb_from_utc(["1971-05-28", "1971-02-30"])
    with pytest.raises(InputError, match="not a string"):
        mt.tdb_from_utc([1971.4])
    with pytest.raises(InputError, match="digits"):
        mt.utc_from_tdb(0.0, digits=12)
    with pytest.raises(InputError, match="non-finite"):
        mt.utc_from_tdb(float("nan"))
