"""The lap chart screen (``c`` in a race): positions by lap of the followed drivers, or of the top five
at the current lap; ``t`` shows their lap times instead. ← → step laps here as in the race (the chart
shows laps 0 to the current one), ``f`` follows a driver, Escape goes back to the race at the lap
the chart shows, with the drivers it follows."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from widgets import KeyBar
from widgets.lap_chart import LAP_TIMES, POSITIONS, LapChartView

from ...core.chart import lap_chart
from ...core.engine import Timeline
from .dialogs import DriverChooser


class LapChartScreen(Screen):
    """The chart of ``timeline`` at ``lap`` for the ``followed`` car keys (none: the top five at each lap)."""

    BINDINGS = [
        Binding("left", "step(-1)", "Lap -1", key_display="←", tooltip="One lap back"),
        Binding("right", "step(1)", "Lap +1", key_display="→", tooltip="One lap forward"),
        Binding("shift+left,pageup", "step(-10)", "-10", show=False, key_display="⇧← PgUp", tooltip="Ten laps back"),
        Binding("shift+right,pagedown", "step(10)", "+10", show=False, key_display="⇧→ PgDn",
                tooltip="Ten laps forward"),
        Binding("home", "jump(0)", "Grid", show=False, tooltip="The grid (lap 0)"),
        Binding("end", "jump_to_finish", "Finish", show=False, tooltip="The finish"),
        Binding("t", "toggle_times", "Lap times", tooltip="Lap times instead of positions (races with lap times)"),
        Binding("f", "follow", "Follow", tooltip="Follow a driver (again to unfollow); none: the top five"),
        Binding("escape,c", "close", "Back", tooltip="Back to the race, at this lap"),
        Binding("q", "app.quit", "Quit", tooltip="Quit"),
    ]
    DEFAULT_CSS = """
    LapChartScreen { layout: vertical; }
    """

    lap: reactive[int] = reactive(0, init=False, repaint=False)
    mode: reactive[str] = reactive(POSITIONS, init=False, repaint=False)
    followed: reactive[frozenset[str]] = reactive(frozenset(), init=False, repaint=False)

    def __init__(self, timeline: Timeline, lap: int, followed: frozenset[str]) -> None:
        super().__init__()
        self.timeline = timeline
        self.set_reactive(LapChartScreen.lap, lap)
        self.set_reactive(LapChartScreen.followed, frozenset(followed))
        self._enabled: tuple = ()

    def compose(self) -> ComposeResult:
        yield LapChartView(id="chart")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.timeline.race.info.name
        self._show()

    def _show(self) -> None:
        """Draw the chart at the current lap; re-check the keys (the footer redraws only on a change)."""
        chart = lap_chart(self.timeline, self.lap, self.followed)
        state = self.timeline.state_at(self.lap)
        who = "followed drivers" if chart.chosen else "top five at this lap"
        title = f"Lap chart · {self.mode.capitalize()} · {state.lap_label} · {who} · {state.info.name}"
        self.query_one(LapChartView).show(chart, self.mode, title)
        enabled = tuple(self.check_action(name, arguments) for name, arguments in
                        (("step", (-1,)), ("step", (1,)), ("toggle_times", ())))
        if enabled != self._enabled:
            self._enabled = enabled
            self.refresh_bindings()

    def watch_lap(self) -> None:
        self._show()

    def watch_mode(self) -> None:
        self._show()

    def watch_followed(self) -> None:
        self._show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out keys that would do nothing right now."""
        if action == "step":
            return (self.lap > 0 if parameters[0] < 0 else self.lap < self.timeline.final_lap) or None  # type: ignore[operator]
        if action == "toggle_times":
            return self.timeline.has_lap_times or None
        return True

    def go_to(self, lap: int) -> None:
        self.lap = max(0, min(self.timeline.final_lap, lap))

    def action_step(self, laps: int) -> None:
        self.go_to(self.lap + laps)

    def action_jump(self, lap: int) -> None:
        self.go_to(lap)

    def action_jump_to_finish(self) -> None:
        self.go_to(self.timeline.final_lap)

    def action_toggle_times(self) -> None:
        if self.timeline.has_lap_times:
            self.mode = LAP_TIMES if self.mode == POSITIONS else POSITIONS

    def action_follow(self) -> None:
        self.app.push_screen(DriverChooser(self.timeline.entries_at(self.lap), self.followed, "Follow drivers",
                                           blink=getattr(self.app, "transient", True)), self._toggle)

    def _toggle(self, car: str | None) -> None:
        if car is not None:
            self.followed = self.followed ^ {car}

    def action_close(self) -> None:
        """Back to the screen below, moved to this lap and these followed drivers (the race's screen)."""
        self.app.pop_screen()
        below = self.app.screen
        if getattr(below, "timeline", None) is self.timeline:
            if getattr(below, "followed", self.followed) != self.followed:
                below.followed = self.followed  # type: ignore[attr-defined]
            if getattr(below, "lap", self.lap) != self.lap and hasattr(below, "go_to"):
                below.go_to(self.lap)
