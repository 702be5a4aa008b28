"""Fly a batch of entries: the public entry point of the EDL kernel.

>>> from marsprobe.edl import EntryState, fly
>>> entry = EntryState.single(altitude_m=120e3, speed_m_s=4420.0, fpa_deg=-16.99,
...                           heading_deg=90.0, lat_deg=22.0, lon_deg=-48.0)
>>> res = fly(entry, "viking1")                           # doctest: +SKIP
>>> res.event_list(0)[0]["name"], res.touchdown(0)["survived"]  # doctest: +SKIP
('entry', True)

Time is seconds since the entry state. Speeds are planet-relative (the Mach number and the
dynamic pressure use the air-relative speed, which includes the wind). Latitudes are
planetocentric, longitudes east-positive, altitudes above the reference ellipsoid (see
``marsprobe.edl.geometry``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from marsprobe.edl import atmosphere as atm
from marsprobe.edl import kernel as K
from marsprobe.edl.geometry import state_from_entry
from marsprobe.edl.params import PARAM_INDEX, parameter_array
from marsprobe.edl.vehicle import Vehicle, load_vehicle
from marsprobe.errors import InputError

# Step control (justified by the convergence test in tests/test_edl_fly.py): RK4 step
# k |v| / |a_aero| between DT_MIN and DT_MAX; step_scale multiplies all three.
STEP_K = 0.025
DT_MIN_S = 0.002
DT_MAX_S = 2.0
T_MAX_S = 3600.0
EXIT_ALTITUDE_M = 250e3


@dataclass(frozen=True)
class EntryState:
    """Entry states of N trajectories, each field an array of shape (N,).

    altitude_m above the ellipsoid; speed_m_s planet-relative; fpa_deg from the local
    horizontal, negative down; heading_deg clockwise from north; lat_deg planetocentric;
    lon_deg east-positive.
    """

    altitude_m: np.ndarray
    speed_m_s: np.ndarray
    fpa_deg: np.ndarray
    heading_deg: np.ndarray
    lat_deg: np.ndarray
    lon_deg: np.ndarray

    def __post_init__(self):
        arrays = [np.atleast_1d(np.asarray(getattr(self, f), dtype=float)) for f in self._fields()]
        n = max(len(a) for a in arrays)
        for name, a in zip(self._fields(), arrays, strict=True):
            if len(a) not in (1, n):
                raise InputError(f"EntryState.{name}: length {len(a)}, expected 1 or {n}")
            object.__setattr__(self, name, np.broadcast_to(a, (n,)).copy())
        if np.any(self.speed_m_s <= 0):
            raise InputError("EntryState.speed_m_s must be > 0")

    @staticmethod
    def _fields():
        return ("altitude_m", "speed_m_s", "fpa_deg", "heading_deg", "lat_deg", "lon_deg")

    @classmethod
    def single(cls, **kw) -> EntryState:
        """One trajectory from scalars."""
        return cls(**kw)

    def __len__(self):
        return len(self.altitude_m)


@dataclass(frozen=True)
class EDLResult:
    """Arrays for N trajectories.

    events: (N, 10, 6), slots ``kernel.EVENT_NAMES``, fields ``kernel.EVENT_FIELDS``, NaN where
    the event did not happen; touchdown: (N, 13), fields ``kernel.TOUCHDOWN_FIELDS``, NaN where
    the vehicle never reached the ground; outcome: codes into ``kernel.OUTCOMES`` (a crash is a
    touchdown above the survival speed); phase: the phase reached (``kernel.PHASES``);
    history: for ``fly(..., history=True)`` a dict of 1-D arrays of trajectory 0.
    """

    events: np.ndarray
    touchdown_array: np.ndarray
    outcome: np.ndarray
    phase: np.ndarray
    vehicle_id: str
    atmosphere: str
    history: dict | None = None

    def __len__(self):
        return len(self.outcome)

    def event(self, name: str, field: str = "t_s") -> np.ndarray:
        """One field of one event for every trajectory, e.g. ``event('main_chute', 'mach')``."""
        if name not in K.EVENT_NAMES:
            raise InputError(f"unknown event {name!r}: accepted are {', '.join(K.EVENT_NAMES)}")
        if field not in K.EVENT_FIELDS:
            raise InputError(f"unknown field {field!r}: accepted are {', '.join(K.EVENT_FIELDS)}")
        return self.events[:, K.EVENT_NAMES.index(name), K.EVENT_FIELDS.index(field)]

    def td(self, field: str) -> np.ndarray:
        """One touchdown field for every trajectory (``kernel.TOUCHDOWN_FIELDS``)."""
        if field not in K.TOUCHDOWN_FIELDS:
            raise InputError(
                f"unknown field {field!r}: accepted are {', '.join(K.TOUCHDOWN_FIELDS)}"
            )
        return self.touchdown_array[:, K.TOUCHDOWN_FIELDS.index(field)]

    @property
    def survived(self) -> np.ndarray:
        return self.outcome == 0

    @property
    def outcome_names(self) -> np.ndarray:
        return np.array(K.OUTCOMES)[self.outcome]

    def event_list(self, k: int = 0) -> list[dict]:
        """The events trajectory k went through, in time order, as JSON-ready dicts."""
        out = []
        for e, name in enumerate(K.EVENT_NAMES):
            row = self.events[k, e]
            if np.isnan(row[0]) or name == "marker":
                continue
            d = {"name": name}
            d.update({f: float(v) for f, v in zip(K.EVENT_FIELDS, row, strict=True)})
            out.append(d)
        return sorted(out, key=lambda d: d["t_s"])

    def touchdown(self, k: int = 0) -> dict:
        """Touchdown of trajectory k: speeds, site, time since entry, outcome (JSON-ready)."""
        d = {f: float(v) for f, v in zip(K.TOUCHDOWN_FIELDS, self.touchdown_array[k], strict=True)}
        d["survived"] = bool(self.outcome[k] == 0)
        d["outcome"] = K.OUTCOMES[int(self.outcome[k])]
        return d

    def columns(self) -> dict[str, np.ndarray]:
        """Flat 1-D columns (for a table or Parquet): ``<event>_<field>``, ``touchdown_*``."""
        cols = {}
        for e, name in enumerate(K.EVENT_NAMES):
            for f, field in enumerate(K.EVENT_FIELDS):
                cols[f"{name}_{field}"] = self.events[:, e, f]
        for f, field in enumerate(K.TOUCHDOWN_FIELDS):
            cols[f"touchdown_{field}"] = self.touchdown_array[:, f]
        cols["outcome"] = self.outcome
        cols["phase"] = self.phase
        return cols


def _cd_table(vehicle: Vehicle):
    t = vehicle.aeroshell.cd_mach
    return np.asarray(t.mach, dtype=float), np.asarray(t.cd, dtype=float)


def fly(
    entry: EntryState,
    vehicle,
    atmosphere: str = atm.DEFAULT_MODEL,
    dispersions: dict | None = None,
    *,
    step_scale: float = 1.0,
    history: bool = False,
    history_rows: int = 20000,
    t_max_s: float = T_MAX_S,
) -> EDLResult:
    """Fly every entry state from entry to touchdown (or skip-out) in one compiled batch.

    vehicle: a :class:`Vehicle`, a built-in id (``m71``, ``m73``, ``viking1``, ``pathfinder``)
    or a TOML path. atmosphere: a model id of :mod:`marsprobe.edl.atmosphere`. dispersions:
    {parameter name: scalar or array (N,)} (names in :mod:`marsprobe.edl.params`), which is how
    faults are injected too (``{"main_chute_enabled": 0}``). step_scale multiplies every step
    limit (0.5 halves them). history: also return the time history of trajectory 0.
    """
    vehicle = load_vehicle(vehicle)
    if not isinstance(entry, EntryState):
        raise InputError("entry must be an EntryState")
    if step_scale <= 0:
        raise InputError("step_scale must be > 0")
    n = len(entry)
    tab = atm.table(atmosphere)
    P = parameter_array(vehicle, n, dispersions)
    if np.any(P[:, PARAM_INDEX["mass_kg"]] <= 0):
        raise InputError("mass_kg must be > 0")
    pos, vel = state_from_entry(
        entry.altitude_m,
        entry.speed_m_s,
        entry.fpa_deg,
        entry.heading_deg,
        entry.lat_deg,
        entry.lon_deg,
    )
    y0 = np.empty((n, 7))
    y0[:, 0:3] = pos
    y0[:, 3:6] = vel
    y0[:, 6] = P[:, PARAM_INDEX["mass_kg"]]
    mt, cdt = _cd_table(vehicle)
    args = (
        tab.h0_m,
        tab.dh_m,
        tab.kernel_rows(),
        mt,
        cdt,
        STEP_K * step_scale,
        DT_MIN_S * step_scale,
        DT_MAX_S * step_scale,
        t_max_s,
        EXIT_ALTITUDE_M,
    )
    ev, td, outcome, phase = K.fly_batch(y0, P, *args)
    hist = None
    if history:
        h = np.empty((history_rows, K.NHIST))
        ev0 = np.empty((K.NEV, K.NEF))
        td0 = np.empty(K.NTD)
        _, _, nh = K.fly_one(y0[0], P[0], *args, ev0, td0, h)
        hist = {f: h[:nh, j] for j, f in enumerate(K.HISTORY_FIELDS)}
        hist["phase"] = hist["phase"].astype(int)
    return EDLResult(ev, td, outcome, phase, vehicle.id, atmosphere, hist)
