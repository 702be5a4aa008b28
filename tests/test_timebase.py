"""Event times carry their time basis, and Earth-received times convert (issue 15)."""

from __future__ import annotations

from datetime import datetime

import pytest

from marsprobe import catalog
from marsprobe.catalog.timebase import light_time_s, to_event_time


def test_every_event_time_has_a_basis():
    missing = [
        (m.slug, e.name)
        for m in catalog.all_missions()
        for e in m.record.events
        if e.time_utc is not None and e.time_basis is None
    ]
    assert not missing


def event(slug, name):
    return next(e for e in catalog.load(slug).record.events if e.name == name)


def test_mars_6_descent_times_are_earth_received():
    # nasa-sse (2018): contact lost 09:11:05 UT; nasa-sse-2008: last signal 08:58:20 UT.
    # With the light time of that day (12.7 min, DE421) the first is the second's arrival on
    # Earth: they agree within 10 s, the rounding of 'about 153 s after the parachute'.
    lost = event("mars-6", "loss_of_contact")
    last = event("mars-6", "retro_ignition")
    assert lost.time_basis == "ert" and last.time_basis == "scet"
    scet, delay = to_event_time(lost.time_utc.value, lost.time_basis, "mars")
    assert delay / 60 == pytest.approx(12.7, abs=0.1)
    gap = datetime.fromisoformat(scet.removesuffix("Z")) - datetime.fromisoformat(
        last.time_utc.value.removesuffix("Z")
    )
    assert abs(gap.total_seconds()) < 10


def test_light_time_to_mars_is_minutes():
    # Mars-Earth distance varies from about 0.37 to 2.68 AU: 3 to 22 min of light time.
    assert 3 * 60 < light_time_s("1971-12-02T13:52") < 22 * 60


def test_near_earth_and_dated_events_are_not_moved():
    assert to_event_time("1971-05-10T16:58:42Z", "scet", "earth") == ("1971-05-10T16:58:42Z", 0.0)
    assert to_event_time("1976-09-03", "ert", "mars") == ("1976-09-03", 0.0)
