"""The replay screen's view of the race: one current lap, playback, and widgets that render the
engine's state for it (``ReplayView``); its keys are ``ReplayScreen``'s (replay.py)."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import TypeVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from widgets import Banner, Clock, EventDetail, EventLog, KeyBar, Leaderboard, QuotesPanel, RaceHeader, Scrubber

from ...core.banners import Banner as Announcement
from ...core.banners import banner_at
from ...core.engine import Timeline
from ...core.notes import Note
from ...user.settings import Settings
from .incident_log import IncidentLog
from .navigation import LapScreen, Move
from .notes import NoteKeeper
from .pace import Pacer
from .resume import Left, Recalled, recall, remember
from .tower import Tower

# Seconds per lap, slowest first, and how each is shown.
SPEEDS = (4.0, 2.0, 1.0, 0.5, 0.25, 0.1)
SPEED_LABELS = ("1 lap / 4 s", "1 lap / 2 s", "1 lap/s", "2 laps/s", "4 laps/s", "10 laps/s")
BANNER_SECONDS = 4.0
PAUSED_BANNER_SECONDS = 2.0  # stepped into while paused: read, then out of the way of P2-P4
BANNER_LAPS = 3  # while playing, a banner stays for this many laps at most
FAST_PLAYBACK = 0.5  # seconds per lap: faster than this, banners are one line, drawn without sliding in
GC_YOUNG_THRESHOLD = 10_000
MOVED_SECONDS = 1.2

T = TypeVar("T")


class ReplayView(LapScreen[None]):
    """A race at one lap, played or still. ``transient=False`` keeps banners and highlights until
    the next key instead of timing them out. Every timer (playback, banners, highlights) is set
    through ``clock``: the screen itself, unless a test passes a clock it moves by hand.

    Its parts are objects it owns and calls, each stating what it needs of the screen (a
    ``Protocol`` the screen meets): ``incidents`` (the log, incident_log.py), ``notebook`` (notes
    and prep sheets, notes.py), ``tower`` (the Gap column and gliding rows, tower.py) and
    ``pacer`` (race-pace playback, pace.py); resume.py gives the settings it opens with."""

    # The watchers update only the widgets that change; repainting the whole screen on every
    # lap (reactive's default) would cost more than everything else a step does.
    playing: reactive[bool] = reactive(False, repaint=False)
    speed: reactive[int] = reactive(2, repaint=False)
    followed: reactive[frozenset[str]] = reactive(frozenset(), repaint=False)
    race_pace: reactive[bool] = reactive(False, init=False, repaint=False)  # see pace.py
    gap_to_followed: reactive[bool] = reactive(False, init=False, repaint=False)  # see tower.py

    def __init__(self, timeline: Timeline, lap: int | None = 0, transient: bool = True, clock: Clock | None = None,
                 pace: float | None = None) -> None:
        super().__init__(timeline)
        self._start_pace = pace  # --real-time [--speed X]: play at race pace from the start
        self.transient = transient
        self.clock: Clock = clock or self
        self._start_lap = lap
        self._recalled: Recalled | None = None  # how the race opened (``_recall``)
        self._timer: Timer | None = None  # or the test clock's timer: what ``clock`` returns
        self._clear_moved: Timer | None = None
        self._moved: frozenset[str] = frozenset()
        self.incidents = IncidentLog(self, timeline)
        self.notebook = NoteKeeper(self)
        self.tower = Tower(self)
        self.pacer = Pacer(self)

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
        self.banner = Banner(self.board, self.clock)
        self._start_lap = self._recall()  # None: where the race was left
        self.watch_followed(self.followed)  # the drivers kept: the tower's reference, the header's battle
        self._timer = self.clock.set_interval(SPEEDS[self.speed], self.playback_tick, pause=True)
        self.board.focus()
        self.open_notes()
        self.set_reactive(ReplayView.lap, self._start_lap)  # opening at a lap announces nothing
        self._render_lap(self._start_lap, announce=False)
        if self._start_pace is not None:
            self.pacer.speed = self._start_pace
            self.play_at_race_pace()
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

    def _recall(self) -> int:
        """Open with the settings kept for this race (resume.py): the lap to open at."""
        settings = getattr(self.app, "settings", None)
        recalled = recall(settings if isinstance(settings, Settings) else None, self.timeline, self._start_lap, SPEEDS)
        if recalled.speed is not None:
            self.set_reactive(ReplayView.speed, recalled.speed)
        if recalled.followed is not None:
            self.tower.follow_order = recalled.followed  # in the order followed (the Gap column's reference first)
            self.set_reactive(ReplayView.followed, frozenset(recalled.followed))
        if recalled.gap_to_followed:
            self.set_reactive(ReplayView.gap_to_followed, True)
        if recalled.resumed:
            self.notify(recalled.said, title="Resumed", markup=False)
        self._recalled = recalled
        return recalled.lap

    def on_unmount(self) -> None:
        recalled = self._recalled
        # left where a shorter copy of the race ends: the lap this race was left at before stays
        stayed = recalled is not None and recalled.left_at is not None and self.lap == recalled.lap
        remember(getattr(self.app, "keep_settings", None), self.timeline,
                 Left(None if stayed else self.lap, self.tower.follow_order, SPEEDS[self.speed], self.gap_to_followed))

    def open_notes(self) -> None:
        """Read the race's notes (a served screen's viewer keeps none: it turns them off here)."""
        self.notebook.open()

    # -- what the parts need of the screen (their hosts' protocols) ---------------------------

    @property
    def board(self) -> Leaderboard:
        return self.query_one(Leaderboard)

    @property
    def event_log(self) -> EventLog:
        return self.query_one(EventLog)

    @property
    def event_detail(self) -> EventDetail:
        return self.query_one(EventDetail)

    @property
    def log_title(self) -> Static:
        return self.query_one("#log-title", Static)

    @property
    def animation_level(self) -> str:
        return self.app.animation_level

    @property
    def now(self) -> float:
        """The time on the screen's clock (seconds): a test's clock tells its own."""
        if self.clock is self:
            return time.monotonic()
        now = getattr(self.clock, "now", None)
        if not isinstance(now, (int, float)):
            raise TypeError(f"{self.clock!r} does not tell the time (now): race pace needs it")
        return float(now)

    def notes_shown(self, lap: int) -> tuple[Note, ...]:
        return self.notebook.shown(lap)

    def notes_changed(self) -> None:
        self.incidents.show(self.timeline.state_at(self.lap))

    def ask(self, dialog: Screen[T], then: Callable[[T | None], None]) -> None:
        self.app.push_screen(dialog, then)

    # -- state -> widgets ----------------------------------------------------------------

    def watch_lap(self, old: int, new: int) -> None:
        self._render_lap(new, announce=True, stepped=new == old + 1, glide=abs(new - old) == 1)

    def _render_lap(self, lap: int, announce: bool, stepped: bool = False, glide: bool = False) -> None:
        state = self.timeline.state_at(lap)
        self._moved = frozenset(r.entry.key for r in state.leaderboard if r.change) if stepped else frozenset()
        self.query_one(RaceHeader).show(state, self._playback_label())
        glide = glide and self.tower.may_glide(self._lap_seconds(lap) if self.playing else None)
        self.board.show(state, self.followed, self._moved, glide=glide)
        if glide:
            self.tower.start_glide()
        self.incidents.show(state)
        self.query_one(QuotesPanel).show(state)
        self.query_one(Scrubber).show(state)
        self._update_bindings()
        banner = banner_at(state) if announce else None
        if banner is not None:
            fast = self.playing and SPEEDS[self.speed] < FAST_PLAYBACK
            slide = self.transient and not fast and self.animation_level == "full"  # as rows glide
            self.banner.announce(banner, animate=slide, compact=fast)
            if self.transient:
                seconds = min(BANNER_SECONDS, BANNER_LAPS * SPEEDS[self.speed]) if self.playing else PAUSED_BANNER_SECONDS
                self.clock.set_timer(seconds, self._expire_banner(banner))
        if self._moved and self.transient:
            if self._clear_moved is not None:
                self._clear_moved.stop()
            self._clear_moved = self.clock.set_timer(MOVED_SECONDS, self._unflash)

    def _lap_seconds(self, lap: int) -> float:
        """How long playback shows ``lap``."""
        return self.pacer.lap_seconds(lap) if self.race_pace else SPEEDS[self.speed]

    def _expire_banner(self, banner: Announcement) -> Callable[[], None]:
        def expire() -> None:
            if self.banner.current is banner:
                self.banner.dismiss()
        return expire

    def _unflash(self) -> None:
        self._moved = frozenset()
        self.board.set_highlights(self.followed, self._moved)

    def _playback_label(self) -> str:
        return ("▶ " if self.playing else "⏸ ") + (self.pacer.label() if self.race_pace else SPEED_LABELS[self.speed])

    def _show_playback(self) -> None:
        self.query_one(RaceHeader).set_playback(self._playback_label())

    def watch_followed(self, followed: frozenset[str]) -> None:
        self.tower.follow(followed)
        if not self.tower.follow_order and self.gap_to_followed:  # none left: gaps to the leader again
            self.set_reactive(ReplayView.gap_to_followed, False)
        self.tower.show_gap(self.gap_to_followed)
        self.query_one(RaceHeader).set_followed(followed)
        self.board.set_highlights(followed, self._moved)

    def watch_gap_to_followed(self) -> None:
        self.tower.show_gap(self.gap_to_followed)

    def watch_playing(self, playing: bool) -> None:
        if self._timer is not None:
            self._timer.resume() if playing and not self.race_pace else self._timer.pause()
        if self.race_pace:
            self.pacer.start() if playing else self.pacer.hold()
        self._update_bindings()
        self._show_playback()

    def watch_speed(self, speed: int) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = self.clock.set_interval(SPEEDS[speed], self.playback_tick, pause=not self.playing)
        self._update_bindings()
        self._show_playback()

    def watch_race_pace(self, race_pace: bool) -> None:
        if self._timer is not None and self.playing:
            self._timer.pause() if race_pace else self._timer.resume()
        if race_pace and self.playing:
            self.pacer.start()
        elif not race_pace:
            self.pacer.hold()
        self._update_bindings()
        self._show_playback()

    def playback_tick(self) -> None:
        """Advance one lap of playback; stop at the finish. Tests call this instead of waiting."""
        if self.race_pace:
            return
        if self.lap < self.timeline.final_lap:
            self.lap += 1
        if self.lap >= self.timeline.final_lap:
            self.playing = False

    def go_to(self, lap: int | None) -> None:
        """Jump to ``lap`` (clamped to the race; None: stay), sending any banner away; at race pace,
        playback goes on from that lap's end."""
        self.banner.dismiss()
        if lap is not None:
            self.lap = max(0, min(self.timeline.final_lap, lap))
            if self.race_pace and self.playing:
                self.pacer.start(self.pacer.pace.time_of(self.lap))
            else:
                self.pacer.lap_changed_by_hand()

    def _move(self, move: Move) -> None:
        """Go where a "next" or "previous" key leads, or say why it goes nowhere."""
        if move.refusal is not None:
            self.banner.dismiss()
            self.notify(move.refusal, title=move.title)
            return
        self.go_to(move.lap)

    def play_at_race_pace(self) -> None:
        """Play (when playing) at the race's own pace; a race without lap times says why not."""
        if not self.pacer.pace.available:
            self.notify("This race has no lap times: race pace is not available, playback goes by laps.",
                        title="Race pace")
            return
        self.race_pace = True
