"""A clock the test moves by hand, for the viewer's timers (see ``ReplayScreen``'s ``clock``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(eq=False)
class HandTimer:
    """A timer of ``HandClock``: due at ``due``; an interval comes round every ``interval`` seconds,
    ``repeat`` times (0: for ever)."""

    clock: HandClock
    due: float
    callback: Callable[[], Any]
    interval: float | None = None
    repeat: int = 0
    paused: bool = False
    stopped: bool = False
    fired: int = 0

    def stop(self) -> None:
        self.stopped = True

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        if self.paused:
            self.paused = False
            self.due = self.clock.now + (self.interval or 0)  # as Textual's: a whole interval after resuming


class HandClock:
    """``set_timer`` and ``set_interval`` as Textual's, but time moves only in ``advance``."""

    def __init__(self) -> None:
        self.now = 0.0
        self.timers: list[HandTimer] = []

    def set_timer(self, delay: float, callback: Callable[[], Any], **_: Any) -> HandTimer:
        return self._add(HandTimer(self, self.now + delay, callback))

    def set_interval(self, interval: float, callback: Callable[[], Any], *, repeat: int = 0,
                     pause: bool = False, **_: Any) -> HandTimer:
        return self._add(HandTimer(self, self.now + interval, callback, interval, repeat, paused=pause))

    def _add(self, timer: HandTimer) -> HandTimer:
        self.timers.append(timer)
        return timer

    def running(self) -> list[HandTimer]:
        return [t for t in self.timers if not t.stopped and not t.paused]

    def advance(self, seconds: float) -> None:
        """Move time on by ``seconds``, firing each timer that falls due, in time order."""
        end = self.now + seconds
        while True:
            due = [t for t in self.running() if t.due <= end + 1e-9]
            if not due:
                break
            timer = min(due, key=lambda t: t.due)
            self.now = timer.due
            timer.fired += 1
            if timer.interval is None or (timer.repeat and timer.fired >= timer.repeat):
                timer.stopped = True
            else:
                timer.due += timer.interval
            timer.callback()
        self.now = end
