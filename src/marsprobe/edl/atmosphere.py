"""Engineering models of the Mars atmosphere for entry, descent and landing.

Every model is reduced to one table on a uniform altitude grid (-10 km to 200 km above the
reference ellipsoid, 100 m step) of ln(density), temperature, pressure and speed of sound, which
the compiled integrator reads by index. Models (ids for ``model=``):

``pathfinder-1997`` (default)
    The atmosphere measured by Mars Pathfinder on its entry (NASA PDS
    MPFL-M-ASIMET-4-DDR-EDL-V1.0; Magalhaes, Schofield & Seiff 1999, JGR 104(E4):8943),
    shipped in ``data/mpf_asimet_1997.csv``. A single night-time profile at 19 N, Ls 142, not a
    climatological mean: Magalhaes et al. found it 20-30 K colder than Viking 1 between 60 and
    90 km and 25 K colder on the 88-110 km plateau, so densities there are lower than a daytime
    mean. Holds from 137 km down to 4.6 km above the ellipsoid (8.98 km above the landing site);
    below that it is continued isothermally (hydrostatic) at the lowest archived temperature,
    and above 137 km isothermally at the top temperature.
``hydrostatic``
    Hydrostatic integration of a piecewise-linear temperature profile (knots in
    ``HYDROSTATIC_KNOTS``) from 610 Pa at zero altitude. Knots are chosen, not measured: a mean
    lapse rate of 1.5 K/km in the lower atmosphere and a cold isothermal middle atmosphere, the
    shape the Viking and Pathfinder profiles share. A smooth global stand-in, not a site profile.
``glenn``
    NASA Glenn Research Center's curve fit ("Mars Atmosphere Model - Metric Units", Beginner's
    Guide to Aeronautics): T = -31 - 0.000998 h degC below 7 km, -23.4 - 0.00222 h above;
    p = 0.699 exp(-0.00009 h) kPa; rho = p / (0.1921 (T + 273.1)). Fine below about 10 km (it
    was fitted to Mars Global Surveyor data near the surface); aloft its temperature falls to
    absurd values, so it is 1.7x too dense at 30 km and about 8x at 60 km against the Mars-GRAM
    mean (tests/test_edl_atmosphere.py measures this). Held isothermal above 80 km.
    Not for hypersonic entry.
a table file (``*.csv``)
    A user's own profile of altitude, density, temperature, pressure and winds, read and
    checked by :mod:`marsprobe.edl.user_atmosphere` and gridded like the Pathfinder profile.
``dust-storm-1971``
    Hydrostatic like ``hydrostatic`` with a warmer, less stable temperature profile standing for
    the 1971 global dust storm that Mars 2 and 3 entered (Ls ~300): Mariner 9 radio occultations
    inside the storm found the dust-heated atmosphere warmer and with a smaller lapse rate than
    in clear conditions (Kliore et al. 1972, Icarus 17:484). The knots are chosen to express that
    finding; the effect is a denser atmosphere above about 20 km, where the scale height grows.

Season and time of day: ``MODEL@ls=DEG,lt=HOURS,gnd=KM,lat=DEG`` moves a built-in model to a
solar longitude and a local solar time at a latitude (:mod:`marsprobe.edl.climate`, sourced
there); a plain id is the model as measured or chosen.

Winds: a table may carry east and north wind profiles (the built-in models are calm), which the
integrator interpolates in height. Dispersions: each trajectory may scale the density by
``density_scale * exp(growth_per_km * h_km)`` (a log-normal perturbation whose spread grows
with height) and add a constant horizontal wind; :data:`DISPERSIONS` gives the 1-sigma values
per model (chosen, see there).

Mars-GRAM and the Mars Climate Database are not redistributable and nothing here comes from
them. Speed of sound: sqrt(gamma R T) with gamma = 1.33 (ideal-gas CO2 between 150 and 250 K
has cp/cv of 1.33-1.37) and R from the mean molecular weight 43.34 g/mol (NASA Mars Fact Sheet).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, replace
from importlib import resources

import numpy as np

from marsprobe.constants import GM_MARS, R_MARS_MEAN
from marsprobe.edl.datum import height_above_ellipsoid
from marsprobe.errors import InputError

R_GAS = 8.314462618  # J/(mol K), CODATA 2018
MOLAR_MASS_KG_MOL = 43.34e-3  # kg/mol, NASA Mars Fact Sheet (Williams), mean molecular weight
R_SPECIFIC = R_GAS / MOLAR_MASS_KG_MOL  # 191.8 J/(kg K)
GAMMA = 1.33  # ratio of specific heats of CO2 at 150-250 K (chosen within 1.33-1.37)

H_MIN_M = -10_000.0
H_MAX_M = 200_000.0
DH_M = 100.0
GRID_M = np.arange(H_MIN_M, H_MAX_M + DH_M / 2, DH_M)

DEFAULT_MODEL = "pathfinder-1997"

MPF_SITE_RADIUS_KM = 3389.72  # km, radius of the Pathfinder landing site (PDS edlddrds)
MPF_LAT_DEG = 19.13  # deg N, the landing site (Golombek et al. 1999)
MPF_ENTRY_RADIUS_KM = 3522.2  # km, entry point of the reconstruction (Spencer et al. 1999, tab. 1)
MPF_ENTRY_LAT_DEG = 22.6303  # deg N, same table
PROFILE_DATUM = "radius"  # the Pathfinder archive's heights are areocentric radii (see the CSV)
# The archive's radii and the reconstructed entry radius are not on the same datum: flown from
# either published entry state, the measured accelerations put the vehicle 1.202 km (spread
# 18 m) below the archived altitudes all the way down, a constant offset, not dynamics
# (Tacode repository, validation/pathfinder/README.md, "What the data turned out to hold", 3;
# within the 1.7 km uncertainty of the entry radius). The archive's frame is the landing site's
# (3389.72 km from the lander), so an entry radius of Spencer et al. is moved up by this much.
MPF_ENTRY_RADIUS_TO_ARCHIVE_M = 1202.0

# (altitude_km, temperature_K): chosen knots, see the module docstring.
HYDROSTATIC_KNOTS = ((0.0, 214.0), (45.0, 146.0), (110.0, 130.0), (150.0, 175.0), (200.0, 190.0))
DUST_STORM_KNOTS = (
    (0.0, 212.0),
    (20.0, 200.0),
    (50.0, 176.0),
    (80.0, 152.0),
    (110.0, 135.0),
    (150.0, 175.0),
    (200.0, 190.0),
)
SURFACE_PRESSURE_PA = 610.0  # Pa at zero altitude: the 6.1 mbar datum of Mars elevations


@dataclass(frozen=True)
class AtmosphereTable:
    """One model on the uniform grid: ``h0_m + i * dh_m``, arrays of length ``len(GRID_M)``."""

    model: str
    h0_m: float
    dh_m: float
    ln_density: np.ndarray  # ln(kg/m^3)
    temperature_k: np.ndarray
    pressure_pa: np.ndarray
    sound_speed_m_s: np.ndarray
    wind_east_m_s: np.ndarray | None = None  # m/s, toward east; None: calm at every height
    wind_north_m_s: np.ndarray | None = None  # m/s, toward north

    def kernel_rows(self) -> np.ndarray:
        """Rows the compiled integrator reads: ln density, sound speed, then winds E, N.

        A calm table gives only the first two rows (the kernel then skips the wind look-ups).
        """
        calm = np.zeros_like(self.ln_density)
        if self.wind_east_m_s is None and self.wind_north_m_s is None:
            return np.ascontiguousarray(np.vstack([self.ln_density, self.sound_speed_m_s]))
        east = calm if self.wind_east_m_s is None else self.wind_east_m_s
        north = calm if self.wind_north_m_s is None else self.wind_north_m_s
        return np.ascontiguousarray(
            np.vstack([self.ln_density, self.sound_speed_m_s, east, north]), dtype=np.float64
        )


@dataclass(frozen=True)
class AtmosphereDispersion:
    """1-sigma dispersions of one model (all chosen: see ``note``)."""

    density_sigma: float  # relative 1-sigma of density at zero altitude
    density_sigma_growth_per_km: float  # added to the log-sigma per km of altitude
    wind_sigma_m_s: float  # 1-sigma of each horizontal wind component
    note: str


DISPERSIONS = {
    "pathfinder-1997": AtmosphereDispersion(
        0.05,
        0.002,
        15.0,
        "chosen: 5 % at the surface growing to ~25 % at 100 km, the order of the day-to-day "
        "density variability quoted for Mars-GRAM's perturbation model; winds of order 10-20 "
        "m/s as measured near the surface by Viking and Pathfinder",
    ),
    "hydrostatic": AtmosphereDispersion(
        0.10, 0.003, 20.0, "chosen: wider than a measured profile because the model is generic"
    ),
    "glenn": AtmosphereDispersion(0.10, 0.003, 20.0, "chosen, as for 'hydrostatic'"),
    "dust-storm-1971": AtmosphereDispersion(
        0.15,
        0.004,
        40.0,
        "chosen: storm conditions are poorly known; Sagan (Cosmos, 1980) cites Mariner 9 "
        "near-surface winds above 140 m/s in the 1971 storm, so winds are dispersed widely",
    ),
}

MODELS = tuple(DISPERSIONS)
USER_TABLE_DISPERSION = AtmosphereDispersion(
    0.10, 0.003, 20.0, "chosen for a user's table: as the generic 'hydrostatic' model"
)


def _unknown(model):
    return InputError(
        f"unknown atmosphere model {model!r}: accepted are {', '.join(MODELS)} "
        "or a table file (.csv, see marsprobe.edl.user_atmosphere)"
    )


def is_file_model(model) -> bool:
    """Whether ``model`` names a user's table file rather than a built-in model."""
    return isinstance(model, str) and model.lower().endswith((".csv", ".txt"))


