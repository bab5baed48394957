"""Race statistics so far: leaders, caution and green laps, laps led under each, pit stops, best
laps and the biggest movers, at any lap.

A ``StatsIndex`` is built once per timeline (``stats_at`` keeps one per timeline) into per-lap
tables, so the statistics at lap 400 cost what those at lap 1 do. Nothing after lap N enters the
statistics at N. A statistic the race's data cannot give is None (unknown), never zero:

- leaders and laps led need the leader of every lap so far (complete races have it);
- caution and green laps need every caution as a flag period (not in ``partial``, no caution known
  only as an event); an estimated period makes them estimated. A caution whose record states its
  own laps (``stated``) counts them once it has ended (see ``_caution_counts``);
- pit stops need a complete race with a pit-stop record: a source whose every event is one car's
  pit stop (a timing feed's pit data). Narrative notes ("#9 pits", "stays out") are not a count;
- best laps need lap times.

At the finish, the totals the race states (leaders, caution laps) replace the counted ones.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from .derived import derived
from .lap_times import FastLap
from .model import FrozenMap, Race
from .positions import CARRIED

if TYPE_CHECKING:
    from .engine import Timeline

CAUTION_FLAGS = frozenset({"yellow", "red"})
CAUTION_PERIODS = frozenset({"caution", "red"})
RECENT_LAPS = 10  # "since N laps ago", one of the laps movers are measured from


@dataclass(frozen=True)
class LapsLed:
    """Laps a car led so far, under green (white and checkered included) and under caution (yellow, red)."""

    green: int
    caution: int

    @property
    def total(self) -> int:
        return self.green + self.caution


@dataclass(frozen=True)
class Reference:
    """A lap movers can be measured from: the start (the grid), the last restart (the order the
    field lined up in: the last caution lap) or ``RECENT_LAPS`` laps ago."""

    kind: Literal["start", "restart", "recent"]
    lap: int


@dataclass(frozen=True)
class Mover:
    """A car placed (reported or estimated, not carried) both at a reference lap and now."""

    car: str
    before: int
    now: int

    @property
    def gained(self) -> int:
        """Places gained (negative: lost)."""
        return self.before - self.now


@dataclass(frozen=True)
class RaceStats:
    """The statistics at ``lap``, of laps 1 to ``lap``; None wherever the data cannot say."""

    lap: int
    leaders: tuple[str, ...] | None  # cars that led, in the order they first led
    known_leaders: tuple[str, ...]  # cars some source puts in the lead so far (all a sparse race gives)
    caution_laps: int | None
    green_laps: int | None
    flag_laps_estimated: bool  # some caution's laps are estimated
    laps_led: Mapping[str, LapsLed] | None  # the cars that led; any other car led none
    pit_stops: Mapping[str, int] | None  # every car
    best_laps: Mapping[str, FastLap] | None  # cars with a timed lap so far (None: the race has no lap times)
    references: tuple[Reference, ...]  # the laps movers can be measured from, earliest first
    leader_count: int | None = None  # how many cars led; at the finish the race's stated total where given

    @property
    def laps_known(self) -> bool:
        return self.caution_laps is not None


class StatsIndex:
    """The statistics of one timeline at every lap, built once; ``at`` and ``movers`` are table reads."""

    def __init__(self, timeline: Timeline) -> None:
        race = timeline.race
        self.final_lap = final = timeline.final_lap
        self._stated = race.info.stated
        self._entries = race.entries
        caution = [False] + [_is_caution(timeline, lap) for lap in range(1, final + 1)]
        self._caution_laps = _caution_counts(race, caution, final)
        self._flags_known, self._flags_estimated = _flag_knowledge(race, final)
        self._leaders, self._known_leaders, self._laps_led = _leader_tables(timeline.positions.leader, caution, final)
        self._pits = _pit_tables(race, final)
        self._bests = _shared(timeline.lap_times.bests, final) if timeline.has_lap_times else None
        self._orders = [timeline.positions.at(lap)[:2] for lap in range(final + 1)]
        self._restarts = _restart_laps(caution)

    def at(self, lap: int) -> RaceStats:
        """The statistics of laps 1 to ``lap`` (0: the grid, nothing run yet)."""
        if not 0 <= lap <= self.final_lap:
            raise ValueError(f"lap {lap} is outside the race (0 to {self.final_lap})")
        known = self._flags_known[lap]
        caution = self._caution_laps[lap]
        leaders = self._leaders[lap]
        count = None if leaders is None else len(leaders)
        if lap == self.final_lap:  # the race's stated totals, where it gives them (a difference is a dispute)
            caution, known = self._stated.get("caution_laps", caution), known or "caution_laps" in self._stated
            count = self._stated.get("leaders", count)
        return RaceStats(
            lap=lap,
            leaders=self._leaders[lap],
            known_leaders=self._known_leaders[lap],
            caution_laps=caution if known else None,
            green_laps=lap - caution if known else None,
            flag_laps_estimated=known and self._flags_estimated[lap],
            laps_led=self._laps_led[lap],
            pit_stops=self._pits[lap] if self._pits else None,
            best_laps=self._bests[lap] if self._bests else None,
            references=self._references(lap),
            leader_count=count,
        )

    def movers(self, lap: int, since: int) -> tuple[Mover, ...]:
        """Cars placed at both ``since`` and ``lap``, most places gained first (a tie by car number)."""
        before = _placed(*self._orders[since])
        now = _placed(*self._orders[lap])
        movers = [Mover(car, before[car], pos) for car, pos in now.items() if car in before]
        return tuple(sorted(movers, key=lambda m: (-m.gained, self._entries[m.car].neutral_key)))

    def _references(self, lap: int) -> tuple[Reference, ...]:
        if lap == 0:
            return ()
        references = [Reference("start", 0)]
        restart = self._restarts[lap]
        if restart:
            references.append(Reference("restart", restart))
        if lap - RECENT_LAPS > 0 and lap - RECENT_LAPS != restart:
            references.append(Reference("recent", lap - RECENT_LAPS))
        return tuple(sorted(references, key=lambda r: r.lap))


def stats_index(timeline: Timeline) -> StatsIndex:
    """The timeline's statistics index, built at the first call and kept while the timeline lives."""
    return derived(timeline, StatsIndex)


