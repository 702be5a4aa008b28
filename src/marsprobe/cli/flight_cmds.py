"""``marsprobe launch``, ``cruise`` and ``replay``: fly a mission, or the whole catalog."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from marsprobe.cli.render import console, print_json, table
from marsprobe.errors import InputError


def load_mission(target: str):
    """A catalog slug, or the path of a scenario file in the catalog's format."""
    from marsprobe import catalog
    from marsprobe.cli import guards

    if target.endswith(".toml") or "/" in target or _exists(target):
        return catalog.load_file(guards.text_file(target, "mission file"))
    return catalog.load(target)


def _exists(target: str) -> bool:
    try:
        return Path(target).exists()
    except OSError:  # a name too long to be a file is a (wrong) slug
        return False


def check_replay_out(out: Path | None, default_name: str, force: bool = False) -> Path | None:
    """The file ``replay --out`` will write, checked before any flying: FILE.json or FOLDER;
    an existing file only with ``force``."""
    from marsprobe.cli import guards

    if out is None:
        return None
    if str(out).endswith(".json"):
        return guards.output_file(out, "--out", overwrite=force)
    folder = guards.output_folder(out, "--out")
    return (
        guards.output_file(folder / default_name, "--out", overwrite=force)
        if folder.exists()
        else folder / default_name
    )


