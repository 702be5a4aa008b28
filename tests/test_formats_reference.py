"""Every key of every file format has a description in the generated reference.

The file-format page (docs/reference/formats.rst) is generated from the pydantic models by
docs/_ext/marsprobe_formats.py; a key whose ``Field`` has no ``description`` shows an empty
"what it is" cell. These checks read the same directives the page does, without building the
site, so a key added without a description fails here at once.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel, Field

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "reference" / "formats.rst"
sys.path.insert(0, str(ROOT / "docs" / "_ext"))
formats = importlib.import_module("marsprobe_formats")

DIRECTIVE = re.compile(r"^\.\. marsprobe-schema:: (\S+)\n((?:   :\w+:.*\n)*)", re.M)


def _directives() -> list[tuple[str, str, str]]:
    """(model path, table, provenance) of each schema directive on the page."""
    out = []
    for match in DIRECTIVE.finditer(PAGE.read_text()):
        options = dict(re.findall(r"^   :(\w+):[ \t]*(.*)$", match.group(2), re.M))
        out.append((match.group(1), options.get("table", ""), options.get("provenance", "fact")))
    return out


def test_the_page_documents_every_file_format():
    # the roots the page shows: a file format dropped from the page fails here
    shown = {path.rsplit(".", 1)[1] for path, _, _ in _directives()}
    expected = {"Mission", "FlightHeader", "Fault", "VehicleFile", "SitesFile"}
    expected |= {"SpacecraftFile", "Vehicle", "CampaignScenario"}
    assert expected <= shown, expected - shown
    assert ".. marsprobe-phase-tables::" in PAGE.read_text()
    assert ".. marsprobe-atmosphere-columns::" in PAGE.read_text()


@pytest.mark.parametrize("path,table,provenance", _directives(), ids=lambda v: str(v))
def test_every_key_of_a_file_format_has_a_description(path, table, provenance):
    model = formats._import(path)
    missing = formats.undescribed(model, table, provenance)
    assert not missing, f"{path}: keys without Field(description=...): {missing}"


def test_every_key_of_every_flight_phase_has_a_description():
    from marsprobe.mission.scenario import phase_models

    missing = []
    for phase, model in phase_models().items():
        missing += formats.undescribed(model, f"flight.{phase}", "roles")
    assert not missing, f"keys without Field(description=...): {missing}"


def test_every_atmosphere_column_says_what_it_is():
    from marsprobe.edl import user_atmosphere as ua

    columns = [*ua.ALTITUDE, *ua.REQUIRED, *ua.OPTIONAL]
    assert [c for c in columns if not ua.COLUMN_MEANING.get(c, "").strip()] == []


def test_every_edl_kernel_parameter_says_what_it_is():
    # the names a flight file, a fault, a sweep and a campaign may set in the EDL kernel
    from marsprobe.edl.param_meaning import meaning
    from marsprobe.edl.params import PARAM_NAMES

    assert ".. marsprobe-edl-parameters::" in PAGE.read_text()
    assert [name for name in PARAM_NAMES if not meaning(name).strip()] == []


def test_the_check_finds_a_key_without_a_description():
    # the check itself can fail: one described and one bare key, in a nested table
    class Inner(BaseModel):
        bare_m: float = 0.0

    class Outer(BaseModel):
        named_kg: float = Field(0.0, description="a mass, kg")
        inner: Inner = Field(default_factory=Inner, description="a table")

    assert formats.undescribed(Outer, "flight.x") == ["flight.x.inner.bare_m"]
