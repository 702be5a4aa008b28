"""The cruise propagator (marsprobe.orbits.nbody): ephemeris sampling, the two-body limit
against Kepler, conserved quantities, the change of central body, tolerances, batches."""

from __future__ import annotations

import math

import numpy as np
import pytest

from marsprobe import constants as c
from marsprobe.ephemeris import state
from marsprobe.errors import InputError
from marsprobe.orbits import nbody
from marsprobe.orbits.kepler import propagate as kepler
from marsprobe.time import tdb_from_utc

T0 = tdb_from_utc("1971-06-01")
DAY = c.DAY_S


@pytest.fixture(scope="module")
def eph():
    return nbody.SampledEphemeris(T0 - 5 * DAY, T0 + 220 * DAY)


def test_sampled_ephemeris_matches_de421(eph):
    # Reference: DE421 read directly (marsprobe.ephemeris). Bound: h^4 |x''''| / 384 for cubic
    # Hermite at the 6 h step: 11 m for a circular lunar orbit, ~17 m at perigee where the
    # Moon (e = 0.055) runs 12 % faster and the bound grows as the fourth power.
    ts = T0 + np.linspace(0.3, 210.7, 37) * DAY
    # Mercury (e = 0.21) is 1.5 times faster at perihelion than on average: up to ~80 m;
    # its pull on a Mars-bound craft changes by 1e-9 of itself for that.
    for body, center, tol_m in [
        ("moon", "earth", 20.0),
        ("earth", "sun", 1.0),
        ("mars", "sun", 1.0),
        ("mercury", "sun", 100.0),
    ]:
        for t in ts:
            want, want_v = state(body, t, center)
            got, got_v = nbody.body_state(eph, body, t, center)
            assert np.linalg.norm(got - want) < tol_m, (body, t)
            # velocity error of the differentiated Hermite polynomial, same order / step
            assert np.linalg.norm(got_v - want_v) < 1e-2, (body, t)


def test_sun_only_flight_is_the_kepler_conic():
    # Reference: the universal-variable Kepler solution (marsprobe.orbits.kepler), an
    # independent two-body solver. 200 days of a Mars transfer: DOP853 at RTOL keeps the
    # position to metres (the tolerance sets ~1e-11 relative per step over ~100 steps).
    sun = nbody.SampledEphemeris(T0, T0 + 201 * DAY, bodies=("sun",))
    r0, v0 = state("earth", T0)
    v0 = v0 * 1.1
    t, r, v, stop, _ = nbody.propagate(T0, r0, v0, T0 + 200 * DAY, "sun", sun)
    rk, vk = kepler(r0, v0, 200 * DAY, c.GM_SUN)
    assert stop is None and t == T0 + 200 * DAY
    assert np.linalg.norm(r[0] - rk) < 20.0  # m, out of 3e11 m travelled
    assert np.linalg.norm(v[0] - vk) < 1e-5  # m/s


def test_mars_hyperbola_keeps_its_energy_and_matches_kepler():
    # Two-body about Mars only (its J2 off): the energy is a constant of the motion, and the
    # Kepler solution is exact. A 1,400 km flyby at 2.9 km/s over four days.
    mars = nbody.SampledEphemeris(T0, T0 + 5 * DAY, bodies=("mars",))
    rp = c.R_MARS + 1.4e6
    vp = math.sqrt(2.9e3**2 + 2 * c.GM_MARS / rp)
    r0, v0 = kepler(np.array([rp, 0, 0]), np.array([0, vp, 0]), -2 * DAY, c.GM_MARS)
    t, r, v, _, _ = nbody.propagate(T0, r0, v0, T0 + 4 * DAY, "mars", mars, oblate=False)
    energy = [
        0.5 * np.dot(v0, v0) - c.GM_MARS / np.linalg.norm(r0),
        0.5 * np.dot(v[0], v[0]) - c.GM_MARS / np.linalg.norm(r[0]),
    ]
    assert abs(energy[1] / energy[0] - 1) < 1e-10  # DOP853 at RTOL 1e-11: ~1e-12 seen
    rk, _ = kepler(r0, v0, 4 * DAY, c.GM_MARS)
    assert np.linalg.norm(r[0] - rk) < 1.0  # m


