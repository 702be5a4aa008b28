"""Sourced facts: a value, where it comes from, and what else was claimed.

Every figure of the catalog is a :class:`Fact`. A fact holds the value the
catalog chose, the sources that give it (a source id from the registry and a
locator inside that source: a line ``L91``, a video timestamp ``00:29:14``, a
page ``p. 103``), and, where sources disagree, the other claims with their own
sources, a verdict on each, and the reason for the choice.

In a TOML file a fact is written compactly::

    launch_utc = {value = "1971-05-28T15:26:30Z", src = ["002_d3f98a46457d5b1f.txt@L85"]}

A table of facts may carry ``src`` once for all its plain values (see
:func:`inherit_sources`), so an event reads::

    [[record.events]]
    name = "flyby"
    time_utc = "1974-02-10"
    distance_km = 2200
    src = ["002_d3f98a46457d5b1f.txt@L93"]
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

T = TypeVar("T")

Verdict = Literal["plausible", "unsupported", "contradicted"]
"""How a claim that was not chosen stands against the other sources.

``plausible``: another reading the evidence allows; ``unsupported``: no other
source gives it; ``contradicted``: the record (other sources, or a
computation) shows it is wrong. Historians should not repeat the last two.
"""


class Strict(BaseModel):
    """Base of every schema model: unknown keys are errors, values are not coerced silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceRef(Strict):
    """A pointer into one source of the registry."""

    id: str = Field(min_length=1)
    locator: str = ""

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        # "id@locator" is the compact form used in the TOML files.
        if isinstance(data, str):
            source_id, _, locator = data.partition("@")
            return {"id": source_id.strip(), "locator": locator.strip()}
        return data

    def __str__(self) -> str:
        return f"{self.id}@{self.locator}" if self.locator else self.id


class Claim(Strict):
    """A value some source gives that the catalog did not choose."""

    value: Any
    src: list[SourceRef] = Field(min_length=1)
    verdict: Verdict = "plausible"
    note: str | None = None


class Fact(Strict, Generic[T]):
    """A chosen value with its sources and, where sources disagree, the other claims."""

    value: T
    src: list[SourceRef] = Field(min_length=1)
    alt: list[Claim] = Field(default_factory=list)
    reason: str | None = None
    note: str | None = None

    @field_validator("src", mode="before")
    @classmethod
    def _one_source_is_a_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str | dict) else value

    @model_validator(mode="after")
    def _alternatives_need_a_reason(self) -> Fact[T]:
        if self.alt and not self.reason:
            raise ValueError("a fact with alternative claims (alt) needs a reason for the choice")
        return self


def inherit_sources(data: Any, fact_fields: set[str]) -> Any:
    """Wrap the plain values of a table into facts that take the table's ``src``.

    ``fact_fields`` names the keys of the table that are facts. A key written
    as a plain value becomes ``{"value": v, "src": table_src}``; a key written
    as a full fact table is left as it is.
    """
    if not isinstance(data, dict):
        return data
    table_src = data.get("src")
    out = dict(data)
    for key in fact_fields & data.keys():
        value = data[key]
        if isinstance(value, dict) and "value" in value:
            if "src" not in value and table_src is not None:
                out[key] = {**value, "src": table_src}
            continue
        if table_src is None:
            raise ValueError(f"'{key}' is a plain value but its table has no 'src' to cite")
        out[key] = {"value": value, "src": table_src}
    return out


UNIT_SUFFIXES = {
    "_km": "km",
    "_m": "m",
    "_kg": "kg",
    "_deg": "deg",
    "_min": "min",
    "_days": "d",
    "_h": "h",
    "_s": "s",
    "_au": "au",
    "_km_s": "km/s",
    "_m_s": "m/s",
    "_km2_s2": "km^2/s^2",
    "_kn": "kN",
}


def unit_of(field_name: str) -> str | None:
    """The unit a field name carries in its suffix (``perigee_km`` -> ``km``), or None."""
    best = None
    for suffix, unit in UNIT_SUFFIXES.items():
        if field_name.endswith(suffix) and (best is None or len(suffix) > len(best[0])):
            best = (suffix, unit)
    return best[1] if best else None


def _is_fact_field(annotation: Any) -> bool:
    """Whether a field's annotation is a Fact (or an optional Fact)."""
    candidates = get_args(annotation) or (annotation,)
    return any(isinstance(a, type) and issubclass(a, Fact) for a in candidates)


class SourcedTable(Strict):
    """A table of facts whose plain values inherit the table's ``src`` (see inherit_sources).

    Which keys are facts is read from the annotations, so a subclass only declares fields.
    """

    src: list[SourceRef] = Field(
        default_factory=list,
        description="Sources (``id@locator``) that every plain value of this table takes.",
    )

    @model_validator(mode="before")
    @classmethod
    def _wrap_plain_values(cls, data: Any) -> Any:
        return inherit_sources(data, cls.fact_fields())

    @classmethod
    def fact_fields(cls) -> set[str]:
        return {k for k, info in cls.model_fields.items() if _is_fact_field(info.annotation)}
