"""``marsprobe edl``: a mission's descent, once (nominal) or as a Monte Carlo campaign."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import click

from marsprobe.cli import guards
from marsprobe.cli.render import console, latlon, print_json, table
from marsprobe.errors import InputError


@click.command()
@click.argument("slug")
@click.option("--runs", type=click.IntRange(min=1), help="Fly N dispersed descents (Monte Carlo).")
@click.option("--seed", type=click.IntRange(min=0), help="Random seed (default 1971).")
@click.option("--workers", type=click.IntRange(min=0), default=0, help="Local worker processes.")
@click.option("--scheduler", metavar="ADDR", help="A Dask scheduler, tcp://HOST:PORT.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Without --runs: the plot file (.png/.svg/.pdf). With --runs: the results directory.",
)
@click.option("--resume", is_flag=True, help="Finish a campaign whose directory exists.")
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite: --save-scenario's file, an existing --out plot, or an --out folder "
    "that holds other files.",
)
@click.option(
    "--scheduler-timeout",
    type=click.FloatRange(min=0.1, max=3600),
    default=10.0,
    show_default=True,
    metavar="S",
    help="Seconds to wait for the Dask scheduler and for its first worker.",
)
@click.option(
    "--scenario",
    type=click.Path(path_type=Path),
    help="Disperse as this campaign file says (TOML; see --save-scenario for a start).",
)
@click.option(
    "--save-scenario",
    type=click.Path(path_type=Path),
    help="Write the mission's default dispersion scenario to this TOML file and stop.",
)
@click.option("--without", multiple=True, metavar="FAULT", help="Fly without this fault.")
@click.option(
    "--design-entry",
    is_flag=True,
    help="Fly the flight file's design entry state instead of the arrival's hand-over.",
)
@click.option(
    "--from-cruise",
    is_flag=True,
    hidden=True,
    help="Take the entry state from the cruise (the default; kept for old scripts).",
)
@click.option(
    "--atmosphere",
    "atmosphere_file",
    type=click.Path(path_type=Path),
    help="Fly this atmosphere table (.csv: altitude, density, temperature, pressure, winds; "
    "see marsprobe.edl.user_atmosphere) instead of the mission's model.",
)
@click.option(
    "--ls",
    "ls_deg",
    type=float,
    help="Fly the atmosphere moved to this season (solar longitude, deg; the Viking Lander "
    "pressure cycle, marsprobe.edl.climate). Default: the mission's.",
)
@click.option(
    "--local-time",
    "local_time_h",
    type=float,
    help="Fly the atmosphere at this local solar time (h; the near-ground diurnal "
    "temperature term of marsprobe.edl.climate, its size from the site's latitude). "
    "Default: the mission's.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def edl(
    slug,
    runs,
    seed,
    workers,
    scheduler,
    out,
    resume,
    force,
    scheduler_timeout,
    scenario,
    save_scenario,
    without,
    design_entry,
    from_cruise,
    atmosphere_file,
    ls_deg,
    local_time_h,
    as_json,
):
    """Entry, descent and landing of SLUG's descent module.

    By default the descent starts where the replay's arrival left it (the entry state the
    cruise hands over, with every fault flown), so it shows what happened; --design-entry
    flies the flight file's design entry state instead (only the descent's own faults act
    there). The first line says which. Without --runs, one descent: the timeline with
    altitude, speed, Mach and dynamic pressure at each event, and the touchdown. With --runs
    N, N dispersed descents: the probability of a safe landing, touchdown speed and
    event-time percentiles, the 3-sigma landing ellipse and the inputs that drive the
    outcome; nothing in the result depends on --workers or --scheduler. Latitudes print N/S,
    longitudes E/W; JSON gives degrees north and east.

    \b
    Examples:
      marsprobe edl mars-2                        # the crash, from the arrival
      marsprobe edl mars-2 --design-entry         # the descent as designed
      marsprobe edl mars-3 --runs 2000 --out runs/mars3 --workers 2
      marsprobe edl mars-3 --save-scenario mars3.toml
      marsprobe edl viking-1 --ls 97 --local-time 16   # Viking 1's season and hour
    """
    from marsprobe import catalog

    if workers and scheduler:
        raise InputError("give --workers or --scheduler, not both")
    if design_entry and from_cruise:
        raise InputError("give --design-entry or --from-cruise (the default), not both")
    if resume and not (runs or scenario):
        raise InputError("--resume continues a Monte Carlo campaign: give --runs too")
    guards.workers(workers)
    monte_carlo = bool(runs or scenario is not None)
    if runs:
        from marsprobe.analysis.limits import check_size

        check_size(runs, 1000)
    save_scenario, scenario, out = _check_paths(save_scenario, scenario, out, monte_carlo, force)
    if atmosphere_file is not None:
        atmosphere_file = guards.text_file(atmosphere_file, "--atmosphere", kind="CSV")
    mission = catalog.load(slug)
    flown = _flown(mission, tuple(without), design_entry)
    if atmosphere_file is not None:
        flown = dataclasses.replace(flown, params=_with_atmosphere(flown.params, atmosphere_file))
    if ls_deg is not None or local_time_h is not None:
        flown = dataclasses.replace(flown, params=_with_climate(flown.params, ls_deg, local_time_h))
    params, entry = flown.params, flown.entry
    if save_scenario is not None:
        return _save_scenario(mission, flown, save_scenario, runs, seed, as_json)
    if monte_carlo:
        return _campaign(
            mission,
            flown,
            runs,
            seed,
            (workers, scheduler, scheduler_timeout),
            out,
            (resume, force),
            scenario,
            as_json,
        )
    from marsprobe.mission.descent import fly_descent

    descent = fly_descent(entry, params, history=out is not None)
    if as_json:
        print_json({"mission": slug, **flown.to_json(), **descent.to_json()})
    else:
        _print_descent(mission, descent, flown)
    if out is not None:
        from marsprobe.report.edl_plot import save_descent_plot

        save_descent_plot(descent, out, title=f"{mission.name.value}: entry, descent and landing")
        if not as_json:
            console().print(f"plot written to {out}")


def _with_climate(params, ls_deg, local_time_h):
    """The descent parameters with a season and local time (checked now, before flying)."""
    from marsprobe.edl.atmosphere import is_file_model
    from marsprobe.edl.climate import check

    check(ls_deg, local_time_h)
    if is_file_model(params.atmosphere):
        raise InputError("--ls and --local-time move a built-in atmosphere, not a table file")
    update = {"ls_deg": ls_deg} if ls_deg is not None else {}
    if local_time_h is not None:
        update["local_time_h"] = local_time_h
    return params.model_copy(update=update)


def _with_atmosphere(params, path: Path):
    """The descent parameters flying a user's atmosphere table (checked now, before flying)."""
    from marsprobe.edl.atmosphere import is_file_model, table

    if not is_file_model(str(path)):
        raise InputError(f"--atmosphere {path}: the table must be a .csv (or .txt) file")
    table(str(path))
    return params.model_copy(update={"atmosphere": str(path)})


