"""The replay screen: one current lap, playback, and widgets that render the engine's state for it."""

from __future__ import annotations

import gc

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from widgets import Banner, Clock, EventDetail, EventLog, KeyBar, Leaderboard, QuotesPanel, RaceHeader, RowList, Scrubber

from ...core.banners import banner_at
from ...core.engine import Timeline
from ...core.notes import Note
from ...core.pits import PitCycle
from .dialogs import DriverChooser, EventScreen, GoToLap, HelpScreen, SourcesScreen
from .incident_log import IncidentLogKeeping
from .notes import NoteKeeping
from .pace import PaceKeeping, next_pace_speed
from .replay_keys import BINDINGS, FOOTER_ACTIONS, KEY_BAR_MORE, KEY_BAR_PAIRS
from .resume import Resuming
from .tower import TowerKeeping

# Seconds per lap, slowest first, and how each is shown.
SPEEDS = (4.0, 2.0, 1.0, 0.5, 0.25, 0.1)
SPEED_LABELS = ("1 lap / 4 s", "1 lap / 2 s", "1 lap/s", "2 laps/s", "4 laps/s", "10 laps/s")
BANNER_SECONDS = 4.0
PAUSED_BANNER_SECONDS = 2.0  # stepped into while paused: read, then out of the way of P2-P4
BANNER_LAPS = 3  # while playing, a banner stays for this many laps at most
FAST_PLAYBACK = 0.5  # seconds per lap: faster than this, banners are one line, drawn without sliding in
GC_YOUNG_THRESHOLD = 10_000
MOVED_SECONDS = 1.2


