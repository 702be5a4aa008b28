"""Atmosphere models: the shipped Pathfinder profile, the hydrostatic models, the Glenn fit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from marsprobe.constants import GM_MARS, R_MARS_MEAN
from marsprobe.edl import atmosphere as atm
from marsprobe.errors import InputError

MARS_GRAM = Path("/work/shared/peers/amat/mars-gram-avg.dat")  # read for comparison only


def _mars_gram():
    if not MARS_GRAM.is_file():
        pytest.skip("Mars-GRAM mean table (AMAT peer file) not available")
    return np.loadtxt(MARS_GRAM, comments="#")


def test_pathfinder_rows_obey_the_ideal_gas_law():
    # The PDS archive derived T from p and rho with 43.49 g/mol below 100 km (edlddrds), so a
    # faithful transcription satisfies p = rho R T there to the archive's 5 digits.
    prof = atm.read_pathfinder_profile()
    below = prof["site_altitude_m"] < 95e3
    r = prof["pressure_pa"] / (
        prof["density_kg_m3"] * 8.314462618 / 43.49e-3 * prof["temperature_k"]
    )
    assert np.all(np.abs(r[below] - 1) < 2e-4)


def test_pathfinder_rows_are_hydrostatic():
    # The archive integrated pressure from density (dp/dh = -rho g), so successive rows must
    # satisfy it in the archive's own vertical coordinate, the radius (site_altitude_m; the
    # height above the ellipsoid also moves with the latitude along the track, see
    # atmosphere.profile_latitude_deg); 2 % allows the trapezoid over ~0.5-1 km spacing and
    # the varying gravity.
    prof = atm.read_pathfinder_profile()
    h, p, rho = prof["site_altitude_m"], prof["pressure_pa"], prof["density_kg_m3"]
    g = GM_MARS / (R_MARS_MEAN + h) ** 2
    dp = np.diff(p)
    expect = -0.5 * (rho[1:] * g[1:] + rho[:-1] * g[:-1]) * np.diff(h)
    assert np.all(np.abs(dp / expect - 1) < 0.02)


def test_glenn_fit_too_dense_aloft_against_mars_gram():
    # Issue 6: Glenn's fit is 1.7x the Mars-GRAM mean density at 30 km and 8x at 60 km, fine
    # below 10 km. Bands of +-15 % around those factors (read off the rounded figures).
    mg = _mars_gram()
    ratio = atm.density([5e3, 30e3, 60e3], "glenn") / np.interp(
        [5e3, 30e3, 60e3], mg[:, 0], mg[:, 3]
    )
    assert abs(ratio[0] - 1) < 0.2
    assert 1.45 < ratio[1] < 2.0
    assert 6.8 < ratio[2] < 9.2


def test_shipped_models_stay_near_mars_gram_mean():
    # Pathfinder's night profile and the generic hydrostatic model against the Mars-GRAM mean:
    # within a factor 3.2 from 0 to 120 km. Magalhaes et al. 1999 found Pathfinder's night
    # atmosphere 20-30 K colder than Viking between 60 and 90 km, with a layer below the CO2
    # frost point at 77-85 km, so its density there drops to about a third of a daytime mean;
    # below 60 km both agree within 50 % (second assertion; the hydrostatic knots are generic).
    mg = _mars_gram()
    h = np.arange(0.0, 120e3 + 1, 5e3)
    ref = np.interp(h, mg[:, 0], mg[:, 3])
    for model in ("pathfinder-1997", "hydrostatic"):
        ratio = atm.density(h, model) / ref
        assert np.all((ratio > 1 / 3.2) & (ratio < 3.2)), model
        assert np.all(np.abs(ratio[h <= 60e3] - 1) < 0.5), model


def test_dust_storm_denser_aloft_same_near_surface():
    # The 1971 storm variant differs from the clear hydrostatic model by its warmer profile:
    # within 15 % below 10 km (same surface pressure, similar temperature), denser from 30 km up
    # and increasingly so with height (the warmer column has a larger scale height).
    h_low = np.array([0.0, 5e3, 10e3])
    h_high = np.array([30e3, 40e3, 60e3])
    r_low = atm.density(h_low, "dust-storm-1971") / atm.density(h_low, "hydrostatic")
    r_high = atm.density(h_high, "dust-storm-1971") / atm.density(h_high, "hydrostatic")
    assert np.all(np.abs(r_low - 1) < 0.15)
    assert np.all(r_high > 1.0) and np.all(np.diff(r_high) > 0) and r_high[-1] > 1.5


def test_hydrostatic_model_satisfies_its_own_equation():
    # p(0) is the 610 Pa datum, and rho = p M / (R T) on the grid.
    assert atm.pressure(0.0, "hydrostatic") == pytest.approx(610.0, rel=1e-9)
    h = np.array([1e3, 50e3, 100e3])
    t = atm.temperature(h, "hydrostatic")
    rho = atm.pressure(h, "hydrostatic") / (atm.R_SPECIFIC * t)
    np.testing.assert_allclose(atm.density(h, "hydrostatic"), rho, rtol=1e-6)


def test_speed_of_sound_of_co2():
    # sqrt(gamma R T) at 200 K with gamma 1.33 and 191.8 J/kg/K: 226.0 m/s.
    t = atm.temperature(0.0, "hydrostatic")
    assert atm.speed_of_sound(0.0, "hydrostatic") == pytest.approx(
        np.sqrt(1.33 * atm.R_SPECIFIC * t)
    )


def test_density_multiplier_grows_with_height():
    m = atm.density_multiplier([0.0, 100e3], density_scale=1.1, growth_per_km=0.002)
    np.testing.assert_allclose(m, [1.1, 1.1 * np.exp(0.2)])


def test_unknown_model_names_the_accepted_ones():
    with pytest.raises(InputError, match="accepted are pathfinder-1997"):
        atm.density(0.0, "mars-gram")
    with pytest.raises(InputError):
        atm.dispersion("nope")
