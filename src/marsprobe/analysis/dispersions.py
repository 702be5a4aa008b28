"""Dispersions of a Monte Carlo campaign: the scenario schema and the random draws.

A campaign scenario is a TOML file validated by the pydantic models below (unknown keys
are rejected)::

    [campaign]
    model = "edl"            # a model registered with marsprobe.analysis.montecarlo.register_model
    runs = 8001
    seed = 1971              # any integer >= 0
    chunk_size = 1000        # samples per result file; a fixed layout, never the worker count
    description = "Mars 3 landing ellipse"   # optional

    [fixed]                  # optional: non-dispersed fields set away from the model's base value
    "vehicle.mass_kg" = 1210.0

    [dispersions."entry.fpa_deg"]
    dist = "normal"          # mean, sd
    mean = -10.0
    sd = 0.5
    [dispersions."vehicle.cd"]
    dist = "uniform"         # low, high
    low = 1.55
    high = 1.65
    [dispersions."chute.deploy_mach"]
    dist = "truncnormal"     # mean, sd of the parent normal, cut to [low, high]
    mean = 3.5
    sd = 0.3
    low = 3.0
    high = 4.0
    [dispersions."atmosphere.density_scale"]
    dist = "lognormal"       # median, sigma_ln (standard deviation of ln x)
    median = 1.0
    sigma_ln = 0.1
    [dispersions."lander.engine_failure_time_s"]
    dist = "weibull"         # shape k, scale lambda: a time to failure
    shape = 1.5
    scale = 3.0e7
    [dispersions."radar.failed"]
    dist = "bernoulli"       # p: probability of true
    p = 0.05

    [[correlated]]           # a multivariate normal over several fields
    fields = ["entry.fpa_deg", "entry.heading_deg"]
    mean = [-10.0, 90.0]
    cov = [[0.25, 0.01], [0.01, 4.0]]

Every parameter is in the unit of its field, which the field's name states (``_deg``, ``_kg``,
``_s``); ``cov`` is in the product of the two fields' units. A field appears once: in
``[dispersions]``, in one ``[[correlated]]`` group, or in ``[fixed]``.

The random draws are made by :mod:`marsprobe.analysis.draws`.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    model_validator,
)
from scipy.special import ndtr

from marsprobe.errors import ScenarioError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Normal(_Strict):
    """Normal distribution, mean and standard deviation in the field's unit."""

    dist: Literal["normal"] = Field(description="``normal``: mean and sd.")
    mean: float = Field(description="Mean, in the field's unit.")
    sd: float = Field(ge=0, description="Standard deviation, in the field's unit.")


class Uniform(_Strict):
    """Uniform distribution on [low, high], in the field's unit."""

    dist: Literal["uniform"] = Field(description="``uniform``: low and high.")
    low: float = Field(description="Lower bound, in the field's unit.")
    high: float = Field(description="Upper bound (not below low), in the field's unit.")

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if not self.low <= self.high:
            raise ValueError(f"low ({self.low}) must not exceed high ({self.high})")
        return self


class TruncNormal(_Strict):
    """Normal(mean, sd) restricted to [low, high], all in the field's unit."""

    dist: Literal["truncnormal"] = Field(
        description="``truncnormal``: a normal cut to [low, high]."
    )
    mean: float = Field(description="Mean of the parent normal, in the field's unit.")
    sd: float = Field(
        gt=0, description="Standard deviation of the parent normal, in the field's unit."
    )
    low: float = Field(description="Lower cut, in the field's unit.")
    high: float = Field(description="Upper cut, in the field's unit.")

    @model_validator(mode="after")
    def _has_mass(self) -> TruncNormal:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        if _trunc_mass((self.low - self.mean) / self.sd, (self.high - self.mean) / self.sd) <= 0:
            raise ValueError("[low, high] holds no probability under normal(mean, sd)")
        return self


class LogNormal(_Strict):
    """Log-normal distribution: median in the field's unit, sigma_ln the sd of ln x."""

    dist: Literal["lognormal"] = Field(description="``lognormal``: median and sigma_ln.")
    median: float = Field(gt=0, description="Median, in the field's unit.")
    sigma_ln: float = Field(ge=0, description="Standard deviation of ln x (dimensionless).")


class Bernoulli(_Strict):
    """A true/false draw (a component that failed), true with probability p."""

    dist: Literal["bernoulli"] = Field(description="``bernoulli``: a true/false draw.")
    p: float = Field(ge=0, le=1, description="Probability of true (0 to 1).")


