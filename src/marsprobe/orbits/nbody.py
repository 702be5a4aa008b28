"""Cruise propagation: a spacecraft among the Sun, the planets and the Moon as point masses.

Equations of motion. The state is taken relative to a central body c (the Sun, the Earth or
Mars) on ICRF axes; every other body k of the ephemeris pulls as a point mass, and since the
centre itself is accelerated by k the indirect term is subtracted (the third-body form of
Montenbruck & Gill, "Satellite Orbits", 2000, eq. 3.37; Battin, "An Introduction to the
Mathematics and Methods of Astrodynamics", 1999, sec. 8.1)::

    a = -GM_c r/|r|^3 + sum_k GM_k [ (d_k - r)/|d_k - r|^3 - d_k/|d_k|^3 ]

with d_k the position of body k relative to c. The bodies are those of DE421 (Folkner et al.
2009) with the gravitational parameters of the same ephemeris (:mod:`marsprobe.constants`):
Sun, Mercury, Venus, Earth, Moon, Mars (system), Jupiter to Neptune (systems). Relativity,
solar pressure and the planets' oblateness are left out of the cruise: over it they move the
arrival by kilometres, well inside what the course corrections take out.

Mars' oblateness. About Mars it is the largest force after Mars' own point mass: on a
1,500 x 33,000 km orbit its J2 turns the node by about 0.13 deg and the periapsis by about
0.17 deg a revolution, degrees in the weeks a Viking orbiter spent before releasing its
lander. So a Mars-centred flight (``oblate=True``, the default) adds the zonal J2 term, the
gradient of the second zonal harmonic of the potential (Montenbruck & Gill 2000, sec. 3.2)::

    a_J2 = 3 J2 GM R^2 / (2 r^5) [ (5 z^2 / r^2 - 1) r - 2 z k ],   z = r . k

with k Mars' north pole (IAU WGCCRE 2009, taken at the start of each integration: it moves
by 1e-5 deg in a year) and J2, R of :mod:`marsprobe.constants`.

Central body. Near a planet the spacecraft's motion is best resolved relative to that planet
(the step control sees the planet-relative position, not a 1.5 au heliocentric one), so
:func:`fly` changes the centre at the spheres of influence of the Earth and Mars
(``constants.SOI_EARTH``, ``SOI_MARS``; Laplace's radius).

Frames. A planet-centred frame moves as the ephemeris says, and DE421's planets feel more
than the point masses of this model (relativity, above all: the Earth's DE421 acceleration
differs from its Newtonian one here by 1.7e-10 m/s^2, Mars' by 6e-11, the Sun's by 3e-13).
Taking the centre's acceleration from the model would turn that difference into a spurious
force for as long as the flight stays planet-centred (about 1 km at Mars for each few days
spent Earth-centred). So the indirect term also carries the centre's ephemeris-minus-model
acceleration, sampled with the ephemeris (central differences of DE421 velocities): every
frame then flies the same Newtonian motion about the solar-system barycentre, and where the
centre changes does not matter beyond the integration error (tests/test_nbody.py). The
spacecraft itself is Newtonian: leaving out its relativistic terms moves the arrival by
kilometres, which the course corrections take out with the rest.

Integrator. scipy's DOP853, the explicit Runge-Kutta 8(5,3) pair of Dormand & Prince with the
step control of Hairer, Norsett & Wanner ("Solving Ordinary Differential Equations I", 2nd
ed., 1993, sec. II.10), tolerances :data:`RTOL`, :data:`ATOL_M`, :data:`ATOL_M_S`. With them a
Sun-only cruise of 200 days agrees with the Kepler solution of :mod:`marsprobe.orbits.kepler`
to metres and a Mars-centred hyperbola keeps its energy to 1e-12 (tests/test_nbody.py); a
B-plane point moves by far less than the 0.1 km targeting tolerance between these and 100
times tighter ones.

Ephemeris. Calling DE421 (~2 ms for all bodies) at every one of the thousands of right-hand
side evaluations would dominate, so :class:`SampledEphemeris` samples positions and velocities
every :data:`EPHEMERIS_STEP_S` and interpolates with cubic Hermite polynomials. The error is
at most h^4 |x''''| / 384: about 11 m for the Moon about the Earth at a 6 h step (0.3 m for the
Earth, under 20 m for Mercury), checked against DE421 in the tests.

Batches. Every function takes N states, (N, 3) arrays (a (3,) state is a batch of one). The N
trajectories are integrated together as one system, so they share the steps: that is what a
differential correction needs (a nominal and its perturbed neighbours). Events (sphere of
influence, stops) are decided on member 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from marsprobe import constants as c
from marsprobe.errors import ConvergenceError, InputError

PERTURBERS = (
    "sun",
    "mercury",
    "venus",
    "earth",
    "moon",
    "mars",
    "jupiter",
    "saturn",
    "uranus",
    "neptune",
)
"""Bodies of the default force model (names of :mod:`marsprobe.ephemeris`)."""

CENTERS = ("sun", "earth", "mars")
"""Bodies :func:`fly` can integrate relative to."""

SOI = {"earth": c.SOI_EARTH, "mars": c.SOI_MARS}
"""Sphere-of-influence radii (m) where :func:`fly` changes the central body."""

RTOL = 1e-11
"""Relative tolerance of DOP853 (see the module docstring for what it buys)."""
ATOL_M = 1e-3
"""Absolute tolerance on position components, m."""
ATOL_M_S = 1e-9
"""Absolute tolerance on velocity components, m/s."""

EPHEMERIS_STEP_S = 0.25 * c.DAY_S
"""Sampling interval of :class:`SampledEphemeris`, s (6 h: see the module docstring)."""
_FD_S = 100.0  # s, half-interval of the central difference of DE421 velocities


class SampledEphemeris:
    """Positions and velocities of ``bodies`` relative to the solar-system barycentre,
    sampled from DE421 every ``step_s`` over [t0, t1] (TDB s past J2000) and interpolated
    with cubic Hermite polynomials.

    Any object with the attributes ``names``, ``gm`` (m^3/s^2, shape (nb,)), ``index``
    (name -> row) and the methods ``positions(t)`` and ``states(t)`` (arrays (nb, 3) in m
    and m/s, an inertial origin) can stand in for it: the tests use a circular toy system.
    """

    def __init__(
        self,
        t0: float,
        t1: float,
        bodies: Sequence[str] = PERTURBERS,
        step_s: float = EPHEMERIS_STEP_S,
    ):
        from marsprobe.ephemeris import state

        unknown = [b for b in bodies if b not in c.GM]
        if unknown:
            raise InputError(f"no gravitational parameter for {unknown}; accepted: {list(c.GM)}")
        lo = min(t0, t1) - 2.0 * step_s
        hi = max(t0, t1) + 2.0 * step_s
        n = int(math.ceil((hi - lo) / step_s)) + 1
        grid = lo + step_s * np.arange(n)
        self.names = tuple(bodies)
        self.index = {b: i for i, b in enumerate(self.names)}
        self.gm = np.array([c.GM[b] for b in self.names])
        self.t0 = lo
        self.t1 = lo + step_s * (n - 1)
        self.step = float(step_s)
        self._p = np.empty((n, len(self.names), 3))
        self._v = np.empty((n, len(self.names), 3))
        for k, body in enumerate(self.names):
            self._p[:, k], self._v[:, k] = state(body, grid, center="ssb")
        # Ephemeris minus model acceleration of each body (see the module docstring, "Frames");
        # only meaningful when the model holds every body of the ephemeris.
        self._da = np.zeros_like(self._p)
        if set(PERTURBERS) <= set(self.names):
            for k, body in enumerate(self.names):
                _, v_hi = state(body, grid + _FD_S, center="ssb")
                _, v_lo = state(body, grid - _FD_S, center="ssb")
                d = self._p - self._p[:, k : k + 1]
                dn3 = np.einsum("nkj,nkj->nk", d, d) ** 1.5
                dn3[:, k] = np.inf
                model = np.einsum("k,nkj->nj", self.gm, d / dn3[..., None])
                self._da[:, k] = (v_hi - v_lo) / (2 * _FD_S) - model

    def covers(self, t0: float, t1: float) -> bool:
        """True when [t0, t1] lies inside the sampled span."""
        return self.t0 <= min(t0, t1) and max(t0, t1) <= self.t1

    def _locate(self, t: float) -> tuple[int, float]:
        x = (t - self.t0) / self.step
        if not 0.0 <= x <= self._p.shape[0] - 1:
            raise InputError(
                f"epoch {t:.1f} s is outside the sampled ephemeris ({self.t0:.1f} to "
                f"{self.t1:.1f} s TDB); build one that covers the flight"
            )
        i = min(int(x), self._p.shape[0] - 2)
        return i, x - i

    def centre_correction(self, t: float, body: str) -> np.ndarray:
        """Acceleration (3,), m/s^2, of ``body`` in the ephemeris minus its acceleration in
        the point-mass model, linearly interpolated (it varies over months, not hours)."""
        i, s = self._locate(t)
        k = self.index[body]
        return (1.0 - s) * self._da[i, k] + s * self._da[i + 1, k]

    def positions(self, t: float) -> np.ndarray:
        """Positions (nb, 3), m, at ``t`` (scalar TDB s past J2000)."""
        i, s = self._locate(t)
        s2 = s * s
        h00 = (1.0 + 2.0 * s) * (1.0 - s) ** 2
        h10 = s * (1.0 - s) ** 2 * self.step
        h01 = s2 * (3.0 - 2.0 * s)
        h11 = s2 * (s - 1.0) * self.step
        p, v = self._p, self._v
        return h00 * p[i] + h10 * v[i] + h01 * p[i + 1] + h11 * v[i + 1]

    def states(self, t: float) -> tuple[np.ndarray, np.ndarray]:
        """Positions (m) and velocities (m/s), each (nb, 3), at ``t``."""
        i, s = self._locate(t)
        s2 = s * s
        h = self.step
        p, v = self._p, self._v
        pos = (
            (1.0 + 2.0 * s) * (1.0 - s) ** 2 * p[i]
            + s * (1.0 - s) ** 2 * h * v[i]
            + s2 * (3.0 - 2.0 * s) * p[i + 1]
            + s2 * (s - 1.0) * h * v[i + 1]
        )
        vel = (
            (6.0 * s2 - 6.0 * s) / h * p[i]
            + (3.0 * s2 - 4.0 * s + 1.0) * v[i]
            + (6.0 * s - 6.0 * s2) / h * p[i + 1]
            + (3.0 * s2 - 2.0 * s) * v[i + 1]
        )
        return pos, vel


def body_state(eph, body: str, t: float, center: str) -> tuple[np.ndarray, np.ndarray]:
    """Position (m) and velocity (m/s) of ``body`` relative to ``center`` from ``eph``."""
    pos, vel = eph.states(t)
    i, j = eph.index[body], eph.index[center]
    return pos[i] - pos[j], vel[i] - vel[j]


def exact_state(eph, body: str, t: float, center: str) -> tuple[np.ndarray, np.ndarray]:
    """As :func:`body_state` but from DE421 itself when ``eph`` is a
    :class:`SampledEphemeris`. Changes of centre use it: the interpolant's velocity is off by
    up to 4e-5 m/s (the derivative of a cubic Hermite polynomial is a degree less accurate),
    which would grow to hundreds of metres over a cruise."""
    if isinstance(eph, SampledEphemeris):
        from marsprobe.ephemeris import state

        return state(body, t, center)
    return body_state(eph, body, t, center)


def oblateness(r: np.ndarray, pole: np.ndarray, j2: float, gm: float, radius: float) -> np.ndarray:
    """Acceleration (N, 3), m/s^2, of the J2 zonal term of a body of gravitational parameter
    ``gm`` (m^3/s^2) and reference radius ``radius`` (m) at ``r`` (N, 3), m, relative to its
    centre, its north pole the unit vector ``pole`` (see the module docstring)."""
    rn2 = np.einsum("ij,ij->i", r, r)
    z = r @ pole
    f = 1.5 * j2 * gm * radius**2 / rn2**2.5
    return f[:, None] * ((5.0 * z * z / rn2 - 1.0)[:, None] * r - 2.0 * z[:, None] * pole)


OBLATE = {"mars": (c.J2_MARS, c.GM_MARS, c.R_MARS)}
"""Central bodies whose J2 a flight about them feels (``oblate=True``): J2, GM, radius."""


def pole_of(center: str, t: float) -> np.ndarray:
    """Unit vector (3,) of the north pole of ``center`` (ICRF) at ``t`` (TDB s)."""
    from marsprobe.frames import mars_fixed_matrix

    if center != "mars":
        raise InputError(f"no rotation model for an oblate {center!r}; accepted: mars")
    return np.asarray(mars_fixed_matrix(t))[2].copy()


def acceleration(t: float, r: np.ndarray, eph, center: str) -> np.ndarray:
    """Gravitational acceleration (N, 3), m/s^2, of spacecraft at ``r`` (N, 3), m, relative
    to ``center``, from every body of ``eph`` (the equation of the module docstring)."""
    p = eph.positions(t)
    ic = eph.index[center]
    d = p - p[ic]
    dn3 = np.einsum("ij,ij->i", d, d) ** 1.5
    dn3[ic] = np.inf  # the centre pulls only through the direct term
    rho = d[None, :, :] - r[:, None, :]
    rn3 = np.einsum("nkj,nkj->nk", rho, rho) ** 1.5
    direct = np.einsum("k,nkj->nj", eph.gm, rho / rn3[..., None])
    indirect = (eph.gm / dn3) @ d
    if hasattr(eph, "centre_correction"):
        indirect = indirect + eph.centre_correction(t, center)
    return direct - indirect


@dataclass(frozen=True)
class Stop:
    """A terminal event of :func:`fly`: it ends the flight when ``fn`` crosses zero.

    ``fn(t, r, v, center, eph)`` gets member 0's state (m, m/s) relative to ``center`` and
    returns a float; ``direction`` as in scipy (+1: rising through zero only, -1: falling,
    0: both).
    """

    name: str
    fn: Callable[..., float]
    direction: float = 0.0


def distance_stop(name: str, body: str, radius_m: float, direction: float = -1.0) -> Stop:
    """Stop when the distance to ``body`` crosses ``radius_m`` (default: coming closer)."""

    def fn(t, r, v, center, eph):
        rb, _ = body_state(eph, body, t, center)
        return float(np.linalg.norm(r - rb)) - radius_m

    return Stop(name, fn, direction)


def periapsis_stop(name: str, body: str) -> Stop:
    """Stop at the closest approach to ``body`` (relative r.v rising through zero)."""

    def fn(t, r, v, center, eph):
        rb, vb = body_state(eph, body, t, center)
        return float(np.dot(r - rb, v - vb))

    return Stop(name, fn, 1.0)


@dataclass
class Leg:
    """One stretch of a flight with a fixed centre: epochs (K,), states (K, N, 3)."""

    center: str
    t: np.ndarray
    r: np.ndarray
    v: np.ndarray


@dataclass
class Flight:
    """Result of :func:`fly`: the final epoch and states (N, 3) relative to ``center``, the
    legs flown, and ``stop``: the name of the stop that ended it (None: reached ``t1``)."""

    t: float
    r: np.ndarray
    v: np.ndarray
    center: str
    stop: str | None
    legs: list[Leg] = field(default_factory=list)

    def relative_to(self, body: str, eph) -> tuple[np.ndarray, np.ndarray]:
        """Final states (N, 3) relative to ``body`` instead of the flight's centre."""
        rb, vb = exact_state(eph, body, self.t, self.center)
        return self.r - rb, self.v - vb


