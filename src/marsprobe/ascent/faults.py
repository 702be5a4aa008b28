"""What can go wrong on the way up, as numbers: the fault inputs of an ascent and the
attitude physics they trigger.

A fault is a parameter value, never a code path of its own. With every field at its
default the ascent is nominal. The attitude models:

* **engine out** (``engines_out`` engines of stage ``engine_out_stage`` lost at
  ``engine_out_t``): thrust drops in proportion, and the lost engines' offset from the axis
  gives a disturbing torque ``k F_e r_e``. The steering engines answer with at most
  ``F_e sin(gimbal) L_arm G`` where ``G`` sums, over the engines left, how much of their
  deflection acts against that torque (all of it for two-axis gimbals; ``|sin(phi_i)|``
  for engines that swivel only tangentially, as on the Proton's first stage). If the
  disturbance is larger, the vehicle starts to turn with the difference.
* **loss of attitude control** (``attitude_lost_t``): the attitude reference freezes in
  inertial space and from then on drifts at ``attitude_drift_deg_s`` (a slow error such as a
  failed programme potentiometer) while any disturbing torque left (an engine out) turns it
  freely. Nothing steers any more.
* the **control system's limit**: when the angle between where the vehicle points and where
  the guidance wants it exceeds the vehicle's ``control_limit_deg``, the emergency system
  shuts the engines down (the "destruct" of the Soviet launch records).

The turning vehicle is a uniform rod of the stack's length about its centre of mass
(moment of inertia ``m L^2 / 12``), the centre of mass at ``cg_fraction`` of the length
above the gimbals: both are modelling choices stated in the vehicle data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from marsprobe.ascent.vehicle import Stage

INF = math.inf


@dataclass(frozen=True)
class AscentFaults:
    """Fault inputs of an ascent; times in s from lift-off, stages numbered from 1."""

    engine_cutoff_t: float = INF  # every burning engine stops, nothing ignites after
    failed_ignition_stage: int = 0  # this stage does not ignite when its turn comes
    engine_out_t: float = INF
    engines_out: int = 0
    engine_out_stage: int = 1
    attitude_lost_t: float = INF
    attitude_drift_deg_s: float = 0.0
    explosion_t: float = INF
    exploding_stage: int = 0  # this stage blows up when it is ignited
    shroud_jettisoned: bool = True  # False: the payload shroud stays on

    @property
    def nominal(self) -> bool:
        return self == AscentFaults()


def gimbal_effectiveness(stage: Stage, engines_out: int) -> float:
    """Sum over the engines left of the share of their deflection that opposes the torque
    of ``engines_out`` adjacent lost engines (engines evenly spaced around the axis)."""
    n = stage.engines
    left = n - engines_out
    if left <= 0 or stage.gimbal_deg <= 0.0:
        return 0.0
    if stage.gimbal_mode != "tangential":
        return float(left)
    # lost engines centred on azimuth 0; a tangential deflection of engine i gives a side
    # force along the lost engines' radius in proportion to |sin(phi_i)|
    centre = 0.5 * (engines_out - 1)
    total = 0.0
    for i in range(engines_out, n):
        phi = 2.0 * math.pi * (i - centre) / n
        total += abs(math.sin(phi))
    return total


def engine_out_torques(
    stage: Stage, engines_out: int, p: float, lever_arm: float
) -> tuple[float, float]:
    """Disturbing and largest correcting torques (N m) with ``engines_out`` engines lost.

    ``p`` ambient pressure (Pa), ``lever_arm`` gimbal-to-centre-of-mass distance (m).
    """
    if engines_out <= 0:
        return 0.0, 0.0
    f_engine = stage.thrust(p) / stage.engines
    # the centroid of the lost engines' thrust sits at r_e * |sum of their unit vectors| / k
    k = engines_out
    spread = abs(
        sum(math.cos(2.0 * math.pi * (i - 0.5 * (k - 1)) / stage.engines) for i in range(k))
    )
    disturbing = f_engine * stage.engine_radius * spread
    correcting = (
        f_engine
        * math.sin(math.radians(stage.gimbal_deg))
        * lever_arm
        * gimbal_effectiveness(stage, engines_out)
    )
    return disturbing, correcting


def rod_inertia(mass: float, length: float) -> float:
    """Moment of inertia (kg m^2) of a uniform rod of ``mass`` (kg) and ``length`` (m)."""
    return mass * length * length / 12.0
