"""The replay: fly one mission through every phase it reaches, from the pad to its end.

The mission's sequence is assembled once, before lift-off
(:mod:`marsprobe.mission.flight_sequence`), and every phase takes its commands from it
(:mod:`marsprobe.mission.orders`). Each phase takes the state the previous one handed over
(:mod:`marsprobe.mission.handover`) and its parameters, and returns the next state and its
events: launch and escape (:mod:`marsprobe.mission.launch`), cruise and arrival
(:mod:`marsprobe.mission.cruise`, :mod:`marsprobe.mission.arrival`), the spacecraft's systems
along the way (:mod:`marsprobe.mission.health`), the descent (:mod:`marsprobe.mission.descent`)
and the surface. The outcome is read off the physics where the flight ended, in the
vocabulary of :data:`marsprobe.mission.schema.OUTCOMES`. The record is not read here: the
comparison with it is :mod:`marsprobe.mission.compare`, done afterwards.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from marsprobe.constants import AU_M, DAY_S, GM_SUN
from marsprobe.errors import ConvergenceError, CouldNotFly, ScenarioError
from marsprobe.mission.flight_sequence import commands_of
from marsprobe.mission.handover import Event
from marsprobe.mission.orders import (
    cruise_orders,
    escape_orders,
    health_orders,
    launch_orders,
    liftoff_utc,
    surface_transmission_s,
)
from marsprobe.mission.scenario import FlightPlan, flight_plan
from marsprobe.mission.schema import Mission
from marsprobe.sequence.commands import Orders
from marsprobe.time import tdb_from_utc, utc_from_tdb

LAUNCH_FAILURES = {"destroyed", "impact", "suborbital"}


@dataclass
class Replay:
    """A flown mission: its outcome, its timeline, and each phase's own result."""

    slug: str
    name: str
    without: tuple[str, ...]
    applied_faults: list[str]
    outcome: list[str]
    events: list[Event]
    launch: Any = None
    flight: Any = None  # marsprobe.mission.arrival.MarsFlight
    descent: Any = None  # marsprobe.mission.descent.Descent
    health: Any = None  # marsprobe.mission.health.Health
    loss_epoch: float | None = None
    end_epoch: float | None = None
    notes: list[str] = field(default_factory=list)
    causes: tuple[str, ...] = ("chosen",)  # the cause sets flown (sequence.faults)
    decisions: list = field(default_factory=list)  # outcome_rules.Decision: what decided
    orders: Orders | None = None  # the sequence flown; orders.unexecuted(): what no phase read

    def event(self, name: str) -> Event | None:
        """The first event ``name``; a carrier that struck Mars (``object`` carrier) is left
        out: its impact, a ``landing`` event, is no touchdown of its descent module. Other
        objects' events are not told apart: a flight with a lander has two
        ``closest_approach`` events (``object`` lander for the module's), read
        ``events`` to choose."""
        ours = (e for e in self.events if e.data.get("object") != "carrier")
        return next((e for e in ours if e.name == name), None)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "slug": self.slug,
            "name": self.name,
            "faults_applied": self.applied_faults,
            "faults_removed": list(self.without),
            "simulated_outcome": self.outcome,
            "events": [e.to_json() for e in sorted(self.events, key=lambda e: e.epoch)],
        }
        if self.launch is not None:
            out["launch"] = self.launch.to_dict()
        if self.flight is not None:
            out["cruise"] = self.flight.to_dict()
        if self.descent is not None:
            out["edl"] = self.descent.to_json()
        if self.health is not None and self.loss_epoch is not None:
            out["loss_of_contact"] = {
                "time_utc": utc_from_tdb(self.loss_epoch, 0),
                "cause": self.health.cause,
            }
        if self.notes:
            out["notes"] = self.notes
        if self.decisions:
            out["outcome_thresholds"] = [d.to_json() for d in self.decisions]
        return out


