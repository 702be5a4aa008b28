"""DE421 sampled for the cruise: positions and velocities of the bodies of the force model on
a regular grid, interpolated with cubic Hermite polynomials.

Calling DE421 (~2 ms for all bodies) at each of the thousands of right-hand side evaluations of
a cruise would dominate it, so the bodies are sampled every :data:`EPHEMERIS_STEP_S` and
interpolated (the compiled kernel, :mod:`marsprobe.orbits.cruise_kernel`, evaluates the same
polynomials). The error of cubic Hermite interpolation is at most h^4 |x''''| / 384: about
11 m for the Moon about the Earth at a 6 h step (0.3 m for the Earth, under 20 m for Mercury),
checked against DE421 in tests/test_nbody.py.

The grid also carries each body's ephemeris-minus-model acceleration (see
:mod:`marsprobe.orbits.nbody`, "Frames"), from central differences of DE421 velocities.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from marsprobe import constants as c
from marsprobe.errors import InputError

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

EPHEMERIS_STEP_S = 0.25 * c.DAY_S
"""Sampling interval of :class:`SampledEphemeris`, s (6 h: see the module docstring)."""
_FD_S = 100.0  # s, half-interval of the central difference of DE421 velocities


def _grid(t0: float, t1: float, step_s: float) -> np.ndarray:
    lo = min(t0, t1) - 2.0 * step_s
    n = int(math.ceil((max(t0, t1) + 2.0 * step_s - lo) / step_s)) + 1
    return lo + step_s * np.arange(n)


class SampledEphemeris:
    """Positions and velocities of ``bodies`` relative to the solar-system barycentre,
    sampled from DE421 every ``step_s`` over [t0, t1] (TDB s past J2000) and interpolated
    with cubic Hermite polynomials.

    Any object with the attributes ``names``, ``gm`` (m^3/s^2, shape (nb,)), ``index``
    (name -> row) and the methods ``covers(t0, t1)``, ``positions(t)`` and ``states(t)``
    (arrays (nb, 3) in m and m/s, an inertial origin) can stand in for it: the propagator
    samples such a model with :meth:`of` (the tests use a circular toy system).
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
        grid = _grid(t0, t1, step_s)
        p = np.empty((grid.size, len(bodies), 3))
        v = np.empty_like(p)
        for k, body in enumerate(bodies):
            p[:, k], v[:, k] = state(body, grid, center="ssb")
        gm = np.array([c.GM[b] for b in bodies])
        # Ephemeris minus model acceleration of each body (nbody's docstring, "Frames"); only
        # meaningful when the model holds every body of the ephemeris.
        da = np.zeros_like(p)
        if set(PERTURBERS) <= set(bodies):
            for k, body in enumerate(bodies):
                _, v_hi = state(body, grid + _FD_S, center="ssb")
                _, v_lo = state(body, grid - _FD_S, center="ssb")
                d = p - p[:, k : k + 1]
                dn3 = np.einsum("nkj,nkj->nk", d, d) ** 1.5
                dn3[:, k] = np.inf
                model = np.einsum("k,nkj->nj", gm, d / dn3[..., None])
                da[:, k] = (v_hi - v_lo) / (2 * _FD_S) - model
        self._set(tuple(bodies), gm, grid, step_s, p, v, da)

    def _set(self, names, gm, grid, step_s, p, v, da) -> None:
        self.names = tuple(names)
        self.index = {b: i for i, b in enumerate(self.names)}
        self.gm = np.ascontiguousarray(gm, dtype=np.float64)
        self.t0 = float(grid[0])
        self.t1 = float(grid[-1])
        self.step = float(step_s)
        self._p, self._v, self._da = p, v, da
        self.corrected = bool(np.any(da))

    @classmethod
    def of(cls, model, t0: float, t1: float, step_s: float = EPHEMERIS_STEP_S):
        """A model standing in for DE421 (see the class docstring) sampled over [t0, t1];
        without a ``centre_correction`` of its own its frames are taken as exact."""
        grid = _grid(t0, t1, step_s)
        p = np.empty((grid.size, len(model.names), 3))
        v = np.empty_like(p)
        for i, t in enumerate(grid):
            p[i], v[i] = model.states(float(t))
        out = cls.__new__(cls)
        out._set(model.names, model.gm, grid, step_s, p, v, np.zeros_like(p))
        return out

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
        return self.states(t)[0]

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

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The grids the compiled kernel reads: positions, velocities and
        ephemeris-minus-model accelerations, each (n, nb, 3), from :attr:`t0` every
        :attr:`step`."""
        return self._p, self._v, self._da
