"""Vehicle files: schema, provenance of every number, and the error messages."""

from __future__ import annotations

import numpy as np
import pytest

from marsprobe.edl import builtin_vehicles, load_vehicle, sample_dispersions
from marsprobe.edl.params import PARAM_INDEX, parameter_array
from marsprobe.edl.vehicle import iter_sourced
from marsprobe.errors import InputError, ScenarioError

MINIMAL = """
id = "x"
name = "x"
description = "x"
[sources]
s = "a source"
[aeroshell]
mass_kg = { value = 100.0, source = "s: p. 1" }
diameter_m = { value = 1.0, source = "s" }
nose_radius_m = { value = 0.2, source = "s" }
cd_mach = { mach = [1.0], cd = [1.5], source = "s" }
[capsule]
cda_m2 = { value = 1.0, source = "s" }
survival_speed_m_s = { value = 10.0, source = "s" }
"""


def test_builtin_vehicles_load():
    assert {"m71", "m73", "viking1", "pathfinder"} <= set(builtin_vehicles())
    for name in builtin_vehicles():
        v = load_vehicle(name)
        assert v.id == name


def test_every_number_has_a_source_or_a_chosen_note():
    for name in builtin_vehicles():
        v = load_vehicle(name)
        items = list(iter_sourced(v))
        assert items
        for path, q in items:
            assert q.source or (q.chosen and q.note and q.sigma is not None), (name, path)


def test_m71_figures_from_the_sources():
    # NSSDCA Mars 3 lander: 1210 kg descent module, 2.9 m cone; seed 000 at 00:25:28: chute at
    # Mach 3.5; seed 000 at 00:27:46: catapult tests at 30 mph (13.4 m/s).
    v = load_vehicle("m71")
    assert v.aeroshell.mass_kg.value == 1210.0
    assert v.aeroshell.diameter_m.value == 2.9
    assert v.pilot_chute.trigger.type == "mach" and v.pilot_chute.trigger.value == 3.5
    assert v.capsule.survival_speed_m_s.value == pytest.approx(30 * 0.44704, abs=0.05)
    # Issue 6: a 2.9 m, 1,000+ kg cone has a ballistic coefficient of ~100-130 kg/m^2
    assert 100 <= v.ballistic_coefficient_kg_m2 <= 130


# Pathfinder's continuum drag coefficient traced from its flight: Tacode repository
# (ytakahashi3123/Tacode, commit 3c6bc64), validation/pathfinder/database/aerodynamic/
# aerodynamic_pathfinder.txt, the Kn < 0.005 row of each MACH block.
TACODE_MPF_CD = {
    1.8: 1.548082, 2.0: 1.550544, 2.25: 1.556377, 2.5: 1.566339, 2.75: 1.574951,
    3.0: 1.583770, 3.5: 1.599584, 4.0: 1.610147, 4.5: 1.614831, 5.0: 1.615909,
    6.0: 1.611837, 7.0: 1.612034, 8.0: 1.620547, 9.0: 1.632671, 10.0: 1.646406,
    11.0: 1.660068, 12.0: 1.669128, 14.0: 1.684936, 16.0: 1.701466, 18.0: 1.704533,
    20.0: 1.705721, 22.0: 1.705738, 25.0: 1.703160, 28.0: 1.694745, 31.0: 1.677879,
    34.0: 1.672520, 37.0: 1.666575, 40.0: 1.661620, 43.0: 1.658182,
}  # fmt: skip
# The points Viking borrows: from Mach 1.8 up to 20, where Pathfinder's curve is level (18-22).
VIKING_MACHS = tuple(m for m in TACODE_MPF_CD if m <= 20.0)


def test_pathfinder_cd_is_its_flight_traced_curve_at_every_mach_of_the_table():
    # Same source, Pathfinder's own curve: every Mach number, 3 decimals (5e-4).
    t = load_vehicle("pathfinder").aeroshell.cd_mach
    assert t.source.startswith("tacode-mpf-table")
    assert list(t.mach) == list(TACODE_MPF_CD)
    for cd, ref in zip(t.cd, TACODE_MPF_CD.values(), strict=True):
        assert cd == pytest.approx(ref, abs=5e-4)


