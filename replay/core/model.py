"""The race as written in a timeline file, after validation. Immutable, UI-free."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NoReturn, TypeVar

Certainty = Literal["reported", "carried", "estimated"]
When = Literal["pre-race", "race", "post-race"]

FLAG_KINDS = ("caution", "red", "white")
EVENT_KINDS = (
    "caution", "restart", "crash", "spin", "contact", "mechanical", "pit", "penalty",
    "lead_change", "pass", "retirement", "stage_end", "fastest_lap", "disqualification",
    "qualifying", "standings", "note",
)
# What a pit stop's crew did: both sides' tires, one side's, two tires of a side no source names,
# fuel only, or something else (what a feed calls OTHER).
PIT_SERVICES = ("four_tires", "right_side_tires", "left_side_tires", "two_tires", "fuel_only", "other")
RESULT_STATUSES = (
    "running", "accident", "engine", "mechanical", "transmission", "fuel", "electrical",
    "suspension", "brakes", "tires", "overheating", "retired", "parked", "dnf", "dns",
    "disqualified", "unknown",
)


K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(dict[K, V]):
    """A dict that refuses changes. A race and every state drawn from it are shared by all
    widgets and laps, so a mapping in them must not be changed by one of its readers.
    (Unlike ``MappingProxyType`` it pickles: the viewer's preloading child hands the race over so.)"""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("race data is immutable")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _refuse

    def __reduce__(self) -> tuple[type[FrozenMap[K, V]], tuple[dict[K, V]]]:
        return (type(self), (dict(self),))

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))


def frozen_map(mapping: Mapping[K, Any] | None) -> FrozenMap[K, Any]:
    """``mapping`` as a FrozenMap, its mapping values frozen too."""
    return mapping if isinstance(mapping, FrozenMap) else FrozenMap(
        {key: frozen_map(value) if isinstance(value, Mapping) else value for key, value in (mapping or {}).items()})


def _freeze(instance: object, *names: str) -> None:
    for name in names:
        object.__setattr__(instance, name, frozen_map(getattr(instance, name)))


@dataclass(frozen=True)
class Source:
    """Where facts come from. A news article's title (and its file name or address) is written
    after the race and may name the winner: it is shown only at the finish, unless the race
    file marks it ``spoiler_free``."""

    id: str
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    date: str | None = None
    file: str | None = None
    url: str | None = None
    spoiler_free: bool = False
    pit_record: bool = False  # a complete record of the race's pit stops (0 stops so far is a count)


@dataclass(frozen=True)
class Entry:
    """One car in the race. ``key`` is how the file refers to it: its number, or the
    driver's name where no source gives the number."""

    key: str
    number: str | None
    driver: str
    team: str | None = None
    make: str | None = None
    rookie: bool = False
    points_eligible: bool | None = None
    notes: str | None = None
    known_from: int | None = None  # the lap from which the car is known to be in the race (None: core/known.py)

    @property
    def team_and_make(self) -> str:
        """``TRICON Garage Toyota``, or what of it is known."""
        return " ".join(x for x in (self.team, self.make) if x)

    @property
    def label(self) -> str:
        """``#07 Kyle Larson``, or the driver alone where no source gives the number."""
        return f"#{self.number} {self.driver}" if self.number else self.driver

    @property
    def neutral_key(self) -> tuple[bool, int, str, str]:
        """Sorts by car number (``07`` and ``7`` together, before ``17``), then driver: an order that
        says nothing about the race. A race file's own order of entries often is the finish."""
        number = self.number or ""
        return (not number, int(number) if number.isdigit() else 10**6, number, self.driver)


@dataclass(frozen=True)
class Order:
    """A running order reported at one lap: position i+1 holds ``cars[i]`` (None = unknown)."""

    lap: int
    cars: tuple[str | None, ...]
    estimated: Mapping[str, str] = field(default_factory=FrozenMap)  # car key -> why
    sources: tuple[str, ...] = ()
    lap_times: tuple[float | None, ...] | None = None
    laps_down: tuple[int | None, ...] | None = None  # each car's laps behind the leader at this lap
    race_times: tuple[float | None, ...] | None = None  # each car's lap times summed, to its latest lap

    def __post_init__(self) -> None:
        _freeze(self, "estimated")


@dataclass(frozen=True)
class LeaderSpan:
    car: str
    first: int
    last: int
    estimated: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class FlagPeriod:
    flag: str  # "caution", "red" or "white"
    first: int
    last: int
    reason: str | None = None
    estimated: str | None = None
    sources: tuple[str, ...] = ()
    code: int | None = None  # the raw flag code of a timing feed, kept beside the label
    # the race record's own laps of this caution (first, last) where they differ from the flags
    # shown (a weekend feed's caution segment): its length counts once both have ended
    stated: tuple[int, int] | None = None
    stated_sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class PitStop:
    """One car's stop as a pit-stop record gives it (a timing feed's pit data); None: not given."""

    service: str | None = None  # one of PIT_SERVICES
    stopped_s: float | None = None  # seconds stopped in the pit box
    road_s: float | None = None  # seconds on pit road, from its entry to its exit
    in_pos: int | None = None  # the car's position as it came in
    out_pos: int | None = None  # and as it went out
    under_caution: bool | None = None  # the car came in under caution
    out_lap: int | None = None  # the lap from which out_pos, road_s and stopped_s are known (None: the stop's)

    @property
    def gained(self) -> int | None:
        """Places gained on pit road (negative: lost)."""
        return None if self.in_pos is None or self.out_pos is None else self.in_pos - self.out_pos


