"""The launch-vehicle and launch-site data files: schema, and the sourced figures against
each other (propellant / mass flow must give back the quoted burn time)."""

from __future__ import annotations

import math

import pytest

from marsprobe.ascent.library import (
    derived_burn_time_s,
    load_site,
    load_vehicle,
    parse_vehicle,
    vehicle_file,
    vehicle_ids,
)
from marsprobe.constants import G0_M_S2
from marsprobe.errors import CatalogError, InputError

VEHICLES = [
    "molniya-8k78",
    "molniya-8k78m",
    "proton-k-d",
    "proton-k-d-2",
    "atlas-agena-d",
    "atlas-centaur",
    "titan-iiie-centaur",
]


def test_every_vehicle_of_the_issue_has_a_file():
    assert set(VEHICLES) <= set(vehicle_ids())


@pytest.mark.parametrize("vid", VEHICLES)
def test_burn_time_agrees_with_propellant_thrust_and_isp(vid):
    # Each stage's quoted burn time against propellant / (thrust / (Isp g0)), four figures
    # from (mostly) different sources: 3 % is the rounding of the quoted figures (a 1 s
    # rounding of a 119 s burn is 0.8 %, Isp quoted to 1 s is 0.3 %) plus the fact that
    # quoted burn times include tail-off.
    # For the Atlas the sustainer's tanks also feed the booster section until its cut-off.
    vf = vehicle_file(vid)
    for stage in vf.stage:
        derived = derived_burn_time_s(stage, vf)
        assert derived == pytest.approx(stage.burn_time_s.value, rel=0.03), stage.name


@pytest.mark.parametrize("vid", VEHICLES)
def test_sea_level_isp_agrees_with_thrust_ratio(vid):
    # A fixed nozzle at constant mass flow: Isp_sl / Isp_vac = F_sl / F_vac. Where both
    # sea-level figures are sourced (RD-107, RD-253) they agree within 1.5 %; the Atlas
    # figures (recalled, see the file) within 3.5 %; the others were scaled that way.
    for stage in vehicle_file(vid).stage:
        if stage.isp_sl_s is None or stage.thrust_sl_kn is None:
            continue
        ratio = stage.thrust_sl_kn.value / stage.thrust_vac_kn.value
        tol = 0.035 if vid.startswith("atlas") else 0.015
        assert stage.isp_sl_s.value == pytest.approx(stage.isp_vac_s.value * ratio, rel=tol)


def test_molniya_lift_off_mass_closes_on_the_published_total():
    # Wikipedia "Molniya (rocket)": 305,000 kg. Several of our masses are chosen (marked in
    # the file); with a 900 kg probe the total must stay within 3 % of the published figure.
    veh = load_vehicle("molniya-8k78")
    assert veh.gross_mass + 900 == pytest.approx(305_000, rel=0.03)


def test_proton_stage_one_flow_matches_liftoff_thrust():
    # nextspaceflight: lift-off thrust 8,840 kN; with Isp 285 s at sea level the six
    # engines burn 3,163 kg/s, which empties 412.2 t in 130 s (raumfahrer.net): the
    # vacuum figures we chose are consistent with that within 1 %.
    stage = load_vehicle("proton-k-d").stages[0]
    flow_sl = 8840e3 / (285 * G0_M_S2)
    assert stage.mdot == pytest.approx(flow_sl, rel=0.01)


def test_escape_stage_is_the_restartable_or_orbit_stage():
    assert load_vehicle("molniya-8k78").escape_stage == 3  # Block L, fired in orbit
    assert load_vehicle("proton-k-d").escape_stage == 3  # Block D
    assert load_vehicle("atlas-agena-d").escape_stage == 2  # Agena D
    assert load_vehicle("atlas-centaur").escape_stage == 2  # Centaur D
    assert load_vehicle("titan-iiie-centaur").escape_stage == 3  # Centaur D-1T


def test_atlas_booster_section_is_a_drop_section_on_the_sustainer_tanks():
    # Stage and a half: the booster engines draw from the sustainer's tanks and only their
    # section (engines, skirt) falls away at booster cut-off.
    for vid in ("atlas-agena-d", "atlas-centaur"):
        booster, sustainer = load_vehicle(vid).stages[:2]
        assert booster.tank == 1 and booster.propellant_mass == 0.0
        assert math.isfinite(booster.cutoff_t) and sustainer.tank is None


def test_atlas_lv3_closes_on_the_published_lift_off_mass():
    # Wikipedia "Atlas LV-3B": 260,000 lb (117.9 t) with the Mercury capsule, its escape
    # tower and adapter (about 1.9 t, chosen round figure). The stack's tank propellant is
    # derived from flows and burn times, the dry masses are recalled: 2 % covers the
    # rounding of the published total and of the payload.
    atlas = load_vehicle("atlas-agena-d").stages[:2]
    assert sum(s.gross_mass for s in atlas) + 1900 == pytest.approx(117_934, rel=0.02)


def test_titan_iiie_closes_on_the_published_lift_off_mass():
    # Wikipedia "Titan IIIE": 632,970 kg. The solids' mass was chosen to close it with a
    # Viking (3,527 kg) and a 3,600 kg shroud, so this checks the arithmetic (0.1 %).
    veh = load_vehicle("titan-iiie-centaur")
    assert veh.gross_mass + 3527 + 3600 == pytest.approx(632_970, rel=1e-3)


