"""Faults as data: each documented failure is a set of parameter overrides.

A fault never adds a code path. It names phase parameters (``"escape.timer_s"``,
``"launch.attitude_lost_t_s"``, ``"arrival.moi_engine_fires"``) and the values
they took on the day; every parameter has a nominal default in its phase's
model, so removing the fault (``--without ID``) flies the nominal value through
the same physics.

Where sources disagree on a cause, each reading is a fault with a ``cause``
group: the catalog's chosen reading has ``cause = "chosen"`` and is applied by
default; the others are applied only when asked for by name.

For campaigns a fault may carry ``chance``: how likely it was to happen on a
flight like this one (a Bernoulli probability, or a Weibull failure-time law for
a component that wears out), with its source.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from marsprobe.errors import ScenarioError
from marsprobe.facts import SourceRef, Strict

FAULT_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
Override = float | int | bool | str


class Chance(Strict):
    """How likely a fault is on one flight: ``bernoulli`` (p) or ``weibull`` failure time.

    A Weibull law draws a failure time, ``scale_days`` and ``shape`` in days from
    launch, and applies the fault's overrides when that time falls before the
    parameter named in ``before`` is needed (the campaign engine decides that
    from the flight's own timeline).
    """

    dist: Literal["bernoulli", "weibull"] = Field(
        description="The law: a fixed probability per flight, or a wear-out failure time."
    )
    p: float | None = Field(
        default=None, ge=0, le=1, description="bernoulli: probability on one flight (0 to 1)."
    )
    shape: float | None = Field(
        default=None, gt=0, description="weibull: shape (dimensionless; above 1, wear-out)."
    )
    scale_days: float | None = Field(
        default=None, gt=0, description="weibull: scale of the failure time from launch, days."
    )
    src: list[SourceRef] = Field(
        min_length=1, description="Sources (``id@locator``) of the probability (required)."
    )
    note: str | None = Field(None, description="Free text: how the figure was derived.")

    @model_validator(mode="after")
    def _parameters(self) -> Chance:
        if self.dist == "bernoulli" and self.p is None:
            raise ValueError("a bernoulli chance needs p (0 to 1)")
        if self.dist == "weibull" and (self.shape is None or self.scale_days is None):
            raise ValueError("a weibull chance needs shape and scale_days")
        return self

    def probability_by(self, days: float) -> float:
        """Probability that the fault has happened ``days`` after launch."""
        if self.dist == "bernoulli":
            return float(self.p)
        return 1.0 - math.exp(-((max(days, 0.0) / self.scale_days) ** self.shape))


class SizeSigma(Strict):
    """The 1-sigma uncertainty of a fault's size that was inferred or chosen, in the unit
    of the value it sets, with the reason for that figure."""

    value: float = Field(
        gt=0, allow_inf_nan=False, description="The 1-sigma, in the unit of the size it widens."
    )
    reason: str = Field(min_length=1, description="Why this figure: how it was judged.")


class Fault(Strict):
    """One documented failure, as the parameter values it changed."""

    id: str = Field(
        description="The fault's name, lower-case words joined by hyphens (``--without ID``)."
    )
    summary: str = Field(min_length=1, description="What went wrong, in one sentence.")
    set: dict[str, Override] = Field(
        min_length=1,
        description='The values it changed: ``"phase.parameter" = value``, each in the unit '
        "of that parameter.",
    )
    src: list[SourceRef] = Field(
        min_length=1, description="Sources (``id@locator``) that document the failure."
    )
    cause: str = Field(
        "chosen",
        description="Its cause set: ``chosen`` is flown by default; other readings of the "
        "sources only when asked for by name.",
    )
    chance: Chance | None = Field(
        None, description="How likely it was on one flight (campaigns); with its source."
    )
    note: str | None = Field(None, description="Free text: how the values were read.")
    roles: dict[str, str] = Field(
        default_factory=dict,
        description="The role of each value set (``fault`` where not given; see "
        "marsprobe.mission.provenance).",
    )
    sigma: dict[str, SizeSigma] = Field(
        default_factory=dict,
        description="The 1-sigma of each inferred or chosen continuous size, in that "
        "parameter's unit, with its reason (``marsprobe replay --runs``).",
    )

    @model_validator(mode="after")
    def _sigmas(self) -> Fault:
        for path in self.sigma:
            value = self.set.get(path)
            if path not in self.set or isinstance(value, bool | str):
                raise ValueError(f"sigma '{path}': not a number this fault sets")
            if not self.roles.get(path, "fault").startswith(("inferred", "chosen")):
                raise ValueError(f"sigma '{path}': only an inferred or chosen size has one")
        return self

    def uncertain_sizes(self) -> list[str]:
        """The continuous sizes whose declared role is inferred or chosen (each needs a sigma)."""
        return [
            path
            for path, value in self.set.items()
            if isinstance(value, int | float)
            and not isinstance(value, bool)
            and self.roles.get(path, "fault").startswith(("inferred", "chosen"))
        ]

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not FAULT_ID.match(value):
            raise ValueError(f"fault id '{value}' must be lower-case words joined by hyphens")
        return value

    @field_validator("set")
    @classmethod
    def _paths(cls, value: dict[str, Override]) -> dict[str, Override]:
        for path in value:
            if path.count(".") != 1:
                raise ValueError(f"'{path}' is not a 'phase.parameter' path")
        return value


def active_faults(
    faults: Iterable[Fault], without: Iterable[str] = (), causes: Iterable[str] = ("chosen",)
) -> list[Fault]:
    """The faults a flight applies: the chosen cause set (or those named), minus ``without``.

    ``without`` and ``causes`` entries that match no fault are errors, so a typo
    never silently flies the historical case.
    """
    faults = list(faults)
    ids = {f.id for f in faults}
    cause_names = {f.cause for f in faults} | {"chosen"}
    for name in without:
        if name not in ids:
            known = ", ".join(sorted(ids)) or "none"
            raise ScenarioError(f"no fault '{name}' in this flight (its faults: {known})")
    for name in causes:
        if name not in cause_names:
            known = ", ".join(sorted(cause_names))
            raise ScenarioError(f"no cause set '{name}' in this flight (its cause sets: {known})")
    skip, wanted = set(without), set(causes)
    return [f for f in faults if f.cause in wanted and f.id not in skip]


def apply_overrides(
    tables: Mapping[str, Mapping[str, Any]], faults: Iterable[Fault]
) -> dict[str, dict[str, Any]]:
    """Phase parameter tables with the faults' overrides written in.

    ``tables`` maps a phase name to its raw parameter table (from the flight
    file). Validation against each phase's model happens afterwards, so an
    override of a parameter that does not exist fails there with its name.
    """
    out = {phase: dict(table) for phase, table in tables.items()}
    for fault in faults:
        for path, value in fault.set.items():
            phase, name = path.split(".")
            out.setdefault(phase, {})[name] = value
    return out
