"""Launch windows 1960-1990 (marsprobe.analysis.windows) against the sky and the record."""

from __future__ import annotations

import numpy as np
import pytest

from marsprobe.analysis.windows import (
    SYNODIC_PERIOD_DAYS,
    find_windows,
    flown_transfers,
    total_dv,
)
from marsprobe.constants import DAY_S, GM_EARTH, R_EARTH
from marsprobe.errors import InputError
from marsprobe.time import tdb_from_utc, utc_from_tdb


@pytest.fixture(scope="module")
def windows():
    return find_windows(tdb_from_utc("1960-01-01"), tdb_from_utc("1991-01-01"))


@pytest.fixture(scope="module")
def sky():
    """Oppositions and the Earth-Mars distance, 1957-1992, from DE421 at 6-hour steps."""
    from marsprobe.ephemeris import state
    from marsprobe.frames import ecliptic_from_icrf

    t = np.arange(tdb_from_utc("1957-01-01"), tdb_from_utc("1992-06-01"), 0.25 * DAY_S)
    e = ecliptic_from_icrf(state("earth", t)[0])
    m = ecliptic_from_icrf(state("mars", t)[0])
    lead = np.angle(np.exp(1j * (np.arctan2(m[:, 1], m[:, 0]) - np.arctan2(e[:, 1], e[:, 0]))))
    # Opposition: the Earth overtakes Mars, Mars' lead in longitude falls through zero.
    k = np.flatnonzero((lead[:-1] > 0) & (lead[1:] <= 0) & (np.abs(lead[:-1]) < 1.0))
    return t[k], t, np.linalg.norm(m - e, axis=1)


def _window_of(windows, year):
    (w,) = [w for w in windows if utc_from_tdb(w.best.departure).startswith(str(year))]
    return w


def test_one_window_before_each_opposition(windows, sky):
    # A Hohmann transfer to Mars leaves when Mars leads the Earth by 44 deg; the lead
    # closes at 360/365.256 - 360/686.980 = 0.46 deg/day (sidereal periods, NASA Planetary
    # Fact Sheets), so a window precedes its opposition by about 96 days. Mars'
    # eccentricity (0.093: its angular rate varies by +-19 %) and the choice between type I
    # and II move that by weeks: 96 +- 60 days is accepted.
    opp = sky[0]
    opp = opp[(opp > windows[0].best.departure) & (opp < tdb_from_utc("1991-06-01"))]
    assert len(windows) == len(opp) == 15
    for w, o in zip(windows, opp, strict=True):
        assert 36.0 <= (o - w.best.departure) / DAY_S <= 156.0


def test_windows_are_one_synodic_period_apart(windows, sky):
    # The synodic period 779.94 d (from the sidereal periods) is a mean: successive
    # oppositions in DE421 over the same years are 764-811 days apart. A window's lead on
    # its opposition changes by a few weeks from one to the next (previous test), so each
    # interval is accepted within 40 days of the oppositions' own spread, and the mean
    # over 14 intervals, where those changes mostly cancel, within 10 days of the period.
    opp_gaps = np.diff(sky[0]) / DAY_S
    dep = np.array([w.best.departure for w in windows])
    gaps = np.diff(dep) / DAY_S
    assert np.all(gaps >= opp_gaps.min() - 40.0)
    assert np.all(gaps <= opp_gaps.max() + 40.0)
    assert gaps.mean() == pytest.approx(SYNODIC_PERIOD_DAYS, abs=10.0)
    assert SYNODIC_PERIOD_DAYS == pytest.approx(779.94, abs=0.01)


def test_1971_is_the_perihelic_opposition_and_the_cheapest_of_its_neighbours(windows, sky):
    # 000_70f349aa415e466e.txt at 00:22:30: 1971 was "a special year", Mars and the Earth
    # being particularly close. DE421 check: the least Earth-Mars distance of 1957-1987
    # falls in August 1971 (0.376 AU), after the 1971 window.
    _opp, t, dist = sky
    span = (t >= tdb_from_utc("1957-01-01")) & (t < tdb_from_utc("1988-01-01"))
    closest = t[span][np.argmin(dist[span])]
    assert utc_from_tdb(closest).startswith("1971-08")
    w71, w69, w73 = (_window_of(windows, y) for y in (1971, 1969, 1973))
    assert 0.0 < closest - w71.best.departure < 0.5 * SYNODIC_PERIOD_DAYS * DAY_S
    assert w71.total_dv < w69.total_dv
    assert w71.total_dv < w73.total_dv
    assert w71.best.kind == "I"


