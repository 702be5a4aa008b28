"""``marsprobe replay SLUG --runs N``: the mission flown N times with its errors, summarized."""

from __future__ import annotations

from pathlib import Path

from marsprobe.cli.render import console, print_json, table
from marsprobe.errors import InputError

SCHEDULER_TIMEOUT_S = 10.0  # seconds to wait for a Dask scheduler and its first worker


def check_runs_options(target, all_, without, causes, runs, options) -> None:
    """Refuse a combination ``--runs`` cannot fly, before anything is flown."""
    seed, workers, scheduler, resume, out = options
    if runs is None:
        named = [n for n, v in (("--seed", seed), ("--scheduler", scheduler)) if v is not None]
        if resume:
            named.append("--resume")
        if named:
            raise InputError(f"{', '.join(named)} go with --runs N (an ensemble of flights)")
        return
    if all_:
        raise InputError("--runs flies one mission N times; it does not go with --all")
    if without or causes:
        raise InputError("--runs flies the mission as recorded; drop --without and --cause")
    if target.endswith(".toml") or "/" in target:
        raise InputError("--runs flies a catalog mission: give its slug, not a file")
    if workers and scheduler:
        raise InputError("give --workers or --scheduler, not both")
    if resume and out is None:
        raise InputError("--resume finishes a run kept in a folder: give it with --out DIR")


def replay_runs(slug, runs, options, force, as_json) -> None:
    """Fly ``slug`` ``runs`` times through the campaign engine and print the summary."""
    from marsprobe import catalog
    from marsprobe.analysis.mission_ensemble import run_ensemble
    from marsprobe.cli import guards
    from marsprobe.cli.mc_report import engine_hooks, quiet_dask

    seed, workers, scheduler, resume, out = options
    catalog.load(slug)  # an unknown slug is refused here, in one line
    out = guards.output_folder(out, "--out") if out is not None else None
    if scheduler:
        quiet_dask()
    with engine_hooks(runs, "flights", as_json, SCHEDULER_TIMEOUT_S) as hooks:
        summary = run_ensemble(
            slug,
            runs,
            1 if seed is None else seed,
            workers=workers or 0,
            scheduler=scheduler,
            out_dir=out,
            resume=resume,
            force=force,
            **hooks,
        )
    from marsprobe.cli.render import clean_json

    data = clean_json(summary.to_json())
    if out is not None:
        from marsprobe.analysis.chunks import write_json

        write_json(Path(out) / "ensemble.json", data)
    if as_json:
        print_json(data)
        return
    print_ensemble(data)


def _num(x) -> str:
    return f"{x:,.3f}".rstrip("0").rstrip(".") if isinstance(x, float) else str(x)


def print_ensemble(data: dict) -> None:
    """The ensemble as tables: outcome odds, the figures' spreads, the flights that failed."""
    out = console()
    u = data["uncertainty"]
    out.print(
        f"[bold]{data['slug']}[/bold]: {data['runs']} flights (seed {data['seed']}), "
        f"{data['flown']} flew, {data['could_not_fly_count']} could not fly"
    )
    sizes = "; ".join(f"{f['fault']} {f['parameter']} +/- {f['sigma']:g}" for f in u["fault_sizes"])
    out.print(
        f"errors (1-sigma per axis): injection {u['injection_sigma_m_s']:g} m/s; at each of "
        f"{u['corrections']} correction(s) position {u['navigation_position_sigma_km']:g} km, "
        f"velocity {u['navigation_velocity_sigma_m_s']:g} m/s, burn "
        f"{u['execution_sigma_fraction']:.0%} of its dv; fault sizes: {sizes or 'none'}"
    )
    t = table("Outcome classes among the flights that flew", ["outcome", "flights", "P", "95 % CI"])
    rows = data["outcomes"] + ([data["matches_record"]] if data["matches_record"] else [])
    for o in rows:
        lo, hi = o["ci95"]
        t.add_row(o["outcome"], str(o["count"]), f"{o['probability']:.3f}", f"{lo:.3f}-{hi:.3f}")
    out.print(t)
    f = table(
        "Compared figures (a date as simulated minus recorded)",
        ["quantity", "unit", "flights", "p5", "p50", "p95", "recorded", "recorded at pct"],
    )
    for s in data["figures"]:
        p = s["percentiles"]
        f.add_row(
            s["quantity"],
            ("+/- " if s["is_date"] else "") + s["unit"],
            str(s["flights"]),
            _num(p["p5"]),
            _num(p["p50"]),
            _num(p["p95"]),
            _num(s["recorded"]),
            f"{s['recorded_percentile']:.1f}",
        )
    out.print(f)
    for name, p in data["spreads"].items():
        out.print(f"{name}: p5 {_num(p['p5'])}, p50 {_num(p['p50'])}, p95 {_num(p['p95'])}")
    for c in data["could_not_fly"]:
        out.print(f"could not fly: flight {c['sample']}: {c['error']}")
