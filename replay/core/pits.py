"""Pit stops so far: which events are stops, a caution's pit cycle as one item, and the stops of
the pit-stop table, newest first.

Where a race gives any stop's figures (a ``pit`` mapping: a timing feed's pit data), its stops are
the events that have them; a lap note that says "#9 pits" or "stays out" is not one more stop.
A race without any (written from reports) counts every ``pit`` event. Which it is, is a property
of the race file, like its sources: the same at every lap.

A stop's figures are known from different laps: the stop and the place it came in from at its lap;
that it came in under caution from the lap the caution waves; its place out and its times from
its ``out_lap`` (``known_versions``).

A pit cycle is the stops made under one caution (from its first lap), or on one green lap, once
there are ``PIT_CYCLE`` of them: at lap N only the stops of laps up to N, under the flags up to N.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import partial

from .model import Event, PitStop

PIT_CYCLE = 3  # this many stops under one caution, or on one lap, are one item
CAUTION_FLAGS = frozenset({"yellow", "red"})
SERVICE_LABELS = {"four_tires": "four tires", "right_side_tires": "right side", "left_side_tires": "left side",
                  "two_tires": "two tires", "fuel_only": "fuel only", "other": "other"}

StopTest = Callable[[Event], bool]  # (made by ``stop_test``: a stop is always a "pit" event)


def _is_stop(recorded: bool, event: Event) -> bool:
    return event.kind == "pit" and event.when == "race" and event.lap is not None and (
        event.pit is not None or not recorded)


def stop_test(race_events: Iterable[Event]) -> StopTest:
    """Which events are pit stops (see the module docstring), given all of a race's events."""
    return partial(_is_stop, any(event.pit is not None for event in race_events))


@dataclass(frozen=True)
class PitCycle:
    """The stops of one caution (``caution``; ``start`` is its first lap) or of the green lap
    ``start``, oldest first: one item in the incident log and the prep sheet."""

    start: int
    caution: bool
    events: tuple[Event, ...]

    kind = "pit"  # coloured and filtered as the stops are

    @property
    def lap(self) -> int:
        """The lap of its latest stop."""
        return max(event.lap or 0 for event in self.events)

    @property
    def first_lap(self) -> int:
        return min(event.first_lap or event.lap or 0 for event in self.events)

    @property
    def estimated(self) -> bool:
        return any(event.estimated for event in self.events)

    @property
    def lap_label(self) -> str:
        """``L117–120``, or ``L28`` for stops of one lap; ``~`` where a stop's lap is estimated."""
        first, last = self.first_lap, self.lap
        return ("~" if self.estimated else "") + (f"L{first}–{last}" if first != last else f"L{last}")

    @property
    def cars(self) -> tuple[str, ...]:
        """The cars that stopped, in the order of their first stop."""
        return tuple(dict.fromkeys(car for event in self.events for car in event.cars))

    @property
    def text(self) -> str:
        """``25 stops under caution``."""
        return f"{len(self.events)} stop{'s' if len(self.events) != 1 else ''}" + (" under caution" if self.caution else "")


def cycle_key(lap: int, flags: Sequence[str] | None) -> tuple[bool, int]:
    """A stop's cycle: (True, the caution's first lap) under caution, else (False, its lap).
    ``flags`` are the flags by lap, up to the current lap (None: not known, every lap its own)."""
    if flags is None or lap >= len(flags) or flags[lap] not in CAUTION_FLAGS:
        return False, lap
    while lap > 0 and flags[lap - 1] in CAUTION_FLAGS:
        lap -= 1
    return True, lap


def group_cycles(events: Sequence[Event], flags: Sequence[str] | None, is_stop: StopTest,
                 at_last: bool = False) -> tuple[Event | PitCycle, ...]:
    """``events`` (oldest first) with each pit cycle as one item, in the place of its first stop
    (or, ``at_last``, of its latest: where a log that lists the newest first shows it growing)."""
    groups: dict[tuple[bool, int], list[Event]] = {}
    keys: list[tuple[bool, int] | None] = []
    for event in events:  # (most events are not stops: the kind first, the stop test only then)
        key = cycle_key(event.lap, flags) if event.kind == "pit" and is_stop(event) and event.lap is not None else None
        keys.append(key)
        if key is not None:
            groups.setdefault(key, []).append(event)
    cycles = {key: PitCycle(key[1], key[0], tuple(stops)) for key, stops in groups.items() if len(stops) >= PIT_CYCLE}
    if not cycles:
        return tuple(events)
    seen: dict[tuple[bool, int], int] = {}
    items: list[Event | PitCycle] = []
    for event, key in zip(events, keys, strict=True):
        if key not in cycles:
            items.append(event)
            continue
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == (len(cycles[key].events) if at_last else 1):
            items.append(cycles[key])
    return tuple(items)


