"""The replay screen's timing tower (a mixin of ``ReplayScreen``): what the Gap column measures
from, and rows gliding to their new places."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from widgets import Clock, Leaderboard

# A glide: rows move to their new places in GLIDE_FRAMES eased frames over GLIDE_SECONDS, when a lap
# is stepped to (one back or forward, or played), and not at laps shorter than that.
GLIDE_SECONDS, GLIDE_FRAMES = 0.2, 6


class TowerKeeping:
    """``v``: the Gap column from the leader, or from the first driver followed. ``gap_to_followed``
    is the screen's reactive, watched here; it is kept per race with the followed drivers
    (``user.settings.GAP_COLUMN``, see resume.py)."""

    gap_to_followed: bool
    query_one: Callable
    notify: Callable
    set_reactive: Callable
    _follow_order: tuple[str, ...] = ()  # the followed cars, first followed first
    _glide: Any = None  # the timer of the glide under way
    clock: Clock
    app: Any

    def followed_changed(self, followed: frozenset[str]) -> None:
        """Keep the order drivers were followed in; with none left, gaps go back to the leader."""
        self._follow_order = tuple(car for car in self._follow_order if car in followed) + tuple(
            sorted(followed.difference(self._follow_order)))
        if not self._follow_order and self.gap_to_followed:
            self.set_reactive(type(self).gap_to_followed, False)  # type: ignore[attr-defined]
        self._show_gap_reference()

    def action_gap_to(self) -> None:
        """The Gap column from the leader, or from the first driver followed (and back)."""
        if not self.gap_to_followed and not self._follow_order:
            self.notify("Follow a driver first (f): the Gap column then measures from them.", title="Gap to")
            return
        self.gap_to_followed = not self.gap_to_followed

    def watch_gap_to_followed(self) -> None:
        self._show_gap_reference()

    def _show_gap_reference(self) -> None:
        car = self._follow_order[0] if self.gap_to_followed and self._follow_order else None
        self.query_one(Leaderboard).set_gap_to(car)

    def may_glide(self, lap_seconds: float | None) -> bool:
        """Rows glide with the app's full animations (``TEXTUAL_ANIMATIONS``, ``App.animation_level``),
        never at laps (``lap_seconds`` while playing) shorter than the glide."""
        return self.app.animation_level == "full" and (lap_seconds is None or lap_seconds >= GLIDE_SECONDS)

    def start_glide(self) -> None:
        """Move the board's rows frame by frame (after this frame, which draws them where they were)."""
        if self._glide is not None:
            self._glide.stop()
        board = self.query_one(Leaderboard)
        drawn = [0]

        def frame() -> None:  # counted here: a timer may come round once more than asked
            drawn[0] += 1
            board.glide(min(1.0, drawn[0] / GLIDE_FRAMES))
            if drawn[0] >= GLIDE_FRAMES and self._glide is not None:
                self._glide.stop()

        self._glide = self.clock.set_interval(GLIDE_SECONDS / GLIDE_FRAMES, frame, repeat=GLIDE_FRAMES)