class ReplayScreen(IncidentLogKeeping, NoteKeeping, Resuming, TowerKeeping, PaceKeeping, Screen):
    """Step, jump or play through a race. ``transient=False`` keeps banners and highlights until
    the next key instead of timing them out. Every timer (playback, banners, highlights) is set
    through ``clock``: the screen itself, unless a test passes a clock it moves by hand."""

    CSS_PATH = "replay.tcss"

    BINDINGS = BINDINGS
    KEY_BAR_PAIRS = KEY_BAR_PAIRS
    KEY_BAR_MORE = KEY_BAR_MORE

    # The watchers update only the widgets that change; repainting the whole screen on every
    # lap (reactive's default) would cost more than everything else a step does.
    lap: reactive[int] = reactive(0, init=False, repaint=False)
    playing: reactive[bool] = reactive(False, repaint=False)
    speed: reactive[int] = reactive(2, repaint=False)
    followed: reactive[frozenset[str]] = reactive(frozenset(), repaint=False)
    log_filter: reactive[str | None] = reactive(None, repaint=False)
    log_kinds: reactive[int] = reactive(0, init=False, repaint=False)  # an index into core.log.KIND_FILTERS
    race_pace: reactive[bool] = reactive(False, init=False, repaint=False)  # see PaceKeeping
    gap_to_followed: reactive[bool] = reactive(False, init=False, repaint=False)  # see TowerKeeping

    def __init__(self, timeline: Timeline, lap: int | None = 0, transient: bool = True, clock: Clock | None = None,
                 pace: float | None = None) -> None:
        super().__init__()
        self._start_pace = pace  # --real-time [--speed X]: play at race pace from the start
        self.timeline = timeline
        self.transient = transient
        self.clock: Clock = clock or self
        self._start_lap = lap
        self._timer: Timer | None = None  # or the test clock's timer: what ``clock`` returns
        self._clear_moved: Timer | None = None
        self._moved: frozenset[str] = frozenset()
        self._enabled: tuple = ()
        self.open_log()

    def compose(self) -> ComposeResult:
        yield RaceHeader(id="header")
        board = Leaderboard(id="leaderboard")
        board.timed = self.timeline.has_lap_times
        entries = self.timeline.race.entries.values()
        board.teams, board.makes = any(e.team for e in entries), any(e.make for e in entries)
        yield board
        with Vertical(id="side"):
            yield Static("Incidents", classes="title", id="log-title")
            yield EventLog(id="log")
            yield EventDetail(id="event-detail")
            yield Static("Quotes", classes="title")
            yield QuotesPanel(id="quotes")
        yield Scrubber(id="scrubber")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.timeline.race.info.name
        self.banner = Banner(self.query_one(Leaderboard), self.clock)
        self._start_lap = self.recall(self._start_lap, SPEEDS)  # None: where the race was left
        self.watch_followed(self.followed)  # the drivers kept: the tower's reference, the header's battle
        self._timer = self.clock.set_interval(SPEEDS[self.speed], self.playback_tick, pause=True)
        self.query_one(Leaderboard).focus()
        self.open_notes()
        self.set_reactive(ReplayScreen.lap, self._start_lap)  # opening at a lap announces nothing
        self._render_lap(self._start_lap, announce=False)
        if self._start_pace is not None:
            self.pace_speed = self._start_pace
            self.action_race_pace()
            self.playing = self.lap < self.timeline.final_lap
        # The race is immutable and lives as long as this screen: keep Python's full garbage
        # collections from re-scanning it every few laps (each cost ~20 ms on a 500-lap race).
        # Reference counting still frees it when the screen goes.
        gc.freeze()
        # Each frame leaves a few thousand objects in reference cycles (Textual's strips cache
        # themselves), which only the cycle collector frees. At Python's default threshold (700)
        # a lap ran ~6 young collections mid-frame, promoting strips still in use, and every ~16
        # laps a full collection (5-8 ms) made the slowest steps. 10,000 keeps a lap's garbage in
        # one young collection or two; at most ~10,000 objects wait for it.
        gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])

    def on_unmount(self) -> None:
        self.remember(SPEEDS)

    # -- state -> widgets ----------------------------------------------------------------

    def watch_lap(self, old: int, new: int) -> None:
        self._render_lap(new, announce=True, stepped=new == old + 1, glide=abs(new - old) == 1)

    def _render_lap(self, lap: int, announce: bool, stepped: bool = False, glide: bool = False) -> None:
        state = self.timeline.state_at(lap)
        self._moved = frozenset(r.entry.key for r in state.leaderboard if r.change) if stepped else frozenset()
        self.query_one(RaceHeader).show(state, self._playback_label())
        glide = glide and self.may_glide(None if not self.playing else self.lap_seconds(lap, SPEEDS[self.speed]))
        self.query_one(Leaderboard).show(state, self.followed, self._moved, glide=glide)
        if glide:
            self.start_glide()
        self._show_events(state)
        self.query_one(QuotesPanel).show(state)
        self.query_one(Scrubber).show(state)
        self._update_bindings()
        banner = banner_at(state) if announce else None
        if banner is not None:
            fast = self.playing and SPEEDS[self.speed] < FAST_PLAYBACK
            self.banner.announce(banner, animate=self.transient and not fast, compact=fast)
            if self.transient:
                seconds = min(BANNER_SECONDS, BANNER_LAPS * SPEEDS[self.speed]) if self.playing else PAUSED_BANNER_SECONDS
                self.clock.set_timer(seconds, self._expire_banner(banner))
        if self._moved and self.transient:
            if self._clear_moved is not None:
                self._clear_moved.stop()
            self._clear_moved = self.clock.set_timer(MOVED_SECONDS, self._unflash)

    def _update_bindings(self) -> None:
        """Re-check which footer keys do something now; redraw the footer only if that changed
        (refreshing bindings recomposes the footer, which costs more than the lap itself).
        Keys not shown in the footer are still checked when pressed."""
        enabled = tuple(self.check_action(action, parameters) for action, parameters in FOOTER_ACTIONS)
        if enabled != self._enabled:
            self._enabled = enabled
            self.refresh_bindings()

    def _expire_banner(self, banner):
        def expire() -> None:
            if self.banner.current is banner:
                self.banner.dismiss()
        return expire

    def _unflash(self) -> None:
        self._moved = frozenset()
        self.query_one(Leaderboard).set_highlights(self.followed, self._moved)

    def _playback_label(self) -> str:
        return ("▶ " if self.playing else "⏸ ") + (self.pace_label() if self.race_pace else SPEED_LABELS[self.speed])


    def watch_followed(self, followed: frozenset[str]) -> None:
        self.followed_changed(followed)
        self.query_one(RaceHeader).set_followed(followed)
        self.query_one(Leaderboard).set_highlights(followed, self._moved)

    def watch_playing(self, playing: bool) -> None:
        if self._timer is not None:
            self._timer.resume() if playing and not self.race_pace else self._timer.pause()
        if self.race_pace:
            self.start_pace() if playing else self.hold_pace()
        self._update_bindings()
        self.query_one(RaceHeader).set_playback(self._playback_label())

    def watch_speed(self, speed: int) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = self.clock.set_interval(SPEEDS[speed], self.playback_tick, pause=not self.playing)
        self._update_bindings()
        self.query_one(RaceHeader).set_playback(self._playback_label())

    def playback_tick(self) -> None:
        """Advance one lap of playback; stop at the finish. Tests call this instead of waiting."""
        if self.race_pace:
            return
        if self.lap < self.timeline.final_lap:
            self.lap += 1
        if self.lap >= self.timeline.final_lap:
            self.playing = False

    # -- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out keys that would do nothing right now."""
        final = self.timeline.final_lap
        if action == "step":
            return (self.lap > 0 if parameters[0] < 0 else self.lap < final) or None
        if action == "jump":
            return self.lap != parameters[0] or None
        if action == "jump_to_finish":
            return self.lap != final or None
        if action == "play":
            return False if self.playing else (self.lap < final or None)
        if action == "pause":
            return self.playing
        if action == "speed":
            if self.race_pace:
                return next_pace_speed(self.pace_speed, int(parameters[0])) is not None or None
            return 0 <= self.speed + parameters[0] < len(SPEEDS) or None
        if action == "results":
            return self.lap == final or False  # shown in the key bar only where it works
        if action in ("race_pace", "sync_here"):  # the key bar names the other one at race pace; none at the finish
            return not self.race_pace and self.lap < final
        if action in ("by_laps", "sync"):
            return self.race_pace
        if action == "nudge":
            return self.race_pace
        if action == "event":
            move = self.timeline.next_event_lap if parameters[0] > 0 else self.timeline.previous_event_lap
            return move(self.lap) is not None or None
        return True

    def go_to(self, lap: int | None) -> None:
        """Jump to ``lap`` (clamped to the race; None: stay), sending any banner away; at race pace,
        playback goes on from that lap's end."""
        self.banner.dismiss()
        if lap is not None:
            self.lap = max(0, min(self.timeline.final_lap, lap))
            if self.race_pace and self.playing:
                self.start_pace(self.pace.time_of(self.lap))
            else:
                self.lap_changed_by_hand()

    def action_step(self, laps: int) -> None:
        self.go_to(self.lap + laps)

    def action_jump(self, lap: int) -> None:
        self.go_to(lap)

    def action_jump_to_finish(self) -> None:
        self.go_to(self.timeline.final_lap)

    def action_stage(self, direction: int) -> None:
        """The next or previous stage end; where there is none to go to, say why (the key once
        did nothing, silently, while the stage ends were unknown)."""
        move = self.timeline.next_stage_end if direction > 0 else self.timeline.previous_stage_end
        lap = move(self.lap)
        unknown = direction > 0 and (lap is None or lap == self.timeline.final_lap > self.lap)
        if lap is None or (unknown and None in self.timeline.stage_ends):
            self.banner.dismiss()
            self.notify(self._no_stage_end(direction), title="No stage end to go to")
            return
        self._go_short_of_the_finish(lap, "The last stage ends at the finish: End goes there.")

    def _no_stage_end(self, direction: int) -> str:
        info = self.timeline.race.info
        if direction > 0 and "stage_ends" in info.estimated:
            return "This race's stage ends are estimated: each is shown when the race reaches it, not before."
        if direction > 0 and None in self.timeline.stage_ends:
            return "No source gives the laps the stages end on: they are known only at the finish (End goes there)."
        return f"No stage end {'after' if direction > 0 else 'before'} lap {self.lap}."

    def action_event(self, direction: int) -> None:
        if direction < 0:
            self.go_to(self.timeline.previous_event_lap(self.lap))
            return
        # Neutral short of the finish: with no event before it, "next" goes to the lap before the
        # finish as an event there would, and says nothing of what the last laps hold.
        last = self.timeline.final_lap - 1
        lap = self.timeline.next_event_lap(self.lap)
        self._go_short_of_the_finish(lap if lap is None or lap < last or self.lap >= last else last,
                                     "The finish is the next lap: End goes there.")

    def _go_short_of_the_finish(self, lap: int | None, refusal: str) -> None:
        """Go to ``lap``, but not to the finish: arriving there shows the result, which a fan who
        pressed "next" did not ask to see. End does go there."""
        if lap is not None and lap == self.timeline.final_lap and self.lap < lap:
            self.banner.dismiss()
            self.notify(refusal, title="Not yet")
            return
        self.go_to(lap)

    def action_play(self) -> None:
        self.banner.dismiss()
        self.playing = self.lap < self.timeline.final_lap

    def action_pause(self) -> None:
        self.playing = False

    def action_speed(self, delta: int) -> None:
        if self.race_pace:
            self.change_pace_speed(delta)
            return
        self.speed = max(0, min(len(SPEEDS) - 1, self.speed + delta))

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
            self.edit_note(event)
        elif isinstance(event, PitCycle):
            self.action_pit_stops(event)
        elif event is not None:
            self.app.push_screen(EventScreen(event, self.timeline.race.entries))

    def action_results(self) -> None:
        from .results import ResultsScreen

        self.app.push_screen(ResultsScreen(self.timeline.state_at(self.lap)))

    def action_lap_chart(self) -> None:
        from .chart import LapChartScreen

        self.app.push_screen(LapChartScreen(self.timeline, self.lap, self.followed))

    def action_statistics(self) -> None:
        from .statistics import StatisticsScreen

        self.app.push_screen(StatisticsScreen(self.timeline, self.lap))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.BINDINGS))

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
