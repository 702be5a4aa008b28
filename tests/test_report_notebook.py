"""The notebook front door: three lines show Mars 3 land."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def mars3():
    import marsprobe

    return marsprobe.replay("mars-3")


def test_replay_shows_itself_as_html(mars3):
    html = mars3._repr_html_()
    assert "<h3>Mars 3 " in html
    assert f"Simulated outcome: <b>{', '.join(mars3.outcome)}</b>" in html
    # the key pictures, inline SVG: the descent, the cruise and the landing map
    for name in ("edl", "cruise", "landing"):
        assert f'<div class="fig-{name}"' in html
    assert html.count("<svg") == 3
    assert "<script" not in html  # a notebook trusts no script from an output
    assert html.count("<tr>") == 1 + len(mars3.events) + len(mars3.mission.record.events)


def test_plot_methods_return_their_axes(mars3):
    import matplotlib.pyplot as plt

    for method in ("plot_ascent", "plot_cruise", "plot_arrival", "plot_landing", "plot_edl"):
        fig, ax = plt.subplots()
        assert getattr(mars3, method)(ax=ax) is ax
        plt.close(fig)


def test_a_probe_that_never_left_shows_its_decay():
    import marsprobe

    html = marsprobe.replay("cosmos-419")._repr_html_()
    assert '<div class="fig-decay"' in html and "stranded_in_earth_orbit" in html
