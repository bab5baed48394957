"""The replay screen: a race at one lap (``ReplayView``, replay_view.py) and its keys
(replay_keys.py): what each does, and which would do nothing right now."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType

from widgets import EventDetail, EventLog, RowList, Scrubber

from ...core.notes import Note
from ...core.pits import PitCycle
from .dialogs import DriverChooser, EventScreen, GoToLap, HelpScreen, SourcesScreen
from .navigation import event_move, int_parameter, stage_move
from .pace import next_pace_speed
from .replay_keys import BINDINGS, FOOTER_ACTIONS, KEY_BAR_MORE, KEY_BAR_PAIRS
from .replay_view import GC_YOUNG_THRESHOLD, SPEED_LABELS, SPEEDS, ReplayView

if TYPE_CHECKING:
    from .chart import ChartClosed

__all__ = ["GC_YOUNG_THRESHOLD", "SPEED_LABELS", "SPEEDS", "ReplayScreen"]  # as they were imported from here


class ReplayScreen(ReplayView):
    """Step, jump or play through a race (the keys: replay_keys.py; the lap navigation shared
    with the lap chart: navigation.py)."""

    CSS_PATH = "replay.tcss"

    KEYS: ClassVar[list[Binding]] = BINDINGS  # what the help lists
    BINDINGS: ClassVar[list[BindingType]] = list(BINDINGS)
    FOOTER_ACTIONS = FOOTER_ACTIONS
    KEY_BAR_PAIRS = KEY_BAR_PAIRS
    KEY_BAR_MORE = KEY_BAR_MORE

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out keys that would do nothing right now."""
        final = self.timeline.final_lap
        if action == "play":
            return False if self.playing else (self.lap < final or None)
        if action == "pause":
            return self.playing
        if action == "speed":
            if self.race_pace:
                return next_pace_speed(self.pacer.speed, int_parameter(parameters)) is not None or None
            return 0 <= self.speed + int_parameter(parameters) < len(SPEEDS) or None
        if action == "results":
            # shown in the key bar only where it works: at the finish (a race in progress has none)
            return (self.lap == final and not self.timeline.in_progress) or False
        if action in ("race_pace", "sync_here"):  # the key bar names the other one at race pace; none at the finish
            return not self.race_pace and self.lap < final
        if action in ("by_laps", "sync", "nudge"):
            return self.race_pace
        if action == "event":
            move = self.timeline.next_event_lap if int_parameter(parameters) > 0 else self.timeline.previous_event_lap
            return move(self.lap) is not None or None
        return super().check_action(action, parameters)  # the lap navigation's

    def action_stage(self, direction: int) -> None:
        self._move(stage_move(self.timeline, self.lap, direction))

    def action_event(self, direction: int) -> None:
        self._move(event_move(self.timeline, self.lap, direction))

    def action_play(self) -> None:
        self.banner.dismiss()
        self.playing = self.lap < self.timeline.final_lap

    def action_pause(self) -> None:
        self.playing = False

    def action_speed(self, delta: int) -> None:
        if self.race_pace:
            self.pacer.change_speed(delta, self.playing)
            self._update_bindings()
            self._show_playback()
            return
        self.speed = max(0, min(len(SPEEDS) - 1, self.speed + delta))

    # race pace (pace.py)

    def action_race_pace(self) -> None:
        self.play_at_race_pace()

    def action_by_laps(self) -> None:
        self.race_pace = False

    def action_sync_here(self) -> None:
        self.action_sync()

    def action_sync(self) -> None:
        """This lap is on the broadcast now: the moment is its end, the offset 0; playback goes on at race pace."""
        if not self.pacer.pace.available:
            self.notify("This race has no lap times: nothing to keep in step.", title="Sync")
            return
        self.race_pace = True
        self.pacer.sync()
        self.playing = self.lap < self.timeline.final_lap
        self._show_playback()

    def action_nudge(self, seconds: int) -> None:
        """Move the moment by ``seconds`` (the broadcast is ahead: +; behind: -)."""
        if not self.race_pace:
            self.notify("Nudges move race-pace playback: t or m (sync) first.", title="Nudge")
            return
        self.pacer.nudge(seconds)
        self._show_playback()

    # the tower (tower.py) and the incident log (incident_log.py)

    def action_gap_to(self) -> None:
        """The Gap column from the leader, or from the first driver followed (and back)."""
        if not self.timeline.has_lap_times:
            self.notify("This race has no lap times: the board has no Gap column.", title="Gap to")
            return
        if not self.gap_to_followed and not self.tower.follow_order:
            self.notify("Follow a driver first (f): the Gap column then measures from them.", title="Gap to")
            return
        self.gap_to_followed = not self.gap_to_followed

    def action_filter_log(self) -> None:
        self.app.push_screen(self.incidents.driver_chooser(self.lap, self.transient), self._set_log_filter)

    def _set_log_filter(self, car: str | None) -> None:
        self.incidents.set_filters(self.timeline.state_at(self.lap), car or None, self.incidents.kinds)

    def action_log_kinds(self) -> None:
        """Show the next kinds of event in the log (after the last: all of them again)."""
        self.incidents.set_filters(self.timeline.state_at(self.lap), self.incidents.car, self.incidents.next_kinds())

    def action_log_cursor(self, delta: int) -> None:
        self.incidents.move_cursor(delta)

    def action_log_choose(self) -> None:
        self.event_log.action_choose()

    def action_pit_stops(self, cycle: PitCycle | None = None) -> None:
        """The table of the pit stops so far, or of one cycle's."""
        self.app.push_screen(self.incidents.pit_stops(self.timeline.state_at(self.lap), cycle))

    # notes and prep sheets (notes.py)

    def action_add_note(self) -> None:
        self.notebook.add()

    def action_prep_sheet(self) -> None:
        self.notebook.write_prep_sheet()

    def action_go_to_lap(self) -> None:
        self.banner.dismiss()
        info = self.timeline.race.info
        known = self.timeline.state_at(self.lap).span
        self.app.push_screen(GoToLap(info.laps, info.final_lap, known, blink=self.transient,
                                     in_progress=info.in_progress), self.go_to)

    def action_follow(self) -> None:
        entries = self.timeline.entries_at(self.lap)  # only the cars known by this lap
        self.app.push_screen(DriverChooser(entries, self.followed, "Follow drivers", blink=self.transient),
                             self.toggle_follow)

    def toggle_follow(self, car: str | None) -> None:
        if car is not None:
            self.followed = self.followed ^ {car}

    def action_sources(self) -> None:
        self.app.push_screen(SourcesScreen(self.timeline.race, self.lap == self.timeline.final_lap))

    def action_event_in_full(self) -> None:
        event = self.query_one(EventLog).highlighted
        if isinstance(event, Note):
            self.notebook.edit(event)
        elif isinstance(event, PitCycle):
            self.action_pit_stops(event)
        elif event is not None:
            self.app.push_screen(EventScreen(event, self.timeline.race.entries))

    def action_results(self) -> None:
        from .results import ResultsScreen

        self.app.push_screen(ResultsScreen(self.timeline.state_at(self.lap)))

    def action_lap_chart(self) -> None:
        from .chart import LapChartScreen

        self.app.push_screen(LapChartScreen(self.timeline, self.lap, self.followed), self._back_from_chart)

    def _back_from_chart(self, closed: ChartClosed | None) -> None:
        """The chart closed: follow whom it followed, go to the lap it showed."""
        if closed is None:
            return
        if closed.followed != self.followed:
            self.followed = closed.followed
        if closed.lap != self.lap:
            self.go_to(closed.lap)

    def action_statistics(self) -> None:
        from .statistics import StatisticsScreen

        self.app.push_screen(StatisticsScreen(self.timeline, self.lap))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.KEYS))

    def on_key(self) -> None:
        """Any key sends the banner away. The key's own action (which may announce the next
        banner) runs after this, at the app's bindings; a lap it draws takes the banner away in
        the same frame, so the dismissal waits for it (drawn alone, it would cost a frame)."""
        if self.banner.current is not None:
            self.call_later(self._expire_banner(self.banner.current))

    def on_screen_suspend(self) -> None:
        """A dialog or the palette opened over the race: playback waits (the race went on
        behind the Go-to-lap box while one typed)."""
        self.playing = False

    # -- messages from widgets -----------------------------------------------------------

    def on_row_list_chosen(self, message: RowList.Chosen) -> None:
        if isinstance(message.control, EventLog):
            event = message.control.event_at(message.index)
            if isinstance(event, PitCycle):
                self.action_pit_stops(event)
                return
            self.go_to(self.timeline.final_lap if event.lap is None else event.lap)

    def on_event_log_highlighted(self, message: EventLog.Highlighted) -> None:
        self.query_one(EventDetail).show(message.event)

    def on_scrubber_seek(self, message: Scrubber.Seek) -> None:
        self.go_to(message.lap)
