"""The state the ascent hands to the departure: the parking orbit about the Earth.

:class:`ParkingOrbit` is a frozen dataclass whose fields carry their unit in their name,
held as the replay reports them (apsides to the metre, inclination and period to 1e-4), so a
figure compared with the record is the one printed. ``to_dict`` gives exactly the
``parking_orbit`` table of ``marsprobe launch --json`` and ``marsprobe replay --json``
(README "JSON output": keys are only ever added).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ParkingOrbit:
    """The osculating orbit about the Earth at parking-orbit insertion (the ascent's cut-off).

    ``perigee_km`` and ``apogee_km``: altitudes above the Earth's equatorial radius, km;
    ``inclination_deg``: to the Earth's equator, deg; ``period_min``: the Keplerian period,
    min.
    """

    perigee_km: float
    apogee_km: float
    inclination_deg: float
    period_min: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "perigee_km": self.perigee_km,
            "apogee_km": self.apogee_km,
            "inclination_deg": self.inclination_deg,
            "period_min": self.period_min,
        }
