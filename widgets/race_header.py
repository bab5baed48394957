"""The two lines above the leaderboard: race, lap, laps to go, flag, stage, counts, playback."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from replay.state import RaceState

FLAG_STYLES = {
    "green": "bold black on #2e8b57", "yellow": "bold black on #e0c000", "red": "bold white on #d03030",
    "white": "bold black on #e0e0e0", "checkered": "bold black on #e0e0e0",
}


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

    def render(self) -> Text:
        state = self.state
        if state is None:
            return Text("")
        info = state.info
        title = Text.assemble((f"{info.series} · {info.name}", "bold"), f" · {info.track}")
        flag = "GRID" if state.lap == 0 else ("CHECKERED ▚▞" if state.flag == "checkered" else state.flag.upper())
        line = Text.assemble(
            (f" {flag} ", FLAG_STYLES[state.flag]),
            (f"  {state.lap_label}", "bold"),
            f"  {state.laps_to_go} to go" if state.lap else "",
            f"  · Stage {state.stage_label}",
            f"  · Cautions {state.count_label('cautions')} · Lead changes {state.count_label('lead_changes')}",
            (f"  · {self.playback}", "dim"),
        )
        if state.flag_reason and state.flag in ("yellow", "red"):
            line.append(f"  · {state.flag_reason}" + (" (est.)" if state.flag_estimated else ""), style="italic")
        for part in (title, line):
            part.no_wrap, part.overflow = True, "ellipsis"
        return Text("\n").join([title, line])