def _gravity(h_m):
    return GM_MARS / (R_MARS_MEAN + h_m) ** 2


def _hydrostatic_from_temperature(temp_k, h_ref_m, p_ref_pa, molar_mass=MOLAR_MASS_KG_MOL):
    """Integrate d ln p / dh = -g M / (R T) on GRID_M from p_ref at h_ref (trapezoid)."""
    mm = np.broadcast_to(np.asarray(molar_mass, dtype=float), GRID_M.shape)
    slope = -_gravity(GRID_M) * mm / (R_GAS * temp_k)
    ln_p = np.concatenate([[0.0], np.cumsum(0.5 * (slope[1:] + slope[:-1]) * DH_M)])
    ln_p += math.log(p_ref_pa) - np.interp(h_ref_m, GRID_M, ln_p)
    p = np.exp(ln_p)
    rho = p * mm / (R_GAS * temp_k)
    return p, rho


def _sound(temp_k):
    return np.sqrt(GAMMA * R_SPECIFIC * temp_k)


def _finish(model, temp, p, rho):
    return AtmosphereTable(
        model=model,
        h0_m=float(GRID_M[0]),
        dh_m=DH_M,
        ln_density=np.log(rho),
        temperature_k=temp,
        pressure_pa=p,
        sound_speed_m_s=np.sqrt(GAMMA * R_SPECIFIC * temp),
    )


