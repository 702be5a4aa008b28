"""The served view: what-ifs flown from a form, every parameter checked first."""

from __future__ import annotations

import html
import time

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Using `httpx`")]


@pytest.fixture(scope="module")
def client():
    from starlette.testclient import TestClient

    from marsprobe.report.web import create_app

    with TestClient(create_app(workers=1)) as c:
        yield c


def wait(client, response, limit_s: float = 240.0):
    """Follow a flight's progress page until its result (polling as the page's script does)."""
    assert response.status_code == 200
    path = response.url.path
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        status = client.get(path + "/status").json()
        if status["done"]:
            return client.get(path)
        time.sleep(0.2)
    raise AssertionError("the flight did not finish")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("slug=../../etc/passwd", "unknown mission '../../etc/passwd'"),
        ("slug=mars-3&entry_fpa_deg=-80", "entry_fpa_deg: -80 deg is outside -30 to -5 deg"),
        ("slug=mars-3&entry_fpa_deg=steep", "entry_fpa_deg: 'steep' is not a number (deg)"),
        ("slug=mars-3&entry_fpa_deg=nan", "entry_fpa_deg: nan deg is outside"),
        ("slug=mars-3&without=no-such-fault", "'no-such-fault' is not a fault of mars-3"),
        ("slug=cosmos-419&entry_fpa_deg=-12", "entry_fpa_deg: cosmos-419 has no such value"),
        ("slug=mars-3&path=/etc/passwd", "unknown parameter 'path'"),
        ("slug=mars-3&slug=mars-2", "give exactly one mission"),
        ("slug=mars-3&main_chute_cda_m2=0", "main_chute_cda_m2: 0 m2 is outside 5 to 400 m2"),
        ("slug=cosmos-419&main_chute_cda_m2=50", "main_chute_cda_m2: cosmos-419 has no such"),
    ],
)
def test_a_bad_parameter_gets_one_clear_message(client, query, message):
    response = client.get(f"/fly?{query}")
    assert response.status_code == 400
    assert message in html.unescape(response.text)
    assert response.text.count('class="error"') == 1


SWEEP = "slug=mars-3&parameter=entry_fpa_deg&low=-20&high=-10&points=5"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (SWEEP.replace("points=5", "points=26"), "points: 26 is outside 2 to 25"),
        (SWEEP.replace("points=5", "points=many"), "points: 'many' is not a whole number"),
        (SWEEP.replace("&points=5", ""), "give exactly one points for the sweep"),
        (SWEEP.replace("low=-20", "low=-90"), "entry_fpa_deg low: -90 deg is outside -30 to -5"),
        (SWEEP.replace("high=-10", "high=inf"), "entry_fpa_deg high: inf deg is outside"),
        (SWEEP.replace("high=-10", "high=-20"), "low and high are both -20 deg; give a range"),
        (SWEEP.replace("entry_fpa_deg", "arrival.entry_fpa_deg"), "cannot be swept for mars-3"),
        (SWEEP.replace("mars-3", "cosmos-419"), "its knobs: escape_timer_s"),
        (SWEEP + "&out=/tmp/x", "unknown parameter 'out'"),
        (SWEEP + "&without=nothing", "'nothing' is not a fault of mars-3"),
    ],
)
def test_a_bad_sweep_gets_one_clear_message(client, query, message):
    response = client.get(f"/sweep?{query}")
    assert response.status_code == 400
    assert message in html.unescape(response.text)
    assert response.text.count('class="error"') == 1


def test_unknown_pages_are_404(client):
    assert client.get("/mission/no-such").status_code == 404
    assert client.get("/run/not-a-job").status_code == 404
    assert client.get("/run/" + "0" * 32 + "/status").status_code == 404


def test_the_form_offers_the_missions_faults_and_knobs(client):
    page = client.get("/mission/mars-3").text
    assert 'data-fault="propellant-short"' in page and 'data-fault="capsule-fell-silent"' in page
    assert 'name="entry_fpa_deg"' in page and 'name="escape_timer_s"' in page
    assert 'name="main_chute_cda_m2"' in page  # the lander's parachute, from its vehicle file
    assert '<form id="sweep" method="get" action="/sweep">' in page
    assert '<option value="main_chute_cda_m2">' in page


def test_cosmos_419_flies_on_without_its_timer_fault(client):
    response = wait(client, client.get("/fly?slug=cosmos-419&without=block-d-timer-wrong"))
    assert response.status_code == 200
    assert "without block-d-timer-wrong" in response.text
    outcome = response.text.split('<b id="simulated-outcome">')[1].split("</b>")[0]
    # with its timer set as designed, the Block D fires in the parking orbit and the probe
    # leaves the Earth (the race counterfactual of `marsprobe race` flies the same)
    assert outcome != "stranded_in_earth_orbit"