class CircularSystem:
    """A Sun and a Jupiter-mass planet on circular orbits about their barycentre (ICRF xy)."""

    names = ("sun", "jupiter")
    index = {"sun": 0, "jupiter": 1}

    def __init__(self, a_m, mu_sun, mu_planet):
        self.gm = np.array([mu_sun, mu_planet])
        self.a = a_m
        self.n = math.sqrt((mu_sun + mu_planet) / a_m**3)
        self.frac = np.array([-mu_planet, mu_sun]) / (mu_sun + mu_planet)

    def covers(self, t0, t1):
        return True

    def states(self, t):
        u = np.array([math.cos(self.n * t), math.sin(self.n * t), 0.0])
        du = self.n * np.array([-math.sin(self.n * t), math.cos(self.n * t), 0.0])
        return self.a * self.frac[:, None] * u, self.a * self.frac[:, None] * du

    def positions(self, t):
        return self.states(t)[0]


def test_jacobi_constant_of_the_restricted_problem():
    # With the planet on a circular orbit the spacecraft's Jacobi integral in the rotating
    # barycentric frame, C = n^2 (x^2 + y^2) + 2 sum mu_k / r_k - |v_rot|^2, is conserved
    # (Szebehely, "Theory of Orbits", 1967, ch. 1). This checks the heliocentric equation,
    # indirect term included, through a close encounter with the planet.
    sys_ = CircularSystem(5.2 * c.AU_M, c.GM_SUN, c.GM_JUPITER)

    def jacobi(t, r_helio, v_helio):
        p, pv = sys_.states(t)
        rb, vb = r_helio + p[0], v_helio + pv[0]  # barycentric
        w = np.array([0.0, 0.0, sys_.n])
        v_rot = vb - np.cross(w, rb)
        pot = sum(mu / np.linalg.norm(rb - pk) for mu, pk in zip(sys_.gm, p, strict=True))
        return sys_.n**2 * (rb[0] ** 2 + rb[1] ** 2) + 2 * pot - np.dot(v_rot, v_rot)

    t0 = 0.0
    p, pv = sys_.states(t0)
    r0 = (p[1] - p[0]) * 0.97 + np.array([0.0, 0.0, 1e9])
    v0 = (pv[1] - pv[0]) * 0.97
    c0 = jacobi(t0, r0, v0)
    t1 = 4000 * DAY
    t, r, v, _, _ = nbody.propagate(t0, r0, v0, t1, "sun", sys_)
    assert abs(jacobi(t, r[0], v[0]) / c0 - 1) < 1e-9  # conserved to the integration error


def _mars_transfer(eph):
    """Heliocentric state 2 million km ahead of the Earth, 9.5 % faster: bound for Mars."""
    re, ve = state("earth", T0)
    return re + 2e9 * ve / np.linalg.norm(ve), ve * 1.095


def test_change_of_centre_is_only_a_change_of_coordinates(eph, monkeypatch):
    # Where the centre changes must not matter beyond the integration error: doubling the
    # Earth's switching radius moves the state 150 days later by metres. (Without the
    # centre's ephemeris-minus-model acceleration it moved it by 1.9 km: see nbody's
    # docstring.)
    re, ve = state("earth", T0)
    r0, v0 = 5e8 * ve / np.linalg.norm(ve), 0.095 * ve  # inside the Earth's sphere
    a = nbody.fly(T0, r0, v0, T0 + 150 * DAY, "earth", eph)
    monkeypatch.setitem(nbody.SOI, "earth", 2 * c.SOI_EARTH)
    b = nbody.fly(T0, r0, v0, T0 + 150 * DAY, "earth", eph)
    assert a.center == b.center == "sun"
    # ~40 m remain: the lunar and solar positions are interpolated (tens of metres, see above)
    assert np.linalg.norm(a.r - b.r) < 100.0  # m after 150 days and ~2e11 m


