"""Many writers at once keep every note: processes adding notes to one race at the same moment
(fresh each time, as the command line does, or through one book held open, as a viewer does),
the ``note`` command run many times at once, and a viewer and the command line on one race."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from replay.core.engine import Timeline
from replay.core.notes import Note
from replay.racefile.loader import load_race
from replay.racefile.notes import NotesBook, read_notes
from replay.user import locking
from replay.user.note_files import sidecar_path
from replay.viewer.app import ReplayApp
from replay.viewer.screens import ReplayScreen
from replay.viewer.screens.notes import NOTES_POLL_SECONDS
from tests.clock import HandClock
from tests.conftest import HOMESTEAD
from widgets import EventLog

WRITERS, EACH = 8, 5


@pytest.fixture
def race(tmp_path) -> Path:
    folder = tmp_path / "races"
    folder.mkdir()
    return Path(shutil.copy(HOMESTEAD, folder / HOMESTEAD.name))


def add_notes(race: Path, writer: int, held: bool, start) -> None:
    """One writer: wait for the others, then add ``EACH`` notes, through one book or a fresh one each."""
    book = NotesBook.open(race)
    start.wait()
    for number in range(EACH):
        if not held:
            book = NotesBook.open(race)
        book.add(Note(writer + number, f"writer {writer} note {number}"))


@pytest.mark.parametrize("held", [False, True], ids=["fresh each time", "one book held open"])
def test_processes_adding_notes_at_once_keep_every_note(race, held):
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(WRITERS)
    writers = [context.Process(target=add_notes, args=(race, writer, held, start)) for writer in range(WRITERS)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(60)
    assert [process.exitcode for process in writers] == [0] * WRITERS
    kept = {note.text for note in read_notes(sidecar_path(race))}
    assert len(kept) == WRITERS * EACH, f"kept {len(kept)} of {WRITERS * EACH}"


def test_the_note_command_run_many_times_at_once_keeps_every_note(race):
    env = {**os.environ}
    commands = [subprocess.Popen([sys.executable, "-m", "replay", "note", str(race), "--lap", str(n), f"note {n}"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for n in range(6)]
    results = [command.communicate(timeout=120) for command in commands]
    assert [command.returncode for command in commands] == [0] * 6, results
    assert sorted(note.text for note in read_notes(sidecar_path(race))) == [f"note {n}" for n in range(6)]


def note_command(race: Path, lap: int, text: str) -> None:
    result = subprocess.run([sys.executable, "-m", "replay", "note", str(race), "--lap", str(lap), text],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


async def test_a_viewer_and_the_command_line_on_one_race_keep_each_others_notes(race):
    clock = HandClock()
    app = ReplayApp(Timeline(load_race(race)), lap=90, transient=False, clock=clock)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        note_command(race, 50, "from the command line")
        log = app.screen.query_one(EventLog)
        assert Note(50, "from the command line") not in log.events
        clock.advance(NOTES_POLL_SECONDS)
        await pilot.pause()
        assert Note(50, "from the command line") in log.events, "shown without a restart"
        await pilot.press("a", *"from the viewer", "enter")
        note_command(race, 60, "added while the viewer shows its own")
        await pilot.press("d", "home", "ctrl+k", "enter")  # the viewer deletes its own note
        assert isinstance(app.screen, ReplayScreen)
        texts = [note.text for note in app.screen.notebook.notes]
        assert texts == ["from the command line", "added while the viewer shows its own"], "the change re-read the file"
    assert [note.text for note in read_notes(sidecar_path(race))] == texts


async def test_a_notes_file_broken_while_the_viewer_is_open_is_said_once_and_left(race):
    NotesBook.open(race).add(Note(5, "early"))
    clock = HandClock()
    app = ReplayApp(Timeline(load_race(race)), lap=90, transient=False, clock=clock)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        sidecar_path(race).write_text("notes: [\n", encoding="utf-8")
        clock.advance(3 * NOTES_POLL_SECONDS)
        await pilot.pause()
        assert len(app._notifications) == 1 and "YAML syntax error" in next(iter(app._notifications)).message
        assert [note.text for note in app.screen.notebook.notes] == ["early"]
        await pilot.press("a", *"lost?", "enter")
        assert "Notes not written" in "".join(n.title for n in app._notifications)
    assert sidecar_path(race).read_text(encoding="utf-8") == "notes: [\n", "never written over"


def test_a_change_re_reads_the_notes_an_edit_of_a_note_deleted_elsewhere_keeps_what_was_typed(race):
    first, second = NotesBook.open(race), NotesBook.open(race)
    first.add(Note(5, "a"))
    second.add(Note(6, "b"))  # second never read "a": it is kept all the same
    assert second.notes == (Note(5, "a"), Note(6, "b"))
    first.remove(Note(5, "a"))
    second.replace(Note(5, "a"), Note(5, "a, better"))
    assert read_notes(sidecar_path(race)) == (Note(5, "a, better"), Note(6, "b"))
    assert first.refresh() and first.notes == second.notes and not first.refresh()


@pytest.mark.parametrize("portable", [False, True], ids=["flock", "exclusive file"])
def test_a_held_lock_keeps_the_next_writer_waiting(tmp_path, monkeypatch, portable):
    if portable:
        monkeypatch.setattr(locking, "fcntl", None)
        monkeypatch.setattr(locking, "msvcrt", None)
    with locking.locked(tmp_path / "x.lock"):
        with pytest.raises(locking.LockTimeoutError, match="x.lock: another race-replay has held this lock"):
            with locking.locked(tmp_path / "x.lock", timeout=0.05):
                pass
    with locking.locked(tmp_path / "x.lock", timeout=0.05):
        pass  # released


async def test_notes_off_for_a_broken_file_come_back_once_it_is_fixed(race):
    sidecar_path(race).write_text("notes: [\n", encoding="utf-8")
    clock = HandClock()
    app = ReplayApp(Timeline(load_race(race)), lap=90, transient=False, clock=clock)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        clock.advance(3 * NOTES_POLL_SECONDS)
        await pilot.pause()
        assert len(app._notifications) == 1, "said once, not at every look"
        sidecar_path(race).write_text("notes:\n- {lap: 7, text: fixed by hand}\n", encoding="utf-8")
        clock.advance(NOTES_POLL_SECONDS)
        await pilot.pause()
        assert Note(7, "fixed by hand") in app.screen.query_one(EventLog).events
        await pilot.press("a", *"and now mine", "enter")
    assert [note.text for note in read_notes(sidecar_path(race))] == ["fixed by hand", "and now mine"]
