"""A user's atmosphere table (marsprobe.edl.user_atmosphere): read, checked, flown, with winds."""

from __future__ import annotations

import json

import numpy as np
import pytest

from marsprobe.edl import EntryState, atmosphere, fly
from marsprobe.errors import InputError

ENTRY = EntryState.single(
    altitude_m=120e3, speed_m_s=4420.0, fpa_deg=-16.99, heading_deg=90.0, lat_deg=22.0,
    lon_deg=-48.0,
)  # fmt: skip
GROUND = {"ground_altitude_m": -3000.0}


def _write(path, rows, header="altitude_km,density_kg_m3,temperature_k,pressure_pa", extra=""):
    path.write_text(extra + header + "\n" + "\n".join(",".join(map(str, r)) for r in rows) + "\n")
    return str(path)


def _hydrostatic_rows(step_km=1.0, wind=None):
    h = np.arange(-10.0, 200.0 + step_km / 2, step_km)
    rows = np.column_stack(
        [
            h,
            atmosphere.density(h * 1e3, "hydrostatic"),
            atmosphere.temperature(h * 1e3, "hydrostatic"),
            atmosphere.pressure(h * 1e3, "hydrostatic"),
        ]
    )
    if wind is not None:
        rows = np.column_stack([rows, np.full(len(h), wind[0]), np.full(len(h), wind[1])])
    return rows


def test_a_table_of_a_builtin_model_flies_like_it(tmp_path):
    # The 'hydrostatic' model written out every km and read back: the file's rows are
    # interpolated linearly in ln(density) over 1 km instead of 100 m, which moves the
    # density by under 0.1 %: the parachute event within 0.5 s and 1 m/s.
    path = _write(tmp_path / "h.csv", _hydrostatic_rows())
    ref = fly(ENTRY, "viking1", atmosphere="hydrostatic", dispersions=GROUND)
    got = fly(ENTRY, "viking1", atmosphere=path, dispersions=GROUND)
    assert got.atmosphere == path
    assert got.event("main_chute")[0] == pytest.approx(ref.event("main_chute")[0], abs=0.5)
    speed = got.event("main_chute", "speed_m_s")[0]
    assert speed == pytest.approx(ref.event("main_chute", "speed_m_s")[0], abs=1.0)


def test_a_uniform_wind_profile_is_the_constant_wind(tmp_path):
    # The table's wind and the trajectory's constant wind enter the kernel as one sum, so a
    # profile of 15 m/s east, -5 m/s north everywhere flies exactly as those constants.
    header = "altitude_km,density_kg_m3,temperature_k,pressure_pa,wind_east_m_s,wind_north_m_s"
    windy = _write(tmp_path / "w.csv", _hydrostatic_rows(wind=(15.0, -5.0)), header)
    calm = _write(tmp_path / "c.csv", _hydrostatic_rows())
    a = fly(ENTRY, "viking1", atmosphere=windy, dispersions=GROUND)
    b = fly(
        ENTRY, "viking1", atmosphere=calm,
        dispersions={**GROUND, "wind_east_m_s": 15.0, "wind_north_m_s": -5.0},
    )  # fmt: skip
    np.testing.assert_allclose(a.touchdown_array, b.touchdown_array, rtol=1e-12, atol=1e-9)
    still = fly(ENTRY, "viking1", atmosphere=calm, dispersions=GROUND)
    assert abs(a.td("lon_deg")[0] - still.td("lon_deg")[0]) > 1e-3  # the wind did act


