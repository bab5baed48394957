"""The user's notes in the viewer: the note dialog, and the replay screen's part in keeping notes
(``a`` adds one at the current lap, ``d`` on a note in the log edits or deletes it) and in
writing the Markdown prep sheet (``e``).

Every change is written at once, atomically and under the race's notes lock, to the notes as
the file holds them then (``racefile.notes``): a viewer killed a moment later has lost nothing, and
notes added meanwhile by another viewer or ``race-replay note`` are kept; the viewer shows those
within ``NOTES_POLL_SECONDS``. A notes file that cannot be read is left as it is, and notes are
off until it is fixed (then they come back by themselves).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...core.model import Entry
from ...core.notes import Note, notes_at
from .dialogs import dialog_css

if TYPE_CHECKING:
    from widgets import Clock

    from ...core.engine import Timeline
    from ...core.state import RaceState
    from ...racefile.notes import NotesBook

NOBODY = "nobody"  # the option id of a note about no driver in particular
NOTES_POLL_SECONDS = 1.0  # how often the viewer looks for notes written elsewhere (a stat or two)


@dataclass(frozen=True)
class NoteDraft:
    """What the note dialog gives back: the text (empty: delete the note) and the car it is about."""

    text: str
    car: str | None


class NoteScreen(ModalScreen[NoteDraft | None]):
    """Type a note; ↑ ↓ choose whom it is about (nobody, or a followed driver); Enter keeps it,
    Escape cancels. Editing, an emptied text deletes the note."""

    DEFAULT_CSS = dialog_css("NoteScreen", width=72) + """
    NoteScreen OptionList { height: auto; max-height: 8; margin-top: 1; }
    NoteScreen #note-hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel"), Binding("down", "move(1)", show=False),
                Binding("up", "move(-1)", show=False)]

    def __init__(self, title: str, entries: Mapping[str, Entry], cars: Sequence[str], car: str | None,
                 text: str = "", editing: bool = False, blink: bool = True) -> None:
        super().__init__()
        self.heading, self.entries, self.cars, self.car = title, entries, list(cars), car
        self.text, self.editing, self.blink = text, editing, blink

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.heading)
            field = Input(self.text, placeholder="what to remember", id="note-text", select_on_focus=False)
            field.cursor_blink = self.blink
            yield field
            if self.cars:
                options = [Option(Text("About nobody in particular", style="italic"), id=NOBODY)]
                options += [Option(Text(self.entries[car].label if car in self.entries else car), id=car)
                            for car in self.cars]
                yield OptionList(*options, id="note-about")
            hint = "Enter: keep it · Escape: cancel" + (" · ↑ ↓: whom it is about" if self.cars else "")
            yield Static(hint + (" · an empty text deletes the note" if self.editing else ""), id="note-hint")

    def on_mount(self) -> None:
        if self.cars:
            about = self.query_one(OptionList)
            about.highlighted = self.cars.index(self.car) + 1 if self.car in self.cars else 0
        self.query_one(Input).focus()

    def action_move(self, step: int) -> None:
        if self.cars:
            about = self.query_one(OptionList)
            about.highlighted = max(0, min(about.option_count - 1, (about.highlighted or 0) + step))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._keep()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._keep()

    def _keep(self) -> None:
        text = self.query_one(Input).value.strip()
        car = None
        if self.cars:
            about = self.query_one(OptionList)
            chosen = about.get_option_at_index(about.highlighted or 0).id
            car = None if chosen == NOBODY else chosen
        self.dismiss(NoteDraft(text, car) if text or self.editing else None)


