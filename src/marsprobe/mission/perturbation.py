"""One flight's errors: the injection, the navigation and the burns, and the faults' sizes.

A real flight never flies its design exactly. Three kinds of error are drawn here, each
zero-mean and normal with the 1-sigma its data file declares:

- the escape stage's **injection** error: a velocity error added to the state the stage
  hands over at cut-off (``[stage.injection]`` of the vehicle file, per ICRF axis);
- the **navigation** error of each course correction: the ground computes the correction
  from a state that is off the true one by a position and a velocity error
  (``[navigation]`` of the spacecraft file), so the correction removes the injection error
  only as well as the state was known;
- the **execution** error of each correction: the burn flown is the one computed plus an
  error whose 1-sigma per axis is a fraction of its Δv (same table).

And the **size of each fault** whose declared role is ``inferred`` or ``chosen``: the value
plus its own 1-sigma (the fault's ``sigma`` table). The corrections pay for what they
correct from the tanks (:mod:`marsprobe.mission.cruise`), so a large error can empty them.

A :class:`Perturbation` is drawn from standard normal variates (:meth:`Perturbation.draw`),
so that a campaign can feed it reproducible numbers (:mod:`marsprobe.analysis.mission_ensemble`)
and a test a numpy Generator. ``replay(..., perturbation=None)`` is the nominal flight.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from marsprobe.errors import ScenarioError
from marsprobe.mission.schema import Mission


@dataclass(frozen=True)
class Uncertainty:
    """What may be uncertain in one mission's flight, with each 1-sigma (SI units).

    ``injection_sigma_m_s``: per ICRF axis of the velocity at the escape stage's cut-off;
    ``position_sigma_m`` / ``velocity_sigma_m_s``: per axis of the state a correction aims
    from; ``execution_sigma_fraction``: per axis of a burn, as a fraction of its Δv;
    ``n_tcm``: the planned corrections; ``fault_sizes``: ``(fault id, phase.parameter,
    1-sigma)`` of each inferred or chosen fault size, in the parameter's unit.
    """

    injection_sigma_m_s: float
    position_sigma_m: float
    velocity_sigma_m_s: float
    execution_sigma_fraction: float
    n_tcm: int
    fault_sizes: tuple[tuple[str, str, float], ...] = ()

    # how many standard normals each stream of a draw takes
    def sizes(self) -> dict[str, int]:
        return {
            "injection": 3,
            "navigation": 6 * self.n_tcm,
            "execution": 3 * self.n_tcm,
            "fault_sizes": len(self.fault_sizes),
        }


def uncertainty(mission: Mission, without: tuple[str, ...] = ()) -> Uncertainty:
    """The mission's :class:`Uncertainty` from its vehicle, spacecraft and faults' files.

    A fault size declared ``inferred`` or ``chosen`` without its 1-sigma is an error:
    an ensemble that held it fixed would claim more certainty than the file has.
    """
    from marsprobe.ascent.library import injection_sigma_m_s
    from marsprobe.mission.scenario import flight_plan
    from marsprobe.mission.spacecraft import navigation

    plan = flight_plan(mission, tuple(without))
    cruise = plan.get("cruise")
    nav = navigation(cruise.spacecraft) if cruise is not None else None
    sizes = []
    for fault in plan.applied:
        for path in fault.uncertain_sizes():
            if path not in fault.sigma:
                raise ScenarioError(
                    f"mission '{mission.slug}': fault {fault.id}: {path} is "
                    f"{fault.roles.get(path, 'fault').split(':')[0]} but has no sigma"
                )
            sizes.append((fault.id, path, fault.sigma[path].value))
    return Uncertainty(
        injection_sigma_m_s=injection_sigma_m_s(plan.header.vehicle),
        position_sigma_m=nav.position_sigma_m if nav else 0.0,
        velocity_sigma_m_s=nav.velocity_sigma_m_s if nav else 0.0,
        execution_sigma_fraction=nav.execution_sigma_fraction if nav else 0.0,
        n_tcm=len(cruise.tcm_utc) if cruise is not None else 0,
        fault_sizes=tuple(sizes),
    )


@dataclass(frozen=True)
class Perturbation:
    """The errors of one flight (SI units, ICRF axes).

    ``injection_dv``: (3,) m/s added to the velocity at the escape stage's cut-off;
    ``nav_dr``, ``nav_dv``: (n_tcm, 3) m and m/s, the error of the state each correction is
    computed from; ``execution``: (n_tcm, 3) the burn's error per axis as a fraction of its
    Δv; ``fault_sizes``: ``(fault id, phase.parameter, offset)`` added to those sizes.
    """

    injection_dv: np.ndarray
    nav_dr: np.ndarray
    nav_dv: np.ndarray
    execution: np.ndarray
    fault_sizes: tuple[tuple[str, str, float], ...] = ()

    @classmethod
    def draw(cls, spec: Uncertainty, normals: dict[str, np.ndarray]) -> Perturbation:
        """From standard normal variates, one 1-D array per stream of ``spec.sizes()``."""
        for name, k in spec.sizes().items():
            if np.shape(normals.get(name, ())) != (k,):
                raise ValueError(f"stream {name!r} needs {k} standard normals")
        nav = np.asarray(normals["navigation"], float).reshape(spec.n_tcm, 6)
        ex = np.asarray(normals["execution"], float).reshape(spec.n_tcm, 3)
        return cls(
            injection_dv=spec.injection_sigma_m_s * np.asarray(normals["injection"], float),
            nav_dr=spec.position_sigma_m * nav[:, :3],
            nav_dv=spec.velocity_sigma_m_s * nav[:, 3:],
            execution=spec.execution_sigma_fraction * ex,
            fault_sizes=tuple(
                (fid, path, sigma * float(z))
                for (fid, path, sigma), z in zip(
                    spec.fault_sizes, normals["fault_sizes"], strict=True
                )
            ),
        )

    @classmethod
    def sample(cls, spec: Uncertainty, rng: np.random.Generator) -> Perturbation:
        """One draw from a numpy Generator (the streams in a fixed order)."""
        return cls.draw(spec, {k: rng.standard_normal(n) for k, n in spec.sizes().items()})

    def navigation_error(self, index: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(position error m, velocity error m/s, execution fractions) of correction ``index``;
        zeros past the corrections drawn for (a correction the plan does not have)."""
        if index >= len(self.nav_dr):
            zero = np.zeros(3)
            return zero, zero, zero
        return self.nav_dr[index], self.nav_dv[index], self.execution[index]

    def to_json(self) -> dict[str, Any]:
        return {
            "injection_dv_m_s": [round(float(x), 4) for x in self.injection_dv],
            "fault_sizes": {f"{fid}:{path}": off for fid, path, off in self.fault_sizes},
        }


