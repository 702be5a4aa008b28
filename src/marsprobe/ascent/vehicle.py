"""Launch vehicles as plain numbers: stages, engines and the launch site, in SI units.

These are the values the ascent integrator works with. The sourced data files
(``ascent/data/*.toml``, each figure a fact with its citation) are validated and turned
into these objects by :mod:`marsprobe.mission.launch`, which sits above this layer.

A stage burns at a constant mass flow ``mdot = F_vac / (Isp_vac g0)``; its thrust at
ambient pressure ``p`` is ``F_vac - p A_e`` where the nozzle exit area ``A_e`` follows from
the sea-level and vacuum thrusts (``F_vac - F_sl = p0 A_e``), the textbook relation for a
fixed nozzle (Sutton & Biblarz, Rocket Propulsion Elements, 9th ed., eq. 3-21).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from marsprobe.constants import G0_M_S2

P0_PA = 101_325.0  # sea-level pressure of the standard atmosphere


@dataclass(frozen=True)
class Stage:
    """One stage (or a set of identical units that burn together, such as four strap-ons).

    Masses in kg and thrusts in N are for all units together. ``ignition`` is
    ``"liftoff"`` (burns from the pad), ``"staging"`` (ignites when every stage below it has
    burnt out and separated) or ``"orbit"`` (fired in orbit by the flight sequence).

    A drop section (the booster engines of the Atlas's stage and a half) has no tanks of its
    own: ``tank`` is the index of the stage it draws from, ``propellant_mass`` is 0 and it
    is shut down and jettisoned at ``cutoff_t`` (s from lift-off); its ``dry_mass`` is what
    falls away (engines, skirt, fairings).
    """

    name: str
    dry_mass: float
    propellant_mass: float
    thrust_vac: float
    thrust_sl: float
    isp_vac: float
    ignition: str = "staging"
    units: int = 1
    engines: int = 1  # main engines of the stage (all units): the engine-out granularity
    restartable: bool = False
    gimbal_deg: float = 0.0  # steering deflection limit of the main engines
    gimbal_mode: str = "any"  # "any" (two-axis) or "tangential" (one plane, Proton stage 1)
    engine_radius: float = 0.0  # m, distance of the engines from the vehicle axis
    length: float = 0.0  # m
    ullage_s: float = 0.0  # s of ullage thrust needed before an in-orbit ignition
    tank: int | None = None  # index of the stage whose tanks feed it (a drop section)
    cutoff_t: float = math.inf  # s from lift-off: commanded cut-off and jettison

    @property
    def shares_tank(self) -> bool:
        """True for a drop section (the Atlas booster engines) fed by another stage."""
        return self.tank is not None

    @property
    def mdot(self) -> float:
        """Propellant mass flow at full thrust, kg/s."""
        return self.thrust_vac / (self.isp_vac * G0_M_S2)

    @property
    def exit_area(self) -> float:
        """Total nozzle exit area, m^2 (0 for a vacuum-only stage)."""
        return max(self.thrust_vac - self.thrust_sl, 0.0) / P0_PA

    @property
    def burn_time(self) -> float:
        """Seconds to burn all the propellant at full thrust (a drop section: to cut-off)."""
        if self.shares_tank:
            return self.cutoff_t
        return self.propellant_mass / self.mdot

    @property
    def gross_mass(self) -> float:
        return self.dry_mass + self.propellant_mass

    def thrust(self, p: float) -> float:
        """Thrust (N) at ambient pressure ``p`` (Pa), all engines running."""
        return self.thrust_vac - p * self.exit_area


@dataclass(frozen=True)
class Vehicle:
    """A launch vehicle: stages bottom-up, and what steers and limits it.

    ``escape_stage`` is the index of the stage fired from the parking orbit (None for a
    vehicle that stops in orbit). ``control_limit_deg`` is the attitude error beyond which
    the control system shuts the engines down (the emergency cut-off of Soviet vehicles).
    """

    id: str
    name: str
    stages: tuple[Stage, ...]
    reference_area: float  # m^2, for drag
    control_limit_deg: float = 10.0
    vertical_rise_s: float = 10.0
    pitch_kick_deg: float = 3.0
    kick_duration_s: float = 10.0
    gravity_turn_end_s: float = 120.0
    escape_stage: int | None = None
    cg_fraction: float = 0.35  # centre of mass above the gimbal plane, as a fraction of length
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def gross_mass(self) -> float:
        return sum(s.gross_mass for s in self.stages)

    def length_from(self, index: int) -> float:
        """Length (m) of the stack from stage ``index`` up (parallel strap-ons excluded)."""
        lengths = [s.length for s in self.stages[index:] if s.units == 1]
        return max(sum(lengths), 1.0)


@dataclass(frozen=True)
class Site:
    """A launch pad: geodetic latitude and east longitude in radians, height in m."""

    name: str
    pad: str
    lat: float
    lon: float
    height: float = 0.0

    @property
    def lat_deg(self) -> float:
        return math.degrees(self.lat)

    @property
    def lon_deg(self) -> float:
        return math.degrees(self.lon)
