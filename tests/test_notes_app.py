"""Notes in the viewer (Pilot, 120x40): ``a`` adds one at the lap, the log shows it from that lap
on, ``d`` edits or deletes it, ``e`` writes the prep sheet; and a note outlives ``kill -9``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from replay.core.engine import Timeline
from replay.core.notes import Note
from replay.racefile.loader import load_race
from replay.racefile.notes import NotesBook, read_notes
from replay.user import note_files
from replay.user.note_files import fallback_path, sidecar_path
from replay.viewer.app import ReplayApp
from replay.viewer.screens import HelpScreen, ReplayScreen
from replay.viewer.screens.notes import NoteScreen
from tests.conftest import HOMESTEAD, screen_text
from tests.terminal import viewer_in_terminal
from widgets import EventLog

SIZE = (120, 40)


@pytest.fixture
def race(tmp_path) -> Path:
    folder = tmp_path / "races"
    folder.mkdir()
    return Path(shutil.copy(HOMESTEAD, folder / HOMESTEAD.name))


def app_at(race: Path, lap: int) -> ReplayApp:
    return ReplayApp(Timeline(load_race(race)), lap=lap, transient=False)


def log_lines(app: ReplayApp) -> list[str]:
    """The incident log's rows as drawn (the right-hand column of the screen)."""
    return [line[81:] for line in screen_text(app).splitlines()[3:20]]


def toasts(app: ReplayApp) -> str:
    """The notifications on screen, their lines joined with no spaces (a path may wrap anywhere)."""
    return "".join("".join(line.split("▌", 1)[1].split()) for line in screen_text(app).splitlines() if "▌" in line)


async def test_a_adds_a_note_about_the_followed_driver_shown_from_its_lap_on(race):
    app = app_at(race, 90)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("f", *"lar", "enter", "a")
        assert isinstance(app.screen, NoteScreen)
        assert "Note at lap 90" in screen_text(app) and "#07 Kyle Larson" in screen_text(app)
        await pilot.press(*"Fast on the high line", "enter")
        assert isinstance(app.screen, ReplayScreen)
        assert read_notes(sidecar_path(race)) == (Note(90, "Fast on the high line", "07"),)
        assert log_lines(app)[0].startswith("   L90 my note     Larson: Fast on t")
        assert app.screen.query_one(EventLog).highlighted == Note(90, "Fast on the high line", "07")
        assert "│ Fast on the high line  [your note ·\n" in screen_text(app), "the detail says how to edit it"
        await pilot.press("left")
        assert not any("my note" in line for line in log_lines(app)) and "high line" not in screen_text(app)
        await pilot.press("right")
        assert log_lines(app)[0].startswith("   L90 my note")
    assert race.read_bytes() == HOMESTEAD.read_bytes()


async def test_notes_of_later_laps_do_not_show_before_their_lap(race):
    book = NotesBook.open(race)
    book.add(Note(10, "an early thought"))
    book.add(Note(95, "LATER knowledge", "07"))
    app = app_at(race, 94)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        text = screen_text(app)
        assert "LATER" not in text and "L95" not in text
        assert app.screen.query_one(EventLog).events.count(Note(10, "an early thought")) == 1
        await pilot.press("right")
        assert log_lines(app)[0].startswith("   L95 my note     Larson: LATER kno")


async def test_a_note_of_a_lap_follows_its_events_and_the_filter(race):
    NotesBook.open(race).add(Note(91, "about Riggs", "34"))
    NotesBook.open(race).add(Note(91, "about nobody"))
    app = app_at(race, 91)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        events = app.screen.query_one(EventLog).events
        assert events[:2] == (Note(91, "about nobody"), Note(91, "about Riggs", "34"))
        assert events[2].lap == 91, "the lap's events come after its notes (newest first)"
        await pilot.press("l", *"riggs", "enter")
        shown = app.screen.query_one(EventLog).events
        assert Note(91, "about Riggs", "34") in shown and Note(91, "about nobody") not in shown


async def test_d_on_a_note_edits_it_and_an_emptied_text_deletes_it(race):
    NotesBook.open(race).add(Note(90, "Fast", "07"))
    app = app_at(race, 90)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("d")
        assert isinstance(app.screen, NoteScreen) and "an empty" in screen_text(app)
        await pilot.press(*" and on tyres", "up", "enter")
        assert read_notes(sidecar_path(race)) == (Note(90, "Fast and on tyres"),), "edited; about nobody now"
        await pilot.press("d", "home", "ctrl+k", "enter")
        assert read_notes(sidecar_path(race)) == ()
        assert not any("my note" in line for line in log_lines(app))
        await pilot.pause()
        assert "Noteatlap90deleted" in toasts(app)


