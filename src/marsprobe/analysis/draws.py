"""Random draws of a campaign's dispersions, layout-free and reproducible.

Random numbers: counter-based Philox-4x64-10 (Salmon, Moraes, Dror & Shaw 2011, "Parallel
random numbers: as easy as 1, 2, 3", Proc. SC11) as implemented by ``numpy.random.Philox``.
Each dispersion (a field, or a correlated group) has its own stream whose 128-bit key is drawn
by ``numpy.random.SeedSequence(seed, spawn_key=<sha256 of the stream name>)``; sample ``i`` of
that stream owns Philox counter blocks ``[i*B, (i+1)*B)`` (``B = ceil(k/4)`` blocks for ``k``
variates, four 64-bit words per block). Uniforms ``(w >> 11 + 0.5) / 2**53`` lie strictly
inside (0, 1) and are turned into the distribution by its inverse CDF. So a sample's draws
depend on (seed, stream name, sample index) only: not on the chunk layout, the number of
workers, the order in which chunks finish, or on which other fields are dispersed (common
random numbers: two scenarios that share a seed and a dispersion share its draws).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from scipy.special import ndtr, ndtri

from marsprobe.analysis.dispersions import CampaignScenario

RNG_SCHEME = "philox4x64-10; key=SeedSequence(seed, spawn_key=sha256(stream)); counter=sample*B"


@lru_cache(maxsize=1024)
def _stream_key(seed: int, stream: str) -> tuple[int, int]:
    digest = hashlib.sha256(stream.encode("utf-8")).digest()
    words = tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))
    key = np.random.SeedSequence(seed, spawn_key=words).generate_state(2, np.uint64)
    return int(key[0]), int(key[1])


def uniforms(seed: int, stream: str, start: int, stop: int, k: int = 1) -> np.ndarray:
    """Uniform variates in (0, 1) of samples ``start..stop-1`` of a named stream, shape (n, k).

    The value for sample i depends only on (seed, stream, i, k): any slice of a long run equals
    the same slice drawn alone.
    """
    n = stop - start
    blocks = -(-k // 4)
    key = np.array(_stream_key(seed, stream), dtype=np.uint64)
    gen = np.random.Philox(key=key, counter=start * blocks)
    words = gen.random_raw(n * blocks * 4).reshape(n, blocks * 4)[:, :k]
    return ((words >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53


def _truncnormal_ppf(u: np.ndarray, a: float, b: float) -> np.ndarray:
    """Inverse CDF of the standard normal cut to [a, b]."""
    if a > 0:
        sa, sb = ndtr(-a), ndtr(-b)
        x = -ndtri(sa - u * (sa - sb))
    else:
        pa, pb = ndtr(a), ndtr(b)
        x = ndtri(pa + u * (pb - pa))
    return np.clip(x, a, b)


def _inverse_cdf(disp: Any, u: np.ndarray) -> np.ndarray:
    if disp.dist == "normal":
        return disp.mean + disp.sd * ndtri(u)
    if disp.dist == "uniform":
        return disp.low + (disp.high - disp.low) * u
    if disp.dist == "truncnormal":
        a = (disp.low - disp.mean) / disp.sd
        b = (disp.high - disp.mean) / disp.sd
        return np.clip(disp.mean + disp.sd * _truncnormal_ppf(u, a, b), disp.low, disp.high)
    if disp.dist == "lognormal":
        return disp.median * np.exp(disp.sigma_ln * ndtri(u))
    if disp.dist == "weibull":
        # -log1p(-u) keeps small u (early failures) accurate
        return disp.scale * (-np.log1p(-u)) ** (1.0 / disp.shape)
    if disp.dist == "bernoulli":
        return u < disp.p
    raise AssertionError(disp.dist)  # the schema admits nothing else


def _factor(cov: list[list[float]]) -> np.ndarray:
    """A with A A^T = cov: Cholesky, or from the eigen-decomposition when cov is singular."""
    c = np.asarray(cov, dtype=float)
    try:
        return np.linalg.cholesky(c)
    except np.linalg.LinAlgError:
        w, v = np.linalg.eigh(c)
        return v * np.sqrt(np.clip(w, 0.0, None))


@dataclass(frozen=True)
class DrawPlan:
    """Everything a worker needs to draw a chunk: picklable, built once by the driver.

    ``constants`` holds the value of every non-dispersed field (base value or [fixed]);
    ``factors`` the covariance factor of each correlated group, computed once so that every
    worker uses the same bits.
    """

    seed: int
    scenario: CampaignScenario
    constants: dict[str, float | bool]
    factors: tuple[np.ndarray, ...]

    @classmethod
    def build(
        cls, scenario: CampaignScenario, fields: Sequence[str], base_values: Mapping[str, Any]
    ) -> DrawPlan:
        dispersed = set(scenario.dispersed_fields())
        constants = {
            f: scenario.fixed.get(f, base_values.get(f)) for f in fields if f not in dispersed
        }
        factors = tuple(_factor(g.cov) for g in scenario.correlated)
        return cls(scenario.campaign.seed, scenario, constants, factors)


def draw(plan: DrawPlan, start: int, stop: int) -> dict[str, np.ndarray]:
    """The dispersed fields of samples ``start..stop-1``, one array each, sorted by name."""
    out: dict[str, np.ndarray] = {}
    for name, disp in plan.scenario.dispersions.items():
        u = uniforms(plan.seed, "dispersion:" + name, start, stop)[:, 0]
        out[name] = _inverse_cdf(disp, u)
    for group, a in zip(plan.scenario.correlated, plan.factors, strict=True):
        k = len(group.fields)
        z = ndtri(uniforms(plan.seed, "correlated:" + ",".join(group.fields), start, stop, k))
        for j, name in enumerate(group.fields):
            # elementwise sums in a fixed order: the same bits whatever the chunk length
            x = np.full(stop - start, group.mean[j])
            for m in range(k):
                x += a[j, m] * z[:, m]
            out[name] = x
    return {name: out[name] for name in sorted(out)}


def model_inputs(plan: DrawPlan, drawn: Mapping[str, np.ndarray], n: int) -> dict[str, np.ndarray]:
    """Every dispersible field as an array of length n: drawn values, else the constant."""
    inputs = dict(drawn)
    for name, value in plan.constants.items():
        dtype = np.bool_ if isinstance(value, bool) else np.float64
        inputs[name] = np.full(n, value, dtype=dtype)
    return inputs
