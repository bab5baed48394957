"""Quotes revealed by the current lap, newest first; those revealed at this very lap are highlighted.

It draws what the state holds: which quotes are revealed, and which of them at this lap, the engine
says (core/engine.py). Drawn line by line like the other lists, so a new quote never re-lays-out
the screen.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

from rich.style import Style
from rich.text import Text

from replay.core.labels import no_quotes_label, quote_when_label
from replay.core.model import Quote
from replay.core.state import RaceState

from . import glyphs
from .rowlist import RowList
from .runs import WRAP_CONSOLE

SPEAKER, NEW_SPEAKER, WHEN = Style(bold=True), Style(bold=True, reverse=True), Style(dim=True)
NEW_TEXT, DIM = Style(italic=True), Style(dim=True)


@lru_cache(maxsize=4096)
def wrapped(text: str, width: int) -> tuple[str, ...]:
    return tuple(line.plain for line in Text(text).wrap(WRAP_CONSOLE, max(10, width)))


class QuotesPanel(RowList):
    DEFAULT_CSS = """
    QuotesPanel { height: 1fr; overflow-y: scroll; }  /* as the event log: no layout when quotes come */
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.can_focus = False
        self._quotes: tuple[tuple[Quote, bool], ...] | None = None  # None: nothing shown yet
        self._starts: list[int] = []  # the row each quote starts at
        self._width = 0
        self._heights: dict[int, int] = {}  # rows per quote (by id: quotes live as long as the race), at _width
        self._empty = ""  # what the list says while it has no quote

    def show(self, state: RaceState) -> None:
        quotes = tuple((quote, number < state.new_quotes) for number, quote in enumerate(reversed(state.quotes)))
        empty = no_quotes_label(state)
        if not quotes and empty != self._empty:
            self._empty = empty
            self.refresh()
        if quotes != self._quotes:
            self._quotes = quotes
            width = self.scrollable_content_region.width
            if width > 2:
                self._layout(width)
            else:  # not laid out yet (the screen's first lap): wrap once, at the first paint's width
                self._width, self._starts = 0, []
                self.set_row_count(max(1, len(quotes)))

    def _layout(self, width: int) -> None:
        """Where each quote starts: a speaker line, its wrapped text, a blank line. The lines
        themselves are made as they are drawn (at the finish there are hundreds, a screenful shows)."""
        if width != self._width:
            self._width, self._heights = width, {}
        heights = self._heights
        starts, row = [], 0
        for quote, _ in self._quotes or ():
            starts.append(row)
            height = heights.get(id(quote))
            if height is None:
                height = heights[id(quote)] = len(wrapped(_quoted(quote), width - 2)) + 2
            row += height
        self._starts = starts
        self.set_row_count(row or 1)

    def render_row(self, index: int, width: int) -> list[tuple[str, Style | None]]:
        if width != self._width:
            self._layout(width)
        if not self._quotes:
            return [(f" {self._empty}", DIM)]
        number = bisect_right(self._starts, index) - 1
        quote, new = self._quotes[number]
        line = index - self._starts[number]
        if line == 0:
            when = quote_when_label(quote)
            return [(f" {quote.speaker}", NEW_SPEAKER if new else SPEAKER), (f" · {when}", WHEN)]
        text = wrapped(_quoted(quote), width - 2)
        return [(f" {text[line - 1]}", NEW_TEXT if new else None)] if line <= len(text) else [("", None)]


def _quoted(quote: Quote) -> str:
    return f"{glyphs.GLYPHS.open_quote}{quote.text}{glyphs.GLYPHS.close_quote}"