def test_wind_near_the_ground_sets_the_drift_under_the_canopy(tmp_path):
    # A shear: calm above 10 km, 20 m/s east below 5 km. Under its parachute the M-71 capsule
    # drifts with the air it falls through (no retro burn here), so it meets the ground with
    # about the wind's horizontal speed (within 2 m/s: the canopy lags the air a little).
    rows = _hydrostatic_rows()
    wind = np.where(rows[:, 0] < 5.0, 20.0, np.where(rows[:, 0] > 10.0, 0.0, 10.0))
    rows = np.column_stack([rows, wind, np.zeros(len(wind))])
    header = "altitude_km,density_kg_m3,temperature_k,pressure_pa,wind_east_m_s,wind_north_m_s"
    path = _write(tmp_path / "shear.csv", rows, header)
    e = EntryState.single(
        altitude_m=100e3, speed_m_s=5700.0, fpa_deg=-11.37, heading_deg=90.0, lat_deg=-45.0,
        lon_deg=-158.0,
    )  # fmt: skip
    r = fly(e, "m71", atmosphere=path, dispersions={"retro_present": 0.0})
    assert r.td("horizontal_speed_m_s")[0] == pytest.approx(20.0, abs=2.0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the atmosphere table is empty"),
        ("altitude_km,density_kg_m3,temperature_k\n0,0.015,214\n", "needs pressure_pa"),
        ("altitude_km,rho,temperature_k,pressure_pa\n", "unknown column 'rho'"),
        ("altitude_km,density_kg_m3,temperature_k,pressure_pa\n0,0.015,214,610\n", "two rows"),
        ("altitude_km,density_kg_m3,temperature_k,pressure_pa\n0,x,214,610\n1,1,1,1\n", "line 2"),
        ("altitude_km,density_kg_m3,temperature_k,pressure_pa\n0,0.015,214\n", "3 values"),
        ("altitude_km,density_kg_m3,temperature_k,pressure_pa\n0,-0.015,214,610\n1,1,1,1\n",
         "density_kg_m3 must be > 0"),
        ("altitude_km,density_kg_m3,temperature_k,pressure_pa\n0,15,214,610\n1,14,213,600\n",
         "molar mass"),  # density in g/m3
        ("altitude_km,density_kg_m3,temperature_k,pressure_pa\n0,0.015,214,610\n0,0.015,214,610\n",
         "same altitude"),
        ("altitude_km,density_kg_m3,temperature_k,pressure_pa,wind_east_m_s\n"
         "0,0.015,214,610,400\n1,0.0145,213,590,0\n", "above 300 m/s"),
        ("# datum = areoid\naltitude_km,density_kg_m3,temperature_k,pressure_pa\n", "lat_deg"),
        ("# datum = sea-level\naltitude_km,density_kg_m3,temperature_k,pressure_pa\n", "datum"),
    ],
)  # fmt: skip
def test_bad_tables_are_one_clear_line(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(InputError, match=message) as err:
        atmosphere.table(str(path))
    assert str(err.value).startswith(str(path)) and "\n" not in str(err.value)


def test_an_areoid_table_is_moved_onto_the_ellipsoid(tmp_path):
    from marsprobe.edl.datum import height_above_ellipsoid

    rows = _hydrostatic_rows(step_km=5.0)
    ell = _write(tmp_path / "e.csv", rows)
    are = _write(tmp_path / "a.csv", rows, extra="# datum = areoid\n# lat_deg = 48\n")
    shift = height_above_ellipsoid(0.0, "areoid", 48.0)  # about +1.06 km at 48 N
    h = np.array([20e3, 40e3])
    np.testing.assert_allclose(
        atmosphere.density(h + shift, are), atmosphere.density(h, ell), rtol=1e-3
    )


def test_command_line_flies_a_table_and_refuses_a_bad_one(cli, tmp_path):
    good = _write(tmp_path / "good.csv", _hydrostatic_rows(step_km=5.0))
    code, out, err = cli("edl", "viking-1", "--atmosphere", good, "--json")
    assert code == 0, err
    assert json.loads(out)["atmosphere"] == good
    bad = tmp_path / "bad.csv"
    bad.write_text("altitude_km,density_kg_m3,temperature_k,pressure_pa\n0,15,214,610\n1,14,2,6\n")
    code, out, err = cli("edl", "viking-1", "--atmosphere", str(bad))
    assert code == 2 and out == ""
    assert err.startswith(f"marsprobe: error: {bad}: line 2:") and err.count("\n") == 1


@pytest.mark.parametrize("lat", ["abc", "nan", "91"])
def test_a_latitude_that_is_no_latitude_is_refused(tmp_path, lat):
    # The datum conversion needs a real latitude: a word, a NaN or 91 deg is one clear error.
    from marsprobe.edl.user_atmosphere import read_table

    path = tmp_path / "atm.csv"
    path.write_text(
        f"# datum = areoid\n# lat_deg = {lat}\n"
        "altitude_km,density_kg_m3,temperature_k,pressure_pa\n0,0.015,210,600\n10,0.007,200,280\n"
    )
    with pytest.raises(InputError, match="lat_deg"):
        read_table(path)
