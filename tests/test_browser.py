"""The report and the served view in a real browser: Debian's chromium driven by Playwright.

The browser is the system's (``/usr/bin/chromium``, installed by ``scripts/ensure_browser.py``
from the README's test command), never one Playwright downloads. Without it these tests skip
with the line that says how to enable them; under CI=true a missing browser is a failure.
Screenshots go to a temporary directory (``MARSPROBE_SCREENSHOTS`` names another).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOW = "the browser tests need Debian's chromium: run `sudo apt-get install -y chromium`"


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{CHROMIUM} is missing under CI ({HOW})")
        pytest.skip(HOW)
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            args=FLAGS,
            headless=True,
            viewport={"width": 1200, "height": 900},
        )
        yield context
        context.close()


@pytest.fixture(scope="session")
def shots(tmp_path_factory) -> Path:
    where = os.environ.get("MARSPROBE_SCREENSHOTS")
    if where:
        Path(where).mkdir(parents=True, exist_ok=True)
        return Path(where)
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def page(browser):
    """A page that records every script error and console error, for the test to assert on."""
    page = browser.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(f"page error: {exc}"))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    yield page
    page.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from marsprobe.report.site import write_report

    out = tmp_path_factory.mktemp("report")
    write_report(out, ["mars-3", "cosmos-419"], workers=1, program=True)
    return out


def offline(page) -> list[str]:
    """Abort every request that is not for a local file; the list of those asked for."""
    asked: list[str] = []

    def handle(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            asked.append(route.request.url)
            route.abort()

    page.route("**/*", handle)
    return asked


def test_mission_page_works_offline_and_plots_the_flight(page, site, shots):
    from marsprobe import catalog

    asked = offline(page)
    page.goto((site / "mars-3.html").as_uri())
    page.wait_for_function("document.getElementById('edl-profile').data !== undefined")
    assert asked == [] and page.errors == []
    record = catalog.load("mars-3").record
    simulated = page.locator("#timeline tr.simulated").count()
    assert page.locator("#timeline tr.recorded").count() == len(record.events)
    assert simulated > 20  # lift-off to the end of the surface transmission
    # the EDL profile's altitude curve, read from the plotly object in the page
    first_km, last_km = page.evaluate(
        "(() => { const y = document.getElementById('edl-profile')._fullData[0].y;"
        " return [y[0], y[y.length - 1]]; })()"
    )
    assert first_km == pytest.approx(100.0, abs=0.01)  # Mars 3's entry interface, 100 km
    assert last_km < 5.0  # ends on the ground (the site's elevation is a few km at most)
    page.screenshot(path=shots / "report-mars-3.png", full_page=False)
    page.locator("#fig-cruise").screenshot(path=shots / "cruise-mars-3.png")
    page.locator("#fig-landing").screenshot(path=shots / "landing-mars-3.png")


def test_program_page_filters_the_conflicts(page, site, shots):
    asked = offline(page)
    page.goto((site / "index.html").as_uri())
    rows = page.locator("tr.conflict")
    total = rows.count()
    assert total > 10
    page.fill("#conflict-filter", "cosmos-419")
    shown = page.locator("tr.conflict:visible").count()
    assert 0 < shown < total
    assert page.locator("#conflict-count").inner_text() == f"{shown} of {total} shown"
    assert page.locator("#outcomes tr").count() == 3  # the header and the two missions
    assert asked == [] and page.errors == []
    page.screenshot(path=shots / "program.png", full_page=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "marsprobe", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"serve did not start: {proc.stderr.read()!r}") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_served_view_flies_a_counterfactual_and_rejects_a_bad_value(page, server, shots):
    page.goto(server + "/mission/cosmos-419")
    page.uncheck('input[data-fault="block-d-timer-wrong"]')
    page.click("#fly")
    page.wait_for_selector("#simulated-outcome", timeout=180_000)
    assert "without block-d-timer-wrong" in page.locator("#whatif-note").inner_text()
    # the designed timer fires the Block D in the parking orbit: the probe leaves the Earth
    assert page.locator("#simulated-outcome").inner_text() != "stranded_in_earth_orbit"
    page.screenshot(path=shots / "served-counterfactual.png", full_page=False)
    assert page.errors == []
    page.fill("#escape_timer_s", "-5")
    with page.expect_response(lambda r: "/fly" in r.url) as answer:
        page.click("#fly")
    assert answer.value.status == 400
    message = page.locator("#error").inner_text()
    assert message.startswith("escape_timer_s: -5 s is outside 60 to 172800 s")
    # the browser reports the 400 itself as a failed load, and nothing else
    assert [e for e in page.errors if "status of 400" not in e] == []
    page.screenshot(path=shots / "served-bad-parameter.png", full_page=False)


def test_report_landing_map_draws_the_ellipse(page, site, shots):
    asked = offline(page)
    page.goto((site / "mars-3.html").as_uri())
    page.wait_for_function("document.getElementById('landing-map')._fullData !== undefined")
    traces = page.evaluate(
        "document.getElementById('landing-map')._fullData.map(t => "
        "({name: t.name, x: Array.from(t.x), y: Array.from(t.y)}))"
    )
    names = [t["name"] for t in traces]
    assert "simulated touchdown" in names and "recorded site" in names
    ring = next(t for t in traces if t["name"].startswith("landing ellipse, 3 sigma"))
    assert len(ring["x"]) == 181  # the outline, closed on itself
    assert (ring["x"][0], ring["y"][0]) == pytest.approx((ring["x"][-1], ring["y"][-1]))
    touchdown = next(t for t in traces if t["name"] == "simulated touchdown")
    # the ring surrounds the computed touchdown: it lies between the ring's extremes
    assert min(ring["x"]) < touchdown["x"][0] < max(ring["x"])
    assert min(ring["y"]) < touchdown["y"][0] < max(ring["y"])
    assert page.locator("#dispersions tr").count() > 5  # each dispersed input with its origin
    assert asked == [] and page.errors == []
    page.locator("#fig-landing").screenshot(path=shots / "landing-ellipse-mars-3.png")
    page.locator("#corridor").screenshot(path=shots / "corridor-mars-3.png")


def test_served_view_flies_a_smaller_parachute(page, server, shots):
    page.goto(server + "/mission/mars-3")
    page.fill("#main_chute_cda_m2", "20")
    page.click("#fly")
    page.wait_for_selector("#simulated-outcome", timeout=180_000)
    assert "main_chute_cda_m2 = 20.0" in page.locator("#whatif-note").inner_text()
    # under a quarter of the 85 m2 canopy the capsule falls twice as fast (terminal speed
    # goes as 1/sqrt(drag area)): about 125 m/s instead of the 61 m/s the canopy was sized
    # for, more than its retro rocket and shock absorbers were built to take
    assert "lander_crashed" in page.locator("#simulated-outcome").inner_text()
    assert page.locator("#landing-map").count() == 1  # the ellipse of the flight flown here
    assert page.errors == []
    page.screenshot(path=shots / "served-parachute.png", full_page=False)


def test_served_view_runs_a_sweep_and_rejects_a_bad_one(page, server, shots):
    page.goto(server + "/mission/mars-3")
    page.select_option("#sweep-parameter", "main_chute_cda_m2")
    page.fill("#sweep-low", "5")
    page.fill("#sweep-high", "100")
    page.fill("#sweep-points-n", "4")
    page.click("#run-sweep")
    page.wait_for_selector("#sweep-plot", timeout=180_000)
    page.wait_for_function("document.getElementById('sweep-plot')._fullData !== undefined")
    values = page.evaluate(
        "document.getElementById('sweep-plot')._fullData.filter(t => t.mode === 'markers')"
        ".flatMap(t => Array.from(t.x))"
    )
    assert sorted(values) == pytest.approx([5.0, 36.6667, 68.3333, 100.0], abs=1e-3)
    rows = [
        r.split("\t")
        for r in page.locator("#sweep-points tr").all_inner_texts()[1:]  # below the header
    ]
    assert len(rows) == 4
    # the boundaries table lists exactly the places where the class in the table changes
    changes = [(a[0], b[0]) for a, b in zip(rows, rows[1:], strict=False) if a[1] != b[1]]
    shown = [
        tuple(r.split("\t")[:2]) for r in page.locator("#sweep-boundaries tr").all_inner_texts()[1:]
    ]
    assert shown == changes
    assert page.errors == []
    page.screenshot(path=shots / "served-sweep.png", full_page=False)
    # the form below the result keeps the sweep; only the number of values is changed
    assert page.locator("#sweep-parameter").input_value() == "main_chute_cda_m2"
    page.fill("#sweep-points-n", "99")
    with page.expect_response(lambda r: "/sweep" in r.url) as answer:
        page.click("#run-sweep")
    assert answer.value.status == 400
    assert page.locator("#error").inner_text().startswith("points: 99 is outside 2 to 25")
    assert [e for e in page.errors if "status of 400" not in e] == []
    page.screenshot(path=shots / "served-bad-sweep.png", full_page=False)
