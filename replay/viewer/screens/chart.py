"""The lap chart screen (``c`` in a race): positions by lap of the followed drivers, or of the top five
at the current lap; ``t`` shows their lap times instead. ← → step laps here as in the race (the chart
shows laps 0 to the current one), ``f`` follows a driver, Escape goes back to the race at the lap
the chart shows, with the drivers it follows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import reactive

from widgets import KeyBar
from widgets.lap_chart import LAP_TIMES, POSITIONS, LapChartView

from ...core.chart import lap_chart
from ...core.engine import Timeline
from .dialogs import DriverChooser
from .navigation import NAVIGATION, LapScreen, footer_actions


@dataclass(frozen=True)
class ChartClosed:
    """What the chart gives back as it closes: the lap it showed and the drivers it followed."""

    lap: int
    followed: frozenset[str]


class LapChartScreen(LapScreen[ChartClosed]):
    """The chart of ``timeline`` at ``lap`` for the ``followed`` car keys (none: the top five at each lap);
    closed, it gives its lap and followed drivers back (``ChartClosed``) to the screen that opened it."""

    KEYS: ClassVar[list[Binding]] = [
        *NAVIGATION,
        Binding("t", "toggle_times", "Lap times", tooltip="Lap times instead of positions (races with lap times)"),
        Binding("f", "follow", "Follow", tooltip="Follow a driver (again to unfollow); none: the top five"),
        Binding("escape,c", "close", "Back", tooltip="Back to the race, at this lap"),
        Binding("q", "app.quit", "Quit", tooltip="Quit"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = list(KEYS)
    FOOTER_ACTIONS = footer_actions(KEYS)
    DEFAULT_CSS = """
    LapChartScreen { layout: vertical; }
    """

    mode: reactive[str] = reactive(POSITIONS, init=False, repaint=False)
    followed: reactive[frozenset[str]] = reactive(frozenset(), init=False, repaint=False)

    def __init__(self, timeline: Timeline, lap: int, followed: frozenset[str]) -> None:
        super().__init__(timeline)
        self.set_reactive(LapChartScreen.lap, lap)
        self.set_reactive(LapChartScreen.followed, frozenset(followed))

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
        self._update_bindings()

    def watch_lap(self) -> None:
        self._show()

    def watch_mode(self) -> None:
        self._show()

    def watch_followed(self) -> None:
        self._show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out keys that would do nothing right now."""
        if action == "toggle_times":
            return self.timeline.has_lap_times or None
        return super().check_action(action, parameters)

    def go_to(self, lap: int | None) -> None:
        if lap is not None:
            self.lap = max(0, min(self.timeline.final_lap, lap))

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
        """Back to the screen that opened the chart, with this lap and these followed drivers."""
        self.dismiss(ChartClosed(self.lap, self.followed))