@pytest.mark.parametrize(
    ("year", "c3", "date"),
    [
        # /work/shared/peers/README.md reference minima (DE421, Earth-Moon barycentre,
        # ballistic, zero-rev, type I). Tolerance: the rounding of the quoted figures
        # (0.005 km2/s2, half a day; one day allowed for the UTC/TDB day boundary).
        (1971, 7.94, "1971-05-24T12:00"),
        (1973, 14.45, "1973-07-29T12:00"),
    ],
)
def test_type_i_minima_match_reference(year, c3, date):
    found = find_windows(
        tdb_from_utc(f"{year}-01-01"),
        tdb_from_utc(f"{year}-12-31"),
        origin="earth-moon-barycenter",
        with_catalog=False,
    )
    (w,) = found
    assert w.type_i is not None
    assert w.type_i.c3 / 1e6 == pytest.approx(c3, abs=0.006)
    assert abs(w.type_i.departure - tdb_from_utc(date)) <= DAY_S


# Launches that the issue names as flown inside their windows. "Inside" here: the C3 of
# the flown dates is within 2.5 km2/s2 of the window's minimum. 2.5 is what leaving 15
# days from the optimum costs in the steepest of these valleys (1973: +2.1 early, +2.4
# late, with the best arrival date), so it admits a launch period of about a month, the
# span these launches used; the largest excess among the nine is Mars 7's (1.9).
IN_WINDOW = [
    "m-69-no-521",
    "m-69-no-522",
    "mars-2",
    "mars-3",
    "mariner-9",
    "mars-4",
    "mars-5",
    "mars-6",
    "mars-7",
]


def test_named_launches_fly_inside_their_windows(windows):
    flown = {f.slug: (w, f) for w in windows for f in w.flown}
    missing = [s for s in IN_WINDOW if s not in flown]
    assert not missing, f"not assigned to a window (or not in the catalog): {missing}"
    inside = 0
    for slug in IN_WINDOW:
        w, f = flown[slug]
        excess = (f.transfer.c3 - w.best.c3) / 1e6
        assert 0.0 <= excess <= 2.5, (slug, excess)
        inside += 1
    assert inside == 9


def test_flown_transfers_use_the_record_or_say_they_do_not(windows):
    w71 = _window_of(windows, 1971)
    by_slug = {f.slug: f for f in w71.flown}
    mars3 = by_slug["mars-3"]
    # Mars 3: launched 1971-05-28T15:26:30Z, orbit insertion 1971-12-02 (catalog record).
    assert mars3.arrival_source == "record:orbit_insertion"
    assert mars3.transfer.departure == tdb_from_utc("1971-05-28T15:26:30")
    assert mars3.transfer.arrival == tdb_from_utc("1971-12-02")
    # Cosmos 419 never left Earth orbit: its arrival is the least-C3 one for its launch day.
    cosmos = by_slug["cosmos-419"]
    assert cosmos.arrival_source == "min-C3 time of flight"
    from marsprobe.analysis.porkchop import transfers

    scan = transfers(cosmos.transfer.departure, np.arange(100.0, 451.0) * DAY_S)
    assert cosmos.transfer.c3 <= np.nanmin(scan.c3) + 1e-6


def test_off_window_tests_belong_to_no_window(windows):
    # Zond 3 (1965-07-18) was sent off-window on purpose; it must not be counted in one.
    slugs = {f.slug for w in windows for f in w.flown}
    assert "zond-3" not in slugs


def test_flown_transfers_span_filter():
    got = flown_transfers(tdb_from_utc("1973-07-01"), tdb_from_utc("1973-08-31"))
    assert [f.slug for f in got] == ["mars-4", "mars-5", "mars-6", "mars-7"]


def test_total_dv_parts():
    # C3 = 0 from a 200 km circular orbit: the escape burn is (sqrt 2 - 1) v_circ, the
    # textbook 3.2 km/s (Curtis 2009, example 8.3 uses the same relation).
    r = R_EARTH + 200e3
    esc, cap = total_dv(0.0, 0.0)
    assert esc == pytest.approx((np.sqrt(2.0) - 1.0) * np.sqrt(GM_EARTH / r), rel=1e-12)
    assert 3.2e3 < esc < 3.25e3
    esc2, cap2 = total_dv(9e6, 3e3, capture_apoapsis_alt=1_500e3)  # a circular capture costs more
    assert esc2 > esc and cap2 > total_dv(9e6, 3e3)[1] > cap


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("1971-01-01", "1970-01-01"), {}),
        (("1971-01-01", "1971-01-01"), {}),
        (("1971-01-01", "1972-01-01"), {"target": "venus"}),
        (("1971-01-01", "1972-01-01"), {"capture_periapsis_alt": 5e6, "capture_apoapsis_alt": 1e6}),
        (("1971-01-01", "1972-01-01"), {"park_alt": -1.0}),
    ],
)
def test_bad_window_arguments(args, kwargs):
    with pytest.raises(InputError):
        find_windows(*(tdb_from_utc(a) for a in args), **kwargs)