def with_fault_sizes(mission: Mission, perturbation: Perturbation | None) -> Mission:
    """The mission with its uncertain fault sizes moved by the perturbation's offsets."""
    if perturbation is None or not perturbation.fault_sizes:
        return mission
    flight = dict(mission.flight)
    faults = [dict(f) for f in flight.get("faults", [])]
    for fid, path, offset in perturbation.fault_sizes:
        for fault in faults:
            if fault.get("id") == fid:
                fault["set"] = {**fault["set"], path: float(fault["set"][path]) + offset}
    flight["faults"] = faults
    return mission.model_copy(update={"flight": flight})


def perturbed_departure(departure, injection_dv: np.ndarray):
    """The escape stage's hand-over with the injection error added to its velocity; the
    departure hyperbola (C3, asymptote) is recomputed from the geocentric state."""
    from marsprobe.ascent.escape import hyperbola
    from marsprobe.ephemeris import state
    from marsprobe.orbits.conics import asymptote_ra_dec

    v = np.asarray(departure.v, float) + np.asarray(injection_dv, float)
    r_e, v_e = state("earth", departure.epoch, "sun")
    c3, v_inf = hyperbola(np.asarray(departure.r, float) - np.asarray(r_e), v - np.asarray(v_e))
    if not c3 > 0.0:
        c3_km2_s2, vinf_km_s, ra, dec = c3 / 1e6, 0.0, 0.0, 0.0  # bound: no asymptote
    else:
        ra_rad, dec_rad = asymptote_ra_dec(np.asarray(v_inf, float))
        c3_km2_s2, vinf_km_s = c3 / 1e6, math.sqrt(c3) / 1e3
        ra, dec = math.degrees(float(ra_rad)), math.degrees(float(dec_rad))
    return replace(departure, v=v, c3_km2_s2=c3_km2_s2, vinf_km_s=vinf_km_s, ra_deg=ra, dec_deg=dec)