class Weibull(_Strict):
    """Weibull time to failure: shape k (dimensionless), scale lambda in the field's unit."""

    dist: Literal["weibull"] = Field(description="``weibull``: a time to failure.")
    shape: float = Field(gt=0, description="Shape k (dimensionless; above 1, wear-out).")
    scale: float = Field(gt=0, description="Scale lambda, in the field's unit.")


Dispersion = Annotated[
    Normal | Uniform | TruncNormal | LogNormal | Bernoulli | Weibull,
    Field(discriminator="dist"),
]


class Correlated(_Strict):
    """A multivariate normal over several fields (for instance the entry state)."""

    fields: list[str] = Field(
        min_length=2, description="The fields drawn together (each named nowhere else)."
    )
    mean: list[float] = Field(description="Their means, each in its field's unit.")
    cov: list[list[float]] = Field(
        description="Covariance matrix, symmetric and positive semi-definite; each entry in "
        "the product of its two fields' units."
    )

    @model_validator(mode="after")
    def _valid_cov(self) -> Correlated:
        n = len(self.fields)
        if len(set(self.fields)) != n:
            raise ValueError("fields must be distinct")
        if len(self.mean) != n:
            raise ValueError(f"mean has {len(self.mean)} values for {n} fields")
        if len(self.cov) != n or any(len(row) != n for row in self.cov):
            raise ValueError(f"cov must be a {n}x{n} matrix (one row and column per field)")
        c = np.asarray(self.cov, dtype=float)
        scale = float(np.max(np.abs(c))) or 1.0
        if np.max(np.abs(c - c.T)) > 1e-12 * scale:
            raise ValueError("cov must be symmetric")
        # eigvalsh rounding is ~n*eps*|C|; anything more negative is a real negative direction
        if float(np.linalg.eigvalsh(c).min()) < -1e-10 * scale:
            raise ValueError("cov must be positive semi-definite (an eigenvalue is negative)")
        return self


class CampaignSection(_Strict):
    """The [campaign] table: which model, how many runs, seed and chunk layout."""

    model: str = Field(
        min_length=1,
        description="The model flown: one registered with "
        "marsprobe.analysis.montecarlo.register_model (``edl``).",
    )
    runs: int = Field(ge=1, description="Number of runs (count).")
    seed: int = Field(ge=0, description="Seed of the random draws: the same seed, the same runs.")
    chunk_size: int = Field(
        default=1000,
        ge=1,
        description="Runs per result file: a fixed layout, never the worker count.",
    )
    description: str = Field("", description="What the campaign is for, in words.")


class CampaignScenario(_Strict):
    """A whole campaign scenario file."""

    campaign: CampaignSection = Field(description="Model, runs, seed and chunk layout.")
    fixed: dict[str, StrictBool | float] = Field(
        {},
        description="Fields set away from the model's base value, not dispersed, each in its "
        "field's unit.",
    )
    dispersions: dict[str, Dispersion] = Field(
        {}, description='One distribution per dispersed field (``[dispersions."FIELD"]``).'
    )
    correlated: list[Correlated] = Field(
        [], description="Multivariate normal groups, one ``[[correlated]]`` table each."
    )

    @model_validator(mode="after")
    def _each_field_once(self) -> CampaignScenario:
        seen: dict[str, str] = {}
        places = [(f, "fixed") for f in self.fixed]
        places += [(f, "dispersions") for f in self.dispersions]
        places += [(f, f"correlated[{i}]") for i, g in enumerate(self.correlated) for f in g.fields]
        for field, where in places:
            if field in seen:
                raise ValueError(f"field {field!r} is set twice ({seen[field]} and {where})")
            seen[field] = where
        return self

    def dispersed_fields(self) -> list[str]:
        """Names of the fields drawn at random, sorted (the order of the recorded columns)."""
        return sorted([*self.dispersions, *(f for g in self.correlated for f in g.fields)])


def _trunc_mass(a: float, b: float) -> float:
    # On the upper side use survival functions so that far tails keep their precision.
    return float(ndtr(-a) - ndtr(-b)) if a > 0 else float(ndtr(b) - ndtr(a))


# --- turning pydantic errors into one line ------------------------------------------------


def _quote(part: Any) -> str:
    s = str(part)
    return f'"{s}"' if ("." in s or " " in s) else s


def _accepted_keys(loc: tuple) -> list[str]:
    table: type[BaseModel] = CampaignScenario
    if loc[:1] == ("campaign",):
        table = CampaignSection
    elif loc[:1] == ("correlated",):
        table = Correlated
    elif loc[:1] == ("dispersions",) and len(loc) >= 3:
        table = _DIST_CLASSES.get(loc[2], CampaignScenario)
    return list(table.model_fields)


