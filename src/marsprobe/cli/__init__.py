"""The ``marsprobe`` command line.

Thin by design: each command parses its arguments, calls the library and
renders the result. Commands live in their own modules and are imported only
when invoked, so that ``marsprobe missions`` starts without loading numba,
scipy or matplotlib.
"""

from __future__ import annotations

import importlib

import click

from marsprobe import __version__
from marsprobe.errors import MarsprobeError

# command name -> "module:attribute", imported on first use
COMMANDS: dict[str, str] = {
    "missions": "marsprobe.cli.catalog_cmds:missions",
    "porkchop": "marsprobe.cli.porkchop:porkchop",
    "show": "marsprobe.cli.catalog_cmds:show",
    "sources": "marsprobe.cli.sources_cmd:sources",
    "timeline": "marsprobe.cli.history_cmds:timeline",
    "search": "marsprobe.cli.history_cmds:search",
    "cite": "marsprobe.cli.history_cmds:cite",
    "launch": "marsprobe.cli.flight_cmds:launch",
    "cruise": "marsprobe.cli.flight_cmds:cruise",
    "replay": "marsprobe.cli.flight_cmds:replay",
    "edl": "marsprobe.cli.edl:edl",
    "campaign": "marsprobe.cli.race_cmds:campaign",
    "race": "marsprobe.cli.race_cmds:race",
    "windows": "marsprobe.cli.porkchop:windows",
    "sequence": "marsprobe.cli.sequence_cmd:sequence",
    "design": "marsprobe.cli.design_cmd:design",
    "validate": "marsprobe.cli.validate:validate",
    "sweep": "marsprobe.cli.sweep_cmd:sweep",
}

HELP: dict[str, str] = {
    "missions": "List the missions of the catalog.",
    "porkchop": "Porkchop plot: departure C3 and arrival v_inf over a grid of dates.",
    "show": "Everything known of one mission, with sources and conflicts.",
    "sources": "The source registry, what one source claims, conflicts, reliability.",
    "timeline": "Every launch and event in one chronology, on one time basis.",
    "search": "Search facts, claims, notes and sources.",
    "cite": "The bibliography of a mission or the catalog (BibTeX, CSL-JSON, RIS).",
    "launch": "Fly a mission from lift-off to departure or to its failure.",
    "cruise": "Fly a mission from departure to Mars: corrections, arrival, flyby or capture.",
    "replay": "Fly a mission (or --all) end to end and compare it with the record.",
    "edl": "Entry, descent and landing, nominal or as a Monte Carlo campaign.",
    "campaign": "Fly a launch window's fleet many times with its faults as chances.",
    "race": "Who reached each milestone at Mars first, and the Soviet counterfactuals.",
    "windows": "Every Earth-to-Mars launch window in a span, with the launches that flew.",
    "sequence": "A mission's flight sequence: commands, triggers, sources, faults' changes.",
    "design": "Compute a flight's pre-flight values: launch guidance, escape timers and aims.",
    "validate": "Hold marsprobe's figures against published ones, case by case.",
    "sweep": "Fly a mission across a range of one parameter: where its outcome changes.",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported only when they run."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        return getattr(importlib.import_module(module_name), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Listing help must not import every command module.
        rows = [(name, HELP.get(name, "")) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="marsprobe")
def cli() -> None:
    """Re-fly the Soviet Mars program of 1960-1996 and the US missions it raced."""


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the command, turning every user error into one line and exit 2."""
    try:
        # without standalone mode click returns a command's ctx.exit(code) instead of raising
        code = cli.main(args=argv, prog_name="marsprobe", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("marsprobe: interrupted", err=True)
        return 130
    except click.ClickException as exc:
        click.echo(f"marsprobe: error: {one_line(exc.format_message())}", err=True)
        return 2
    except MarsprobeError as exc:
        click.echo(f"marsprobe: error: {one_line(str(exc))}", err=True)
        return 2
    except BrokenPipeError:
        return 0
    return code if isinstance(code, int) and not isinstance(code, bool) else 0


def one_line(message: str) -> str:
    """Collapse a message to a single line for the terminal."""
    return " ".join(message.split())
