"""``marsprobe-schema``: a file format's keys, generated from its pydantic model at build time.

For each field of the model (and, below it, of every table it nests): the key, what it holds,
its unit, whether it is required (or its default), how its provenance is declared, and the
description. The unit is read from the key's suffix (``perigee_km`` -> km), the convention of
the files (:func:`marsprobe.facts.unit_of`, extended here with the suffixes the EDL and
spacecraft files use); the description is the field's own ``Field(description=...)``, which
every key must have (``tests/test_formats_reference.py``). Nothing is typed by hand, so the
reference cannot drift from the loaders.

Usage (reStructuredText)::

    .. marsprobe-schema:: marsprobe.edl.vehicle.Vehicle
       :provenance: quantity

``:array:`` titles the top table as an array of tables (``[[flight.faults]]``).
"""

from __future__ import annotations

import importlib
import types
import typing

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from pydantic import BaseModel
from pydantic_core import PydanticUndefined
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

# the file suffixes beyond marsprobe.facts.UNIT_SUFFIXES (longest suffix wins)
EXTRA_UNITS = {
    "_pa": "Pa",
    "_n": "N",
    "_m2": "m^2",
    "_kg_m3": "kg/m^3",
    "_k": "K",
    "_j_cm2": "J/cm^2",
    "_w_cm2": "W/cm^2",
    "_utc": "UTC (ISO 8601)",
    "_g": "g",
    "_w": "W",
    "_wh": "Wh",
    "_kpa": "kPa",
    "_kg_per_day": "kg/d",
    "_kpa_per_day": "kPa/d",
    "_deg_s2": "deg/s^2",
    "g_limit": "g",
}
PROVENANCE = {
    "roles": "role declared in ``roles``",
    "quantity": "``source`` or ``chosen``",
    "fact": "``src``",
    "parent": "its table's role",
    "none": "",
}


def unit(name: str) -> str:
    from marsprobe.facts import UNIT_SUFFIXES

    table = {**UNIT_SUFFIXES, **EXTRA_UNITS}
    best = max((s for s in table if name.endswith(s)), key=len, default=None)
    return table[best] if best else ""


def _models_in(annotation) -> list[type[BaseModel]]:
    """The pydantic models an annotation holds (through Optional, list, dict, unions)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out = []
    for arg in typing.get_args(annotation):
        out += _models_in(arg)
    return out


def _type_name(annotation) -> str:
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return " | ".join(f"``{a!r}``" for a in typing.get_args(annotation))
    if origin in (typing.Union, types.UnionType):
        parts = [_type_name(a) for a in typing.get_args(annotation) if a is not type(None)]
        return " | ".join(parts)
    if origin is typing.Annotated:
        return _type_name(typing.get_args(annotation)[0])
    if origin is not None:
        args = ", ".join(_type_name(a) for a in typing.get_args(annotation))
        return f"{getattr(origin, '__name__', str(origin))}[{args}]"
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            meta = getattr(annotation, "__pydantic_generic_metadata__", None) or {}
            if meta.get("origin") is not None:  # Fact[float]
                inner = ", ".join(_type_name(a) for a in meta["args"])
                return f"{meta['origin'].__name__}[{inner}]"
            return annotation.__name__
        return annotation.__name__
    return str(annotation).replace("typing.", "")


def _names(model: type) -> set[str]:
    return {c.__name__ for c in model.__mro__}


def _is_leaf(model: type[BaseModel]) -> bool:
    """Models shown as a value, not as a table of their own: facts, sources, quantities (their
    keys are explained once, on the page)."""
    return bool(_names(model) & {"Fact", "SourceRef", "Claim", "Quantity"})


def _is_sourced(model: type[BaseModel]) -> bool:
    """An entry-vehicle table that carries its own ``source`` or ``chosen`` (a trigger)."""
    return "_Sourced" in _names(model)


def _default(info) -> str:
    if info.is_required():
        return "required"
    if info.default is not PydanticUndefined:
        value = info.default
        if value is None:
            return "optional"
        if isinstance(value, float) and value == float("inf"):
            return "default ``inf``"
        return f"default ``{value!r}``"
    return "optional"


def _cell(text: str) -> str:
    return " ".join(text.split()) or " "


def _own_fields_first(model: type[BaseModel]) -> list[tuple[str, typing.Any]]:
    """The model's fields, its own before those every table of its kind shares (``src``,
    ``source``, ``chosen``: pydantic lists a base class's fields first)."""
    shared: set[str] = set()
    for base in model.__mro__[1:]:
        if isinstance(base, type) and issubclass(base, BaseModel) and base is not BaseModel:
            shared |= set(base.model_fields)
    fields = list(model.model_fields.items())
    return [f for f in fields if f[0] not in shared] + [f for f in fields if f[0] in shared]


