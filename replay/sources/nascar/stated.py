"""What the feeds state against what the timeline counts: every such check, in one place.

The stage winner a lap note names against the stage points; laps led stated (loop data, results)
against the leader of each lap (by running position, or by the weekend feed's race_leaders); the
weekend feed's stated totals, times led, field size and stage-conclusion cautions against the
timeline being written.

NASCAR states the race's lead changes, leaders, cautions and caution laps (and per car laps and
times led). The replay counts them lap by lap from the leader of each lap and the flag periods, and
at the finish shows NASCAR's stated totals (``race.stated``), as it does the official laps led.
Where the two disagree the importer warns, and writes a dispute naming both (shown at the finish),
so a reader who sees the count change at the finish knows why.
"""

from __future__ import annotations

import re
from typing import Any

from ..base import Warn
from .files import Driver
from .weekend import NAME, Weekend


def leaders_by_lap(orders: dict[int, list[str]] | None, spans: list[dict[str, Any]], final: int) -> dict[int, str]:
    """The leader of each lap 1..final that the timeline will know: complete running orders, else spans."""
    if orders:
        return {lap: cars[0] for lap, cars in orders.items() if 1 <= lap <= final and cars}
    return {lap: span["car"] for span in spans for lap in range(span["from"], span["to"] + 1)}


def check_totals(weekend: Weekend, leaders: dict[int, str], start: str | None, flags: list[dict[str, Any]],
                 final: int, sources: tuple[list[str], list[str]], warn: Warn) -> list[dict[str, Any]]:
    """Disputes for every stated total the timeline's own count contradicts; ``sources`` are those
    of the leader of each lap and of the flag periods."""
    disputes = []
    complete = all(lap in leaders for lap in range(1, final + 1))
    laps = [leaders[lap] for lap in range(1, final + 1)] if complete else []
    changes = sum(1 for a, b in zip(laps, laps[1:], strict=False) if a != b) if complete else None
    from_start = changes + (laps[0] != start) if changes is not None and laps and start else None
    cautions = [p for p in flags if p["flag"] == "caution"]
    derived = {
        "lead_changes": changes, "leaders": len(set(laps)) if complete else None,
        "cautions": len(cautions) if flags else None,
        "caution_laps": sum(p["to"] - p["from"] + 1 for p in cautions) if flags else None,
    }
    for name, counted in derived.items():
        stated = weekend.stated.get(name)
        if stated is None or counted is None or stated == counted:
            continue
        why = _why(name, stated, counted, from_start, start, cautions)
        warn(f"{NAME} states {stated} {LABELS[name]}, the timeline counts {counted}: {why}; the finish shows {stated}",
             spoiler=True)
        by_segments = name == "caution_laps" and _segment_total(cautions) == stated
        disputes.append(_dispute(name, stated, counted, final, why, sources[name not in ("lead_changes", "leaders")],
                                 by_segments))
    return disputes


def stated_totals(stated: dict[str, int]) -> str:
    """``22 lead changes among 11 leaders, and 8 cautions for 54 laps``: what of it the feed states."""
    parts = []
    for first, second, joint in (("lead_changes", "leaders", "among"), ("cautions", "caution_laps", "for")):
        both = first in stated and second in stated
        given = [f"{stated[key]} {'laps' if both and key == 'caution_laps' else LABELS[key]}"
                 for key in (first, second) if key in stated]
        if given:
            parts.append(f" {joint} ".join(given))
    return ", and ".join(parts)


STAGE_CONCLUSION = re.compile(r"\bstage (\d+) (?:conclusion|end)", re.IGNORECASE)
STAGE_WIN = re.compile(r"#(\w+) wins stage (\d+)", re.IGNORECASE)


def stage_winner_disputes(events: list[dict[str, Any]], stages: dict[int, dict[str, Any]],
                          drivers: dict[str, Driver], warn: Warn) -> list[dict[str, Any]]:
    """A lap note "#2 wins stage 1" against stage points that give stage 1 to #21 (Atlanta 2023):
    the note gets a remark, and a dispute records both. The stage points are used."""
    disputes = []
    for event in events:
        match = STAGE_WIN.search(event["text"]) if event.get("sources") == ["lap-notes"] else None
        if not match:
            continue
        noted, stage = match[1], int(match[2])
        official = next((r["car"] for r in stages.get(stage, {}).get("results", []) if r["pos"] == 1), None)
        if official is None or official == noted or noted not in drivers or official not in drivers:
            continue
        event["text"] += f" (NASCAR's stage points give stage {stage} to #{official}; the replay uses them)"
        warn(f"stage {stage} winner: lap-notes.json says #{noted}, live-stage-points.json #{official}; "
             "using live-stage-points.json, both kept as a dispute", spoiler=True)
        disputes.append({
            "topic": f"Stage {stage} winner",
            "versions": [{"says": f"{drivers[official].driver} (#{official}), NASCAR's stage points",
                          "sources": ["live-stage-points"]},
                         {"says": f"{drivers[noted].driver} (#{noted}), the lap note at lap {event['lap']}",
                          "sources": ["lap-notes"]}],
            "used": 1,
            "why": "The stage points are NASCAR's classification of the stage, with the points it awarded; "
                   "a lap note is written live during the race. The note is kept as written.",
        })
    return disputes