def test_viking1_cd_is_the_flight_traced_sphere_cone_curve_on_vikings_hypersonic_value():
    # Braun & Manning 2007, Table 1 (Viking): entry mass 992 kg, diameter 3.5 m, ballistic
    # coefficient 64 kg/m^2, so the hypersonic Cd is 992 / (64 pi 1.75^2) = 1.611.
    v = load_vehicle("viking1")
    t = v.aeroshell.cd_mach
    cd_hyp = 992.0 / (64.0 * np.pi * 1.75**2)
    assert t.cd[-1] == pytest.approx(cd_hyp, abs=5e-4)
    assert v.ballistic_coefficient_kg_m2 == pytest.approx(64.0, abs=0.05)
    # Every Mach number of the Pathfinder trace up to 20 is in the table, scaled by one factor
    # that puts Mach 20 on 1.611 (the file's note says why one factor).
    # 5e-4: the file keeps 3 decimals.
    scale = 1.611 / TACODE_MPF_CD[20.0]
    table = dict(zip(t.mach, t.cd, strict=True))
    for mach in VIKING_MACHS:
        assert table[mach] == pytest.approx(TACODE_MPF_CD[mach] * scale, abs=5e-4), mach
    # Only the two subsonic/transonic points are not from the trace (chosen, below Mach 1.8).
    assert sorted(set(table) - set(VIKING_MACHS)) == [0.5, 1.0]
    assert t.chosen and "tacode-mpf-table" in t.note and "edquist-2006" in t.note


def test_unknown_key_names_file_field_and_accepted(tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text(MINIMAL.replace("[capsule]", "[capsule]\ncolour = 1"))
    with pytest.raises(
        ScenarioError, match=r"bad\.toml: capsule\.colour: unknown key; accepted: cda_m2"
    ):
        load_vehicle(f)


def test_bad_trigger_type_lists_accepted(tmp_path):
    f = tmp_path / "t.toml"
    f.write_text(
        MINIMAL
        + '[main_chute]\ntrigger = { type = "radar", value = 1.0, source = "s" }\n'
        + 'cda_m2 = { value = 1.0, source = "s" }\ninflation_s = { value = 1.0, source = "s" }\n'
    )
    with pytest.raises(ScenarioError, match="main_chute.trigger.type.*'mach'.*'altitude'"):
        load_vehicle(f)


def test_chosen_value_needs_note_and_sigma(tmp_path):
    f = tmp_path / "c.toml"
    f.write_text(
        MINIMAL.replace(
            'nose_radius_m = { value = 0.2, source = "s" }',
            "nose_radius_m = { value = 0.2, chosen = true }",
        )
    )
    with pytest.raises(ScenarioError, match="nose_radius_m.*note.*sigma"):
        load_vehicle(f)


def test_source_must_name_a_listed_source(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text(MINIMAL.replace('source = "s: p. 1"', 'source = "nobody: p. 1"'))
    with pytest.raises(ScenarioError, match="does not start with a key of"):
        load_vehicle(f)


def test_unknown_vehicle_lists_builtins():
    with pytest.raises(ScenarioError, match="accepted are .*m71"):
        load_vehicle("mars-9")


def test_parameter_array_and_dispersion_errors():
    p = parameter_array(
        "viking1", 3, {"mass_kg": [900.0, 950.0, 1000.0], "main_chute_trigger_type": "mach"}
    )
    assert p[:, PARAM_INDEX["mass_kg"]].tolist() == [900.0, 950.0, 1000.0]
    assert np.all(p[:, PARAM_INDEX["main_chute_trigger_type"]] == 0)
    with pytest.raises(InputError, match="unknown dispersion"):
        parameter_array("viking1", 3, {"mass": 1.0})
    with pytest.raises(InputError, match="accepted are mach"):
        parameter_array("viking1", 3, {"main_chute_trigger_type": "sonar"})
    with pytest.raises(InputError, match="shape"):
        parameter_array("viking1", 3, {"mass_kg": [1.0, 2.0]})


def test_sample_dispersions_spread_matches_sigma():
    # 20,000 normal draws: the sample standard deviation is within 3 % of the file's sigma
    # (the standard error of a standard deviation is sigma / sqrt(2 n) = 0.5 %).
    rng = np.random.default_rng(7)
    d = sample_dispersions("m71", 20_000, rng, atmosphere="dust-storm-1971")
    v = load_vehicle("m71")
    assert np.std(d["main_chute_cda_m2"]) == pytest.approx(v.main_chute.cda_m2.sigma, rel=0.03)
    assert np.std(np.log(d["density_scale"])) == pytest.approx(0.15, rel=0.03)
    assert set(d) <= set(PARAM_INDEX)
