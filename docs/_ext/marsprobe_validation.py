"""``marsprobe-validation-cases``: the validation cases, read from ``cases.toml`` at build time.

Each row is a case of :func:`marsprobe.analysis.validation.cases`: the published figure and its
citation, the tolerance and why, and whether the case tests the physics (``validation``) or
only checks consistency with a flight a parameter was fitted to (``calibration``). marsprobe's
own figure is computed by ``marsprobe validate``, not here: the page states what is held
against what; the command shows how it comes out on the code you have.
"""

from __future__ import annotations

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles


def _cell(text: str | None) -> str:
    return " ".join((text or "").split()) or " "


def render() -> list[str]:
    from marsprobe.analysis.validation import cases

    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 16 18 10 22 16 18",
        "",
        "   * - case",
        "     - quantity",
        "     - published",
        "     - citation",
        "     - tolerance",
        "     - role",
    ]
    for case in cases():
        if case.published is not None:
            published = f"{case.published:g} {case.unit}"
        else:
            published = f"computed by ``{case.published_figure}`` ({case.unit})"
        role = case.role
        if case.calibration_note:
            role += f": {case.calibration_note}"
        if case.known_weakness:
            role += f". Known weakness: {case.known_weakness}"
        lines += [
            f"   * - ``{case.name}``",
            f"     - {_cell(case.quantity)}",
            f"     - {_cell(published)}",
            f"     - {_cell(case.citation)}",
            f"     - {_cell(case.tolerance_text())}: {_cell(case.tol_reason)}",
            f"     - {_cell(role)}",
        ]
    return [*lines, ""]


class ValidationCases(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        node = nodes.section()
        node.document = self.state.document
        nested_parse_with_titles(self.state, StringList(render(), "cases.toml"), node)
        return node.children


def setup(app):
    app.add_directive("marsprobe-validation-cases", ValidationCases)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
