"""One bar for the whole race: flag colours up to the current lap, stage ends, incidents, the cursor.

Click or drag to jump. Laps after the current one are drawn neutral: their flags and incidents
would be spoilers. Stage ends are scheduled, so they are always shown.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

FLAG_COLOURS = {"green": "#2e8b57", "yellow": "#e0c000", "red": "#d03030", "white": "#e0e0e0",
                "checkered": "#e0e0e0"}
SEVERITY = {"green": 0, "white": 1, "checkered": 1, "yellow": 2, "red": 3}
FUTURE = Style(color="#555555")


class Scrubber(Widget):
    """Two lines: the flag bar with the cursor, then stage-end ticks and incident marks."""

    DEFAULT_CSS = """
    Scrubber { height: 2; margin: 0 1; }
    """

    class Seek(Message):
        """The user clicked or dragged to ``lap``."""

        def __init__(self, lap: int) -> None:
            super().__init__()
            self.lap = lap

    def __init__(self, flags: tuple[str, ...], stage_ends: tuple[int, ...], event_laps: list[int],
                 *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.flags = flags
        self.stage_ends = stage_ends
        self.event_laps = event_laps
        self.lap = 0

    @property
    def final_lap(self) -> int:
        return len(self.flags) - 1

    def show(self, lap: int) -> None:
        self.lap = lap
        self.refresh()

    def lap_at(self, x: int) -> int:
        width = max(1, self.size.width - 1)
        return max(0, min(self.final_lap, round(x * self.final_lap / width)))

    def cell_of(self, lap: int) -> int:
        return round(lap * max(1, self.size.width - 1) / max(1, self.final_lap))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            return Strip(self._flag_bar(width), width)
        if y == 1:
            return Strip(self._marks(width), width)
        return Strip.blank(width)

    def _flag_bar(self, width: int) -> list[Segment]:
        cursor = self.cell_of(self.lap)
        segments = []
        for x in range(width):
            first, last = self.lap_at(x - 0.5) if x else 0, self.lap_at(x + 0.5)
            if x == cursor:
                segments.append(Segment("█", Style(color="white", bold=True)))
            elif first > self.lap:
                segments.append(Segment("─", FUTURE))
            else:
                worst = max(self.flags[first: min(last, self.lap) + 1] or ("green",), key=SEVERITY.get)
                segments.append(Segment("━", Style(color=FLAG_COLOURS[worst])))
        return segments

    def _marks(self, width: int) -> list[Segment]:
        cells = [Segment(" ")] * width
        for lap in self.event_laps:
            if lap <= self.lap:
                cells[self.cell_of(lap)] = Segment("•", Style(color="#ff9f40"))
        for stage, end in enumerate(self.stage_ends, start=1):
            cells[self.cell_of(end)] = Segment(str(stage) if stage < 10 else "┃", Style(bold=True))
        return cells

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self.capture_mouse()
        self.post_message(self.Seek(self.lap_at(event.x)))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self.app.mouse_captured is self:
            self.post_message(self.Seek(self.lap_at(event.x)))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        self.release_mouse()
