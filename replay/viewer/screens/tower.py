"""The replay screen's timing tower: what the Gap column measures from (``v``: the leader, or the
first driver followed), and rows gliding to their new places."""

from __future__ import annotations

from typing import Any, Protocol

from widgets import Clock, Leaderboard

# A glide: rows move to their new places in GLIDE_FRAMES eased frames over GLIDE_SECONDS, when a lap
# is stepped to (one back or forward, or played), and not at laps shorter than that.
GLIDE_SECONDS, GLIDE_FRAMES = 0.2, 6


class TowerHost(Protocol):
    """What the tower needs of its screen."""

    @property
    def board(self) -> Leaderboard: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def animation_level(self) -> str: ...  # Textual's: "none", "basic" or "full"


class Tower:
    """Keeps the order drivers were followed in (the Gap column measures from the first, when the
    screen's ``gap_to_followed`` says so; kept per race, see resume.py) and the glide under way."""

    def __init__(self, host: TowerHost) -> None:
        self.host = host
        self.follow_order: tuple[str, ...] = ()  # the followed cars, first followed first
        self._glide: Any = None  # the timer of the glide under way

    def follow(self, followed: frozenset[str]) -> None:
        """Keep the order drivers were followed in (those followed together: by car key)."""
        self.follow_order = tuple(car for car in self.follow_order if car in followed) + tuple(
            sorted(followed.difference(self.follow_order)))

    def show_gap(self, to_followed: bool) -> None:
        """The Gap column from the first driver followed (``to_followed``, if any), or from the leader."""
        self.host.board.set_gap_to(self.follow_order[0] if to_followed and self.follow_order else None)

    def may_glide(self, lap_seconds: float | None) -> bool:
        """Rows glide with the app's full animations (``TEXTUAL_ANIMATIONS``, ``App.animation_level``),
        never at laps (``lap_seconds`` while playing) shorter than the glide."""
        return self.host.animation_level == "full" and (lap_seconds is None or lap_seconds >= GLIDE_SECONDS)

    def start_glide(self) -> None:
        """Move the board's rows frame by frame (after this frame, which draws them where they were)."""
        if self._glide is not None:
            self._glide.stop()
        board = self.host.board
        drawn = [0]

        def frame() -> None:  # counted here: a timer may come round once more than asked
            drawn[0] += 1
            board.glide(min(1.0, drawn[0] / GLIDE_FRAMES))
            if drawn[0] >= GLIDE_FRAMES and self._glide is not None:
                self._glide.stop()

        self._glide = self.host.clock.set_interval(GLIDE_SECONDS / GLIDE_FRAMES, frame, repeat=GLIDE_FRAMES)
