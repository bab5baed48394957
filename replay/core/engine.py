"""The lap-state engine: index a race once, then answer "what did it look like at lap N".

Every per-lap fact is precomputed into arrays indexed by lap, so ``state_at(400)``
costs the same as ``state_at(1)``. Nothing from after lap N enters ``state_at(N)``:
core/known.py says from which lap each fact is known (an event, a car's race ending, an
entry), and the finishing order, stated laps-led totals, post-race events and quotes, the
official result and the standings are only read when N is the final lap.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from .battles import BattleIndex, adjacent_pairs
from .gap_estimates import NO_GAPS, GapEstimates
from .indexes import caution_laps, incidents, running_count, sourced_orders, stage_ends
from .known import entries_by_lap, entries_known_from, event_known_from
from .lap_times import LapTimeIndex
from .model import Entry, Event, FlagPeriod, FrozenMap, Quote, Race
from .pits import EventsAsKnown
from .positions import PositionIndex
from .retirements import out_at_finish, out_before_finish
from .state import FastestLap, OfficialRow, RaceState, Row, StagePlaceState, StageState, Unplaced
from .status import PIT, RUNNING, UNKNOWN, CarStatus, StatusKind

TIMED_FLAGS = frozenset({"green", "white", "checkered"})  # under caution, lap times say nothing of the order
FLAG_OF_PERIOD = {"caution": "yellow", "red": "red", "white": "white"}
# A flag period's estimate is written for the whole period and often tells how it ends ("the green came
# back with two laps left"): while it flies, only that its laps are estimated is known.
FLAG_ESTIMATED = "The laps of this flag are estimated from the sources."

# Cars whose latest lap time is the current one: a car out, or no longer placed by the timing data,
# last timed laps ago, and its time then is not "Last" on this lap (a new user's trial: Karam, seen
# at lap 43, showed a lap time at 163)
LAPPING = frozenset({StatusKind.RUNNING, StatusKind.PIT})


class Timeline:
    """A race indexed by lap. Build once per race; ``state_at`` is cheap."""

    def __init__(self, race: Race) -> None:
        self.race = race
        self.final_lap = race.info.final_lap
        self.in_progress = race.info.in_progress
        self._finish = None if self.in_progress else self.final_lap  # a race still running has none
        self._complete = race.complete
        self.positions = PositionIndex(race.info.final_lap, sourced_orders(race), race.leaders, incidents(race))
        self.lap_times = LapTimeIndex(self.positions.timed())
        self._fastest = self._fastest_laps()
        self._stage_ends = stage_ends(race)
        self._flags, self._flag_periods = self._index_flags()
        self.gap_estimates = GapEstimates(self.final_lap, self._reported_order, [flag in TIMED_FLAGS for flag in self._flags],
                                          self.positions.lead_lap_times)
        self.battles = BattleIndex(self._battle_pairs)
        self._cautions = running_count(self.final_lap, caution_laps(race))
        self._out_at_finish = out_at_finish(race, self.final_lap)
        self._out_status = {car: (since, CarStatus(StatusKind.OUT, why, since=since))  # from that lap on
                            for car, (since, why) in out_before_finish(race).items()}
        self._entry_known = entries_known_from(race)
        self._result_laps = {row.car: row.laps for row in race.results if row.laps is not None}
        self._result_statuses = {row.car for row in race.results if row.status is not None}
        self._disqualified = {car for e in race.events
                              if e.when == "post-race" and e.kind == "disqualification" for car in e.cars}
        self._pits = self._pit_laps()
        self._stage_states_made: dict[int, StageState] = {}  # stage -> its state once over
        self._events = self._timeline_events()
        self._event_laps = [event_known_from(e, self.final_lap) for e in self._events]
        self._as_known = EventsAsKnown(self._events, self._event_laps, self._flags)
        self._lead_changes = self._count_lead_changes()
        self._quotes = sorted((q for q in race.quotes if q.when != "post-race"), key=lambda q: q.lap or 0)
        self._quote_laps = [q.lap or 0 for q in self._quotes]
        self._by_number = sorted(race.entries.items(), key=lambda item: item[1].neutral_key)
        self._entries_at = entries_by_lap(race, self._entry_known)

    # -- public -------------------------------------------------------------------------

    def state_at(self, lap: int) -> RaceState:
        """The race as it stood when the leader completed ``lap`` (0 is the grid)."""
        if not 0 <= lap <= self.final_lap:
            raise ValueError(f"lap {lap} is outside the race (0 to {self.final_lap})")
        finished = lap == self._finish
        period = self._flag_periods[lap]
        quotes, new_quotes = self._quotes_at(lap, finished)
        statuses = self._statuses(lap)
        return RaceState(
            info=self.race.info,
            entries=self._entries_at[lap],
            other_entrants=len(self.race.entries) - len(self._entries_at[lap]),
            lap=lap,
            flag=self._flags[lap],
            flags_so_far=tuple(self._flags[: lap + 1]),
            flag_reason=period.reason if period else None,
            flag_estimated=FLAG_ESTIMATED if period and period.estimated else None,
            stage=self.stage_at(lap),
            leaderboard=self._leaderboard(lap, finished, statuses),
            unplaced=self._unplaced(lap, statuses),
            stage_results=self._stage_states(lap),
            events=self._events_at(lap, finished),
            quotes=quotes,
            new_quotes=new_quotes,
            fastest_laps=self._fastest[lap],
            battles=self.battles.at(lap),
            cautions=self._stated("cautions", self._cautions, lap, finished),
            lead_changes=self._stated("lead_changes", self._lead_changes, lap, finished),
            official=self._official() if finished else (),
            standings=self.race.standings if finished else (),
            loop_data=self.race.loop_data if finished else FrozenMap(),
        )

    def _stated(self, name: str, counted: list[int], lap: int, finished: bool) -> int:
        """The count so far; at the finish the race's stated total where it gives one (a difference
        is one of its disputes)."""
        stated = self.race.info.stated.get(name)
        return stated if finished and stated is not None else counted[lap]

    def stage_at(self, lap: int) -> int | None:
        """The stage being run at ``lap`` (a stage-end lap still belongs to the stage it ends);
        None when an unreported stage end makes it unknowable."""
        if lap <= 1 or not self._stage_ends:
            return 1  # whatever the stage lengths, the first lap is in the first stage
        if lap == self._finish:
            return len(self._stage_ends)  # and the last lap in the last
        for stage, end in enumerate(self._stage_ends, start=1):
            if end is None:
                return None
            if lap <= end:
                return stage
        return len(self._stage_ends)

    def entries_at(self, lap: int) -> FrozenMap[str, Entry]:
        """The cars known to be in the race by ``lap`` (core/known.py): ``state_at(lap).entries``."""
        return self._entries_at[lap]

    @property
    def stage_ends(self) -> tuple[int | None, ...]:
        """Each stage's end lap, None where unreported."""
        return self._stage_ends

    @property
    def flags(self) -> tuple[str, ...]:
        """The flag at every lap, indexed by lap."""
        return tuple(self._flags)

    @property
    def has_lap_times(self) -> bool:
        return any(order.lap_times for order in self.race.orders)

    def next_event_lap(self, lap: int) -> int | None:
        """The first lap after ``lap`` with an event (stage ends included)."""
        index = bisect_right(self._event_laps, lap)
        return self._event_laps[index] if index < len(self._event_laps) else None

    def previous_event_lap(self, lap: int) -> int | None:
        index = bisect_left(self._event_laps, lap)
        return self._event_laps[index - 1] if index > 0 else None

    def next_stage_end(self, lap: int) -> int | None:
        """None where the ends are only estimated: jumping there would tell the lap before it came."""
        if "stage_ends" in self.race.info.estimated:
            return None
        return next((end for end in self._stage_ends if end is not None and end > lap), None)

    def previous_stage_end(self, lap: int) -> int | None:
        return next((end for end in reversed(self._stage_ends) if end is not None and end < lap), None)

    def all_events(self) -> tuple[Event, ...]:
        """Every in-race event in lap order (stage ends included), for navigation only:
        showing their text before their lap would spoil the race."""
        return tuple(self._events)

    # -- leaderboard --------------------------------------------------------------------

    def _leaderboard(self, lap: int, finished: bool, statuses: dict[str, CarStatus]) -> tuple[Row, ...]:
        cars, certainty, as_of = self.positions.at(lap)
        led, led_default = self._laps_led(lap, finished)
        changes = self.positions.changes(lap)
        timed = self._flags[lap] in TIMED_FLAGS  # under caution: the order, no gaps
        down = self.positions.lapped(lap)
        estimates = self.gap_estimates.at(lap) if timed else NO_GAPS
        gaps, intervals, estimated = estimates.gap, estimates.interval, estimates.estimated
        times, bests = self.lap_times.times(lap), self.lap_times.bests(lap)
        entries = self.race.entries
        rows = []
        for index, key in enumerate(cars):
            if key is None:
                continue
            status = self._finish_status(key, statuses) if finished else statuses.get(key, RUNNING)
            best = bests.get(key)
            lapped = key in down
            rows.append(Row(
                pos=index + 1, entry=entries[key], certainty=certainty[index], as_of=as_of[index],
                car_status=status, laps_led=led.get(key, led_default),
                change=changes.get(key), lap_time=times.get(key) if status.kind in LAPPING else None,
                best_lap=best.time if best is not None else None,
                gap=None if lapped else gaps.get(key),
                interval=None if lapped else intervals.get(key),
                gap_estimated=key in estimated,
                laps_down=self._laps_down(key, lap, finished, down, as_of[index]),
            ))
        return tuple(rows)

    def _reported_order(self, lap: int) -> tuple[tuple[str | None, ...], list[bool]]:
        cars, certainty, _ = self.positions.at(lap)
        return cars, [c == "reported" for c in certainty]

    def _battle_pairs(self, lap: int) -> list[tuple[str, str, float]]:
        """Cars placed next to each other at a green ``lap``, on the lead lap, with their gaps (for battles)."""
        if self._flags[lap] not in TIMED_FLAGS or not lap:
            return []
        return adjacent_pairs(self.positions.at(lap)[0], self.gap_estimates.at(lap).gap, self.positions.lapped(lap))

    def _fastest_laps(self) -> list[tuple[FastestLap, ...]]:
        """The race's fastest laps so far at each lap, with their entries (laps that change nothing share)."""
        made: dict[int, tuple[FastestLap, ...]] = {}
        out = []
        for lap in range(self.final_lap + 1):
            laps = self.lap_times.fastest(lap)
            if id(laps) not in made:
                made[id(laps)] = tuple(FastestLap(self.race.entries[f.car], f.time, f.lap) for f in laps)
            out.append(made[id(laps)])
        return out

    def _laps_down(self, key: str, lap: int, finished: bool, by_time: dict[str, int], as_of: int) -> int | None:
        """From race times where known; at the finish from the laps completed in the results; in a
        complete race, a car last listed k laps ago is k laps down."""
        if finished:
            laps = self._result_laps.get(key)
            return lap - laps if laps is not None and laps < lap else None
        if key in by_time:
            return by_time[key]
        return lap - as_of if self._complete and as_of < lap else None

    def _unplaced(self, lap: int, statuses: dict[str, CarStatus]) -> tuple[Unplaced, ...]:
        """Cars no source places at ``lap``, by car number: the file's order may be the finish."""
        placed, bests = self.positions.placed(lap), self.lap_times.bests(lap)
        return tuple(
            Unplaced(entry, self._unplaced_status(key, lap, statuses),
                     best.time if (best := bests.get(key)) is not None else None)
            for key, entry in self._by_number if key not in placed and self._entry_known[key] <= lap
        )

    def _unplaced_status(self, key: str, lap: int, statuses: dict[str, CarStatus]) -> CarStatus:
        """In a complete race a car missing from the order has stopped or fallen laps behind:
        which, the timing data does not say."""
        status = statuses.get(key, RUNNING)
        if status is RUNNING and self._complete:
            return CarStatus(StatusKind.UNKNOWN, last_seen=self.positions.last_reported(key, lap))
        return status

    def _laps_led(self, lap: int, finished: bool) -> tuple[dict[str, int], int | None]:
        """Laps led per car, and the figure for cars not listed: 0 when the leader of every
        lap so far is known, else unknown. At the finish, totals stated in results win."""
        derived = self.positions.laps_led(lap) if lap else {}  # at the grid nobody has led a lap
        led, default = (derived, 0) if derived is not None else ({}, None)
        if finished:
            led = {**led, **{r.car: r.laps_led for r in self.race.results if r.laps_led is not None}}
        return led, default

    def _statuses(self, lap: int) -> dict[str, CarStatus]:
        """The cars not simply running at ``lap`` (the rest are ``RUNNING``): out, else in the pits, else
        not across the line since the lap before (a race still running: its last lap is complete too)."""
        statuses = {car: CarStatus(StatusKind.UNKNOWN, last_seen=seen) for car, seen in self.positions.stalled(lap).items()}
        statuses.update((car, PIT) for car in self._pits.get(lap, ()))
        statuses.update((car, status) for car, (since, status) in self._out_status.items() if since <= lap)
        return statuses

    def _finish_status(self, key: str, statuses: dict[str, CarStatus]) -> CarStatus:
        """At the checkered flag: a car short of the full distance whose result gives no status
        may have stopped or may still have been running laps down; the data does not say."""
        if key in self._disqualified:
            return CarStatus(StatusKind.DISQUALIFIED, "after the race")
        if key in self._out_at_finish:
            return CarStatus(StatusKind.OUT, self._out_at_finish[key])
        status = statuses.get(key, RUNNING)  # the final lap's
        laps = self._result_laps.get(key)
        if status is RUNNING and key not in self._result_statuses and laps is not None and laps < self.final_lap:
            return UNKNOWN
        return status

    def _pit_laps(self) -> dict[int, set[str]]:
        pits: dict[int, set[str]] = {}
        for event in self.race.events:
            if event.kind == "pit" and event.lap is not None and event.first_lap is None:  # not a window
                pits.setdefault(event.lap, set()).update(event.cars)
        return pits

    # -- flags, stages, events ----------------------------------------------------------

    def _index_flags(self) -> tuple[list[str], list[FlagPeriod | None]]:
        flags = ["green"] * (self.final_lap + 1)
        periods: list[FlagPeriod | None] = [None] * (self.final_lap + 1)
        for period in self.race.flags:
            for lap in range(period.first, period.last + 1):
                flags[lap] = FLAG_OF_PERIOD[period.flag]
                periods[lap] = period
        explicit_white = any(p.flag == "white" for p in self.race.flags)
        # The white flag of the schedule waves as the leader starts its last lap, whether or not the race
        # then runs long, so it tells nothing of what follows. An overtime white flag only where the file
        # states it: implied from the lap the race ended, it would tell of the finish a lap early.
        white = self.race.info.laps - 1
        if not explicit_white and 1 <= white < self.final_lap and flags[white] == "green":
            flags[white] = "white"
        if self._finish:
            flags[self._finish] = "checkered"
        return flags, periods

    def _count_lead_changes(self) -> list[int]:
        """Lead changes so far: from the leader of every lap where that is known throughout
        (complete races), else the race's lead_change events."""
        leaders = [self.positions.leader(lap) for lap in range(1, self.final_lap + 1)]
        if all(leaders):
            changes = (lap for lap in range(2, self.final_lap + 1) if leaders[lap - 1] != leaders[lap - 2])
            return running_count(self.final_lap, changes)
        return running_count(
            self.final_lap, (e.lap for e in self.race.events if e.kind == "lead_change" and e.lap is not None))

    def _stage_states(self, lap: int) -> tuple[StageState, ...]:
        """Stages over by ``lap``; a stage whose end lap is unknown is only known over at the finish."""
        return tuple(self._stage_state(stage, end) for stage, end in enumerate(self._stage_ends, start=1)
                     if (end if end is not None else self._finish or lap + 1) <= lap)

    def _stage_state(self, stage: int, end: int | None) -> StageState:
        """A stage's result, made the first time it is over (then the same at every lap)."""
        made = self._stage_states_made.get(stage)
        if made is not None:
            return made
        result = self.race.stage_results.get(stage)
        if result is not None:
            places = tuple(StagePlaceState(p.pos, self.race.entries[p.car], p.points) for p in result.places)
        elif end == self.final_lap and self.race.results and (first := self.race.results[0]).pos is not None:
            places = (StagePlaceState(first.pos, self.race.entries[first.car], None),)
        else:
            places = ()
        winner = places[0].entry if places and places[0].pos == 1 else None
        made = self._stage_states_made[stage] = StageState(stage, end, winner, places)
        return made

    def _timeline_events(self) -> list[Event]:
        """File events in lap order, with stage-end events made from the stage results."""
        final = self.final_lap  # an event enters the timeline at the lap it is known from
        events = sorted((e for e in self.race.events if e.when != "post-race"), key=lambda e: event_known_from(e, final))
        for state in self._stage_states(self.final_lap):
            winner = state.winner
            text = f"End of stage {state.stage}" + (f": {winner.driver} wins" if winner else "")
            cars = (winner.key,) if winner else ()
            sources = self.race.stage_results[state.stage].sources if state.stage in self.race.stage_results else ()
            lap = state.lap if state.lap is not None else self.final_lap
            estimated = None if state.lap is not None else "The stage's end lap is not reported; shown at the finish."
            index = bisect_right([event_known_from(e, final) for e in events], lap)
            events.insert(index, Event(lap, "stage_end", cars, text, sources, estimated=estimated))
        return events

    def _events_at(self, lap: int, finished: bool) -> tuple[Event, ...]:
        """The events so far; a pit stop's as known at ``lap`` (its figures known later hidden)."""
        events = self._as_known.at(lap, bisect_right(self._event_laps, lap), finished)
        post = tuple(e for e in self.race.events if e.when == "post-race") if finished else ()
        return tuple(events) + post

    def _quotes_at(self, lap: int, finished: bool) -> tuple[tuple[Quote, ...], int]:
        """The quotes so far, and how many of them (the last) are revealed at this very lap."""
        shown = bisect_right(self._quote_laps, lap)
        quotes = tuple(self._quotes[:shown])
        new = shown - (bisect_right(self._quote_laps, lap - 1) if lap else 0)
        if finished:
            post = tuple(q for q in self.race.quotes if q.when == "post-race")
            quotes, new = quotes + post, new + len(post)
        return quotes, new

    # -- the finish ---------------------------------------------------------------------

    def _official(self) -> tuple[OfficialRow, ...]:
        """The line order with post-race disqualifications applied: every car behind a
        disqualified one moves up a place; the disqualified cars follow, with no place."""
        disqualified = self._disqualified
        out_lines = sorted(r.pos for r in self.race.results if r.car in disqualified and r.pos is not None)
        rows = [
            OfficialRow(r.pos - bisect_left(out_lines, r.pos), self.race.entries[r.car], r.pos, r.status,
                        r.laps, r.laps_led, r.points)
            for r in self.race.results if r.car not in disqualified and r.pos is not None
        ]
        # a car that did not start (no place at the line) has no row, disqualified or not
        rows += [OfficialRow(None, self.race.entries[r.car], r.pos, "disqualified", r.laps, r.laps_led, r.points)
                 for r in self.race.results if r.car in disqualified and r.pos is not None]
        return tuple(rows)
