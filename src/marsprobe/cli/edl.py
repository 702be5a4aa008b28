"""``marsprobe edl``: a mission's descent, once (nominal) or as a Monte Carlo campaign."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import click

from marsprobe.cli.render import console, print_json, table
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
@click.option("--from-cruise", is_flag=True, help="Take the entry state from the cruise.")
@click.option(
    "--atmosphere",
    "atmosphere_file",
    type=click.Path(path_type=Path),
    help="Fly this atmosphere table (.csv: altitude, density, temperature, pressure, winds; "
    "see marsprobe.edl.user_atmosphere) instead of the mission's model.",
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
    scenario,
    save_scenario,
    without,
    from_cruise,
    atmosphere_file,
    as_json,
):
    """Entry, descent and landing of SLUG's descent module.

    Without --runs, the nominal descent: the timeline with altitude, speed, Mach and dynamic
    pressure at each event, and the touchdown. With --runs N, N dispersed descents: the
    probability of a safe landing, touchdown speed and event-time percentiles and the 3-sigma
    landing ellipse; nothing in the result depends on --workers or --scheduler.
    """
    from marsprobe import catalog
    from marsprobe.mission.descent import fly_descent
    from marsprobe.mission.entry import entry_for

    if workers and scheduler:
        raise InputError("give --workers or --scheduler, not both")
    if resume and not (runs or scenario):
        raise InputError("--resume continues a Monte Carlo campaign: give --runs too")
    mission = catalog.load(slug)
    params, entry = entry_for(mission, tuple(without), from_cruise=from_cruise)
    if atmosphere_file is not None:
        params = _with_atmosphere(params, atmosphere_file)
    if save_scenario is not None:
        from marsprobe.analysis.edl_campaign import scenario_toml

        data = _default_scenario(
            mission, params, entry, runs or 8001, 1971 if seed is None else seed
        )
        data["campaign"]["model"] = "edl"  # this mission's EDL model when read back
        save_scenario.write_text(scenario_toml(data))
        if not as_json:
            console().print(f"scenario written to {save_scenario}")
        return
    if runs or scenario is not None:
        return _campaign(
            mission, params, entry, runs, seed, workers, scheduler, out, resume, scenario, as_json
        )
    if out is not None:
        _check_plot_path(out)
    descent = fly_descent(entry, params, history=out is not None)
    if as_json:
        print_json({"mission": slug, **descent.to_json()})
    else:
        _print_descent(mission, descent)
    if out is not None:
        from marsprobe.report.edl_plot import save_descent_plot

        save_descent_plot(descent, out, title=f"{mission.name.value}: entry, descent and landing")
        if not as_json:
            console().print(f"plot written to {out}")


def _with_atmosphere(params, path: Path):
    """The descent parameters flying a user's atmosphere table (checked now, before flying)."""
    from marsprobe.edl.atmosphere import is_file_model, table

    if not is_file_model(str(path)):
        raise InputError(f"--atmosphere {path}: the table must be a .csv (or .txt) file")
    table(str(path))
    return params.model_copy(update={"atmosphere": str(path)})


def _check_plot_path(path: Path) -> None:
    if path.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise InputError(f"--out {path}: the plot must be .png, .svg or .pdf")
    if not path.parent.exists():
        raise InputError(f"--out {path}: folder {path.parent} does not exist")


def _print_descent(mission, descent) -> None:
    out = console()
    entry = descent.entry.to_json()
    out.print(
        f"{mission.name.value}: {descent.vehicle} in the '{descent.atmosphere}' atmosphere, "
        f"entry at {entry['altitude_km']:.0f} km, {entry['speed_km_s']:.2f} km/s, "
        f"{entry['fpa_deg']:.2f} deg, {entry['lat_deg']:.2f} N {entry['lon_deg']:.2f} E"
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
    td = descent.to_json()["touchdown"]
    if math.isnan(td["speed_m_s"]):
        out.print(f"No touchdown: {td['outcome']}.")
        return
    verdict = "survived" if td["survived"] else "did NOT survive"
    out.print(
        f"Touchdown {td['time_utc'] or ''} at {td['lat_deg']:.2f} N {td['lon_deg']:.2f} E, "
        f"{td['speed_m_s']:.1f} m/s ({td['vertical_speed_m_s']:.1f} m/s vertical): {verdict}."
    )


def _default_scenario(mission, params, entry, runs, seed) -> dict:
    """Register the mission's EDL model and return its default campaign scenario."""
    from marsprobe.analysis.edl_campaign import edl_scenario, register_edl_model

    base_entry = {
        "altitude_m": entry.altitude_m,
        "speed_m_s": entry.speed_m_s,
        "fpa_deg": entry.fpa_deg,
        "heading_deg": entry.heading_deg,
        "lat_deg": entry.lat_deg,
        "lon_deg": entry.lon_deg,
    }
    register_edl_model(params.vehicle, params.atmosphere, base_entry)
    return edl_scenario(
        vehicle=params.vehicle,
        atmosphere=params.atmosphere,
        entry=base_entry,
        delivery=params.delivery.model_dump(exclude={"note"}),
        fixed=params.set,
        runs=runs,
        seed=seed,
        description=f"{mission.slug} EDL",
    )


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


def _campaign(
    mission, params, entry, runs, seed, workers, scheduler, out, resume, scenario_path, as_json
):
    from marsprobe.analysis.dispersions import parse_scenario
    from marsprobe.analysis.montecarlo import run_campaign

    data = _default_scenario(mission, params, entry, runs or 8001, 1971 if seed is None else seed)
    if scenario_path is not None:
        scenario = _user_scenario(scenario_path, data["campaign"]["model"])
    else:
        scenario = parse_scenario(data, f"{mission.slug} EDL campaign")
    runs = runs or scenario.campaign.runs
    seed = scenario.campaign.seed if seed is None else seed
    progress = None if as_json or not sys.stderr.isatty() else _progress_bar(runs)
    try:
        result = run_campaign(
            None,
            scenario,
            runs=runs,
            seed=seed,
            workers=workers,
            scheduler=scheduler,
            out_dir=out,
            resume=resume,
            progress=progress.update if progress else None,
        )
    finally:
        if progress:
            progress.close()
    summary = edl_summary(result.summary, runs, seed)
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
    _print_summary(mission, summary)


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


def _print_summary(mission, s: dict) -> None:
    out = console()
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
            f"3-sigma landing ellipse: centre {e['center_lat_deg']:.2f} N "
            f"{e['center_lon_deg']:.2f} E, {e['semi_major_km']:.0f} x {e['semi_minor_km']:.0f} km, "
            f"major axis {e['orientation_deg']:.0f} deg from north"
        )
    if s.get("plot"):
        out.print(f"plot written to {s['plot']}")


class _progress_bar:
    """A rich progress bar fed by the engine's CampaignProgress callbacks (terminal only)."""

    def __init__(self, total: int) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("descents"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            transient=True,
        )
        self.task = self.progress.add_task("edl", total=total, rate="")
        self.progress.start()

    def update(self, state) -> None:
        task = self.progress.tasks[0]
        rate = f"{task.speed:,.0f}/s" if task.speed else ""
        self.progress.update(self.task, completed=state.samples_done, rate=rate)

    def close(self) -> None:
        self.progress.stop()