LABELS = {"lead_changes": "lead changes", "leaders": "leaders", "cautions": "cautions",
          "caution_laps": "caution laps"}


def _why(name: str, stated: int, counted: int, from_start: int | None, start: str | None,
         cautions: list[dict[str, Any]]) -> str:
    if name == "lead_changes" and from_start == stated:
        return (f"NASCAR's total also counts the car that started first (#{start}) losing the lead on lap 1; "
                "the replay counts changes of the leader from lap 1 on")
    differ = [p for p in cautions if "stated" in p]
    if name == "caution_laps" and differ and _segment_total(cautions) == stated:
        laps = ", ".join(f"{p['from']}-{p['to']} against {p['stated']['from']}-{p['stated']['to']}" for p in differ)
        return (f"NASCAR counts each caution's laps by its caution segment ({NAME}), which the flags of "
                f"{len(differ)} caution(s) do not match ({laps}); the segments add up to the stated total")
    return "the feed does not say why"


def _segment_total(cautions: list[dict[str, Any]]) -> int:
    """The caution laps counted by each caution's stated segment where it has one, else its flags."""
    spans = [p.get("stated", p) for p in cautions]
    return sum(span["to"] - span["from"] + 1 for span in spans)


def _dispute(name: str, stated: int, counted: int, final: int, why: str, sources: list[str],
             by_segments: bool = False) -> dict[str, Any]:
    basis = ("the leader of each lap" if name in ("lead_changes", "leaders") else "the flag periods")
    how = ("Lap by lap the replay shows the flags and counts a caution's laps as they are run; once a caution "
           "has ended (flags and segment), its segment's laps count instead, so between cautions the count is "
           "NASCAR's." if by_segments else
           "Lap by lap the replay counts from the laps it shows; at the finish it shows the stated total.")
    return {
        "topic": f"Number of {LABELS[name]}",
        "versions": [{"says": f"{stated} (the race's stated total, {NAME})", "sources": ["weekend-feed"]},
                     {"says": f"{counted}, counted from {basis} over laps 1-{final}", "sources": list(sources)}],
        "used": 1,
        "why": f"{how} {why[0].upper()}{why[1:]}.",
    }


def check_per_car(weekend: Weekend, leaders: dict[int, str], start: str | None, final: int, warn: Warn) -> None:
    """times_led (NASCAR counts the start as a time led) and the field size against the timeline."""
    if weekend.stated.get("cars") not in (None, len(weekend.results)) and weekend.results:
        warn(f"{NAME}: number_of_cars_in_field is {weekend.stated['cars']}, the results list {len(weekend.results)} cars",
             spoiler=True)
    if not all(lap in leaders for lap in range(1, final + 1)):
        return
    runs: dict[str, int] = {start: 1} if start else {}
    previous = start
    for lap in range(1, final + 1):
        if leaders[lap] != previous:
            runs[leaders[lap]] = runs.get(leaders[lap], 0) + 1
        previous = leaders[lap]
    differ = [f"#{r.number} {r.times_led} against {runs.get(r.number, 0)}" for r in weekend.results
              if r.times_led is not None and r.times_led != runs.get(r.number, 0)]
    if differ:
        warn(f"{NAME}: times_led disagrees with the leader of each lap for {len(differ)} car(s): {', '.join(differ)}",
             spoiler=True)