def _check_paths(save_scenario, scenario, out, monte_carlo: bool, force: bool):
    """Every path checked before the flight that would fill it."""
    if save_scenario is not None:
        save_scenario = guards.output_file(
            save_scenario, "--save-scenario", (".toml",), overwrite=force
        )
    elif monte_carlo:
        if scenario is not None:
            scenario = guards.text_file(scenario, "--scenario")
        if out is not None:
            out = guards.output_folder(out, "--out")
    elif out is not None:
        out = guards.output_file(out, "--out", (".png", ".svg", ".pdf"), overwrite=force)
    return save_scenario, scenario, out


def _save_scenario(mission, flown, path: Path, runs, seed, as_json: bool) -> None:
    from marsprobe.analysis.edl_campaign import scenario_toml

    data = _default_scenario(
        mission, flown.params, flown.entry, runs or 8001, 1971 if seed is None else seed
    )
    data["campaign"]["model"] = "edl"  # this mission's EDL model when read back
    data["campaign"]["description"] += f"; {flown.line}"
    path.write_text(scenario_toml(data))
    if not as_json:
        console().print(flown.line)
        console().print(f"scenario written to {path}")


def _flown(mission, without: tuple[str, ...], design_entry: bool):
    from marsprobe.cli.flown import what_is_flown

    return what_is_flown(mission, without, design_entry)


