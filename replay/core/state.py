"""What the race looked like at one lap: immutable values the engine computes and widgets render."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from .battles import Battle
from .labels import lap_label, status_detail
from .model import Certainty, Entry, Event, FrozenMap, Quote, RaceInfo, Standing
from .status import CarStatus

Flag = str  # "green" | "yellow" | "red" | "white" | "checkered"


class _StatusWords:
    """A car's status in the words the exports write (``status``: its kind; ``detail``: why a car is
    out, ``last lap 97`` for a car the timing data has lost), made by core/labels.py from ``car_status``."""

    car_status: CarStatus

    @property
    def status(self) -> str:
        return self.car_status.kind.value

    @property
    def detail(self) -> str | None:
        return status_detail(self.car_status)


@dataclass(frozen=True, init=False)
class Row(_StatusWords):
    """One leaderboard line. ``as_of`` is the lap the position was last reported."""

    pos: int
    entry: Entry
    certainty: Certainty
    as_of: int
    car_status: CarStatus
    laps_led: int | None = None
    change: int | None = None  # positions gained since the previous lap (negative: lost)
    lap_time: float | None = None  # the car's time on this lap
    best_lap: float | None = None  # its best lap time so far
    gap: float | None = None  # seconds behind the leader
    interval: float | None = None  # seconds behind the car ahead
    laps_down: int | None = None  # complete races: laps behind the leader (last seen that many laps ago)
    gap_estimated: bool = False  # the gap or interval rests on an estimated start offset (core/gap_estimates.py)

    def __init__(self, pos: int, entry: Entry, certainty: Certainty, as_of: int, car_status: CarStatus,
                 laps_led: int | None = None, change: int | None = None, lap_time: float | None = None,
                 best_lap: float | None = None, gap: float | None = None, interval: float | None = None,
                 laps_down: int | None = None, gap_estimated: bool = False) -> None:
        # The dataclass's own __init__ of a frozen class sets each field through object.__setattr__:
        # twice as slow, and a 200-car board makes 200 rows a lap. Same fields, in the same order.
        self.__dict__.update(pos=pos, entry=entry, certainty=certainty, as_of=as_of, car_status=car_status,
                             laps_led=laps_led, change=change, lap_time=lap_time, best_lap=best_lap, gap=gap,
                             interval=interval, laps_down=laps_down, gap_estimated=gap_estimated)


@dataclass(frozen=True)
class Unplaced(_StatusWords):
    """A car in the race whose position at this lap no source gives."""

    entry: Entry
    car_status: CarStatus
    best_lap: float | None = None  # its best lap time so far


@dataclass(frozen=True)
class FastestLap:
    """One of the race's fastest laps so far: a car's best lap, and the lap it was set on."""

    entry: Entry
    time: float
    lap: int


@dataclass(frozen=True)
class StagePlaceState:
    pos: int
    entry: Entry
    points: int | None


@dataclass(frozen=True)
class StageState:
    stage: int
    lap: int | None  # None: the stage's end lap is not reported
    winner: Entry | None
    places: tuple[StagePlaceState, ...]


@dataclass(frozen=True)
class OfficialRow:
    """A place in the official result, after post-race changes such as disqualifications."""

    pos: int | None  # None: disqualified
    entry: Entry
    line_pos: int  # where the car crossed the line
    status: str | None
    laps: int | None
    laps_led: int | None
    points: int | None


@dataclass(frozen=True)
class RaceState:
    """Everything known at ``lap`` and nothing after it."""

    info: RaceInfo
    entries: Mapping[str, Entry]  # every car known to be in the race by this lap, by the key events and quotes use
    lap: int
    flag: Flag
    flag_reason: str | None
    flag_estimated: str | None
    stage: int | None  # None: unknown (a stage end before this lap is not reported)
    leaderboard: tuple[Row, ...]
    unplaced: tuple[Unplaced, ...]
    stage_results: tuple[StageState, ...]
    events: tuple[Event, ...]  # oldest first
    quotes: tuple[Quote, ...]  # revealed so far, oldest first
    cautions: int
    lead_changes: int
    fastest_laps: tuple[FastestLap, ...] = ()  # the race's fastest laps so far, one per car, fastest first
    battles: tuple[Battle, ...] = ()  # going on at this lap, closest first (core/battles.py)
    official: tuple[OfficialRow, ...] = ()  # only at the finish
    standings: tuple[Standing, ...] = ()  # only at the finish
    loop_data: Mapping[str, Mapping[str, float]] = field(default_factory=FrozenMap)  # only at the finish
    other_entrants: int = 0  # cars in the race no fact known by this lap names yet (core/known.py)
    flags_so_far: tuple[Flag, ...] = ()  # the flag of every lap from the grid to this one, by lap
    new_quotes: int = 0  # the last this many of ``quotes`` are revealed at this very lap

    @property
    def previous_flag(self) -> Flag | None:
        """The flag at the lap before (None at the grid): banners announce changes."""
        return self.flags_so_far[-2] if len(self.flags_so_far) > 1 else None

    @cached_property  # a frozen state's events never change; the scrubber asks at every step
    def incident_laps(self) -> tuple[int, ...]:
        """The laps of the events known so far (stage ends aside: they have ticks of their own), in order."""
        return tuple(sorted({e.lap for e in self.events if e.lap is not None and e.kind != "stage_end"}))

    @property
    def finished(self) -> bool:
        """At the checkered flag: the last lap of a race that has finished (not one still running)."""
        return self.lap == self.info.final_lap and not self.info.in_progress

    @property
    def overtime(self) -> bool:
        """Past the scheduled distance: known only once the race gets there."""
        return self.lap > self.info.laps

    @property
    def span(self) -> int:
        """The race's length as known at this lap: the schedule, or in overtime the laps so far
        (the final length of a race that went long is known only at its finish)."""
        return max(self.info.laps, self.lap)

    @property
    def laps_to_go(self) -> int | None:
        """Laps to the scheduled distance; in overtime None (unknown) until the checkered flag."""
        if self.finished:
            return 0
        return None if self.overtime else self.info.laps - self.lap

    @property
    def stage_ends(self) -> tuple[int | None, ...]:
        """The stage ends known at this lap: those within the schedule, and in overtime those reached.
        Ends the race file only estimates (from what was said when a stage ended) are unknown until
        reached; the last, the scheduled distance, is known."""
        estimated = "stage_ends" in self.info.estimated
        ends = self.info.stage_ends
        return tuple(None if estimated and end is not None and end > self.lap and i < len(ends) - 1 else end
                     for i, end in enumerate(ends) if end is None or end <= self.span)

    @property
    def estimates(self) -> Mapping[str, str]:
        """The race's estimated fields and why, as known at this lap. A reason written for the whole
        race can name what is not known yet (estimated stage ends' laps, a final length past the
        schedule), so until the race gets there an estimate says only that it is one."""
        shown = dict(self.info.estimated)
        ends = self.info.stage_ends[:-1]
        if "stage_ends" in shown and not self.finished and any(end is None or end > self.lap for end in ends):
            shown["stage_ends"] = "Estimated; each stage end is given when the race gets there."
        if "actual_laps" in shown and not self.finished:
            if self.overtime:
                shown["actual_laps"] = "Estimated; the race's length is given at the finish."
            else:
                del shown["actual_laps"]  # that the race goes long is news
        return FrozenMap(shown)

    @property
    def leader(self) -> Row | None:
        """The car placed first at this lap, if any source places one."""
        first = self.leaderboard[0] if self.leaderboard else None
        return first if first is not None and first.pos == 1 else None

    def count_label(self, name: str) -> str:
        """``cautions`` or ``lead_changes`` so far; ``4+`` where the race file says the count is partial."""
        stated = self.lap == self.info.final_lap and name in self.info.stated  # the race's own total, whole
        return f"{getattr(self, name)}" + ("+" if name in self.info.partial and self.lap and not stated else "")

    @property
    def stage_label(self) -> str:
        """``2/3``, or ``?/3`` when an unreported stage end makes the stage unknown."""
        stages = max(1, len(self.info.stage_ends))
        return f"{'?' if self.stage is None else self.stage}/{stages}"

    @property
    def lap_label(self) -> str:
        """``Lap 91 / 134``, ``Lap 136 / 134 · overtime`` … (core/labels.py)."""
        return lap_label(self)

    @property
    def length_estimated(self) -> bool:
        """The race's length as shown at this lap is estimated (the scheduled one, or in overtime the
        length run): the header and the results mark it so."""
        return "laps" in self.info.estimated or (self.overtime and "actual_laps" in self.info.estimated)
