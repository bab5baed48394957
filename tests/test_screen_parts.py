"""The replay screen's parts through their stated contracts: the lap keys are defined once for
every screen at a lap, and the notes part works with any host that meets ``NotesHost`` (here a
plain object: no app, no screen)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from replay.core.engine import Timeline
from replay.core.notes import Note
from replay.racefile.loader import load_race
from replay.racefile.notes import NotesBook
from replay.viewer.screens import ReplayScreen
from replay.viewer.screens.chart import LapChartScreen
from replay.viewer.screens.navigation import NAVIGATION
from replay.viewer.screens.notes import NoteDraft, NoteKeeper, NoteScreen
from tests.clock import HandClock
from tests.conftest import HOMESTEAD


def test_the_lap_keys_are_one_definition_shown_alike_by_both_screens():
    for keys in (ReplayScreen.KEYS, LapChartScreen.KEYS):
        assert all(mine is shared for mine, shared in zip(keys, NAVIGATION, strict=False))
        assert len(keys) > len(NAVIGATION)
    assert [b.action for b in NAVIGATION] == ["step(-1)", "step(1)", "step(-10)", "step(10)", "jump(0)", "jump_to_finish"]


class Host:
    """A ``NotesHost`` with nothing of Textual: what it is asked and told is recorded."""

    def __init__(self, race: Path, lap: int) -> None:
        self.timeline = Timeline(load_race(race))
        self.lap, self.followed, self.transient = lap, frozenset({"07"}), False
        self.clock = HandClock()
        self.said: list[str] = []
        self.asked: list[tuple[NoteScreen, Callable[[NoteDraft | None], None]]] = []
        self.redrawn = 0

    def notify(self, message: str, **_: Any) -> None:
        self.said.append(message)

    def ask(self, dialog: NoteScreen, then: Callable[[NoteDraft | None], None]) -> None:
        self.asked.append((dialog, then))

    def notes_changed(self) -> None:
        self.redrawn += 1


@pytest.fixture
def race(tmp_path) -> Path:
    return Path(shutil.copy(HOMESTEAD, tmp_path / HOMESTEAD.name))


def test_the_notes_part_adds_a_note_and_writes_the_sheet_for_any_host(race):
    host = Host(race, 90)
    keeper = NoteKeeper(host)
    keeper.open()
    keeper.add()
    dialog, then = host.asked[0]
    assert dialog.heading == "Note at lap 90" and dialog.car == "07"
    then(NoteDraft("High line", "07"))
    assert keeper.notes == (Note(90, "High line", "07"),) and host.redrawn == 1
    written = keeper.write_prep_sheet()
    assert written is not None and written[0] == race.with_name("2025-trucks-homestead.lap90.md")
    assert "- **L90** · #07 Kyle Larson: High line" in written[0].read_text()


def test_notes_turned_off_stay_off_when_the_notes_file_changes(race):
    """A watch party's viewer keeps no notes: the host writing one must not bring them back."""
    host = Host(race, 90)
    keeper = NoteKeeper(host)
    keeper.open()
    keeper.turn_off("a watch party's viewer keeps no notes")
    NotesBook.open(race).add(Note(10, "the host's"))
    host.clock.advance(5)  # the poll looks at the file
    assert keeper.notes == () and keeper.book is None and host.redrawn == 0
    keeper.add()
    assert host.said == ["a watch party's viewer keeps no notes"] and not host.asked
