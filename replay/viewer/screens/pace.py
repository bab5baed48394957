"""Race-pace playback for the replay screen, in step with a broadcast.

At race pace the screen shows the last lap the leader had completed at the *moment* chosen:
``moment = race time at the anchor + (now - anchor) x speed + offset``. Each next lap is due at an
absolute time worked out from the anchor, so waiting never adds up into drift, and the lap shown is
never one after the moment. ``m`` marks "this lap is on my screen now" (the anchor, offset 0);
``,`` ``.`` / ``<`` ``>`` / ``{`` ``}`` nudge the moment by 10 / 30 / 60 s.
"""

from __future__ import annotations

from typing import Any, Protocol

from widgets import Clock

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


class PaceHost(Protocol):
    """What race-pace playback needs of its screen: the lap shown (it moves it), whether it plays
    (it stops at the finish), its clock and the time on it (seconds, monotonic)."""

    lap: int
    playing: bool

    @property
    def timeline(self) -> Timeline: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def now(self) -> float: ...


class Pacer:
    """Plays at the race's own pace (when the screen's ``race_pace`` says so) instead of laps per second:
    ``start``, ``hold``, ``sync`` and ``nudge`` set the moment shown; ``speed`` is a multiple of the pace."""

    def __init__(self, host: PaceHost) -> None:
        self.host = host
        self._pace: RacePace | None = None
        self.speed = 1.0
        self._anchor: tuple[float, float] | None = None  # (wall-clock seconds, race seconds) while playing
        self._offset = 0.0  # seconds the moment was nudged since the last sync mark
        self._held: float | None = None  # the moment where race-pace playback paused
        self._due: Any = None  # the timer of the next lap

    @property
    def pace(self) -> RacePace:
        if self._pace is None:
            timeline = self.host.timeline
            positions = timeline.positions
            self._pace = RacePace([positions.leader(lap) for lap in range(timeline.final_lap + 1)], positions.timed())
        return self._pace

    def label(self) -> str:
        synced = f" · sync {self._offset:+.0f} s" if self._offset or self._anchor is not None else ""
        return f"race pace {pace_speed_label(self.speed)}{synced}"

    def moment(self) -> float:
        """Race seconds now, at race pace: where playback is (or paused)."""
        if self._anchor is None:
            return self._held if self._held is not None else self.pace.time_of(self.host.lap)
        wall, race = self._anchor
        return race + (self.host.now - wall) * self.speed + self._offset

    def start(self, at: float | None = None) -> None:
        """Play at race pace from the moment ``at`` (default: where it paused, or the lap shown)."""
        moment = at if at is not None else self.moment()
        self._anchor = (self.host.now, moment - self._offset)
        self._held = None
        self._schedule()

    def hold(self) -> None:
        """Pause: keep the moment, stop the clock."""
        if self._anchor is not None:
            self._held = self.moment()
        self._anchor = None
        self._stop_due()

    def lap_changed_by_hand(self) -> None:
        """A step or jump while paused: resuming starts from that lap's end."""
        if self._anchor is None:
            self._held = None

    def sync(self) -> None:
        """This lap is on the broadcast now: the moment is its end, the offset 0 (the screen then plays)."""
        self._offset = 0.0
        self._held = None
        self.start(self.pace.time_of(self.host.lap))

    def nudge(self, seconds: int) -> None:
        """Move the moment by ``seconds`` (the broadcast is ahead: +; behind: -)."""
        self._offset += seconds
        if self._anchor is None:
            self._held = self.moment() + seconds
        self._show_moment()

    def _schedule(self) -> None:
        """Set the timer for the next lap's end at race pace (from the anchor, so no drift adds up)."""
        self._stop_due()
        if self._anchor is None or self.host.lap >= self.host.timeline.final_lap:
            return
        wall, race = self._anchor
        due = wall + (self.pace.time_of(self.host.lap + 1) - self._offset - race) / self.speed
        # at least 1 ms: a Textual timer of 0 s divides by its interval
        self._due = self.host.clock.set_timer(max(0.001, due - self.host.now), self.tick)

    def tick(self) -> None:
        self._due = None
        self._show_moment()
        if self.host.lap >= self.host.timeline.final_lap:
            self.host.playing = False
        else:
            self._schedule()

    def _show_moment(self) -> None:
        lap = min(self.host.timeline.final_lap, self.pace.lap_at(self.moment()))
        if lap != self.host.lap:
            self.host.lap = lap

    def _stop_due(self) -> None:
        if self._due is not None:
            self._due.stop()
            self._due = None

    def lap_seconds(self, lap: int) -> float:
        """How long race-pace playback shows ``lap``: the leader's next lap."""
        return (self.pace.time_of(lap + 1) - self.pace.time_of(lap)) / self.speed

    def change_speed(self, delta: int, playing: bool) -> None:
        """``+`` ``-`` at race pace: the next multiple of the pace, from the moment reached."""
        moment = self.moment()
        self.speed = next_pace_speed(self.speed, delta) or self.speed
        if playing:
            self.start(moment)
