"""Lap times so far: each car's time on a lap, its best lap up to a lap, and the race's fastest laps
up to a lap. Built once from the running orders' lap times into per-lap tables (a lap that changes
nothing shares the table before it), so a lookup is a dict read and a state at lap 400 costs what
one at lap 1 does. "So far" is the lap being shown and those before it: the laps the running order
shows, never a later one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

FASTEST_SHOWN = 3  # how many of the race's fastest laps a state carries


@dataclass(frozen=True)
class FastLap:
    """A car's best lap so far: its time in seconds and the lap it was set on."""

    car: str
    time: float
    lap: int


class LapTimeIndex:
    """Per lap: each car's time on it, each car's best so far, and the race's fastest so far."""

    def __init__(self, timed: Sequence[Mapping[str, float]]) -> None:
        self._timed = timed  # lap -> car -> its time on that lap
        self._best: list[Mapping[str, FastLap]] = []  # lap -> car -> its best up to that lap
        self._fastest: list[tuple[FastLap, ...]] = []  # lap -> the race's fastest up to that lap
        best: dict[str, FastLap] = {}
        top: tuple[FastLap, ...] = ()
        for lap, times in enumerate(timed):
            improved = [FastLap(car, time, lap) for car, time in times.items()
                        if car not in best or time < best[car].time]
            if improved:
                best = {**best, **{fast.car: fast for fast in improved}}
                top = _merge(top, improved)
            self._best.append(best)
            self._fastest.append(top)

    def times(self, lap: int) -> Mapping[str, float]:
        """Each car's time on ``lap`` itself (a car without one is absent)."""
        return self._timed[lap]

    def bests(self, lap: int) -> Mapping[str, FastLap]:
        """Each car's best lap up to ``lap`` (a car without a timed lap yet is absent)."""
        return self._best[lap]

    def fastest(self, lap: int) -> tuple[FastLap, ...]:
        """The race's fastest laps up to ``lap``, one per car, fastest first (at a tie, the earlier)."""
        return self._fastest[lap]


def _merge(top: tuple[FastLap, ...], improved: list[FastLap]) -> tuple[FastLap, ...]:
    """The fastest ``FASTEST_SHOWN`` of ``top`` with the cars of ``improved`` at their new bests.
    A car's best only ever gets faster, so a car outside the top enters it only by a new best."""
    cars = {fast.car for fast in improved}
    merged = [fast for fast in top if fast.car not in cars] + improved
    return tuple(sorted(merged, key=lambda fast: (fast.time, fast.lap, fast.car))[:FASTEST_SHOWN])