@click.command()
@click.argument("slug")
@click.option("--without", multiple=True, metavar="FAULT", help="Fly without this fault.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def launch(slug, without, as_json):
    """Fly SLUG from lift-off to departure, or to its failure."""
    from marsprobe.cli.flown import faults_of
    from marsprobe.mission.replay import fly_launch_only

    mission = load_mission(slug)
    result = fly_launch_only(mission, tuple(without))
    faults, faults_line = faults_of(mission, tuple(without))
    data = {"mission": mission.slug, **result.to_dict(), **faults}
    if as_json:
        print_json(data)
        return
    out = console()
    out.print(faults_line)
    rows = table(f"{mission.name.value}: launch", ["event", "T+ (s)", "altitude (km)", "detail"])
    for e in data["events"]:
        rows.add_row(e["name"], f"{e['t_s']:.1f}", f"{e['altitude_km']:.1f}", e.get("detail", ""))
    out.print(rows)
    if data.get("parking_orbit"):
        p = data["parking_orbit"]
        out.print(
            f"parking orbit {p['perigee_km']:.0f} x {p['apogee_km']:.0f} km, "
            f"{p['inclination_deg']:.2f} deg, {p['period_min']:.2f} min"
        )
    if data.get("departure"):
        d = data["departure"]
        out.print(
            f"departed {d['time_utc']}: C3 {d['c3_km2_s2']:.2f} km2/s2, v_inf {d['vinf_km_s']:.3f}"
            f" km/s, asymptote RA {d['ra_deg']:.1f} deg, Dec {d['dec_deg']:.1f} deg"
        )
    if data.get("decay_utc"):
        out.print(f"re-entered {data['decay_utc']} after {data['lifetime_days']:.2f} days")
    out.print(f"end: {data['end']}")


@click.command()
@click.argument("slug")
@click.option("--without", multiple=True, metavar="FAULT", help="Fly without this fault.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def cruise(slug, without, as_json):
    """Fly SLUG from its departure to Mars: corrections, arrival, what flew on."""
    from marsprobe.mission.replay import replay

    mission = load_mission(slug)
    result = replay(mission, tuple(without))
    if result.flight is None:
        raise InputError(
            f"{mission.slug} never left the Earth ({', '.join(result.outcome)}): no cruise to fly"
        )
    from marsprobe.cli.flown import faults_of

    faults, faults_line = faults_of(mission, tuple(without))
    data = {"mission": mission.slug, **result.flight.to_dict(), **faults}
    if result.descent is not None:
        data["edl"] = result.descent.to_json()
    if as_json:
        print_json(data)
        return
    out = console()
    out.print(faults_line)
    rows = table(f"{mission.name.value}: cruise and arrival", ["event", "time (UTC)", "detail"])
    for e in data["events"]:
        detail = ", ".join(f"{k} {_fmt(v)}" for k, v in e.items() if k not in ("name", "time_utc"))
        rows.add_row(e["name"], e["time_utc"], detail)
    out.print(rows)
    for key in ("capture_orbit", "flyby", "lander", "entry_state", "heliocentric_orbit"):
        if data.get(key):
            out.print(
                f"{key.replace('_', ' ')}: "
                + ", ".join(f"{k} {_fmt(v)}" for k, v in data[key].items())
            )


def _fmt(value) -> str:
    return f"{value:,.3f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


@click.command()
@click.argument("target", required=False)
@click.option("--all", "all_", is_flag=True, help="Fly every mission of the catalog.")
@click.option("--without", multiple=True, metavar="FAULT", help="Fly without this fault.")
@click.option(
    "--cause",
    "causes",
    multiple=True,
    metavar="SET",
    help="Fly an alternative cause set instead of the chosen one.",
)
@click.option(
    "--runs",
    type=click.IntRange(min=1),
    default=None,
    help="Fly the mission N times with its injection, navigation and fault-size errors.",
)
@click.option("--seed", type=click.IntRange(min=0), default=None, help="Seed of --runs (1).")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes for --all (default: the CPU count) or --runs (default: in-process).",
)
@click.option("--scheduler", metavar="ADDR", help="A Dask scheduler for --runs, tcp://HOST:PORT.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Write the replay JSON here (with --runs: the folder that keeps the flights).",
)
@click.option("--resume", is_flag=True, help="Finish a --runs ensemble kept in --out.")
@click.option("--force", is_flag=True, help="Overwrite an existing --out file or folder.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def replay(
    target, all_, without, causes, runs, seed, workers, scheduler, out, resume, force, as_json
):
    """Fly TARGET (a slug or a scenario file) through every phase it reaches, or --all.

    With --runs N the mission is flown N times, each with its own injection, navigation and
    correction errors and the uncertainty of each inferred or chosen fault size: the
    probability of each outcome class (Wilson 95 % interval), the spread of every compared
    figure and where the recorded value falls in it. Nothing depends on --workers.
    """
    if all_ == bool(target):
        raise InputError("give one mission (slug or scenario file) or --all")
    from marsprobe.cli import guards
    from marsprobe.cli.replay_runs import check_runs_options, replay_runs

    guards.workers(workers)
    options = (seed, workers, scheduler, resume, out)
    check_runs_options(target, all_, without, causes, runs, options)
    if runs is not None:
        return replay_runs(target, runs, options, force, as_json)
    if all_:
        if without or causes:
            raise InputError("--without and --cause apply to one mission, not to --all")
        return _replay_all(workers, check_replay_out(out, "replay-all.json", force), as_json)
    from marsprobe.mission.compare import compare
    from marsprobe.mission.replay import replay as fly

    mission = load_mission(target)
    out = check_replay_out(out, f"{mission.slug}.json", force)
    result = fly(mission, tuple(without), tuple(causes) or ("chosen",))
    rows = compare(mission, result)
    recorded = mission.record.outcome.value if mission.record else None
    from marsprobe.cli.flown import faults_of

    faults, _ = faults_of(mission, tuple(without), tuple(causes) or ("chosen",))
    data = {
        **result.to_json(),
        "faults_not_flown": faults["faults_not_flown"],
        "recorded_outcome": recorded,
        "match": None if recorded is None else sorted(recorded) == sorted(result.outcome),
        "recorded_events": _recorded_events(mission),
        "comparison": [r.to_json() for r in rows],
    }
    if out is not None:
        _write(out, data)
    if as_json:
        print_json(data)
        return
    _print_replay(mission, data)


def _recorded_events(mission) -> list[dict]:
    from marsprobe.catalog.export import model_json

    if mission.record is None:
        return []
    return model_json(mission.record.events)


def _write(path: Path, data) -> None:
    """Write JSON to a checked path atomically (an existing file is replaced when complete)."""
    from marsprobe.cli.render import clean_json

    path.parent.mkdir(exist_ok=True)  # a new folder FOLDER of --out FOLDER
    tmp = path.with_name(path.name + ".partial")
    tmp.write_text(json.dumps(clean_json(data), indent=2))
    tmp.replace(path)


def _print_replay(mission, data: dict) -> None:
    out = console()
    title = f"{mission.name.value} ({mission.slug})"
    if data["faults_removed"]:
        title += " without " + ", ".join(data["faults_removed"])
    out.print(f"[bold]{title}[/bold]")
    skipped = "; ".join(f"{f['id']} ({f['reason']})" for f in data["faults_not_flown"])
    out.print(
        f"faults flown: {', '.join(data['faults_applied']) or 'none'}; "
        f"not flown: {skipped or 'none'}"
    )
    events = table("Simulated timeline", ["time (UTC)", "phase", "event", "detail"])
    for e in data["events"]:
        detail = ", ".join(
            f"{k} {_fmt(v)}" for k, v in e.items() if k not in ("name", "time_utc", "phase")
        )
        events.add_row(e["time_utc"], e["phase"], e["name"], detail)
    out.print(events)
    recorded = table("Recorded timeline", ["event", "when", "sources"])
    for e in data["recorded_events"]:
        when = e.get("time_utc") or e.get("t_s") or {}
        srcs = "; ".join(f"{s['id']} {s['locator']}" for s in when.get("sources", []))
        value = when.get("value", "")
        recorded.add_row(e["name"], f"T+{value} s" if "t_s" in e else str(value), srcs)
    out.print(recorded)
    cmp = table(
        "Simulated vs recorded",
        ["quantity", "simulated", "recorded", "difference", "tolerance", "ok", "basis", "source"],
    )
    for r in data["comparison"]:
        src = "; ".join(f"{s['id']} {s['locator']}" for s in r["sources"])
        ok = {True: "yes", False: "NO", None: "-"}[r["within_tolerance"]]
        cmp.add_row(
            r["quantity"],
            _fmt(r["simulated"]),
            _fmt(r["recorded"]),
            f"{_fmt(r['difference'])} {r['unit']}",
            r["tolerance"],
            ok,
            r["basis"],
            src,
        )
    out.print(cmp)
    match = {True: "matches", False: "does NOT match", None: "has no record to match"}
    out.print(
        f"simulated outcome: {', '.join(data['simulated_outcome'])}; recorded: "
        f"{', '.join(data['recorded_outcome'] or [])}; the replay {match[data['match']]}"
    )
    for d in data.get("outcome_thresholds", []):
        out.print(
            f"  decided by: {d['outcome']}: {d['figure']} {d['value']:,.1f} {d['unit']} "
            f"against {d['threshold']} {d['limit']:,.1f} {d['unit']}"
        )


def _replay_all(workers, out, as_json):
    from marsprobe.analysis.catalog_replay import replay_catalog

    progress = None
    if not as_json and sys.stderr.isatty():
        from rich.progress import Progress

        progress = Progress(transient=True)
        progress.start()
        task = progress.add_task("replaying", total=None)
    try:
        rows = replay_catalog(
            workers=workers,
            progress=(lambda done, total: progress.update(task, completed=done, total=total))
            if progress
            else None,
        )
    finally:
        if progress:
            progress.stop()
    if out is not None:
        _write(out, rows)
    if as_json:
        print_json(rows)
        _exit_if_any_could_not_fly(rows)
        return
    t = table(
        "Replay of the catalog",
        ["mission", "recorded", "simulated", "match", "figures ok", "predictions ok"],
    )
    for r in rows:
        t.add_row(
            r["slug"],
            ", ".join(r["recorded_outcome"] or []),
            ", ".join(r["simulated_outcome"])
            if r["simulated_outcome"]
            else f"could not fly: {r.get('error', '')}",
            "yes" if r["match"] else "NO",
            f"{r['figures_within_tolerance']}/{r['figures_compared']}",
            f"{r['predictions_within_tolerance']}/{r['predictions_compared']}",
        )
    console().print(t)
    matched = sum(r["match"] for r in rows)
    console().print(f"{matched} of {len(rows)} missions replay to their recorded outcome")
    console().print(
        "figures ok: compared figures within tolerance; predictions ok: those of them into whose "
        "flight nothing of the record went (see `replay SLUG`, column basis)"
    )
    _exit_if_any_could_not_fly(rows)


def _exit_if_any_could_not_fly(rows) -> None:
    """A mission the replay could not fly (a solver failed) makes ``replay --all`` fail."""
    failed = [r for r in rows if "error" in r]
    if failed:
        for r in failed:
            print(f"marsprobe: could not fly {r['slug']}: {r['error']}", file=sys.stderr)
        raise click.exceptions.Exit(1)