class NoteKeeping:
    """The replay screen's notes (a mixin of ``ReplayScreen``): ``open_notes`` on mount, then
    ``action_add_note`` (``a``), ``edit_note`` (``d`` on a note) and ``action_prep_sheet`` (``e``)."""

    timeline: Timeline
    clock: Clock
    lap: int
    followed: frozenset[str]
    transient: bool
    app: object
    notify: Callable[..., None]
    _show_events: Callable[[RaceState], None]
    notes: tuple[Note, ...] = ()
    _book: NotesBook | None = None
    _notes_off: str | None = None  # why notes cannot be kept this time
    _unreadable: str | None = None  # why the notes file could not be read again, once said

    def open_notes(self) -> None:
        """Read the race's notes, and look for changes made elsewhere every ``NOTES_POLL_SECONDS``."""
        self._sheets: dict[Path, str] = {}  # the prep sheets written, and what: those may be rewritten
        self._told: Path | None = None  # where the notes were last said to be kept
        if not self.timeline.race.path:
            self._notes_off = "this race was not opened from a file: there is nowhere to keep notes"
            return
        self._open_book()
        self.clock.set_interval(NOTES_POLL_SECONDS, self.reload_notes)

    def _open_book(self) -> None:
        """A notes file that cannot be read turns notes off until it is fixed (and is left alone)."""
        from ...racefile.notes import NotesBook, NotesError, notes_stamp

        race = Path(self.timeline.race.path)
        self._broken = notes_stamp(race)  # the file as it was when it could not be read
        try:
            self._book = NotesBook.open(race)
        except NotesError as error:
            self._notes_off = f"{error} (left as it is; notes are off until it is fixed)"
            self.notify(self._notes_off, title="Notes cannot be read", severity="error", timeout=10, markup=False)
            return
        self._notes_off = None
        self.notes = self._book.notes

    def reload_notes(self) -> None:
        """Show the notes added, changed or deleted elsewhere since they were last read or written
        (or, if notes are off, the notes file once it is fixed)."""
        from ...racefile.notes import NotesError, notes_stamp

        if self._book is None:
            if notes_stamp(Path(self.timeline.race.path)) == self._broken:
                return
            self._open_book()
            changed = self._book is not None
        else:
            try:
                changed = self._book.refresh()
            except NotesError as error:
                if str(error) != self._unreadable:
                    self.notify(f"{error} (left as it is; the notes shown are those read before)",
                                title="Notes cannot be read", severity="error", timeout=10, markup=False)
                self._unreadable = str(error)
                return
            self._unreadable = None
        if changed:
            self.notes = self._book.notes
            self._show_events(self.timeline.state_at(self.lap))

    def notes_shown(self, lap: int) -> tuple[Note, ...]:
        """The notes the log shows at ``lap``: never one of a later lap."""
        return notes_at(self.notes, lap) if self.notes else ()

    def action_add_note(self) -> None:
        if self._book is None:
            self.notify(self._notes_off or "notes cannot be kept", title="No notes", severity="warning", markup=False)
            return
        entries = self.timeline.race.entries
        cars = sorted(self.followed, key=lambda car: entries[car].neutral_key)
        dialog = NoteScreen(f"Note at lap {self.lap}", entries, cars, cars[0] if len(cars) == 1 else None,
                            blink=self.transient)
        self.app.push_screen(dialog, partial(self._add, self.lap))

    def edit_note(self, note: Note) -> None:
        if self._book is None:
            return
        entries = self.timeline.race.entries
        cars = list(dict.fromkeys(([note.car] if note.car else []) + sorted(self.followed, key=lambda c: entries[c].neutral_key)))
        dialog = NoteScreen(f"Note at lap {note.lap}", entries, cars, note.car, note.text, editing=True,
                            blink=self.transient)
        self.app.push_screen(dialog, partial(self._edit, note))

    def _add(self, lap: int, draft: NoteDraft | None) -> None:
        if draft is not None and draft.text:
            self._change(lambda book: book.add(Note(lap, draft.text, draft.car)), f"Note kept at lap {lap}")

    def _edit(self, note: Note, draft: NoteDraft | None) -> None:
        if draft is None or (draft.text, draft.car) == (note.text, note.car):
            return
        if not draft.text:
            self._change(lambda book: book.remove(note), f"Note at lap {note.lap} deleted", always=True)
        else:
            self._change(lambda book: book.replace(note, Note(note.lap, draft.text, draft.car)), "Note changed")

    def _change(self, change: Callable[[NotesBook], Path], done: str, always: bool = False) -> None:
        """Make and write a change; say where the notes are the first time (and if that moves)."""
        from ...racefile.notes import NotesError

        assert self._book is not None
        try:
            path = change(self._book)
        except NotesError as error:
            self.notify(str(error), title="Notes not written", severity="error", timeout=10, markup=False)
            path = None
        self.notes = self._book.notes
        self._show_events(self.timeline.state_at(self.lap))
        if path is not None and (always or path != self._told):
            self.notify(f"{done}: {path}" if path != self._told else done, title="Notes", markup=False)
            self._told = path

    def action_prep_sheet(self) -> None:
        """Write the Markdown prep sheet of this lap beside the race (or in the data folder) and say where."""
        if not self.timeline.race.path:
            self.notify("this race was not opened from a file: there is nowhere to write beside it", severity="warning",
                        markup=False)
            return
        entries = self.timeline.race.entries
        drivers = tuple(sorted(self.followed, key=lambda car: entries[car].neutral_key))
        try:
            path, text = write_sheet(self.timeline, self.lap, self.notes, drivers, self._sheets)
        except OSError as error:
            self.notify(f"cannot write the prep sheet: {error}", title="Prep sheet", severity="error", timeout=10, markup=False)
            return
        self._sheets[path] = text
        self.notify(f"Lap {self.lap}: {path}", title="Prep sheet written", markup=False)


def write_sheet(timeline: Timeline, lap: int, notes: Sequence[Note], drivers: tuple[str, ...],
                ours: Mapping[Path, str]) -> tuple[Path, str]:
    """Write the prep sheet at ``lap`` (atomically) beside the race, or in the data folder where
    that folder cannot be written (and for the bundled races); never over a file someone else
    changed. Where, and what."""
    from ...export import FORMATS, ExportRequest
    from ...user.files import write_atomically
    from ...user.note_files import sheet_path, unclaimed_path, writable

    race = Path(timeline.race.path)
    text = FORMATS["md"].render(ExportRequest.at(timeline, lap, tuple(notes), drivers))
    failure: OSError | None = None
    from ...racefile.notes import is_bundled

    for beside in (False,) if is_bundled(race) else (True, False):
        target = sheet_path(race, lap, beside)
        if beside and not writable(target):
            continue
        target = unclaimed_path(target, text, ours)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, text)
        except OSError as error:
            failure = error
            continue
        return target, text
    raise failure or OSError("nowhere to write it")
