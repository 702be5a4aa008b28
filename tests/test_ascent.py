"""Ascent kernels: atmosphere, launch geometry, engine-out authority, the escape conic, the
parking-orbit coast, the aimed and the tumbling escape burns, and the integrator's
convergence."""

from __future__ import annotations

import math

import numpy as np
import pytest

from marsprobe.ascent import atmosphere
from marsprobe.ascent.escape import (
    aim_angles,
    angle_deg,
    attitude,
    coast,
    escape_burn,
    hyperbola,
    required_velocity,
)
from marsprobe.ascent.faults import engine_out_torques, gimbal_effectiveness
from marsprobe.ascent.guidance import launch_azimuths
from marsprobe.ascent.library import load_vehicle
from marsprobe.constants import GM_EARTH, J2_EARTH, R_EARTH


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


def test_shipped_1976_table_is_ambiances():
    # The table the ascent reads (ascent/data/us1976_50m.npz) is ambiance's numbers,
    # unchanged: exact equality (rewrite it with `python -m marsprobe.ascent.atmosphere` if a
    # new ambiance changes them).
    built = atmosphere.build_table()
    h_all, log_rho, p, a = atmosphere._table()
    n = built["altitude_m"].size
    assert np.array_equal(h_all[:n], built["altitude_m"])
    assert np.array_equal(log_rho[:n], np.log(built["density"]))
    assert np.array_equal(p, built["pressure"])
    assert np.array_equal(a, built["speed_of_sound"])


def test_scalar_lookups_are_numpys_to_the_bit():
    # The ascent's scalar path (atmosphere.interp on lists) must give what np.interp gives on
    # the same table, bit for bit: random heights, the grid nodes and the ends of the table.
    rng = np.random.default_rng(14)
    h_all, log_rho, p, a = atmosphere._table()
    heights = np.concatenate([rng.uniform(-6e3, 1.1e6, 3000), h_all, [81e3, 1e6, 2e6, -9e3]])
    for h in heights.tolist():
        want_rho = 0.0 if h > h_all[-1] else float(np.exp(np.interp(h, h_all, log_rho)))
        want_p = 0.0 if h > 81e3 else float(np.interp(h, h_all[: p.size], p))
        assert atmosphere.density(h) == want_rho
        assert atmosphere.pressure(h) == want_p
        assert atmosphere.speed_of_sound(h) == float(np.interp(h, h_all[: a.size], a))
    xs, ys = [0.0, 0.6, 0.9, 1.05, 2.0], [0.3, 0.3, 0.38, 0.55, 0.42]
    for x in rng.uniform(-1.0, 3.0, 2000).tolist() + xs:
        assert atmosphere.interp(x, xs, ys) == float(np.interp(x, xs, ys))


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
    from marsprobe.analysis.guidance_design import launch_inputs
    from marsprobe.ascent import flight
    from marsprobe.mission.launch import nominal_launch

    launch = nominal_launch(*launch_inputs("mars-3", faults=False).ascent)
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


def _circular(alt_m: float, inc_deg: float):
    """State (m, m/s) on a circular orbit at the ascending node, ascent frame."""
    r = R_EARTH + alt_m
    i = math.radians(inc_deg)
    v = math.sqrt(GM_EARTH / r)
    return np.array([r, 0.0, 0.0]), np.array([0.0, v * math.cos(i), v * math.sin(i)])