def test_tolerance_is_converged_at_the_b_plane(eph):
    # The quantity the cruise targets: the Mars-relative state at closest approach. 100 times
    # tighter tolerances move it by metres, far inside the 100 m targeting tolerance.
    start = T0 + 30 * DAY
    rm, vm = nbody.body_state(eph, "mars", start + 150 * DAY, "sun")
    re, _ = nbody.body_state(eph, "earth", start, "sun")
    from marsprobe.orbits.lambert import lambert

    v1, _, _ = lambert(c.GM_SUN, re + np.array([3e9, 0, 0]), rm + np.array([0, 8e6, 0]), 150 * DAY)
    r0 = re + np.array([3e9, 0, 0])
    stop = [nbody.periapsis_stop("ca", "mars")]
    ends = [
        nbody.fly(start, r0, v1, start + 170 * DAY, "sun", eph, stops=stop, rtol=rt)
        for rt in (nbody.RTOL, nbody.RTOL / 100)
    ]
    assert ends[0].stop == "ca" and ends[0].center == "mars"
    assert np.linalg.norm(ends[0].r - ends[1].r) < 20.0  # m


def test_a_member_flies_the_same_alone_or_in_a_batch(eph):
    # Each member has its own step control, so its batch-mates cannot change a bit of it.
    r0, v0 = _mars_transfer(eph)
    rs = np.array([r0, r0 + 1e3, r0 - 2e3])
    vs = np.array([v0, v0 + 0.1, v0 - 0.2])
    batch = nbody.fly(T0, rs, vs, T0 + 60 * DAY, "sun", eph)
    for k in range(3):
        one = nbody.fly(T0, rs[k], vs[k], T0 + 60 * DAY, "sun", eph)
        assert np.array_equal(batch.r[k], one.r[0]) and np.array_equal(batch.v[k], one.v[0])
    # with a stop, the others end where member 0 stopped, as each would flown to that epoch
    out = [nbody.distance_stop("out", "sun", 1.02 * np.linalg.norm(r0), 1.0)]
    rev = nbody.fly(T0, rs[::-1], vs[::-1], T0 + 60 * DAY, "sun", eph, stops=out)
    alone = nbody.fly(T0, rs[0], vs[0], rev.t, "sun", eph)
    assert rev.stop == "out" and rev.t < T0 + 60 * DAY
    assert np.array_equal(rev.r[2], alone.r[0])


def _scipy_reference(t0, y0, t1, eph, center, rtol, stop=None, thrust=None):
    """The same equations flown by scipy's DOP853 (the integrator the compiled one
    replaced): numpy right-hand side of nbody.acceleration and nbody.oblateness."""
    from scipy.integrate import solve_ivp

    zonal = nbody.OBLATE.get(center)
    pole = nbody.pole_of(center, t0) if zonal else None

    def rhs(t, y):
        a = nbody.acceleration(t, y[None, :3], eph, center)[0]
        if zonal:
            a = a + nbody.oblateness(y[None, :3], pole, *zonal)[0]
        if thrust is not None:
            m = thrust.mass_kg - thrust.mass_flow_kg_s * (t - thrust.t_start)
            a = a - thrust.thrust_n / m * y[3:] / np.linalg.norm(y[3:])
        return np.concatenate([y[3:], a])

    events = None
    if stop is not None:
        events = [stop]
        stop.terminal = True
    atol = [nbody.ATOL_M] * 3 + [nbody.ATOL_M_S] * 3
    sol = solve_ivp(rhs, (t0, t1), y0, "DOP853", rtol=rtol, atol=atol, events=events)
    return sol.t[-1], sol.y[:, -1]


