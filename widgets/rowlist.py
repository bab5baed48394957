"""A scrollable list of one-line rows drawn with Textual's line API: only visible rows are rendered.

Subclasses say how many rows there are and how to draw one as ``(text, style)`` runs; rows are
turned straight into segments (no Rich markup or layout), and only painted rows cost anything.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.widget import Widget

from . import glyphs
from .runs import Drawing, Runs, refresh_lines, segments_of, strip_of
from .scrollbar import LineScrollBar, thumb

if TYPE_CHECKING:
    from typing_extensions import Self

REVERSE = Style(reverse=True)
MAX_KEPT_STRIPS = 4096
NOTHING: tuple[None, None] = (None, None)  # a line never painted
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
        self._drawings: dict[tuple[Hashable, int], Drawing] = {}  # each kept row's runs, by ``row_key`` and width
        self._strips: dict[Hashable, Strip] = {}  # lines drawn, by what they draw, as ``_finish`` makes them
        self._finish: tuple = ()  # width, base style, filters and background of the strips kept
        # what each line of the widget showed when last painted, and its strip (None: Textual's way)
        self._painted: dict[int, tuple[Hashable, Strip | None]] = {}
        # after ``repaint`` and until the rows may have changed: the lines it found changed and how
        # to draw them (every other line is as painted), so a paint need not work out each line again
        self._pending: dict[int, tuple[Hashable, Callable[[], list[Segment]]]] | None = None

    # -- for subclasses ------------------------------------------------------------------

    def render_row(self, index: int, width: int) -> list[tuple[str, Style | None]]:
        """The runs of text that make up row ``index``, left to right."""
        raise NotImplementedError

    def row_key(self, index: int) -> Hashable | None:
        """Which row line ``index`` draws, for keeping its runs until ``forget_rows``; None (the
        default): ask ``render_row`` on every paint (for rows that keep their own runs)."""
        return None

    def forget_rows(self) -> None:
        """Drop the kept runs: call whenever what ``render_row`` draws may have changed. Strips are
        kept by what they draw, so a row drawn as before costs nothing (see ``repaint``)."""
        self._drawings.clear()
        self._pending = None

    def set_row_count(self, count: int, repaint: bool = True) -> None:
        """Call after the data changed: resizes the scroll area and repaints (unless the caller will)."""
        self.row_count = count
        self.forget_rows()
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
        if repaint:
            self.repaint()

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
            before = thumb(bar)
            bar.set_reactive(ScrollBar.window_virtual_size, size.height)
            bar.set_reactive(ScrollBar.window_size, self.container_size.height - self.scrollbar_size_horizontal)
            if thumb(bar) != before:
                bar.refresh()
        self.scroll_y = self.validate_scroll_y(self.scroll_y)

    def set_overlay(self, lines: Callable[[int], list[list[tuple[str, Style | None]]]] | None) -> None:
        """Draw ``lines(width)`` over the list's rows from ``OVERLAY_TOP`` down, or stop drawing them.
        A repaint only: no layout, unlike showing or hiding a widget."""
        self._overlay = lines
        self.repaint()

    def scroll_row_into_view(self, index: int) -> None:
        """Scroll so that row ``index`` shows below the pinned rows."""
        self.scroll_to_region(Region(0, index, 1, 1), animate=False, immediate=True,
                              spacing=Spacing(self.PINNED_ROWS, 0, 0, 0) if index >= self.PINNED_ROWS else None)

    # -- line API ------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._base_style = None
        self._strips.clear()
        self.forget_rows()
        self._painted.clear()

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False) -> Self:
        """Textual's refresh; the lines ``repaint`` worked out may no longer be what the rows draw."""
        self._pending = None
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    @property
    def base_style(self) -> Style:
        """``rich_style`` walks every ancestor; it only changes with the styles, so keep it."""
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    def repaint(self) -> None:
        """Repaint the lines whose drawing changed since they were painted, not the whole list.

        Textual repaints a refreshed region line by line through its whole pipeline (styles,
        filters, the compositor's cutting, the terminal output), and a lap step changes some lines
        of most lists, none of others: the unchanged ones cost nothing this way. A new scroll
        position or width repaints everything (Textual does so itself on a scroll)."""
        height = self.scrollable_content_region.height
        geometry = self._geometry()
        if geometry[:2] != self._paint[:2] or not self._painted:
            self._painted.clear()
            self.refresh()
            return
        self._paint = geometry  # the cursor row is compared line by line
        self._overlay_lines = self._overlay(geometry[1]) if self._overlay else []
        pending = {}
        for y in range(height):
            drawing = self._line_drawing(y)
            if self._painted.get(y, NOTHING)[0] != drawing[0]:
                pending[y] = drawing
        refresh_lines(self, pending, height)
        self._pending = pending

    def _geometry(self) -> tuple[int, int, int]:
        """Scroll top, width and cursor row (-1: none shown): the same for every line of one paint."""
        return (self.scroll_offset.y, self.scrollable_content_region.width, self.cursor if self.has_focus else -1)

    def render_lines(self, crop: Region) -> list[Strip]:
        """Each line's kept strip, made as wide as the list (its scrollbar is drawn over the
        end) and filtered as Textual would. Textual's own way makes every line it repaints
        anew (padded, styled, filtered: three new strips, each cut up anew by the compositor);
        a kept strip keeps all that work. Lists with a box of their own (padding, a border, a
        tint) go Textual's way."""
        geometry = self._geometry()
        if geometry[:2] != self._paint[:2]:
            self._painted.clear()
        pending = self._pending if geometry == self._paint else None
        self._paint = geometry
        if pending is None:  # else as ``repaint`` drew them
            self._overlay_lines = self._overlay(geometry[1]) if self._overlay else []
        styles = self.styles
        if styles.gutter or styles.tint.a or styles.opacity != 1.0 or styles.text_opacity != 1.0 or styles.outline.spacing:
            return super().render_lines(crop)
        finish = (self.size.width, self.base_style, tuple(self.get_line_filters()), self.background_colors[1])
        if finish != self._finish:  # strips made for another width, style or filters: none is kept
            self._finish, self._strips = finish, {}
            self._painted.clear()
        if pending is None:
            strips = [self._final_strip(y) for y in crop.line_range]
        else:  # as ``repaint`` found the lines: only those it found changed are worked out
            painted = self._painted
            strips = [self._final_strip(y, pending.pop(y)) if y in pending
                      else (line[1] if (line := painted.get(y)) is not None and line[1] is not None
                            else self._final_strip(y)) for y in crop.line_range]
        if len(self._strips) > 2 * len(self._painted) + 16:
            # Keep the strips on screen only: older ones are rarely drawn again (a step back makes
            # them anew), and every strip kept is one more object for each garbage collection to walk.
            self._strips = {key: strip for key, strip in self._painted.values() if strip is not None}
        x1, x2 = crop.column_span
        return strips if (x1, x2) == (0, finish[0]) else [strip.crop(x1, x2) for strip in strips]

    def _final_strip(self, y: int, drawing: tuple[Hashable, Callable[[], list[Segment]]] | None = None) -> Strip:
        """Line ``y`` as Textual draws it: as wide as the list (the scrollbar is drawn over the end)
        and through the app's filters, made in one strip, kept by what it draws."""
        key, make = drawing or self._line_drawing(y)
        painted = self._painted.get(y)
        if painted is not None and painted[1] is not None and painted[0] == key:
            return painted[1]  # as before: the same row's runs compare at once, without hashing them
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > MAX_KEPT_STRIPS:  # many rows never drawn again; see render_lines
                self._strips.clear()
            width, base, filters, background = self._finish
            segments = make()
            padding = width - self._paint[1]
            if padding > 0:
                segments.append(Segment(" " * padding, base))
            for line_filter in filters:
                segments = line_filter.apply(segments, background)
            strip = self._strips[key] = Strip(segments, width)
        self._painted[y] = key, strip
        return strip

    def render_line(self, y: int) -> Strip:
        """Line ``y``'s content, unfiltered (Textual's own way, for lists with a box of their own)."""
        key, make = self._line_drawing(y)
        self._painted[y] = key, None
        return Strip(make(), self._paint[1])

    def _line_drawing(self, y: int) -> tuple[Hashable, Callable[[], list[Segment]]]:
        """What line ``y`` draws (a key telling one drawing from another) and how to draw it."""
        top, width, cursor_row = self._paint
        index = y if y < self.PINNED_ROWS else top + y
        if self.OVERLAY_TOP <= y < self.OVERLAY_TOP + len(self._overlay_lines):
            runs = self._overlay_lines[y - self.OVERLAY_TOP]
            under = self._drawing(index, width) if runs and runs[0][1] is None and index < self.row_count else None
            key = ("overlay", tuple(runs), under, width)
            return key, lambda: self._overlay_segments(runs, under, width)
        if index >= self.row_count:
            return ("blank", width), lambda: [Segment(" " * width, self.base_style)]
        drawing, cursor = self._drawing(index, width), index == cursor_row
        return (drawing, width, cursor), lambda: segments_of(list(drawing), width, self.base_style,
                                                             REVERSE if cursor else None)

    def _drawing(self, index: int, width: int) -> Drawing:
        """Row ``index``'s runs as a tuple (kept by ``row_key`` until ``forget_rows``)."""
        key = self.row_key(index)
        if key is None:
            return tuple(self.render_row(index, width))
        drawing = self._drawings.get((key, width))
        if drawing is None:
            drawing = self._drawings[key, width] = tuple(self.render_row(index, width))
        return drawing

    def _overlay_segments(self, runs: Runs, under: Drawing | None, width: int) -> list[Segment]:
        """An overlay line; where it has no style of its own (the slide's lead-in), the row beneath shows."""
        base = self.base_style
        beneath = strip_of(list(under), width, base) if under is not None else None
        segments: list[Segment] = []
        plain = glyphs.GLYPHS.plain
        for text, style in runs:
            if style is None and beneath is not None:
                segments.extend(beneath.crop(0, cell_len(text)))
            else:
                segments.append(Segment(text.translate(plain) if plain else text, base + style if style else base))
        return list(Strip(segments).adjust_cell_length(width, base))

    # -- cursor --------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self.scroll_row_into_view(new)
        self.repaint()

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
        self.repaint()

    def on_blur(self) -> None:
        self.repaint()
