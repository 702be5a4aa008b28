"""The batch integrator: an independent solver, step convergence, faults, and the result API."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from marsprobe.constants import GM_MARS, J2_MARS, OMEGA_MARS, R_MARS
from marsprobe.edl import EntryState, atmosphere, fly, load_vehicle
from marsprobe.edl.geometry import ellipsoid_radius, entry_from_state, state_from_entry
from marsprobe.errors import InputError

VIKING_ENTRY = dict(
    altitude_m=120e3,
    speed_m_s=4420.0,
    fpa_deg=-16.99,
    heading_deg=90.0,
    lat_deg=22.0,
    lon_deg=-48.0,
)
NO_STAGES = {f"{s}_present": 0.0 for s in ("pilot_chute", "main_chute", "jettison", "retro")}


def _inertial_reference(entry, vehicle, bank_deg, h_stop, model):
    """Independent solution: the same physics written in the inertial frame and integrated by
    scipy's DOP853 (atmosphere co-rotating; lift from L/D, bank from the vertical plane)."""
    v = load_vehicle(vehicle)
    mt = np.array(v.aeroshell.cd_mach.mach)
    cdt = np.array(v.aeroshell.cd_mach.cd)
    area = np.pi * (v.aeroshell.diameter_m.value / 2) ** 2
    m = v.aeroshell.mass_kg.value
    ld = v.aeroshell.lift_to_drag.value
    w = np.array([0.0, 0.0, OMEGA_MARS])
    pos, vel = state_from_entry(**entry)
    y0 = np.concatenate([pos[0], vel[0] + np.cross(w, pos[0])])

    def height(r):
        rn = np.linalg.norm(r)
        return rn - ellipsoid_radius(np.arcsin(r[2] / rn))

    def rhs(t, y):
        r, vi = y[:3], y[3:]
        rn = np.linalg.norm(r)
        zr2 = (r[2] / rn) ** 2
        k = 1.5 * J2_MARS * (R_MARS / rn) ** 2
        g = -GM_MARS / rn**3 * r * np.array([1 + k * (1 - 5 * zr2)] * 2 + [1 + k * (3 - 5 * zr2)])
        # the kernel rotates with Mars, so the same body-fixed point is used for the atmosphere
        va = vi - np.cross(w, r)
        s = np.linalg.norm(va)
        h = height(r)
        rho = float(atmosphere.density(h, model))
        mach = s / float(atmosphere.speed_of_sound(h, model))
        q = 0.5 * rho * s * s
        u = va / s
        drag = -q * np.interp(mach, mt, cdt) * area * u
        up = r / rn
        n = up - np.dot(up, u) * u
        n /= np.linalg.norm(n)
        side = np.cross(u, n)
        b = np.radians(bank_deg)
        lift = ld * q * np.interp(mach, mt, cdt) * area * (np.cos(b) * n + np.sin(b) * side)
        return np.concatenate([vi, g + (drag + lift) / m])

    def hit(t, y):
        return height(y[:3]) - h_stop

    hit.terminal = True
    hit.direction = -1
    sol = solve_ivp(rhs, (0, 2000), y0, method="DOP853", rtol=1e-11, atol=1e-6, events=hit)
    yf = sol.y_events[0][0]
    tf = sol.t_events[0][0]
    rel = yf[3:] - np.cross(w, yf[:3])
    c, s = np.cos(OMEGA_MARS * tf), np.sin(OMEGA_MARS * tf)
    rot = np.array([[c, s, 0.0], [-s, c, 0.0], [0.0, 0.0, 1.0]])  # inertial -> body-fixed
    st = entry_from_state(rot @ yf[:3], rot @ rel)
    return tf, st


@pytest.mark.parametrize("bank_deg", [0.0, 60.0])
def test_matches_an_independent_inertial_solver(bank_deg):
    # Lifting Viking-like hypersonic flight to 10 km (no stages) against the independent
    # inertial-frame integration: agreement to 0.05 s, 0.1 m/s and 50 m is what a 1e-4 relative
    # error after ~300 s of RK4 at the default step allows (see the convergence test).
    h_stop = 10e3
    t_ref, st = _inertial_reference(VIKING_ENTRY, "viking1", bank_deg, h_stop, "pathfinder-1997")
    disp = dict(NO_STAGES, bank_deg=bank_deg, ground_altitude_m=h_stop)
    res = fly(EntryState.single(**VIKING_ENTRY), "viking1", dispersions=disp)
    td = res.touchdown(0)
    assert td["t_s"] == pytest.approx(t_ref, abs=0.05)
    assert td["speed_m_s"] == pytest.approx(st["speed_m_s"][0], abs=0.1)
    dlat = np.radians(td["lat_deg"] - st["lat_deg"][0])
    dlon = np.radians(td["lon_deg"] - st["lon_deg"][0]) * np.cos(np.radians(td["lat_deg"]))
    assert np.hypot(dlat, dlon) * 3.39e6 < 50.0


