"""One bar for the race as known at the current lap: flag colours so far, stage ends, incidents, the cursor.

Click or drag to jump. It draws what the state holds (core/state.py): the flags, stage ends and
incident laps known at the lap and the race's length as known then; what comes later it is never
given, so the laps after the cursor are drawn neutral.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip

from replay.core.state import RaceState

from . import glyphs
from .palette import FLAGS, Themed
from .runs import joined

SEVERITY = {"green": 0, "white": 1, "checkered": 1, "yellow": 2, "red": 3}
BLANK = Segment(" ", Style())  # a style, never None: Textual's colour filters (NO_COLOR) read every segment's
STAGE = Style(bold=True)


@dataclass(frozen=True)
class Marks:
    """The second line's marks: stage-end ticks and the cells of the ``incident_laps`` (``cells``)."""

    span: int
    stage_ends: tuple[int | None, ...]
    width: int
    incident_laps: tuple[int, ...]
    cells: frozenset[int]

    @property
    def drawing(self) -> tuple:
        """What the line shows (the laps behind the cells aside)."""
        return self.span, self.stage_ends, self.width, self.cells


class Scrubber(Themed):
    """Two lines: the flag bar with the cursor, then stage-end ticks and incident marks."""

    PALETTE = {
        **{f"scrubber--{flag}": f"color: $flag-{flag}" for flag in FLAGS},
        "scrubber--future": "color: $race-future", "scrubber--cursor": "color: $race-cursor; text-style: bold",
        "scrubber--incident": "color: $race-incident",
    }
    DEFAULT_CSS = """
    Scrubber { height: 2; margin: 0 1; }
    """
    LIGHTEN_WITHOUT_COLOUR = False  # without colour, the flags' greys are all that tells them apart

    class Seek(Message):
        """The user clicked or dragged to ``lap``."""

        def __init__(self, scrubber: Scrubber, lap: int) -> None:
            super().__init__()
            self.scrubber = scrubber
            self.lap = lap

        @property
        def control(self) -> Scrubber:
            return self.scrubber

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lap = 0
        self.span = 1
        self.flags: tuple[str, ...] = ("green",)  # the flag of every lap so far
        self.stage_ends: tuple[int | None, ...] = ()
        self.incident_laps: tuple[int, ...] = ()
        self._bar = FlagBar()
        self._marks = Marks(0, (), 0, (), frozenset())

    def show(self, state: RaceState) -> None:
        """The cursor at ``state.lap`` of a bar standing for laps 0 to ``state.span`` (the race's
        length as known at that lap: the schedule, or the laps so far in overtime)."""
        before = self._marks  # as drawn
        self.lap, self.span, self.stage_ends = state.lap, max(1, state.span), state.stage_ends
        self.flags, self.incident_laps = state.flags_so_far, state.incident_laps
        if self._marks_at(self.size.width).drawing == before.drawing:
            self.refresh(Region(0, 0, self.size.width, 1))  # the marks' line is as it was
        else:
            self.refresh()

    def _marks_at(self, width: int) -> Marks:
        """What the second line draws at ``width`` (kept: the line is drawn from it, and a step compares it)."""
        marks = self._marks
        if (marks.span, marks.stage_ends, marks.width) != (self.span, self.stage_ends, width) \
                or marks.incident_laps is not self.incident_laps:
            cells = frozenset(_incident_cells(self.incident_laps, self.span, width))
            self._marks = Marks(self.span, self.stage_ends, width, self.incident_laps, cells)
        return self._marks

    def lap_at(self, x: int) -> int:
        """The lap a cell stands for."""
        return max(0, min(self.span, round(x * self.span / max(1, self.size.width - 1))))

    def cell_of(self, lap: int) -> int:
        return _cell(lap, self.span, self.size.width)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        palette = self.palette
        if y == 0:
            flag_styles = tuple(palette[f"scrubber--{flag}"] for flag in FLAGS)
            shapes = glyphs.GLYPHS
            past = self._bar.cells(self.flags, self.span, width, flag_styles, shapes.flag_bar)
            cursor = self.cell_of(self.lap)
            future = Segment(shapes.future, palette["scrubber--future"])
            return Strip(joined(past[:cursor] + [Segment(shapes.cursor, palette["scrubber--cursor"])]
                                 + [future] * (width - cursor - 1)), width)
        if y == 1:
            cells = list(_stage_cells(self.stage_ends, self.span, width, glyphs.GLYPHS.stage_many))
            incident = Segment(glyphs.GLYPHS.incident, palette["scrubber--incident"])
            for x in self._marks_at(width).cells:
                if cells[x] is BLANK:
                    cells[x] = incident
            return Strip(joined(cells), width)
        return Strip.blank(width)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self.capture_mouse()
        self.post_message(self.Seek(self, self.lap_at(event.x)))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self.app.mouse_captured is self:
            self.post_message(self.Seek(self, self.lap_at(event.x)))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        self.release_mouse()


