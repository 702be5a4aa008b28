"""The bookkeeping of one ascent: events, the result, and the flying stack's state
(stages burning, propellant left, attitude control) with its equations of motion.

:func:`marsprobe.ascent.flight.fly` drives it; see that module for the model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from marsprobe.ascent import atmosphere
from marsprobe.ascent.earth import OMEGA, altitude, gravity
from marsprobe.ascent.faults import AscentFaults, rod_inertia
from marsprobe.ascent.guidance import Plan, command
from marsprobe.ascent.vehicle import Vehicle
from marsprobe.constants import GM_EARTH, R_EARTH

# Drag coefficient of a slender launch vehicle against Mach number. A chosen, generic
# curve with the transonic peak of the published drag curves of cylinder-cone launchers
# (e.g. Saturn V, NASA TM X-53328, 1965; Ariane 4): the ascent's velocity loss to drag is
# 1-3 % of the total, so its exact shape moves the results little.
_CD_MACH = np.array([0.0, 0.6, 0.9, 1.05, 1.2, 1.5, 2.0, 3.0, 5.0, 10.0])
_CD = np.array([0.30, 0.30, 0.38, 0.55, 0.58, 0.52, 0.42, 0.33, 0.27, 0.25])
_CD_MACH_LIST, _CD_LIST = _CD_MACH.tolist(), _CD.tolist()


@dataclass
class Event:
    """Something that happened during the ascent: ``t`` s from lift-off, position/velocity."""

    name: str
    t: float
    r: np.ndarray
    v: np.ndarray
    detail: str = ""

    @property
    def altitude(self) -> float:
        return altitude(self.r)


@dataclass
class AscentResult:
    """Outcome of an ascent.

    ``outcome``: ``"orbit"`` (the guidance cut off on the target energy), ``"destroyed"``
    (explosion or emergency shut-down), ``"impact"`` (hit the ground), ``"suborbital"``
    (ran out of stages below orbit), ``"not_launched"``. ``mass`` is what is left attached
    (escape stage and payload in orbit); ``stage_propellant`` the propellant left per stage.
    """

    outcome: str
    events: list[Event]
    t: float
    r: np.ndarray
    v: np.ndarray
    mass: float
    stage_propellant: list[float]
    attached: list[int]
    cutoff_stage: int | None = None
    shroud_attached: float = 0.0  # kg of payload shroud still carried (not jettisoned)
    track_t: np.ndarray = field(default_factory=lambda: np.empty(0))
    track_r: np.ndarray = field(default_factory=lambda: np.empty((0, 3)))
    checkpoint: tuple | None = None

    def event(self, name: str) -> Event | None:
        for e in self.events:
            if e.name == name:
                return e
        return None


class FlyingStack:
    """Mutable state of one ascent (stages burning, propellant, attitude) and its dynamics."""

    def __init__(
        self,
        vehicle: Vehicle,
        plan: Plan,
        payload: float,
        faults: AscentFaults,
        target_energy: float | None,
        shroud: float = 0.0,
    ):
        self.veh = vehicle
        self.plan = plan
        self.faults = faults
        self.target_energy = target_energy
        self.n = len(vehicle.stages)
        self.prop = [s.propellant_mass for s in vehicle.stages]
        self.frac = [0.0] * self.n  # thrust fraction of each stage now burning
        self.attached = list(range(self.n))
        self.used: set[int] = set()
        self.lost_engines = 0
        self.controlled = True
        self.frozen = None
        self.torque = 0.0  # net disturbing torque (N m) turning the vehicle
        self.drift = 0.0  # rad/s
        self.dead = False  # no more ignitions
        self.payload = payload
        self.shroud = shroud  # kg of shroud still on
        self.events: list[Event] = []

    def pool(self, i: int) -> int:
        """Index of the stage whose tanks feed stage ``i``."""
        tank = self.veh.stages[i].tank
        return i if tank is None else tank

    def drain(self, dt: float) -> None:
        """Take ``dt`` seconds of the burning engines' flow out of their tanks."""
        for i, f in self.burning():
            j = self.pool(i)
            self.prop[j] = max(self.prop[j] - f * self.veh.stages[i].mdot * dt, 0.0)

    def depletion_times(self, t: float) -> list[float]:
        """When each tank now being drawn from runs dry (s from lift-off)."""
        flows: dict[int, float] = {}
        for i, f in self.burning():
            j = self.pool(i)
            flows[j] = flows.get(j, 0.0) + f * self.veh.stages[i].mdot
        return [t + self.prop[j] / q for j, q in flows.items() if q > 0.0]

    # -- forces ---------------------------------------------------------------------
    def burning(self):
        return [(i, f) for i, f in enumerate(self.frac) if f > 0.0]

    def thrust_and_flow(self, p: float):
        thrust = 0.0
        flow = 0.0
        for i, f in self.burning():
            s = self.veh.stages[i]
            thrust += f * s.thrust(p)
            flow += f * s.mdot
        return thrust, flow

    def stack_length(self) -> float:
        lowest = min((i for i in self.attached), default=self.n - 1)
        return self.veh.length_from(lowest)

    def tau_go(self, r=None, v=None, accel: float = 0.0) -> float:
        """Estimated burn time (s) left: to the target energy when there is one (speed
        still missing at this radius over the thrust acceleration), else to depletion."""
        burn = sum(
            self.prop[i] / self.veh.stages[i].mdot
            for i in self.attached
            if self.veh.stages[i].ignition != "orbit" and not self.veh.stages[i].shares_tank
        )
        if self.target_energy is None or r is None or accel <= 0.0:
            return burn
        rn = math.sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2])
        v_need = math.sqrt(max(2.0 * (self.target_energy + GM_EARTH / rn), 0.0))
        v_now = math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2])
        return min(burn, max(v_need - v_now, 0.0) / accel)

    def rhs(self, t, y):
        rx, ry, rz, vx, vy, vz, m, delta, omega = y
        rn = math.sqrt(rx * rx + ry * ry + rz * rz)
        h = rn - R_EARTH * (1.0 - 0.00335 * (rz / rn) ** 2)  # ellipsoid height to ~20 m
        gx, gy, gz = gravity(rx, ry, rz)
        ax, ay, az = gx, gy, gz
        # drag against the air that turns with the Earth
        wx, wy, wz = vx + OMEGA * ry, vy - OMEGA * rx, vz
        w = math.sqrt(wx * wx + wy * wy + wz * wz)
        if h < 150e3 and w > 0.0:
            rho = float(atmosphere.density(h))
            mach = w / float(atmosphere.speed_of_sound(h))
            cd = atmosphere.interp(mach, _CD_MACH_LIST, _CD_LIST)
            k = 0.5 * rho * w * cd * self.veh.reference_area / m
            ax -= k * wx
            ay -= k * wy
            az -= k * wz
        p = float(atmosphere.pressure(h)) if h < 81e3 else 0.0
        thrust, flow = self.thrust_and_flow(p)
        alpha = 0.0
        if thrust > 0.0:
            u = self.direction(t, (rx, ry, rz), (vx, vy, vz), thrust / m, delta)
            a_t = thrust / m
            ax += a_t * u[0]
            ay += a_t * u[1]
            az += a_t * u[2]
        if not self.controlled and self.torque != 0.0:
            alpha = self.torque / rod_inertia(m, self.stack_length())
        return [vx, vy, vz, ax, ay, az, -flow, omega + self.drift, alpha]

    def direction(self, t, r, v, accel, delta):
        if self.controlled:
            return command(self.plan, t, r, v, accel, self.tau_go(r, v, accel))
        return _rotate(self.frozen, self.plan.plane_normal, delta)

    def deviation(self, t, y) -> float:
        """Angle (rad) between where the vehicle points and where the guidance wants it."""
        if self.controlled:
            return 0.0
        r, v = y[0:3], y[3:6]
        u = _rotate(self.frozen, self.plan.plane_normal, y[7])
        c = command(self.plan, t, r, v, 10.0, self.tau_go())
        return math.acos(max(-1.0, min(1.0, u[0] * c[0] + u[1] * c[1] + u[2] * c[2])))

    def lose_control(self, t, y, detail: str):
        if not self.controlled:
            return
        self.frozen = command(self.plan, t, y[0:3], y[3:6], 10.0, self.tau_go())
        self.controlled = False
        self.events.append(Event("loss_of_control", t, y[0:3].copy(), y[3:6].copy(), detail))


def _rotate(u, axis, angle):
    """Rotate unit vector ``u`` about unit ``axis`` by ``angle`` (Rodrigues)."""
    c, s = math.cos(angle), math.sin(angle)
    kx, ky, kz = axis
    ux, uy, uz = u
    cx, cy, cz = ky * uz - kz * uy, kz * ux - kx * uz, kx * uy - ky * ux
    d = kx * ux + ky * uy + kz * uz
    return (
        ux * c + cx * s + kx * d * (1.0 - c),
        uy * c + cy * s + ky * d * (1.0 - c),
        uz * c + cz * s + kz * d * (1.0 - c),
    )
