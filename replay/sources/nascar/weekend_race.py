"""A weekend feed's race summary as race-file sections: the grid, leader spans, flag periods,
caution, lead-change and penalty events, stage end laps, race notes, and the checks of its stated
totals against them. Each keeps to what the feed's fields say."""

from __future__ import annotations

import re
from typing import Any

from ..base import Warn
from .files import Driver
from .stages import ends_from_lengths
from .stated import stated_totals
from .weekend import NAME, Weekend

CARS_IN_TEXT = re.compile(r"(?:#|\bNos?\.\s*)\s*(\w+(?:\s*(?:,|&|and)\s*#?\w+)*)", re.IGNORECASE)


def grid(weekend: Weekend, warn: Warn) -> list[str | None]:
    """The starting order from the results' starting positions (a place given twice is left
    unknown); without them, the car of race_leaders' lap-0 span (the start) at P1."""
    starts: dict[int, list[str]] = {}
    for result in weekend.results:
        if result.start:
            starts.setdefault(result.start, []).append(result.number)
    start_leader = next((car for first, last, car in sorted(weekend.leaders) if first == 0), None)
    if not starts:
        return [start_leader] if start_leader else []
    order: list[str | None] = [None] * max(starts)
    for place, cars in starts.items():
        if len(cars) > 1:
            warn(f"{NAME}: starting position {place} is given to cars {', '.join(cars)}; left unknown")
        else:
            order[place - 1] = cars[0]
    _check_pole(weekend, order[0], start_leader, warn)
    return order


def _check_pole(weekend: Weekend, first: str | None, start_leader: str | None, warn: Warn) -> None:
    if first and start_leader and start_leader != first:
        warn(f"{NAME}: race_leaders start with #{start_leader} at lap 0, the results start #{first} first; "
             "the grid follows the results")
    pole = next((r.number for r in weekend.results if weekend.pole_driver_id and r.driver_id == weekend.pole_driver_id),
                None)
    if first and pole and pole != first:
        warn(f"{NAME}: pole_winner_driver_id is #{pole}'s driver, the results start #{first} first")


def leader_spans(weekend: Weekend, final: int, warn: Warn) -> list[dict[str, Any]]:
    """race_leaders as leader spans of laps 1 to ``final``. The lap-0 span is the start (the grid,
    see ``grid``), not a lap led."""
    spans: list[dict[str, Any]] = []
    for first, last, car in sorted(weekend.leaders):
        first = max(first, 1)
        if last < first:
            continue  # the lap-0 span
        if first > final:
            warn(f"{NAME}: #{car} leads laps {first}-{last}, after the race's {final} laps; left out", spoiler=True)
            continue
        if spans and first <= spans[-1]["to"]:
            warn(f"{NAME}: #{car}'s laps {first}-{last} in race_leaders overlap #{spans[-1]['car']}'s; left out", spoiler=True)
            continue
        if last > final:
            warn(f"{NAME}: #{car} leads to lap {last}, after the race's {final} laps; cut at lap {final}", spoiler=True)
        spans.append({"car": car, "from": first, "to": min(last, final), "sources": ["weekend-feed"]})
    return spans


def lead_changes(spans: list[dict[str, Any]], drivers: dict[str, Driver], final: int) -> tuple[list[dict[str, Any]], bool]:
    """A lead_change event where one span follows the one before it directly with another car (from
    lap 2: the replay counts changes between laps, not the start), and whether the spans cover every
    lap 1 to ``final`` (if not, the lead changes known are a lower bound)."""
    events = []
    for before, span in zip(spans, spans[1:], strict=False):
        if span["from"] == before["to"] + 1 and span["car"] != before["car"]:
            new, old = drivers[span["car"]].driver, drivers[before["car"]].driver
            events.append({"lap": span["from"], "kind": "lead_change", "cars": [span["car"], before["car"]],
                           "text": f"{new} takes the lead from {old}", "sources": list(span["sources"])})
    covered = sum(span["to"] - span["from"] + 1 for span in spans) == final
    return events, covered


def weekend_flags(weekend: Weekend, final: int, warn: Warn) -> list[dict[str, Any]]:
    """caution_segments as flag periods: laps as the feed gives them, its reason and raw flag code."""
    periods: list[dict[str, Any]] = []
    for caution in sorted(weekend.cautions_laps, key=lambda c: c.first):
        if not 1 <= caution.first <= final:
            warn(f"{NAME}: {caution.where}: a caution from lap {caution.first}, outside the race; left out", spoiler=True)
            continue
        if periods and caution.first <= periods[-1]["to"]:
            warn(f"{NAME}: {caution.where}: laps {caution.first}-{caution.last} overlap the caution before; left out",
                 spoiler=True)
            continue
        period: dict[str, Any] = {"flag": "red" if caution.code == 3 else "caution", "from": caution.first,
                                  "to": min(caution.last, final)}
        if caution.reason:
            period["reason"] = caution.reason
        if caution.code is not None:
            period["code"] = caution.code
        periods.append({**period, "sources": ["weekend-feed"]})
    return periods


