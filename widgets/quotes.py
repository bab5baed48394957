"""Quotes revealed by the current lap, newest first; one revealed at this very lap is highlighted."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from replay.model import Quote
from replay.state import RaceState

WHEN_LABELS = {"pre-race": "before the race", "post-race": "after the race"}


def is_new(quote: Quote, state: RaceState) -> bool:
    """Revealed at exactly this lap (pre-race quotes at the grid, post-race at the finish)."""
    if quote.when == "pre-race":
        return state.lap == 0
    if quote.when == "post-race":
        return state.finished
    return quote.lap == state.lap


class QuotesPanel(VerticalScroll, can_focus=False):
    DEFAULT_CSS = """
    QuotesPanel { height: 1fr; }
    QuotesPanel > Static { padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple = ()
        self._body = Static()

    def compose(self):
        yield self._body

    def show(self, state: RaceState) -> None:
        key = (state.quotes, tuple(is_new(q, state) for q in state.quotes))
        if key == self._shown:
            return
        self._shown = key
        text = Text()
        for quote in reversed(state.quotes):
            when = WHEN_LABELS.get(quote.when) or f"lap {quote.lap}"
            new = is_new(quote, state)
            text.append(f"{quote.speaker}", style="bold reverse" if new else "bold")
            text.append(f" · {when}\n", style="dim")
            text.append(f"“{quote.text}”\n\n", style="italic" if new else "")
        self._body.update(text if state.quotes else Text("No quotes yet.", style="dim"))
