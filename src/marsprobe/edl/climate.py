"""Season and time of day for the Mars atmospheres: a model id with options.

An atmosphere is named by a model id of :mod:`marsprobe.edl.atmosphere`, optionally followed
by options: ``"pathfinder-1997@ls=97,lt=15,gnd=-3.5"`` flies the Pathfinder profile moved to
solar longitude 97 deg and 15 h local solar time over ground at -3.5 km. Without options a
model is exactly as before (every default keeps the shipped results).

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
ellipsoid in km): the air near the ground warms and cools over the sol. The temperature is
moved by ``A(z) [c(lt) - c(lt_model)]`` with ``c(t) = cos(2 pi (t - 15) / 24)`` and
``A(z) = 27 K exp(-z / 3 km)`` at height ``z`` above the ground. 27 K: half the range of the
Viking Lander 1 air temperature at 1.6 m over its first sols, 188 to 244 K (Hess et al. 1976,
Science 193:788). Chosen: the warmest hour (15 h), and the 3 km decay (the daytime convective
layer of Mars reaches a few km; the diurnal tide aloft, a few K, is left out). The surface
pressure is held (its diurnal swing is 0.1 mbar at Viking 1, the same paper) and the column
is re-integrated hydrostatically, so density follows 1/T near the ground.

Latitude is not a separate option: a table stands for one site's column, and the season's
cycle is the column-mass cycle measured at 22 N.
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
DIURNAL_AMPLITUDE_K = 27.0  # half of 188-244 K (Hess et al. 1976, Science 193:788)
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


def parse(model: str) -> tuple[str, Options]:
    """Split ``"base@ls=..,lt=..,gnd=.."`` into the base model id and its options."""
    if "@" not in model:
        return model, Options()
    base, _, rest = model.partition("@")
    keys = {"ls": "ls_deg", "lt": "local_time_h", "gnd": "ground_km"}
    vals: dict[str, float] = {}
    for item in rest.split(","):
        key, eq, value = item.partition("=")
        try:
            if not eq or key.strip() not in keys:
                raise ValueError
            vals[keys[key.strip()]] = float(value)
        except ValueError:
            raise InputError(
                f"atmosphere {model!r}: options are ls=DEG, lt=HOURS, gnd=KM after '@'"
            ) from None
    opts = Options(**vals)
    check(opts.ls_deg, opts.local_time_h)
    return base, opts


def check(ls_deg: float | None, local_time_h: float | None) -> None:
    if ls_deg is not None and not (math.isfinite(ls_deg) and 0.0 <= ls_deg < 360.0):
        raise InputError(f"solar longitude {ls_deg} deg is not in [0, 360)")
    if local_time_h is not None and not (
        math.isfinite(local_time_h) and 0.0 <= local_time_h < 24.0
    ):
        raise InputError(f"local solar time {local_time_h} h is not in [0, 24)")


def spec(base: str, ls_deg: float | None, local_time_h: float | None, ground_m: float = 0.0) -> str:
    """The atmosphere id flying ``base`` at a season and a local time (``base`` if neither)."""
    check(ls_deg, local_time_h)
    opts = []
    if ls_deg is not None:
        opts.append(f"ls={ls_deg:g}")
    if local_time_h is not None:
        opts.append(f"lt={local_time_h:g}")
        opts.append(f"gnd={ground_m / 1e3:g}")
    return base if not opts else f"{base}@{','.join(opts)}"


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
        new_t = temp + DIURNAL_AMPLITUDE_K * np.exp(-z / DIURNAL_DECAY_M) * (
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
