"""Which dispersed inputs drive a Monte Carlo outcome: first-order sensitivity indices.

For each dispersed input X and an outcome Y (a 0/1 outcome such as ``landed``, or a quantity
such as the touchdown speed) the first-order index S = Var(E[Y | X]) / Var(Y): the fraction of
the outcome's variance that X explains alone. It is estimated from the campaign's own samples
(no extra runs) by cutting X into equal-count bins and taking the variance of the bin means
(the "given data" estimator: Plischke, Reliability Engineering and System Safety 95, 2010;
Saltelli et al., *Global Sensitivity Analysis: The Primer*, Wiley 2008, ch. 4). Unlike a
correlation it sees an input whose effect is not monotonic: a cross wind hurts whether it
blows east or west. The estimate is biased upwards by about (bins - 1) / (samples - 1) for an
input with no effect; that floor is subtracted. The Spearman rank correlation is given beside
it for the direction of a monotonic effect.

``share`` is an index over the sum of the indices. One dispersion may draw several inputs:
a wind is drawn as its east and north components from one sigma. Inputs that differ only by
such an axis word form one dispersion, whose share is the sum of theirs (for independent
inputs the sum of first-order indices is at most their joint index, so this errs low); a
dispersion is called dominant when it holds at least half of the summed indices.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

DOMINANT_SHARE = 0.5  # "dominated by" one input: at least half of the summed indices
MAX_BINS = 50
SAMPLES_PER_BIN = 100  # fewer samples per bin make the bin means too noisy to rank inputs


@dataclass(frozen=True)
class Driver:
    """One input's first-order index for an outcome, its share, and its rank correlation."""

    input: str
    first_order_index: float
    share: float
    rank_correlation: float

    def to_json(self) -> dict[str, float | str]:
        return {
            "input": self.input,
            "first_order_index": self.first_order_index,
            "share": self.share,
            "rank_correlation": self.rank_correlation,
        }


def first_order_index(x: np.ndarray, y: np.ndarray) -> float:
    """Var(E[Y|X]) / Var(Y) from samples, by equal-count bins of X, noise floor removed."""
    n = x.size
    bins = int(min(MAX_BINS, n // SAMPLES_PER_BIN))
    var = float(np.var(y))
    if bins < 2 or var == 0.0:
        return float("nan")
    order = np.argsort(x, kind="stable")
    groups = np.array_split(y[order], bins)
    means = np.array([g.mean() for g in groups])
    sizes = np.array([g.size for g in groups])
    between = float(np.sum(sizes * (means - y.mean()) ** 2) / n)
    return max(0.0, between / var - (bins - 1) / (n - 1))


def rank_drivers(
    columns: Mapping[str, np.ndarray], inputs: Sequence[str], outcome: str
) -> list[Driver]:
    """Inputs ranked by first-order index for ``outcome``; empty if it never varies."""
    from scipy.stats import spearmanr

    y_all = np.asarray(columns[outcome], dtype=float)
    found: list[tuple[str, float, float]] = []
    for name in inputs:
        x_all = np.asarray(columns[name], dtype=float)
        ok = np.isfinite(x_all) & np.isfinite(y_all)
        x, y = x_all[ok], y_all[ok]
        if x.size < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
            continue
        index = first_order_index(x, y)
        if not np.isfinite(index):
            continue
        found.append((name, index, float(spearmanr(x, y).statistic)))
    total = sum(index for _, index, _ in found)
    if total <= 0:
        return []
    found.sort(key=lambda item: -item[1])
    return [Driver(name, index, index / total, rho) for name, index, rho in found]


_AXIS = re.compile(r"_(east|north|up)(?=_|$)")


def dispersion_of(name: str) -> str:
    """The dispersion an input belongs to: ``edl.wind_east_m_s`` -> ``edl.wind_m_s``."""
    return _AXIS.sub("", name)


@dataclass(frozen=True)
class Dominant:
    """A dispersion (one or more inputs) holding at least half of the summed indices."""

    dispersion: str
    inputs: tuple[str, ...]
    share: float

    def to_json(self) -> dict[str, object]:
        return {"dispersion": self.dispersion, "inputs": list(self.inputs), "share": self.share}


def dominant(drivers: Sequence[Driver]) -> Dominant | None:
    """The dispersion that holds at least DOMINANT_SHARE of the summed indices, if one does."""
    groups: dict[str, list[Driver]] = {}
    for d in drivers:
        groups.setdefault(dispersion_of(d.input), []).append(d)
    if not groups:
        return None
    name, members = max(groups.items(), key=lambda item: sum(d.share for d in item[1]))
    share = sum(d.share for d in members)
    if share < DOMINANT_SHARE:
        return None
    return Dominant(name, tuple(d.input for d in members), share)