def test_the_compiled_cruise_flies_as_scipys_dop853(eph):
    # Reference: scipy's DOP853 on the numpy statement of the same equations (the integrator
    # the compiled one replaced), both at a tolerance 100 times tighter than the cruise's.
    # Their step sequences part where rounding noise decides the size of an early step (its
    # error estimate is all rounding), so they differ by their integration errors: over this
    # 60-day flight scipy at RTOL and at RTOL / 100 differ by 1.1 m, so at RTOL / 100 each is
    # off by about a tenth of that (2 cm seen between them).
    rtol = nbody.RTOL / 100
    r0, v0 = _mars_transfer(eph)
    y0 = np.concatenate([r0, v0])
    t1 = T0 + 60 * DAY
    _, want = _scipy_reference(T0, y0, t1, eph, "sun", rtol)
    t, r, v, _, _ = nbody.propagate(T0, r0, v0, t1, "sun", eph, rtol=rtol)
    assert np.linalg.norm(r[0] - want[:3]) < 0.2  # m
    assert np.linalg.norm(v[0] - want[3:]) < 1e-7  # m/s

    # About Mars with its J2, to the periapsis of a 1,000 km flyby (a stop), then a braking
    # burn against the velocity to an energy cut-off (the thrust and a second kind of stop).
    rp = c.R_MARS + 1.0e6
    vp = math.sqrt(3.0e3**2 + 2 * c.GM_MARS / rp)
    t0 = T0 + 100 * DAY
    rm0, vm0 = kepler(np.array([0.0, rp, 1e5]), np.array([-vp, 0.0, 300.0]), -DAY, c.GM_MARS)

    def apsis(t, y):
        return float(np.dot(y[:3], y[3:]))

    apsis.direction = 1.0
    ym0 = np.concatenate([rm0, vm0])
    tw, want = _scipy_reference(t0, ym0, t0 + 2 * DAY, eph, "mars", rtol, apsis)
    peri = [nbody.periapsis_stop("p", "mars")]
    t, r, v, stop, _ = nbody.propagate(
        t0, rm0, vm0, t0 + 2 * DAY, "mars", eph, stops=peri, rtol=rtol
    )
    # two days about Mars, its few hundred steps error-controlled: 0.4 mm and 1e-7 s seen
    assert stop == "p" and abs(t - tw) < 1e-4  # s, both locate r.v = 0 to its root
    assert np.linalg.norm(r[0] - want[:3]) < 0.01  # m
    assert np.linalg.norm(v[0] - want[3:]) < 1e-5  # m/s

    burn = nbody.Thrust(4000.0, 3000.0, 1.3, t)
    eps = -c.GM_MARS / (2 * 20e6)

    def cutoff(tt, y):
        return 0.5 * float(np.dot(y[3:], y[3:])) - c.GM_MARS / np.linalg.norm(y[:3]) - eps

    cutoff.direction = -1.0
    y1 = np.concatenate([r[0], v[0]])
    tw, want = _scipy_reference(t, y1, t + 2000.0, eph, "mars", rtol, cutoff, burn)
    stop = [nbody.energy_stop("cut", c.GM_MARS, eps)]
    t2, r2, v2, fired, _ = nbody.propagate(
        t, r[0], v[0], t + 2000, "mars", eph, stops=stop, accel=burn, rtol=rtol
    )
    # a 757 s burn: 0.4 mm and 1e-7 s seen
    assert fired == "cut" and abs(t2 - tw) < 1e-4  # s
    assert np.linalg.norm(r2[0] - want[:3]) < 0.01  # m
    assert np.linalg.norm(v2[0] - want[3:]) < 1e-5  # m/s


def test_flying_back_returns_to_the_start(eph):
    r0, v0 = _mars_transfer(eph)
    out = nbody.fly(T0, r0, v0, T0 + 40 * DAY, "sun", eph)
    back = nbody.fly(out.t, out.r, out.v, T0, out.center, eph, switch=False)
    assert np.linalg.norm(back.r[0] - r0) < 5.0  # m after 80 days there and back