@pytest.mark.parametrize(
    "vehicle,entry,atm,disp",
    [
        ("viking1", VIKING_ENTRY, "pathfinder-1997", {"ground_altitude_m": -4000.0}),
        (
            "m71",
            dict(
                altitude_m=100e3,
                speed_m_s=5700.0,
                fpa_deg=-11.4,
                heading_deg=60.0,
                lat_deg=-45.0,
                lon_deg=-158.0,
            ),
            "dust-storm-1971",
            {},
        ),
    ],
)
def test_step_halving_converges(vehicle, entry, atm, disp):
    # The step rule is justified by this: halving every step limit moves the touchdown time by
    # less than 0.5 s, the touchdown speed by less than 0.5 m/s and the site by less than
    # 50 m, all well inside what any comparison with flight records can resolve.
    out = []
    for scale in (1.0, 0.5):
        r = fly(
            EntryState.single(**entry), vehicle, atmosphere=atm, dispersions=disp, step_scale=scale
        )
        out.append(r.touchdown(0))
    a, b = out
    assert abs(a["t_s"] - b["t_s"]) < 0.5
    assert abs(a["speed_m_s"] - b["speed_m_s"]) < 0.5
    dpos = np.hypot(
        np.radians(a["lat_deg"] - b["lat_deg"]),
        np.radians(a["lon_deg"] - b["lon_deg"]) * np.cos(np.radians(a["lat_deg"])),
    )
    assert dpos * 3.39e6 < 50.0


M3 = dict(
    altitude_m=100e3,
    speed_m_s=5700.0,
    fpa_deg=-11.4,
    heading_deg=60.0,
    lat_deg=-45.0,
    lon_deg=-158.0,
)


def _m71(disp=None, n=1):
    e = EntryState(**{k: np.full(n, v) for k, v in M3.items()})
    return fly(e, "m71", atmosphere="dust-storm-1971", dispersions=disp)


def test_faults_change_the_outcome_through_physics():
    nominal = _m71()
    assert nominal.outcome_names[0] == "landed"
    no_main = _m71({"main_chute_enabled": 0})
    assert np.isnan(no_main.event("main_chute")[0])
    assert no_main.outcome_names[0] == "crashed"
    assert no_main.td("speed_m_s")[0] > 100  # on the pilot chute alone
    no_retro = _m71({"retro_enabled": 0})
    # without the soft-landing engine it lands at the main-chute descent rate (~60-75 m/s)
    assert 50 < no_retro.td("speed_m_s")[0] < 90
    short = _m71({"retro_burn_fraction": 0.3})
    assert short.td("speed_m_s")[0] > nominal.td("speed_m_s")[0] + 20
    late = _m71({"main_chute_delay_s": 10.0})
    assert late.event("main_chute")[0] == pytest.approx(
        nominal.event("main_chute")[0] + 10.0, abs=1e-6
    )
    no_jett = _m71({"jettison_enabled": 0})
    assert np.isnan(no_jett.event("jettison")[0])
    assert no_jett.td("mass_kg")[0] > nominal.td("mass_kg")[0] + 500


def test_trigger_types_fire_where_they_say():
    m = _m71({"main_chute_trigger_type": "altitude", "main_chute_trigger_value": 3000.0})
    assert m.event("main_chute", "height_above_ground_m")[0] == pytest.approx(3000.0, abs=1.0)
    q = _m71({"pilot_chute_trigger_type": "dynamic_pressure", "pilot_chute_trigger_value": 2000.0})
    assert q.event("pilot_chute", "dynamic_pressure_pa")[0] == pytest.approx(2000.0, rel=1e-3)
    assert q.event("pilot_chute")[0] > q.event("peak_deceleration")[0]  # on the way down
    g = _m71({"pilot_chute_trigger_type": "g_load", "pilot_chute_trigger_value": 3.0})
    assert g.event("pilot_chute", "g_load")[0] == pytest.approx(3.0, rel=1e-3)
    t = _m71({"pilot_chute_trigger_type": "timer", "pilot_chute_trigger_value": 120.0})
    assert t.event("pilot_chute")[0] == pytest.approx(120.0, abs=1e-9)
    mach = _m71()
    assert mach.event("pilot_chute", "mach")[0] == pytest.approx(3.5, rel=1e-3)


def test_batch_rows_are_independent():
    # A dispersed batch gives, row by row, what single runs give.
    masses = np.array([1100.0, 1210.0, 1300.0])
    batch = _m71({"mass_kg": masses}, n=3)
    for k, mass in enumerate(masses):
        one = _m71({"mass_kg": mass})
        np.testing.assert_allclose(batch.events[k], one.events[0], equal_nan=True)


def test_skip_out_is_reported():
    shallow = dict(M3, fpa_deg=-5.0)
    r = fly(EntryState.single(**shallow), "m71", atmosphere="dust-storm-1971")
    assert r.outcome_names[0] == "skipped_out"
    assert np.isnan(r.td("t_s")[0])


def test_result_api_for_the_command_line():
    r = fly(
        EntryState.single(**VIKING_ENTRY),
        "viking1",
        dispersions={"ground_altitude_m": -4000.0},
        history=True,
    )
    events = r.event_list(0)
    assert [e["name"] for e in events][0] == "entry"
    assert events[-1]["name"] == "touchdown"
    for e in events:
        assert {"name", "t_s", "altitude_m", "speed_m_s", "mach", "dynamic_pressure_pa"} <= set(e)
    times = [e["t_s"] for e in events]
    assert times == sorted(times)
    td = r.touchdown(0)
    assert {"speed_m_s", "lat_deg", "lon_deg", "t_s", "survived"} <= set(td)
    cols = r.columns()
    assert cols["touchdown_speed_m_s"].shape == (1,)
    h = r.history
    assert np.all(np.diff(h["t_s"]) >= 0) and h["altitude_m"][0] == pytest.approx(120e3)
    with pytest.raises(InputError):
        r.event("parachute")
    with pytest.raises(InputError):
        fly(EntryState.single(**VIKING_ENTRY), "viking1", atmosphere="mars-gram")
