"""A mission's landing ellipse: a small EDL Monte Carlo of its lander's entry dispersions.

:func:`mission_scenario` is the campaign ``marsprobe edl SLUG --runs N`` flies: the entry
state the flight hands over, dispersed by the flight file's navigation delivery errors, the
vehicle file's 1-sigma figures and the atmosphere model's dispersion
(:func:`marsprobe.analysis.edl_campaign.edl_scenario`). :func:`landing_dispersion` flies it
in this process with a fixed seed, so the report that shows it is the same on every run,
and returns the landings, their 3-sigma ellipse (:mod:`marsprobe.analysis.summary`) and,
for each dispersed input, its 1-sigma and where that figure comes from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

REPORT_RUNS = 200
"""Descents the report flies per lander: enough for a 3-sigma ellipse whose semi-axes are
within about 10 % (the relative standard error of a standard deviation from n normal samples
is about 1/sqrt(2 (n - 1)), 5 % at 200), few enough to cost a second."""
REPORT_SEED = 1971


@dataclass(frozen=True)
class DispersedInput:
    """One dispersed input: its campaign field, 1-sigma (unit in the name) and origin."""

    field: str
    sd: float
    origin: str


@dataclass
class LandingDispersion:
    """The landings of one campaign and their ellipse (the summary's ``ellipses.landing``)."""

    runs: int
    seed: int
    ellipse: dict[str, Any]
    probability_safe_landing: float
    ci95: tuple[float, float]
    lat_deg: list[float] = field(repr=False)
    lon_deg: list[float] = field(repr=False)
    landed: list[bool] = field(repr=False)
    inputs: list[DispersedInput] = field(default_factory=list)


def mission_scenario(slug: str, params, entry, runs: int, seed: int) -> dict[str, Any]:
    """Register the lander's EDL model and return its default campaign scenario.

    ``params``: the flown :class:`marsprobe.mission.descent.EdlParams` (faults applied);
    ``entry``: the :class:`marsprobe.mission.descent.EntryInterface` the descent starts from.
    """
    from marsprobe.analysis.edl_campaign import edl_scenario, register_edl_model

    base_entry = {
        "altitude_m": entry.altitude_m,
        "speed_m_s": entry.speed_m_s,
        "fpa_deg": entry.fpa_deg,
        "heading_deg": entry.heading_deg,
        "lat_deg": entry.lat_deg,
        "lon_deg": entry.lon_deg,
    }
    register_edl_model(params.vehicle, params.flown_atmosphere, base_entry)
    return edl_scenario(
        vehicle=params.vehicle,
        atmosphere=params.flown_atmosphere,
        entry=base_entry,
        delivery=params.delivery.model_dump(exclude={"note"}),
        fixed=params.set,
        runs=runs,
        seed=seed,
        description=f"{slug} EDL",
    )


def origins(mission, params, dispersions: dict[str, dict[str, Any]]) -> list[DispersedInput]:
    """Each dispersed field of a scenario with its 1-sigma and the data it comes from."""
    from marsprobe.edl.atmosphere import dispersion

    edl = (mission.flight or {}).get("edl", {})
    role = (edl.get("roles") or {}).get("delivery", "no role declared")
    note = params.delivery.note or ""
    spread = dispersion(params.atmosphere)
    out = []
    for name, spec in sorted(dispersions.items()):
        if name.startswith("entry."):
            origin = f"navigation delivery error of the flight file's [flight.edl] ({role}"
            origin += f"; {note})" if note else ")"
        elif name == "atmosphere.density_z":
            origin = (
                f"atmosphere model '{params.atmosphere}': density 1-sigma "
                f"{spread.density_sigma:.0%} at the surface ({spread.note})"
            )
        elif name.startswith("edl.wind_"):
            origin = f"atmosphere model '{params.atmosphere}': wind 1-sigma ({spread.note})"
        else:
            origin = f"vehicle file '{params.vehicle}': the 1-sigma given with the figure"
        out.append(DispersedInput(name, float(spec.get("sd", 0.0)), origin))
    return out


def landing_dispersion(
    mission, params, entry, runs: int = REPORT_RUNS, seed: int = REPORT_SEED
) -> LandingDispersion:
    """Fly the lander's campaign (in this process) and return its landings and ellipse."""
    from marsprobe.analysis.dispersions import parse_scenario
    from marsprobe.analysis.montecarlo import run_campaign

    data = mission_scenario(mission.slug, params, entry, runs, seed)
    scenario = parse_scenario(data, f"{mission.slug} landing ellipse")
    result = run_campaign(None, scenario, runs=runs, seed=seed, workers=0)
    columns = result.columns(["landing_lat_deg", "landing_lon_deg", "landed"])
    landed = result.summary["probabilities"]["landed"]
    return LandingDispersion(
        runs=runs,
        seed=seed,
        ellipse=dict(result.summary.get("ellipses", {}).get("landing", {})),
        probability_safe_landing=float(landed["p"]),
        ci95=tuple(landed["ci95"]),
        lat_deg=[float(v) for v in columns["landing_lat_deg"]],
        lon_deg=[float(v) for v in columns["landing_lon_deg"]],
        landed=[bool(v) for v in columns["landed"]],
        inputs=origins(mission, params, data["dispersions"]),
    )
