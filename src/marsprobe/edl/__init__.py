"""Entry, descent and landing at Mars: atmosphere models, vehicles as data, and a compiled
batch integrator with per-trajectory phases, triggers and fault hooks.

Public API::

    from marsprobe.edl import EntryState, fly, load_vehicle, atmosphere
    res = fly(EntryState(...arrays...), "m71", atmosphere="dust-storm-1971",
              dispersions={"main_chute_enabled": 0})
    res.event_list(0), res.touchdown(0), res.columns()

See :mod:`marsprobe.edl.fly` (conventions), :mod:`marsprobe.edl.vehicle` (the TOML schema),
:mod:`marsprobe.edl.params` (every per-trajectory parameter), :mod:`marsprobe.edl.kernel`
(equations and step control), :mod:`marsprobe.edl.datum` (what altitudes are measured from:
everything is converted to the height above the reference ellipsoid on load) and
:mod:`marsprobe.edl.sites` (landing sites and the terrain a descent meets).
"""

from marsprobe.edl import atmosphere
from marsprobe.edl.fly import EDLResult, EntryState, fly
from marsprobe.edl.params import PARAM_NAMES, sample_dispersions
from marsprobe.edl.vehicle import Vehicle, builtin_vehicles, load_vehicle

__all__ = [
    "EDLResult",
    "EntryState",
    "PARAM_NAMES",
    "Vehicle",
    "atmosphere",
    "builtin_vehicles",
    "fly",
    "load_vehicle",
    "sample_dispersions",
]