@dataclass(frozen=True)
class Event:
    lap: int | None  # None: post-race; for a window, its last lap (when the event is revealed)
    kind: str
    cars: tuple[str, ...]
    text: str
    sources: tuple[str, ...] = ()
    when: When = "race"
    estimated: str | None = None
    first_lap: int | None = None  # set when the source only places the event within laps first..lap
    time: float | None = None  # e.g. a fastest lap, in seconds
    speed_mph: float | None = None
    pit: PitStop | None = None  # a pit event's stop, where a pit-stop record gives it
    ends_race: tuple[str, ...] = ()  # cars whose race this event ends, known from its lap (core/known.py)

    @property
    def lap_label(self) -> str:
        """``L91``, ``L61–134`` for a window, ``pre``/``post``; ``~`` marks an estimated lap."""
        if self.lap is None:
            label = "post"
        elif self.when == "pre-race":
            label = "pre"
        else:
            label = f"L{self.first_lap}–{self.lap}" if self.first_lap is not None else f"L{self.lap}"
        return ("~" if self.estimated else "") + label


@dataclass(frozen=True)
class Quote:
    speaker: str
    text: str
    source: str
    when: When
    lap: int | None = None
    car: str | None = None
    context: str | None = None


@dataclass(frozen=True)
class StagePlace:
    pos: int
    car: str
    points: int | None = None


@dataclass(frozen=True)
class StageResult:
    stage: int
    places: tuple[StagePlace, ...]
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResultRow:
    """A finishing place as taken at the line (before any post-race change); a car that did
    not start has no place."""

    pos: int | None
    car: str
    laps: int | None = None
    status: str | None = None
    laps_led: int | None = None
    points: int | None = None
    note: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Standing:
    pos: int | None
    car: str
    points: int | None = None
    behind: int | None = None
    note: str | None = None
    sources: tuple[str, ...] = ()
    playoff: str | None = None  # "advanced", "eliminated", "clinched", "locked_in"
    cutoff: int | None = None  # points above (+) or below (-) the playoff cut line


@dataclass(frozen=True)
class DisputeVersion:
    says: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Dispute:
    topic: str
    versions: tuple[DisputeVersion, ...]
    used: int  # 1-based index into versions
    why: str
    settles: tuple[str, ...] = ()  # audit checks this dispute explains, e.g. "laps_led 21"


@dataclass(frozen=True)
class RaceInfo:
    series: str
    name: str
    track: str
    date: str | None
    laps: int
    stage_ends: tuple[int | None, ...]  # None: a stage whose end lap no source gives
    track_length_miles: float | None = None
    track_type: str | None = None
    actual_laps: int | None = None
    purse: int | None = None
    margin_of_victory: float | None = None
    next_race: str | None = None
    notes: tuple[str, ...] = ()
    estimated: Mapping[str, str] = field(default_factory=FrozenMap)  # race field -> why it is estimated
    partial: tuple[str, ...] = ()  # counts known to be incomplete: "cautions", "lead_changes"
    in_progress: bool = False  # still running when written: its last lap is not the finish
    # totals the race's record states (lead_changes, leaders, cautions, caution_laps): shown at the
    # finish in place of the replay's own counts
    stated: Mapping[str, int] = field(default_factory=FrozenMap)

    def __post_init__(self) -> None:
        _freeze(self, "estimated", "stated")

    @property
    def final_lap(self) -> int:
        return self.actual_laps if self.actual_laps is not None else self.laps

    @property
    def date_label(self) -> str:
        if not self.date:
            return "date unknown"
        return self.date + (" (est.)" if "date" in self.estimated else "")


@dataclass(frozen=True)
class Race:
    info: RaceInfo
    sources: Mapping[str, Source]
    entries: Mapping[str, Entry]  # by key, in file order
    orders: tuple[Order, ...]  # ascending lap
    leaders: tuple[LeaderSpan, ...]
    flags: tuple[FlagPeriod, ...]
    events: tuple[Event, ...]
    quotes: tuple[Quote, ...]
    stage_results: Mapping[int, StageResult]
    results: tuple[ResultRow, ...]
    standings: tuple[Standing, ...]
    disputes: tuple[Dispute, ...]
    loop_data: Mapping[str, Mapping[str, float]] = field(default_factory=FrozenMap)  # car -> whole-race statistics
    path: str = ""

    def __post_init__(self) -> None:
        _freeze(self, "sources", "entries", "stage_results", "loop_data")

    @property
    def complete(self) -> bool:
        """A running order at every lap, as imported from timing feeds."""
        return len(self.orders) == self.info.final_lap + 1