DISTRIBUTIONS = ("normal", "uniform", "truncnormal", "lognormal", "bernoulli", "weibull")
_DIST_CLASSES: dict[str, type[BaseModel]] = {
    "normal": Normal,
    "uniform": Uniform,
    "truncnormal": TruncNormal,
    "lognormal": LogNormal,
    "bernoulli": Bernoulli,
    "weibull": Weibull,
}


def _one_line(exc: ValidationError, source: str) -> str:
    errors = exc.errors()
    # a misspelled key also makes the right one "missing": name the misspelling first
    err = min(errors, key=lambda e: e["type"] != "extra_forbidden")
    loc = tuple(err["loc"])
    shown = list(loc)
    if loc[:1] == ("dispersions",) and len(loc) >= 3 and loc[2] in DISTRIBUTIONS:
        del shown[2]  # the union's tag is not a key of the file
    where = ".".join(_quote(p) if not isinstance(p, int) else f"[{p}]" for p in shown)
    where = where.replace(".[", "[") or "(top level)"
    kind = err["type"]
    if kind == "union_tag_invalid":
        msg = f"dist {err['ctx']['tag']!r} is not accepted; accepted: {', '.join(DISTRIBUTIONS)}"
    elif kind == "union_tag_not_found":
        msg = f"missing dist; accepted: {', '.join(DISTRIBUTIONS)}"
    elif kind == "extra_forbidden":
        msg = f"unknown key; accepted here: {', '.join(_accepted_keys(loc[:-1]))}"
    elif kind == "missing":
        msg = "missing (required)"
    else:
        msg = err["msg"].removeprefix("Value error, ")
        if "input" in err and not isinstance(err["input"], dict | list):
            msg += f" (got {err['input']!r})"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{source}: {where}: {msg}{more}"


def parse_scenario(data: Mapping[str, Any], source: str = "<scenario>") -> CampaignScenario:
    """Validate a scenario given as a dict (a parsed TOML file); ScenarioError if it does not fit.

    Field names are not checked here (that needs the model): see :func:`check_fields`.
    """
    try:
        return CampaignScenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_one_line(exc, source)) from None


def check_fields(
    scenario: CampaignScenario,
    fields: Sequence[str],
    base_values: Mapping[str, float | bool],
    source: str = "<scenario>",
) -> None:
    """Check the scenario against a model's dispersible fields and their kinds (bool or float).

    Raises ScenarioError naming the first field that the model does not have, a true/false
    field given a continuous distribution (or the reverse), or a field that has no base value
    and is neither fixed nor dispersed.
    """
    known = set(fields)

    def unknown(section: str, name: str) -> ScenarioError:
        near = difflib.get_close_matches(name, fields, n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        return ScenarioError(
            f"{source}: {section}.{_quote(name)}: not a dispersible field of model "
            f"{scenario.campaign.model!r}{hint} Accepted: {', '.join(sorted(fields))}"
        )

    def kind(name: str) -> str | None:
        if name not in base_values:
            return None
        return "bool" if isinstance(base_values[name], bool | np.bool_) else "float"

    for name, value in scenario.fixed.items():
        if name not in known:
            raise unknown("fixed", name)
        want = kind(name)
        got = "bool" if isinstance(value, bool) else "float"
        if want is not None and want != got:
            raise ScenarioError(f"{source}: fixed.{_quote(name)}: must be a {want} (got {value!r})")
    for name, disp in scenario.dispersions.items():
        if name not in known:
            raise unknown("dispersions", name)
        want = kind(name)
        got = "bool" if disp.dist == "bernoulli" else "float"
        if want is not None and want != got:
            accepted = "bernoulli" if want == "bool" else "any distribution but bernoulli"
            raise ScenarioError(
                f"{source}: dispersions.{_quote(name)}: a {want} field; accepted: {accepted}"
            )
    for i, group in enumerate(scenario.correlated):
        for name in group.fields:
            if name not in known:
                raise unknown(f"correlated[{i}]", name)
            if kind(name) == "bool":
                raise ScenarioError(
                    f"{source}: correlated[{i}]: {name!r} is a true/false field; "
                    "accepted: float fields only"
                )
    given = set(scenario.fixed) | set(scenario.dispersed_fields())
    for name in fields:
        if name not in base_values and name not in given:
            raise ScenarioError(
                f"{source}: field {name!r} of model {scenario.campaign.model!r} has no base "
                "value: give it in [fixed] or [dispersions]"
            )


def scenario_dict(scenario: CampaignScenario) -> dict[str, Any]:
    """The scenario as plain JSON-ready data (floats round-trip exactly through json)."""
    return scenario.model_dump(mode="json")
