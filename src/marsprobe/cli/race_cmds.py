"""``marsprobe campaign`` (a window's fleet with its faults as chances) and ``race``."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from marsprobe.cli.render import console, print_json, table


@click.command()
@click.argument("window", type=click.Choice(["1971", "1973"]))
@click.option("--runs", type=click.IntRange(min=1), default=10_000, show_default=True)
@click.option("--seed", type=click.IntRange(min=0), default=1971, show_default=True)
@click.option("--out", type=click.Path(path_type=Path), help="Keep the results in this folder.")
@click.option("--resume", is_flag=True, help="Finish a campaign whose folder exists.")
@click.option("--force", is_flag=True, help="Write into an --out folder that holds other files.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes for the flights (default: the CPU count).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def campaign(window, runs, seed, out, resume, force, workers, as_json):
    """Fly WINDOW's fleet RUNS times with its faults as chances: milestone probabilities.

    Each fault that carries a chance in its mission file (a probability, or a failure-time
    law) is drawn per flight; the table of those chances is printed with the result.

    \b
    Example:
      marsprobe campaign 1971 --runs 2000 --out runs/fleet71
    """
    from marsprobe.analysis.dispersions import parse_scenario
    from marsprobe.analysis.fleet_campaign import (
        WINDOWS,
        campaign_scenario,
        fly_window,
        uncertain_faults,
    )
    from marsprobe.analysis.limits import check_size
    from marsprobe.analysis.montecarlo import run_campaign
    from marsprobe.cli import guards
    from marsprobe.cli.mc_report import estimate_printer

    check_size(runs, 1000)  # (its chunk size) before the fleet is flown to build the scenario
    if out is not None:
        out = guards.output_folder(out, "--out")
    _, data = campaign_scenario(window, runs, seed)
    fly_window(window, workers)
    result = run_campaign(
        None,
        parse_scenario(data, f"{window} fleet"),
        out_dir=out,
        resume=resume,
        force=force,
        estimate=estimate_printer("fleet flights", runs),
    )
    probs = result.summary["probabilities"]
    summary = {
        "window": window,
        "missions": list(WINDOWS[window]),
        "runs": runs,
        "seed": seed,
        "fault_chances": {
            slug: {fid: p for fid, p in uncertain_faults(slug)} for slug in WINDOWS[window]
        },
        "milestones": {
            name: {"probability": v["p"], "ci95": v["ci95"]} for name, v in probs.items()
        },
    }
    if as_json:
        print_json(summary)
        return
    t = table(f"The {window} fleet, {runs} flights (seed {seed})", ["milestone", "P", "95 % CI"])
    for name, v in summary["milestones"].items():
        lo, hi = v["ci95"]
        t.add_row(name.replace("_", " "), f"{v['probability']:.3f}", f"{lo:.3f}-{hi:.3f}")
    console().print(t)
    chances = table("The chances the campaign assumed for each fault", ["mission", "fault", "P"])
    for slug, faults in summary["fault_chances"].items():
        for fid, p in faults.items():
            chances.add_row(slug, fid, f"{p:.3f}" if isinstance(p, float) else str(p))
    console().print(chances)


@click.command()
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes for the flights (default: the CPU count).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def race(workers, as_json):
    """The milestones at Mars: who reached each first, and what the Soviet faults cost."""
    from marsprobe.analysis.race import race as compute

    data = compute(workers=workers)
    if as_json:
        print_json(data)
        return
    t = table("Milestones at Mars (from the record)", ["milestone", "first", "program", "date"])
    for m in data["milestones"]:
        t.add_row(m["milestone"].replace("_", " "), m["slug"], m["program"], m["date_utc"])
    console().print(t)
    c = table(
        "Soviet replays without their faults",
        ["mission", "without", "milestone", "simulated date", "recorded first", "first?"],
    )
    for r in data["counterfactuals"]:
        c.add_row(
            r["slug"],
            ", ".join(r["without"]),
            r["milestone"].replace("_", " "),
            r["simulated_date_utc"],
            f"{r['recorded_first']} {r['recorded_first_date_utc']}",
            "yes" if r["would_have_been_first"] else "no",
        )
    console().print(c)
    for r in data["not_flown"]:
        line = f"{r['slug']} without {', '.join(r['without'])}: not flown ({r['reason']})"
        console().print(escape(line))
