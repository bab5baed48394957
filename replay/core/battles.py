"""Battles: under green, a car within ``BATTLE_SECONDS`` of the car right ahead of it, both timed.

A battle is one pair of cars, the same car ahead, on consecutive green laps; it ends at the first lap
the pair is no longer adjacent within the margin (or the flag is not green). Built lap by lap as far
as asked, from the gaps of those laps only: at lap N a battle's last lap is at most N, and one still
going on is open. Under caution there are no battles (the field is frozen, no gap is shown).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace

BATTLE_SECONDS = 1.0

# The cars at a lap, in order, that have a gap, with each one's interval to the car ahead (None: none)
Pairs = Callable[[int], Sequence[tuple[str, str, float]]]


@dataclass(frozen=True, init=False)
class Battle:
    """``behind`` within ``BATTLE_SECONDS`` of ``ahead`` from lap ``first`` to lap ``last``; ``closest``:
    the smallest interval seen; ``interval``: the interval at ``last``. ``open``: still going on at the
    lap it was read at (so ``last`` is that lap)."""

    ahead: str
    behind: str
    first: int
    last: int
    closest: float
    interval: float
    open: bool = False

    def __init__(self, ahead: str, behind: str, first: int, last: int, closest: float, interval: float,
                 open: bool = False) -> None:
        # The frozen dataclass's own __init__ sets each field through object.__setattr__, twice as slow;
        # a green lap of a big field has a battle for nearly every car. Same fields, in the same order.
        self.__dict__.update(ahead=ahead, behind=behind, first=first, last=last, closest=closest,
                             interval=interval, open=open)

    @property
    def laps(self) -> int:
        return self.last - self.first + 1


class BattleIndex:
    """The battles of a race, lap by lap; ``pairs(lap)`` gives the adjacent timed cars (ahead, behind,
    interval) of a green lap, none of another. ``at`` carries on the battles of the lap before where
    those are known (a step forward), else looks back only as far as the battles of its lap go (a jump
    to the finish costs the battles going on there, not the race's)."""

    def __init__(self, pairs: Pairs) -> None:
        self._pairs = pairs
        self._close: dict[int, dict[tuple[str, str], float]] = {}  # lap -> pairs within the margin
        self._at: dict[int, tuple[Battle, ...]] = {}

    def at(self, lap: int) -> tuple[Battle, ...]:
        """The battles going on at ``lap``, closest first."""
        battles = self._at.get(lap)
        if battles is None:
            battles = self._at[lap] = tuple(sorted(self._going_at(lap).values(), key=lambda battle: battle.interval))
        return battles

    def _going_at(self, lap: int) -> dict[tuple[str, str], Battle]:
        """Each close pair's battle, by pair."""
        before = self._at.get(lap - 1)
        if before is None:
            return {pair: self._going_back(pair, interval, lap) for pair, interval in self._close_at(lap).items()}
        return _carried({(battle.ahead, battle.behind): battle for battle in before}, self._close_at(lap), lap)

    def so_far(self, lap: int) -> tuple[Battle, ...]:
        """Every battle of laps 1..``lap``, by first lap: ended ones, and those going on (``open``)."""
        battles: list[Battle] = []
        going: dict[tuple[str, str], Battle] = {}
        for current in range(1, lap + 1):
            now = _carried(going, self._close_at(current), current)
            battles += [replace(old, open=False) for pair, old in going.items() if pair not in now]
            going = now
        return tuple(sorted([*battles, *going.values()], key=lambda b: (b.first, b.ahead, b.behind)))

    def _close_at(self, lap: int) -> dict[tuple[str, str], float]:
        close = self._close.get(lap)
        if close is None:
            close = self._close[lap] = {(ahead, behind): interval for ahead, behind, interval in self._pairs(lap)
                                        if interval <= BATTLE_SECONDS}
        return close

    def _going_back(self, pair: tuple[str, str], interval: float, lap: int) -> Battle:
        first, closest = lap, interval
        while first > 1 and pair in (earlier := self._close_at(first - 1)):
            first -= 1
            closest = min(closest, earlier[pair])
        return Battle(*pair, first, lap, closest, interval, open=True)


def _carried(before: dict[tuple[str, str], Battle], close: dict[tuple[str, str], float],
             lap: int) -> dict[tuple[str, str], Battle]:
    """The battles of ``lap``'s close pairs: those going on at the lap before (``before``) carried on."""
    going = {}
    for pair, interval in close.items():
        old = before.get(pair)
        first, closest = (old.first, min(old.closest, interval)) if old else (lap, interval)
        going[pair] = Battle(*pair, first, lap, closest, interval, open=True)
    return going


def featured(battles: Sequence[Battle], leader: str | None, followed: frozenset[str]) -> Battle | None:
    """The battle to name: the closest of the one for the lead and those of followed drivers."""
    named = [b for b in battles if b.ahead == leader or b.ahead in followed or b.behind in followed]
    return min(named, key=lambda battle: battle.interval, default=None)


def adjacent_pairs(cars: Sequence[str | None], gaps: dict[str, float], down: Collection[str]) -> list[tuple[str, str, float]]:
    """Cars placed right behind one another, both with a gap and on the lead lap, and the seconds between."""
    timed = [car if car in gaps and car not in down else None for car in cars]
    return [(ahead, behind, gaps[behind] - gaps[ahead]) for ahead, behind in zip(timed, timed[1:], strict=False)
            if ahead is not None and behind is not None]
