"""The ``marsprobe`` command line.

Thin by design: each command parses its arguments, calls the library and
renders the result. Commands live in their own modules and are imported only
when invoked, so that ``marsprobe missions`` starts without loading numba,
scipy or matplotlib.
"""

from __future__ import annotations

import importlib
import signal
import sys

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
    "faults": "marsprobe.cli.faults_cmd:faults",
    "report": "marsprobe.cli.report:report",
    "serve": "marsprobe.cli.serve:serve",
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
    "faults": "A mission's faults: the ids for --without and the cause sets for --cause.",
    "report": "Write the offline HTML report of missions (or --all) with their pictures.",
    "serve": "Serve the report locally, with forms to fly a mission's what-ifs and sweeps.",
    "sweep": "Fly a mission across a range of one parameter: where its outcome changes.",
}

# An example for each command's --help, where its docstring has none of its own
EXAMPLES: dict[str, list[str]] = {
    "missions": ["marsprobe missions --program soviet", "marsprobe missions --format csv"],
    "show": ["marsprobe show mars-3", "marsprobe show mars-3 --json"],
    "sources": ["marsprobe sources", "marsprobe sources --conflicts --format markdown"],
    "launch": [
        "marsprobe launch cosmos-419",
        "marsprobe launch cosmos-419 --without block-d-timer-wrong",
    ],
    "cruise": ["marsprobe cruise mars-4", "marsprobe cruise mars-4 --json"],
    "replay": [
        "marsprobe replay mars-3",
        "marsprobe replay mars-7 --cause chronology",
        "marsprobe replay --all --out replay-all.json",
        "marsprobe replay mars-3 --runs 200 --seed 1 --workers 2 --out runs/mars3",
    ],
    "porkchop": [
        "marsprobe porkchop --from 1971-04-01 --to 1971-07-01 --tof 120:400 --out pork.png"
    ],
    "windows": ["marsprobe windows --from 1960 --to 1975"],
    "race": ["marsprobe race", "marsprobe race --format markdown"],
    "sequence": ["marsprobe sequence cosmos-419", "marsprobe sequence mars-3 --json"],
    "design": ["marsprobe design escape mars-3", "marsprobe design guidance all"],
    "validate": ["marsprobe validate", "marsprobe validate --case pathfinder-parachute-speed"],
    "timeline": ["marsprobe timeline --from 1971-05-01 --to 1972-01-01"],
    "search": ["marsprobe search 'dust storm'"],
    "cite": ["marsprobe cite mars-3", "marsprobe cite --all --format ris"],
    "report": [
        "marsprobe report mars-3 --out report",
        "marsprobe report --all --out report",
        "marsprobe report mars-3 --out report --ensemble runs/mars3 --force",
    ],
    "serve": ["marsprobe serve", "marsprobe serve --port 8080"],
    "sweep": [
        "marsprobe sweep mars-2 arrival.entry_fpa_deg=-25:-5:41 --out corridor.png",
        "marsprobe sweep mars-2 arrival.entry_fpa_deg=-25:-5:21 --json",
    ],
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
        return _with_format(getattr(importlib.import_module(module_name), attr))

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Listing help must not import every command module.
        rows = [(name, HELP.get(name, "")) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _set_format(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    from marsprobe.cli.render import set_format

    set_format(value or "text")


def _with_format(command: click.Command) -> click.Command:
    """Give a command ``--format text|csv|markdown`` for its tables (once, unless it has one)
    and its examples (from EXAMPLES, unless its help has its own)."""
    examples = EXAMPLES.get(command.name or "")
    if examples and "Example" not in (command.help or "") and not command.epilog:
        command.epilog = "\b\nExamples:\n" + "\n".join(f"  {e}" for e in examples)
    if any("--format" in getattr(p, "opts", ()) for p in command.params):
        return command
    command.params.append(
        click.Option(
            ["--format", "table_format"],
            type=click.Choice(["text", "csv", "markdown"]),
            default="text",
            show_default=True,
            expose_value=False,
            callback=_set_format,
            help="How tables are written (csv: tables on stdout, notes on stderr).",
        )
    )
    return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="marsprobe")
def cli() -> None:
    """Re-fly the Soviet Mars program of 1960-1996 and the US missions it raced."""


class Terminated(BaseException):
    """SIGTERM arrived: unwind (so that worker processes are ended) and exit 143."""


def _on_sigterm(signum, frame) -> None:
    raise Terminated


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the command, turning every user error into one line and exit 2.

    Bare ``marsprobe`` prints the help on standard output and exits 0. SIGTERM unwinds like
    Ctrl-C (worker processes are ended with their parent) and exits 143.
    """
    args = sys.argv[1:] if argv is None else list(argv)
    if not args:
        with click.Context(cli, info_name="marsprobe") as ctx:
            click.echo(cli.get_help(ctx))
        return 0
    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread (an embedding program): leave its signals alone
        previous = None
    try:
        # without standalone mode click returns a command's ctx.exit(code) instead of raising
        code = cli.main(args=args, prog_name="marsprobe", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("marsprobe: interrupted", err=True)
        return 130
    except Terminated:
        click.echo("marsprobe: terminated", err=True)
        return 143
    except click.ClickException as exc:
        click.echo(f"marsprobe: error: {one_line(exc.format_message())}", err=True)
        return 2
    except MarsprobeError as exc:
        click.echo(f"marsprobe: error: {one_line(str(exc))}", err=True)
        return 2
    except BrokenPipeError:
        return 0
    except OSError as exc:
        # the file system refused something no check foresaw (a disk full, a name too long)
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"marsprobe: error: {one_line(where + (exc.strerror or str(exc)))}", err=True)
        return 2
    except UnicodeDecodeError as exc:
        click.echo(f"marsprobe: error: a file is not UTF-8 text ({exc.reason})", err=True)
        return 2
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return code if isinstance(code, int) and not isinstance(code, bool) else 0


def one_line(message: str) -> str:
    """Collapse a message to a single line for the terminal."""
    return " ".join(message.split())