def tables(model: type[BaseModel], prefix: str, provenance: str) -> list[tuple]:
    """(table name, array of tables?, model, rows) for the model and every table nested in it,
    depth first."""
    rows, nested = [], []
    for name, info in _own_fields_first(model):
        key = info.alias or name
        description = info.description or ""
        inner = [m for m in _models_in(info.annotation) if not _is_leaf(m)]
        kind = _type_name(info.annotation)
        sourced = provenance
        leaves = _models_in(info.annotation)
        if provenance not in ("roles", "parent"):
            if any("Fact" in _names(m) for m in leaves):
                sourced = "fact"
            elif any(_is_leaf(m) or _is_sourced(m) for m in leaves):
                sourced = "quantity"
            else:
                sourced = "none"
        if key in {"src", "source", "note", "roles", "chosen", "sigma", "reason"}:
            sourced = "none"
        rows.append((key, kind, unit(key), _default(info), PROVENANCE[sourced], description))
        for sub in inner:
            label = f"{prefix}.{key}" if prefix else key
            if "dict[" in kind:
                label += ".<name>"
            many = "list[" in kind and "dict[" not in kind
            nested.append((label, many, sub))
    out = [(prefix, False, model, rows)]
    for label, many, sub in nested:
        # below a flown value (or a sourced trigger), the keys share that value's provenance
        inherit = provenance == "roles" or _is_sourced(sub)
        first, *rest = tables(sub, label, "parent" if inherit else provenance)
        out += [(first[0], many, first[2], first[3]), *rest]
    return out


def undescribed(model: type[BaseModel], table: str = "", provenance: str = "fact") -> list[str]:
    """The keys (``table.key``) of the model and of the tables below it that have no
    description: what the reference would show with an empty "what it is" cell."""
    return [
        f"{name}.{row[0]}" if name else row[0]
        for name, _, _, rows in tables(model, table, provenance)
        for row in rows
        if not row[5].strip()
    ]


def render(model: type[BaseModel], table: str, provenance: str, array: bool = False) -> list[str]:
    lines: list[str] = []
    for index, (name, many, cls, rows) in enumerate(tables(model, table, provenance)):
        many = many or (array and index == 0)
        title = (f"``[[{name}]]``" if many else f"``[{name}]``") if name else "top level"
        title += f" ({cls.__name__})"
        lines += [f".. rubric:: {title}", ""]
        lines += [
            ".. list-table::",
            "   :header-rows: 1",
            "   :widths: 18 16 8 12 14 32",
            "",
            "   * - key",
            "     - value",
            "     - unit",
            "     - required",
            "     - provenance",
            "     - what it is",
        ]
        for key, kind, u, default, source, description in rows:
            lines += [
                f"   * - ``{key}``",
                f"     - {_cell(kind)}",
                f"     - {_cell(u)}",
                f"     - {_cell(default)}",
                f"     - {_cell(source)}",
                f"     - {_cell(description)}",
            ]
        lines.append("")
    return lines


def _import(path: str):
    module, _, attr = path.rpartition(".")
    return getattr(importlib.import_module(module), attr)


