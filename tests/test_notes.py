"""Notes: kept beside the race (or in the data folder), written atomically, never lost or written
over when unreadable; the ``note`` command; which notes show at a lap."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from replay.core.model import Event
from replay.core.notes import Note, NoteInputError, find_driver, in_log_order, note_records, notes_at
from replay.racefile import notes as racefile_notes
from replay.racefile.bundled import race_files
from replay.racefile.loader import load_race
from replay.racefile.notes import NotesBook, NotesError, read_notes
from replay.user import note_files
from replay.user.note_files import fallback_path, notes_place, race_key, sidecar_path
from tests.conftest import HOMESTEAD


@pytest.fixture
def race(tmp_path) -> Path:
    """A copy of the Homestead race in a folder of its own."""
    folder = tmp_path / "races"
    folder.mkdir()
    return Path(shutil.copy(HOMESTEAD, folder / HOMESTEAD.name))


def run(*args: str, env_data: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "RACE_REPLAY_DATA_DIR": str(env_data)}
    return subprocess.run([sys.executable, "-m", "replay", *args], capture_output=True, text=True, timeout=60, env=env)


def test_add_edit_delete_round_trip_and_the_sidecar(race):
    before = race.read_bytes()
    book = NotesBook.open(race)
    assert book.notes == () and book.path == race.with_name("2025-trucks-homestead.notes.yaml")
    spin = Note(91, "Larson spins his teammate: “no”, | *bold*", "07")
    assert book.add(spin) == book.path
    book.add(Note(20, "Watch the restarts"))
    book.replace(spin, Note(91, "Larson spins Riggs", "07"))
    assert NotesBook.open(race).notes == (Note(20, "Watch the restarts"), Note(91, "Larson spins Riggs", "07"))
    data = yaml.safe_load(book.path.read_text(encoding="utf-8"))
    assert data == {"format": 1, "race": str(race.resolve()),
                    "notes": [{"lap": 20, "text": "Watch the restarts"}, {"lap": 91, "text": "Larson spins Riggs", "car": "07"}]}
    book.remove(Note(20, "Watch the restarts"))
    assert read_notes(book.path) == (Note(91, "Larson spins Riggs", "07"),)
    assert race.read_bytes() == before, "the race file is never changed"
    assert sorted(p.name for p in race.parent.iterdir()) == ["2025-trucks-homestead.notes.yaml", "2025-trucks-homestead.yaml"]


def test_text_of_any_kind_comes_back_as_written(race):
    odd = ["yes", "07", "- a list?", "# not a comment", "a: b", "line one\nline two", "tab\tand  spaces ", "“quotes” 🏁",
           "'single' \"double\"", "~", "null", "\\ backslash"]
    book = NotesBook.open(race)
    for lap, text in enumerate(odd):
        book.add(Note(lap, text, "Ben Rhodes" if lap % 2 else None))
    assert NotesBook.open(race).notes == tuple(Note(lap, text, "Ben Rhodes" if lap % 2 else None)
                                               for lap, text in enumerate(odd))


def test_sidecar_names():
    assert sidecar_path(Path("races/x.yaml")) == Path("races/x.notes.yaml")
    assert sidecar_path(Path("races/x.yml")) == Path("races/x.notes.yaml")
    assert race_key(Path("/a/x.yaml")) == race_key(Path("/a/x.yaml")) != race_key(Path("/b/x.yaml"))
    assert race_key(Path("/a/x.yaml")).startswith("x-")


def test_a_folder_that_cannot_be_written_keeps_the_notes_in_the_data_folder(race, data_dir, monkeypatch):
    """As root a chmod does not stop writes: the writability check is what is replaced."""
    monkeypatch.setattr(note_files, "writable", lambda path: path.parent != race.parent)
    book = NotesBook.open(race)
    path = book.add(Note(5, "kept elsewhere"))
    assert path == fallback_path(race) and path.parent == data_dir / "notes"
    assert path.name.startswith("2025-trucks-homestead-") and path.name.endswith(".notes.yaml")
    assert not sidecar_path(race).exists()
    monkeypatch.setattr(note_files, "writable", lambda path: True)
    assert notes_place(race).read == notes_place(race).write == path, "once there, they stay there: one place"
    assert NotesBook.open(race).notes == (Note(5, "kept elsewhere"),)


def test_a_read_only_sidecar_is_read_and_the_changes_go_to_the_data_folder(race, monkeypatch):
    NotesBook.open(race).add(Note(1, "shipped with the race"))
    monkeypatch.setattr(note_files, "writable", lambda path: path.parent != race.parent)
    book = NotesBook.open(race)
    assert book.notes == (Note(1, "shipped with the race"),)
    assert book.add(Note(2, "mine")) == fallback_path(race)
    assert read_notes(sidecar_path(race)) == (Note(1, "shipped with the race"),), "the sidecar is left as it was"
    assert NotesBook.open(race).notes == (Note(1, "shipped with the race"), Note(2, "mine"))


def test_a_failed_write_beside_the_race_falls_back_and_a_failure_everywhere_keeps_the_note(race, monkeypatch):
    real = racefile_notes.write_atomically
    refused: set[Path] = {sidecar_path(race)}

    def write(path, text):
        if path in refused:
            raise OSError(30, "Read-only file system")
        real(path, text)

    monkeypatch.setattr(racefile_notes, "write_atomically", write)
    book = NotesBook.open(race)
    assert book.add(Note(3, "one")) == fallback_path(race)
    refused.add(fallback_path(race))
    with pytest.raises(NotesError, match="cannot write the notes: .*Read-only file system") as raised:
        book.add(Note(4, "two"))
    assert raised.value.unsaved  # the viewer says it is kept until the next change
    assert book.notes == (Note(3, "one"), Note(4, "two")) and book.unsaved, "kept, to be written with the next change"
    refused.clear()
    book.add(Note(5, "three"))
    assert read_notes(fallback_path(race)) == (Note(3, "one"), Note(4, "two"), Note(5, "three"))


@pytest.mark.parametrize("content, message", [
    ("notes: [\n", "YAML syntax error"),
    ("format: 1\nnotes:\n  - {lap: ten, text: a}\n", ":3:11: a note's lap is a lap of the race"),
    ("format: 1\nnotes:\n  - {lap: 3, txt: a}\n", ":3:14: unknown key `txt` in a note"),
    ("format: 2\nnotes: []\n", "notes format 2 is not supported"),
    ("- just a list\n", "a notes file is a mapping"),
    ("notes:\n  - {lap: 3}\n", "a note needs its text"),
])
def test_a_corrupt_notes_file_is_one_line_naming_it_and_is_never_written_over(race, data_dir, content, message):
    sidecar = sidecar_path(race)
    sidecar.write_text(content, encoding="utf-8")
    with pytest.raises(NotesError) as raised:
        NotesBook.open(race)
    line = str(raised.value)
    assert line.startswith(str(sidecar)) and message in line and "\n" not in line
    result = run("note", str(race), "--lap", "5", "more", env_data=data_dir)
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [f"race-replay: {line}"]
    assert sidecar.read_text(encoding="utf-8") == content
    assert not fallback_path(race).exists(), "not written elsewhere either: the two would part"


def test_an_empty_notes_file_holds_no_notes(race):
    sidecar_path(race).write_text("\n")
    assert NotesBook.open(race).notes == ()


def test_the_race_lists_leave_notes_files_out(race, data_dir, tmp_path):
    from replay.racefile.catalog import Catalog

    NotesBook.open(race).add(Note(1, "x"))
    assert race_files(race.parent) == [race]
    assert list(Catalog([race.parent], cache=tmp_path / "cache").entries) == [race]
    result = run("validate", str(race.parent), env_data=data_dir)
    assert result.returncode == 0 and result.stdout == f"{race}: ok\n"


def test_note_command_adds_a_note(race, data_dir):
    result = run("note", str(race), "--lap", "91", "Larson", "spins", "Riggs", "--driver", "lar", env_data=data_dir)
    assert result.returncode == 0, result.stderr
    sidecar = sidecar_path(race)
    assert result.stdout == f"{sidecar}: note at lap 91 about #07 Kyle Larson (1 note)\n"
    assert run("note", str(race), "--lap", "10 to go", "Last run", env_data=data_dir).returncode == 0
    assert run("note", str(race), "--lap", "final", "Done", "--driver", "#11", env_data=data_dir).returncode == 0
    assert read_notes(sidecar) == (Note(91, "Larson spins Riggs", "07"), Note(124, "Last run"), Note(134, "Done", "11"))


@pytest.mark.parametrize("args, says", [
    (["--lap", "135", "x"], "--lap: lap 135 is past the scheduled 134 laps"),
    (["--lap", "-1", "x"], "--lap: '-1' is not a lap"),
    (["--lap", "200 to go", "x"], "--lap: '200 to go': the race is scheduled for 134 laps"),
    (["--lap", "5", "x", "--driver", "Dale"], "--driver: no driver or car number 'Dale' in this race"),
    (["--lap", "5", "x", "--driver", "ty"], "--driver: 'ty' matches 2 drivers (#98 Ty Majeski, Tyler Ankrum)"),
    (["--lap", "5", " "], "the note has no text"),
])
def test_note_command_errors_are_one_line_exit_2(race, data_dir, args, says):
    result = run("note", str(race), *args, env_data=data_dir)
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr == f"race-replay: {race}: {says}" + result.stderr.split(says, 1)[1]
    assert len(result.stderr.splitlines()) == 1
    assert not sidecar_path(race).exists()


def test_the_bundled_races_keep_their_notes_in_the_data_folder(data_dir):
    """Never in the package (a reinstall loses them) nor in a checkout's races/ (the tests read it)."""
    before = sorted(HOMESTEAD.parent.iterdir())
    result = run("note", str(HOMESTEAD), "--lap", "3", "bundled", env_data=data_dir)
    assert result.returncode == 0 and result.stdout.startswith(str(data_dir / "notes"))
    assert read_notes(fallback_path(HOMESTEAD)) == (Note(3, "bundled"),)
    assert sorted(HOMESTEAD.parent.iterdir()) == before


