"""The Textual viewer: one reactive lap, widgets that render the engine's state for it."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Footer

from widgets import Leaderboard, RaceHeader

from .engine import Timeline


class ReplayApp(App):
    """Step through a race lap by lap."""

    CSS_PATH = "app.tcss"
    TITLE = "race-replay"
    BINDINGS = [
        Binding("left", "step(-1)", "Lap -1"),
        Binding("right", "step(1)", "Lap +1"),
        Binding("shift+left,pageup", "step(-10)", "-10", show=False),
        Binding("shift+right,pagedown", "step(10)", "+10", show=False),
        Binding("home", "jump_to_start", "Grid"),
        Binding("end", "jump_to_finish", "Finish"),
        Binding("q", "quit", "Quit"),
    ]

    lap: reactive[int] = reactive(0, init=False)

    def __init__(self, timeline: Timeline, lap: int = 0) -> None:
        super().__init__()
        self.timeline = timeline
        self._start_lap = lap
        self.theme = "textual-dark"

    def compose(self) -> ComposeResult:
        yield RaceHeader()
        board = VerticalScroll(Leaderboard())
        board.can_focus = False  # its scroll keys would shadow the lap keys
        yield board
        yield Footer()

    def on_mount(self) -> None:
        self.lap = self._start_lap
        self.watch_lap(self.lap)

    def watch_lap(self, lap: int) -> None:
        state = self.timeline.state_at(lap)
        self.query_one(RaceHeader).state = state
        self.query_one(Leaderboard).state = state
        self.sub_title = f"Lap {lap}"

    def action_step(self, laps: int) -> None:
        self.lap = max(0, min(self.timeline.final_lap, self.lap + laps))

    def action_jump_to_start(self) -> None:
        self.lap = 0

    def action_jump_to_finish(self) -> None:
        self.lap = self.timeline.final_lap