def stats_at(timeline: Timeline, lap: int) -> RaceStats:
    """The race's statistics so far at ``lap`` (see the module docstring)."""
    return stats_index(timeline).at(lap)


# -- building -----------------------------------------------------------------------------


def _is_caution(timeline: Timeline, lap: int) -> bool:
    """A lap run under yellow or red. The timeline shows the final lap checkered whatever its flag,
    so there the flag periods say whether the race finished under caution."""
    if timeline.flags[lap] in CAUTION_FLAGS:
        return True
    return lap == timeline.final_lap and any(
        p.flag in CAUTION_PERIODS and p.first <= lap <= p.last for p in timeline.race.flags)


def _running(flags: Sequence[bool]) -> list[int]:
    """For each lap, how many laps up to it are flagged."""
    counts, total = [], 0
    for flagged in flags:
        total += flagged
        counts.append(total)
    return counts


def _caution_counts(race: Race, caution: Sequence[bool], final: int) -> list[int]:
    """For each lap, the caution laps so far. Each lap under caution counts as it is run. A caution
    whose record gives its own laps (``stated``: a weekend feed's segment, which NASCAR's count
    follows) counts those instead from the lap both it and they have ended, never before: inside
    a caution its stated length would tell when it ends (a finished race's last lap ends all)."""
    counts = _running(caution)
    for period in race.flags:
        if period.flag not in CAUTION_PERIODS or period.stated is None:
            continue
        first, last = period.stated
        ended = max(period.last + 1, last)
        if not race.info.in_progress:
            ended = min(ended, final)
        difference = (last - first) - (period.last - period.first)
        for lap in range(ended, final + 1):
            counts[lap] += difference
    return counts


def _flag_knowledge(race: Race, final: int) -> tuple[list[bool], list[bool]]:
    """Per lap: whether the caution laps so far are known, and whether any of them are estimated.
    A complete race's flags are its feed's; a sparse race's are known while every caution so far
    is a flag period; neither where the file calls its cautions partial."""
    unknown_from = 0 if "cautions" in race.info.partial else final + 1  # a lap chart's race, say
    if not race.complete:
        periods = [p for p in race.flags if p.flag == "caution"]
        for event in race.events:
            if event.kind == "caution" and event.lap is not None and event.when == "race":
                first = event.first_lap if event.first_lap is not None else event.lap
                if not any(p.first <= event.lap and first <= p.last for p in periods):
                    unknown_from = min(unknown_from, event.lap)
    estimated_from = min((p.first for p in race.flags if p.flag in CAUTION_PERIODS and p.estimated), default=final + 1)
    laps = range(final + 1)
    return [lap < unknown_from for lap in laps], [lap >= estimated_from for lap in laps]


