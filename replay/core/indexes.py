"""What the engine indexes from a race file before any lap is asked for: the running orders with
where each came from, the incidents that make a position stale, stage ends, when each caution is
known, and running counts by lap."""

from __future__ import annotations

from collections.abc import Iterable

from .model import Order, Race

INCIDENT_KINDS = frozenset({"crash", "spin", "contact", "pit", "mechanical", "penalty", "retirement"})


def sourced_orders(race: Race) -> list[tuple[Order, tuple[str | int, ...]]]:
    """Running orders with where each came from. A lead change puts its car at P1 at its lap,
    unless a running order is given for that lap (it is the authority there); the line order
    in ``results`` comes last."""
    ordered_laps = {order.lap for order in race.orders}
    orders: list[tuple[Order, tuple[str | int, ...]]] = [
        (Order(e.lap, (e.cars[0],), {e.cars[0]: e.estimated} if e.estimated else {}, e.sources), ("events",))
        for e in race.events
        if e.kind == "lead_change" and e.cars and e.lap is not None and e.lap not in ordered_laps
    ]
    orders += [(order, ("running_order", order.lap)) for order in race.orders]
    placed = {row.pos: row.car for row in race.results if row.pos is not None and not race.info.in_progress}
    if placed:
        cars: list[str | None] = [None] * max(placed)
        for pos, car in placed.items():
            cars[pos - 1] = car
        orders.append((Order(race.info.final_lap, tuple(cars)), ("results",)))
    return orders


def incidents(race: Race) -> dict[int, set[str]]:
    """Lap -> cars whose last known position an incident at that lap makes stale."""
    incidents: dict[int, set[str]] = {}
    for event in race.events:
        if event.kind in INCIDENT_KINDS and event.lap is not None:
            incidents.setdefault(event.lap, set()).update(event.cars)
    return incidents


def stage_ends(race: Race) -> tuple[int | None, ...]:
    """Stage end laps (None: not reported). The last stage ends at the finish, however long
    the race went (a race still running has not reached it)."""
    ends = list(race.info.stage_ends)
    if ends and not race.info.in_progress and (ends[-1] is None or ends[-1] == race.info.laps):
        ends[-1] = race.info.final_lap
    return tuple(ends)


def caution_laps(race: Race) -> list[int]:
    """When each caution is known: its flag period's first lap, or for a caution the file knows
    only as an event (a sparse race, a lap window) that no flag period covers, the lap the event
    is revealed at."""
    periods = [p for p in race.flags if p.flag == "caution"]
    laps = [p.first for p in periods]
    for event in race.events:
        if event.kind != "caution" or event.lap is None:
            continue
        first = event.first_lap if event.first_lap is not None else event.lap
        if not any(p.first <= event.lap and first <= p.last for p in periods):
            laps.append(event.lap)
    return laps


def running_count(final_lap: int, laps: Iterable[int]) -> list[int]:
    """For each lap, how many of ``laps`` are at or before it."""
    counts = [0] * (final_lap + 2)
    for lap in laps:
        counts[lap] += 1
    for lap in range(1, final_lap + 1):
        counts[lap] += counts[lap - 1]
    return counts[: final_lap + 1]
