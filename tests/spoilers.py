"""A race changed in everything known only after lap N, for the spoiler test.

``after(race, n)`` keeps every fact knowable at lap ``n`` and changes the rest: later running
orders, lap times, leaders and flags; later events and quotes (their text, cars, laps, how many);
stage results not yet decided; the results, standings, loop data and disputes; the race's final
length (overtime), margin, notes and next race; post-race source titles; and the order of the
entries (a race file's order is often the finish). A screen or export at lap ``n`` must come out
the same for both races.
"""

from __future__ import annotations

from dataclasses import replace

from replay.core.model import Event, FlagPeriod, LeaderSpan, Order, Quote, Race, ResultRow, StagePlace, StageResult

EXTRA_LAPS = 3  # the changed race goes to overtime


def after(race: Race, n: int, later_events: bool = True) -> Race:
    """``race`` with everything after lap ``n`` changed (see the module docstring); without
    ``later_events``, nothing happens after lap ``n`` at all."""
    info = race.info
    cars = list(race.entries)
    final = info.final_lap + EXTRA_LAPS
    changed_info = replace(info, actual_laps=final, margin_of_victory=9.876, next_race="CHANGED next race",
                           notes=("CHANGED race note",))
    return replace(
        race,
        info=changed_info,
        sources={key: source if source.spoiler_free else replace(source, title="CHANGED headline, X wins",
                                                                 url="https://example.org/x-wins", file=None)
                 for key, source in race.sources.items()},
        entries=dict(reversed(race.entries.items())),
        orders=_orders(race, n, final),
        leaders=_leaders(race, n, cars),
        flags=_flags(race, n, final),
        events=_events(race, n, cars, final) if later_events else _known_events(race, n),
        quotes=_quotes(race, n, cars),
        stage_results=_stage_results(race, n, cars),
        results=tuple(_result(row, cars, n) for row in reversed(race.results)),
        standings=tuple(replace(s, points=(s.points or 0) + 7, note="CHANGED", pos=i + 1)
                        for i, s in enumerate(reversed(race.standings))),
        disputes=tuple(replace(d, why="CHANGED") for d in race.disputes),
        loop_data={car: {stat: value + 1 for stat, value in stats.items()} for car, stats in race.loop_data.items()},
    )


def _orders(race: Race, n: int, final: int) -> tuple[Order, ...]:
    orders = [o if o.lap <= n else replace(o, cars=tuple(reversed(o.cars)), estimated={},
                                           lap_times=tuple(reversed(o.lap_times)) if o.lap_times else None)
              for o in race.orders]
    if race.complete and orders:  # a complete race stays complete through its extra laps
        orders += [replace(orders[-1], lap=lap) for lap in range(race.info.final_lap + 1, final + 1)]
    return tuple(orders)


def _leaders(race: Race, n: int, cars: list[str]) -> tuple[LeaderSpan, ...]:
    return tuple(part for span in race.leaders
                 for part in _split(span, n, lambda later: replace(later, car=_other(later.car, cars))))


def _flags(race: Race, n: int, final: int) -> tuple[FlagPeriod, ...]:
    shift = final - race.info.final_lap

    def change(later: FlagPeriod) -> FlagPeriod:
        if later.flag == "white":  # the white flag still waves for the last lap, wherever that is now
            return replace(later, first=later.first + shift, last=later.last + shift)
        return replace(later, flag="red", reason="CHANGED reason")

    periods = [part for period in race.flags for part in _split(period, n, change)]
    if final - 1 > max([n, *(p.last for p in periods)]):
        periods.append(FlagPeriod("caution", final - 1, final - 1, reason="CHANGED late caution"))
    return tuple(periods)


def _split(span, n: int, change):
    """A span of laps (``first``..``last``) kept up to lap ``n``, and ``change``d after it."""
    if span.last <= n:
        return [span]
    kept = [replace(span, last=n)] if span.first <= n else []
    return kept + [change(replace(span, first=max(span.first, n + 1)))]


def _known_events(race: Race, n: int) -> tuple[Event, ...]:
    return tuple(e for e in race.events if e.when == "pre-race" or (e.lap is not None and e.lap <= n))


def _events(race: Race, n: int, cars: list[str], final: int) -> tuple[Event, ...]:
    known = list(_known_events(race, n))
    later = [e for e in race.events if e not in known]
    changed = [replace(e, text=f"CHANGED {e.kind}", cars=tuple(_other(c, cars) for c in e.cars),
                       lap=None if e.lap is None else min(final, e.lap + 1),
                       first_lap=None if e.first_lap is None else min(final, e.first_lap + 1))
               for e in later[1:]]  # one later event fewer
    changed.append(Event(final, "crash", (cars[0],), "CHANGED last-lap crash", (next(iter(race.sources)),)))
    return tuple(known + changed)


def _quotes(race: Race, n: int, cars: list[str]) -> tuple[Quote, ...]:
    quotes = []
    for quote in race.quotes:
        later = quote.when == "post-race" or (quote.when == "race" and (quote.lap or 0) > n)
        quotes.append(replace(quote, text=f"CHANGED {quote.text}", speaker="CHANGED") if later else quote)
    return tuple(quotes)


def _stage_results(race: Race, n: int, cars: list[str]) -> dict[int, StageResult]:
    ends = race.info.stage_ends
    results = {}
    for stage, result in race.stage_results.items():
        end = ends[stage - 1] if stage <= len(ends) else None
        if end is not None and end <= n:
            results[stage] = result
        else:
            places = tuple(StagePlace(p.pos, _other(p.car, cars), (p.points or 0) + 1) for p in result.places)
            results[stage] = replace(result, places=places)
    return results


def _result(row: ResultRow, cars: list[str], n: int) -> ResultRow:
    """Everything about a finishing place changes but what lap ``n`` already shows: a car that
    stopped before ``n`` (or did not start) is out, and when is known then; its place is not."""
    stopped_early = row.status == "dns" or (row.laps is not None and row.laps < n and row.status not in (None, "running"))
    return replace(row, pos=None if row.pos is None else row.pos + 1 if row.pos % 2 else max(1, row.pos - 1),
                   laps_led=None if row.laps_led is None else row.laps_led + 1,
                   points=(row.points or 0) + 3, note="CHANGED",
                   status=row.status if stopped_early else "running",
                   laps=row.laps if stopped_early else None)


def _other(car: str, cars: list[str]) -> str:
    """Another car of the race (the next one in the file)."""
    return cars[(cars.index(car) + 1) % len(cars)] if car in cars else car