def _print_descent(mission, descent, flown) -> None:
    out = console()
    out.print(flown.line)
    out.print(flown.faults_line)
    entry = descent.entry.to_json()
    out.print(
        f"{descent.vehicle} in the '{descent.atmosphere}' atmosphere, "
        f"entry at {entry['altitude_km']:.0f} km, {entry['speed_km_s']:.2f} km/s, "
        f"{entry['fpa_deg']:.2f} deg, {latlon(entry['lat_deg'], entry['lon_deg'])}"
    )
    rows = table("Events", ["event", "t (s)", "altitude (km)", "speed (m/s)", "Mach", "q (Pa)"])
    for e in descent.to_json()["events"]:
        rows.add_row(
            e["name"],
            f"{e['t_s']:.1f}",
            f"{e['altitude_m'] / 1e3:.2f}",
            f"{e['speed_m_s']:.1f}",
            f"{e['mach']:.2f}",
            f"{e['dynamic_pressure_pa']:.0f}",
        )
    out.print(rows)
    td = descent.touchdown.to_dict()
    if math.isnan(td["speed_m_s"]):
        out.print(f"No touchdown: {td['outcome']}.")
        return
    verdict = "survived" if td["survived"] else "did NOT survive"
    out.print(
        f"Touchdown {td['time_utc'] or ''} at {latlon(td['lat_deg'], td['lon_deg'])}, "
        f"{td['speed_m_s']:.1f} m/s ({td['vertical_speed_m_s']:.1f} m/s vertical): {verdict}."
    )


def _default_scenario(mission, params, entry, runs, seed) -> dict:
    """Register the mission's EDL model and return its default campaign scenario."""
    from marsprobe.analysis.landing_dispersion import mission_scenario

    return mission_scenario(mission.slug, params, entry, runs, seed)


def _user_scenario(path: Path, model_name: str):
    """A user's campaign file, flown with the mission's EDL model (``model = "edl"``)."""
    import tomllib

    from marsprobe.analysis.dispersions import check_fields, parse_scenario
    from marsprobe.analysis.montecarlo import get_model
    from marsprobe.errors import ScenarioError

    try:
        data = tomllib.loads(path.read_text())
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the scenario file ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML ({exc})") from None
    campaign = data.get("campaign")
    if isinstance(campaign, dict) and campaign.get("model", "edl") == "edl":
        campaign["model"] = model_name
    scenario = parse_scenario(data, str(path))
    if scenario.campaign.model != model_name:
        raise ScenarioError(
            f"{path}: campaign.model: '{scenario.campaign.model}' is not this mission's EDL "
            f"model; accepted: 'edl' or '{model_name}'"
        )
    model = get_model(model_name)
    check_fields(scenario, model.fields, model.base_values, str(path))
    return scenario


