"""The two lines above the leaderboard: race, lap, laps to go, flag, stage, counts, playback.

Drawn with the line API from plain runs: it changes every lap, and building Rich text for two
lines cost more than drawing the leaderboard's thirty.
"""

from __future__ import annotations

from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from replay.core.state import RaceState

from .rowlist import Runs, strip_of

FLAG_STYLES = {flag: Style.parse(style) for flag, style in {
    "green": "bold black on #2e8b57", "yellow": "bold black on #e0c000", "red": "bold white on #d03030",
    "white": "bold black on #e0e0e0", "checkered": "bold black on #e0e0e0",
}.items()}
BOLD, DIM, ITALIC = Style(bold=True), Style(dim=True), Style(italic=True)


def title_runs(state: RaceState) -> Runs:
    info = state.info
    return [(f"{info.series} · {info.name}", BOLD), (f" · {info.track}", None)]


def status_runs(state: RaceState, playback: str) -> Runs:
    flag = "GRID" if state.lap == 0 else ("CHECKERED ▚▞" if state.flag == "checkered" else state.flag.upper())
    runs: Runs = [
        (f" {flag} ", FLAG_STYLES[state.flag]),
        (f"  {state.lap_label}", BOLD),
        (f"  {state.laps_to_go} to go" if state.lap else "", None),
        (f"  · Stage {state.stage_label}", None),
        (f"  · Cautions {state.count_label('cautions')} · Lead changes {state.count_label('lead_changes')}", None),
        (f"  · {playback}", DIM),
    ]
    if state.flag_reason and state.flag in ("yellow", "red"):
        runs.append((f"  · {state.flag_reason}" + (" (est.)" if state.flag_estimated else ""), ITALIC))
    return runs


class RaceHeader(Widget):
    DEFAULT_CSS = """
    RaceHeader { height: 2; padding: 0 1; background: $panel; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state: RaceState | None = None
        self.playback = ""

    def show(self, state: RaceState, playback: str) -> None:
        self.state, self.playback = state, playback
        self.refresh()

    def set_playback(self, playback: str) -> None:
        """Playing or paused, and the speed: the only part that changes without the lap."""
        self.playback = playback
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.content_region.width
        if self.state is None or y > 1:
            return Strip.blank(width, self.rich_style)
        runs = title_runs(self.state) if y == 0 else status_runs(self.state, self.playback)
        return strip_of(runs, width, self.rich_style)
