"""marsprobe: re-fly planetary probe missions in software, from the pad to the surface."""

__version__ = "0.1.0"
