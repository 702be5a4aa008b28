"""Spacecraft data files of the cruise and arrival (marsprobe.mission.spacecraft)."""

from __future__ import annotations

import pytest

from marsprobe.constants import G0_M_S2
from marsprobe.errors import CatalogError, InputError
from marsprobe.mission import spacecraft as sc


def test_every_file_validates_and_cites():
    for sc_id in sc.spacecraft_ids():
        f = sc.spacecraft_file(sc_id)
        assert f.engine.thrust_n.src and f.engine.isp_s.src and f.launch_mass_kg.src
        plain = sc.load_spacecraft(sc_id)
        assert plain.exhaust_m_s == pytest.approx(plain.isp_s * G0_M_S2)


def test_m71_propellant_is_the_orbiter_less_its_dry_mass():
    # 3,440 kg fuelled orbiter (wikipedia@Mars 3) less the 2,265 kg on-orbit dry mass
    # (002_d3f98a46457d5b1f.txt@L81); the descent module is the other 1,210 kg of 4,650 kg.
    m71 = sc.load_spacecraft("m71")
    assert m71.propellant_kg == 3440 - 2265
    assert m71.launch_mass_kg - m71.lander_mass_kg == 3440


def test_unknown_spacecraft_and_bad_files_are_refused(tmp_path, monkeypatch):
    with pytest.raises(InputError, match="unknown spacecraft"):
        sc.load_spacecraft("m72")
    bad = tmp_path / "spacecraft"
    bad.mkdir()
    (bad / "x.toml").write_text(
        'id = "x"\nname = "x"\nlaunch_mass_kg = {value = 100, src = ["marsprobe@chosen"]}\n'
        'colour = "red"\n[engine]\nname = "e"\nsrc = ["marsprobe@chosen"]\n'
        "thrust_n = 10\nisp_s = 200\n"
    )
    monkeypatch.setattr(sc, "_data_dir", lambda: bad)
    sc.spacecraft_file.cache_clear()
    try:
        with pytest.raises(CatalogError, match="colour"):
            sc.spacecraft_file("x")
    finally:
        sc.spacecraft_file.cache_clear()
