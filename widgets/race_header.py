"""The line above the leaderboard: race, lap, laps to go, flag, stage."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from replay.state import RaceState

FLAG_STYLES = {
    "green": "bold black on green", "yellow": "bold black on yellow", "red": "bold white on red",
    "white": "bold black on white", "checkered": "bold white on black",
}


class RaceHeader(Widget):
    """Race name, lap counter and a coloured flag."""

    DEFAULT_CSS = """
    RaceHeader { height: 2; padding: 0 1; background: $panel; }
    """

    state: reactive[RaceState | None] = reactive(None)

    def render(self) -> Text:
        state = self.state
        if state is None:
            return Text("")
        info = state.info
        title = Text(f"{info.series} · {info.name} · {info.track}", style="bold")
        flag = "GRID" if state.lap == 0 else state.flag.upper()
        line = Text.assemble(
            (f" {flag} ", FLAG_STYLES[state.flag]),
            f"  Lap {state.lap} / {info.final_lap}",
            f"  ·  {state.laps_to_go} to go" if state.lap else "",
            f"  ·  Stage {state.stage}",
            f"  ·  Cautions {state.cautions}  ·  Lead changes {state.lead_changes}",
        )
        if state.flag_reason:
            line.append(f"  ·  {state.flag_reason}", style="italic")
        for part in (title, line):
            part.no_wrap, part.overflow = True, "ellipsis"
        return Text("\n").join([title, line])