def test_find_driver():
    entries = load_race(HOMESTEAD).entries
    assert find_driver(entries, "07") == find_driver(entries, "#07") == find_driver(entries, "kyle larson") == "07"
    assert find_driver(entries, "Rhodes") == "Ben Rhodes"
    assert find_driver(entries, "larso") == "07"
    assert find_driver(entries, "ruggi") == "17"
    with pytest.raises(NoteInputError, match="'ty' matches 2 drivers"):
        find_driver(entries, "ty")
    with pytest.raises(NoteInputError, match="no driver or car number '5'"):
        find_driver(entries, "5")


def test_notes_show_from_their_lap_on_after_that_laps_events():
    notes = (Note(10, "b"), Note(5, "a", "07"), Note(10, "c"))
    assert notes_at(notes, 4) == ()
    assert notes_at(notes, 9) == (Note(5, "a", "07"),)
    assert notes_at(notes, 10) == (Note(5, "a", "07"), Note(10, "b"), Note(10, "c"))
    assert notes_at(notes, 10, car="07") == (Note(5, "a", "07"),)
    events = (Event(0, "qualifying", (), "pole", when="pre-race"), Event(5, "spin", (), "s"), Event(10, "pit", (), "p"),
              Event(None, "disqualification", (), "dq", when="post-race"))
    assert in_log_order(events, notes_at(notes, 10), 10) == (
        events[0], events[1], notes[1], events[2], events[3], notes[0], notes[2])


def test_note_records_for_the_json_export():
    entries = load_race(HOMESTEAD).entries
    notes = (Note(3, "a", "07"), Note(2, "b"), Note(9, "later"), Note(1, "gone", "99"))
    assert note_records(notes, entries, 5) == [
        {"lap": 1, "text": "gone", "number": None, "driver": "99"},
        {"lap": 2, "text": "b", "number": None, "driver": None},
        {"lap": 3, "text": "a", "number": "07", "driver": "Kyle Larson"},
    ]


def test_a_checkouts_races_keep_their_notes_in_the_data_folder(tmp_path):
    """Opened from an installed race-replay, the checkout's races/ are the bundled races: notes
    there would show in git and in the suite's race folder."""
    from replay.racefile.notes import is_bundled

    checkout = tmp_path / "race-replay"
    (checkout / "races").mkdir(parents=True)
    (checkout / "pyproject.toml").write_text('[project]\nname = "race-replay"\n')
    (checkout / "races" / "x.yaml").write_text("race: {}\n")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "x.yaml").write_text("race: {}\n")
    assert is_bundled(checkout / "races" / "x.yaml") and not is_bundled(tmp_path / "mine" / "x.yaml")
