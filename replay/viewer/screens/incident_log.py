"""The replay screen's incident log (a mixin of ``ReplayScreen``): what it lists at the lap, its
filters (``l`` one driver's, ``k`` which kinds) shown in its title, and the pit-stop table (``o``;
Enter or ``d`` on a pit cycle: that cycle's stops)."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import App
from textual.widgets import Static

from widgets import EventDetail, EventLog

from ...core.engine import Timeline
from ...core.log import KIND_FILTERS, KindFilter, log_items
from ...core.notes import Note
from ...core.pits import PitCycle, stop_test
from ...core.state import RaceState
from .dialogs import DriverChooser


class IncidentLogKeeping:
    """Feeds the ``EventLog`` from the engine's state; ``log_filter`` (a car) and ``log_kinds``
    (an index into ``KIND_FILTERS``) are the screen's reactives, watched here."""

    timeline: Timeline
    lap: int
    log_filter: str | None
    log_kinds: int
    transient: bool
    app: App[object]  # the screen's (``MessagePump.app``)
    query_one: Callable
    notes_shown: Callable[[int], tuple[Note, ...]]

    def open_log(self) -> None:
        """Once, as the screen is made: what in this race is a pit stop, and its flags by lap."""
        self._is_stop = stop_test(self.timeline.race.events)
        self._flags = self.timeline.flags

    @property
    def kind_filter(self) -> KindFilter:
        return KIND_FILTERS[self.log_kinds]

    def _show_events(self, state: RaceState) -> None:
        log = self.query_one(EventLog)
        items = log_items(state, self._flags, self.notes_shown(state.lap), self._is_stop, self.log_filter, self.kind_filter)
        log.show(state, items)
        self.query_one(EventDetail).show(log.highlighted)

    def _log_changed(self) -> None:
        self._show_events(self.timeline.state_at(self.lap))
        car, kinds = self.log_filter, self.kind_filter
        parts = ["Incidents", self.timeline.race.entries[car].driver if car else None,
                 kinds.name if kinds.kinds is not None else None]
        self.query_one("#log-title", Static).update(Text(" · ".join(part for part in parts if part)))

    def watch_log_filter(self) -> None:
        self._log_changed()

    def watch_log_kinds(self) -> None:
        self._log_changed()

    def action_filter_log(self) -> None:
        entries = self.timeline.entries_at(self.lap)  # only the cars known by this lap
        self.app.push_screen(DriverChooser(entries, frozenset(), "Incidents of", everyone=True, blink=self.transient),
                             self._set_log_filter)

    def _set_log_filter(self, car: str | None) -> None:
        self.log_filter = None if car in (None, "") else car

    def action_log_kinds(self) -> None:
        """Show the next kinds of event in the log (after the last: all of them again)."""
        self.log_kinds = (self.log_kinds + 1) % len(KIND_FILTERS)

    def action_log_cursor(self, delta: int) -> None:
        """↑ ↓ move through the log from anywhere on the screen (it takes the focus to show its cursor)."""
        log = self.query_one(EventLog)
        log.focus()
        log.action_cursor(delta)

    def action_log_choose(self) -> None:
        self.query_one(EventLog).action_choose()

    def action_pit_stops(self, cycle: PitCycle | None = None) -> None:
        """The table of the pit stops so far, or of one cycle's."""
        from .pits import PitStopsScreen

        state = self.timeline.state_at(self.lap)
        self.app.push_screen(PitStopsScreen(state, cycle.events if cycle else state.events, self._is_stop, cycle))
