"""Every command that writes a file (`import nascar`, `import csv`, `export`, `fetch -o`) refuses an
output path it cannot write in one line, `race-replay: PATH: why`, exit 2, no traceback, nothing left
behind (a new user's trial: a folder gave an IsADirectoryError traceback, /proc/x.txt a
FileNotFoundError one, and a path under a file said the folder did not exist)."""

from __future__ import annotations

import pytest

from replay.cli import main
from replay.user.files import WriteError, write_atomically
from tests.conftest import ROOT
from tests.feed_server import serving

RACE = ROOT / "races" / "2023-xfinity-atlanta.yaml"
ATLANTA = ROOT / "tests" / "data" / "feeds" / "nascar-xfinity-2023-atlanta-5314"
BAD = {  # a path (from the test's folder) -> why it cannot be written, as the line says it
    "some_folder": "is a folder, not a file",
    "file.yaml/x.txt": "file.yaml is a file, not a folder",
    "nothere/x.yaml": "the folder nothere does not exist",
    "/proc/x.txt": "cannot be written: No such file or directory",
}


@pytest.fixture
def here(tmp_path, monkeypatch):
    """The test's folder as the working folder, with a folder and a file to write into."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RACE_REPLAY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RACE_REPLAY_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "some_folder").mkdir()
    (tmp_path / "file.yaml").write_text("mine\n", encoding="utf-8")
    return tmp_path


def refused(capsys, here, argv: list[str], path: str) -> None:
    before = sorted(p.relative_to(here) for p in here.rglob("*") if "cache" not in p.parts)
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert err == f"race-replay: {path}: {BAD[path]}\n" and "Traceback" not in out
    assert sorted(p.relative_to(here) for p in here.rglob("*") if "cache" not in p.parts) == before
    assert (here / "file.yaml").read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize("path", BAD)
def test_import_nascar_refuses_an_output_it_cannot_write(capsys, here, path):
    refused(capsys, here, ["import", "nascar", str(ATLANTA), "--track", "T", "-o", path], path)


@pytest.mark.parametrize("path", BAD)
def test_export_refuses_an_output_it_cannot_write(capsys, here, path):
    refused(capsys, here, ["export", str(RACE), "--lap", "5", "-o", path], path)


@pytest.mark.parametrize("path", BAD)
def test_import_csv_refuses_an_output_it_cannot_write(capsys, here, path):
    assert main(["export", str(RACE), "--lap", "10", "--format", "csv", "-o", "chart.csv"]) == 0
    capsys.readouterr()
    refused(capsys, here, ["import", "csv", "chart.csv", "--series", "S", "--name", "N", "--track", "T", "-o", path],
            path)


@pytest.mark.parametrize("path", ["some_folder", "file.yaml/x.txt"])
def test_fetch_refuses_an_output_it_cannot_write(capsys, here, path):
    with serving() as server:
        refused(capsys, here, ["fetch", "nascar", "--season", "2023", "--series", "xfinity", "--feed-url", server.url,
                               "--race", "5314", "-o", path], path)


def test_fetch_into_a_data_folder_that_is_a_file_says_so(capsys, here, monkeypatch):
    monkeypatch.setenv("RACE_REPLAY_DATA_DIR", str(here / "file.yaml"))
    with serving() as server:
        assert main(["fetch", "nascar", "--season", "2023", "--series", "xfinity", "--feed-url", server.url,
                     "--race", "5314"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"race-replay: {here / 'file.yaml' / 'races'}/") and len(err.splitlines()) == 1
    assert err.endswith(f": {here / 'file.yaml'} is a file, not a folder\n")


def test_a_failed_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    """Failing at the last step (the rename) names the path, and the temporary file is gone."""
    import os

    def refuse(*args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(WriteError) as error:
        write_atomically(tmp_path / "race.yaml", "x")
    assert str(error.value) == f"{tmp_path / 'race.yaml'}: cannot be written: Permission denied"
    assert list(tmp_path.iterdir()) == []
