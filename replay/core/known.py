"""When each fact of a race is known: the one rule that every lap's state obeys.

``state_at(N)`` may use a fact only from the lap it is known from (``known_from``); the engine
asks this module and nothing else. A race file states it where its writer knows it, and these
defaults cover the rest (docs/FORMAT.md, "Known from"):

- a running order, a leader span's lap, a flag period's lap, a lap time: at that lap;
- an event or a quote: at its lap (a window ``[first, last]``: at ``last``); pre-race: the grid;
  post-race: the finish;
- a stage result: at its stage's end (an end no source gives: the finish);
- a result row (its place, laps, status, laps led, points, note): the finish, except that a car
  that did not start (``dns``) is seen not to at the grid;
- standings, loop data, disputes, the race's notes, margin and next race: the finish;
- that a car's race is over: from an event that says so (a ``retirement``, or any event naming
  the car in ``ends_race``), else from its result at the finish;
- an entry (that the car is in the race at all): from the first fact known before the finish
  that names it, or its own ``known_from`` if earlier, else the finish. Until then the board
  counts it among the other entrants.
"""

from __future__ import annotations

from .model import Entry, Event, FrozenMap, Race

GRID = 0
# the status a car shows when an event, not yet its result, ends its race
ENDED_BY = {"crash": "accident", "spin": "accident", "contact": "accident", "mechanical": "mechanical"}


def event_known_from(event: Event, final_lap: int) -> int:
    """An event is known at its lap (a window's last), a pre-race one at the grid, a post-race one
    at the finish."""
    if event.when == "pre-race":
        return GRID
    return final_lap if event.lap is None else event.lap


def race_ends(race: Race) -> dict[str, tuple[int, str]]:
    """Car -> (the first lap it is known to be out, why), from what is known before the finish:
    events that end a car's race, and a result's ``dns`` (at the grid). A result's other statuses
    are known only at the finish (``Timeline`` reads them there)."""
    final = race.info.final_lap
    out: dict[str, tuple[int, str]] = {}
    for row in race.results:
        if row.status == "dns":
            out[row.car] = (GRID, "did not start")
    for event in race.events:
        cars = event.cars if event.kind == "retirement" else event.ends_race
        if event.when == "post-race" or not cars:
            continue
        lap = event_known_from(event, final)
        why = "did not start" if event.when == "pre-race" else ENDED_BY.get(event.kind, "retired")
        for car in cars:
            if car not in out or lap < out[car][0]:
                out[car] = (lap, why)
    return out


def entries_known_from(race: Race) -> dict[str, int]:
    """Car -> the lap from which it is known to be in the race (see the module docstring)."""
    final = race.info.final_lap
    known = {car: final for car in race.entries}

    def seen(car: str | None, lap: int) -> None:
        if car in known and lap < known[car]:
            known[car] = lap

    for key, entry in race.entries.items():
        if entry.known_from is not None:
            seen(key, entry.known_from)
    for order in race.orders:
        for car in order.cars:
            seen(car, order.lap)
    for span in race.leaders:
        seen(span.car, span.first)
    for event in race.events:
        for car in event.cars:
            seen(car, event_known_from(event, final))
    for quote in race.quotes:
        if quote.car is not None:
            seen(quote.car, GRID if quote.when == "pre-race" else final if quote.lap is None else quote.lap)
    ends = race.info.stage_ends
    for stage, result in race.stage_results.items():
        end = ends[stage - 1] if stage <= len(ends) else None
        for place in result.places:
            seen(place.car, final if end is None else min(end, final))
    for car, (lap, _) in race_ends(race).items():
        seen(car, lap)
    return known


def entries_by_lap(race: Race, known: dict[str, int]) -> list[FrozenMap[str, Entry]]:
    """The entries known at each lap (``known``: ``entries_known_from``), in file order; laps that
    add none share one map."""
    maps: list[FrozenMap[str, Entry]] = []
    for lap in range(race.info.final_lap + 1):
        keys = [key for key in race.entries if known[key] <= lap]
        maps.append(maps[-1] if maps and len(keys) == len(maps[-1]) else
                    FrozenMap({key: race.entries[key] for key in keys}))
    return maps
