"""Nothing a user saved is lost: a folder or file that is not ours is refused unless --force."""

from __future__ import annotations

import json

EDL = ["edl", "mars-3", "--design-entry", "--runs", "40", "--json"]


def refused(result) -> str:
    code, _, err = result
    assert code == 2 and err.startswith("marsprobe: error:") and err.count("\n") == 1, err
    return err


def test_a_folder_with_other_files_is_refused_unless_force(tmp_path, cli):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "landing.png").write_bytes(b"my own picture")
    (out / "notes.txt").write_text("my notes")
    err = refused(cli(*EDL, "--out", str(out)))
    assert "not empty" in err and "--force" in err
    assert (out / "landing.png").read_bytes() == b"my own picture"
    assert sorted(p.name for p in out.iterdir()) == ["landing.png", "notes.txt"]
    code, _, _ = cli(*EDL, "--out", str(out), "--force")
    assert code == 0
    assert (out / "notes.txt").read_text() == "my notes"  # --force keeps what is not ours
    assert (out / "campaign.json").exists()


def test_another_campaign_is_refused_and_the_same_one_resumes(tmp_path, cli):
    out = tmp_path / "mc"
    code, first, _ = cli(*EDL, "--seed", "1", "--out", str(out))
    assert code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    err = refused(cli(*EDL, "--seed", "2", "--out", str(out)))
    assert "another campaign" in err and "--force" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    # the same campaign: refused without --resume, finished (nothing to redo) with it
    assert "--resume" in refused(cli(*EDL, "--seed", "1", "--out", str(out)))
    code, again, _ = cli(*EDL, "--seed", "1", "--out", str(out), "--resume")
    assert code == 0 and json.loads(again) == json.loads(first)
    # --force replaces the other campaign
    code, other, _ = cli(*EDL, "--seed", "2", "--out", str(out), "--force")
    assert code == 0 and json.loads(other)["seed"] == 2


def test_save_scenario_never_overwrites_without_force(tmp_path, cli):
    path = tmp_path / "edited.toml"
    path.write_text("# my edited scenario\n")
    err = refused(cli("edl", "mars-3", "--design-entry", "--save-scenario", str(path)))
    assert "exists" in err and "--force" in err
    assert path.read_text() == "# my edited scenario\n"
    code, _, _ = cli("edl", "mars-3", "--design-entry", "--save-scenario", str(path), "--force")
    assert code == 0 and "[campaign]" in path.read_text()


def test_fleet_campaign_folder_is_guarded_too(tmp_path, cli):
    out = tmp_path / "fleet"
    out.mkdir()
    (out / "summary.json").write_text("{}")
    assert "not empty" in refused(cli("campaign", "1971", "--runs", "10", "--out", str(out)))
    assert (out / "summary.json").read_text() == "{}"


def test_report_refuses_a_folder_of_other_files(tmp_path, capsys):
    # The user's own index.html must survive: a folder that is not a marsprobe report is
    # refused before anything is flown; a missing parent folder is an error, not created.
    from marsprobe.cli import main

    mine = tmp_path / "site"
    mine.mkdir()
    (mine / "index.html").write_text("my page")
    assert main(["report", "mars-3", "--out", str(mine)]) == 2
    assert "--force" in capsys.readouterr().err
    assert (mine / "index.html").read_text() == "my page"
    assert main(["report", "mars-3", "--out", str(tmp_path / "no" / "such")]) == 2
    assert not (tmp_path / "no").exists()


def test_sweep_refuses_an_unknown_fault_before_flying(capsys):
    # A typo in --without must not fly the historical case under a counterfactual label.
    from marsprobe.cli import main

    rc = main(["sweep", "mars-2", "arrival.entry_fpa_deg=-20:-10:2", "--without", "nope"])
    assert rc == 2 and "no fault 'nope'" in capsys.readouterr().err