def _knotted(model, knots):
    hk = np.array([k[0] for k in knots]) * 1e3
    tk = np.array([k[1] for k in knots])
    temp = np.interp(GRID_M, hk, tk)  # held constant outside the knots
    p, rho = _hydrostatic_from_temperature(temp, 0.0, SURFACE_PRESSURE_PA)
    return _finish(model, temp, p, rho)


def profile_latitude_deg(radius_km):
    """Latitude (deg N) at which the Pathfinder archive measured the row at ``radius_km``.

    The archive gives radii only. The probe flew from 22.63 N at entry to 19.13 N at the site;
    the latitude is taken linear in radius between the two (held beyond them). A -14 deg
    entry covers its downrange nearly in proportion to its fall above the parachute; the
    interpolation's latitude error (under about half a degree) moves the ellipsoid by under
    0.12 km (its radius changes by 0.23 km per degree near 20 N).
    """
    frac = (np.asarray(radius_km) - MPF_SITE_RADIUS_KM) / (MPF_ENTRY_RADIUS_KM - MPF_SITE_RADIUS_KM)
    return MPF_LAT_DEG + np.clip(frac, 0.0, 1.0) * (MPF_ENTRY_LAT_DEG - MPF_LAT_DEG)


def read_pathfinder_profile():
    """The shipped Pathfinder rows: dict of altitude_m (above the ellipsoid), density, p, T."""
    text = resources.files("marsprobe.edl").joinpath("data/mpf_asimet_1997.csv").read_text()
    rows = np.array(
        [[float(x) for x in line.split(",")] for line in text.splitlines() if line[:1].isdigit()]
    )
    radius_m = rows[:, 0] * 1e3
    h = height_above_ellipsoid(radius_m, PROFILE_DATUM, profile_latitude_deg(rows[:, 0]))
    order = np.argsort(h)
    return {
        "altitude_m": h[order],
        "site_altitude_m": radius_m[order] - MPF_SITE_RADIUS_KM * 1e3,
        "density_kg_m3": rows[order, 1],
        "pressure_pa": rows[order, 2],
        "temperature_k": rows[order, 3],
    }