def replay(
    mission: Mission,
    without: tuple[str, ...] = (),
    causes: tuple[str, ...] = ("chosen",),
    perturbation=None,
    orders: Orders | None = None,
) -> Replay:
    """Fly ``mission`` with its documented faults, minus those in ``without``.

    ``perturbation``: one flight's errors (:class:`marsprobe.mission.perturbation.Perturbation`:
    injection, navigation, execution, fault sizes); None flies the nominal flight.
    ``orders``: the sequence to fly (by default the one assembled from the flight plan, as
    ``marsprobe sequence`` prints it); a changed copy (:meth:`Orders.changed`) flies what the
    changed command says. Given with a ``perturbation``, the orders fly as they are: a fault
    size carried by a command (a timer) then keeps the caller's value, not the drawn one.
    """
    if perturbation is not None:
        from marsprobe.mission.perturbation import with_fault_sizes

        mission = with_fault_sizes(mission, perturbation)
    plan = flight_plan(mission, tuple(without), tuple(causes))
    # a fresh copy: taking a command marks it executed in this flight only
    orders = Orders(commands_of(mission, plan) if orders is None else orders.commands)
    out = Replay(
        slug=mission.slug,
        name=mission.name.value,
        without=tuple(without),
        applied_faults=[f.id for f in plan.applied],
        outcome=[],
        events=[],
        causes=tuple(causes),
        orders=orders,
    )
    # the pipeline: each phase takes the state the one before handed over
    with _phase(mission, "launch and departure"):
        launch = _fly_launch(mission, plan, out)  # lift-off -> parking orbit -> Departure
    if perturbation is not None and launch.departure is not None:
        from marsprobe.mission.perturbation import perturbed_departure

        launch.departure = perturbed_departure(launch.departure, perturbation.injection_dv)
    if launch.end in LAUNCH_FAILURES:
        out.outcome = ["launch_failure"]
        return out
    if launch.departure is None:
        out.outcome = ["stranded_in_earth_orbit"]
        out.end_epoch = launch.decay_epoch
        return out
    health = _fly_systems(mission, plan, launch.departure, out)  # the spacecraft's budgets
    with _phase(mission, "cruise and arrival"):
        flight = _fly_to_mars(mission, plan, launch.departure, health, out, perturbation)
    out.outcome = _outcome_at_mars(plan, flight, out)
    with _phase(mission, "descent"):
        _fly_lander(mission, plan, flight, out)  # entry interface -> touchdown -> surface
    return out


@contextmanager
def _phase(mission: Mission, name: str):
    """A solver that fails inside a phase is a numerical failure, never an outcome: it is
    raised again as :class:`CouldNotFly` naming the mission and the phase."""
    try:
        yield
    except CouldNotFly:
        raise
    except ConvergenceError as exc:
        raise CouldNotFly(f"{mission.slug} could not fly: {name}: {exc}") from exc


def _fly_launch(mission: Mission, plan: FlightPlan, out: Replay):
    """Lift-off, ascent and escape as the sequence commands them."""
    from marsprobe.ascent.library import load_vehicle
    from marsprobe.mission.launch import fly_launch

    launch_params = plan.get("launch")
    if launch_params is None:
        raise ScenarioError(f"mission '{mission.slug}': [flight.launch] is missing")
    vehicle = load_vehicle(plan.header.vehicle)
    orders = out.orders
    escape, ignition = escape_orders(plan.get("escape"), orders, vehicle)
    result = fly_launch(
        liftoff_utc(orders),
        mission.site.value,
        mission.pad.value if mission.pad else "",
        plan.header.vehicle,
        plan.header.payload_mass_kg,
        launch_orders(launch_params, orders, vehicle),
        escape,
        ignition,
    )
    out.launch = result
    for e in result.events:
        data = {"t_s": round(e.t_s, 2), "altitude_km": round(e.altitude_km, 2)}
        if e.range_km is not None:
            data["range_km"] = round(e.range_km, 2)
        if e.detail:
            data["detail"] = e.detail
        out.events.append(Event(e.name, e.epoch, data, "launch"))
    if result.decay_epoch is not None:
        out.events.append(
            Event("decay", result.decay_epoch, {"lifetime_days": result.lifetime_days}, "orbit")
        )
    return result


def sun_distance_au(departure, days_from_launch: np.ndarray, launch_epoch: float) -> np.ndarray:
    """The probe's distance from the Sun along its heliocentric conic, AU.

    The escape stage hands over a state deep in the Earth's well; its heliocentric motion is
    that of the Earth plus the hyperbolic excess velocity (the asymptote), which is what this
    two-body arc starts from. Enough for a power budget: the Sun's 1/r^2 changes slowly and
    planetary perturbations move r by far less than a percent over a cruise.
    """
    from marsprobe.ephemeris import state
    from marsprobe.mission.departure import unit_vector
    from marsprobe.orbits.kepler import propagate_flagged

    v_inf = departure.vinf_km_s * 1e3 * unit_vector(departure.ra_deg, departure.dec_deg)
    r_earth, v_earth = state("earth", departure.epoch)
    dt = (launch_epoch + days_from_launch * DAY_S) - departure.epoch
    r0 = np.broadcast_to(np.asarray(r_earth, float), (dt.size, 3))
    v0 = np.broadcast_to(np.asarray(v_earth, float) + v_inf, (dt.size, 3))
    r, _, ok = propagate_flagged(r0, v0, np.maximum(dt, 0.0), GM_SUN)
    dist = np.linalg.norm(r, axis=1) / AU_M
    return np.where(ok, dist, 1.0)


