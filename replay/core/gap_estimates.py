"""A gap to the leader for every timed car on the lead lap, from each car's estimated start offset.

A car's lap times sum to its race time from its *own* first crossing of the line, not from the
green flag: a car starting tenth crosses the line seconds after the pole sitter, so summed lap
times put it closer to the leader than it was, often ahead of cars it ran behind. One constant per
car fixes that: its start offset ``o``, the time from the first car's crossing at the start to its
own. Car c then completes lap N at ``o[c] + S[c](N)``, S the sum of its lap times.

The running order says who crossed first: at a green lap N, a car reported ahead of another
completed the lap before it, so ``o[b] - o[a] >= S[a](N) - S[b](N)`` for consecutive cars a, b.
These are difference constraints; the least offsets (all >= 0) that satisfy every constraint of
laps 1..N are unique (a longest-path problem, solved by relaxation) and never use a lap after N.
As laps add constraints the least offsets only grow, so a gap moves only when a lap shows it must.
Gaps drawn from them never put a car behind closer to the leader than a car ahead (ties allowed).
A lap whose constraints contradict those before it (timing and scoring disagree) keeps what it
can: each of its constraints that would make the system infeasible is left out, and a gap that
would still contradict the order is left unknown. Under caution the order is frozen by the rules,
not by the line, so caution laps add no constraint (and the board shows no gap there).

Offsets fitted on few laps are rough: early on they move by up to a few seconds as laps add
constraints. A car's gap is *estimated* where its offset differs from the leader's (the summed
lap times alone would put it elsewhere), and measured where they are equal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

EPSILON = 1e-9

# (cars by position, None = unknown; whether each position was reported at this lap)
OrderAt = Callable[[int], tuple[Sequence[str | None], Sequence[bool]]]


@dataclass(frozen=True)
class LapGaps:
    """Seconds behind the leader and behind the car ahead at one lap; ``estimated``: the cars
    whose gap or interval rests on an estimated start offset."""

    gap: dict[str, float]
    interval: dict[str, float]
    estimated: frozenset[str]


NO_GAPS = LapGaps({}, {}, frozenset())


class InfeasibleError(Exception):
    """The constraints so far admit no offsets: a positive cycle."""


class GapEstimates:
    """Start offsets and gaps, lap by lap, computed only as far as asked (nothing on the first
    frame of a race opened at the grid); every lap's offsets are kept, so going back is a lookup."""

    def __init__(self, final_lap: int, order_at: OrderAt, green: Sequence[bool],
                 race_times: Callable[[int], dict[str, float]]) -> None:
        self.final_lap = final_lap
        self._order_at = order_at
        # each lead-lap car's race time at a lap: its own laps summed to its latest crossing
        # (``Positions.lead_lap_times``)
        self._race_times = race_times
        self._green = green
        self._offsets: list[dict[str, float]] = [{}]  # at each lap computed so far
        self._totals: list[dict[str, float]] = [{}]  # the race times at each lap computed so far
        self._edges: dict[str, dict[str, float]] = {}  # a -> b -> seconds b crossed at least after a
        self._offset: dict[str, float] = {}
        self._dropped = 0  # constraints left out as contradicting earlier laps
        self._cache: dict[int, LapGaps] = {}

    @property
    def dropped(self) -> int:
        """Constraints left out so far (as computed): a measure of timing and scoring disagreeing."""
        return self._dropped

    def offsets(self, lap: int) -> dict[str, float]:
        """Each timed car's start offset as known at ``lap``."""
        self._extend(lap)
        return self._offsets[lap]

    def at(self, lap: int) -> LapGaps:
        """Gaps at ``lap`` for the cars reported in the order with a lap time at every lap so far."""
        cached = self._cache.get(lap)
        if cached is None:
            self._extend(lap)
            cached = self._cache[lap] = self._gaps(lap) if lap and self._green[lap] else NO_GAPS
        return cached

    # -- building, lap by lap --------------------------------------------------------------

    def _extend(self, lap: int) -> None:
        while len(self._offsets) <= lap:
            self._add_lap(len(self._offsets))

    def _add_lap(self, lap: int) -> None:
        totals = self._race_times(lap)
        self._totals.append(totals)
        if self._green[lap]:
            for a, b in _consecutive(self._timed_order(lap, totals)):
                self._constrain(a, b, totals[a] - totals[b])
        self._offsets.append(dict(self._offset))

    def _timed_order(self, lap: int, totals: dict[str, float]) -> list[str]:
        cars, reported = self._order_at(lap)
        return [car for car, fresh in zip(cars, reported, strict=True) if car is not None and fresh and car in totals]

    def _constrain(self, a: str, b: str, seconds: float) -> None:
        """``o[b] >= o[a] + seconds``; left out if it contradicts the constraints before it."""
        out = self._edges.setdefault(a, {})
        if out.get(b, float("-inf")) >= seconds:
            return
        saved_weight = out.get(b)
        out[b] = seconds
        offset = self._offset
        saved = {car: offset.get(car) for car in (a, b)}  # the offsets as they were, None: none yet
        offset.setdefault(a, 0.0)
        offset.setdefault(b, 0.0)
        try:
            self._relax(a, b, saved)
        except InfeasibleError:
            for car, was in saved.items():  # new cars last, as they were added: the order comes back too
                if was is None:
                    offset.pop(car, None)
                else:
                    offset[car] = was
            if saved_weight is None:
                del out[b]
            else:
                out[b] = saved_weight
            self._dropped += 1

    def _relax(self, a: str, b: str, saved: dict[str, float | None]) -> None:
        """Raise offsets until every constraint holds (longest paths from ``a`` after its constraint on
        ``b`` changed; every other held before, so only that one can fail at first). ``saved`` gets the
        offset of each car raised before its first raise."""
        offset, edges = self._offset, self._edges
        limit = len(offset) + 1
        raised: dict[str, int] = {}
        work = []
        if offset[a] + edges[a][b] > offset[b] + EPSILON:
            offset[b] = offset[a] + edges[a][b]
            raised[b] = 1
            work.append(b)
        while work:
            a = work.pop()
            for b, seconds in edges.get(a, {}).items():
                if offset[a] + seconds > offset.get(b, 0.0) + EPSILON:
                    if b not in saved:
                        saved[b] = offset.get(b)
                    offset[b] = offset[a] + seconds
                    raised[b] = raised.get(b, 0) + 1
                    if raised[b] > limit:
                        raise InfeasibleError
                    work.append(b)

    # -- reading ---------------------------------------------------------------------------

    def _gaps(self, lap: int) -> LapGaps:
        totals, offsets = self._totals[lap], self._offsets[lap]
        cars, _ = self._order_at(lap)
        if not cars or cars[0] is None or cars[0] not in totals:
            return NO_GAPS
        leader = cars[0]
        start = offsets.get(leader, 0.0)
        finish = start + totals[leader]
        gap: dict[str, float] = {}
        interval: dict[str, float] = {}
        estimated: set[str] = set()
        behind, previous, previous_offset = 0.0, None, 0.0  # the last car with a gap: its gap, key, offset
        for car in cars:
            if car is None or (total := totals.get(car)) is None:
                previous = None
                continue
            offset = offsets.get(car, 0.0)
            seconds = offset + total - finish
            if seconds < behind - 1e-6:  # would contradict the order: unknown
                previous = None
                continue
            if behind > seconds:
                seconds = behind
            gap[car] = seconds
            if abs(offset - start) > EPSILON:
                estimated.add(car)
            if previous is not None:
                interval[car] = seconds - behind
                if abs(offset - previous_offset) > EPSILON:
                    estimated.add(car)
            behind, previous, previous_offset = seconds, car, offset
        return LapGaps(gap, interval, frozenset(estimated))


def _consecutive(cars: list[str]) -> zip[tuple[str, str]]:
    return zip(cars, cars[1:], strict=False)