def _campaign(mission, flown, runs, seed, machines, out, resume_force, scenario_path, as_json):
    from marsprobe.analysis.dispersions import parse_scenario
    from marsprobe.analysis.limits import check_size
    from marsprobe.analysis.montecarlo import run_campaign
    from marsprobe.cli.mc_report import engine_hooks, quiet_dask, sensitivity

    workers, scheduler, scheduler_timeout = machines
    resume, force = resume_force
    params, entry = flown.params, flown.entry
    data = _default_scenario(mission, params, entry, runs or 8001, 1971 if seed is None else seed)
    if scenario_path is not None:
        scenario = _user_scenario(scenario_path, data["campaign"]["model"])
    else:
        scenario = parse_scenario(data, f"{mission.slug} EDL campaign")
    runs = runs or scenario.campaign.runs
    seed = scenario.campaign.seed if seed is None else seed
    check_size(runs, scenario.campaign.chunk_size)
    if scheduler:
        quiet_dask()
    with engine_hooks(runs, "descents", as_json, scheduler_timeout) as hooks:
        result = run_campaign(
            None,
            scenario,
            runs=runs,
            seed=seed,
            workers=workers,
            scheduler=scheduler,
            out_dir=out,
            resume=resume,
            force=force,
            **hooks,
        )
    summary = edl_summary(result.summary, runs, seed)
    summary.update(flown.to_json())
    inputs = scenario.dispersed_fields()
    summary["sensitivity"] = sensitivity(
        result.columns([*inputs, "landed", "touchdown_speed_m_s"]),
        inputs,
        ("landed", "touchdown_speed_m_s"),
    )
    if out is not None:
        from marsprobe.report.edl_plot import save_landing_plot

        plot = Path(out) / "landing.png"
        columns = result.columns(["landing_lat_deg", "landing_lon_deg", "landed"])
        title = f"{mission.name.value}: {runs} dispersed descents"
        save_landing_plot(columns, summary["ellipse"], plot, title=title)
        summary["plot"] = str(plot)
    if as_json:
        print_json({"mission": mission.slug, **summary})
        return
    _print_summary(mission, summary, flown)


def edl_summary(raw: dict, runs: int, seed: int) -> dict:
    """The stable JSON of an EDL campaign, from the engine's file-based summary."""
    prob = raw["probabilities"]["landed"]
    speeds = raw["percentiles"].get("touchdown_speed_m_s", {})
    ellipse = raw.get("ellipses", {}).get("landing", {})
    events = {
        name.removesuffix("_t_s"): raw["percentiles"][name]
        for name in raw["percentiles"]
        if name.endswith("_t_s")
    }
    return {
        "runs": runs,
        "seed": seed,
        "probability_safe_landing": prob["p"],
        "ci95": prob["ci95"],
        "probability_reached_surface": raw["probabilities"].get("reached_surface", {}).get("p"),
        "touchdown_speed_m_s": speeds,
        "event_times_s": events,
        "ellipse": {
            "center_lat_deg": ellipse.get("centre_lat_deg"),
            "center_lon_deg": ellipse.get("centre_lon_deg"),
            "semi_major_km": ellipse.get("semi_major_km"),
            "semi_minor_km": ellipse.get("semi_minor_km"),
            "orientation_deg": ellipse.get("azimuth_deg"),
            "sigma": ellipse.get("sigma", 3.0),
        },
    }


def _print_summary(mission, s: dict, flown) -> None:
    from marsprobe.cli.mc_report import print_sensitivity

    out = console()
    out.print(flown.line)
    out.print(flown.faults_line + " (each flown in every run: the campaign gives it no chance)")
    lo, hi = s["ci95"]
    out.print(
        f"{mission.name.value}: {s['runs']} dispersed descents (seed {s['seed']}): "
        f"P(safe landing) = {s['probability_safe_landing']:.3f} (95 % CI {lo:.3f}-{hi:.3f})"
    )
    sp = s["touchdown_speed_m_s"]
    if sp:
        out.print(
            "touchdown speed m/s: "
            + ", ".join(f"p{k[1:]} {v:.1f}" for k, v in sp.items() if k.startswith("p"))
        )
    e = s["ellipse"]
    if e["semi_major_km"] is not None:
        out.print(
            f"3-sigma landing ellipse: centre {latlon(e['center_lat_deg'], e['center_lon_deg'])}, "
            f"{e['semi_major_km']:.0f} x {e['semi_minor_km']:.0f} km, "
            f"major axis {e['orientation_deg']:.0f} deg from north"
        )
    print_sensitivity(s["sensitivity"])
    if s.get("plot"):
        out.print(f"plot written to {s['plot']}")