def gridded_profile(model, h, rho, p, t, wind_east=None, wind_north=None) -> AtmosphereTable:
    """A measured or user profile (rows sorted by height above the ellipsoid, m) on GRID_M.

    Inside the rows: ln(density), ln(pressure) and temperature linear in height. Outside:
    isothermal hydrostatic continuation with the molar mass the end row implies
    (p = rho R T / M). Winds (m/s) are linear inside and held at their end values outside.
    """
    temp = np.interp(GRID_M, h, t)
    ln_rho = np.interp(GRID_M, h, np.log(rho))
    ln_p = np.interp(GRID_M, h, np.log(p))
    for sel, k in ((GRID_M < h[0], 0), (GRID_M > h[-1], -1)):
        mm = rho[k] * R_GAS * t[k] / p[k]
        scale_height = R_GAS * t[k] / (mm * _gravity(GRID_M[sel]))
        ln_rho[sel] = math.log(rho[k]) - (GRID_M[sel] - h[k]) / scale_height
        ln_p[sel] = math.log(p[k]) - (GRID_M[sel] - h[k]) / scale_height
    winds = [None if w is None else np.interp(GRID_M, h, w) for w in (wind_east, wind_north)]
    return AtmosphereTable(
        model=model,
        h0_m=float(GRID_M[0]),
        dh_m=DH_M,
        ln_density=ln_rho,
        temperature_k=temp,
        pressure_pa=np.exp(ln_p),
        sound_speed_m_s=np.sqrt(GAMMA * R_SPECIFIC * temp),
        wind_east_m_s=winds[0],
        wind_north_m_s=winds[1],
    )


def _pathfinder():
    prof = read_pathfinder_profile()
    h, rho, p, t = (
        prof[k] for k in ("altitude_m", "density_kg_m3", "pressure_pa", "temperature_k")
    )
    return gridded_profile("pathfinder-1997", h, rho, p, t)


