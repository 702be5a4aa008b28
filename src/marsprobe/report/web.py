"""``marsprobe serve``: the report's pages served locally, and a form to fly what-ifs.

A Starlette application. A flight, or a sweep of one knob (:mod:`marsprobe.report.served_sweep`),
runs in a worker thread as a job; its page polls a small status endpoint until the job is
done, then shows the new timeline and pictures, or the sweep's outcome classes and
boundaries. Every parameter is checked (:mod:`marsprobe.report.whatif`) before anything
flies; a bad one gets a 400 page with one message. Nothing a request sends is ever used as a
path.
"""

from __future__ import annotations

import functools
import re
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from marsprobe.errors import MarsprobeError
from marsprobe.report import whatif

JOB_ID = re.compile(r"[0-9a-f]{32}")
KEEP_JOBS = 32  # finished flights kept for their pages; older ones are dropped


@dataclass
class Job:
    """One flight or sweep asked for through a form."""

    request: whatif.WhatIf | whatif.SweepRequest
    started: float = field(default_factory=time.monotonic)
    stage: str = "queued"
    html: str = ""
    error: str = ""
    finished: float | None = None

    def status(self) -> dict[str, Any]:
        end = self.finished or time.monotonic()
        return {
            "stage": self.stage,
            "elapsed_s": round(end - self.started, 1),
            "done": self.finished is not None,
            "error": self.error,
        }


class Flights:
    """The jobs, flown one or two at a time in threads."""

    def __init__(self, workers: int = 2):
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="flight")
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()

    def submit(self, request, work: Callable[[Job], str] | None = None) -> str:
        """Queue ``work(job)`` (default: fly the what-if); it returns the page's HTML."""
        job_id = uuid.uuid4().hex
        with self.lock:
            self.jobs[job_id] = Job(request)
            for old in list(self.jobs)[:-KEEP_JOBS]:
                del self.jobs[old]
        self.pool.submit(self._run, job_id, work or fly_page)
        return job_id

    def _run(self, job_id: str, work: Callable[[Job], str]) -> None:
        job = self.jobs[job_id]
        try:
            job.html = work(job)
        except MarsprobeError as exc:
            job.error = str(exc)
        except Exception as exc:  # noqa: BLE001  (a crash in a flight must not take the server)
            job.error = f"the flight failed unexpectedly: {type(exc).__name__}: {exc}"
        finally:
            job.stage = "done"
            job.finished = time.monotonic()


def fly_page(job: Job) -> str:
    """Fly a what-if (:class:`whatif.WhatIf`) and render its page."""
    from marsprobe import catalog
    from marsprobe.report.lander_studies import add_studies
    from marsprobe.report.mission_data import gather
    from marsprobe.report.pages import render_mission

    req = job.request
    job.stage = "flying"
    mission = whatif.apply(catalog.load(req.slug), req.overrides)
    data = gather(mission, req.without, counterfactuals=False)
    add_studies(data, corridor_too=False)  # the ellipse costs a fraction of a second
    job.stage = "drawing"
    return render_mission(
        data, "/plotly.min.js", "/", template="served.html", extra=form_context(req)
    )


def form_context(req: whatif.WhatIf | None, slug: str | None = None) -> dict[str, Any]:
    """What the form shows: the mission's faults and knobs, ticked as in ``req``."""
    from marsprobe import catalog

    mission = catalog.load(req.slug if req else slug)
    return {
        "form_slug": mission.slug,
        "form_faults": whatif.fault_ids(mission),
        "form_without": list(req.without) if req else [],
        "form_knobs": whatif.knobs_of(mission),
        "form_values": dict(req.overrides) if isinstance(req, whatif.WhatIf) else {},
        "sweep_points": whatif.MAX_SWEEP_POINTS,
        "sweep_values": (
            {"parameter": req.knob, "low": req.low, "high": req.high, "points": req.points}
            if isinstance(req, whatif.SweepRequest)
            else {"parameter": "", "low": "", "high": "", "points": 7}
        ),
    }


@lru_cache(maxsize=1)
def _plotly() -> str:
    from marsprobe.report.interactive import plotly_js

    return plotly_js()


def create_app(workers: int = 2):
    """The web application (Starlette)."""
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
    from starlette.routing import Route

    from marsprobe.report.pages import environment

    flights = Flights(workers)

    def page(name: str, status: int = 200, **context) -> HTMLResponse:
        html = environment().get_template(name).render(plotly_src="", home="/", **context)
        return HTMLResponse(html, status_code=status)

    def bad(message: str, status: int = 400) -> HTMLResponse:
        return page("served_error.html", status, message=message)

    async def home(request):
        from marsprobe import catalog

        return page("served_index.html", missions=catalog.all_missions())

    async def mission(request):
        from marsprobe import catalog

        slug = request.path_params["slug"]
        if slug not in catalog.slugs():
            return bad(f"unknown mission '{slug[:60]}'", 404)
        return page("served_form.html", mission=catalog.load(slug), **form_context(None, slug))

    async def fly(request):
        try:
            req = whatif.parse(list(request.query_params.multi_items()))
        except MarsprobeError as exc:
            return bad(str(exc))
        return RedirectResponse(f"/run/{flights.submit(req)}", status_code=303)

    async def sweep(request):
        from marsprobe.report.served_sweep import sweep_page

        try:
            req = whatif.parse_sweep(list(request.query_params.multi_items()))
        except MarsprobeError as exc:
            return bad(str(exc))
        work = functools.partial(sweep_page, form=form_context(req))
        return RedirectResponse(f"/run/{flights.submit(req, work)}", status_code=303)

    def job_of(request):
        job_id = request.path_params["job"]
        return flights.jobs.get(job_id) if JOB_ID.fullmatch(job_id) else None

    async def run(request):
        job = job_of(request)
        if job is None:
            return bad("no such flight (finished flights are kept for a while only)", 404)
        if job.finished is None:
            return page(
                "served_progress.html", job=job, progress=job.status(), mission=job.request.slug
            )
        if job.error:
            return bad(job.error, 422)
        return HTMLResponse(job.html)

    async def status(request):
        job = job_of(request)
        if job is None:
            return JSONResponse({"error": "no such flight"}, status_code=404)
        return JSONResponse(job.status())

    async def plotly(request):
        return Response(
            _plotly(), media_type="text/javascript", headers={"Cache-Control": "max-age=86400"}
        )

    routes = [
        Route("/", home),
        Route("/mission/{slug}", mission),
        Route("/fly", fly),
        Route("/sweep", sweep),
        Route("/run/{job}", run),
        Route("/run/{job}/status", status),
        Route("/plotly.min.js", plotly),
    ]
    app = Starlette(routes=routes)
    app.state.flights = flights
    return app
