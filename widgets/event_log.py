"""Events up to the current lap, newest first, a caution's pit cycle as one row, and the user's
notes among them; choosing an event jumps to its lap (a pit cycle: its table of stops)."""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from replay.core.log import LogItem
from replay.core.notes import Note
from replay.core.pits import PitCycle
from replay.core.state import RaceState

from . import glyphs
from .palette import Themed
from .rowlist import RowList
from .runs import Runs, fit, strip_of, wrapped_runs

# Each kind's colour, by theme variable (see widgets/palette.py); kinds not listed are plain.
KIND_CSS = {
    # Crash, spin and contact share a colour: their text styles tell them apart without colour (NO_COLOR).
    "crash": "color: $race-danger; text-style: bold;", "spin": "color: $race-danger; text-style: italic;",
    "contact": "color: $race-danger; text-style: underline;", "caution": "color: $race-caution;", "restart": "color: $race-good;",
    "pit": "color: $race-service;", "penalty": "color: $race-penalty;",
    "lead_change": "color: $race-lead; text-style: bold;", "pass": "color: $race-lead;", "stage_end": "text-style: bold;",
    "mechanical": "color: $race-incident;", "retirement": "color: $race-danger; text-style: dim;",
    "fastest_lap": "color: $race-fastest;", "disqualification": "color: $race-danger; text-style: bold;",
    "qualifying": "color: $race-service;", "standings": "text-style: dim;",
}
NOTE_STYLE = "user-note"  # the palette's name for the user's notes (no event kind has a hyphen)
NOTE_KIND = "my note"
CYCLE_KIND = "pit cycle"
DIM, BOLD = Style(dim=True), Style(bold=True)


SUFFIXES = {"jr.", "jr", "sr.", "sr", "ii", "iii", "iv"}


def short_name(driver: str) -> str:
    """The family name: "Joe Graf Jr." -> "Graf Jr."."""
    words = driver.split()
    if len(words) > 2 and words[-1].lower() in SUFFIXES:
        return " ".join(words[-2:])
    return words[-1] if words else driver


class EventLog(RowList, Themed):
    """Lap-stamped events, coloured by kind (``~`` marks an estimated lap), a pit cycle as one row
    with its count, and the user's notes after the events of their lap, in a style of their own."""

    # The scrollbar is always there: one that came and went with the events would re-lay-out
    # the screen whenever a jump fills or empties the log.
    PALETTE = {**KIND_CSS, NOTE_STYLE: "color: $race-note; text-style: italic;"}  # by event kind
    DEFAULT_CSS = """
    EventLog { height: 1fr; overflow-y: scroll; }
    """

    class Highlighted(Message):
        """The highlighted event or note changed (``event`` is None when the log is empty)."""

        def __init__(self, event_log: EventLog, event: LogItem | None) -> None:
            super().__init__()
            self.event_log = event_log
            self.event = event

        @property
        def control(self) -> EventLog:
            return self.event_log

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.events: tuple[LogItem, ...] = ()
        self.state: RaceState | None = None
        self._shown: tuple[LogItem, ...] = ()  # the items shown, oldest first
        self._widths = (5, 11)  # of the lap label and the kind
        self._rows: dict[tuple[LogItem, int, tuple[int, int]], Runs] = {}
        self._measured: dict[int, tuple[LogItem, int, int]] = {}  # by id: the item, its label's and kind's widths
        self._widest: tuple[tuple[LogItem, ...], int, int] = ((), 5, 11)  # items measured, widest label and kind

    def show(self, state: RaceState, items: tuple[LogItem, ...]) -> None:
        """Show ``items`` (oldest first: what ``replay.core.log.log_items`` lists at the lap of
        ``state``) newest first, with the newest highlighted. No message is posted: the caller
        reads ``highlighted`` in the same paint (a message would cost a frame)."""
        self.state = state
        if items != self._shown:
            self._shown = items
            self.events = tuple(reversed(items))
            self._widths = self._column_widths(items)
            self.set_reactive(RowList.cursor, 0)
            self.set_row_count(len(self.events))
            self.scroll_to(y=0, animate=False, immediate=True)

    def _column_widths(self, items: tuple[LogItem, ...]) -> tuple[int, int]:
        """Columns as wide as the widest lap label and kind shown ("~L1–134", "disqualification").
        Each item's are measured once (by identity: the same events come back lap after lap), and
        a log that only grew at its end (a step forward) measures only its new items."""
        measured = self._measured
        if len(measured) > 20_000:
            measured.clear()
        before, label, kind = self._widest
        if len(items) >= len(before) and items[: len(before)] == before:
            new = items[len(before):]
        else:
            new, label, kind = items, 5, 11
        for item in new:
            known = measured.get(id(item))
            if known is None or known[0] is not item:
                known = measured[id(item)] = (item, len(item.lap_label), len(_kind(item)))
            label, kind = max(label, known[1]), max(kind, known[2])
        self._widest = items, label, kind
        return min(9, label), min(16, kind)

    @property
    def highlighted(self) -> LogItem | None:
        return self.events[min(self.cursor, len(self.events) - 1)] if self.events else None

    def event_at(self, index: int) -> LogItem:
        return self.events[index]

    def render_row(self, index: int, width: int) -> Runs:
        """An event's row never changes, and rows move down a place as events arrive: each is
        made once per width."""
        key = (self.events[index], width, self._widths)
        if key not in self._rows:
            if len(self._rows) > 4096:
                self._rows.clear()
            self._rows[key] = self._event_row(*key)
        return self._rows[key]

    def _event_row(self, event: LogItem, width: int, widths: tuple[int, int]) -> Runs:
        note = isinstance(event, Note)
        if isinstance(event, Note):
            cars: tuple[str, ...] = (event.car,) if event.car else ()
            style = self.palette.get(NOTE_STYLE)
            text = " ".join(event.text.split())  # a note may have been typed over lines
        else:
            cars = () if isinstance(event, PitCycle) else event.cars[:3]
            style = self.palette.get(event.kind)
            text = event.text
        entries = self.state.entries if self.state is not None else {}  # rows are drawn only after ``show``
        names = ", ".join(short_name(entries[car].driver) if car in entries else car for car in cars)
        label = f" {fit(event.lap_label, widths[0], right=True)} "
        kind = f"{fit(_kind(event), widths[1])} "
        room = max(0, width - len(label) - len(kind))
        names = fit(f"{names}: ", min(room, len(names) + 2)) if names else ""
        if text and names and len(names) == room and not names.endswith(glyphs.GLYPHS.ellipsis):
            # the names fill the row whole: the text would go unmarked, and the row read as complete
            names = names[:-1]  # (their trailing space) a cell for the text's ellipsis
        return [(label, DIM), (kind, style), (names, BOLD), (fit(text, room - len(names)), style if note else None)]

    def palette_changed(self) -> None:
        self._rows.clear()  # drawn in the old theme's colours
        super().palette_changed()

    def watch_cursor(self, old: int, new: int) -> None:
        super().watch_cursor(old, new)
        if self.events:
            self.post_message(self.Highlighted(self, self.highlighted))


