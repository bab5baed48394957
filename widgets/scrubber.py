"""One bar for the whole race: flag colours up to the current lap, stage ends, incidents, the cursor.

Click or drag to jump. Laps after the current one are drawn neutral: their flags and incidents
would be spoilers. Stage ends are scheduled, so they are always shown.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.message import Message
from textual.strip import Strip

from . import glyphs
from .palette import FLAGS, Themed

SEVERITY = {"green": 0, "white": 1, "checkered": 1, "yellow": 2, "red": 3}
BLANK = Segment(" ", Style())  # a style, never None: Textual's colour filters (NO_COLOR) read every segment's
STAGE = Style(bold=True)


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

    class Seek(Message):
        """The user clicked or dragged to ``lap``."""

        def __init__(self, scrubber: Scrubber, lap: int) -> None:
            super().__init__()
            self.scrubber = scrubber
            self.lap = lap

        @property
        def control(self) -> Scrubber:
            return self.scrubber

    def __init__(self, flags: tuple[str, ...], event_laps: list[int], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.flags = flags  # the flag of every lap; only laps up to the cursor are drawn
        self.event_laps = event_laps
        self.lap = 0
        self.span = 1
        self.stage_ends: tuple[int | None, ...] = ()

    def show(self, lap: int, span: int, stage_ends: tuple[int | None, ...]) -> None:
        """The cursor at ``lap`` of a bar standing for laps 0 to ``span`` (the race's length as
        known at that lap: the schedule, or the laps so far in overtime)."""
        self.lap, self.span, self.stage_ends = lap, max(1, span), stage_ends
        self.refresh()

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
            past = _flag_cells(self.flags, self.span, width, flag_styles, shapes.flag_bar)
            cursor = self.cell_of(self.lap)
            future = Segment(shapes.future, palette["scrubber--future"])
            return Strip(past[:cursor] + [Segment(shapes.cursor, palette["scrubber--cursor"])]
                         + [future] * (width - cursor - 1), width)
        if y == 1:
            cells = list(_stage_cells(self.stage_ends, self.span, width, glyphs.GLYPHS.stage_many))
            laps, marks = _incident_cells(tuple(self.event_laps), self.span, width)
            incident = Segment(glyphs.GLYPHS.incident, palette["scrubber--incident"])
            for x in marks[: bisect_right(laps, self.lap)]:  # incidents so far only
                if cells[x] is BLANK:
                    cells[x] = incident
            return Strip(cells, width)
        return Strip.blank(width)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self.capture_mouse()
        self.post_message(self.Seek(self, self.lap_at(event.x)))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self.app.mouse_captured is self:
            self.post_message(self.Seek(self, self.lap_at(event.x)))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        self.release_mouse()


@lru_cache(maxsize=8)
def _flag_cells(flags: tuple[str, ...], span: int, width: int, flag_styles: tuple[Style, ...],
                bar: str) -> list[Segment]:
    """Each cell coloured by the worst flag among the laps it covers, for laps 0 to ``span`` (only
    cells left of the cursor are ever shown, so no future lap is revealed). ``flag_styles``
    follow ``FLAGS``."""
    styles = dict(zip(FLAGS, flag_styles, strict=True))
    styles["checkered"] = styles["white"]
    scale = span / max(1, width - 1)  # the cursor's scale (a race cut short has fewer flags than its span)
    last_flag = len(flags) - 1
    cells = []
    for x in range(width):
        first = max(0, round((x - 0.5) * scale) + 1) if x else 0
        last = min(span, round((x + 0.5) * scale))
        worst = max(flags[first: last + 1] or flags[min(first, last_flag):][:1], key=SEVERITY.__getitem__)
        cells.append(Segment(bar, styles[worst]))
    return cells


@lru_cache(maxsize=8)
def _incident_cells(event_laps: tuple[int, ...], final: int, width: int) -> tuple[list[int], list[int]]:
    """Event laps in order, and the cell of each."""
    laps = sorted(event_laps)
    return laps, [_cell(lap, final, width) for lap in laps]


@lru_cache(maxsize=8)
def _stage_cells(stage_ends: tuple[int | None, ...], final: int, width: int, many: str) -> tuple[Segment, ...]:
    cells = [BLANK] * width
    for stage, end in enumerate(stage_ends, start=1):
        if end is None:  # not reported: no tick
            continue
        cells[_cell(end, final, width)] = Segment(str(stage) if stage < 10 else many, STAGE)
    return tuple(cells)


def _cell(lap: int, final: int, width: int) -> int:
    """The cell of the bar that stands for ``lap``."""
    return round(lap * max(1, width - 1) / max(1, final))
