"""A list's vertical scrollbar drawn straight into strips (see ``LineScrollBar``)."""

from __future__ import annotations

from collections.abc import Hashable

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.color import Color as TextualColor
from textual.filter import LineFilter
from textual.geometry import Region
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip

# a scrollbar style without a colour is drawn in Textual's own fallbacks (ScrollBarRender.__rich_console__)
SCROLLBAR_BACK, SCROLLBAR_BAR = Color.parse("#555555"), Color.parse("bright_magenta")


def thumb(bar: ScrollBar) -> list[Segment]:
    """A scrollbar's glyphs at its length and position, drawn by Textual's own function (in
    fixed colours: only the shape is compared)."""
    return ScrollBarRender.render_bar(bar.size.height, bar.window_virtual_size, bar.window_size, bar.position).segments


class LineScrollBar(ScrollBar):
    """Textual's vertical scrollbar, its glyphs put straight into strips. Textual sends the
    scrollbar's Rich renderable through its whole text pipeline, which cost as much as drawing
    all of a list's rows; the glyphs, colours and mouse actions are Textual's own."""

    _kept: tuple[Hashable, list[Strip]] = ((), [])  # the last bar drawn and its strips

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
        filters, background = tuple(self.get_line_filters()), self.background_colors[1]
        key = (tuple(glyphs), width, filters, background)
        if key != self._kept[0]:  # the same bar as the last paint: the same strips (Textual keeps its work on them)
            # through the app's filters, as Textual's own drawing would be (NO_COLOR: greys)
            self._kept = key, [Strip(_filtered([glyph], filters, background), width) for glyph in glyphs]
        strips = self._kept[1][crop.y:crop.bottom]
        return strips if crop.column_span == (0, width) else [strip.crop(*crop.column_span) for strip in strips]


def _filtered(segments: list[Segment], filters: tuple[LineFilter, ...], background: TextualColor) -> list[Segment]:
    for line_filter in filters:
        segments = line_filter.apply(segments, background)
    return segments