def laps_led_by_span_disputes(leaders: dict[int, str], results: list[dict[str, Any]], drivers: dict[str, Driver],
                      final: int, warn: Warn) -> list[dict[str, Any]]:
    """The results' laps led against race_leaders, both from the weekend feed: where they differ
    (or, if some laps' leader is unknown, where the known laps already exceed the total), both are
    recorded and the results' total is shown at the finish."""
    counted: dict[str, int] = {}
    for car in leaders.values():
        counted[car] = counted.get(car, 0) + 1
    complete = len(leaders) == final
    disputes = []
    for row in results:
        stated, car = row.get("laps_led"), row["car"]
        if stated is None or stated == counted.get(car, 0) or (not complete and counted.get(car, 0) < stated):
            continue
        name = drivers[car].driver
        warn(f"{name}: {NAME} results say {stated} laps led, its race_leaders {counted.get(car, 0)}; the finish shows {stated}",
             spoiler=True)
        disputes.append(laps_led_dispute(
            name, car, (f"{stated} laps (the results' laps_led)", "weekend-feed"),
            (f"{counted.get(car, 0)} laps in race_leaders", "weekend-feed"),
            "Both are the weekend feed's. The replay shows the leader of each lap from race_leaders, "
            "and the results' total at the finish."))
    return disputes


def laps_led_by_position_disputes(orders: dict[int, list[str]], results: list[dict[str, Any]], drivers: dict[str, Driver],
                      final: int, warn: Warn) -> list[dict[str, Any]]:
    """Where the official laps-led totals (the loop data's, else the weekend feed's results') differ
    from the leader by running position, record both."""
    by_position: dict[str, int] = {}
    for lap in range(1, final + 1):
        if orders.get(lap):
            by_position[orders[lap][0]] = by_position.get(orders[lap][0], 0) + 1
    disputes = []
    for row in results:
        stated, car = row.get("laps_led"), row["car"]
        if stated is None or stated == by_position.get(car, 0):
            continue
        counted = by_position.get(car, 0)
        name = drivers[car].driver
        source, says, official = (("live-driver-stats", "the loop data", "NASCAR's loop data")
                                  if "live-driver-stats" in row["sources"]
                                  else ("weekend-feed", "the weekend feed's result", "the weekend feed's result"))
        warn(f"{name}: {says} says {stated} laps led, the running positions {counted}; the finish shows {stated}", spoiler=True)
        disputes.append(laps_led_dispute(
            name, car, (f"{stated} laps ({official})", source),
            (f"{counted} laps in first place by running position", "lap-times"),
            f"{says[0].upper()}{says[1:]} is NASCAR's official laps-led count; the running positions in "
            "lap-times.json differ from it on some laps (such as when a caution freezes the field). The "
            "replay shows the running positions lap by lap and the official total at the finish."))
    return disputes


def laps_led_dispute(name: str, car: str, stated: tuple[str, str], counted: tuple[str, str], why: str) -> dict[str, Any]:
    """A stated laps-led total against the count of the leader of each lap, each ``(says, source)``:
    the stated one is used (at the finish), and ``validate`` no longer warns about the car."""
    return {"topic": f"Laps led by {name}",
            "versions": [{"says": says, "sources": [source]} for says, source in (stated, counted)],
            "used": 1, "why": why, "settles": [f"laps_led {car}"]}


def weekend_checks(weekend: Weekend, out: dict[str, Any], orders: dict[int, list[str]], final: int,
                   drivers: dict[str, Driver], warn: Warn) -> list[dict[str, Any]]:
    """The weekend feed's stated totals and per-car figures against the timeline being written."""
    spans = out.get("leaders", [])
    leaders = leaders_by_lap(orders, spans, final)
    grid_order = orders.get(0) or out.get("running_order", {}).get(0) or []
    start = grid_order[0] if grid_order else None
    lead_sources = ["lap-times"] if orders else ["weekend-feed"]
    flag_sources = sorted({s for p in out["flags"] for s in p["sources"]})
    disputes = check_totals(weekend, leaders, start, out["flags"], final, (lead_sources, flag_sources), warn)
    check_per_car(weekend, leaders, start, final, warn)
    check_stage_cautions(weekend, out["race"]["stage_ends"], warn)
    if not orders:
        disputes += laps_led_by_span_disputes(leaders, out["results"], drivers, final, warn)
    return disputes


def check_stage_cautions(weekend: Weekend, ends: list[int | None], warn: Warn) -> None:
    """A caution the feed calls "Stage N Conclusion" should start on the lap after stage N ends."""
    for caution in weekend.cautions_laps:
        match = STAGE_CONCLUSION.search(caution.reason)
        stage = int(match.group(1)) if match else 0
        end = ends[stage - 1] if 1 <= stage <= len(ends) else None
        if end is not None and caution.first != end + 1:
            warn(f"{NAME}: the caution for stage {stage}'s end ({caution.where}) starts at lap {caution.first}, "
                 f"but stage {stage} ends at lap {end} (stage lengths); both are kept as the feed gives them", spoiler=True)