def _batch(r, v) -> tuple[np.ndarray, np.ndarray, bool]:
    r = np.asarray(r, dtype=np.float64)
    v = np.asarray(v, dtype=np.float64)
    if r.shape[-1:] != (3,) or r.shape != v.shape or r.ndim > 2:
        raise InputError(f"r and v must both have shape (3,) or (N, 3); got {r.shape}, {v.shape}")
    single = r.ndim == 1
    return np.atleast_2d(r), np.atleast_2d(v), single


def propagate(
    t0: float,
    r0,
    v0,
    t1: float,
    center: str = "sun",
    eph=None,
    *,
    stops: Sequence[Stop] = (),
    accel: Callable | None = None,
    rtol: float = RTOL,
    dense: bool = False,
    oblate: bool = True,
):
    """Integrate N spacecraft from ``t0`` to ``t1`` (TDB s; t1 < t0 flies backwards) about a
    fixed ``center``, with the point-mass pull of every body of ``eph`` and, with ``oblate``
    and a centre of :data:`OBLATE`, the centre's J2.

    ``r0``, ``v0``: (3,) or (N, 3), m and m/s relative to ``center``, ICRF axes.
    ``accel(t, r, v)`` returns an extra acceleration (N, 3), m/s^2 (thrust).
    Returns ``(t, r, v, stop, sol)``: the end epoch and states (N, 3), the name of the stop
    that fired (or None), and the solution object (dense output only with ``dense``).
    """
    from scipy.integrate import solve_ivp

    if center not in CENTERS:
        raise InputError(f"unknown central body {center!r}; accepted: {', '.join(CENTERS)}")
    r0, v0, _ = _batch(r0, v0)
    n = r0.shape[0]
    if eph is None:
        eph = SampledEphemeris(t0, t1)
    elif not eph.covers(t0, t1):
        raise InputError("the ephemeris handed to propagate does not cover the flight")

    zonal = OBLATE.get(center) if oblate else None
    pole = pole_of(center, t0) if zonal else None

    def rhs(t, y):
        s = y.reshape(n, 6)
        a = acceleration(t, s[:, :3], eph, center)
        if zonal:
            a = a + oblateness(s[:, :3], pole, *zonal)
        if accel is not None:
            a = a + accel(t, s[:, :3], s[:, 3:])
        return np.concatenate([s[:, 3:], a], axis=1).ravel()

    events = []
    for stop in stops:

        def event(t, y, fn=stop.fn):
            return fn(t, y[0:3], y[3:6], center, eph)

        event.terminal = True
        event.direction = stop.direction
        events.append(event)
    atol = np.tile(np.array([ATOL_M] * 3 + [ATOL_M_S] * 3), n)
    y0 = np.concatenate([r0, v0], axis=1).ravel()
    if t1 == t0:
        return t0, r0, v0, None, None
    sol = solve_ivp(
        rhs,
        (t0, t1),
        y0,
        method="DOP853",
        rtol=rtol,
        atol=atol,
        events=events or None,
        dense_output=dense,
    )
    if sol.status < 0:
        raise ConvergenceError(f"cruise integration failed: {sol.message}")
    fired = None
    if sol.status == 1:
        for k, te in enumerate(sol.t_events):
            if len(te):
                fired = stops[k].name
                break
    y = sol.y[:, -1].reshape(n, 6)
    return float(sol.t[-1]), y[:, :3].copy(), y[:, 3:].copy(), fired, sol


