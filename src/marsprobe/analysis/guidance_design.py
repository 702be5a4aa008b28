"""Design of the pitch programme, computed before flight, and the tables it is stored in.

A real launch vehicle flew a pitch programme computed on the ground before launch; so does
a replay. :func:`marsprobe.mission.launch.tune_guidance` finds the pitch-over angle that
leaves the most propellant at orbit insertion and the linear-tangent pair that puts the
cut-off on the DESIGN parking orbit of the mission file's ``[flight.launch]`` (about 20 s a
mission); the constants are stored there as ``guidance = {...}`` so that a replay flies them
as they are. Regenerate them after a vehicle file, a payload mass or a parking orbit changes:

    marsprobe design guidance --write SLUG... | all

then the escape design, which flies the stored guidance
(``marsprobe design escape --write ...``). ``--replay`` flies the launch
phases with the stored values instead and prints their parking orbit and C3.

The mission files are the only place the flight data live (``catalog/missions/<slug>.toml``).
The design tools read them as the replay does (:func:`marsprobe.catalog.load`, then
:func:`marsprobe.mission.scenario.flight_plan`) and write back only the values they computed
with :func:`set_keys`: a textual edit of ``key = value`` lines inside one table, so the
comments, order and layout of the rest of the file stay as they were.
"""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from marsprobe.catalog import load, slugs
from marsprobe.catalog.loader import MISSIONS_DIR
from marsprobe.errors import InputError, MarsprobeError
from marsprobe.mission.departure import EscapeParams
from marsprobe.mission.launch import (
    GuidanceParams,
    LaunchParams,
    LaunchResult,
    fly_launch,
    tune_guidance,
)
from marsprobe.mission.scenario import flight_plan


class LaunchInputs(NamedTuple):
    """What :func:`marsprobe.mission.launch.fly_launch` takes, in its order: the mission's
    identity facts (launch epoch UTC, site, pad), the vehicle id and spacecraft mass (kg) of
    ``[flight]``, and the ``[flight.launch]`` and ``[flight.escape]`` parameters."""

    launch_utc: str
    site: str
    pad: str
    vehicle: str
    payload_mass_kg: float
    launch: LaunchParams
    escape: EscapeParams | None

    @property
    def ascent(self) -> tuple:
        """The first six: the arguments of ``nominal_launch`` and ``tune_guidance``."""
        return tuple(self[:6])


def launch_inputs(slug: str, faults: bool = True) -> LaunchInputs:
    """The launch inputs of catalog mission ``slug``, with its documented faults applied as
    the replay applies them (``faults=False``: the nominal flight, every fault removed)."""
    mission = load(slug)
    plan = flight_plan(mission)
    if not faults:
        plan = flight_plan(mission, tuple(f.id for f in plan.faults))
    if plan.get("launch") is None:
        raise InputError(f"mission '{slug}' has no [flight.launch] table")
    return LaunchInputs(
        mission.launch_utc.value,
        mission.site.value,
        mission.pad.value if mission.pad else "",
        plan.header.vehicle,
        plan.header.payload_mass_kg,
        plan.get("launch"),
        plan.get("escape"),
    )


def fly(slug: str, faults: bool = True, escape: bool = True) -> LaunchResult:
    """Fly the launch phases of ``slug`` (``escape=False``: stop in the parking orbit)."""
    inputs = launch_inputs(slug, faults)
    return fly_launch(*inputs.ascent, inputs.escape if escape else None)


# ---- writing computed values into a mission file ----------------------------------------

_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\s\"']+?)\s*\]\]?\s*(#.*)?$")


