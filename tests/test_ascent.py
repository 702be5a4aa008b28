"""Ascent kernels: atmosphere, launch geometry, engine-out authority, the escape conic and
the integrator's convergence."""

from __future__ import annotations

import math

import numpy as np
import pytest

from marsprobe.ascent import atmosphere
from marsprobe.ascent.escape import hyperbola, required_velocity
from marsprobe.ascent.faults import engine_out_torques, gimbal_effectiveness
from marsprobe.ascent.guidance import launch_azimuths
from marsprobe.ascent.library import load_vehicle
from marsprobe.constants import GM_EARTH, R_EARTH


def test_atmosphere_matches_the_1976_standard_table():
    # U.S. Standard Atmosphere 1976, Table I (geometric altitude): sea level 1.2250 kg/m^3,
    # 101325 Pa, 340.29 m/s; 10 km 0.41351 kg/m^3, 26500 Pa; 50 km 1.0269e-3 kg/m^3.
    # Below 81 km the values are ambiance's, interpolated in log density on a 50 m grid:
    # 0.1 % covers it.
    assert atmosphere.density(0.0) == pytest.approx(1.2250, rel=1e-3)
    assert atmosphere.pressure(0.0) == pytest.approx(101325.0, rel=1e-3)
    assert atmosphere.speed_of_sound(0.0) == pytest.approx(340.29, rel=1e-3)
    assert atmosphere.density(10_000.0) == pytest.approx(0.41351, rel=1e-3)
    assert atmosphere.pressure(10_000.0) == pytest.approx(26500.0, rel=1e-3)
    assert atmosphere.density(50_000.0) == pytest.approx(1.0269e-3, rel=1e-3)
    # above ambiance's ceiling, the 1976 table itself: 100 km 5.604e-7, 200 km 2.541e-10
    assert atmosphere.density(100e3) == pytest.approx(5.604e-7, rel=1e-6)
    assert atmosphere.density(200e3) == pytest.approx(2.541e-10, rel=1e-6)
    assert atmosphere.pressure(120e3) == 0.0


def test_launch_azimuth_satisfies_spherical_trigonometry():
    # cos i = cos(lat) sin(azimuth) for the inertial azimuth (e.g. Curtis 2009, eq. 4.46);
    # the ground-relative azimuth is turned towards north by the pad's eastward speed.
    lat = math.radians(45.92)
    for inc in (51.5, 65.0):
        beta, beta_rel = launch_azimuths(lat, math.radians(inc), 7800.0, R_EARTH)
        assert math.cos(lat) * math.sin(beta) == pytest.approx(
            math.cos(math.radians(inc)), abs=1e-12
        )
        assert beta_rel < beta
    with pytest.raises(ValueError, match="below the pad latitude"):
        launch_azimuths(lat, math.radians(30.0), 7800.0, R_EARTH)


def test_proton_engine_out_authority():
    # Six engines at 60 deg spacing swivelling tangentially: with one out, four of the five
    # left act at |sin 60| and one at sin 180 = 0, so the sum is 4 x 0.866 = 3.464.
    stage = load_vehicle("proton-k-d").stages[0]
    assert gimbal_effectiveness(stage, 1) == pytest.approx(4 * math.sin(math.radians(60)))
    dist, corr = engine_out_torques(stage, 1, 101325.0, 20.0)
    # disturbance = one engine's sea-level thrust x its 2.85 m offset
    assert dist == pytest.approx(stage.thrust(101325.0) / 6 * 2.85)
    assert corr > dist  # the Proton could hold its attitude on five engines


@pytest.mark.parametrize("c3_km2", [0.5, 8.4, 16.0])
def test_required_velocity_leaves_on_the_wanted_asymptote(c3_km2):
    # The closed-form conic through r with excess v_inf, checked by an independent route:
    # the osculating hyperbola of (r, v_req) (Laplace vector construction) must have the
    # same C3 and asymptote to round-off.
    rng = np.random.default_rng(7)
    for _ in range(5):
        r = rng.normal(size=3)
        r *= (R_EARTH + 200e3) / np.linalg.norm(r)
        u = rng.normal(size=3)
        v_inf = u / np.linalg.norm(u) * math.sqrt(c3_km2) * 1e3
        v = required_velocity(r, v_inf)
        c3, v_inf_back = hyperbola(r, v)
        assert c3 == pytest.approx(c3_km2 * 1e6, rel=1e-9)
        np.testing.assert_allclose(v_inf_back, v_inf, atol=1e-6 * np.linalg.norm(v_inf))
    # v_inf -> 0: parabolic escape speed sqrt(2 mu / r)
    r = np.array([R_EARTH + 200e3, 0.0, 0.0])
    v = required_velocity(r, np.array([0.0, 1e-3, 0.0]))
    assert np.linalg.norm(v) == pytest.approx(math.sqrt(2 * GM_EARTH / r[0]), rel=1e-6)


def test_drop_section_burns_from_the_sustainer_tanks():
    # The Atlas's booster engines draw from the sustainer's tanks until their cut-off; the
    # section then falls away with no propellant of its own. Check the book-keeping: at
    # booster cut-off the tank holds its load less both flows over that time (to the
    # integrator's 1 g tolerance), and the mass drops by the section's dry mass.
    from marsprobe.ascent.flight import fly
    from marsprobe.ascent.library import load_site
    from marsprobe.ascent.tuning import Target, make_plan
    from marsprobe.time import tdb_from_utc

    veh = load_vehicle("atlas-agena-d")
    booster, sustainer = veh.stages[:2]
    target = Target(185e3, 186e3, math.radians(30.0))
    plan, r0, v0, _th = make_plan(
        veh, load_site("Cape Canaveral", "LC-12"), tdb_from_utc("1964-11-28T14:22:01Z"), target
    )
    res = fly(veh, plan, r0, v0, 261.0, target_energy=target.energy, stop_at=booster.cutoff_t + 1)
    assert res.event("engine_cutoff").t == pytest.approx(booster.cutoff_t)
    drawn = (booster.mdot + sustainer.mdot) * booster.cutoff_t + sustainer.mdot * 1.0
    assert res.stage_propellant[1] == pytest.approx(sustainer.propellant_mass - drawn, abs=1e-2)
    lost = veh.gross_mass + 261.0 - res.mass - drawn
    assert lost == pytest.approx(booster.dry_mass, abs=1e-2)


def test_ascent_integration_has_converged(monkeypatch):
    # Same flight at the production tolerance and 100x tighter: the cut-off state must
    # agree to metres (DOP853's error at rtol 1e-9 over a 10-minute ascent).
    from marsprobe.ascent import flight
    from marsprobe.mission.launch import draft, identity, nominal_launch

    vehicle, payload, params, _e, _f = draft("mars-3")
    launch = nominal_launch(*identity("mars-3"), vehicle, payload, params)
    veh = load_vehicle("proton-k-d")
    base = flight.fly(
        veh, launch.plan, launch.r0, launch.v0, launch.payload, target_energy=launch.target.energy
    )
    monkeypatch.setattr(flight, "_RTOL", 1e-11)
    monkeypatch.setattr(flight, "_ATOL", flight._ATOL * 1e-2)
    tight = flight.fly(
        veh, launch.plan, launch.r0, launch.v0, launch.payload, target_energy=launch.target.energy
    )
    assert np.linalg.norm(base.r - tight.r) < 5.0  # m
    assert np.linalg.norm(base.v - tight.v) < 5e-3  # m/s
