"""The offline report: pages that need no network, escaped text, plots a person can read."""

from __future__ import annotations

import math
import re

import pytest

pytestmark = pytest.mark.slow

EXTERNAL = re.compile(r"""(?:src|href|url)\s*[=(]\s*["']?\s*(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from marsprobe.report.site import write_report

    out = tmp_path_factory.mktemp("report")
    written = write_report(out, ["mars-3", "cosmos-419"], workers=1, program=True)
    return out, written


@pytest.fixture(scope="module")
def mars3():
    from marsprobe import catalog
    from marsprobe.report.mission_data import gather

    return gather(catalog.load("mars-3"), counterfactuals=False)


def test_pages_reference_no_other_host(site):
    out, written = site
    assert [p.name for p in written] == ["mars-3.html", "cosmos-419.html", "index.html"]
    assert sorted(p.name for p in out.iterdir()) == [
        ".marsprobe-report",
        "cosmos-419.html",
        "index.html",
        "mars-3.html",
        "plotly.min.js",
    ]
    for page in written:
        html = page.read_text()
        assert EXTERNAL.search(html) is None, EXTERNAL.search(html)
        # plotly.js is loaded once, from the file beside the page, never inlined again
        assert html.count('<script src="plotly.min.js"></script>') == 1
        assert "cdn.plot.ly" not in html


def test_timeline_has_every_simulated_and_recorded_event(site, mars3):
    html = (site[0] / "mars-3.html").read_text()
    table = html.split('<table id="timeline">')[1].split("</table>")[0]
    simulated = table.count('<tr class="simulated">')
    recorded = table.count('<tr class="recorded">')
    assert simulated == len(mars3.replay.events)
    assert recorded == len(mars3.mission.record.events)


def test_mission_page_shows_outcome_faults_and_counterfactuals(site):
    html = (site[0] / "cosmos-419.html").read_text()
    assert '<b id="simulated-outcome">stranded_in_earth_orbit</b>' in html
    # the flight without the wrong Block D timer is flown, not looked up
    table = html.split('<table id="counterfactuals">')[1].split("</table>")[0]
    assert "block-d-timer-wrong" in table
    assert "stranded_in_earth_orbit" not in table
    assert 'id="fig-decay"' in html


def test_text_from_the_catalog_is_escaped(mars3):
    from marsprobe.report.pages import render_mission

    mission = mars3.mission.model_copy(update={"summary": "<script>alert(1)</script>"})
    mars3_evil = type(mars3)(**{**mars3.__dict__, "mission": mission})
    html = render_mission(mars3_evil, "plotly.min.js", "index.html")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_edl_figure_carries_the_flown_history(mars3):
    from marsprobe.report.interactive import edl_profile

    fig = edl_profile(mars3.history, mars3.replay.descent.events)
    altitude = fig.data[0]
    assert altitude.name == "altitude (km)"
    # the curve starts at the entry interface the replay handed to the descent
    assert altitude.y[0] == pytest.approx(mars3.replay.descent.entry.altitude_m / 1e3)
    assert fig.layout.xaxis4.title.text == "time since entry interface (s)"


@pytest.mark.parametrize("name", ["plot_ascent", "plot_cruise", "plot_arrival", "plot_landing_map"])
def test_plots_draw_on_the_given_axes_with_units(mars3, name):
    import matplotlib.pyplot as plt

    from marsprobe.report import trajectory_plots

    fig, ax = plt.subplots()
    kwargs = {"mission": mars3.mission} if name == "plot_landing_map" else {}
    assert getattr(trajectory_plots, name)(mars3.replay, ax=ax, **kwargs) is ax
    assert "(" in ax.get_xlabel() and "(" in ax.get_ylabel()  # each axis names its unit
    assert ax.get_legend() is not None
    plt.close(fig)


def test_landing_map_marks_the_recorded_site(mars3):
    import matplotlib.pyplot as plt

    from marsprobe.report.trajectory_plots import plot_landing_map

    ax = plot_landing_map(mars3.replay, mars3.mission)
    site = [ln for ln in ax.lines if ln.get_label() == "recorded site"][0]
    # the record's 45 S 158 W (002_d3f98a46457d5b1f.txt@L87), east longitude 202
    assert site.get_xdata()[0] == pytest.approx(202.0)
    assert site.get_ydata()[0] == pytest.approx(-45.0)
    plt.close(ax.figure)


def test_report_command_rejects_bad_input(cli, tmp_path):
    code, _, err = cli("report", "--out", str(tmp_path / "r"))
    assert code == 2 and err.startswith("marsprobe: error: give one or more mission slugs")
    code, _, err = cli("report", "no-such-mission", "--out", str(tmp_path / "r"))
    assert code == 2 and err.startswith("marsprobe: error:")
    assert not (tmp_path / "r").exists()


def test_program_page_shows_the_race_with_the_flights_without_faults(site):
    """Cosmos 419 without its wrong timer: its simulated arrival set against Mariner 9's."""
    from marsprobe import catalog
    from marsprobe.analysis.race import recorded_milestones, simulated_milestones
    from marsprobe.mission.replay import replay

    html = (site[0] / "index.html").read_text()
    assert html.count('<tr class="conflict"') > 10
    table = html.split('<table id="race-counterfactuals">')[1].split("</table>")[0]
    flown = replay(catalog.load("cosmos-419"), ("block-d-timer-wrong",))
    reached = simulated_milestones("cosmos-419", flown)
    assert "first_orbiter" in reached  # it leaves the Earth and is captured at Mars
    first = recorded_milestones(catalog.all_missions())["first_orbiter"]
    assert first.slug == "mariner-9"  # 1971-11-14 (the race's recorded firsts)
    verdict = "yes" if reached["first_orbiter"] < first.date_utc else "no"
    row = (
        f"<tr><td>cosmos-419</td><td>first_orbiter</td><td>{reached['first_orbiter']}</td>"
        f"<td>mariner-9 ({first.date_utc})</td><td>{verdict}</td></tr>"
    )
    assert row in table


@pytest.fixture(scope="module")
def mars3_landing(mars3):
    from marsprobe.report.lander_studies import landing

    return landing(mars3)


def test_landing_ellipse_is_reproducible_and_sits_on_the_touchdown(mars3, mars3_landing):
    from marsprobe.report.lander_studies import landing

    e = mars3_landing.ellipse
    again = landing(mars3).ellipse
    assert again == e  # the seed is fixed: the report is the same on every run
    assert e["n"] == mars3_landing.runs == 200
    touchdown = mars3.replay.event("landing").data
    km_per_deg = e["radius_km"] * math.pi / 180.0
    north = (e["centre_lat_deg"] - touchdown["lat_deg"]) * km_per_deg
    east = (e["centre_lon_deg"] - touchdown["lon_deg"]) * km_per_deg
    east *= math.cos(math.radians(touchdown["lat_deg"]))
    # inputs dispersed symmetrically about the flown ones: the landings' mean lies near the
    # flown touchdown, within the 1-sigma spread (the descent's non-linearity moves it less)
    assert (north**2 + east**2) ** 0.5 < e["semi_minor_km"] / 3.0


def test_landing_dispersions_name_their_origin(mars3_landing):
    sd = {i.field: i for i in mars3_landing.inputs}
    # mars-3.toml [flight.edl] delivery: fpa 1.0 deg, speed 20 m/s, heading 1.0 deg,
    # lat/lon 0.5 deg, chosen (no published delivery accuracy found)
    assert sd["entry.fpa_deg"].sd == 1.0 and sd["entry.speed_m_s"].sd == 20.0
    assert "no published delivery accuracy found" in sd["entry.fpa_deg"].origin
    # m71.toml: main chute drag area 85 m2 with a 1-sigma of 8 m2
    assert sd["edl.main_chute_cda_m2"].sd == 8.0
    assert "vehicle file 'm71'" in sd["edl.main_chute_cda_m2"].origin
    assert "atmosphere model" in sd["atmosphere.density_z"].origin


def test_landing_map_draws_the_ellipse_of_the_campaign(mars3, mars3_landing):
    from marsprobe.report.interactive_landing import ELLIPSE_TRACE, landing_map

    touchdown = mars3.replay.event("landing").data
    fig = landing_map((touchdown["lat_deg"], touchdown["lon_deg"]), (-45.0, 202.0), mars3_landing)
    names = [t.name for t in fig.data]
    assert "recorded site" in names and "simulated touchdown" in names
    ring = next(t for t in fig.data if t.name.startswith(ELLIPSE_TRACE))
    e = mars3_landing.ellipse
    km = e["radius_km"] * math.pi / 180.0
    lat0 = math.radians(e["centre_lat_deg"])
    far = max(
        math.hypot((y - e["centre_lat_deg"]) * km, (x - e["centre_lon_deg"]) * km * math.cos(lat0))
        for x, y in zip(ring.x, ring.y, strict=True)
    )
    # the outline's farthest point is the semi-major axis (181 points: 2 deg apart, so the
    # sampled maximum is within 1 - cos(1 deg) = 0.02 % of it)
    assert far == pytest.approx(e["semi_major_km"], rel=1e-3)
    # the recorded 158 W is drawn on the touchdown's side of the date line, as 202 E - 360
    site = next(t for t in fig.data if t.name == "recorded site")
    assert site.x[0] == pytest.approx(-158.0) and fig.layout.xaxis.title.text.endswith("(deg)")


def test_mission_page_shows_the_corridor_and_the_ellipse(site, mars3):
    html = (site[0] / "mars-3.html").read_text()
    assert 'id="landing-map"' in html and '<table id="dispersions">' in html
    ranges = html.split('<table id="corridor-ranges">')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>([^<]+)</td><td>([-\d.]+)</td><td>([-\d.]+)</td></tr>", ranges)
    flown = mars3.replay.descent.entry.fpa_deg
    # the corridor's class at the flight's own entry angle is the replay's outcome: the same
    # mission flown through the sweep engine reaches what the replay reached
    here = [c for c, lo, hi in rows if float(lo) <= flown <= float(hi)]
    assert here == [", ".join(mars3.replay.outcome)]
    bounds = html.split('<table id="corridor-boundaries">')[1].split("</table>")[0]
    pairs = re.findall(r"<tr><td>([-\d.]+)</td><td>([-\d.]+)</td>", bounds)
    assert pairs  # Mars 3 breaks up when steep and misses the planet when shallow
    # 5 deg apart, bisected twice: each boundary within 1.25 deg
    assert all(abs(float(b) - float(a)) <= 1.25 + 1e-9 for a, b in pairs)
    assert '<table id="ensemble">' not in html  # no ensemble given: no block


def test_an_ensemble_summary_is_shown_on_its_page_and_a_bad_one_refused(mars3, tmp_path):
    # A real (tiny) ensemble of Mars 3, written as replay --runs --out writes it, read back
    # and drawn: the page shows exactly the counts the summary computed.
    import json

    from marsprobe.analysis.ensemble_summary import EnsembleSummary
    from marsprobe.analysis.mission_ensemble import run_ensemble
    from marsprobe.cli.render import clean_json
    from marsprobe.cli.report import read_ensembles
    from marsprobe.errors import InputError
    from marsprobe.report.pages import render_mission

    summary = run_ensemble("mars-3", 3, 5, workers=0)
    folder = tmp_path / "runs"
    folder.mkdir()
    (folder / "ensemble.json").write_text(json.dumps(clean_json(summary.to_json())))
    shown = read_ensembles([folder], {"mars-3"})
    assert shown["mars-3"].to_json() == EnsembleSummary.from_json(summary.to_json()).to_json()
    data = type(mars3)(**{**mars3.__dict__, "ensemble": shown["mars-3"]})
    html = render_mission(data, "plotly.min.js", "index.html")
    table = html.split('<table id="ensemble">')[1].split("</table>")[0]
    for o in summary.outcomes:
        assert f"<td>{o.outcome}</td><td>{o.count}</td><td>{o.probability:.3f}</td>" in table
    assert sum(o.count for o in summary.outcomes) >= summary.flown  # classes may combine
    with pytest.raises(InputError, match="which this report does not write"):
        read_ensembles([folder], {"mars-2"})
    with pytest.raises(InputError, match="no ensemble.json"):
        read_ensembles([tmp_path / "missing"], None)
    bad = summary.to_json()
    bad["outcomes"][0]["count"] = summary.flown + 1
    with pytest.raises(InputError, match="ensemble summary"):
        EnsembleSummary.from_json(bad)