def stops_newest_first(events: Iterable[Event], is_stop: StopTest) -> tuple[Event, ...]:
    """The stops among ``events``, the latest lap first; within a lap by the position they came in
    from (where known), then as the race file lists them."""
    stops = [event for event in events if is_stop(event)]

    def order(pair: tuple[int, Event]) -> tuple[int, bool, int, int]:
        index, event = pair
        came_in = event.pit.in_pos if event.pit is not None else None
        return -(event.lap or 0), came_in is None, came_in or 0, index

    return tuple(event for _, event in sorted(enumerate(stops), key=order))


IN_TEXT, CAUTION_TEXT = "Pit stop: ", "Pit stop under caution: "


def known_versions(event: Event, flags: Sequence[str]) -> tuple[tuple[int, Event], ...]:
    """``(lap, event)``: the stop as known from each lap on, the first from its own lap. Before its
    ``out_lap`` its place out and its times are hidden; whether it came in under caution (yes or no
    alike: hiding only a yes would tell it) until a caution lap (``flags`` by lap) from its lap on,
    or its out-lap. An event without figures is as written."""
    stop = event.pit
    if stop is None or event.lap is None:
        return ((event.lap or 0, event),)
    out = stop.out_lap if stop.out_lap is not None else event.lap
    waved = next((lap for lap in range(event.lap, min(out, len(flags))) if flags[lap] in CAUTION_FLAGS), out)
    return tuple((lap, _as_known(event, stop, lap >= out, lap >= waved)) for lap in sorted({event.lap, waved, out}))


class EventsAsKnown:
    """The timeline's events as known at a lap: each stop as its ``known_versions`` give it then.
    ``known_from``: the lap each event enters the timeline (ascending). A stop whose figures are all
    known is its last version; only the few stops still coming in or out at a lap are looked up."""

    def __init__(self, events: Sequence[Event], known_from: Sequence[int], flags: Sequence[str]) -> None:
        stops = {index: known_versions(event, flags) for index, event in enumerate(events) if event.pit is not None}
        self._settled = [stops[index][-1][1] if index in stops else event for index, event in enumerate(events)]
        self._unsettled: dict[int, list[tuple[int, tuple[tuple[int, Event], ...]]]] = {}  # lap -> (index, versions)
        for index, versions in stops.items():
            for lap in range(known_from[index], versions[-1][0]):
                self._unsettled.setdefault(lap, []).append((index, versions))

    def at(self, lap: int, shown: int, finished: bool) -> list[Event]:
        """The first ``shown`` events (those known by ``lap``) as known at ``lap``; at the finish, whole."""
        events = self._settled[:shown]
        if not finished:
            for index, versions in self._unsettled.get(lap, ()):
                events[index] = next(event for at, event in reversed(versions) if at <= lap)
        return events


def _as_known(event: Event, stop: PitStop, out: bool, caution: bool) -> Event:
    figures = stop if out else replace(stop, stopped_s=None, road_s=None, out_pos=None)
    figures = figures if caution else replace(figures, under_caution=None)
    text = event.text
    if caution and stop.under_caution and text.startswith(IN_TEXT):
        text = CAUTION_TEXT + text.removeprefix(IN_TEXT)
    if out and stop.out_lap is not None and text.startswith((IN_TEXT, CAUTION_TEXT)):
        text += out_words(stop)
    return replace(event, pit=figures, text=text)


def out_words(stop: PitStop) -> str:
    """``; out P24 (-13), 20.45 s stopped, 80.04 s on pit road``: what is known from the out-lap."""
    parts = []
    if stop.out_pos is not None:
        gained = stop.gained
        parts.append(f"out P{stop.out_pos}" + (f" ({gained:+d})" if gained else ""))
    parts += [f"{seconds:.2f} s {what}" for seconds, what in ((stop.stopped_s, "stopped"), (stop.road_s, "on pit road"))
              if seconds is not None]
    return "; " + ", ".join(parts) if parts else ""
