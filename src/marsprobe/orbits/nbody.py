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

Integrator. The Dormand & Prince 8(5,3) Runge-Kutta pair with the step control of Hairer,
Norsett & Wanner ("Solving Ordinary Differential Equations I", 2nd ed., 1993, sec. II.4-II.5 and
II.10), compiled with the right-hand side in :mod:`marsprobe.orbits.cruise_kernel`, at
tolerances :data:`RTOL`, :data:`ATOL_M`, :data:`ATOL_M_S`, with the step control of scipy's
DOP853, which it replaced (tests/test_nbody.py compares the two). With them a Sun-only cruise of
200 days agrees with the Kepler solution of :mod:`marsprobe.orbits.kepler` to metres and a Mars-
centred hyperbola keeps its energy to 1e-12 (tests/test_nbody.py); a B-plane point moves by far
less than the 0.1 km targeting tolerance between these and 100 times tighter ones.

Ephemeris. The bodies' states come from DE421 sampled every 6 h and interpolated
(:class:`SampledEphemeris`, :mod:`marsprobe.orbits.sampled`).

Batches. Every function takes N states, (N, 3) arrays (a (3,) state is a batch of one). Each
member is integrated on its own, with its own step control, so its result does not depend on
its batch-mates: flown alone to the same end epoch it is bit-identical. Stops (sphere of
influence, user stops) are decided on member 0; the others are flown to the epoch where
member 0 stopped. A differential correction (a nominal and its perturbed neighbours) then sees
in its differences the integration error of separate step sequences, metres at most, far below
what its finite-difference steps move.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from marsprobe import constants as c
from marsprobe.errors import ConvergenceError, InputError
from marsprobe.orbits.sampled import (  # noqa: F401  (EPHEMERIS_STEP_S, PERTURBERS: re-exported)
    EPHEMERIS_STEP_S,
    PERTURBERS,
    SampledEphemeris,
)

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
    centre, its north pole the unit vector ``pole`` (see the module docstring). The numpy
    statement of the term the compiled kernel evaluates."""
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
    to ``center``, from every body of ``eph`` (the equation of the module docstring). The
    numpy statement of what the compiled kernel evaluates (the tests fly it with scipy)."""
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


# ---- stops and thrust (compiled: each is a row of numbers for the kernel) -------------------


@dataclass(frozen=True)
class Stop:
    """A terminal event of :func:`fly`: it ends the flight when its function of member 0's
    state crosses zero; ``direction`` as in scipy (+1: rising through zero only, -1: falling,
    0: both). Made by the functions below, one per kind:

    - ``"distance"``: distance to ``body`` (None: the centre) minus ``value``, m;
    - ``"apsis"``: (r - r_body) . (v - v_body), m^2/s (zero at closest approach);
    - ``"altitude"``: height above the ellipsoid of radii ``radii`` (equatorial, polar, m)
      about the centre, pole ``axis``, minus ``value``, m;
    - ``"energy"``: specific orbital energy about the centre (GM ``radii[0]``) minus
      ``value``, J/kg.
    """

    name: str
    kind: str
    direction: float = 0.0
    body: str | None = None
    value: float = 0.0
    axis: tuple[float, float, float] = (0.0, 0.0, 0.0)
    radii: tuple[float, float] = (0.0, 0.0)

    def row(self, eph, center: str) -> np.ndarray:
        """The stop as the kernel reads it (see :mod:`marsprobe.orbits.cruise_kernel`)."""
        kinds = ("distance", "apsis", "altitude", "energy")
        if self.kind not in kinds:
            raise InputError(f"unknown stop kind {self.kind!r}; accepted: {', '.join(kinds)}")
        body = eph.index[self.body or center]
        return np.array(
            [kinds.index(self.kind), body, self.value, self.direction, *self.axis, *self.radii],
            dtype=np.float64,
        )


def distance_stop(name: str, body: str, radius_m: float, direction: float = -1.0) -> Stop:
    """Stop when the distance to ``body`` crosses ``radius_m`` (default: coming closer)."""
    return Stop(name, "distance", direction, body, float(radius_m))


def periapsis_stop(name: str, body: str) -> Stop:
    """Stop at the closest approach to ``body`` (relative r.v rising through zero)."""
    return Stop(name, "apsis", 1.0, body)


def altitude_stop(name: str, h_m: float, pole, radii: tuple[float, float], direction=-1.0):
    """Stop where the height above the centre's ellipsoid (``radii``: equatorial and polar,
    m; north pole ``pole``) crosses ``h_m`` (default: falling through it)."""
    axis = tuple(float(x) for x in np.asarray(pole, dtype=np.float64))
    return Stop(name, "altitude", direction, None, float(h_m), axis, tuple(map(float, radii)))


def energy_stop(name: str, gm: float, energy_j_kg: float, direction: float = -1.0) -> Stop:
    """Stop when the specific energy about the centre (GM ``gm``, m^3/s^2) crosses
    ``energy_j_kg`` (default: falling through it, as a braking burn does)."""
    return Stop(name, "energy", direction, None, float(energy_j_kg), radii=(float(gm), 0.0))


@dataclass(frozen=True)
class Thrust:
    """A burn flown as a force: constant ``thrust_n`` from a mass of ``mass_kg`` at
    ``t_start`` (TDB s) falling at ``mass_flow_kg_s``; along the fixed unit vector
    ``direction`` (ICRF), or against the velocity when it is None."""

    thrust_n: float
    mass_kg: float
    mass_flow_kg_s: float
    t_start: float
    direction: tuple[float, float, float] | None = None


