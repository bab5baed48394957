"""The lap chart's data: every car's position (and how it is known) and lap time at every lap.

``chart_index(timeline)`` indexes a race once (per Timeline, kept while the timeline lives): per car,
arrays by lap. ``lap_chart(timeline, lap, followed)`` is what a chart may show at ``lap``: the
followed cars (by default the top five at ``lap``, never the finishing order), each with laps 0 to
``lap`` only, and an x axis to the race's length as known then (the schedule, or the laps so far in
overtime; see ``RaceState.span``). Nothing after ``lap`` is in it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from .derived import derived
from .engine import TIMED_FLAGS, Timeline
from .model import Certainty, Entry
from .positions import CARRIED, ESTIMATED, REPORTED

DEFAULT_DRIVERS = 5  # with nobody followed, the chart shows the top five at the current lap
SURER = {CARRIED: 0, ESTIMATED: 1, REPORTED: 2}
TIME_HEADROOM = 1.2  # the lap-time axis ends this far above the fastest lap: caution laps go off the top
POSITION_STEP = 5  # the position axis ends at a multiple of this (or the field), so it rarely rescales
N = TypeVar("N", int, float)


class ChartIndex:
    """Per car, its position, the position's certainty and its lap time at every lap (None: unknown)."""

    def __init__(self, timeline: Timeline) -> None:
        race = timeline.race
        laps = timeline.final_lap + 1
        self.entries = race.entries
        self.scheduled = race.info.laps
        self.flags = timeline.flags
        self.timed = timeline.has_lap_times
        self.by_number = tuple(sorted(race.entries, key=lambda car: race.entries[car].neutral_key))
        self.positions: dict[str, list[int | None]] = {car: [None] * laps for car in race.entries}
        self.certainty: dict[str, list[Certainty | None]] = {car: [None] * laps for car in race.entries}
        self.top: list[tuple[str, ...]] = []  # the cars placed in the first DEFAULT_DRIVERS places, by lap
        for lap in range(laps):
            cars, certainty, _ = timeline.positions.at(lap)
            for index, car in enumerate(cars):
                if car is not None:
                    self.positions[car][lap] = index + 1
                    self.certainty[car][lap] = certainty[index]
            self.top.append(tuple(car for car in cars[:DEFAULT_DRIVERS] if car is not None))
        self.times: dict[str, list[float | None]] = {car: [None] * laps for car in race.entries}
        for order in race.orders:
            stalled = timeline.positions.stalled(order.lap)  # no new lap: its last one is not this lap's
            for car, time in zip(order.cars, order.lap_times or (), strict=False):
                if car is not None and time is not None and car not in stalled:
                    self.times[car][order.lap] = time
        # So far, by lap: each car's worst position, fastest lap, slowest green-flag lap (for the axes).
        self.worst = {car: _running(self.positions[car], max) for car in race.entries}
        self.fastest = {car: _running(self.times[car], min) for car in race.entries}
        self.slowest_green = {car: _running([t if self.flags[lap] in TIMED_FLAGS else None
                                             for lap, t in enumerate(self.times[car])], max)
                              for car in race.entries}

    def span(self, lap: int) -> int:
        """The race's length as known at ``lap`` (as ``RaceState.span``)."""
        return max(self.scheduled, lap)


def _running(values: Sequence[N | None], pick: Callable[[N, N], N]) -> list[N | None]:
    """``pick`` (min or max) of the values so far at each index, None until the first value."""
    out: list[N | None] = []
    best: N | None = None
    for value in values:
        if value is not None:
            best = value if best is None else pick(best, value)
        out.append(best)
    return out


def chart_index(timeline: Timeline) -> ChartIndex:
    """The index of ``timeline``, built on first use and kept as long as the timeline."""
    return derived(timeline, ChartIndex)


