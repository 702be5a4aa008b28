"""Conservation of propellant: every burn draws from a declared load and stops when it is spent.

The loads are in the spacecraft files (``mission/data/spacecraft/*.toml``, sourced or chosen
with a reason) and the launch vehicles' stage files; the phases debit them burn by burn.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from marsprobe import catalog
from marsprobe.constants import G0_M_S2
from marsprobe.mission.cruise import FlightEvent
from marsprobe.mission.lander import _burn_event
from marsprobe.mission.replay import replay
from marsprobe.mission.scenario import flight_plan
from marsprobe.mission.spacecraft import load_spacecraft, spacecraft_file, spacecraft_ids


@pytest.mark.parametrize("sc_id", spacecraft_ids())
def test_every_spacecraft_declares_its_loads(sc_id):
    f = spacecraft_file(sc_id)
    # The schema requires the load; each one says where it came from.
    assert f.propellant_kg.value >= 0
    assert f.propellant_kg.src or f.src
    if f.lander is not None:
        assert f.lander.deflection_propellant_kg.value < f.lander.mass_kg.value


def test_the_escape_burns_the_spacecraft_tanks_it_then_cruises_on():
    # Where the craft's own engine completes the escape, the escape table's load and the
    # spacecraft file's load are one tank: they must be the same figure.
    seen = []
    for slug in catalog.slugs():
        plan = flight_plan(catalog.load(slug))
        esc, cruise = plan.get("escape"), plan.get("cruise")
        if esc is None or cruise is None or esc.spacecraft_thrust_kn <= 0:
            continue
        seen.append(slug)
        assert esc.spacecraft_propellant_kg == load_spacecraft(cruise.spacecraft).propellant_kg
    # M-69 (two), Fobos (two) and Mars 96 complete their escapes with their own engines.
    assert len(seen) == 5, seen


class _Module:
    lander_mass_kg = 1000.0
    lander_isp_s = 230.0
    lander_propellant_kg = 50.0


def test_a_module_burn_stops_when_its_load_is_spent():
    events: list[FlightEvent] = []
    dv = np.array([200.0, 0.0, 0.0])
    made = _burn_event("lander_deflection", _Module, 0.0, dv, events)
    c = 230.0 * G0_M_S2
    # Rocket equation: 50 kg from 1,000 kg at Isp 230 s gives c ln(1000/950) = 115.7 m/s.
    assert float(np.linalg.norm(made)) == pytest.approx(c * math.log(1000 / 950), rel=1e-12)
    data = events[0].data
    assert data["propellant_kg"] == 50.0 and data["propellant_left_kg"] == 0.0
    assert data["detail"] == "propellant exhausted"


def test_phobos_1_without_its_fault_runs_dry_in_the_orbit_insertion():
    # Without the bad command the 1F flies on to Mars; its propulsion unit already spent
    # about 1,470 kg of its 3,000 kg completing the escape, so the 2.45 km/s insertion its
    # approach asks for (about 2,600 kg) cannot be paid: the burn ends with the tanks dry,
    # and what follows is whatever that partial burn achieved (here: no capture).
    r = replay(catalog.load("phobos-1"), ("bad-command-thrusters-off",))
    escape_used = r.launch.extra["spacecraft_burn"]["propellant_used_kg"]
    moi = r.flight.arrival.moi
    assert moi.end == "propellant exhausted"
    assert moi.propellant_left_kg == pytest.approx(0.0, abs=0.01)
    # The whole load, to the rounding of the reports (0.1 kg), is accounted for.
    assert escape_used + moi.propellant_used_kg == pytest.approx(3000.0, abs=0.1)
    assert moi.propellant_needed_kg > moi.propellant_available_kg
    assert r.outcome != ["orbiter"]
