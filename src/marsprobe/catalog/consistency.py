"""The consistency check: what the catalog can compute from its own figures.

Each check recomputes a stated figure from other stated figures and cited
constants and reports every disagreement beyond a tolerance whose reason is
given beside it:

* the Kepler period from the apsides of every orbit, for the chosen values and
  for each source's own set of values (so that a source whose apsides and
  period do not fit each other is named even when the catalog chose another);
* the order of the recorded events (nothing before lift-off, separation before
  landing, decay after launch);
* masses: the parts of a spacecraft do not weigh more than the whole.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from marsprobe.catalog.conflicts import Conflict, refs_json
from marsprobe.catalog.loader import all_missions
from marsprobe.constants import AU_M, DAY_S, GM, GM_SUN, RADIUS
from marsprobe.facts import Fact, SourceRef
from marsprobe.mission.schema import Mission, Orbit

# Sources print apsides to 3-4 significant figures; a 0.5 % error in the
# semi-major axis moves the period by 0.75 % (T ~ a^1.5), so 1 % separates
# rounding from a real disagreement.
PERIOD_TOLERANCE = 0.01
# Component masses are rounded to ~10 kg in the sources.
MASS_TOLERANCE_KG = 20.0

COMPUTED_PERIOD = SourceRef(id="marsprobe", locator="Kepler period from the apsides")


def kepler_period_s(periapsis_m: float, apoapsis_m: float, mu: float) -> float:
    """Period of the ellipse with these apsis radii, s (Kepler's third law)."""
    from marsprobe.orbits.kepler import period_from_apsides

    return float(period_from_apsides(periapsis_m, apoapsis_m, mu))


def _value_from(fact: Fact | None, source_id: str | None) -> tuple[float, list[SourceRef]] | None:
    """The value a fact gives for one source (chosen or alternative), or its chosen value."""
    if fact is None:
        return None
    if source_id is None or any(r.id == source_id for r in fact.src):
        return float(fact.value), fact.src
    for claim in fact.alt:
        if any(r.id == source_id for r in claim.src) and isinstance(claim.value, int | float):
            return float(claim.value), claim.src
    return None


def _orbit_sets(orbit: Orbit) -> list[tuple[str | None, dict[str, Any]]]:
    """(source id or None for the chosen set, {field: (value, refs)}) for each complete set."""
    helio = orbit.central_body == "sun"
    low, high = ("perihelion_au", "aphelion_au") if helio else ("periapsis_km", "apoapsis_km")
    per = "period_days" if orbit.period_days is not None else "period_min"
    facts = {k: getattr(orbit, k) for k in (low, high, per)}
    if any(f is None for f in facts.values()):
        return []
    ids = {r.id for f in facts.values() for r in f.src}
    ids |= {r.id for f in facts.values() for c in f.alt for r in c.src}
    sets = []
    for source_id in [None, *sorted(ids)]:
        values = {k: _value_from(f, source_id) for k, f in facts.items()}
        if all(v is not None for v in values.values()):
            if source_id is not None and all(
                any(r.id == source_id for r in facts[k].src) for k in facts
            ):
                continue  # same as the chosen set
            sets.append((source_id, values))
    return sets


def check_orbit(mission: Mission, index: int, orbit: Orbit) -> list[Conflict]:
    body = orbit.central_body
    helio = body == "sun"
    findings = []
    for source_id, values in _orbit_sets(orbit):
        (low_name, (low, low_refs)), (high_name, (high, high_refs)), (per_name, (per, per_refs)) = (
            values.items()
        )
        if helio:
            rp, ra, mu = low * AU_M, high * AU_M, GM_SUN
        else:
            rp, ra, mu = (low * 1e3 + RADIUS[body], high * 1e3 + RADIUS[body], GM[body])
        if rp > ra:
            rp, ra = ra, rp
        computed_s = kepler_period_s(rp, ra, mu)
        scale = DAY_S if per_name == "period_days" else 60.0
        computed = computed_s / scale
        misfit = per / computed - 1.0
        if abs(misfit) <= PERIOD_TOLERANCE:
            continue
        who = "the chosen values" if source_id is None else f"the values of {source_id}"
        unit = "d" if per_name == "period_days" else "min"
        findings.append(
            Conflict(
                mission=mission.slug,
                topic=f"record.orbits[{index}:{orbit.label}].{per_name} vs Kepler",
                claims=[
                    {"value": per, "sources": refs_json(per_refs), "verdict": "stated"},
                    {
                        "value": round(computed, 2),
                        "sources": [
                            {
                                "id": "marsprobe",
                                "locator": f"Kepler period of {low:g} x {high:g} "
                                f"{'AU' if helio else 'km'} about {body}",
                            }
                        ],
                        "verdict": "computed",
                    },
                ],
                chosen=getattr(orbit, per_name).value,
                reason=(
                    f"In {who}, the stated period {per:g} {unit} differs from the Kepler period "
                    f"of the stated apsides ({computed:.1f} {unit}) by {misfit:+.1%}, beyond the "
                    f"{PERIOD_TOLERANCE:.0%} that rounding of the apsides explains."
                ),
                kind="consistency",
                extra={"misfit": round(misfit, 4), "source": source_id},
            )
        )
    return findings


def parse_when(text: str) -> tuple[datetime, int]:
    """A recorded date/time and its precision (number of leading fields given)."""
    text = text.removesuffix("Z")
    for fmt, precision in (
        ("%Y-%m-%dT%H:%M:%S.%f", 6),
        ("%Y-%m-%dT%H:%M:%S", 6),
        ("%Y-%m-%dT%H:%M", 5),
        ("%Y-%m-%d", 3),
        ("%Y-%m", 2),
    ):
        try:
            return datetime.strptime(text, fmt), precision
        except ValueError:
            continue
    raise ValueError(text)


def _truncate(when: datetime, precision: int) -> tuple[int, ...]:
    return (when.year, when.month, when.day, when.hour, when.minute, when.second)[:precision]


def before(a: str, b: str) -> bool:
    """True when time a is certainly earlier than time b at their common precision."""
    (ta, pa), (tb, pb) = parse_when(a), parse_when(b)
    precision = min(pa, pb)
    return _truncate(ta, precision) < _truncate(tb, precision)


def check_events(mission: Mission) -> list[Conflict]:
    findings = []
    if mission.record is None:
        return findings
    launch = mission.launch_utc
    timed = [(i, e) for i, e in enumerate(mission.record.events) if e.time_utc is not None]

    def finding(topic: str, reason: str, *facts: Fact) -> Conflict:
        claims = [
            {"value": f.value, "sources": refs_json(f.src), "verdict": "stated"} for f in facts
        ]
        return Conflict(mission.slug, topic, claims, None, reason, kind="consistency")

    for i, event in timed:
        if before(event.time_utc.value, launch.value):
            findings.append(
                finding(
                    f"record.events[{i}:{event.name}].time_utc",
                    f"The event '{event.name}' ({event.time_utc.value}) is dated before the "
                    f"launch ({launch.value}).",
                    event.time_utc,
                    launch,
                )
            )
    order = [("lander_separation", "entry"), ("lander_separation", "landing"), ("entry", "landing")]
    by_name = {e.name: (i, e) for i, e in timed}
    for first, second in order:
        if first in by_name and second in by_name:
            (i, a), (j, b) = by_name[first], by_name[second]
            if before(b.time_utc.value, a.time_utc.value):
                findings.append(
                    finding(
                        f"record.events[{j}:{second}].time_utc",
                        f"'{second}' ({b.time_utc.value}) is dated before '{first}' "
                        f"({a.time_utc.value}).",
                        b.time_utc,
                        a.time_utc,
                    )
                )
    return findings


def check_masses(mission: Mission) -> list[Conflict]:
    masses = mission.masses
    if masses is None or masses.launch_mass_kg is None:
        return []
    total = masses.launch_mass_kg
    parts = [f for f in (masses.orbiter_mass_kg, masses.descent_module_mass_kg) if f is not None]
    findings = []
    if len(parts) == 2 and sum(p.value for p in parts) > total.value + MASS_TOLERANCE_KG:
        findings.append(
            Conflict(
                mission.slug,
                "masses: orbiter + descent module vs launch mass",
                [
                    {"value": p.value, "sources": refs_json(p.src), "verdict": "stated"}
                    for p in (total, *parts)
                ],
                total.value,
                f"The orbiter and descent module ({sum(p.value for p in parts):g} kg) weigh more "
                f"than the spacecraft at launch ({total.value:g} kg).",
                kind="consistency",
            )
        )
    if masses.dry_mass_kg and masses.propellant_mass_kg:
        combined = masses.dry_mass_kg.value + masses.propellant_mass_kg.value
        whole = masses.orbiter_mass_kg or total
        if combined > whole.value + MASS_TOLERANCE_KG:
            findings.append(
                Conflict(
                    mission.slug,
                    "masses: dry + propellant vs whole",
                    [],
                    whole.value,
                    f"Dry mass plus propellant ({combined:g} kg) exceed {whole.value:g} kg.",
                    kind="consistency",
                )
            )
    return findings


def check_mission(mission: Mission) -> list[Conflict]:
    """Every consistency finding of one mission."""
    findings: list[Conflict] = []
    if mission.record is not None:
        for index, orbit in enumerate(mission.record.orbits):
            findings += check_orbit(mission, index, orbit)
    findings += check_events(mission)
    findings += check_masses(mission)
    return findings


def check_catalog() -> list[Conflict]:
    """Every consistency finding of the catalog."""
    return [f for mission in all_missions() for f in check_mission(mission)]


def period_misfit(
    periapsis_alt_m: float, apoapsis_alt_m: float, period_s: float, body: str
) -> float:
    """Relative difference of a stated period from the Kepler period of the stated altitudes."""
    rp, ra = periapsis_alt_m + RADIUS[body], apoapsis_alt_m + RADIUS[body]
    return period_s / kepler_period_s(rp, ra, GM[body]) - 1.0
