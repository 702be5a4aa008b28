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


def _ground_swing_k(model: str, lat: str) -> float:
    """Half the 15 h minus 3 h temperature at the ground (gnd=0, a grid point, where the
    3 km decay is exp(0) = 1): the modelled diurnal half-range there."""
    i0 = int(round((0.0 - A.H_MIN_M) / A.DH_M))
    assert A.GRID_M[i0] == 0.0
    warm = A.table(f"{model}@lt=15,gnd=0{lat}").temperature_k[i0]
    cold = A.table(f"{model}@lt=3,gnd=0{lat}").temperature_k[i0]
    return 0.5 * (warm - cold)


@pytest.mark.parametrize("model", ["hydrostatic", "pathfinder-1997"])
def test_the_ground_swing_at_each_viking_lander_is_its_measured_half_range(model):
    # Viking Lander 1, 22.27 N: 20-sol composite 187.2-241.8 K (Hess et al. 1976, Science
    # 194:78); Viking Lander 2, 47.97 N: early-summer daily maximum 241 K, minimum 191 K (Hess
    # et al. 1976, Science 194:1352). The model takes them as its two anchors, so this checks
    # the construction through the whole table path (parse, apply, re-integration), not the
    # physics. Tolerance 1e-9 K: float rounding only (at gnd=0 the decay factor is exactly 1).
    from marsprobe.edl.sites import site

    vl1, vl2 = site("viking-1").lat_deg, site("viking-2").lat_deg
    assert (climate.VL1_LAT_DEG, climate.VL2_LAT_DEG) == (vl1, vl2)
    assert _ground_swing_k(model, f",lat={vl1}") == pytest.approx(27.3, abs=1e-9)
    assert _ground_swing_k(model, f",lat={vl2}") == pytest.approx(25.0, abs=1e-9)
    # between them: linear in latitude (chosen), so half-way is the mean of the two figures
    mid = 0.5 * (vl1 + vl2)
    assert _ground_swing_k(model, f",lat={mid}") == pytest.approx(26.15, abs=1e-9)


def test_the_amplitude_is_held_beyond_the_landers_and_mirrored_south():
    # Chosen (module docstring): held at the nearer station's value outside [22.27, 47.97],
    # and a function of |latitude|. Exact equalities: the same arithmetic on the same numbers.
    amp = climate.diurnal_amplitude_k
    assert amp(0.0) == amp(10.0) == amp(22.27) == pytest.approx(27.3, abs=1e-12)
    assert amp(60.0) == amp(90.0) == amp(47.97) == pytest.approx(25.0, abs=1e-12)
    assert amp(-47.97) == amp(47.97) and amp(-35.0) == amp(35.0) and amp(-90.0) == amp(90.0)
    assert amp(22.27) > amp(35.0) > amp(47.97)
    assert _ground_swing_k("hydrostatic", ",lat=-70") == pytest.approx(25.0, abs=1e-9)


def test_without_a_latitude_the_swing_is_the_first_four_sols_figure():
    # No lat: 27 K as before (half of 188-244 K, Hess et al. 1976, Science 193:788), so an id
    # written before the latitude option flies exactly as it did.
    assert climate.diurnal_amplitude_k(None) == 27.0
    assert _ground_swing_k("hydrostatic", "") == pytest.approx(27.0, abs=1e-9)


def test_bad_options_are_one_clear_error():
    for bad in ("pathfinder-1997@ls=400", "pathfinder-1997@lt=25", "pathfinder-1997@foo=1"):
        with pytest.raises(InputError):
            A.table(bad)
    for bad in ("91", "-90.5", "nan", "inf", "north"):
        with pytest.raises(InputError, match="latitude|options are") as err:
            A.table(f"hydrostatic@lt=15,gnd=0,lat={bad}")
        assert "\n" not in str(err.value)
    with pytest.raises(InputError, match="latitude"):
        climate.spec("hydrostatic", None, 15.0, 0.0, 95.0)
    with pytest.raises(InputError, match="built-in"):
        climate.apply(A.table("glenn"), "my.csv", climate.Options(ls_deg=10.0), *[None] * 5)


def test_edl_params_fly_the_model_as_it_is_unless_asked():
    from marsprobe.mission.descent import EdlParams

    plain = EdlParams(vehicle="viking1")
    assert plain.flown_atmosphere == "pathfinder-1997"
    moved = EdlParams(vehicle="viking1", ls_deg=97, local_time_h=16, ground_altitude_m=-3300)
    assert moved.flown_atmosphere == "pathfinder-1997@ls=97,lt=16,gnd=-3.3"
    # a local time is flown at the site's latitude, else the design entry's; a season alone
    # does not depend on latitude, so it writes none
    at_site = EdlParams(vehicle="viking1", local_time_h=15, site="viking-2", entry_lat_deg=43.1)
    assert at_site.flown_atmosphere.endswith(",lat=47.97")
    at_entry = EdlParams(vehicle="viking1", local_time_h=15, entry_lat_deg=-45)
    assert at_entry.flown_atmosphere == "pathfinder-1997@lt=15,gnd=0,lat=-45"
    season = EdlParams(vehicle="viking1", ls_deg=97, site="viking-2")
    assert season.flown_atmosphere == "pathfinder-1997@ls=97"


def test_cli_ls_and_local_time(cli):
    code, out, _ = cli("edl", "viking-1", "--design-entry", "--ls", "97", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["atmosphere"] == "pathfinder-1997@ls=97"
    # the radiative fields are there (zero for Viking's 4.4 km/s entry: below 6 km/s)
    assert doc["touchdown"]["radiative_heat_load_j_cm2"] == 0.0
    code, out, err = cli("edl", "viking-1", "--ls", "400")
    assert code == 2 and out == "" and err.count("\n") == 1 and "solar longitude" in err


def test_cli_local_time_flies_and_prints_the_sites_latitude(cli):
    # Viking 2's site, 47.97 N (edl/data/sites.toml): the id printed is the one flown.
    code, out, _ = cli("edl", "viking-2", "--local-time", "15", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["atmosphere"].startswith("pathfinder-1997@lt=15,gnd=")
    assert doc["atmosphere"].endswith(",lat=47.97")


@pytest.mark.parametrize(
    ("model", "needle"),
    [
        ("pathfinder-1997@lt=14,gnd=nan", "ground height gnd"),
        ("pathfinder-1997@lt=14,lt=15", "each once"),
    ],
)
def test_a_malformed_option_is_one_clear_error_not_a_nan_atmosphere(model, needle):
    # a NaN ground once gave an all-NaN table, which the descent flew to its time limit
    from marsprobe.edl.climate import parse
    from marsprobe.errors import InputError

    with pytest.raises(InputError, match=needle):
        parse(model)