def _fly_systems(mission: Mission, plan: FlightPlan, departure, out: Replay):
    """The spacecraft's systems along the flight: when, if ever, contact is lost."""
    from marsprobe.mission.health import HealthParams, assess

    cruise_params = _cruise_params(mission, plan)
    launch_epoch = float(tdb_from_utc(mission.launch_utc.value))
    end_text = cruise_params.end_utc or cruise_params.arrival_utc
    horizon_days = (float(tdb_from_utc(end_text)) - launch_epoch) / DAY_S + 400.0
    days = np.linspace(0.0, horizon_days, int(horizon_days) + 1)
    health_params = health_orders(plan.get("health") or HealthParams(), out.orders)
    health = assess(
        health_params, launch_epoch, days, sun_distance_au(departure, days, launch_epoch)
    )
    out.health = health
    if not health.survives:
        out.loss_epoch = launch_epoch + health.lost_days * DAY_S
    if not math.isinf(health.telemetry_lost_days):
        epoch = launch_epoch + health.telemetry_lost_days * DAY_S
        out.events.append(Event("telemetry_failure", epoch, {}, "systems"))
    return health


def _cruise_params(mission: Mission, plan: FlightPlan):
    cruise_params = plan.get("cruise")
    if cruise_params is None:
        raise ScenarioError(f"mission '{mission.slug}': [flight.cruise] is missing")
    if cruise_params.contact_lost_utc is not None:
        raise ScenarioError(
            f"mission '{mission.slug}': flight.cruise.contact_lost_utc: a loss of contact is "
            "computed from the spacecraft's systems ([flight.health]), not given"
        )
    return cruise_params


def _fly_to_mars(
    mission: Mission, plan: FlightPlan, departure, health, out: Replay, perturbation=None
):
    """Cruise and arrival, from the escape stage's hand-over, the systems' loss applied."""
    from marsprobe.mission.arrival import ArrivalParams, fly_to_mars

    cruise_params = cruise_orders(_cruise_params(mission, plan), out.orders)
    arrival_params = plan.get("arrival") or ArrivalParams()
    if out.loss_epoch is not None:
        lost_utc = utc_from_tdb(out.loss_epoch, 0)
        cruise_params = cruise_params.model_copy(update={"contact_lost_utc": lost_utc})
    flight = fly_to_mars(
        departure, cruise_params, arrival_params, perturbation=perturbation, orders=out.orders
    )
    out.flight = flight
    for e in flight.cruise.events + flight.arrival.events:
        if e.name == "loss_of_contact":
            continue  # reported once, below, with its cause
        out.events.append(Event(e.name, e.epoch, _clean(e.data), "cruise"))
    if out.loss_epoch is not None:
        data = {"cause": health.cause or "contact lost", **_earth_distance(flight, out.loss_epoch)}
        out.events.append(Event("loss_of_contact", out.loss_epoch, data, "systems"))
    return flight


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in data.items():
        if isinstance(value, float):
            value = round(value, 3)
        out[key] = value
    return out


def _earth_distance(flight, epoch: float) -> dict[str, Any]:
    """The probe's distance from the Earth when contact was lost (the cruise measures it)."""
    for e in flight.cruise.events:
        if e.name == "loss_of_contact" and abs(e.epoch - epoch) < 60.0:
            return {"earth_distance_km": round(e.data["earth_distance_km"], 0)}
    return {}


def _outcome_at_mars(plan: FlightPlan, flight, out: Replay) -> list[str]:
    """Where the flight ended: lost on the way, past Mars, or in orbit about it."""
    arrival = flight.arrival
    target = plan.header.target
    if target != "mars":
        alive_at_end = out.loss_epoch is None or out.loss_epoch >= flight.cruise.t_end
        return ["deep_space_test"] if alive_at_end else ["lost_in_cruise"]
    encounter = _encounter_epoch(flight)
    if out.loss_epoch is not None and (encounter is None or out.loss_epoch < encounter):
        return ["lost_in_cruise"]
    from marsprobe.mission.outcome_rules import classify_orbit, classify_pass

    if arrival.end == "captured":
        decision = classify_orbit(arrival.capture_orbit.periapsis_km)
        out.decisions.append(decision)
        return [decision.outcome]
    if arrival.end == "flyby":
        decision = classify_pass(arrival.flyby.closest_approach_km)
        out.decisions.append(decision)
        return [decision.outcome]
    if arrival.end == "impact":  # an impact craft struck as aimed, its capsule with it
        return ["lander_crashed"]
    if arrival.end == "carrier_impact":  # a craft not aimed at the surface struck it
        decision = classify_orbit(0.0, figure="lowest altitude of the pass (the surface)")
        out.decisions.append(decision)
        return [decision.outcome]
    return ["missed_mars"]  # alive, but its path never came near the planet


