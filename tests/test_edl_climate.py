"""Season and time of day for the Mars atmospheres (marsprobe.edl.climate)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from marsprobe.edl import atmosphere as A
from marsprobe.edl import climate
from marsprobe.errors import InputError


def test_a_model_at_its_own_season_and_hour_is_the_model():
    # Pathfinder's profile stands for Ls 142 at about 3 h: asking for exactly that changes
    # nothing (to rounding), so every default keeps the shipped results.
    base = A.table("pathfinder-1997")
    same = A.table("pathfinder-1997@ls=142,lt=3,gnd=-2.5")
    assert np.allclose(same.ln_density, base.ln_density, rtol=0, atol=1e-12)
    assert np.allclose(same.temperature_k, base.temperature_k, rtol=0, atol=1e-12)


def test_the_cycle_runs_through_the_published_viking_1_extremes():
    # Lang 2010 fig. 8.7: Viking Lander 1 sol means from 6.7 mbar (northern summer) to 8.89
    # mbar (start of northern winter): the curve is built through them (a check of the
    # construction, not evidence).
    ls = np.arange(0.0, 360.0, 0.25)
    p = climate.vl1_pressure_mbar(ls)
    assert p.min() == pytest.approx(6.7) and p.max() == pytest.approx(8.89)
    assert 90.0 <= ls[np.argmin(p)] <= 180.0 and ls[np.argmax(p)] == 270.0
    assert np.mean(climate.seasonal_factor(ls)) == pytest.approx(1.0, rel=1e-3)


def test_the_annual_swing_is_tillmans_fifteen_per_cent():
    # Tillman (U. Washington Viking Computer Facility, 'Atmospheric Pressure'): the pressure
    # varies about +/-15 % over the year. Independent of the two figures the curve runs
    # through; tolerance 3 points: the page's 'about'.
    f = climate.seasonal_factor(np.arange(0.0, 360.0, 0.5))
    assert (f.max() - f.min()) / (f.max() + f.min()) == pytest.approx(0.15, abs=0.03)


def test_season_scales_pressure_and_density_alike_at_every_height():
    base, winter = A.table("hydrostatic"), A.table("hydrostatic@ls=270")
    ratio = winter.pressure_pa / base.pressure_pa
    assert np.allclose(ratio, ratio[0]) and ratio[0] > 1.1
    assert np.allclose(np.exp(winter.ln_density - base.ln_density), ratio[0])


def test_afternoon_warms_the_ground_air_and_keeps_the_column_hydrostatic():
    # 15 h against the profile's own 3 h: +54 K at the ground (27 K each way, Hess et al. 1976:
    # 188-244 K at Viking 1), fading over a few km; the ground pressure is held and the new
    # column satisfies d ln p / dh = -g M / (R T) to the grid's trapezoid accuracy (0.1 %;
    # shown on the hydrostatic model, which is itself exactly hydrostatic, and a daily mean,
    # so 15 h is +27 K at the ground).
    t = A.table("pathfinder-1997@lt=15,gnd=0")
    base = A.table("pathfinder-1997")
    i0 = int(round((0.0 - A.H_MIN_M) / A.DH_M))
    assert t.temperature_k[i0] - base.temperature_k[i0] == pytest.approx(54.0)
    assert t.pressure_pa[i0] == pytest.approx(base.pressure_pa[i0])
    k = i0 + 200  # 20 km: the term has faded
    assert abs(t.temperature_k[k] - base.temperature_k[k]) < 0.1
    t = A.table("hydrostatic@lt=15,gnd=0")
    assert t.temperature_k[i0] - A.table("hydrostatic").temperature_k[i0] == pytest.approx(27.0)
    slope = np.diff(np.log(t.pressure_pa)) / A.DH_M
    mid = 0.5 * (t.temperature_k[1:] + t.temperature_k[:-1])
    want = -A._gravity(A.GRID_M[:-1] + A.DH_M / 2) * A.MOLAR_MASS_KG_MOL / (A.R_GAS * mid)
    assert np.allclose(slope[i0 : i0 + 300], want[i0 : i0 + 300], rtol=1e-3)


def test_bad_options_are_one_clear_error():
    for bad in ("pathfinder-1997@ls=400", "pathfinder-1997@lt=25", "pathfinder-1997@foo=1"):
        with pytest.raises(InputError):
            A.table(bad)
    with pytest.raises(InputError, match="built-in"):
        climate.apply(A.table("glenn"), "my.csv", climate.Options(ls_deg=10.0), *[None] * 5)


def test_edl_params_fly_the_model_as_it_is_unless_asked():
    from marsprobe.mission.descent import EdlParams

    plain = EdlParams(vehicle="viking1")
    assert plain.flown_atmosphere == "pathfinder-1997"
    moved = EdlParams(vehicle="viking1", ls_deg=97, local_time_h=16, ground_altitude_m=-3300)
    assert moved.flown_atmosphere == "pathfinder-1997@ls=97,lt=16,gnd=-3.3"


def test_cli_ls_and_local_time(cli):
    code, out, _ = cli("edl", "viking-1", "--design-entry", "--ls", "97", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["atmosphere"] == "pathfinder-1997@ls=97"
    # the radiative fields are there (zero for Viking's 4.4 km/s entry: below 6 km/s)
    assert doc["touchdown"]["radiative_heat_load_j_cm2"] == 0.0
    code, out, err = cli("edl", "viking-1", "--ls", "400")
    assert code == 2 and out == "" and err.count("\n") == 1 and "solar longitude" in err
