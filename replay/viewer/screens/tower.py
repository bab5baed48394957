"""The replay screen's timing tower (a mixin of ``ReplayScreen``): what the Gap column measures from."""

from __future__ import annotations

from collections.abc import Callable

from widgets import Leaderboard


class TowerKeeping:
    """``v``: the Gap column from the leader, or from the first driver followed. ``gap_to_followed``
    is the screen's reactive, watched here. (A setting to keep, issue 22 §5 "gap column": to be
    stored with the settings API; kept in memory until then.)"""

    gap_to_followed: bool
    query_one: Callable
    notify: Callable
    set_reactive: Callable
    _follow_order: tuple[str, ...] = ()  # the followed cars, first followed first

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