def _encounter_epoch(flight) -> float | None:
    for e in flight.arrival.events:
        if e.name in ("closest_approach", "orbit_insertion", "orbit_insertion_failure", "landing"):
            if e.data.get("object") != "lander":
                return e.epoch
    return None


def _fly_lander(mission: Mission, plan: FlightPlan, flight, out: Replay) -> None:
    """The descent module, if the spacecraft carried one and was alive to release it."""
    from marsprobe.mission.descent import fly_descent

    edl = plan.get("edl")
    header = plan.header
    if header.lander_release_utc is not None:  # a lander released later, from orbit
        release = float(tdb_from_utc(header.lander_release_utc))
        lost_first = out.loss_epoch is not None and out.loss_epoch < release
        if "orbiter" in out.outcome and lost_first:
            out.outcome.append("lander_not_released")
        return
    if edl is None or "lost_in_cruise" in out.outcome:
        return
    lander = flight.arrival.lander
    if lander is None:
        out.outcome.append("lander_not_released")
        return
    entry = flight.arrival.entry_state  # the arrival's hand-over, an EntryInterface
    if entry is None:
        out.outcome.append("lander_missed_planet")
        return
    descent = fly_descent(entry, edl, orders=out.orders)
    out.descent = descent
    out.decisions.extend(_lander_decisions(edl, descent))
    for e in descent.events:
        if e["name"] == "entry":
            continue
        data = {
            "t_s": round(e["t_s"], 1),
            "altitude_km": round(e["altitude_m"] / 1e3, 3),
            "speed_m_s": round(e["speed_m_s"], 1),
            "mach": round(e["mach"], 2),
        }
        name = {"main_chute": "parachute", "touchdown": "landing"}.get(e["name"], e["name"])
        out.events.append(Event(name, entry.epoch + e["t_s"], data, "edl"))
    td = descent.touchdown
    if td.outcome == "timeout":  # the integration ran out of time: no physical ending
        raise ConvergenceError(
            f"the descent from the entry interface reached no ending in {td.t_s:g} s of "
            "flight (neither ground nor skip-out): the EDL integration's time limit"
        )
    if not td.reached_ground:
        out.outcome.append("lander_missed_planet")
        return
    landing = out.event("landing")
    if landing is not None:
        landing.data.update(
            lat_deg=round(td.lat_deg, 3),
            lon_deg=round(td.lon_deg, 3),
            touchdown_speed_m_s=round(td.speed_m_s, 2),
        )
    if not descent.survived:
        out.outcome.append("lander_crashed")
        return
    out.outcome.append("lander_soft_landed")
    transmission_s = surface_transmission_s(out.orders)
    if transmission_s is not None:
        t_end = entry.epoch + td.t_s + transmission_s
        data = {"duration_s": transmission_s}
        out.events.append(Event("surface_transmission_end", t_end, data, "surface"))


def _lander_decisions(edl, descent) -> list:
    """The descent's figures against its vehicle's limits (as flown, faults included)."""
    from marsprobe.edl import load_vehicle
    from marsprobe.edl.params import nominal_parameters
    from marsprobe.mission.outcome_rules import lander_decisions

    limits = {**nominal_parameters(load_vehicle(edl.vehicle)), **edl.set}
    touchdown = descent.touchdown.to_dict()
    if descent.outcome not in ("landed", "crashed"):
        touchdown.pop("speed_m_s", None)  # it never reached the ground
    return lander_decisions(touchdown, limits)


def fly_launch_only(mission: Mission, without: tuple[str, ...] = ()):
    """The launch and escape phases alone (``marsprobe launch``)."""
    plan = flight_plan(mission, tuple(without))
    out = Replay(mission.slug, mission.name.value, tuple(without), [], [], [])
    out.orders = Orders(commands_of(mission, plan))
    return _fly_launch(mission, plan, out)


def fly_to_entry(mission: Mission, plan: FlightPlan):
    """The entry state the arrival phase hands to the descent, or None if there is none."""
    result = replay(mission, tuple(f.id for f in plan.faults if f not in plan.applied))
    return None if result.descent is None else result.descent.entry
