"""What the incident log lists at a lap: the events so far, of one driver and of some kinds if
chosen, each pit cycle as one item, and the user's notes among them. Nothing after the lap."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import EVENT_KINDS, Event
from .notes import Note, in_log_order
from .pits import PitCycle, StopTest, group_cycles
from .state import RaceState

LogItem = Event | Note | PitCycle


@dataclass(frozen=True)
class KindFilter:
    """Which items the log lists: events of ``kinds`` (None: every kind), and the user's notes if ``notes``."""

    name: str  # as the log's title says it: "Incidents · pit stops"
    kinds: frozenset[str] | None
    notes: bool = False


KIND_FILTERS = (
    KindFilter("all kinds", None, notes=True),
    KindFilter("crashes & trouble", frozenset({"crash", "spin", "contact", "mechanical", "penalty", "retirement",
                                       "disqualification"})),
    KindFilter("flags", frozenset({"caution", "restart", "stage_end"})),
    KindFilter("pit stops", frozenset({"pit"})),
    KindFilter("lead changes", frozenset({"lead_change", "pass"})),
    KindFilter("other events", frozenset(EVENT_KINDS) - {"crash", "spin", "contact", "mechanical", "penalty", "retirement",
                                                  "disqualification", "caution", "restart", "stage_end", "pit",
                                                  "lead_change", "pass"}),
    KindFilter("my notes", frozenset(), notes=True),
)


def log_items(state: RaceState, flags: Sequence[str], notes: Sequence[Note], is_stop: StopTest,
              car: str | None = None, kinds: KindFilter = KIND_FILTERS[0]) -> tuple[LogItem, ...]:
    """The log at ``state.lap``, oldest first: its events (``car``'s only, if given; of ``kinds``),
    each pit cycle at its latest stop so far, and the ``notes`` shown then (those of ``car``) after
    the events of their lap. ``flags`` are the flags by lap up to the lap."""
    events = state.events if car is None and kinds.kinds is None else [
        e for e in state.events if (car is None or car in e.cars) and (kinds.kinds is None or e.kind in kinds.kinds)]
    items = group_cycles(events, flags[: state.lap + 1], is_stop, at_last=True)
    chosen = tuple(n for n in notes if car is None or n.car == car) if kinds.notes else ()
    return in_log_order(items, chosen, state.info.final_lap) if chosen else items