def _leader_tables(leader_at: Callable[[int], str | None], caution: Sequence[bool], final: int) -> tuple[
        list[tuple[str, ...] | None], list[tuple[str, ...]], list[Mapping[str, LapsLed] | None]]:
    """Per lap: the cars that led in the order they first led and their laps led, green and caution
    (None from the first lap whose leader is unknown), and the cars known to have led."""
    leaders: list[tuple[str, ...] | None] = [()]
    known: list[tuple[str, ...]] = [()]
    led_at: list[Mapping[str, LapsLed] | None] = [FrozenMap()]
    led: dict[str, LapsLed] | None = {}
    for lap in range(1, final + 1):
        car = leader_at(lap)
        known.append(known[-1] + (car,) if car is not None and car not in known[-1] else known[-1])
        if car is None or led is None:
            led = None
        else:
            was = led.get(car, LapsLed(0, 0))
            led = {**led, car: LapsLed(was.green + (not caution[lap]), was.caution + caution[lap])}
        leaders.append(tuple(led) if led is not None else None)
        led_at.append(FrozenMap(led) if led is not None else None)
    return leaders, known, led_at


def pit_sources(race: Race) -> frozenset[str]:
    """Sources that are a pit-stop record: marked so (``pit_record``), or each of their events (at least
    one) is one car's pit stop. Which sources they are is a property of the sources, like their
    titles, shown from the grid."""
    cited: dict[str, bool] = {source.id: True for source in race.sources.values() if source.pit_record}
    for event in race.events:
        stop = event.kind == "pit" and len(event.cars) == 1
        for source in event.sources:
            cited[source] = cited.get(source, True) and stop
    return frozenset(source for source, only_stops in cited.items() if only_stops)


def has_pit_record(race: Race) -> bool:
    """Whether the race's stops are all known (a complete race with a pit-stop record): only then
    is "no stop" a count of 0 rather than unknown. A property of the race's sources: known from the grid."""
    return race.complete and bool(pit_sources(race))


def _pit_tables(race: Race, final: int) -> list[Mapping[str, int]] | None:
    """Pit stops per car at each lap (a stop placed within laps counts once, at its last), or None
    where the race has no complete pit-stop record."""
    if not has_pit_record(race):
        return None
    sources = pit_sources(race)
    by_lap: dict[int, list[str]] = {}
    for event in race.events:
        if event.kind == "pit" and event.when == "race" and event.lap is not None and sources & set(event.sources):
            by_lap.setdefault(event.lap, []).extend(event.cars)
    counts = FrozenMap({car: 0 for car in race.entries})
    tables: list[Mapping[str, int]] = []
    for lap in range(final + 1):
        if lap in by_lap:
            changed = dict(counts)
            for car in by_lap[lap]:
                changed[car] += 1
            counts = FrozenMap(changed)
        tables.append(counts)
    return tables


def _shared(table: Callable[[int], Mapping[str, FastLap]], final: int) -> list[Mapping[str, FastLap]]:
    """``table`` at each lap, frozen; laps that share a table share its frozen copy."""
    frozen: dict[int, FrozenMap[str, FastLap]] = {}
    out: list[Mapping[str, FastLap]] = []
    for lap in range(final + 1):
        mapping = table(lap)
        if id(mapping) not in frozen:
            frozen[id(mapping)] = FrozenMap(mapping)
        out.append(frozen[id(mapping)])
    return out


def _restart_laps(caution: Sequence[bool]) -> list[int | None]:
    """Per lap, the last caution lap before a green lap so far: the order the field restarted in."""
    out: list[int | None] = [None]
    for lap in range(1, len(caution)):
        out.append(lap - 1 if caution[lap - 1] and not caution[lap] else out[-1])
    return out


def _placed(cars: Sequence[str | None], certainty: Sequence[str]) -> dict[str, int]:
    """Car -> position, for positions reported or estimated at that lap (a carried one is stale)."""
    return {car: index + 1 for index, car in enumerate(cars) if car is not None and certainty[index] != CARRIED}