def stated_segments(weekend: Weekend, periods: list[dict[str, Any]], final: int) -> None:
    """Give each caution flag period the laps of the weekend feed's caution segment for it, where
    they differ (``stated: {from, to}``: NASCAR counts a caution's laps by its segments, which can
    start a lap or two after lap-times.json's flags). A segment is paired with the one period it
    overlaps, and that period with no other segment."""
    cautions = [p for p in periods if p["flag"] in ("caution", "red")]
    segments = [c for c in weekend.cautions_laps if 1 <= c.first <= final]
    for period in cautions:
        overlapping = [c for c in segments if c.first <= period["to"] and period["from"] <= c.last]
        if len(overlapping) != 1:
            continue
        segment = overlapping[0]
        if sum(1 for p in cautions if segment.first <= p["to"] and p["from"] <= segment.last) != 1:
            continue
        if (segment.first, segment.last) != (period["from"], period["to"]):
            period["stated"] = {"from": segment.first, "to": min(segment.last, final), "sources": ["weekend-feed"]}
        if segment.reason and not period.get("reason"):  # the flags give no reason: the weekend feed's
            period["reason"] = segment.reason
            period["sources"] = [*period["sources"], "weekend-feed"]


def caution_events(weekend: Weekend, drivers: dict[str, Driver], final: int,
                   flags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One event per caution at its first lap (that of the flag period it overlaps, where the
    ``flags`` come from another file: the lap the yellow shows): the reason, the cars its comment
    names, and the feed's beneficiary car. Not its length: that would tell when the race goes green
    again. Where the feed's own ``flags`` are all the race has lap by lap, a car it names whose result
    says it stopped with no lap completed after the caution's first is one whose race the caution ends
    (``ends_race``: out from there, not only at the finish); beside another file's flags (lap times,
    which show a car that stops crossing the line), the result is not brought forward."""
    own_flags = bool(flags) and flags[0]["sources"] == ["weekend-feed"]
    stopped = {r.number: r.laps for r in weekend.results
               if r.status not in (None, "running", "dns") and r.laps is not None}
    events = []
    for caution in weekend.cautions_laps:
        shown = [p["from"] for p in flags if p["flag"] in ("caution", "red")
                 and p["from"] <= caution.last and caution.first <= p["to"]]
        first = min(shown) if len(shown) == 1 else caution.first
        if not 1 <= first <= final or caution.code == 3:
            continue
        text = "Caution" + (f": {caution.reason}" if caution.reason else "")
        if caution.beneficiary:
            text += f" (beneficiary: #{caution.beneficiary})"
        event: dict[str, Any] = {"lap": first, "kind": "caution"}
        cars = cars_named(caution.reason, drivers)
        if cars:
            event["cars"] = cars
        ended = [] if not own_flags else [car for car in cars if car in stopped and stopped[car] <= first]
        if ended:
            event["ends_race"] = ended
        events.append({**event, "text": text, "sources": ["weekend-feed"]})
    return events


def cars_named(text: str, drivers: dict[str, Driver]) -> list[str]:
    """Car numbers in ``#20, 24, 4 Incident`` or ``Nos. 53, 66``, where they are cars of the race."""
    found = [number.lstrip("#") for match in CARS_IN_TEXT.finditer(text)
             for number in re.split(r"\s*(?:,|&|and)\s*", match.group(1))]
    return list(dict.fromkeys(number for number in found if number in drivers))


def penalty_events(weekend: Weekend, drivers: dict[str, Driver], final: int) -> list[dict[str, Any]]:
    """Infractions become penalty events (post-race where no lap in the race is given), and a
    disqualified result a post-race disqualification."""
    events = []
    for lap, car, text in weekend.infractions:
        event: dict[str, Any] = {"lap": lap} if lap is not None and 0 <= lap <= final else {"when": "post-race"}
        event["kind"] = "penalty"
        if car in drivers:
            event["cars"] = [car]
        events.append({**event, "text": text, "sources": ["weekend-feed"]})
    for result in weekend.results:
        if result.disqualified:
            events.append({"when": "post-race", "kind": "disqualification", "cars": [result.number],
                           "text": f"Car {result.number} is disqualified after the race.", "sources": ["weekend-feed"]})
    return events


def stage_ends(weekend: Weekend, warn: Warn) -> tuple[list[int | None], str | None]:
    """End laps from the weekend feed's stage lengths (see ``ends_from_lengths``)."""
    return ends_from_lengths(weekend.stage_lengths, weekend.scheduled_laps, weekend.actual_laps, NAME, warn)


def weekend_info(weekend: Weekend, info: dict[str, Any]) -> None:
    """The margin of victory, and as race notes (shown at the finish) a margin the feed gives in words,
    its stated totals and NASCAR's race comments."""
    if weekend.margin is not None:
        info["margin_of_victory"] = weekend.margin
    stated = {key: weekend.stated[key] for key in ("lead_changes", "leaders", "cautions", "caution_laps")
              if key in weekend.stated}
    if stated:
        info["stated"] = stated
    notes = [f"The feed gives the margin of victory as \"{weekend.margin_words}\"."] if weekend.margin_words else []
    if totals := stated_totals(weekend.stated):
        notes.append(f"The feed states {totals}.")
    if weekend.comments:
        notes.append(f"NASCAR's race comments: {weekend.comments}")
    if notes:
        info["notes"] = notes


def weekend_events(weekend: Weekend, flags: list[dict[str, Any]], leaders: list[dict[str, Any]],
                   drivers: dict[str, Driver], final: int, noted: bool = False) -> tuple[list[dict[str, Any]], bool]:
    """Cautions (where the weekend feed gives the ``flags``, or no lap notes tell of them: ``noted``)
    and lead changes (where it gives the ``leaders``) as events, and its penalties; and whether the
    lead changes are all known (leaders that miss laps make their count a lower bound)."""
    events = penalty_events(weekend, drivers, final)
    if flags and (flags[0]["sources"] == ["weekend-feed"] or not noted):
        events += caution_events(weekend, drivers, final, flags)
    if not leaders:
        return events, True
    changes, covered = lead_changes(leaders, drivers, final)
    return events + changes, covered
