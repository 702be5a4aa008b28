"""The one exception family of marsprobe.

Every error a user can cause (a wrong slug, a malformed file, an impossible
date, a negative mass) is a :class:`MarsprobeError`. Its message says what was
wrong and what is accepted, in one line, because the command line prints it
as is and exits with status 2.
"""


class MarsprobeError(Exception):
    """Base of every error marsprobe raises on purpose."""


class InputError(MarsprobeError, ValueError):
    """A value given by the user (argument, option, date, mass) is not acceptable."""


class UnknownMissionError(InputError, KeyError):
    """A mission slug that is not in the catalog."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class CatalogError(MarsprobeError):
    """A catalog or scenario file that cannot be read or does not fit the schema."""


class ScenarioError(CatalogError):
    """A scenario (mission, Monte Carlo or campaign file) that does not fit its schema."""


class EphemerisRangeError(InputError):
    """An epoch outside the span the ephemeris covers."""


class ConvergenceError(MarsprobeError):
    """A solver that did not converge where the caller required it to."""


class ComputeError(MarsprobeError):
    """The machinery that computes went away: a worker process died, a scheduler was lost."""


class CouldNotFly(ConvergenceError):
    """A replay that could not be flown: a solver failed in one of its phases. Never an
    outcome class: the message names the mission, the phase and what failed."""
