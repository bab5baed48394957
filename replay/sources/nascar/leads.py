"""The leader and the last lap: every lead change as an event, from the leader of each lap (the running order), in a lap note's
words where a note at that lap tells it: so the header's count, the log, its kind filter and the
exports hold the same changes; and the white flag where the leader takes it."""

from __future__ import annotations

from typing import Any

from .files import Driver
from .weekend_race import lead_changes


def spans_from_orders(orders: dict[int, list[str]], final: int, source: str) -> list[dict[str, Any]]:
    """The leader of each lap 1..``final`` as leader spans (laps without an order are a gap)."""
    spans: list[dict[str, Any]] = []
    for lap in range(1, final + 1):
        cars = orders.get(lap)
        if not cars:
            continue
        car = cars[0]
        if spans and spans[-1]["car"] == car and spans[-1]["to"] == lap - 1:
            spans[-1]["to"] = lap
        else:
            spans.append({"car": car, "from": lap, "to": lap, "sources": [source]})
    return spans


def lead_change_events(orders: dict[int, list[str]], notes: list[dict[str, Any]], drivers: dict[str, Driver],
                       final: int) -> list[dict[str, Any]]:
    """The lead changes of the running orders. A lap-note event of the same lap that tells the change
    (a ``lead_change`` naming the new leader) becomes it, keeping its words; a lead-change note the
    running order does not bear out (no change at its lap) is kept as a plain note, so that no
    change is counted twice or on a lap the leader did not change."""
    changes, _ = lead_changes(spans_from_orders(orders, final, "lap-times"), drivers, final)
    told: dict[int, list[dict[str, Any]]] = {}
    for note in notes:
        if note["kind"] == "lead_change":
            told.setdefault(note["lap"], []).append(note)
    for change in changes:
        telling = next((n for n in told.get(change["lap"], []) if change["cars"][0] in n.get("cars", [])), None)
        if telling is None:
            continue
        told[change["lap"]].remove(telling)
        cars = list(dict.fromkeys(change["cars"] + telling.get("cars", [])))
        telling.update(cars=cars, sources=telling["sources"] + change["sources"])
        change["merged"] = True
    for unmatched in (n for stays in told.values() for n in stays):
        unmatched["kind"] = "note"
    return [change for change in changes if not change.pop("merged", False)]


def white_with_one_to_go(periods: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A feed codes the lap run under the white flag (the last) 4; the replay shows the white flag
    as the leader takes it, at the lap before (one to go), as it does for a race without one. A
    white lap already shown as a caution stays a caution."""
    taken = {lap for p in periods if p["flag"] != "white" for lap in range(p["from"], p["to"] + 1)}
    moved = []
    for period in periods:
        if period["flag"] == "white" and period["from"] - 1 >= 1 and period["from"] - 1 not in taken:
            period = {**period, "from": period["from"] - 1, "to": period["to"] - 1}
        moved.append(period)
    return moved