class Schema(SphinxDirective):
    required_arguments = 1
    option_spec = {"table": str, "provenance": str, "array": directives.flag}

    def run(self) -> list[nodes.Node]:
        target = self.arguments[0]
        obj = _import(target)
        if callable(obj) and not isinstance(obj, type):
            obj = obj()
        provenance = self.options.get("provenance", "auto")
        if provenance == "auto":
            provenance = "fact"
        array = "array" in self.options
        lines = render(obj, self.options.get("table", ""), provenance, array)
        node = nodes.section()
        node.document = self.state.document
        nested_parse_with_titles(self.state, StringList(lines, target), node)
        return node.children


class PhaseTables(SphinxDirective):
    """Every ``[flight.PHASE]`` table, from :func:`marsprobe.mission.scenario.phase_models`."""

    def run(self) -> list[nodes.Node]:
        from marsprobe.mission.scenario import phase_models

        lines: list[str] = []
        for phase, model in phase_models().items():
            lines += render(model, f"flight.{phase}", "roles")
        node = nodes.section()
        node.document = self.state.document
        nested_parse_with_titles(self.state, StringList(lines, "phase tables"), node)
        return node.children


class AtmosphereColumns(SphinxDirective):
    """The columns of a user atmosphere table, from :mod:`marsprobe.edl.user_atmosphere`."""

    def run(self) -> list[nodes.Node]:
        from marsprobe.edl import user_atmosphere as ua

        lines = [
            ".. list-table::",
            "   :header-rows: 1",
            "",
            "   * - column",
            "     - unit",
            "     - required",
            "     - what it is",
        ]
        kinds = [(ua.ALTITUDE, "one of the two"), (ua.REQUIRED, "required")]
        for names, need in [*kinds, (ua.OPTIONAL, "optional (0)")]:
            for name in names:
                lines += [
                    f"   * - ``{name}``",
                    f"     - {unit(name)}",
                    f"     - {need}",
                    f"     - {_cell(ua.COLUMN_MEANING.get(name, ''))}",
                ]
        lines += [
            "",
            f"Options (``# key = value`` comment lines): ``datum`` = "
            f"{', '.join(f'``{d}``' for d in ua.DATUMS)}; ``lat_deg`` with the latter two. "
            f"Winds above {ua.MAX_WIND_M_S:g} m/s and a mean molar mass outside "
            f"{ua.MOLAR_MASS_RANGE_G[0]:g}-{ua.MOLAR_MASS_RANGE_G[1]:g} g/mol are refused.",
            "",
        ]
        node = nodes.section()
        node.document = self.state.document
        nested_parse_with_titles(self.state, StringList(lines, "atmosphere"), node)
        return node.children


class EdlParameters(SphinxDirective):
    """The EDL kernel's parameters, from :mod:`marsprobe.edl.params` (names) and
    :mod:`marsprobe.edl.param_meaning` (what each is)."""

    def run(self) -> list[nodes.Node]:
        from marsprobe.edl.param_meaning import meaning
        from marsprobe.edl.params import PARAM_NAMES

        lines = [
            ".. list-table::",
            "   :header-rows: 1",
            "   :widths: 30 10 60",
            "",
            "   * - parameter",
            "     - unit",
            "     - what it is",
        ]
        for name in PARAM_NAMES:
            lines += [f"   * - ``{name}``", f"     - {_cell(unit(name))}"]
            lines.append(f"     - {_cell(meaning(name))}")
        lines.append("")
        node = nodes.section()
        node.document = self.state.document
        nested_parse_with_titles(self.state, StringList(lines, "edl parameters"), node)
        return node.children


def setup(app):
    app.add_directive("marsprobe-schema", Schema)
    app.add_directive("marsprobe-phase-tables", PhaseTables)
    app.add_directive("marsprobe-atmosphere-columns", AtmosphereColumns)
    app.add_directive("marsprobe-edl-parameters", EdlParameters)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
