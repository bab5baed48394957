"""Who was where at every lap, and how sure we are.

A running order sets the positions it names as *reported* at its lap (or
*estimated*, where the file says so). Between reports each position keeps the
last car known there, marked *carried*. A car named at a new position leaves its
old one, which becomes unknown; a car pushed out of a position by another becomes
unplaced; a car named in an incident (a crash, a pit stop, ...) loses its carried
position, which no longer says anything. Nothing is guessed to fill a gap.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from .model import Certainty, LeaderSpan, Order

REPORTED: Certainty = "reported"
CARRIED: Certainty = "carried"
ESTIMATED: Certainty = "estimated"


class PositionIndex:
    """Per-lap position slots built once; lookups are array reads."""

    def __init__(
        self,
        final_lap: int,
        orders: list[tuple[Order, Any]],
        leaders: tuple[LeaderSpan, ...],
        incidents: dict[int, set[str]] | None = None,
    ) -> None:
        self.conflicts: list[tuple[tuple[Any, ...], str]] = []
        self._slots: list[str | None] = []
        self._certainty: list[Certainty] = []
        self._as_of: list[int] = []
        self._where: dict[str, int] = {}
        self._cars: list[tuple[str | None, ...]] = []
        self._certainties: list[tuple[Certainty, ...]] = []
        self._as_ofs: list[tuple[int, ...]] = []
        self._leaders: list[str | None] = []
        self._timed: list[dict[str, float]] = []  # car -> its lap time at each lap
        self._stated_times: list[dict[str, float]] = []  # car -> its race time at each lap, where stated
        self._down: list[dict[str, int]] = []  # car -> its laps down at each lap, where stated
        self._reported_laps: dict[str, list[int]] = {}  # car -> laps it was placed at, ascending
        by_lap: dict[int, list[tuple[Order, Any]]] = {}
        for order, path in orders:
            by_lap.setdefault(order.lap, []).append((order, path))
        span_at = {lap: span for span in leaders for lap in range(span.first, span.last + 1)}
        for lap in range(final_lap + 1):
            self._forget(lap, (incidents or {}).get(lap, ()))
            self._index_lap(lap, by_lap.get(lap, ()), span_at.get(lap))
        self._led = self._cumulative_laps_led()
        self._totals = self._cumulative_times()

    # -- building -----------------------------------------------------------------------

    def _forget(self, lap: int, cars: Any) -> None:
        """Clear the carried positions of cars in an incident at ``lap``; a report at the
        same lap (applied next) still places them."""
        for car in cars:
            index = self._where.get(car)
            if index is not None and self._as_of[index] < lap:
                self._slots[index] = None
                del self._where[car]

    def _index_lap(self, lap: int, orders: Any, span: LeaderSpan | None) -> None:
        touched: dict[int, str] = {}
        timed: dict[str, float] = {}
        stated: dict[str, float] = {}
        down: dict[str, int] = {}
        for order, path in orders:
            for index, car in enumerate(order.cars):
                if car is not None:
                    certainty = ESTIMATED if car in order.estimated else REPORTED
                    self._place(lap, index, car, certainty, touched, path)
            for figures, into in ((order.lap_times, timed), (order.race_times, stated), (order.laps_down, down)):
                into.update((car, v) for car, v in zip(order.cars, figures or (), strict=False) if car and v is not None)
        if span is not None:
            self._place(lap, 0, span.car, ESTIMATED if span.estimated else REPORTED, touched, ("leaders",))
        for index, certainty in enumerate(self._certainty):
            if certainty == REPORTED and index not in touched:
                self._certainty[index] = CARRIED
        self._cars.append(tuple(self._slots))
        self._certainties.append(tuple(self._certainty))
        self._as_ofs.append(tuple(self._as_of))
        self._timed.append(timed)
        self._stated_times.append(stated)
        self._down.append(down)
        self._leaders.append(touched.get(0) if lap else None)

    def _place(self, lap: int, index: int, car: str, certainty: Certainty, touched: dict[int, str], path: Any) -> None:
        old = self._where.get(car)
        previous = touched.get(index)
        if previous is not None and previous != car:
            self.conflicts.append((path, f"lap {lap}: P{index + 1} is given as {previous!r} and as {car!r}; "
                                         f"{car!r} is used"))
        elif old is not None and old != index and old in touched:
            self.conflicts.append((path, f"lap {lap}: {car!r} is given at P{old + 1} and P{index + 1}; "
                                         f"P{index + 1} is used"))
        while len(self._slots) <= index:
            self._slots.append(None)
            self._certainty.append(CARRIED)
            self._as_of.append(lap)
        if old is not None and old != index:
            self._slots[old] = None
        displaced = self._slots[index]
        if displaced is not None and displaced != car:
            del self._where[displaced]
        self._slots[index] = car
        self._certainty[index] = certainty
        self._as_of[index] = lap
        self._where[car] = index
        touched[index] = car
        laps = self._reported_laps.setdefault(car, [])
        if not laps or laps[-1] != lap:
            laps.append(lap)

    def _cumulative_laps_led(self) -> list[dict[str, int] | None]:
        """Laps led so far at each lap; None from the first lap whose leader is unknown."""
        led: list[dict[str, int] | None] = [{}]
        counts: dict[str, int] | None = {}
        for leader in self._leaders[1:]:
            if counts is not None and leader is not None:
                counts = {**counts, leader: counts.get(leader, 0) + 1}
            else:
                counts = None
            led.append(counts)
        return led

    def _cumulative_times(self) -> list[dict[str, float]]:
        """Race time of each car at each lap: as stated (``race_times``), else for cars with a lap
        time on every lap so far, their sum."""
        totals: list[dict[str, float]] = [{}]
        running: dict[str, float] = {}
        for lap in range(1, len(self._timed)):
            timed = self._timed[lap]
            running = {car: total + timed[car] for car, total in running.items() if car in timed}
            if lap == 1:
                running = dict(timed)
            totals.append({**running, **self._stated_times[lap]})
        return totals

    # -- reading ------------------------------------------------------------------------

    def at(self, lap: int) -> tuple[tuple[str | None, ...], tuple[Certainty, ...], tuple[int, ...]]:
        """Cars by position (None = unknown), their certainty, and the lap each was reported."""
        return self._cars[lap], self._certainties[lap], self._as_ofs[lap]

    def placed(self, lap: int) -> set[str]:
        return {car for car in self._cars[lap] if car is not None}

    def lead_lap_times(self, lap: int) -> dict[str, float]:
        """Race times at ``lap`` of the cars on the lead lap (stated, or summed where every lap is timed)."""
        down = self._down[lap]
        return {car: seconds for car, seconds in self._totals[lap].items() if not down.get(car, 0)}

    def timed(self) -> list[dict[str, float]]:
        """Each car's lap time at each lap, as the running orders give them (for the lap-time index)."""
        return self._timed

    def changes(self, lap: int) -> dict[str, int]:
        """Positions gained since the previous lap, for cars placed at both laps."""
        if lap == 0:
            return {}
        before = {car: index for index, car in enumerate(self._cars[lap - 1]) if car is not None}
        return {car: before[car] - index for index, car in enumerate(self._cars[lap])
                if car is not None and car in before}

    def lapped(self, lap: int) -> dict[str, int]:
        """The cars stated to be laps down at ``lap``, and by how many."""
        return {car: laps for car, laps in self._down[lap].items() if laps}

    def stalled(self, lap: int) -> dict[str, int]:
        """Cars stated not to have completed a lap since the lap before (pitting, or stopped:
        the timing does not say which), with the laps they have completed."""
        if lap == 0:
            return {}
        before, now = self._down[lap - 1], self._down[lap]
        return {car: lap - down for car, down in now.items()
                if car in before and lap - down <= lap - 1 - before[car]}

    def last_reported(self, car: str, lap: int) -> int | None:
        """The last lap up to ``lap`` at which ``car`` was placed by a report."""
        laps = self._reported_laps.get(car, [])
        index = bisect_right(laps, lap)
        return laps[index - 1] if index else None

    def leader(self, lap: int) -> str | None:
        """The car reported (or estimated) in the lead at ``lap``; None if no source says."""
        return self._leaders[lap]

    def laps_led(self, lap: int) -> dict[str, int] | None:
        """Laps led through ``lap``, or None if any lap so far has an unknown leader."""
        return self._led[lap]

    def known_laps_led(self) -> dict[str, int]:
        """Laps each car is known to have led, over the whole race (for audits only)."""
        counts: dict[str, int] = {}
        for leader in self._leaders[1:]:
            if leader is not None:
                counts[leader] = counts.get(leader, 0) + 1
        return counts