class FlagBar:
    """The flag line's cells, kept from one lap to the next: the flags of laps already drawn never
    change, so a step makes again only the cells from the one that holds the last lap both share."""

    def __init__(self) -> None:
        self._key: tuple = ()
        self._flags: tuple[str, ...] = ()
        self._cells: list[Segment] = []

    def cells(self, flags: tuple[str, ...], span: int, width: int, flag_styles: tuple[Style, ...],
              bar: str) -> list[Segment]:
        key = (span, width, flag_styles, bar)
        start = 0
        if key == self._key:
            shared = min(len(flags), len(self._flags))
            if flags[:shared] == self._flags[:shared]:
                if len(flags) == len(self._flags):
                    return self._cells
                # the cells before ``start`` cover laps before ``shared - 2``: the laps both share, and the next
                scale = span / max(1, width - 1)
                start = max(0, next((x for x in range(width) if round((x + 0.5) * scale) >= shared - 2), width) - 1)
        self._key, self._flags = key, flags
        self._cells = self._cells[:start] + _flag_cells(flags, span, width, flag_styles, bar, start)
        return self._cells


def _flag_cells(flags: tuple[str, ...], span: int, width: int, flag_styles: tuple[Style, ...],
                bar: str, start: int = 0) -> list[Segment]:
    """Cells ``start`` on, each coloured by the worst flag among the laps it covers, of the laps so
    far (only cells left of the cursor are shown); a cell that covers no lap of its own takes the
    next lap's flag, or the last known. ``flag_styles`` follow ``FLAGS``."""
    styles = dict(zip(FLAGS, flag_styles, strict=True))
    by_severity = {SEVERITY[flag]: Segment(bar, styles["white" if flag == "checkered" else flag]) for flag in SEVERITY}
    scale = span / max(1, width - 1)  # the cursor's scale
    base = _first_lap(start, scale)  # the severities of the laps from here on
    severities = [SEVERITY[flag] for flag in flags[base:]]
    last_flag = len(flags) - 1
    cells: list[Segment] = []
    for x in range(start, width):
        first = _first_lap(x, scale)
        if first > last_flag:  # past the laps so far: the rest are never shown
            return cells + [by_severity[SEVERITY[flags[-1]]]] * (width - x)
        last = min(span, round((x + 0.5) * scale))
        cells.append(by_severity[max(severities[first - base: last + 1 - base] or severities[first - base:][:1])])
    return cells


def _first_lap(x: int, scale: float) -> int:
    """The first lap cell ``x`` covers (the one before it covers up to half a cell left of it)."""
    return max(0, round((x - 0.5) * scale) + 1) if x else 0


def _incident_cells(laps: tuple[int, ...], span: int, width: int) -> list[int]:
    """The cell of each incident lap."""
    return [_cell(lap, span, width) for lap in laps]


@lru_cache(maxsize=8)
def _stage_cells(stage_ends: tuple[int | None, ...], span: int, width: int, many: str) -> tuple[Segment, ...]:
    cells = [BLANK] * width
    for stage, end in enumerate(stage_ends, start=1):
        if end is None:  # not reported: no tick
            continue
        cells[_cell(end, span, width)] = Segment(str(stage) if stage < 10 else many, STAGE)
    return tuple(cells)


def _cell(lap: int, span: int, width: int) -> int:
    """The cell of the bar that stands for ``lap``."""
    return round(lap * max(1, width - 1) / max(1, span))
