"""The replay screen's incident log: what it lists at the lap, its filters (``l`` one driver's,
``k`` which kinds) shown in its title, and the pit-stop table (``o``; Enter or ``d`` on a pit
cycle: that cycle's stops)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from rich.text import Text
from textual.widgets import Static

from widgets import EventDetail, EventLog

from ...core.engine import Timeline
from ...core.log import KIND_FILTERS, KindFilter, log_items
from ...core.notes import Note
from ...core.pits import PitCycle, stop_test
from ...core.state import RaceState
from ...core.stats import has_pit_record
from .dialogs import DriverChooser

if TYPE_CHECKING:
    from .pits import PitStopsScreen


class LogHost(Protocol):
    """What the log needs of its screen: its widgets, and the notes to show at a lap."""

    @property
    def event_log(self) -> EventLog: ...
    @property
    def event_detail(self) -> EventDetail: ...
    @property
    def log_title(self) -> Static: ...
    def notes_shown(self, lap: int) -> tuple[Note, ...]: ...


class IncidentLog:
    """Feeds the ``EventLog`` from the engine's state, through its filters: ``car`` (one driver's
    incidents, None: everyone's) and ``kinds`` (an index into ``KIND_FILTERS``)."""

    def __init__(self, host: LogHost, timeline: Timeline) -> None:
        self.host, self.timeline = host, timeline
        self.is_stop = stop_test(timeline.race.events)  # what in this race is a pit stop
        self.pit_record = has_pit_record(timeline.race)  # all its stops known (else "0 stops" would be a guess)
        self._flags = timeline.flags
        self.car: str | None = None
        self.kinds = 0

    @property
    def kind_filter(self) -> KindFilter:
        return KIND_FILTERS[self.kinds]

    def show(self, state: RaceState) -> None:
        """List what is known at ``state``'s lap, and the highlighted event in full."""
        log = self.host.event_log
        items = log_items(state, self._flags, self.host.notes_shown(state.lap), self.is_stop, self.car, self.kind_filter)
        log.show(state, items)
        self.host.event_detail.show(log.highlighted)

    def set_filters(self, state: RaceState, car: str | None, kinds: int) -> None:
        """Show one driver's incidents (``car``; None: everyone's) of the ``kinds``; say so in the title."""
        self.car, self.kinds = car, kinds
        self.show(state)
        kind_filter = self.kind_filter
        parts = ["Incidents", self.timeline.race.entries[car].driver if car else None,
                 kind_filter.name if kind_filter.kinds is not None else None]
        self.host.log_title.update(Text(" · ".join(part for part in parts if part)))

    def next_kinds(self) -> int:
        """The next kinds of event to show (after the last: all of them again)."""
        return (self.kinds + 1) % len(KIND_FILTERS)

    def driver_chooser(self, lap: int, blink: bool) -> DriverChooser:
        """The dialog choosing whose incidents to show (only the cars known by ``lap``; "" or None: everyone's)."""
        return DriverChooser(self.timeline.entries_at(lap), frozenset(), "Incidents of", everyone=True, blink=blink)

    def move_cursor(self, delta: int) -> None:
        """Move through the log from anywhere on the screen (it takes the focus to show its cursor)."""
        log = self.host.event_log
        log.focus()
        log.action_cursor(delta)

    def pit_stops(self, state: RaceState, cycle: PitCycle | None = None) -> PitStopsScreen:
        """The table of the pit stops known at ``state``, or of one cycle's."""
        from .pits import PitStopsScreen

        return PitStopsScreen(state, cycle.events if cycle else state.events, self.is_stop, cycle, self.pit_record)
