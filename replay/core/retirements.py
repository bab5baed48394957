"""When each car leaves the race, from what is known at each lap.

A result's laps are the car's own, not the leader's: a car that completed 83 laps stopped at the
leader's lap 84 only if it was on the lead lap. In a complete race (every car on every lap) the
laps show it; in a sparse one the stop is pinned only by an incident event naming the car at its
last lap or after, and is otherwise unknown from there until the finish. A retirement placed within
a window of laps is out from the window's end (when it is revealed), unknown before it.
"""

from __future__ import annotations

from .model import Race

# events that can end a car's race (a caution: the one it caused)
ENDING_KINDS = frozenset({"crash", "mechanical", "retirement", "caution"})


def retirements(race: Race, final_lap: int) -> tuple[dict[str, tuple[int, str]], dict[str, int]]:
    """Car -> (first lap it is out, why), and car -> the first lap it may be out (before the
    first, it is running; between the two, its status is unknown)."""
    out: dict[str, tuple[int, str]] = {}
    maybe: dict[str, int] = {}
    endings = _ending_laps(race)
    for row in race.results:
        if row.status == "dns":
            out[row.car] = (0, "did not start")
        elif row.status not in (None, "running") and row.laps is not None and row.laps < final_lap:
            first = row.laps + 1  # an event at its last lap (a crash completing it) ends it there too
            pinned = min((max(lap, first) for lap in endings.get(row.car, ()) if lap >= row.laps), default=None)
            if race.complete or pinned == first:
                out[row.car] = (first, row.status)
            else:
                out[row.car] = (pinned if pinned is not None else final_lap, row.status)
                maybe[row.car] = first
    for event in race.events:
        if event.kind != "retirement" or event.lap is None:
            continue
        for car in event.cars:
            if event.first_lap is not None:
                why = out[car][1] if car in out else "retired"
                maybe[car] = min(event.first_lap, maybe.get(car, out[car][0] if car in out else event.first_lap))
                out[car] = (max(event.lap, out[car][0]) if car in out else event.lap, why)
            elif car not in out or event.lap < out[car][0]:
                out[car] = (event.lap, "retired")
                maybe.pop(car, None)
    return out, {car: lap for car, lap in maybe.items() if lap < out[car][0]}


def _ending_laps(race: Race) -> dict[str, list[int]]:
    """Car -> the laps of events (placed at one lap) that can end its race."""
    laps: dict[str, list[int]] = {}
    for event in race.events:
        if event.kind in ENDING_KINDS and event.lap is not None and event.first_lap is None and event.when == "race":
            for car in event.cars:
                laps.setdefault(car, []).append(event.lap)
    return laps
