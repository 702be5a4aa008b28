"""Landing sites as data (``data/sites.toml``): where a descent meets the ground.

Each site gives its terrain height on a declared datum, converted on load to the height above
the reference ellipsoid that the EDL kernel's ``ground_altitude_m`` takes
(:mod:`marsprobe.edl.datum`). Every height is sourced or marked chosen with a reason.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources

from marsprobe.edl.datum import DATUMS, height_above_ellipsoid
from marsprobe.errors import CatalogError, InputError


@dataclass(frozen=True)
class Site:
    """A landing site: planetocentric latitude, east longitude (deg), terrain height."""

    id: str
    name: str
    lat_deg: float
    lon_deg: float
    height_m: float
    datum: str
    basis: str  # the source, or "chosen: <reason>"

    @property
    def ground_altitude_m(self) -> float:
        """Terrain height above the reference ellipsoid, m."""
        return height_above_ellipsoid(self.height_m, self.datum, self.lat_deg)


@functools.cache
def sites() -> dict[str, Site]:
    text = resources.files("marsprobe.edl").joinpath("data/sites.toml").read_text("utf-8")
    out = {}
    for sid, row in tomllib.loads(text).items():
        basis = row.get("source") or (f"chosen: {row['chosen']}" if row.get("chosen") else None)
        if basis is None or row.get("datum") not in DATUMS:
            raise CatalogError(f"edl/data/sites.toml [{sid}]: needs a datum and a source or chosen")
        out[sid] = Site(
            sid, row["name"], row["lat_deg"], row["lon_deg"], row["height_m"], row["datum"], basis
        )
    return out


def site(site_id: str) -> Site:
    """The site ``site_id``; an unknown id names the accepted ones."""
    found = sites().get(site_id)
    if found is None:
        raise InputError(f"unknown landing site {site_id!r}: accepted are {', '.join(sites())}")
    return found
