"""The documentation site builds offline, with no warning, and runs every tutorial.

One build per session (it executes every tutorial notebook, about a minute on two cores), then
checks on what it produced: each tutorial ran and embedded its outputs, the generated reference
names every command and every schema key, and nothing is fetched from the network.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
TUTORIALS = sorted((DOCS / "tutorials").glob("*.md"))


def _build(out: Path) -> subprocess.CompletedProcess:
    path = os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    env.pop("MPLBACKEND", None)  # the kernels draw inline, so that figures are embedded
    # a fresh doctree folder: every page is read and every notebook executed (nothing cached)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-n",
            "-q",
            "-b",
            "html",
            "-d",
            str(out / "doctrees"),
            str(DOCS),
            str(out / "html"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=900,
    )


def _text(page: Path) -> str:
    """A page's text without its tags."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))


def test_conf_fails_the_build_on_a_tutorial_error_and_caches_nothing():
    conf = (DOCS / "conf.py").read_text()
    assert re.search(r"^nb_execution_raise_on_error = True", conf, re.M)
    assert re.search(r'^nb_execution_mode = "force"', conf, re.M)
    assert '"sphinx.ext.intersphinx"' not in conf  # offline: no inventory fetched


def test_every_tutorial_is_a_notebook_in_the_toctree():
    index = (DOCS / "tutorials" / "index.md").read_text()
    assert TUTORIALS
    for page in TUTORIALS:
        if page.name == "index.md":
            continue
        assert page.stem in index, f"{page.name} is not in the tutorials' toctree"
        head = page.read_text().split("---", 2)[1]
        assert "file_format: mystnb" in head, f"{page.name} would not be executed"
        assert "{code-cell}" in page.read_text()


@pytest.mark.slow
def test_docs_build_offline_without_warnings_and_run_every_tutorial(tmp_path):
    done = _build(tmp_path)
    warnings = [line for line in done.stderr.splitlines() if "WARNING" in line or "ERROR" in line]
    # the kernel's own notice about its local TCP transport is not a Sphinx warning
    warnings = [w for w in warnings if "IPKernelApp" not in w]
    assert done.returncode == 0 and not warnings, "\n".join(warnings) or done.stderr[-6000:]
    html = tmp_path / "html"

    # every tutorial ran: its cells have outputs, and its figures are embedded files
    for page in TUTORIALS:
        if page.name == "index.md":
            continue
        text = (html / "tutorials" / f"{page.stem}.html").read_text()
        assert "cell_output" in text, f"{page.name}: no output"
        assert "Traceback" not in text, f"{page.name}: a cell raised"
        if "plt.subplots" in page.read_text():
            images = re.findall(r'<img[^>]+src="([^"]+)"', text)
            assert images, f"{page.name}: its figure is not embedded"
            for src in images:
                assert (html / "tutorials" / src).resolve().is_file(), src

    # the command reference is the CLI's own help: every command is there
    from marsprobe.cli import COMMANDS

    cli_page = _text(html / "reference" / "cli.html")
    for name in COMMANDS:
        assert f"Usage: marsprobe {name}" in cli_page, name

    # the file formats are generated from the schemas: every key of each is named
    from marsprobe.analysis.dispersions import CampaignScenario
    from marsprobe.edl.vehicle import Vehicle
    from marsprobe.mission.scenario import phase_models
    from marsprobe.mission.schema import Mission

    formats = (html / "reference" / "formats.html").read_text()
    models = [Mission, Vehicle, CampaignScenario, *phase_models().values()]
    for model in models:
        for key in model.model_fields:
            assert f'<span class="pre">{key}</span>' in formats, f"{model.__name__}.{key}"

    # the validation table is read from the cases' data
    from marsprobe.analysis.validation import cases

    models_page = (html / "explanation" / "models.html").read_text()
    for case in cases():
        assert case.name in models_page, case.name

    # offline: no page loads a script, style sheet or image from the network
    for page in html.rglob("*.html"):
        text = page.read_text()
        remote = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(https?:[^"]+)"', text)
        assert not remote, f"{page.relative_to(html)} loads {remote[:3]}"
        assert "coming soon" not in text.lower(), page


def test_the_atmosphere_how_to_example_is_a_table_marsprobe_accepts(tmp_path):
    # the how-to's example file, as printed on the page, passes every check of the reader
    from marsprobe.edl.user_atmosphere import read_table

    page = (DOCS / "howto" / "atmosphere.md").read_text()
    example = page.split("```text\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "clear-season.csv"
    path.write_text(example)
    rows = read_table(path)
    assert len(rows["density_kg_m3"]) == example.count("\n") - 4  # 3 comments and a header