def _kind(item: LogItem) -> str:
    if isinstance(item, PitCycle):
        return CYCLE_KIND
    return NOTE_KIND if isinstance(item, Note) else item.kind.replace("_", " ")


@lru_cache(maxsize=64)
def detail_lines(event: LogItem, width: int) -> list[Runs]:
    if isinstance(event, Note):
        return wrapped_runs(Text(event.text).append("  [your note · d: edit or delete]", style="dim"), width)
    if isinstance(event, PitCycle):
        cars = len(event.cars)
        during = f"under the caution from lap {event.start}" if event.caution else f"on lap {event.start}"
        text = Text(f"{len(event.events)} pit stops {during}, by {cars} car{'s' if cars != 1 else ''}, up to now")
        return wrapped_runs(text.append("  [Enter or d: the stops]", style="dim"), width)
    text = Text(event.text)
    if event.sources:
        text.append(f"  [{', '.join(event.sources)}]", style="dim")
    if event.estimated:
        text.append(f"\nLap estimated: {event.estimated}", style="dim italic")
    return wrapped_runs(text, width)


MORE = " d: all of it"


def cut_lines(lines: list[Runs], height: int, width: int) -> list[Runs]:
    """``lines`` as they fit ``height``: when some are left out, the last one shown ends in an
    ellipsis and says which key shows the rest."""
    if len(lines) <= height or height < 1:
        return lines
    last = "".join(text for text, _ in lines[height - 1]).rstrip()
    room = max(1, width - len(MORE))
    cut = fit(last, room) if cell_len(last) >= room else last + glyphs.GLYPHS.ellipsis
    return lines[: height - 1] + [[(cut, None), (MORE, DIM)]]


class EventDetail(Widget):
    """The highlighted event: its text, sources and how its lap was estimated (or a note's text).
    What does not fit ends in an ellipsis; ``d`` shows the event in full (edits a note)."""

    DEFAULT_CSS = """
    EventDetail { height: 4; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.event: LogItem | None = None
        self._strips: list[Strip] = []  # the lines drawn, for ``_drawn``
        self._drawn: tuple = ()  # the event, size and style they were drawn for

    def show(self, event: LogItem | None) -> None:
        # equal, not the same: a pit cycle is made again at each lap
        if event is not self.event and event != self.event:
            self.event = event
            self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        width, height = self.content_region.size
        base = self.rich_style  # the same for every line: read once per paint
        if self._drawn != (self.event, width, height, base):  # a paint of another widget's lines asks too
            self._drawn = (self.event, width, height, base)
            lines = detail_lines(self.event, width) if self.event is not None else []
            self._strips = [strip_of(runs, width, base) for runs in cut_lines(lines, height, width)]
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        return self._strips[y] if y < len(self._strips) else Strip.blank(self.content_region.width, self.rich_style)
