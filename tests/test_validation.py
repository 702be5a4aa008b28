"""The validation cases of ``marsprobe validate``, run by the suite: each published figure with
its citation and tolerance lives in marsprobe/analysis/validation/cases.toml, so the reasons are
written there, beside the figures. A known model weakness is a strict expected failure."""

from __future__ import annotations

import json

import pytest

from marsprobe.analysis import validation as V


def _params():
    out = []
    for case in V.cases():
        marks = []
        if case.known_weakness:
            marks.append(pytest.mark.xfail(strict=True, reason=case.known_weakness))
        if case.group == "payload":
            marks.append(pytest.mark.slow)  # each searches the payload over tuned ascents
        out.append(pytest.param(case, id=case.name, marks=marks))
    return out


@pytest.mark.parametrize("case", _params())
def test_case(case):
    result = V.run_case(case)
    if result.status == "unavailable":
        pytest.skip(result.note)
    assert result.passed, (case.name, result.published, result.marsprobe, case.tolerance_text())


def test_every_case_says_where_its_figures_come_from():
    names = V.case_names()
    assert len(names) == len(set(names))
    for case in V.cases():
        assert case.citation and case.tol_reason, case.name
        if case.role == "calibration":
            assert case.calibration_note, case.name
    # A parameter fitted to a flight makes that flight calibration (issue 16): Mars 6's chute
    # area was sized from its own descent rate, its entry angle from its own parachute time.
    mars6 = [c for c in V.cases() if c.name.startswith("mars-6")]
    assert mars6 and all(c.role == "calibration" for c in mars6)


def test_tolerance_kinds():
    case = V.find("decay-cosmos-21")  # factor 2
    assert V.within(case, 3.0, 5.9) and not V.within(case, 3.0, 6.1)
    assert not V.within(case, 3.0, float("nan"))


def test_command_runs_a_case_and_says_pass(cli):
    code, out, _ = cli("validate", "--case", "tai-minus-utc-1960", "--json")
    (row,) = json.loads(out)
    assert code == 0 and row["status"] == "pass" and row["role"] == "validation"
    assert row["citation"].startswith("ERFA")
    code, out, _ = cli("validate", "--case", "1m-no-1-destruct-altitude")
    assert code == 0 and "expected fail" in out and "known weakness" in out


def test_unknown_case_is_one_line_and_exit_2(cli):
    code, out, err = cli("validate", "--case", "no-such-case")
    assert code == 2 and out == ""
    assert err.startswith("marsprobe: error: unknown validation case") and err.count("\n") == 1
