"""The state the descent hands over: the touchdown (or how the descent ended without one).

:class:`Touchdown` is a frozen dataclass whose fields carry their unit in their name. It is
built from the EDL kernel's touchdown record (:meth:`marsprobe.edl.EDLResult.touchdown`, one
trajectory) by :meth:`Touchdown.from_kernel`, which keeps the kernel's field names, so a
figure the validation cases name (``peak_heat_flux_w_m2``) is an attribute of the same name.
``to_dict`` gives exactly the ``touchdown`` table that ``marsprobe edl --json`` and
``marsprobe replay --json`` (under ``edl``) print: keys, order and values (README "JSON
output": keys are only ever added).

A descent that never met the ground (it skipped out, timed out, broke up or burned through)
has NaN for every figure measured at the ground (time, speeds, site, mass); its peaks and
integrals are those of the flight it had.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Touchdown:
    """The end of one descent.

    ``t_s``: seconds from the entry interface to the ground; ``time_utc``: that moment, UTC
    to the second (None when the entry epoch is unknown or there was no touchdown).
    ``speed_m_s`` planet-relative at the ground, split into ``vertical_speed_m_s`` and
    ``horizontal_speed_m_s``; ``lat_deg`` planetocentric and ``lon_deg`` east of the
    touchdown point; ``mass_kg`` what reached the ground. Over the whole descent:
    ``peak_g_load`` (Earth g), ``chute_opening_g_load`` (the largest while a parachute
    opened, Earth g), ``peak_heat_flux_w_m2`` at the stagnation point (W/m^2) and
    ``heat_load_j_cm2`` its integral (J/cm^2), convective plus radiative; their radiative
    parts alone, ``peak_radiative_heat_flux_w_m2`` (W/m^2) and ``radiative_heat_load_j_cm2``
    (J/cm^2; zero below the entry speeds at which the shock layer's CO2 radiates).
    ``survived``: whether the vehicle came through (``outcome`` is ``landed``);
    ``outcome``: how the descent ended, one of the kernel's
    :data:`marsprobe.edl.slots.OUTCOMES` (``landed``, ``crashed``, ``skipped_out``,
    ``timeout``, ``broke_up``, ``burned_through``).
    """

    t_s: float
    speed_m_s: float
    vertical_speed_m_s: float
    horizontal_speed_m_s: float
    lat_deg: float
    lon_deg: float
    mass_kg: float
    peak_g_load: float
    peak_heat_flux_w_m2: float
    heat_load_j_cm2: float
    chute_opening_g_load: float
    peak_radiative_heat_flux_w_m2: float
    radiative_heat_load_j_cm2: float
    survived: bool
    outcome: str
    time_utc: str | None = None

    def __post_init__(self) -> None:
        # Imported here: the hand-over states load without the compiled kernel.
        from marsprobe.edl.slots import OUTCOMES

        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown descent outcome {self.outcome!r}")

    @classmethod
    def from_kernel(cls, record: dict[str, Any], entry_epoch: float | None = None) -> Touchdown:
        """The touchdown of the kernel's record for one trajectory; ``entry_epoch`` (TDB s past
        J2000, None when unknown) dates it. A figure missing from the record is an error, and
        so is one this state does not know: a kernel that reports something new must have it
        carried here, never dropped on the way to the JSON."""
        unknown = set(record) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"touchdown: the kernel reports {sorted(unknown)}, not carried")
        t_s = float(record["t_s"])
        time_utc = None
        if entry_epoch is not None and not math.isnan(t_s):
            from marsprobe.time import utc_from_tdb

            time_utc = utc_from_tdb(entry_epoch + t_s)
        return cls(
            t_s=t_s,
            speed_m_s=float(record["speed_m_s"]),
            vertical_speed_m_s=float(record["vertical_speed_m_s"]),
            horizontal_speed_m_s=float(record["horizontal_speed_m_s"]),
            lat_deg=float(record["lat_deg"]),
            lon_deg=float(record["lon_deg"]),
            mass_kg=float(record["mass_kg"]),
            peak_g_load=float(record["peak_g_load"]),
            peak_heat_flux_w_m2=float(record["peak_heat_flux_w_m2"]),
            heat_load_j_cm2=float(record["heat_load_j_cm2"]),
            chute_opening_g_load=float(record["chute_opening_g_load"]),
            peak_radiative_heat_flux_w_m2=float(record["peak_radiative_heat_flux_w_m2"]),
            radiative_heat_load_j_cm2=float(record["radiative_heat_load_j_cm2"]),
            survived=bool(record["survived"]),
            outcome=str(record["outcome"]),
            time_utc=time_utc,
        )

    @property
    def reached_ground(self) -> bool:
        """Whether the descent met the ground (landed or crashed)."""
        return not math.isnan(self.t_s)

    def to_dict(self) -> dict[str, Any]:
        """The ``touchdown`` table of ``edl --json``: heat fluxes in W/cm^2 there."""
        return {
            "speed_m_s": self.speed_m_s,
            "vertical_speed_m_s": self.vertical_speed_m_s,
            "lat_deg": self.lat_deg,
            "lon_deg": self.lon_deg,
            "time_utc": self.time_utc,
            "t_s": self.t_s,
            "peak_g_load": self.peak_g_load,
            "chute_opening_g_load": self.chute_opening_g_load,
            "peak_heat_flux_w_cm2": self.peak_heat_flux_w_m2 * 1e-4,
            "heat_load_j_cm2": self.heat_load_j_cm2,
            "peak_radiative_heat_flux_w_cm2": self.peak_radiative_heat_flux_w_m2 * 1e-4,
            "radiative_heat_load_j_cm2": self.radiative_heat_load_j_cm2,
            "survived": self.survived,
            "outcome": self.outcome,
        }
