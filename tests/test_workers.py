"""Flights handed to workers longest first (marsprobe.analysis.workers)."""

from __future__ import annotations

from marsprobe import catalog
from marsprobe.analysis import workers


def test_costs_put_the_vikings_first_and_launch_failures_last():
    # The ordering the LPT rule needs: the site trim and descent of a Viking cost more than a
    # flyby's cruise, which costs more than a launch that failed on the day.
    cost = {s: workers.flight_cost(catalog.load(s)) for s in ("viking-1", "mariner-4", "1m-no-1")}
    assert cost["viking-1"] > cost["mariner-4"] > cost["1m-no-1"]
    # removing the faults flies the whole plan, whatever the record says
    m = catalog.load("1m-no-1")
    assert workers.flight_cost(m, ("pitch-potentiometer-contact",)) > cost["1m-no-1"]


def test_results_come_back_in_the_order_of_the_jobs():
    calls = []

    def square(x):
        calls.append(x)
        return x * x

    out = workers.run_longest_first(square, [(1,), (2,), (3,)], [1.0, 5.0, 3.0], workers=1)
    assert out == [1, 4, 9] and calls == [2, 3, 1]