def test_drop_section_needs_a_cutoff_and_no_propellant():
    vf = vehicle_file("atlas-agena-d").model_dump(mode="json", exclude_none=True)
    del vf["stage"][0]["cutoff_s"]
    with pytest.raises(CatalogError, match="drop section"):
        parse_vehicle(vf, "atlas.toml")


def test_unknown_key_is_a_catalog_error_naming_the_field():
    data = {
        "id": "x",
        "name": "x",
        "src": ["marsprobe@chosen"],
        "reference_diameter_m": 3,
        "control_limit_deg": 5,
        "vertical_rise_s": 10,
        "pitch_kick_deg": 3,
        "kick_duration_s": 10,
        "gravity_turn_end_s": 100,
        "cg_fraction": 0.4,
        "stage": [
            {
                "name": "s",
                "engine": "e",
                "propellants": "p",
                "ignition": "liftoff",
                "src": ["marsprobe@chosen"],
                "gross_mass_kg": 10,
                "dry_mass_kg": 1,
                "thrust_vac_kn": 1,
                "isp_vac_s": 300,
                "burn_time_s": 10,
                "restartable": False,
                "length_m": 1,
                "thrust_kn": 5,
            }
        ],
    }
    with pytest.raises(CatalogError, match=r"x\.toml: field 'stage\.0\.thrust_kn'"):
        parse_vehicle(data, "x.toml")


def test_dry_mass_above_gross_is_rejected():
    vf = vehicle_file("proton-k-d").model_dump(mode="json", exclude_none=True)
    vf["stage"][0]["dry_mass_kg"]["value"] = 1e9
    with pytest.raises(CatalogError, match="dry_mass_kg"):
        parse_vehicle(vf, "proton.toml")


def test_pad_aliases():
    # the catalog writes "1/5" and "LC-13"; the short names stay accepted
    assert load_site("Baikonur", "1") == load_site("Baikonur", "1/5")
    assert load_site("Cape Canaveral", "13").pad == "LC-13"


def test_unknown_vehicle_and_pad_say_what_is_accepted():
    with pytest.raises(InputError, match="proton-k-d"):
        load_vehicle("proton-x")
    with pytest.raises(InputError, match="81/23"):
        load_site("Baikonur", "99")


@pytest.mark.parametrize(
    "site,pad",
    [
        ("Baikonur", "1/5"),
        ("Baikonur", "81/23"),
        ("Baikonur", "81/24"),
        ("Baikonur", "200/39"),
        ("Baikonur", "200/40"),
        ("Cape Canaveral", "LC-12"),
        ("Cape Canaveral", "LC-13"),
        ("Cape Canaveral", "LC-36A"),
        ("Cape Canaveral", "LC-36B"),
        ("Cape Canaveral", "LC-41"),
    ],
)
def test_pads_lie_at_their_cosmodrome(site, pad):
    # Wikipedia "Baikonur Cosmodrome": 45.965 N 63.305 E; Cape Canaveral ~28.5 N 80.6 W.
    # Every pad is within 40 km of those (the Baikonur lease spans 90 km east-west).
    p = load_site(site, pad)
    lat0, lon0 = (45.965, 63.305) if site == "Baikonur" else (28.5, -80.56)
    d = math.hypot(p.lat_deg - lat0, (p.lon_deg - lon0) * math.cos(math.radians(lat0)))
    assert d * 111.2 < 40.0


def test_lower_stages_leave_the_upper_ones_as_payload():
    from marsprobe.ascent.capability import lower_stages

    proton = load_vehicle("proton-k-d")
    core = lower_stages(proton, 3)
    assert len(core.stages) == 3 and core.escape_stage is None
    assert core.gross_mass == pytest.approx(proton.gross_mass - proton.stages[3].gross_mass)
    assert lower_stages(proton, 4).escape_stage == proton.escape_stage
    with pytest.raises(ValueError):
        lower_stages(proton, 5)


@pytest.mark.slow
def test_payload_to_orbit_is_the_edge_of_what_reaches_the_orbit():
    # The secant answer is checked by flying on either side of it: 3 % below, the tuned ascent
    # (same pitch-over) reaches the orbit; 3 % above, no tuning does. 3 %: the secant's own
    # error is well under 1 % (the propellant left is nearly linear in payload near the edge).
    from marsprobe.ascent.capability import lower_stages, payload_to_orbit
    from marsprobe.ascent.tuning import Target, tune
    from marsprobe.errors import ConvergenceError
    from marsprobe.time import tdb_from_utc

    core = lower_stages(load_vehicle("proton-k-d"), 3)
    site, t0 = load_site("Baikonur", "81/24"), tdb_from_utc("1971-05-28T15:26")
    target = Target(200e3, 200e3, math.radians(51.6))
    p, info = payload_to_orbit(core, site, t0, target, 12000.0)
    kick = info["pitch_kick_deg"]
    below = tune(core, site, t0, 0.97 * p, target, pitch_kick_deg=kick)
    assert below.nominal.outcome == "orbit"
    with pytest.raises(ConvergenceError):
        tune(core, site, t0, 1.03 * p, target, pitch_kick_deg=kick)
