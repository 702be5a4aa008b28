"""Validation: marsprobe's figures held against published ones, case by case.

The cases are data (``cases.toml``): each names a published figure with its citation, the
function that computes marsprobe's figure (:mod:`.figures`, :mod:`.edl_figures`), a tolerance
with its reason, and a role. ``validation`` means nothing of that flight went into the model;
``calibration`` means a parameter was fitted to it (the note says which), so agreement there is
consistency, not evidence. ``known_weakness`` marks a case the model is known to miss and what
it would take. ``marsprobe validate`` prints them; tests/test_validation.py runs the same list.
"""

from __future__ import annotations

import functools
import math
import time
import tomllib
from dataclasses import asdict, dataclass
from importlib import resources
from typing import Any, Literal

from marsprobe.analysis.validation import edl_figures, figures
from marsprobe.errors import CatalogError, InputError

ROLES = ("validation", "calibration")


@dataclass(frozen=True)
class Case:
    """One validation case as written in ``cases.toml``."""

    name: str
    group: str
    quantity: str
    unit: str
    citation: str
    tol: dict[str, float]
    tol_reason: str
    role: Literal["validation", "calibration"]
    figure: str
    args: dict[str, Any]
    published: float | None = None
    published_figure: str | None = None
    calibration_note: str | None = None
    known_weakness: str | None = None

    def tolerance_text(self) -> str:
        ((kind, value),) = self.tol.items()
        if kind == "rel":
            return f"±{value * 100:g} %"
        if kind == "factor":
            return f"×/÷ {value:g}"
        return f"±{value:g} {self.unit}".rstrip()


@dataclass(frozen=True)
class CaseResult:
    """A case run: both figures, the verdict and the time it took (s)."""

    case: Case
    published: float
    marsprobe: float
    passed: bool
    status: Literal["pass", "fail", "expected fail", "unexpected pass", "unavailable"]
    seconds: float
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        c = asdict(self.case)
        c.pop("args")
        return {
            **c,
            "tolerance": self.case.tolerance_text(),
            "published": self.published,
            "marsprobe": self.marsprobe,
            "passed": self.passed,
            "status": self.status,
            "seconds": self.seconds,
            "note": self.note,
        }


def _function(name: str):
    for module in (figures, edl_figures):
        f = getattr(module, name, None)
        if callable(f):
            return f
    raise CatalogError(f"validation case figure {name!r} is not a function of the figure modules")


@functools.cache
def cases() -> tuple[Case, ...]:
    """Every case of ``cases.toml``, in file order."""
    text = resources.files("marsprobe.analysis.validation").joinpath("cases.toml").read_text()
    out = []
    for row in tomllib.loads(text)["case"]:
        case = Case(**{"args": {}, **row})
        if case.role not in ROLES or len(case.tol) != 1:
            raise CatalogError(f"validation case {case.name!r}: bad role or tolerance")
        if (case.published is None) == (case.published_figure is None):
            raise CatalogError(f"validation case {case.name!r}: give published or published_figure")
        if case.role == "calibration" and not case.calibration_note:
            raise CatalogError(f"validation case {case.name!r}: calibration needs its note")
        _function(case.figure)
        out.append(case)
    return tuple(out)


def case_names() -> list[str]:
    return [c.name for c in cases()]


def find(name: str) -> Case:
    for case in cases():
        if case.name == name:
            return case
    raise InputError(f"unknown validation case {name!r}: accepted are {', '.join(case_names())}")


def within(case: Case, published: float, value: float) -> bool:
    """Whether ``value`` is within the case's tolerance of ``published`` (NaN never is)."""
    ((kind, tol),) = case.tol.items()
    if not (math.isfinite(value) and math.isfinite(published)):
        return False
    if kind == "abs":
        return abs(value - published) <= tol
    if kind == "rel":
        return abs(value - published) <= tol * abs(published)
    return published > 0 and 1.0 / tol <= value / published <= tol


def run_case(case: Case) -> CaseResult:
    """Compute marsprobe's figure (and a computed reference) and judge it."""
    start = time.perf_counter()
    try:
        value = float(_function(case.figure)(**case.args))
        if case.published_figure is not None:
            published = float(_function(case.published_figure)(**case.args))
        else:
            published = float(case.published)
    except figures.Unavailable as exc:
        took = time.perf_counter() - start
        return CaseResult(case, math.nan, math.nan, False, "unavailable", took, str(exc))
    passed = within(case, published, value)
    if case.known_weakness:
        status = "unexpected pass" if passed else "expected fail"
    else:
        status = "pass" if passed else "fail"
    took = time.perf_counter() - start
    return CaseResult(case, published, value, passed, status, took, case.known_weakness)


def run(names: list[str] | None = None) -> list[CaseResult]:
    """Run the named cases (all when None), in the file's order."""
    chosen = [find(n) for n in names] if names else list(cases())
    return [run_case(c) for c in chosen]
