"""Where a descent starts: the entry state of a mission's descent module.

A replay takes the entry state the arrival phase hands over. A descent studied on its own
(``marsprobe edl SLUG``) starts from the design entry state of the flight file's
``[flight.edl]``, aimed at its ``target_lat_deg``/``target_lon_deg`` when the file gives an aim
point instead of an entry point.
"""

from __future__ import annotations

from marsprobe.errors import ScenarioError
from marsprobe.mission.descent import EdlParams, EntryInterface
from marsprobe.mission.scenario import flight_plan
from marsprobe.mission.schema import Mission


def entry_for(
    mission: Mission, without: tuple[str, ...] = (), *, from_cruise: bool = False
) -> tuple[EdlParams, EntryInterface]:
    """The EDL parameters (faults applied) and the entry state of a mission's lander."""
    plan = flight_plan(mission, without)
    params = plan.get("edl")
    if params is None:
        raise ScenarioError(f"mission '{mission.slug}' has no descent module ([flight.edl])")
    if from_cruise:
        from marsprobe.mission.replay import fly_to_entry

        entry = fly_to_entry(mission, plan)
        if entry is None:
            raise ScenarioError(
                f"mission '{mission.slug}': the flight never reaches an entry interface"
            )
        return params, entry
    entry = params.design_entry()
    if entry is None:
        raise ScenarioError(
            f"mission '{mission.slug}': [flight.edl] gives no complete design entry state "
            "(entry_altitude_km, entry_speed_km_s, entry_fpa_deg, entry_heading_deg, "
            "entry_lat_deg, entry_lon_deg); use --from-cruise"
        )
    return params, entry
