"""Explicit Runge-Kutta integration with scipy's step control, without loading scipy.integrate.

``solve`` flies the same steps as ``scipy.integrate.solve_ivp`` with ``method="DOP853"`` or
``"RK45"`` (same tableaux, starting step, step-size control, dense output and event location),
so a flight that moves here from scipy keeps its numbers to the last bits or close to them
(tests/test_ode.py compares the two). Why by hand: importing ``scipy.integrate`` loads
scipy.optimize, scipy.special, scipy.sparse and scipy.linalg (about 0.3 s of a 1 s command) for
a loop that is plain Python either way; every replay flies an ascent, so every replay paid it.

Methods (Hairer, Norsett & Wanner, "Solving Ordinary Differential Equations I", 2nd ed.,
Springer 1993): DOP853, the 12-stage pair of order 8 with embedded 5th- and 3rd-order error
estimates and a 7th-order interpolant (sec. II.5, II.6); RK45, the Dormand & Prince (1980) pair
of order 5(4) with the 4th-order interpolant of Shampine (1986, Math. Comp. 46, 135). The DOP853
tableau is read from scipy's file of the published coefficients (:func:`dop853_tableau`), not
restated; the RK45 one is short and written below. Step control (sec. II.4): safety factor
0.9, step ratio within [0.2, 10], no growth right after a rejected step, the error exponent
-1/(q+1) for an estimator of order q, the RMS norm of the error scaled by ``atol + rtol |y|``.

Events are scipy's: callables ``g(t, y)`` with optional attributes ``terminal`` (bool) and
``direction`` (sign of the crossing that counts; 0 for both). A sign change over an accepted
step is located on the step's interpolant by Brent's method (``xtol = rtol = 4 eps``), as
scipy locates it; the first terminal one ends the flight at its root.
"""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from marsprobe.errors import ConvergenceError

SAFETY, MIN_FACTOR, MAX_FACTOR = 0.9, 0.2, 10.0
EPS = float(np.finfo(float).eps)


@cache
def dop853_tableau() -> SimpleNamespace:
    """The Dormand-Prince 8(5,3) coefficients, from scipy's module of them.

    The file is executed by itself: importing it as ``scipy.integrate._ivp...`` would first
    load all of scipy.integrate (about 0.3 s) for a dozen arrays. Attributes: ``A`` (16, 16)
    with the three extra stages of the interpolant in its last rows, ``B``, ``C`` (16,),
    ``E3``, ``E5`` (13,), ``D`` (4, 16), ``N_STAGES`` (12) and ``INTERPOLATOR_POWER`` (7).
    """
    spec = importlib.util.find_spec("scipy")
    path = None
    if spec is not None and spec.submodule_search_locations:
        path = Path(spec.submodule_search_locations[0]) / "integrate/_ivp/dop853_coefficients.py"
    if path is not None and path.is_file():
        mspec = importlib.util.spec_from_file_location("_marsprobe_dop853_tableau", path)
        mod = importlib.util.module_from_spec(mspec)
        mspec.loader.exec_module(mod)
    else:  # a future scipy may move the file: the package path still works
        from scipy.integrate._ivp import dop853_coefficients as mod
    return SimpleNamespace(
        **{k: getattr(mod, k) for k in ("A", "B", "C", "E3", "E5", "D", "N_STAGES")},
        INTERPOLATOR_POWER=mod.INTERPOLATOR_POWER,
    )


