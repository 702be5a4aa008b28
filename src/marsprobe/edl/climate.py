"""Season, time of day and latitude for the Mars atmospheres: a model id with options.

An atmosphere is named by a model id of :mod:`marsprobe.edl.atmosphere`, optionally followed
by options: ``"pathfinder-1997@ls=97,lt=15,gnd=-3.5,lat=22.27"`` flies the Pathfinder profile
moved to solar longitude 97 deg and 15 h local solar time over ground at -3.5 km at 22.27 N.
Without options a model is exactly as before (every default keeps the shipped results).

Season (``ls``, deg): the whole column's mass follows the seasonal CO2 cycle, so pressure and
density at every height are scaled by ``f(ls) / f(ls_model)``, where ``f`` is the Viking
Lander 1 sol-mean surface-pressure cycle normalised to its annual mean and ``ls_model`` is the
season the model stands for (:data:`MODEL_LS_DEG`). ``f`` runs through the cycle's published
extremes: 6.7 mbar in northern summer and 8.89 mbar at the start of northern winter (K. R.
Lang, 'Martian surface pressure', fig. 8.7 and caption of the Viking Lander daily means, Tufts
University 'Cosmos' collection, 2010; read in this session). Chosen: the minimum
is placed at Ls 150 (the late end of northern summer: Hess et al. 1976, Science 194:78, found
the mean pressure still falling through the first 20 sols after landing at Ls 97), the maximum
at Ls 270, joined by half-cosines. The cycle's secondary extremes of northern spring are not
in it (not in the sources read): ``tests/test_edl_climate.py`` and the validation table show
what that misses.

Time of day (``lt``, h of local solar time, with ``gnd`` the ground's height above the
ellipsoid in km, and ``lat`` the site's latitude in deg): the air near the ground warms and
cools over the sol. The temperature is moved by ``A(z) [c(lt) - c(lt_model)]`` with
``c(t) = cos(2 pi (t - 15) / 24)`` and ``A(z) = A0(lat) exp(-z / 3 km)`` at height ``z``
above the ground. Chosen: the warmest hour (15 h), and the 3 km decay (the daytime convective
layer of Mars reaches a few km; the diurnal tide aloft, a few K, is left out). The surface
pressure is held and the column is re-integrated hydrostatically, so density follows 1/T
near the ground. Holding it neglects the measured tides: 0.1 mbar of diurnal swing at Viking
1 (Hess et al. 1976, Science 193:788), and smaller diurnal and semidiurnal oscillations at
Viking 2 (Hess et al. 1976, Science 194:1352).

The near-ground amplitude ``A0`` is half the measured diurnal range of the air temperature at
1.6 m at the two Viking landers, both in northern summer:

- Viking Lander 1, 22.27 N: 27.3 K, half of the 20-sol composite's 187.2 to 241.8 K (Hess et
  al. 1976, 'Mars Climatology from Viking 1 After 20 Sols', Science 194:78).
- Viking Lander 2, 47.97 N: 25.0 K, half of the early-summer average daily maximum 241 K and
  diurnal minimum 191 K (Hess et al. 1976, 'Early Meteorological Results from the Viking 2
  Lander', Science 194:1352).

The stations' latitudes are those of ``edl/data/sites.toml`` (the sites the landers' descents
touch down on; 22.48 N, another latitude published for Viking 1, would move ``A0`` by under
0.02 K anywhere). Between them ``A0`` is linear in the absolute latitude; outside
[22.27, 47.97] deg it is held at the nearer station's value. Chosen: linear, because two
stations fix a straight line and nothing more; in ``|lat|``, because what sets the range (the
sun's daily swing and the ground's thermal inertia) picks no hemisphere, so a southern site
takes the figure of its northern mirror, not the equatorward station's. Both figures are
northern summer: the seasonal change of the range, and any hemispheric difference, are not
in the model. Without ``lat`` the amplitude is 27 K, half of Viking 1's 188 to 244 K over its
first 4 sols (Hess et al. 1976, Science 193:788), as before, so ids written before keep their
meaning; with ``lat`` the 20-sol composite, a harmonic analysis of five times as many sols
with a measured rather than estimated maximum, supersedes that figure at Viking 1. A flight
(``EdlParams.flown_atmosphere``) passes its site's latitude, else its design entry latitude.

Latitude does not move the season's cycle: that is the column-mass cycle measured at 22 N,
and a table stands for one site's column.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from marsprobe.errors import InputError

VL1_MIN_MBAR = 6.7  # Lang 2010, fig. 8.7 (Viking Lander 1, northern summer)
VL1_MAX_MBAR = 8.89  # Lang 2010, fig. 8.7 (Viking Lander 1, start of northern winter)
LS_MIN_DEG = 150.0  # chosen, see the module docstring
LS_MAX_DEG = 270.0  # 'commencement of northern winter' (Lang 2010)
DIURNAL_AMPLITUDE_K = 27.0  # half of 188-244 K (Hess et al. 1976, Science 193:788): no lat
VL1_LAT_DEG = 22.27  # edl/data/sites.toml, viking-1
VL1_HALF_RANGE_K = (241.8 - 187.2) / 2  # Hess et al. 1976, Science 194:78 (20-sol composite)
VL2_LAT_DEG = 47.97  # edl/data/sites.toml, viking-2
VL2_HALF_RANGE_K = (241.0 - 191.0) / 2  # Hess et al. 1976, Science 194:1352 (early summer)
DIURNAL_DECAY_M = 3000.0  # chosen, see the module docstring
WARMEST_HOUR = 15.0  # chosen

# The season and local solar time each built-in model stands for. Pathfinder: entry at Ls 142
# at about 3 h local solar time (Magalhaes, Schofield & Seiff 1999: a night-time profile).
# The generic models stand for an annual, daily mean: no shift is applied to them for lt
# (None), and f is relative to the annual mean. The 1971 storm: Mars 3's entry, Ls ~300.
MODEL_LS_DEG = {"pathfinder-1997": 142.0, "dust-storm-1971": 300.0}
MODEL_LT_H = {"pathfinder-1997": 3.0}


@dataclass(frozen=True)
class Options:
    """Options of an atmosphere id (None: as the model is)."""

    ls_deg: float | None = None
    local_time_h: float | None = None
    ground_km: float = 0.0
    lat_deg: float | None = None


def parse(model: str) -> tuple[str, Options]:
    """Split ``"base@ls=..,lt=..,gnd=..,lat=.."`` into the base model id and its options."""
    if "@" not in model:
        return model, Options()
    base, _, rest = model.partition("@")
    keys = {"ls": "ls_deg", "lt": "local_time_h", "gnd": "ground_km", "lat": "lat_deg"}
    vals: dict[str, float] = {}
    for item in rest.split(","):
        key, eq, value = item.partition("=")
        try:
            if not eq or key.strip() not in keys or keys[key.strip()] in vals:
                raise ValueError
            vals[keys[key.strip()]] = float(value)
        except ValueError:
            raise InputError(
                f"atmosphere {model!r}: options are ls=DEG, lt=HOURS, gnd=KM, lat=DEG after "
                "'@', each once"
            ) from None
    if not math.isfinite(vals.get("ground_km", 0.0)):
        raise InputError(f"atmosphere {model!r}: the ground height gnd must be a number of km")
    opts = Options(**vals)
    check(opts.ls_deg, opts.local_time_h, opts.lat_deg)
    return base, opts


def check(ls_deg: float | None, local_time_h: float | None, lat_deg: float | None = None) -> None:
    """One clear InputError for a season, local time or latitude out of its range."""
    if ls_deg is not None and not (math.isfinite(ls_deg) and 0.0 <= ls_deg < 360.0):
        raise InputError(f"solar longitude {ls_deg} deg is not in [0, 360)")
    if local_time_h is not None and not (
        math.isfinite(local_time_h) and 0.0 <= local_time_h < 24.0
    ):
        raise InputError(f"local solar time {local_time_h} h is not in [0, 24)")
    if lat_deg is not None and not (math.isfinite(lat_deg) and -90.0 <= lat_deg <= 90.0):
        raise InputError(f"latitude {lat_deg} deg is not in [-90, 90]")


def spec(
    base: str,
    ls_deg: float | None,
    local_time_h: float | None,
    ground_m: float = 0.0,
    lat_deg: float | None = None,
) -> str:
    """The atmosphere id flying ``base`` at a season and a local time (``base`` if neither);
    the ground (m) and the latitude (deg) are written with a local time, which they shape."""
    check(ls_deg, local_time_h, lat_deg)
    opts = []
    if ls_deg is not None:
        opts.append(f"ls={ls_deg:g}")
    if local_time_h is not None:
        opts.append(f"lt={local_time_h:g}")
        opts.append(f"gnd={ground_m / 1e3:g}")
        if lat_deg is not None:
            opts.append(f"lat={lat_deg:g}")
    return base if not opts else f"{base}@{','.join(opts)}"


def diurnal_amplitude_k(lat_deg: float | None) -> float:
    """Half the diurnal range of the near-ground air temperature (K) at latitude ``lat_deg``
    (deg): linear in ``|lat|`` between the Viking landers, held beyond them (docstring)."""
    if lat_deg is None:
        return DIURNAL_AMPLITUDE_K
    x = min(max(abs(lat_deg), VL1_LAT_DEG), VL2_LAT_DEG)
    frac = (x - VL1_LAT_DEG) / (VL2_LAT_DEG - VL1_LAT_DEG)
    return VL1_HALF_RANGE_K + (VL2_HALF_RANGE_K - VL1_HALF_RANGE_K) * frac


def _vl1_mbar(ls_deg):
    """The Viking Lander 1 sol-mean surface pressure cycle (mbar) of the module docstring."""
    ls = np.mod(np.asarray(ls_deg, dtype=float) - LS_MIN_DEG, 360.0)  # 0 at the minimum
    rise = LS_MAX_DEG - LS_MIN_DEG
    frac = np.where(ls <= rise, ls / rise, 1.0 - (ls - rise) / (360.0 - rise))
    return VL1_MIN_MBAR + (VL1_MAX_MBAR - VL1_MIN_MBAR) * 0.5 * (1.0 - np.cos(np.pi * frac))


def vl1_pressure_mbar(ls_deg):
    """Viking Lander 1 sol-mean surface pressure (mbar) at solar longitude ``ls_deg``."""
    return _vl1_mbar(ls_deg)


def seasonal_factor(ls_deg):
    """The column mass at ``ls_deg`` relative to its annual mean (1 on average)."""
    grid = np.arange(0.0, 360.0, 0.5)
    return _vl1_mbar(ls_deg) / float(np.mean(_vl1_mbar(grid)))


def apply(tab, base: str, opts: Options, grid_m, gravity, molar_mass, r_gas, sound):
    """The table ``tab`` of model ``base`` moved to the season and local time of ``opts``."""
    if opts.ls_deg is None and opts.local_time_h is None:
        return tab
    if base not in MODEL_LS_DEG and base not in ("hydrostatic", "glenn"):
        raise InputError(
            f"atmosphere {base!r}: a season or local time applies to the built-in models only"
        )
    ln_p = np.log(tab.pressure_pa)
    ln_rho = tab.ln_density.copy()
    temp = tab.temperature_k
    if opts.local_time_h is not None:
        lt_model = MODEL_LT_H.get(base)
        c_model = 0.0 if lt_model is None else _c(lt_model)
        z = np.maximum(grid_m - opts.ground_km * 1e3, 0.0)
        new_t = temp + diurnal_amplitude_k(opts.lat_deg) * np.exp(-z / DIURNAL_DECAY_M) * (
            _c(opts.local_time_h) - c_model
        )
        # hydrostatic: d ln p / dh = -g M / (R T); the ground's pressure is held
        d = -gravity(grid_m) * molar_mass / r_gas * (1.0 / new_t - 1.0 / temp)
        cum = np.concatenate([[0.0], np.cumsum(0.5 * (d[1:] + d[:-1]) * np.diff(grid_m))])
        cum -= np.interp(opts.ground_km * 1e3, grid_m, cum)
        ln_p = ln_p + cum
        ln_rho = ln_rho + cum + np.log(temp / new_t)
        temp = new_t
    if opts.ls_deg is not None:
        ls_model = MODEL_LS_DEG.get(base)
        ref = 1.0 if ls_model is None else float(seasonal_factor(ls_model))
        shift = math.log(float(seasonal_factor(opts.ls_deg)) / ref)
        ln_p = ln_p + shift
        ln_rho = ln_rho + shift
    return replace(
        tab,
        ln_density=ln_rho,
        temperature_k=temp,
        pressure_pa=np.exp(ln_p),
        sound_speed_m_s=sound(temp),
    )


def _c(hours: float) -> float:
    return math.cos(2.0 * math.pi * (hours - WARMEST_HOUR) / 24.0)