def _glenn():
    h = np.minimum(GRID_M, 80_000.0)  # the fit's temperature goes absurd aloft: hold it
    t_c = np.where(h < 7000.0, -31.0 - 0.000998 * h, -23.4 - 0.00222 * h)
    p = 0.699e3 * np.exp(-0.00009 * GRID_M)
    temp = t_c + 273.1
    rho = (p / 1e3) / (0.1921 * temp)
    return _finish("glenn", temp, p, rho)


@functools.cache
def table(model: str = DEFAULT_MODEL) -> AtmosphereTable:
    """The gridded table of ``model`` (cached); ``model@ls=..,lt=..,gnd=..,lat=..`` moves a
    built-in model to a season and a local time (:mod:`marsprobe.edl.climate`)."""
    if "@" in model and not is_file_model(model):
        from marsprobe.edl import climate

        base, opts = climate.parse(model)
        moved = climate.apply(
            table(base), base, opts, GRID_M, _gravity, MOLAR_MASS_KG_MOL, R_GAS, _sound
        )
        return replace(moved, model=model)
    if model == "pathfinder-1997":
        return _pathfinder()
    if model == "hydrostatic":
        return _knotted(model, HYDROSTATIC_KNOTS)
    if model == "dust-storm-1971":
        return _knotted(model, DUST_STORM_KNOTS)
    if model == "glenn":
        return _glenn()
    if is_file_model(model):
        from marsprobe.edl.user_atmosphere import read_table

        rows = read_table(model)
        return gridded_profile(
            model,
            rows["h_m"],
            rows["density_kg_m3"],
            rows["pressure_pa"],
            rows["temperature_k"],
            rows["wind_east_m_s"],
            rows["wind_north_m_s"],
        )
    raise _unknown(model)


def _lookup(values, h_m, model):
    tab = table(model)
    return np.interp(np.asarray(h_m, dtype=float), GRID_M, values(tab))


def density(h_m, model: str = DEFAULT_MODEL):
    """Density, kg/m^3, at altitude ``h_m`` above the ellipsoid (m); array-valued."""
    tab = table(model)
    h = np.asarray(h_m, dtype=float)
    # ln(rho) is linear in h beyond the grid ends too (isothermal continuation)
    slope_top = (tab.ln_density[-1] - tab.ln_density[-2]) / DH_M
    ln_rho = np.interp(h, GRID_M, tab.ln_density)
    ln_rho = np.where(h > H_MAX_M, tab.ln_density[-1] + slope_top * (h - H_MAX_M), ln_rho)
    return np.exp(ln_rho)


def temperature(h_m, model: str = DEFAULT_MODEL):
    """Temperature, K."""
    return _lookup(lambda t: t.temperature_k, h_m, model)


def pressure(h_m, model: str = DEFAULT_MODEL):
    """Pressure, Pa."""
    return np.exp(_lookup(lambda t: np.log(t.pressure_pa), h_m, model))


def speed_of_sound(h_m, model: str = DEFAULT_MODEL):
    """Speed of sound, m/s."""
    return _lookup(lambda t: t.sound_speed_m_s, h_m, model)


def density_multiplier(h_m, density_scale=1.0, growth_per_km=0.0):
    """The dispersion factor applied to density: ``density_scale * exp(growth_per_km * h_km)``.

    A Monte Carlo draws one standard normal z per trajectory and sets
    ``density_scale = exp(z * sigma)`` and ``growth_per_km = z * sigma_growth``, so the
    log-density perturbation is fully correlated in height and its spread grows with height.
    """
    return np.asarray(density_scale) * np.exp(np.asarray(growth_per_km) * np.asarray(h_m) / 1e3)


def dispersion(model: str = DEFAULT_MODEL) -> AtmosphereDispersion:
    """1-sigma dispersion parameters of ``model``."""
    if is_file_model(model):
        table(model)  # a bad file is reported here, not deep inside a campaign
        return USER_TABLE_DISPERSION
    if "@" in model:
        table(model)  # bad options are reported here
        model = model.partition("@")[0]
    if model not in DISPERSIONS:
        raise _unknown(model)
    return DISPERSIONS[model]
