"""A sweep asked for in the web view: one knob of one mission flown over a range.

The request is checked before it gets here (:func:`marsprobe.report.whatif.parse_sweep`:
a knob the mission has, a range inside the knob's bounds, at most
:data:`~marsprobe.report.whatif.MAX_SWEEP_POINTS` values). :func:`sweep_page` flies it with
the engine of ``marsprobe sweep`` in this thread's process, one value after another, telling
the job how far it is, and renders the outcome class against the value with the boundaries
where it changes.
"""

from __future__ import annotations

from marsprobe.report import whatif


def sweep_page(job, form: dict) -> str:
    """Fly the job's :class:`whatif.SweepRequest` and return its page (``form``: what the
    forms below it show, :func:`marsprobe.report.web.form_context`)."""
    from marsprobe import catalog
    from marsprobe.analysis.sweep import sweep
    from marsprobe.report import interactive
    from marsprobe.report.interactive_landing import sweep_outcomes
    from marsprobe.report.pages import environment

    req: whatif.SweepRequest = job.request
    knob = whatif.KNOBS[req.knob]

    def progress(done: int, total: int) -> None:
        job.stage = f"flown {done} of {total} values"

    job.stage = f"flying {req.points} values"
    result = sweep(req.slug, req.parameter, req.low, req.high, req.points, req.without, 1, progress)
    job.stage = "drawing"
    mission = catalog.load(req.slug)
    fig = sweep_outcomes(
        result,
        f"{knob.label} ({knob.unit})",
        f"{mission.name.value}: outcome class against {req.knob}",
    )
    return (
        environment()
        .get_template("served_sweep.html")
        .render(
            mission=mission,
            sweep=result,
            knob=knob,
            req=req,
            sweep_div=interactive.div(fig, "sweep-plot"),
            plotly_src="/plotly.min.js",
            home="/",
            **form,
        )
    )
