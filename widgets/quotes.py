"""Quotes revealed by the current lap, newest first; one revealed at this very lap is highlighted.

Drawn line by line like the other lists, so a new quote never re-lays-out the screen.
"""

from __future__ import annotations

from functools import lru_cache

from rich.style import Style
from rich.text import Text

from replay.model import Quote
from replay.state import RaceState

from .rowlist import WRAP_CONSOLE, RowList

WHEN_LABELS = {"pre-race": "before the race", "post-race": "after the race"}
SPEAKER, NEW_SPEAKER, WHEN = Style(bold=True), Style(bold=True, reverse=True), Style(dim=True)
NEW_TEXT, DIM = Style(italic=True), Style(dim=True)


def is_new(quote: Quote, state: RaceState) -> bool:
    """Revealed at exactly this lap (pre-race quotes at the grid, post-race at the finish)."""
    if quote.when == "pre-race":
        return state.lap == 0
    if quote.when == "post-race":
        return state.finished
    return quote.lap == state.lap


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
        self._quotes: tuple[tuple[Quote, bool], ...] = ()
        self._lines: list[tuple[str, Style | None]] = []
        self._width = 0

    def show(self, state: RaceState) -> None:
        quotes = tuple((quote, is_new(quote, state)) for quote in reversed(state.quotes))
        if quotes != self._quotes:
            self._quotes = quotes
            self._layout_lines(self.scrollable_content_region.width)

    def _layout_lines(self, width: int) -> None:
        self._width = width
        lines: list[tuple[str, Style | None]] = []
        for quote, new in self._quotes:
            when = WHEN_LABELS.get(quote.when) or f"lap {quote.lap}"
            lines.append((f" {quote.speaker}\0 · {when}", NEW_SPEAKER if new else SPEAKER))
            lines += [(f" {line}", NEW_TEXT if new else None) for line in wrapped(f"“{quote.text}”", width - 2)]
            lines.append(("", None))
        self._lines = lines or [(" No quotes yet.", DIM)]
        self.set_row_count(len(self._lines))

    def render_row(self, index: int, width: int) -> list[tuple[str, Style | None]]:
        if width != self._width:
            self._layout_lines(width)
        text, style = self._lines[index]
        if "\0" in text:  # a speaker line: name, then when
            speaker, when = text.split("\0")
            return [(speaker, style), (when, WHEN)]
        return [(text, style)]
