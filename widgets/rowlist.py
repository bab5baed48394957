"""A scrollable list of one-line rows drawn with Textual's line API: only visible rows are rendered.

Subclasses say how many rows there are and how to draw one as a ``rich.text.Text``; rebuilding
the data costs nothing on screen until a row is actually painted.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


class RowList(ScrollView, can_focus=True, inherit_bindings=False):
    """One row per line; a cursor row when focused; Enter or a click chooses a row."""

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("enter", "choose", "Choose", show=False),
    ]

    cursor: reactive[int] = reactive(0)

    class Chosen(Message):
        """A row was chosen with Enter or a click."""

        def __init__(self, row_list: "RowList", index: int) -> None:
            super().__init__()
            self.row_list = row_list
            self.index = index

        @property
        def control(self) -> "RowList":
            return self.row_list

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.row_count = 0

    # -- for subclasses ------------------------------------------------------------------

    def render_row(self, index: int, width: int) -> Text:
        raise NotImplementedError

    def set_row_count(self, count: int) -> None:
        """Call after the data changed: resizes the scroll area and repaints."""
        self.row_count = count
        self.virtual_size = Size(self.size.width, count)
        if count and self.cursor >= count:
            self.cursor = count - 1
        self.refresh()

    def scroll_row_into_view(self, index: int) -> None:
        self.scroll_to_region(Region(0, index, 1, 1), animate=False, immediate=True)

    # -- line API ------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= self.row_count:
            return Strip([Segment(" " * width, base)], width)
        text = self.render_row(index, width)
        if index == self.cursor and self.has_focus:
            text.stylize(Style(reverse=True))
        text.truncate(width, overflow="ellipsis", pad=True)
        segments = [Segment(seg.text, base + seg.style if seg.style else base)
                    for seg in text.render(self.app.console)]
        return Strip(segments, width).crop(0, width)

    # -- cursor --------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        self.scroll_row_into_view(new)

    def action_cursor(self, delta: int) -> None:
        if self.row_count:
            self.cursor = max(0, min(self.row_count - 1, self.cursor + delta))

    def action_choose(self) -> None:
        if self.row_count:
            self.post_message(self.Chosen(self, self.cursor))

    def on_click(self, event) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < self.row_count:
            self.cursor = index
            self.post_message(self.Chosen(self, index))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
