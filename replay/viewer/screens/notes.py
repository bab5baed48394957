"""The user's notes in the viewer: the note dialog, and the replay screen's part in keeping notes
(``a`` adds one at the current lap, ``d`` on a note in the log edits or deletes it) and in
asking for the Markdown prep sheet (``e``; written by ``racefile.prep_sheets``).

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
from typing import TYPE_CHECKING, Protocol

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
    from textual.notifications import SeverityLevel

    from widgets import Clock

    from ...core.engine import Timeline
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


class NotesHost(Protocol):
    """What the notes need of their screen: the race and lap shown, the drivers followed, a
    clock to look for changes with, a way to speak and to ask (a dialog), and to redraw the log."""

    @property
    def timeline(self) -> Timeline: ...
    @property
    def lap(self) -> int: ...
    @property
    def followed(self) -> frozenset[str]: ...
    @property
    def transient(self) -> bool: ...
    @property
    def clock(self) -> Clock: ...
    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None: ...
    def ask(self, dialog: NoteScreen, then: Callable[[NoteDraft | None], None]) -> None: ...
    def notes_changed(self) -> None: ...


class NoteKeeper:
    """The replay screen's notes: ``open`` once the screen is up, then ``add`` (``a``), ``edit``
    (``d`` on a note) and ``write_prep_sheet`` (``e``); ``notes`` are those read or written last."""

    def __init__(self, host: NotesHost) -> None:
        self.host = host
        self.notes: tuple[Note, ...] = ()
        self.book: NotesBook | None = None
        self.off: str | None = None  # why notes cannot be kept this time
        self._unreadable: str | None = None  # why the notes file could not be read again, once said
        self._broken: object = None  # the notes file as it was when it could not be read
        self.sheets: dict[Path, str] = {}  # the prep sheets written, and what: those may be rewritten
        self._told: Path | None = None  # where the notes were last said to be kept
        self._turned_off = False

    @property
    def race(self) -> Path:
        return Path(self.host.timeline.race.path)

    def open(self) -> None:
        """Read the race's notes, and look for changes made elsewhere every ``NOTES_POLL_SECONDS``."""
        if not self.host.timeline.race.path:
            self.off = "this race was not opened from a file: there is nowhere to keep notes"
            return
        self._open_book()
        self.host.clock.set_interval(NOTES_POLL_SECONDS, self.reload)

    def turn_off(self, why: str) -> None:
        """Keep no notes (and show none) from now on; ``why`` is said when one is asked for."""
        self.book, self.notes, self.off = None, (), why
        self._turned_off = True  # not back when the notes file changes

    def _open_book(self) -> None:
        """A notes file that cannot be read turns notes off until it is fixed (and is left alone)."""
        from ...racefile.notes import NotesBook, NotesError, notes_stamp

        self._broken = notes_stamp(self.race)
        try:
            self.book = NotesBook.open(self.race)
        except NotesError as error:
            self.off = f"{error} (left as it is; notes are off until it is fixed)"
            self.host.notify(self.off, title="Notes cannot be read", severity="error", timeout=10, markup=False)
            return
        self.off = None
        self.notes = self.book.notes

    def reload(self) -> None:
        """Show the notes added, changed or deleted elsewhere since they were last read or written
        (or, if notes are off, the notes file once it is fixed)."""
        from ...racefile.notes import NotesError, notes_stamp

        if self.book is None:
            if self._turned_off or notes_stamp(self.race) == self._broken:
                return
            self._open_book()
            changed = self.book is not None
        else:
            try:
                changed = self.book.refresh()
            except NotesError as error:
                if str(error) != self._unreadable:
                    self.host.notify(f"{error} (left as it is; the notes shown are those read before)",
                                     title="Notes cannot be read", severity="error", timeout=10, markup=False)
                self._unreadable = str(error)
                return
            self._unreadable = None
        if changed and self.book is not None:
            self.notes = self.book.notes
            self.host.notes_changed()

    def shown(self, lap: int) -> tuple[Note, ...]:
        """The notes the log shows at ``lap``: never one of a later lap."""
        return notes_at(self.notes, lap) if self.notes else ()

    def _followed_cars(self) -> list[str]:
        entries = self.host.timeline.race.entries
        return sorted(self.host.followed, key=lambda car: entries[car].neutral_key)

    def add(self) -> None:
        """Ask for a note at the lap shown (about the driver followed, if one), and keep it."""
        if self.book is None:
            self.host.notify(self.off or "notes cannot be kept", title="No notes", severity="warning", markup=False)
            return
        lap, cars = self.host.lap, self._followed_cars()
        dialog = NoteScreen(f"Note at lap {lap}", self.host.timeline.race.entries, cars,
                            cars[0] if len(cars) == 1 else None, blink=self.host.transient)
        self.host.ask(dialog, partial(self._add, lap))

    def edit(self, note: Note) -> None:
        """Ask for the note's new text and driver (an emptied text deletes it)."""
        if self.book is None:
            return
        cars = list(dict.fromkeys(([note.car] if note.car else []) + self._followed_cars()))
        dialog = NoteScreen(f"Note at lap {note.lap}", self.host.timeline.race.entries, cars, note.car, note.text,
                            editing=True, blink=self.host.transient)
        self.host.ask(dialog, partial(self._edit, note))

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

        if self.book is None:  # turned off while the dialog was open
            return
        path: Path | None
        try:
            path = change(self.book)
        except NotesError as error:
            kept = " (kept until the next change)" if error.unsaved else ""
            self.host.notify(f"{error}{kept}", title="Notes not written", severity="error", timeout=10, markup=False)
            path = None
        self.notes = self.book.notes
        self.host.notes_changed()
        if path is not None and (always or path != self._told):
            self.host.notify(f"{done}: {path}" if path != self._told else done, title="Notes", markup=False)
            self._told = path

    def sheet_drivers(self) -> tuple[str, ...]:
        """The drivers a prep sheet has a section for: those followed."""
        return tuple(self._followed_cars())

    def write_prep_sheet(self) -> tuple[Path, str] | None:
        """Write the Markdown prep sheet of this lap beside the race (or in the data folder) and say
        where (``racefile.prep_sheets``). Where, and what; None if it could not be written (said)."""
        from ...racefile.prep_sheets import write_sheet

        lap = self.host.lap
        if not self.host.timeline.race.path:
            self.host.notify("this race was not opened from a file: there is nowhere to write beside it",
                             severity="warning", markup=False)
            return None
        try:
            path, text = write_sheet(self.host.timeline, lap, self.notes, self.sheet_drivers(), self.sheets)
        except OSError as error:
            self.host.notify(f"cannot write the prep sheet: {error}", title="Prep sheet", severity="error", timeout=10,
                             markup=False)
            return None
        self.sheets[path] = text
        self.host.notify(f"Lap {lap}: {path}", title="Prep sheet written", markup=False)
        return path, text
