"""Steering laws of the ascent: vertical rise, pitch-over, gravity turn, linear tangent.

The programme is the classical one for the R-7 and Proton families and for most first
generation launchers (e.g. Wiesel, "Spaceflight Dynamics", 3rd ed., 2010, ch. 9; Lawden's
linear-tangent law, "Optimal Trajectories for Space Navigation", 1963):

1. vertical rise for ``vertical_rise_s``;
2. a pitch-over of ``pitch_kick_deg`` towards the launch azimuth (relative to the ground)
   over ``kick_duration_s``;
3. a gravity turn: thrust along the velocity relative to the rotating air (zero angle of
   attack) until ``gravity_turn_end_s``, so the vehicle crosses the dense air unloaded;
4. above the atmosphere, the linear-tangent law ``tan(theta) = A - B (t - t1)`` for the
   pitch ``theta`` above the local horizontal, in the plane of the target orbit, with a
   yaw term that nulls the out-of-plane position and velocity by the end of the burn.

Only A and B are free: :mod:`marsprobe.ascent.flight` tunes them so that the burn ends
(on reaching the target orbit's energy) at the target perigee radius with zero flight-path
angle. Units: radians, seconds, metres.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from marsprobe.ascent.earth import OMEGA


@dataclass(frozen=True)
class Plan:
    """The flight plan of one ascent: launch geometry and the steering constants.

    ``plane_normal`` is the unit normal of the target orbit (inertial); ``up0``, ``east0``
    and ``north0`` are the local axes of the pad at lift-off; ``azimuth_rel`` is the
    ground-relative heading of the pitch-over (rad from north, towards east).
    """

    plane_normal: np.ndarray
    up0: np.ndarray
    east0: np.ndarray
    north0: np.ndarray
    azimuth_rel: float
    vertical_rise_s: float
    pitch_kick: float
    kick_duration_s: float
    gravity_turn_end_s: float
    inclination: float = 0.9
    lt_a: float = 0.5
    lt_b: float = 0.002
    tau_min_s: float = 40.0

    def with_lt(self, a: float, b: float) -> Plan:
        return Plan(
            self.plane_normal,
            self.up0,
            self.east0,
            self.north0,
            self.azimuth_rel,
            self.vertical_rise_s,
            self.pitch_kick,
            self.kick_duration_s,
            self.gravity_turn_end_s,
            self.inclination,
            a,
            b,
            self.tau_min_s,
        )

    def phase(self, t: float) -> int:
        """0 vertical, 1 pitch-over, 2 gravity turn, 3 linear tangent."""
        if t < self.vertical_rise_s:
            return 0
        if t < self.vertical_rise_s + self.kick_duration_s:
            return 1
        if t < self.gravity_turn_end_s:
            return 2
        return 3

    def breakpoints(self) -> tuple[float, ...]:
        return (
            self.vertical_rise_s,
            self.vertical_rise_s + self.kick_duration_s,
            self.gravity_turn_end_s,
        )


def launch_azimuths(
    lat: float, inclination: float, v_orbit: float, r_pad: float, southbound: bool = False
):
    """Inertial and ground-relative launch azimuths (rad from north) into ``inclination``.

    A northbound launch enters the orbit on its ascending branch, a ``southbound`` one (the
    Cape's south-easterly launches) on its descending branch; ``v_orbit`` is the speed at
    insertion (m/s), used to correct for the pad's eastward speed ``OMEGA r_pad cos(lat)``.
    Raises ValueError when the inclination is below the pad's latitude (no direct launch
    reaches it).
    """
    c = math.cos(inclination) / math.cos(lat)
    if abs(c) > 1.0:
        raise ValueError(
            f"inclination {math.degrees(inclination):.2f} deg is below the pad latitude "
            f"{math.degrees(lat):.2f} deg"
        )
    beta = math.pi - math.asin(c) if southbound else math.asin(c)
    v_east = v_orbit * math.sin(beta) - OMEGA * r_pad * math.cos(lat)
    v_north = v_orbit * math.cos(beta)
    return beta, math.atan2(v_east, v_north)


def command(plan: Plan, t: float, r, v, accel: float, tau_go: float):
    """Unit thrust direction (inertial) wanted by the guidance at time ``t`` (s from lift-off).

    ``r``, ``v`` inertial position (m) and velocity (m/s); ``accel`` the thrust acceleration
    (m/s^2) and ``tau_go`` the estimated burn time left (s), used by the yaw term.
    """
    rx, ry, rz = r
    rn = math.sqrt(rx * rx + ry * ry + rz * rz)
    ux, uy, uz = rx / rn, ry / rn, rz / rn
    ph = plan.phase(t)
    if ph == 0:
        return ux, uy, uz
    # local horizontal towards the ground-relative launch azimuth
    e, n = plan.east0, plan.north0
    sa, ca = math.sin(plan.azimuth_rel), math.cos(plan.azimuth_rel)
    hx, hy, hz = sa * e[0] + ca * n[0], sa * e[1] + ca * n[1], sa * e[2] + ca * n[2]
    # remove the vertical part (the pad has moved with the Earth since lift-off)
    d = hx * ux + hy * uy + hz * uz
    hx, hy, hz = hx - d * ux, hy - d * uy, hz - d * uz
    hn = math.sqrt(hx * hx + hy * hy + hz * hz)
    hx, hy, hz = hx / hn, hy / hn, hz / hn
    if ph == 1:
        k = plan.pitch_kick * (t - plan.vertical_rise_s) / plan.kick_duration_s
        ck, sk = math.cos(k), math.sin(k)
        return ck * ux + sk * hx, ck * uy + sk * hy, ck * uz + sk * hz
    if ph == 2:
        # air-relative velocity; hold the kicked attitude until the velocity has tilted as far
        wx, wy = -OMEGA * ry, OMEGA * rx
        ax, ay, az = v[0] - wx, v[1] - wy, v[2]
        an = math.sqrt(ax * ax + ay * ay + az * az)
        if an < 1.0 or (ax * ux + ay * uy + az * uz) / an > math.cos(plan.pitch_kick):
            ck, sk = math.cos(plan.pitch_kick), math.sin(plan.pitch_kick)
            return ck * ux + sk * hx, ck * uy + sk * hy, ck * uz + sk * hz
        return ax / an, ay / an, az / an
    # linear tangent in the plane through the vehicle with the target inclination, with yaw
    # steering that nulls the velocity across it by the end of the burn
    pn = _plane_normal(ux, uy, uz, v, plan.inclination)
    dx = pn[1] * uz - pn[2] * uy
    dy = pn[2] * ux - pn[0] * uz
    dz = pn[0] * uy - pn[1] * ux
    dn = math.sqrt(dx * dx + dy * dy + dz * dz)
    dx, dy, dz = dx / dn, dy / dn, dz / dn
    theta = math.atan(plan.lt_a - plan.lt_b * (t - plan.gravity_turn_end_s))
    ct, st = math.cos(theta), math.sin(theta)
    tau = max(tau_go, plan.tau_min_s)
    v_out = v[0] * pn[0] + v[1] * pn[1] + v[2] * pn[2]
    s_yaw = -v_out / (max(accel, 1e-3) * tau)
    s_yaw = min(max(s_yaw, -0.35), 0.35)
    c_yaw = math.sqrt(1.0 - s_yaw * s_yaw)
    return (
        c_yaw * (ct * dx + st * ux) + s_yaw * pn[0],
        c_yaw * (ct * dy + st * uy) + s_yaw * pn[1],
        c_yaw * (ct * dz + st * uz) + s_yaw * pn[2],
    )


def _plane_normal(ux, uy, uz, v, inclination):
    """Unit normal of the orbit plane through the radial direction (ux, uy, uz) with the
    given inclination, on the branch (northbound or southbound) the velocity ``v`` is on."""
    p = math.hypot(ux, uy)
    ex, ey = -uy / p, ux / p  # local east (horizontal)
    nx, ny, nz = -uz * ux / p, -uz * uy / p, p  # local north
    c = min(1.0, math.cos(inclination) / p)  # p is the cosine of the geocentric latitude
    beta = math.asin(c)
    if v[0] * nx + v[1] * ny + v[2] * nz < 0.0:
        beta = math.pi - beta
    sb, cb = math.sin(beta), math.cos(beta)
    hx, hy, hz = sb * ex + cb * nx, sb * ey + cb * ny, cb * nz
    return uy * hz - uz * hy, uz * hx - ux * hz, ux * hy - uy * hx
