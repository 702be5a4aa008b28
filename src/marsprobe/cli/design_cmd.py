"""``marsprobe design``: the tools that compute a flight's pre-flight values.

``guidance``: each launch's pitch programme (:mod:`marsprobe.analysis.guidance_design`);
``escape``: each escape stage's timer, held attitude and launch targets
(:mod:`marsprobe.analysis.escape_design`, run after the guidance). ``--write`` stores the
values in the mission files and declares them generated in the tables' ``roles``.
"""

from __future__ import annotations

import click


@click.group()
def design():
    """Compute a flight's pre-flight values (guidance, escape)."""


@design.command()
@click.argument("slugs", nargs=-1, required=True)
@click.option("--write", is_flag=True, help="Store the constants in the mission files.")
@click.option("--replay", is_flag=True, help="Fly the stored constants instead.")
def guidance(slugs, write, replay):
    """The pitch programme of SLUGS' launches (or 'all')."""
    from marsprobe.analysis.guidance_design import run

    run(list(slugs), write=write, replay=replay, echo=lambda t: click.echo(t))


@design.command()
@click.argument("slugs", nargs=-1, required=True)
@click.option("--write", is_flag=True, help="Store the values in the mission files.")
@click.option("-v", "--verbose", is_flag=True)
def escape(slugs, write, verbose):
    """The escape timer, held attitude and launch targets of SLUGS (or 'all')."""
    from marsprobe.analysis.escape_design import run

    run(list(slugs), write=write, verbose=verbose, echo=lambda t: click.echo(t))