def test_bad_inputs_are_refused(eph):
    with pytest.raises(InputError, match="central body"):
        nbody.propagate(T0, [1e11, 0, 0], [0, 3e4, 0], T0 + DAY, "venus", eph)
    with pytest.raises(InputError, match="does not cover"):
        nbody.propagate(T0, [1e11, 0, 0], [0, 3e4, 0], T0 + 400 * DAY, "sun", eph)
    with pytest.raises(InputError, match="shape"):
        nbody.propagate(T0, [1e11, 0], [0, 3e4, 0], T0 + DAY, "sun", eph)


def test_mars_j2_turns_node_and_periapsis_at_the_secular_rates():
    # Reference: the first-order secular rates of an orbit under J2 (Brouwer 1959; Kozai
    # 1959): dOmega/dt = -3/2 n J2 (R/p)^2 cos i, domega/dt = 3/4 n J2 (R/p)^2 (5 cos^2 i - 1).
    # A 1,500 x 33,000 km orbit at 39.3 deg (Viking 1's) over 29 days, about Mars alone. The
    # osculating elements at the two ends also carry short-period terms: 2 % of the drift.
    from marsprobe.orbits.elements import elements_from_state

    t0 = tdb_from_utc("1976-06-21")
    mars = nbody.SampledEphemeris(t0, t0 + 30 * DAY, bodies=("mars",))
    k = nbody.pole_of("mars", t0)
    x = np.cross(k, [0.0, 0.0, 1.0])
    x /= np.linalg.norm(x)
    y = np.cross(k, x)
    rp, ra, inc = c.R_MARS + 1.5e6, c.R_MARS + 33e6, math.radians(39.3)
    a, w0 = 0.5 * (rp + ra), math.radians(30.0)
    up = math.cos(inc) * y + math.sin(inc) * k
    p_hat = math.cos(w0) * x + math.sin(w0) * up
    q_hat = -math.sin(w0) * x + math.cos(w0) * up
    r0, v0 = rp * p_hat, math.sqrt(c.GM_MARS * (2 / rp - 1 / a)) * q_hat
    span = 29 * DAY
    t, r, v, _, _ = nbody.propagate(t0, r0, v0, t0 + span, "mars", mars)
    axes = np.array([x, y, k])  # Mars' equator and pole at t0
    e0 = elements_from_state(axes @ r0, axes @ v0, c.GM_MARS)
    e1 = elements_from_state(axes @ r[0], axes @ v[0], c.GM_MARS)
    n = math.sqrt(c.GM_MARS / a**3)
    f = n * c.J2_MARS * (c.R_MARS / (a * (1 - ((ra - rp) / (ra + rp)) ** 2))) ** 2 * span

    def turn(a1, a0):
        return (a1 - a0 + math.pi) % (2 * math.pi) - math.pi

    node = turn(e1.raan, e0.raan)
    assert node == pytest.approx(-1.5 * f * math.cos(inc), rel=0.02)
    assert e1.argp - e0.argp == pytest.approx(0.75 * f * (5 * math.cos(inc) ** 2 - 1), rel=0.02)
    # and without it, neither moves (the Sun-less two-body flight)
    _, r2, v2, _, _ = nbody.propagate(t0, r0, v0, t0 + span, "mars", mars, oblate=False)
    e2 = elements_from_state(axes @ r2[0], axes @ v2[0], c.GM_MARS)
    assert abs(turn(e2.raan, e0.raan)) < 1e-9 and abs(turn(e2.argp, e0.argp)) < 1e-7


def test_kept_legs_end_where_the_flight_ends(eph):
    # keep_legs records member 0's accepted steps, one leg per centre (here: out of the
    # Earth's sphere into the Sun's); the last step of the last leg is the end state.
    re, ve = state("earth", T0)
    r0, v0 = 5e8 * ve / np.linalg.norm(ve), 0.095 * ve
    fl = nbody.fly(T0, r0, v0, T0 + 30 * DAY, "earth", eph, keep_legs=True)
    assert [leg.center for leg in fl.legs] == ["earth", "sun"]
    assert fl.legs[0].t[0] == T0 and fl.legs[-1].t[-1] == fl.t
    assert np.array_equal(fl.legs[-1].r[-1, 0], fl.r[0])
