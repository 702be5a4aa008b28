"""marsprobe: re-fly planetary probe missions in software, from the pad to the surface.

The front door is :mod:`marsprobe.api`, whose functions are reachable from here
(``marsprobe.load``, ``marsprobe.replay``, ``marsprobe.compare``,
``marsprobe.flight_sequence``, ``marsprobe.orders``, ``marsprobe.flight_plan``,
``marsprobe.missions``, ``marsprobe.slugs``). They are imported on first use, so that
``import marsprobe`` loads nothing of the physics. (``marsprobe.sequence`` is the flight
computer's package.)
"""

__version__ = "0.1.0"

_API = (
    "compare",
    "flight_plan",
    "flight_sequence",
    "load",
    "missions",
    "orders",
    "replay",
    "slugs",
)


def __getattr__(name: str):
    if name in _API:
        from marsprobe import api

        return getattr(api, name)
    raise AttributeError(f"module 'marsprobe' has no attribute '{name}'")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