# Dormand & Prince (1980), J. Comput. Appl. Math. 6, 19, table 2 (the 5th-order solution is
# propagated, the 4th-order one only sizes the step).
_RK45_C = np.array([0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1])
_RK45_A = np.array(
    [
        [0, 0, 0, 0, 0],
        [1 / 5, 0, 0, 0, 0],
        [3 / 40, 9 / 40, 0, 0, 0],
        [44 / 45, -56 / 15, 32 / 9, 0, 0],
        [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729, 0],
        [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
    ]
)
_RK45_B = np.array([35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84])
_RK45_E = np.array([-71 / 57600, 0, 71 / 16695, -71 / 1920, 17253 / 339200, -22 / 525, 1 / 40])
# Shampine (1986), the free parameter at its optimum: coefficients of x, x^2, x^3, x^4 of
# the interpolant for each of the seven stages.
_RK45_P = np.array(
    [
        [1, -8048581381 / 2820520608, 8663915743 / 2820520608, -12715105075 / 11282082432],
        [0, 0, 0, 0],
        [
            0,
            131558114200 / 32700410799,
            -68118460800 / 10900136933,
            87487479700 / 32700410799,
        ],
        [0, -1754552775 / 470086768, 14199869525 / 1410260304, -10690763975 / 1880347072],
        [
            0,
            127303824393 / 49829197408,
            -318862633887 / 49829197408,
            701980252875 / 199316789632,
        ],
        [0, -282668133 / 205662961, 2019193451 / 616988883, -1453857185 / 822651844],
        [0, 40617522 / 29380423, -110615467 / 29380423, 69997945 / 29380423],
    ]
)


@dataclass
class Solution:
    """What :func:`solve` returns, shaped as scipy's result: ``t`` (m,) the accepted step
    ends (the last one moved to a terminal event's root), ``y`` (n, m), ``status`` 0 (end of
    the span) or 1 (a terminal event), ``t_events``/``y_events`` one array per event, and
    ``nfev`` the right-hand side evaluations."""

    t: np.ndarray
    y: np.ndarray
    status: int
    t_events: list[np.ndarray]
    y_events: list[np.ndarray]
    nfev: int


def _rms(x: np.ndarray) -> float:
    return float(np.linalg.norm(x) / x.size**0.5)


def brent_root(f, xa: float, xb: float, xtol: float = 4 * EPS, rtol: float = 4 * EPS) -> float:
    """A root of ``f`` between ``xa`` and ``xb`` (opposite signs) by Brent's method with
    inverse quadratic interpolation (Brent, "Algorithms for Minimization without
    Derivatives", 1973, ch. 4), in the form scipy's ``brentq`` uses, so that an event lands on
    the same root; converged when the bracket is below ``xtol + rtol |x|``."""
    xpre, xcur = xa, xb
    fpre, fcur = f(xpre), f(xcur)
    if fpre == 0:
        return xpre
    if fcur == 0:
        return xcur
    xblk = fblk = spre = scur = 0.0
    for _ in range(100):
        if fpre != 0 and fcur != 0 and (math.copysign(1, fpre) != math.copysign(1, fcur)):
            xblk, fblk = xpre, fpre
            spre = scur = xcur - xpre
        if abs(fblk) < abs(fcur):
            xpre, xcur, xblk = xcur, xblk, xcur
            fpre, fcur, fblk = fcur, fblk, fcur
        delta = (xtol + rtol * abs(xcur)) / 2
        sbis = (xblk - xcur) / 2
        if fcur == 0 or abs(sbis) < delta:
            return xcur
        if abs(spre) > delta and abs(fcur) < abs(fpre):
            if xpre == xblk:  # secant
                stry = -fcur * (xcur - xpre) / (fcur - fpre)
            else:  # inverse quadratic
                dpre = (fpre - fcur) / (xpre - xcur)
                dblk = (fblk - fcur) / (xblk - xcur)
                stry = -fcur * (fblk * dblk - fpre * dpre) / (dblk * dpre * (fblk - fpre))
            if 2 * abs(stry) < min(abs(spre), 3 * abs(sbis) - delta):
                spre, scur = scur, stry
            else:
                spre = scur = sbis
        else:
            spre = scur = sbis
        xpre, fpre = xcur, fcur
        xcur += scur if abs(scur) > delta else (delta if sbis > 0 else -delta)
        fcur = f(xcur)
    raise ConvergenceError(f"no event root found between {xa} and {xb} in 100 iterations")


class _Method:
    """One explicit Runge-Kutta pair: its tableau, error norm and interpolant."""

    def __init__(self, name: str):
        if name == "DOP853":
            tab = dop853_tableau()
            n = tab.N_STAGES
            self.A, self.B, self.C = tab.A[:n, :n], tab.B, tab.C[:n]
            self.A_extra, self.C_extra = tab.A[n + 1 :], tab.C[n + 1 :]
            self.E3, self.E5, self.D = tab.E3, tab.E5, tab.D
            self.n_extended, self.power = tab.A.shape[0], tab.INTERPOLATOR_POWER
            self.estimator_order = 7
        elif name == "RK45":
            self.A, self.B, self.C, self.E, self.P = _RK45_A, _RK45_B, _RK45_C, _RK45_E, _RK45_P
            self.estimator_order = 4
        else:
            raise ValueError(f"unknown method {name!r}: DOP853 or RK45")
        self.name = name
        self.stages = len(self.B)
        self.exponent = -1.0 / (self.estimator_order + 1)

    def error_norm(self, K: np.ndarray, h: float, scale: np.ndarray) -> float:
        if self.name == "RK45":
            return _rms(np.dot(K.T, self.E) * h / scale)
        err5 = np.dot(K.T, self.E5) / scale
        err3 = np.dot(K.T, self.E3) / scale
        e5, e3 = np.linalg.norm(err5) ** 2, np.linalg.norm(err3) ** 2
        if e5 == 0 and e3 == 0:
            return 0.0
        return float(np.abs(h) * e5 / np.sqrt((e5 + 0.01 * e3) * len(scale)))


def _interpolant(m: _Method, fun, K, t_old, y_old, h, t_new, y_new, f_new):
    """The step's continuous solution ``y(t)`` on [t_old, t_new] (scipy's dense output)."""
    if m.name == "RK45":
        Q = K.T.dot(m.P)
        order = Q.shape[1] - 1

        def rk45(t: float) -> np.ndarray:
            p = np.cumprod(np.tile((t - t_old) / h, order + 1))
            return h * np.dot(Q, p) + y_old

        return rk45
    for s, (a, c) in enumerate(zip(m.A_extra, m.C_extra, strict=True), start=m.stages + 1):
        K[s] = fun(t_old + c * h, y_old + np.dot(K[:s].T, a[:s]) * h)
    F = np.empty((m.power, y_old.size))
    dy = y_new - y_old
    F[0] = dy
    F[1] = h * K[0] - dy
    F[2] = 2 * dy - h * (f_new + K[0])
    F[3:] = h * np.dot(m.D, K)

    def dop853(t: float) -> np.ndarray:
        x = (t - t_old) / h
        y = np.zeros_like(y_old)
        for i, f in enumerate(reversed(F)):
            y += f
            y *= x if i % 2 == 0 else 1 - x
        return y + y_old

    return dop853


def _first_step(fun, t0, y0, f0, t_bound, max_step, order, rtol, atol, direction) -> float:
    """Hairer et al. sec. II.4's starting step, as scipy chooses it."""
    span = abs(t_bound - t0)
    if span == 0.0:
        return 0.0
    scale = atol + np.abs(y0) * rtol
    d0, d1 = _rms(y0 / scale), _rms(f0 / scale)
    h0 = 1e-6 if d0 < 1e-5 or d1 < 1e-5 else 0.01 * d0 / d1
    h0 = min(h0, span)
    f1 = fun(t0 + h0 * direction, y0 + h0 * direction * f0)
    d2 = _rms((f1 - f0) / scale) / h0
    if d1 <= 1e-15 and d2 <= 1e-15:
        h1 = max(1e-6, h0 * 1e-3)
    else:
        h1 = (0.01 / max(d1, d2)) ** (1 / (order + 1))
    return min(100 * h0, h1, span, max_step)


def solve(
    fun,
    t_span: tuple[float, float],
    y0,
    method: str = "DOP853",
    rtol: float = 1e-3,
    atol=1e-6,
    events=(),
    max_step: float = math.inf,
    first_step: float | None = None,
) -> Solution:
    """Integrate ``dy/dt = fun(t, y)`` over ``t_span`` from ``y0`` (see the module docstring).

    Raises :class:`ConvergenceError` when the step falls below ten units of the last place of
    ``t`` (scipy's "required step size is less than spacing between numbers").
    """
    m = _Method(method)
    nfev = 0

    def f(t, y):
        nonlocal nfev
        nfev += 1
        return np.asarray(fun(t, y), dtype=float)

    t0, tf = map(float, t_span)
    y = np.asarray(y0, dtype=float).copy()
    rtol = max(float(rtol), 100 * EPS)
    atol = np.asarray(atol, dtype=float)
    direction = 1.0 if tf >= t0 else -1.0
    events = list(events)
    terminal = [bool(getattr(e, "terminal", False)) for e in events]
    sense = [float(getattr(e, "direction", 0.0)) for e in events]
    g = [e(t0, y) for e in events]
    t_events: list[list[float]] = [[] for _ in events]
    y_events: list[list[np.ndarray]] = [[] for _ in events]
    t = t0
    fy = f(t, y)
    if first_step is None:
        h_abs = _first_step(f, t, y, fy, tf, max_step, m.estimator_order, rtol, atol, direction)
    else:
        h_abs = float(first_step)
    K = np.empty((getattr(m, "n_extended", m.stages + 1), y.size))
    Kc = K[: m.stages + 1]
    ts, ys = [t], [y]
    status = None
    while status is None:
        if t == tf:  # an empty span: scipy records the start twice
            ts.append(t)
            ys.append(y)
            break
        min_step = 10 * abs(np.nextafter(t, direction * np.inf) - t)
        if h_abs > max_step:
            h_abs = max_step
        elif h_abs < min_step:
            h_abs = min_step
        rejected = False
        while True:
            if h_abs < min_step:
                raise ConvergenceError(
                    f"the {method} step fell below the spacing of the time at t = {t:.9g} s"
                )
            t_new = t + h_abs * direction
            if direction * (t_new - tf) > 0:
                t_new = tf
            h = t_new - t
            h_abs = abs(h)
            Kc[0] = fy
            for s, (a, c) in enumerate(zip(m.A[1:], m.C[1:], strict=True), start=1):
                Kc[s] = f(t + c * h, y + np.dot(Kc[:s].T, a[:s]) * h)
            y_new = y + h * np.dot(Kc[:-1].T, m.B)
            f_new = f(t + h, y_new)
            Kc[-1] = f_new
            scale = atol + np.maximum(np.abs(y), np.abs(y_new)) * rtol
            err = m.error_norm(Kc, h, scale)
            if err < 1:
                factor = MAX_FACTOR if err == 0 else min(MAX_FACTOR, SAFETY * err**m.exponent)
                h_abs *= min(1.0, factor) if rejected else factor
                break
            h_abs *= max(MIN_FACTOR, SAFETY * err**m.exponent)
            rejected = True
        t_old, y_old = t, y
        t, y, fy = t_new, y_new, f_new
        if direction * (t - tf) >= 0:
            status = 0
        if events:
            g_new = [e(t, y) for e in events]
            active = [
                k
                for k in range(len(events))
                if (sense[k] >= 0 and g[k] <= 0 <= g_new[k])
                or (sense[k] <= 0 and g[k] >= 0 >= g_new[k])
            ]
            if active:
                sol = _interpolant(m, f, K, t_old, y_old, h, t, y, fy)
                roots = [
                    brent_root(lambda tt, k=k, sol=sol: events[k](tt, sol(tt)), t_old, t)
                    for k in active
                ]
                if any(terminal[k] for k in active):
                    order = sorted(range(len(active)), key=lambda i: direction * roots[i])
                    active = [active[i] for i in order]
                    roots = [roots[i] for i in order]
                    first = next(i for i, k in enumerate(active) if terminal[k])
                    active, roots = active[: first + 1], roots[: first + 1]
                for k, te in zip(active, roots, strict=True):
                    t_events[k].append(te)
                    y_events[k].append(sol(te))
                if terminal[active[-1]]:
                    status = 1
                    t, y = roots[-1], sol(roots[-1])
            g = g_new
        ts.append(t)
        ys.append(y)
    return Solution(
        t=np.array(ts),
        y=np.vstack(ys).T,
        status=status or 0,
        t_events=[np.asarray(te) for te in t_events],
        y_events=[np.asarray(ye) for ye in y_events],
        nfev=nfev,
    )
