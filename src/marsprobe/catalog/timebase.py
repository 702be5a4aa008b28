"""Time bases of event times: when an event happened, and when the Earth heard of it.

A time in a source is either the spacecraft event time (SCET: when it happened) or the
Earth-received time (ERT: when its signal arrived, later by the one-way light time). Near the
Earth the two differ by under a second; at Mars by 4 to 22 minutes. Viking 2's published
landing time is an ERT, Viking 1's and Mars 3's are SCETs, and the 2018 NASA account of
Mars 6's descent gives ERTs while the older one gives the SCET of the same last signal.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from marsprobe.constants import C_M_S

BODIES_WITH_LIGHT_TIME = ("mars", "phobos")


def light_time_s(utc: str, body: str = "mars") -> float:
    """One-way light time from ``body`` to the Earth at ``utc``, s (DE421 geometry).

    Phobos is taken at the centre of Mars (the difference is under 0.1 s).
    """
    import numpy as np

    from marsprobe.ephemeris import position
    from marsprobe.time import tdb_from_utc

    target = "mars" if body == "phobos" else body
    distance = np.linalg.norm(position(target, tdb_from_utc(utc.removesuffix("Z")), "earth"))
    return float(distance) / C_M_S


def _parse(utc: str) -> tuple[datetime, str]:
    text = utc.removesuffix("Z")
    for fmt, unit in (
        ("%Y-%m-%dT%H:%M:%S.%f", "s"),
        ("%Y-%m-%dT%H:%M:%S", "s"),
        ("%Y-%m-%dT%H:%M", "min"),
    ):
        try:
            return datetime.strptime(text, fmt), unit
        except ValueError:
            continue
    raise ValueError(text)


def to_event_time(utc: str, basis: str | None, body: str | None) -> tuple[str, float]:
    """The spacecraft event time of a recorded time, and the light time removed (s).

    Only Earth-received times of events at Mars are moved; a date without a time of day is
    returned as it is (the light time is below the precision of a date).
    """
    if basis != "ert" or body not in BODIES_WITH_LIGHT_TIME or "T" not in utc:
        return utc, 0.0
    when, unit = _parse(utc)
    delay = light_time_s(utc, body)
    moved = when - timedelta(seconds=delay)
    text = moved.strftime("%Y-%m-%dT%H:%M:%S" if unit == "s" else "%Y-%m-%dT%H:%M")
    return text + "Z", delay
