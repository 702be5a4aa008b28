"""Altitude datums (marsprobe.edl.datum), landing sites and where a descent meets the ground."""

from __future__ import annotations

import numpy as np
import pytest

from marsprobe.constants import GM_MARS, J2_MARS, OMEGA_MARS
from marsprobe.edl import EntryState, fly
from marsprobe.edl.datum import areoid_radius, height_above_ellipsoid
from marsprobe.edl.geometry import ellipsoid_radius
from marsprobe.edl.sites import site, sites
from marsprobe.errors import InputError


def test_zonal_areoid_against_first_order_theory():
    # Smith et al. 2001: the MOLA areoid's mean equatorial radius is 3396.000 km. Clairaut's
    # first-order flattening of an equipotential, f = 3/2 J2 + m/2 with m = w^2 a^3 / GM, gives
    # the polar radius; the f^2 terms left out are ~0.1 km.
    a = 3396.0e3
    assert areoid_radius(0.0) == pytest.approx(a, abs=1e-3)
    f = 1.5 * J2_MARS + 0.5 * OMEGA_MARS**2 * a**3 / GM_MARS
    assert areoid_radius(90.0) == pytest.approx(a * (1 - f), abs=100.0)
    assert areoid_radius(-30.0) == pytest.approx(areoid_radius(30.0), abs=1e-6)


def test_datums_convert_to_the_ellipsoid():
    lat = 22.27
    ell = float(ellipsoid_radius(np.radians(lat)))
    assert height_above_ellipsoid(-3500.0, "ellipsoid", lat) == -3500.0
    assert height_above_ellipsoid(ell + 100.0, "radius", lat) == pytest.approx(100.0, abs=1e-6)
    areoid = height_above_ellipsoid(0.0, "areoid", lat)
    assert areoid == pytest.approx(float(areoid_radius(lat)) - ell, abs=1e-6)
    with pytest.raises(InputError, match="accepted are ellipsoid, areoid, radius"):
        height_above_ellipsoid(0.0, "geoid", lat)


def test_sites_say_their_datum_and_source():
    for s in sites().values():
        assert s.datum in ("ellipsoid", "areoid", "radius") and s.basis
    # PDS edlddrds: the Pathfinder site radius is 3389.72 km
    mpf = site("pathfinder")
    assert mpf.ground_altitude_m + ellipsoid_radius(np.radians(19.13)) == pytest.approx(3389.72e3)
    with pytest.raises(InputError, match="unknown landing site"):
        site("olympus-mons")


def test_viking_1_touches_down_on_its_terrain_not_on_the_ellipsoid():
    # The mission file names its site; the descent ends on the site's terrain, where the
    # radar altimeter measured from.
    from marsprobe.catalog import load
    from marsprobe.mission.descent import fly_descent
    from marsprobe.mission.entry import entry_for

    params, entry = entry_for(load("viking-1"))
    ground = site("viking-1").ground_altitude_m
    assert params.set["ground_altitude_m"] == pytest.approx(ground)
    assert ground < -3000.0  # Braun & Manning 2007: the site is 3.5 km below the areoid
    d = fly_descent(entry, params)
    td = next(e for e in d.events if e["name"] == "touchdown")
    assert td["altitude_m"] == pytest.approx(ground, abs=1.0)
    main = next(e for e in d.events if e["name"] == "main_chute")
    assert main["altitude_m"] == pytest.approx(ground + 5790.0, abs=5.0)  # radar trigger


def test_an_entry_altitude_can_be_given_as_a_radius():
    from marsprobe.mission.descent import EdlParams

    lat = 22.6303
    p = EdlParams(
        vehicle="pathfinder",
        entry_altitude_km=3522.2,
        entry_datum="radius",
        entry_speed_km_s=7.48,
        entry_fpa_deg=-13.65,
        entry_heading_deg=253.7,
        entry_lat_deg=lat,
        entry_lon_deg=-21.8,
    )
    h = 3522.2e3 - float(ellipsoid_radius(np.radians(lat)))
    assert p.design_entry().altitude_m == pytest.approx(h)


def test_pathfinder_parachute_speed_with_and_without_the_archive_datum():
    # Issue 16: Spencer et al.'s entry radius and the PDS atmosphere profile differ by 1.202 km
    # in datum (Tacode's finding from the measured accelerations). Flown with the entry radius
    # as published, the probe meets the profile 1.2 km too low and reaches the mortar fire
    # (169.6 s) 15 m/s (4 %) slow; on the archive's datum it reaches the reconstruction's
    # 387.7 m/s (Spencer et al. table 2) within 2 m/s (the Cd trace's own scatter).
    from marsprobe.analysis.validation.edl_figures import pathfinder_entry

    ground = site("pathfinder").ground_altitude_m
    speed = {}
    for archive in (True, False):
        state = EntryState.single(**pathfinder_entry(archive_datum=archive))
        r = fly(state, "pathfinder", dispersions={"ground_altitude_m": ground})
        speed[archive] = r.event("main_chute", "speed_m_s")[0]
    assert speed[True] == pytest.approx(387.7, abs=2.0)
    assert speed[True] - speed[False] == pytest.approx(15.0, abs=3.0)