def test_coast_turns_the_plane_at_the_j2_nodal_rate():
    # Secular regression of the node under J2: dOmega/dt = -3/2 n J2 (R/p)^2 cos i
    # (Vallado 2013, eq. 9-41). One day on a 200 km, 51.6 deg orbit (about -5 deg): the
    # short-period terms the secular rate leaves out are of order J2 (R/a)^2 ~ 0.1 % of a
    # radian over an orbit, so 2 % of the day's turn.
    r0, v0 = _circular(200e3, 51.6)
    a = float(np.linalg.norm(r0))
    n = math.sqrt(GM_EARTH / a**3)
    rate = -1.5 * n * J2_EARTH * (R_EARTH / a) ** 2 * math.cos(math.radians(51.6))
    # node measured at the same phase: whole orbits of the nodal period are not needed for
    # the plane's normal, which carries the node whatever the phase
    r, v = coast(r0, v0, 86400.0)
    h = np.cross(r, v)
    node = math.atan2(h[0], -h[1])
    assert node == pytest.approx(rate * 86400.0, rel=0.02)


def test_aim_angles_recover_a_known_attitude():
    # Round trip through the finite burn: a Block D burn held at pitch -15 deg, yaw 5 deg
    # leaves on some asymptote; asked for that asymptote, the Newton solver must find the
    # attitude again (to 1e-6 rad: the forward-difference Jacobian's step is 1e-6 rad and
    # the miss tolerance 1e-9, so the attitude is found to far better than that).
    stage = load_vehicle("proton-k-d").stages[-1]
    r0, v0 = _circular(165e3, 51.4)
    mass = stage.dry_mass + stage.propellant_mass + 4650.0
    c3 = 8.4e6

    def shoot(c, pitch, yaw):
        r, v = coast(r0, v0, c)
        b = escape_burn(
            stage,
            2 * stage.propellant_mass,
            r,
            v,
            mass,
            [math.sqrt(c3), 0, 0],
            attitude=attitude(r, v, pitch, yaw),
        )
        return b.propellant_used, b.v_inf

    truth = (math.radians(-15.0), math.radians(5.0))
    _used, v_inf = shoot(600.0, *truth)
    aim = aim_angles(shoot, v_inf / np.linalg.norm(v_inf), 600.0, (math.radians(-5.0), 0.0))
    assert aim.pitch == pytest.approx(truth[0], abs=1e-6)
    assert aim.yaw == pytest.approx(truth[1], abs=1e-6)
    assert angle_deg(aim.v_inf, v_inf) < 1e-5  # acos near 0 resolves ~1e-8 rad


def test_tumbling_burn_averages_out():
    # A stage that fires while it tumbles: the thrust turns at w(t) = w0 + alpha t in the
    # orbit plane. Integrating by parts, the net velocity change of a turning thrust of
    # acceleration a(t) is bounded by
    #     |int a e^(i theta) dt| <= a0/w0 + aT/wT + int |d(a/w)/dt| dt,
    # (whole turns cancel; what is left is set by the ends), independent of the
    # integrator. Block L (Cosmos 21's stage) with its 3MV craft from a 200 km orbit at the
    # defaults of EscapeParams (20 deg/s, spun up at 1.5 deg/s^2). Gravity acts differently
    # on the displaced path (a few km over the 230 s burn, a metre per second): 5 m/s slack.
    stage = load_vehicle("molniya-8k78").stages[-1]
    r0, v0 = _circular(200e3, 64.8)
    mass = stage.dry_mass + stage.propellant_mass + 800.0
    w0, alpha = math.radians(20.0), math.radians(1.5)
    b = escape_burn(
        stage,
        stage.propellant_mass,
        r0,
        v0,
        mass,
        None,
        tumble_rate_deg_s=20.0,
        tumble_spinup_deg_s2=1.5,
    )
    assert b.reason == "depleted"
    _r, v_coast = coast(r0, v0, b.t)
    net = float(np.linalg.norm(b.v - v_coast))
    t = np.linspace(0.0, b.t, 20001)
    ratio = stage.thrust_vac / (mass - stage.mdot * t) / (w0 + alpha * t)
    bound = ratio[0] + ratio[-1] + float(np.sum(np.abs(np.diff(ratio))))
    assert net < bound + 5.0
    # held still, the same burn gives its whole ideal velocity: the tumble leaves < 2 % of it
    assert net < 0.02 * b.dv_ideal