@dataclass
class Leg:
    """One stretch of a flight with a fixed centre: member 0's accepted steps, epochs (K,)
    and states (K, 1, 3)."""

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


def _model(eph, t0, t1, center, oblate, thrust) -> tuple[SampledEphemeris, np.ndarray]:
    """The ephemeris grid and the packed force-model scalars of the kernel."""
    from marsprobe.orbits import cruise_kernel as k

    grid = eph if isinstance(eph, SampledEphemeris) else SampledEphemeris.of(eph, t0, t1)
    par = np.zeros(k.N_PAR)
    par[k.P_EPOCH], par[k.P_STEP] = grid.t0, grid.step
    par[k.P_CENTER] = grid.index[center]
    par[k.P_CORRECT] = float(grid.corrected)
    zonal = OBLATE.get(center) if oblate else None
    if zonal:
        j2, gm, radius = zonal
        par[k.P_J2] = 1.5 * j2 * gm * radius**2
        par[k.P_POLE : k.P_POLE + 3] = pole_of(center, t0)
    if thrust is not None:
        par[k.P_THRUST], par[k.P_MASS] = thrust.thrust_n, thrust.mass_kg
        par[k.P_MDOT], par[k.P_TSTART] = thrust.mass_flow_kg_s, thrust.t_start
        par[k.P_MODE] = k.THRUST_RETRO if thrust.direction is None else k.THRUST_FIXED
        if thrust.direction is not None:
            par[k.P_DIR : k.P_DIR + 3] = thrust.direction
    return grid, par


def propagate(
    t0: float,
    r0,
    v0,
    t1: float,
    center: str = "sun",
    eph=None,
    *,
    stops: Sequence[Stop] = (),
    accel: Thrust | None = None,
    rtol: float = RTOL,
    record: bool = False,
    oblate: bool = True,
):
    """Integrate N spacecraft from ``t0`` to ``t1`` (TDB s; t1 < t0 flies backwards) about a
    fixed ``center``, with the point-mass pull of every body of ``eph`` and, with ``oblate``
    and a centre of :data:`OBLATE`, the centre's J2.

    ``r0``, ``v0``: (3,) or (N, 3), m and m/s relative to ``center``, ICRF axes.
    ``accel``: a :class:`Thrust` flown during the leg.
    Returns ``(t, r, v, stop, leg)``: the end epoch and states (N, 3), the name of the stop
    that fired (or None), and with ``record`` the :class:`Leg` of member 0's steps (else None).
    """
    if center not in CENTERS:
        raise InputError(f"unknown central body {center!r}; accepted: {', '.join(CENTERS)}")
    r0, v0, _ = _batch(r0, v0)
    if eph is None:
        eph = SampledEphemeris(t0, t1)
    elif not eph.covers(t0, t1):
        raise InputError("the ephemeris handed to propagate does not cover the flight")
    if t1 == t0:
        return t0, r0, v0, None, None
    from marsprobe.orbits import cruise_kernel as k

    grid, par = _model(eph, t0, t1, center, oblate, accel)
    rows = np.array([s.row(grid, center) for s in stops]).reshape(len(stops), k.N_STOP)
    atol = np.array([ATOL_M] * 3 + [ATOL_M_S] * 3)
    y0 = np.ascontiguousarray(np.concatenate([r0, v0], axis=1))
    y = np.empty_like(y0)
    rec = np.empty((1024 if record else 0, 7))
    ep, ev, eda = grid.arrays()
    args = (float(rtol), atol, k.tableau(), ep, ev, eda, grid.gm, par, rows)
    while True:
        t, fired, steps, status = k.fly_batch(float(t0), y0, float(t1), *args, rec, y)
        if steps <= rec.shape[0] or not record:
            break
        rec = np.empty((steps, 7))  # the steps did not fit: fly again with room for them
    if status < 0:
        raise ConvergenceError(
            f"cruise integration failed: member {-1 - status if status < -1 else 0}'s step "
            "fell below the resolution of the epoch"
        )
    leg = None
    if record:
        rec = np.vstack([np.concatenate([[t0], y0[0]]), rec[:steps]])
        leg = Leg(center, rec[:, 0].copy(), rec[:, None, 1:4].copy(), rec[:, None, 4:7].copy())
    name = stops[fired].name if fired >= 0 else None
    return float(t), y[:, :3].copy(), y[:, 3:].copy(), name, leg


def _switch_stops(center: str) -> list[Stop]:
    if center == "sun":
        return [
            distance_stop("enter:mars", "mars", SOI["mars"]),
            distance_stop("enter:earth", "earth", SOI["earth"]),
        ]
    return [distance_stop(f"leave:{center}", center, SOI[center], 1.0)]


def fly(
    t0: float,
    r0,
    v0,
    t1: float,
    center: str = "sun",
    eph=None,
    *,
    stops: Sequence[Stop] = (),
    accel: Thrust | None = None,
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
    ``keep_legs`` keeps member 0's every step (for plots and checks); otherwise only the end
    states. The spheres are entered and left in forward time: fly backwards with
    ``switch=False``.
    """
    r, v, single = _batch(r0, v0)
    if eph is None:
        eph = SampledEphemeris(t0, t1)
    t = float(t0)
    legs: list[Leg] = []
    for _ in range(max_switches + 1):
        own = _switch_stops(center) if switch else []
        t_new, r_new, v_new, fired, leg = propagate(
            t,
            r,
            v,
            t1,
            center,
            eph,
            stops=[*stops, *own],
            accel=accel,
            rtol=rtol,
            record=keep_legs,
            oblate=oblate,
        )
        if leg is not None:
            legs.append(leg)
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
