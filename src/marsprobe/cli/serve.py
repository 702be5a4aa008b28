"""``marsprobe serve``: the report and a what-if form, served on this machine."""

from __future__ import annotations

import click


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind (the default serves this machine only).",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    help="TCP port.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 8),
    default=2,
    show_default=True,
    help="Flights (or sweeps) flown at once.",
)
def serve(host, port, workers):
    """Serve the mission pages and a form to fly a mission with its faults on or off, its
    entry angle, escape timer or parachute drag area changed, or one of them swept over a
    range (at most 25 flights) to see where the outcome changes."""
    import uvicorn

    from marsprobe.report.web import create_app

    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"marsprobe: serving on {host}: anyone who can reach it can fly missions "
            "on this machine",
            err=True,
        )
    click.echo(f"marsprobe: serving on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    uvicorn.run(create_app(workers), host=host, port=port, log_level="warning")
