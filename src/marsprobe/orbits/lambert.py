"""Lambert's problem: velocities on the two-body arc between two positions in a given time.

The solver is Izzo's (D. Izzo, "Revisiting Lambert's problem", Celestial
Mechanics and Dynamical Astronomy 121 (2015) 1-15), compiled with numba in
:mod:`marsprobe.orbits.izzo`, which documents the method, the accuracy measures
and when a problem is flagged. This module broadcasts the batch, checks the
arguments a user can get wrong, and offers the multi-revolution conveniences.

``low_path=True`` selects, for M >= 1 revolutions, the root with the larger x
(Izzo's "right" branch), which is what poliastro/hapsira and lamberthub call the
low path. ``prograde=True`` asks for an orbit whose angular momentum has a
non-negative z component.
"""

from __future__ import annotations

import math

import numpy as np

from marsprobe.errors import InputError
from marsprobe.orbits.izzo import SIN_TRANSFER_MIN, lambert_batch, min_tof_batch

__all__ = ["SIN_TRANSFER_MIN", "lambert", "lambert_all", "min_tof"]


def _check_mu(mu) -> float:
    mu = float(mu)
    if not (mu > 0.0 and math.isfinite(mu)):
        raise InputError(f"mu must be a positive gravitational parameter in m^3/s^2; got {mu}")
    return mu


def _positions(r, name):
    r = np.asarray(r, dtype=np.float64)
    if r.shape[-1:] != (3,) or r.ndim > 2:
        raise InputError(f"{name} must have shape (3,) or (N, 3) in m; got {r.shape}")
    return r


def _broadcast(r1, r2, tof, *flags):
    r1 = _positions(r1, "r1")
    r2 = _positions(r2, "r2")
    tof = np.asarray(tof, dtype=np.float64)
    arrays = [np.asarray(f) for f in flags]
    if tof.ndim > 1 or any(a.ndim > 1 for a in arrays):
        raise InputError("tof, revs, prograde and low_path must be scalars or 1-D arrays")
    try:
        shape = np.broadcast_shapes(
            r1.shape[:-1], r2.shape[:-1], tof.shape, *(a.shape for a in arrays)
        )
    except ValueError as exc:
        raise InputError(f"batch shapes do not match: {exc}") from None
    scalar = shape == ()
    n = shape[0] if shape else 1
    return (
        np.broadcast_to(r1, (n, 3)),
        np.broadcast_to(r2, (n, 3)),
        np.broadcast_to(tof, (n,)),
        [np.broadcast_to(a, (n,)) for a in arrays],
        scalar,
    )


def _revs_array(revs):
    revs = np.asarray(revs)
    if not np.issubdtype(revs.dtype, np.integer) and not np.all(revs == np.round(revs)):
        raise InputError("revs must be whole numbers of revolutions (0, 1, 2, ...)")
    revs = revs.astype(np.int64)
    if np.any(revs < 0):
        raise InputError("revs must be >= 0")
    return revs


def lambert(mu, r1, r2, tof, revs=0, prograde=True, low_path=True):
    """Velocities on the two-body arc from ``r1`` to ``r2`` in ``tof`` seconds.

    Parameters
    ----------
    mu : float
        Gravitational parameter of the central body, m^3/s^2.
    r1, r2 : array_like, shape (3,) or (N, 3)
        Initial and final positions, m.
    tof : float or array_like (N,)
        Time of flight, s.
    revs : int or array_like (N,)
        Number of complete revolutions M (0 for a direct transfer).
    prograde : bool or array_like (N,)
        True: the orbit's angular momentum has a non-negative z component.
    low_path : bool or array_like (N,)
        For revs >= 1, which of the two solutions (see the module docstring).

    Returns
    -------
    v1, v2 : ndarray, shape (3,) or (N, 3)
        Velocities at r1 and r2, m/s (NaN where ``ok`` is False).
    ok : bool or ndarray (N,)
        False where the problem has no solution or is degenerate.
    """
    mu = _check_mu(mu)
    revs = _revs_array(revs)
    r1b, r2b, tofb, (revb, prob, lowb), scalar = _broadcast(
        r1,
        r2,
        tof,
        revs,
        np.asarray(prograde, dtype=np.bool_),
        np.asarray(low_path, dtype=np.bool_),
    )
    n = tofb.shape[0]
    v1 = np.empty((n, 3))
    v2 = np.empty((n, 3))
    ok = np.empty(n, dtype=np.bool_)
    lambert_batch(mu, r1b, r2b, tofb, revb, prob, lowb, v1, v2, ok)
    if scalar:
        return v1[0], v2[0], bool(ok[0])
    return v1, v2, ok


def min_tof(mu, r1, r2, revs, prograde=True):
    """Shortest time of flight (s) that admits a solution with ``revs`` revolutions.

    0 for ``revs = 0``; NaN for a degenerate geometry (see ``SIN_TRANSFER_MIN``).
    Shapes as in :func:`lambert`.
    """
    mu = _check_mu(mu)
    revs = _revs_array(revs)
    r1b, r2b, _t, (revb, prob), scalar = _broadcast(
        r1, r2, 1.0, revs, np.asarray(prograde, dtype=np.bool_)
    )
    out = np.empty(revb.shape[0])
    min_tof_batch(mu, r1b, r2b, revb, prob, out)
    return float(out[0]) if scalar else out


def lambert_all(mu, r1, r2, tof, max_revs, prograde=True):
    """Every solution with 0..``max_revs`` revolutions, both branches for M >= 1.

    Returns ``(revs, low_path, v1, v2, ok)``: ``revs`` and ``low_path`` of shape (K,)
    with K = 2 max_revs + 1 label the solutions (order: M = 0, then for each M the
    low and the high path); ``v1``, ``v2`` have shape (..., K, 3) and ``ok`` (..., K),
    the batch axis first when the inputs have one.
    """
    max_revs = int(max_revs)
    if max_revs < 0:
        raise InputError("max_revs must be >= 0")
    labels = [(0, True)] + [(m, lp) for m in range(1, max_revs + 1) for lp in (True, False)]
    results = [lambert(mu, r1, r2, tof, m, prograde, lp) for m, lp in labels]
    v1 = np.stack([np.asarray(r[0]) for r in results], axis=-2)
    v2 = np.stack([np.asarray(r[1]) for r in results], axis=-2)
    ok = np.stack([np.asarray(r[2]) for r in results], axis=-1)
    revs = np.array([m for m, _ in labels])
    low = np.array([lp for _, lp in labels])
    return revs, low, v1, v2, ok