@dataclass(frozen=True)
class Trace:
    """One car at laps 0 to the chart's lap: position, how it is known, lap time (None: unknown),
    and so far its worst position, its fastest lap and its slowest green-flag lap."""

    entry: Entry
    positions: tuple[int | None, ...]
    certainty: tuple[Certainty | None, ...]
    times: tuple[float | None, ...]
    worst: int | None = None
    fastest: float | None = None
    slowest_green: float | None = None

    @property
    def position(self) -> int | None:
        """The car's position at the chart's lap."""
        return self.positions[-1]

    def position_in(self, first: int, last: int) -> tuple[int, Certainty] | None:
        """The latest position known in laps ``first``..``last`` (a chart column), with the surest
        certainty it had there in those laps: a report inside a column shows as reported."""
        positions, certainty = self.positions, self.certainty
        for lap in range(min(last, len(positions) - 1), first - 1, -1):
            pos = positions[lap]
            if pos is not None:
                best = certainty[lap]
                for earlier in range(lap - 1, first - 1, -1):
                    if positions[earlier] == pos and SURER[certainty[earlier]] > SURER[best]:  # type: ignore[index]
                        best = certainty[earlier]
                return pos, best  # type: ignore[return-value]
        return None

    def time_in(self, first: int, last: int) -> float | None:
        """The latest lap time in laps ``first``..``last``."""
        times = self.times
        for lap in range(min(last, len(times) - 1), first - 1, -1):
            if times[lap] is not None:
                return times[lap]
        return None


@dataclass(frozen=True)
class LapChart:
    """The chart at ``lap``: traces of laps 0..lap, by car number (an order that says nothing of the race)."""

    lap: int
    span: int  # the x axis: laps 0..span
    field: int  # cars in the race: the position axis never goes past it
    flags: tuple[str, ...]  # laps 0..lap
    traces: tuple[Trace, ...]
    chosen: bool  # the user's followed drivers (else the top five at ``lap``)
    timed: bool  # the race has lap times

    def caution(self, first: int, last: int) -> str | None:
        """``red`` or ``yellow`` when any of laps ``first``..``last`` (up to the chart's lap) ran under it."""
        flags = set(self.flags[first: min(last, self.lap) + 1])
        return "red" if "red" in flags else "yellow" if "yellow" in flags else None

    def position_axis(self) -> int:
        """The last position on the axis: the worst any trace has been so far, rounded up to a
        multiple of five (at least five), within the field."""
        worst = max((trace.worst for trace in self.traces if trace.worst is not None), default=1)
        return max(worst, min(self.field, POSITION_STEP * math.ceil(max(worst, DEFAULT_DRIVERS) / POSITION_STEP)))

    def time_axis(self) -> tuple[float, float] | None:
        """Fastest and slowest lap times on the axis: from the fastest so far to the slowest green-flag
        lap (without one, to) ``TIME_HEADROOM`` times the fastest at most: caution laps go off the top. None: no times."""
        fastest = min((trace.fastest for trace in self.traces if trace.fastest is not None), default=None)
        if fastest is None:
            return None
        green = [trace.slowest_green for trace in self.traces if trace.slowest_green is not None]
        slowest = min(max(green) if green else fastest * TIME_HEADROOM, fastest * TIME_HEADROOM)
        return fastest, max(slowest, fastest + 1.0)


def lap_chart(timeline: Timeline, lap: int, followed: Iterable[str] = ()) -> LapChart:
    """The chart at ``lap`` of ``followed`` cars; with none, of the top five at ``lap``."""
    index = chart_index(timeline)
    if not 0 <= lap < len(index.flags):
        raise ValueError(f"lap {lap} is outside the race (0 to {len(index.flags) - 1})")
    known = timeline.entries_at(lap)  # a car no fact known by the lap names is not drawn
    chosen = frozenset(car for car in followed if car in known)
    cars = chosen or frozenset(index.top[lap])
    end = lap + 1
    traces = tuple(
        Trace(index.entries[car], tuple(index.positions[car][:end]), tuple(index.certainty[car][:end]),
              tuple(index.times[car][:end]), index.worst[car][lap], index.fastest[car][lap],
              index.slowest_green[car][lap])
        for car in index.by_number if car in cars
    )
    return LapChart(lap, index.span(lap), len(index.entries), index.flags[:end], traces, bool(chosen), index.timed)


def positions_by_lap(timeline: Timeline, lap: int) -> tuple[tuple[Entry, ...], list[list[int | None]]]:
    """Every car known by ``lap``, by number, and for each lap 0..``lap`` its position (None: unknown)."""
    index = chart_index(timeline)
    if not 0 <= lap < len(index.flags):
        raise ValueError(f"lap {lap} is outside the race (0 to {len(index.flags) - 1})")
    known = timeline.entries_at(lap)
    cars = tuple(car for car in index.by_number if car in known)
    return (tuple(index.entries[car] for car in cars),
            [[index.positions[car][at] for car in cars] for at in range(lap + 1)])
