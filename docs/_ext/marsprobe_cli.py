"""``marsprobe-cli``: every command's ``--help``, rendered at build time from the click group.

The reference is the command line's own help text (the same words ``marsprobe CMD --help``
prints), taken from :data:`marsprobe.cli.COMMANDS`, so a new option or command appears here
with no edit to the docs. Written by hand rather than with sphinx-click because the group
loads its commands lazily and the help is shown verbatim (its examples are shell lines, not
reStructuredText).
"""

from __future__ import annotations

import click
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

WIDTH = 96  # columns of the rendered help: fits the theme's code blocks


def _help(command: click.Command, name: str, parent: click.Context | None) -> str:
    ctx = click.Context(
        command, info_name=name, parent=parent, terminal_width=WIDTH, max_content_width=WIDTH
    )
    return command.get_help(ctx)


def _section(title: str, anchor: str, text: str, underline: str) -> list[str]:
    lines = [f".. _cli-{anchor}:", "", title, underline * len(title), ""]
    lines += [".. code-block:: text", ""]
    lines += [f"   {line}" if line else "" for line in text.splitlines()]
    return [*lines, ""]


def render() -> list[str]:
    """The reStructuredText of the whole command reference."""
    from marsprobe.cli import COMMANDS, cli

    root = click.Context(cli, info_name="marsprobe", terminal_width=WIDTH, max_content_width=WIDTH)
    out = _section("marsprobe", "marsprobe", cli.get_help(root), "-")
    for name in sorted(COMMANDS):
        command = cli.get_command(root, name)
        out += _section(f"marsprobe {name}", name, _help(command, name, root), "-")
        if isinstance(command, click.Group):
            sub_root = click.Context(command, info_name=name, parent=root)
            for sub in command.list_commands(sub_root):
                sub_cmd = command.get_command(sub_root, sub)
                text = _help(sub_cmd, sub, sub_root)
                out += _section(f"marsprobe {name} {sub}", f"{name}-{sub}", text, "~")
    return out


class CliReference(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        node = nodes.section()
        node.document = self.state.document
        nested_parse_with_titles(self.state, StringList(render(), "marsprobe-cli"), node)
        return node.children


def setup(app):
    app.add_directive("marsprobe-cli", CliReference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