def _switch_stops(center: str) -> list[Stop]:
    if center == "sun":
        return [
            distance_stop("enter:mars", "mars", SOI["mars"]),
            distance_stop("enter:earth", "earth", SOI["earth"]),
        ]
    return [
        Stop(
            f"leave:{center}",
            lambda t, r, v, ctr, eph, R=SOI[center]: float(np.linalg.norm(r)) - R,
            1.0,
        )
    ]


def fly(
    t0: float,
    r0,
    v0,
    t1: float,
    center: str = "sun",
    eph=None,
    *,
    stops: Sequence[Stop] = (),
    accel: Callable | None = None,
    switch: bool = True,
    stop_on_enter: str | None = None,
    keep_legs: bool = False,
    rtol: float = RTOL,
    max_switches: int = 8,
    oblate: bool = True,
) -> Flight:
    """Integrate from ``t0`` to ``t1`` changing the central body at the spheres of influence
    of the Earth and Mars (see the module docstring); arguments as in :func:`propagate`.

    ``stop_on_enter="mars"`` ends the flight on entering that body's sphere of influence
    (``Flight.stop == "enter:mars"``), with the states already relative to it.
    ``keep_legs`` keeps every step (for plots and checks); otherwise only the end states.
    The spheres are entered and left in forward time: fly backwards with ``switch=False``.
    """
    r, v, single = _batch(r0, v0)
    if eph is None:
        eph = SampledEphemeris(t0, t1)
    t = float(t0)
    legs: list[Leg] = []
    for _ in range(max_switches + 1):
        own = _switch_stops(center) if switch else []
        t_new, r_new, v_new, fired, sol = propagate(
            t, r, v, t1, center, eph, stops=[*stops, *own], accel=accel, rtol=rtol, oblate=oblate
        )
        if keep_legs and sol is not None:
            k = sol.y.shape[1]
            ys = sol.y.T.reshape(k, -1, 6)
            legs.append(Leg(center, sol.t.copy(), ys[:, :, :3].copy(), ys[:, :, 3:].copy()))
        t, r, v = t_new, r_new, v_new
        if (
            fired is None
            or not fired.startswith(("enter:", "leave:"))
            or not switch
            or fired in {s.name for s in stops}
        ):
            return Flight(t, r, v, center, fired, legs)
        new_center = fired.split(":")[1] if fired.startswith("enter:") else "sun"
        rb, vb = exact_state(eph, new_center, t, center)
        r, v, center = r - rb, v - vb, new_center
        if stop_on_enter is not None and fired == f"enter:{stop_on_enter}":
            return Flight(t, r, v, center, fired, legs)
    raise ConvergenceError(
        f"more than {max_switches} changes of central body; the trajectory "
        "grazes a sphere of influence"
    )


def change_center(eph, t: float, r, v, old: str, new: str) -> tuple[np.ndarray, np.ndarray]:
    """States (m, m/s) relative to ``old`` re-expressed relative to ``new`` at epoch ``t``."""
    rb, vb = exact_state(eph, new, t, old)
    return np.asarray(r) - rb, np.asarray(v) - vb