def mission_file(slug: str) -> Path:
    """The catalog file of mission ``slug``."""
    path = MISSIONS_DIR / f"{slug}.toml"
    if not path.is_file():
        load(slug)  # raises UnknownMissionError naming the near matches
    return path


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string (a JSON string is one: same quotes and escapes)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def set_keys(text: str, table: str, values: Mapping[str, str]) -> str:
    """``text`` of a TOML file with ``key = value`` set in the table headed ``[table]``.

    ``values`` maps each key to its value as TOML text (``"4683.7"``, ``'"a note"'``,
    ``"{pitch_kick_deg = 3.1, lt_a = 0.7, lt_b = 0.0017}"``). A key's existing line in the
    table is replaced; a key the table lacks is inserted before its ``src``/``note`` lines
    (after its last key if it has neither). Nothing else changes: the result is parsed and
    compared with the original, and any other difference raises :class:`InputError`.
    """
    lines = text.split("\n")
    heads = [(i, m.group(1)) for i, x in enumerate(lines) if (m := _HEADER.match(x))]
    start = next((i for i, name in heads if _path(name) == _path(table)), None)
    if start is None or lines[start].lstrip().startswith("[["):
        raise InputError(f"no [{table}] table in the file")
    end = next((i for i, _name in heads if i > start), len(lines))
    keyed = {
        m.group(1): i
        for i in range(start + 1, end)
        if (m := re.match(r"^\s*([A-Za-z0-9_\-]+)\s*=", lines[i]))
    }
    last = max(keyed.values(), default=start)
    tail = min((keyed[k] for k in ("src", "note") if k in keyed), default=last + 1)
    new_lines: list[str] = []
    for key, value in values.items():
        line = f"{key} = {value}"
        if key in keyed:
            lines[keyed[key]] = line
        else:
            new_lines.append(line)
    lines[tail:tail] = new_lines
    out = "\n".join(lines)
    _check(text, out, table, values)
    return out


def _path(name: str) -> tuple[str, ...]:
    """The key path of a header's name: ``flight . "launch"`` -> ("flight", "launch")."""
    return tuple(p.strip().strip("\"'") for p in name.split("."))


def _check(old: str, new: str, table: str, values: Mapping[str, str]) -> None:
    try:
        expected = copy.deepcopy(tomllib.loads(old))
        got = tomllib.loads(new)
        parsed = {k: tomllib.loads(f"v = {v}")["v"] for k, v in values.items()}
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"setting {sorted(values)} in [{table}] breaks the file: {exc}") from None
    node = expected
    for part in _path(table):
        node = node[part]
    node.update(parsed)
    if got != expected:
        raise InputError(f"setting {sorted(values)} in [{table}] would change other values")


def write_table(slug: str, table: str, values: Mapping[str, str], tool: str) -> Path:
    """Set ``values`` (TOML text) in ``[table]`` of mission ``slug``'s file (:func:`set_keys`).

    Each value set is declared in ``[table.roles]`` as generated by the design ``tool``
    (``guidance``, ``escape``), so that a computed value never sits unmarked among
    hand-written ones (:mod:`marsprobe.mission.provenance`).
    """
    path = mission_file(slug)
    text = set_keys(path.read_text(encoding="utf-8"), table, values)
    role = toml_string(f"design: generated by marsprobe design {tool}")
    roles = {key: role for key in values if key not in ("src", "note")}
    text = set_keys(text, f"{table}.roles", roles)
    path.write_text(text, encoding="utf-8")
    return path


def guidance_value(g: GuidanceParams) -> str:
    """The TOML inline table that stores ``g`` as ``guidance`` in ``[flight.launch]``."""
    return (
        f"{{pitch_kick_deg = {g.pitch_kick_deg:.10g}, lt_a = {g.lt_a:.10g}, lt_b = {g.lt_b:.10g}}}"
    )


def mission_slugs(args: list[str]) -> list[str]:
    """The slugs a design command was given (``all``: every catalog mission); an unknown one
    is an error before any design runs, never a line to skip."""
    if args == ["all"]:
        return slugs()
    for slug in args:
        load(slug)  # the catalog's one-line error, with its suggestion
    return list(args)


def run(slugs: list[str], write: bool = False, replay: bool = False, echo=print) -> None:
    """``marsprobe design guidance [--write] [--replay] SLUG... | all``: compute (or, with
    ``replay``, fly) each mission's pitch programme; ``write`` stores it in the file."""
    import time

    for slug in mission_slugs(slugs):
        start = time.perf_counter()
        try:
            if replay:
                res = fly(slug)
            else:
                g = tune_guidance(*launch_inputs(slug, faults=False).ascent)
        except MarsprobeError as exc:
            echo(f"{slug}: {exc}")
            continue
        spent = time.perf_counter() - start
        if replay:
            orbit = res.parking_orbit
            peri = float("nan") if orbit is None else orbit.perigee_km
            apo = float("nan") if orbit is None else orbit.apogee_km
            c3 = f"{res.departure.c3_km2_s2:.2f}" if res.departure else "-"
            echo(
                f"{slug:12s} {res.end:17s} {peri:7.1f} x {apo:7.1f} km  C3 {c3:>6s}  {spent:5.2f} s"
            )
            continue
        value = guidance_value(g)
        echo(f"{slug}: guidance = {value}  ({spent:.1f} s)")
        if write:
            write_table(slug, "flight.launch", {"guidance": value}, "guidance")
