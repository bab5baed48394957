"""Race-pace playback for the replay screen (a mixin of ``ReplayScreen``), in step with a broadcast.

At race pace the screen shows the last lap the leader had completed at the *moment* chosen:
``moment = race time at the anchor + (now - anchor) x speed + offset``. Each next lap is due at an
absolute time worked out from the anchor, so waiting never adds up into drift, and the lap shown is
never one after the moment. ``m`` marks "this lap is on my screen now" (the anchor, offset 0);
``,`` ``.`` / ``<`` ``>`` / ``{`` ``}`` nudge the moment by 10 / 30 / 60 s.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ...core.engine import Timeline
from ...core.race_pace import RacePace

PACE_SPEEDS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)


def next_pace_speed(speed: float, step: int) -> float | None:
    """The next of ``PACE_SPEEDS`` faster (``step`` > 0) or slower than ``speed`` (any --speed), if any."""
    faster = [x for x in PACE_SPEEDS if x > speed]
    slower = [x for x in PACE_SPEEDS if x < speed]
    return (faster[0] if faster else None) if step > 0 else (slower[-1] if slower else None)


def pace_speed_label(speed: float) -> str:
    return f"×{speed:g}"


class PaceKeeping:
    """``race_pace`` (a screen reactive): play at the race's own pace instead of laps per second."""

    timeline: Timeline
    _timer: Any
    query_one: Callable
    _update_bindings: Callable
    _playback_label: Callable
    lap: int
    playing: bool
    race_pace: bool
    clock: Any
    notify: Callable
    _pace: RacePace | None = None
    pace_speed: float = 1.0
    _anchor: tuple[float, float] | None = None  # (wall-clock seconds, race seconds) while playing at race pace
    _offset = 0.0  # seconds the moment was nudged since the last sync mark
    _held: float | None = None  # the moment where race-pace playback paused
    _due: Any = None  # the timer of the next lap

    @property
    def pace(self) -> RacePace:
        if self._pace is None:
            positions = self.timeline.positions
            self._pace = RacePace([positions.leader(lap) for lap in range(self.timeline.final_lap + 1)],
                                  positions.timed())
        return self._pace

    def pace_label(self) -> str:
        synced = f" · sync {self._offset:+.0f} s" if self._offset or self._anchor is not None else ""
        return f"race pace {pace_speed_label(self.pace_speed)}{synced}"

    def moment(self) -> float:
        """Race seconds now, at race pace: where playback is (or paused)."""
        if self._anchor is None:
            return self._held if self._held is not None else self.pace.time_of(self.lap)
        wall, race = self._anchor
        return race + (self.clock.now - wall) * self.pace_speed + self._offset

    def action_race_pace(self) -> None:
        """Play (when playing) at the race's own pace; a race without lap times says why not."""
        if not self.pace.available:
            self.notify("This race has no lap times: race pace is not available, playback goes by laps.",
                        title="Race pace")
            return
        self.race_pace = True

    def action_by_laps(self) -> None:
        self.race_pace = False

    def start_pace(self, at: float | None = None) -> None:
        """Play at race pace from the moment ``at`` (default: where it paused, or the lap shown)."""
        moment = at if at is not None else self.moment()
        self._anchor = (self.clock.now, moment - self._offset)
        self._held = None
        self._schedule()

    def hold_pace(self) -> None:
        """Pause: keep the moment, stop the clock."""
        if self._anchor is not None:
            self._held = self.moment()
        self._anchor = None
        self._stop_due()

    def lap_changed_by_hand(self) -> None:
        """A step or jump while paused: resuming starts from that lap's end."""
        if self._anchor is None:
            self._held = None

    def action_sync_here(self) -> None:
        self.action_sync()

    def action_sync(self) -> None:
        """This lap is on the broadcast now: the moment is its end, the offset 0; playback goes on at race pace."""
        if not self.pace.available:
            self.notify("This race has no lap times: nothing to keep in step.", title="Sync")
            return
        self._offset = 0.0
        self.race_pace = True
        self._held = None
        self.start_pace(self.pace.time_of(self.lap))
        self.playing = self.lap < self.timeline.final_lap
        self.pace_changed()

    def action_nudge(self, seconds: int) -> None:
        """Move the moment by ``seconds`` (the broadcast is ahead: +; behind: -)."""
        if not self.race_pace:
            self.notify("Nudges move race-pace playback: t or m (sync) first.", title="Nudge")
            return
        self._offset += seconds
        if self._anchor is None:
            self._held = self.moment() + seconds
        self._show_moment()
        self.pace_changed()

    def _schedule(self) -> None:
        """Set the timer for the next lap's end at race pace (from the anchor, so no drift adds up)."""
        self._stop_due()
        if self._anchor is None or self.lap >= self.timeline.final_lap:
            return
        wall, race = self._anchor
        due = wall + (self.pace.time_of(self.lap + 1) - self._offset - race) / self.pace_speed
        # at least 1 ms: a Textual timer of 0 s divides by its interval
        self._due = self.clock.set_timer(max(0.001, due - self.clock.now), self.pace_tick)

    def pace_tick(self) -> None:
        self._due = None
        self._show_moment()
        if self.lap >= self.timeline.final_lap:
            self.playing = False
        else:
            self._schedule()

    def _show_moment(self) -> None:
        lap = min(self.timeline.final_lap, self.pace.lap_at(self.moment()))
        if lap != self.lap:
            self.lap = lap

    def _stop_due(self) -> None:
        if self._due is not None:
            self._due.stop()
            self._due = None

    def pace_changed(self) -> None:
        """Redraw the playback label."""
        from widgets import RaceHeader

        self.query_one(RaceHeader).set_playback(self._playback_label())

    @property
    def now(self) -> float:
        """The clock's time when the screen is its own clock (a test's clock has its own ``now``)."""
        return time.monotonic()

    def lap_seconds(self, lap: int, by_laps: float) -> float:
        """How long playback shows ``lap``: ``by_laps`` seconds, or at race pace the leader's next lap."""
        if self.race_pace:
            return (self.pace.time_of(lap + 1) - self.pace.time_of(lap)) / self.pace_speed
        return by_laps

    def watch_race_pace(self, race_pace: bool) -> None:
        if self._timer is not None and self.playing:
            self._timer.pause() if race_pace else self._timer.resume()
        if race_pace and self.playing:
            self.start_pace()
        elif not race_pace:
            self.hold_pace()
        self._update_bindings()
        self.pace_changed()

    def change_pace_speed(self, delta: int) -> None:
        """``+`` ``-`` at race pace: the next multiple of the pace, from the moment reached."""
        moment = self.moment()
        self.pace_speed = next_pace_speed(self.pace_speed, delta) or self.pace_speed
        if self.playing:
            self.start_pace(moment)
        self._update_bindings()
        self.pace_changed()