async def test_escape_or_an_empty_note_writes_nothing(race):
    app = app_at(race, 3)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("a", *"never mind", "escape", "a", "enter")
        assert isinstance(app.screen, ReplayScreen)
    assert not sidecar_path(race).exists()


async def test_with_two_followed_drivers_a_note_is_about_nobody_unless_chosen(race):
    app = app_at(race, 5)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("f", *"34", "enter", "f", *"07", "enter")
        await pilot.press("a", *"one", "enter", "a", *"two", "down", "enter", "a", *"three", "down", "down", "enter")
    assert read_notes(sidecar_path(race)) == (Note(5, "one"), Note(5, "two", "07"), Note(5, "three", "34"))


async def test_a_folder_that_cannot_be_written_keeps_notes_in_the_data_folder_and_says_so(race, monkeypatch):
    monkeypatch.setattr(note_files, "writable", lambda path: path.parent != race.parent)
    app = app_at(race, 7)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("a", *"kept elsewhere", "enter")
        await pilot.pause()
        assert f"NotesNotekeptatlap7:{fallback_path(race)}" in toasts(app)
    assert read_notes(fallback_path(race)) == (Note(7, "kept elsewhere"),) and not sidecar_path(race).exists()


async def test_an_unreadable_notes_file_is_reported_and_never_written_over(race):
    sidecar_path(race).write_text("notes: [\n")
    app = app_at(race, 7)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert toasts(app).startswith(f"Notescannotberead{sidecar_path(race)}:1:9:YAMLsyntaxerror")  # the end of its one line
        await pilot.press("a")
        assert isinstance(app.screen, ReplayScreen), "no note to lose: the dialog does not open"
    assert sidecar_path(race).read_text() == "notes: [\n"


async def test_e_writes_the_prep_sheet_beside_the_race_and_says_where(race):
    NotesBook.open(race).add(Note(50, "from before"))
    app = app_at(race, 91)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("f", *"lar", "enter", "e")
        sheet = race.with_name("2025-trucks-homestead.lap91.md")
        assert sheet.read_text().startswith("# Baptist Health 200: prep sheet at lap 91")
        assert "## #07 Kyle Larson" in sheet.read_text() and "- **L50**: from before" in sheet.read_text()
        await pilot.pause()
        assert f"Prepsheetwritten Lap91:{sheet}".replace(" ", "") in toasts(app)
        await pilot.press("a", *"new", "enter", "e")
        assert "- **L91** · #07 Kyle Larson: new" in sheet.read_text(), "our own sheet is brought up to date"
        sheet.write_text("edited by hand")
        await pilot.press("e")
        assert sheet.read_text() == "edited by hand", "someone's edits are never written over"
        assert race.with_name("2025-trucks-homestead.lap91-2.md").read_text().startswith("# Baptist Health 200")


async def test_e_where_the_race_folder_cannot_be_written_uses_the_data_folder(race, data_dir, monkeypatch):
    monkeypatch.setattr(note_files, "writable", lambda path: path.parent != race.parent)
    app = app_at(race, 0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("e")
    written = list((data_dir / "sheets").iterdir())
    assert len(written) == 1 and written[0].name.endswith(".lap0.md") and written[0].name.startswith("2025-trucks-homestead-")
    assert sorted(p.name for p in race.parent.iterdir()) == [race.name]


async def test_help_lists_the_note_keys(race):
    app = app_at(race, 0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Add a note at this lap" in text and "Markdown prep sheet" in text


def test_a_note_outlives_kill_9(race, data_dir):
    """The real command in a terminal: add a note, kill the viewer at once; the note is on disk."""
    with viewer_in_terminal(str(race), "--lap", "90", env={"RACE_REPLAY_DATA_DIR": str(data_dir)}) as terminal:
        assert terminal.wait_for(b"Lap 90"), terminal.seen[-2000:]
        terminal.write(b"a")
        assert terminal.wait_for(b"Note at lap 90"), terminal.seen[-2000:]
        terminal.write(b"Survives the crash\r")
        sidecar = sidecar_path(race)
        assert terminal.wait_for(lambda: sidecar.exists() and b"Survives" in sidecar.read_bytes())
    assert read_notes(sidecar) == (Note(90, "Survives the crash"),)
    assert sorted(p.name for p in race.parent.iterdir()) == [sidecar.name, race.name], "no half-written file left"
