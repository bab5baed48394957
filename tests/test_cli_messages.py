"""Command-line errors read alike: one line, `race-replay: ` first, the path and the problem (a new
user's trial: `race-replay nosuch.yaml` printed `nosuch.yaml: no such file` without the prefix, and
`note` with a data folder that is a file printed `cannot write the notes (kept until the next
change): [Errno 20] Not a directory: .../locks`, words for the viewer, not a command that has exited)."""

from __future__ import annotations

import shutil

import pytest

from replay.cli import main
from tests.conftest import ROOT

RACE = ROOT / "races" / "2023-xfinity-atlanta.yaml"


@pytest.mark.parametrize("argv", [["nosuch.yaml"], ["view", "nosuch.yaml"], ["export", "nosuch.yaml", "--lap", "3"],
                                  ["note", "nosuch.yaml", "--lap", "3", "hello"]])
def test_a_missing_race_file_is_one_prefixed_line(capsys, tmp_path, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert capsys.readouterr().err == "race-replay: nosuch.yaml: no such file\n"


def test_validate_keeps_listing_as_compilers_do(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "nosuch.yaml"]) == 2
    assert capsys.readouterr().err == "nosuch.yaml: no such file\n"


def test_a_note_that_cannot_be_written_says_where_and_why_in_one_line(capsys, tmp_path, monkeypatch):
    race = tmp_path / "race.yaml"
    shutil.copy(RACE, race)
    (tmp_path / "data").write_text("not a folder\n", encoding="utf-8")
    monkeypatch.setenv("RACE_REPLAY_DATA_DIR", str(tmp_path / "data"))
    assert main(["note", str(race), "--lap", "3", "hello"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"race-replay: {race}: cannot write the notes: ") and err.count("\n") == 1
    assert err.endswith(f"{tmp_path / 'data'} is a file, not a folder\n")
    assert "kept until" not in err and "Errno" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "race.yaml"]  # nothing left behind
