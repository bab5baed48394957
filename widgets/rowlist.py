"""A scrollable list of one-line rows drawn with Textual's line API: only visible rows are rendered.

Subclasses say how many rows there are and how to draw one as ``(text, style)`` runs; rows are
turned straight into segments (no Rich markup or layout), and only painted rows cost anything.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from rich.cells import cell_len, set_cell_size
from rich.color import Color
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.widget import Widget

from . import glyphs

REVERSE = Style(reverse=True)
# a scrollbar style without a colour is drawn in Textual's own fallbacks (ScrollBarRender.__rich_console__)
SCROLLBAR_BACK, SCROLLBAR_BAR = Color.parse("#555555"), Color.parse("bright_magenta")
MAX_KEPT_STRIPS = 4096
Runs = list[tuple[str, Style | None]]
# Only measures and wraps text (never prints): rows are drawn by Textual.
WRAP_CONSOLE = Console(width=200, color_system=None, legacy_windows=False)


def wrapped_runs(text: Text, width: int) -> list[Runs]:
    """``text`` wrapped to ``width`` cells, each line as ``(text, style)`` runs."""
    return [[(segment.text, segment.style) for segment in line.render(WRAP_CONSOLE) if segment.text]
            for line in text.wrap(WRAP_CONSOLE, max(1, width))]


def fit(text: str, width: int, right: bool = False) -> str:
    """``text`` padded or cut (with an ellipsis) to exactly ``width`` cells."""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + glyphs.GLYPHS.ellipsis if width > 0 else ""
    return " " * (width - length) + text if right else text + " " * (width - length)


def _merged_runs(runs: Runs) -> Runs:
    """Neighbouring runs of the same style joined: fewer segments for every later stage of a
    frame (filters, cropping, the compositor, the terminal output) to walk."""
    merged: Runs = []
    for text, style in runs:
        if merged and merged[-1][1] == style:
            merged[-1] = (merged[-1][0] + text, style)
        elif text:
            merged.append((text, style))
    return merged


def strip_of(runs: Runs, width: int, base: Style, over: Style | None = None) -> Strip:
    """One line of exactly ``width`` cells from ``(text, style)`` runs, each style laid on
    ``base`` (and ``over`` on top); a line too long ends in an ellipsis. Builds one Strip only:
    strips are the most numerous objects of a frame."""
    segments = []
    length = 0
    plain = glyphs.GLYPHS.plain
    for text, style in _merged_runs(runs):
        if plain:
            text = text.translate(plain)
        style = base + style if style else base
        segments.append(Segment(text, style + over if over else style))
        length += cell_len(text)
    if length > width:
        return Strip(list(Strip(segments).crop(0, max(0, width - 1)))
                     + ([Segment(glyphs.GLYPHS.ellipsis, segments[-1].style)] if width else []), width)
    if length < width:
        segments.append(Segment(" " * (width - length), base + over if over else base))
    return Strip(segments, width)


def _thumb(bar: ScrollBar) -> list[Segment]:
    """A scrollbar's glyphs at its length and position, drawn by Textual's own function (in
    fixed colours: only the shape is compared)."""
    return ScrollBarRender.render_bar(bar.size.height, bar.window_virtual_size, bar.window_size, bar.position).segments


class LineScrollBar(ScrollBar):
    """Textual's vertical scrollbar, its glyphs put straight into strips. Textual sends the
    scrollbar's Rich renderable through its whole text pipeline, which cost as much as drawing
    all of a list's rows; the glyphs, colours and mouse actions are Textual's own."""

    def render_lines(self, crop: Region) -> list[Strip]:
        bar = self.render()
        if not self.vertical or not isinstance(bar, ScrollBarRender) or not isinstance(bar.style, Style):
            return super().render_lines(crop)
        width, height = self.size
        glyphs = ScrollBarRender.render_bar(
            size=height, virtual_size=bar.virtual_size, window_size=bar.window_size, position=bar.position,
            thickness=width, vertical=True, back_color=bar.style.bgcolor or SCROLLBAR_BACK,
            bar_color=bar.style.color or SCROLLBAR_BAR,
        ).segments
        strips = [Strip([glyph], width) for glyph in glyphs[crop.y:crop.bottom]]
        return strips if crop.column_span == (0, width) else [strip.crop(*crop.column_span) for strip in strips]


class RowList(ScrollView, can_focus=True, inherit_bindings=False):
    """One row per line; a cursor row when focused; Enter or a click chooses a row."""

    # Rows are cut to the width, so there is never anything to scroll sideways to.
    DEFAULT_CSS = """
    RowList { overflow-x: hidden; }
    """
    OVERLAY_TOP = 1  # the first line an overlay covers (line 0 is a list's heading)
    PINNED_ROWS = 0  # rows drawn at the top whatever the scroll (a heading; the leader)

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("enter", "choose", "Choose", show=False),
    ]

    cursor: reactive[int] = reactive(0)

    class Chosen(Message):
        """A row was chosen with Enter or a click."""

        def __init__(self, row_list: RowList, index: int) -> None:
            super().__init__()
            self.row_list = row_list
            self.index = index

        @property
        def control(self) -> RowList:
            return self.row_list

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.row_count = 0
        self._base_style: Style | None = None
        self._paint = (0, 0, -1)  # scroll top, width, cursor row: read once per paint
        self._overlay: Callable[[int], list[list[tuple[str, Style | None]]]] | None = None
        self._overlay_lines: list[list[tuple[str, Style | None]]] = []
        self._strips: dict[tuple, Strip] = {}  # rows drawn, by ``row_key``, width and cursor

    # -- for subclasses ------------------------------------------------------------------

    def render_row(self, index: int, width: int) -> list[tuple[str, Style | None]]:
        """The runs of text that make up row ``index``, left to right."""
        raise NotImplementedError

    def row_key(self, index: int) -> Hashable | None:
        """What line ``index`` draws, for keeping its strip until ``forget_rows``; None (the
        default): draw it on every paint. A kept strip is drawn again as it is, and Textual's
        later stages (filters, cutting the screen into pieces) keep their work on it too."""
        return None

    def forget_rows(self) -> None:
        """Drop the kept strips: call whenever what ``render_row`` draws may have changed."""
        self._strips.clear()

    def set_row_count(self, count: int) -> None:
        """Call after the data changed: resizes the scroll area and repaints."""
        self.row_count = count
        size = Size(self.size.width, count)
        if size != self.virtual_size:
            visible = self.scrollable_content_region.height
            same_bars = self.styles.overflow_y != "auto" or (count > visible) == (self.virtual_size.height > visible)
            if self.size.height and same_bars:
                # Same scrollbars as before: update them alone. Assigning virtual_size would
                # re-lay-out the whole screen, which costs more than the rest of a lap step.
                self.set_reactive(Widget.virtual_size, size)
                self._resize_scrollbar(size)
            else:
                self.virtual_size = size
        if count and self.cursor >= count:
            self.cursor = count - 1
        self.refresh()

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """Textual's own property, creating a LineScrollBar instead (private Textual API, here only)."""
        if self._vertical_scrollbar is None:
            bar = LineScrollBar(vertical=True, name="vertical", thickness=self.scrollbar_size_vertical)
            bar.display = False
            self._vertical_scrollbar = bar
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar

    def _resize_scrollbar(self, size: Size) -> None:
        """Textual's ``_scroll_update`` for a vertical scrollbar that stays, without its
        unconditional repaint: a list growing by a row or two rarely moves the thumb by a glyph,
        and drawing the scrollbar costs as much as drawing the rows."""
        if self.show_vertical_scrollbar:
            bar = self.vertical_scrollbar
            before = _thumb(bar)
            bar.set_reactive(ScrollBar.window_virtual_size, size.height)
            bar.set_reactive(ScrollBar.window_size, self.container_size.height - self.scrollbar_size_horizontal)
            if _thumb(bar) != before:
                bar.refresh()
        self.scroll_y = self.validate_scroll_y(self.scroll_y)

    def set_overlay(self, lines: Callable[[int], list[list[tuple[str, Style | None]]]] | None) -> None:
        """Draw ``lines(width)`` over the list's rows from ``OVERLAY_TOP`` down, or stop drawing them.
        A repaint only: no layout, unlike showing or hiding a widget."""
        self._overlay = lines
        self.refresh()

    def scroll_row_into_view(self, index: int) -> None:
        """Scroll so that row ``index`` shows below the pinned rows."""
        self.scroll_to_region(Region(0, index, 1, 1), animate=False, immediate=True,
                              spacing=Spacing(self.PINNED_ROWS, 0, 0, 0) if index >= self.PINNED_ROWS else None)

    # -- line API ------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._base_style = None
        self._strips.clear()

    @property
    def base_style(self) -> Style:
        """``rich_style`` walks every ancestor; it only changes with the styles, so keep it."""
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    def render_lines(self, crop: Region) -> list[Strip]:
        # Geometry and focus are the same for every line of one paint: read them once.
        width = self.scrollable_content_region.width
        self._paint = (self.scroll_offset.y, width, self.cursor if self.has_focus else -1)
        self._overlay_lines = self._overlay(width) if self._overlay else []
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        top, width, cursor_row = self._paint
        index = y if y < self.PINNED_ROWS else top + y
        if self.OVERLAY_TOP <= y < self.OVERLAY_TOP + len(self._overlay_lines):
            return self._overlay_strip(self._overlay_lines[y - self.OVERLAY_TOP], index, width)
        return self._row_strip(index, width, cursor=index == cursor_row)

    def _row_strip(self, index: int, width: int, cursor: bool = False) -> Strip:
        base = self.base_style
        if index >= self.row_count:
            return Strip([Segment(" " * width, base)], width)
        key = self.row_key(index)
        if key is None:
            return strip_of(self.render_row(index, width), width, base, REVERSE if cursor else None)
        kept = self._strips.get((key, width, cursor))
        if kept is None:
            if len(self._strips) > MAX_KEPT_STRIPS:  # many widths (a resize) or rows never forgotten
                self._strips.clear()
            kept = self._strips[key, width, cursor] = strip_of(self.render_row(index, width), width, base,
                                                               REVERSE if cursor else None)
        return kept

    def _overlay_strip(self, runs: list[tuple[str, Style | None]], index: int, width: int) -> Strip:
        """An overlay line; where it has no style of its own (the slide's lead-in), the row beneath shows."""
        base = self.base_style
        under = self._row_strip(index, width) if runs and runs[0][1] is None else None
        segments: list[Segment] = []
        plain = glyphs.GLYPHS.plain
        for text, style in runs:
            if style is None and under is not None:
                segments.extend(under.crop(0, cell_len(text)))
            else:
                segments.append(Segment(text.translate(plain) if plain else text, base + style if style else base))
        return Strip(segments).adjust_cell_length(width, base)

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
        index = event.y if event.y < self.PINNED_ROWS else self.scroll_offset.y + event.y
        if 0 <= index < self.row_count:
            self.cursor = index
            self.post_message(self.Chosen(self, index))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
