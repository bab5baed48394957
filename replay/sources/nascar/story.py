"""Events, stage results and results from the NASCAR feeds."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..base import Warn
from .files import Driver, DriverStats, LapTimes, Note, PitStop
from .weekend import Weekend, WeekendResult, finishing_order

if TYPE_CHECKING:
    from .feeds import Feeds

# The first rule whose pattern occurs in a lap note names its kind (else "note"). A restart is
# told before a mechanical issue ("#78 leads the field to the green ..., #78 is having a radio
# issue"); "pit" takes the plural ("#25, #27 pit") but not "after pitting".
NOTE_KINDS = [
    ("crash", r"\bcrash|\bwreck|\baccident|\binto the wall|\bhits? the wall"),
    ("spin", r"\bspin|\bspun"),
    ("contact", r"\bcontact\b"),
    ("penalty", r"\bpenalt|\bto the rear\b|\bspeeding\b|\bpass[- ]through\b|\btoo soon\b|\bunapproved\b"),
    ("restart", r"\btoo? the green\b|\bleads from the (?:outside|inside)\b"),
    ("mechanical", r"\bissue\b|\bgarage\b|\bloses a tire\b|\bflat\b|\bengine\b|\bsmok"),
    ("pit", r"\bpits?\b|\bpit road\b|\bstay(?:s|ing)? out\b"),
    ("lead_change", r"\bto the lead\b|\b(?:gets|takes) the lead\b"),
    ("caution", r"\bcaution\b"),
]
# A note saying a car goes behind the wall ends its race from that lap (NASCAR's damaged-vehicle
# policy: a car taken to the garage does not return): "#16 ... heads to the garage", "#92 was parked".
ENDS_RACE = re.compile(r"\b(?:to|in) the garage\b|\bbehind the wall\b|\bwas parked\b|\bout of the race\b")
# live-pit-data.json's pit_stop_type -> the race file's pit service, and how the event's text says it
PIT_SERVICES = {"FOUR_WHEEL_CHANGE": "four_tires", "TWO_WHEEL_CHANGE_RIGHT": "right_side_tires",
                "RIGHT_SIDE_CHANGE": "right_side_tires", "TWO_WHEEL_CHANGE_LEFT": "left_side_tires",
                "LEFT_SIDE_CHANGE": "left_side_tires", "FUEL_ONLY": "fuel_only", "OTHER": "other"}
SERVICE_WORDS = {"four_tires": "four tires", "right_side_tires": "right-side tires", "left_side_tires": "left-side tires",
                 "fuel_only": "fuel only", "other": "other service"}


def note_kind(text: str, restart: bool = True) -> str:
    """The note's kind; not a restart where no caution came before (``restart`` False: the start)."""
    lowered = text.lower()
    return next((kind for kind, pattern in NOTE_KINDS if (restart or kind != "restart") and re.search(pattern, lowered)),
                "note")


def events_from_notes(notes: list[Note], ids: dict[int, str], drivers: dict[str, Driver], cautions: set[int],
                      final: int, warn: Warn, running: bool = False) -> list[dict[str, Any]]:
    """Every lap note becomes an event; its cars are the #numbers it names, in its order, and the
    cars of its driver ids (which may miss one: a null id). A note is a restart only after a caution.
    A race still ``running`` leaves out, quietly, the notes of the lap not complete yet."""
    events = []
    for note in notes:
        if note.lap > final:
            if not running:
                warn(f"lap-notes.json: a note at lap {note.lap}, after the race's {final} laps, is left out", spoiler=True)
            continue
        named = (n for n in re.findall(r"#(\w+)", note.text) if n in drivers)
        cars = _unique([*named, *(ids[i] for i in note.driver_ids if i in ids)])
        after_caution = any(lap < note.lap for lap in cautions)
        event: dict[str, Any] = {"lap": note.lap, "kind": note_kind(note.text, after_caution)}
        if cars:
            event["cars"] = cars
            if ENDS_RACE.search(note.text.lower()):
                event["ends_race"] = cars[:1]  # the car the note is about: its first named
        event.update(text=note.text, sources=["lap-notes"])
        events.append(event)
    return events


def events_from_pits(stops: list[PitStop], drivers: dict[str, Driver], orders: dict[int, list[str]],
                     cautions: set[int], final: int, warn: Warn, running: bool = False) -> list[dict[str, Any]]:
    """Each stop of a car in the race is a ``pit`` event with its ``pit`` figures. Its places are the
    running order's (at the stop's lap, and after its out-lap), not the feed's pit-road ranks, which
    rank the cars by when they came in; those out are known from the out-lap (``out_lap``). A race
    still ``running`` leaves out, quietly, the stops first shown at a lap not complete yet."""
    events = []
    for stop in stops:
        if stop.number not in drivers or (running and stop.lap + 1 > final):
            continue
        if not 0 <= stop.lap <= final:
            warn(f"live-pit-data.json: car {stop.number} pits at lap {stop.lap}, outside the race; left out", spoiler=True)
            continue
        service = PIT_SERVICES.get(stop.kind or "")
        if stop.kind and service is None:
            warn(f"live-pit-data.json: car {stop.number}'s stop at lap {stop.lap} has pit_stop_type {stop.kind!r}, "
                 f"which is not known; its service is left out", spoiler=True)
        figures = _pit_figures(stop, service, _places(stop, orders), warn)
        # the feed's lap is the leader's laps completed when the car came in: it entered pit road
        # during the leader's next lap, whose end (the replay's lap) is the first to show it
        lap = min(stop.lap + 1, final)
        events.append({"lap": lap, "kind": "pit", "cars": [stop.number],
                       "text": _pit_text(stop, service, figures, lap in cautions), "pit": figures,
                       "sources": ["live-pit-data"] + (["lap-times"] if "in_pos" in figures or "out_pos" in figures else [])})
    return events


OUT_LAPS = 2  # a stop at lap L: the car comes in on lap L + 1 and is back up to speed at the end of L + 2


def _places(stop: PitStop, orders: dict[int, list[str]]) -> tuple[int | None, int | None]:
    """The car's place in the running order at the stop's lap, and after its out-lap."""
    def place(lap: int) -> int | None:
        cars = orders.get(lap) or []
        return cars.index(stop.number) + 1 if stop.number in cars else None
    return place(stop.lap), place(stop.lap + OUT_LAPS)


def _pit_figures(stop: PitStop, service: str | None, places: tuple[int | None, int | None], warn: Warn) -> dict[str, Any]:
    """The race file's ``pit`` of a stop, times to the hundredth. A time of 0 is the feed's "not
    recorded" (a stop whose exit the feed has no time for has a total_duration of 0)."""
    figures: dict[str, Any] = {"service": service} if service else {}
    for key, seconds in (("stopped_s", stop.box_seconds), ("road_s", stop.road_seconds)):
        if seconds and seconds > 0:
            figures[key] = round(seconds, 2)
    if figures.get("stopped_s", 0) > figures.get("road_s", float("inf")):
        warn(f"live-pit-data.json: car {stop.number}'s stop at lap {stop.lap} is stopped longer than it is on "
             "pit road; its time stopped is left out", spoiler=True)
        del figures["stopped_s"]
    for key, pos in zip(("in_pos", "out_pos"), places, strict=True):
        if pos is not None:
            figures[key] = pos
    if stop.under_caution is not None:
        figures["under_caution"] = stop.under_caution
    if figures.keys() & {"stopped_s", "road_s", "out_pos"}:
        figures["out_lap"] = stop.lap + OUT_LAPS
    return figures


def _pit_text(stop: PitStop, service: str | None, figures: dict[str, Any], caution: bool) -> str:
    """What is known at the stop's lap: the service and the place it came in from; "under caution"
    only where the caution is out at that lap (the viewer adds the rest when it is known)."""
    parts = [SERVICE_WORDS[service] if service else (stop.kind or "service not given").lower().replace("_", " ")]
    if "in_pos" in figures:
        parts.append(f"from P{figures['in_pos']}")
    return ("Pit stop under caution: " if stop.under_caution and caution else "Pit stop: ") + ", ".join(parts)


def results_and_stages(feeds: Feeds, ids: dict[int, str], drivers: dict[str, Driver], final: int,
                       warn: Warn) -> tuple[list[dict[str, Any]], dict[int, dict[str, Any]]]:
    weekend, times, stats, points = feeds.weekend, feeds.lap_times, feeds.driver_stats, feeds.stage_points
    stages: dict[int, dict[str, Any]] = {}
    for stage, pos, car, pts in ((p.stage, p.pos, p.number, p.points) for p in points or []):
        stages.setdefault(stage, {"results": [], "sources": ["live-stage-points"]})["results"].append(
            {"pos": pos, "car": car, **({"points": pts} if pts is not None else {})})
    if weekend and weekend.stages:
        theirs = {stage: car for stage, pos, car, _ in weekend.stages if pos == 1}
        if stages:
            for stage, car in theirs.items():
                ours = next((r["car"] for r in stages.get(stage, {}).get("results", []) if r["pos"] == 1), None)
                if ours and ours != car:
                    warn(f"stage {stage} winner: live-stage-points.json says {ours}, weekend-feed.json {car}; "
                         f"using live-stage-points.json", spoiler=True)
        else:
            for stage, pos, car, pts in weekend.stages:
                if car not in drivers:
                    warn(f"weekend-feed.json: stage {stage} places car {car}, which is in no result; left out", spoiler=True)
                    continue
                stages.setdefault(stage, {"results": [], "sources": ["weekend-feed"]})["results"].append(
                    {"pos": pos, "car": car, **({"points": pts} if pts is not None else {})})
    return _results(weekend, times, stats, ids, final, warn), dict(sorted(stages.items()))


def _results(weekend: Weekend | None, times: LapTimes | None, stats: DriverStats | None, ids: dict[int, str], final: int,
             warn: Warn) -> list[dict[str, Any]]:
    led = {ids[i]: int(s["laps_led"]) for i, s in (stats.by_driver_id.items() if stats else []) if i in ids and "laps_led" in s}
    if weekend and weekend.results:
        if times and finishing_order(weekend)[:10] != times.final_order[:10]:
            warn("weekend-feed.json and lap-times.json give different top tens; using weekend-feed.json", spoiler=True)
        placed = sorted((r for r in weekend.results if r.pos or r.status == "dns"), key=lambda r: r.pos or 10**6)
        for result in weekend.results:
            if not (result.pos or result.status == "dns"):
                warn(f"weekend-feed.json: car {result.number} has no finishing_position; its result is left out", spoiler=True)
        return [_weekend_result(r, final, warn) for r in placed]
    if not times:
        return []
    rows = []
    for pos, car in enumerate(times.final_order, start=1):
        row: dict[str, Any] = {"pos": pos, "car": car, "laps": max(lap for lap, _, _ in times.laps[car])}
        if car in led:
            row["laps_led"] = led[car]
        row["sources"] = ["lap-times"] + (["live-driver-stats"] if car in led else [])
        rows.append(row)
    return rows


def _weekend_result(result: WeekendResult, final: int, warn: Warn) -> dict[str, Any]:
    """A result row; a car that did not start has no place, and figures past the race are left out."""
    row: dict[str, Any] = {"pos": result.pos, "car": result.number} if result.status != "dns" else {"car": result.number}
    laps, led = result.laps, result.laps_led
    if laps is not None and laps > final:
        warn(f"weekend-feed.json: car {result.number} completed {laps} laps of a {final}-lap race; its laps are left out",
             spoiler=True)
        laps = None
    if led is not None and led > (final if laps is None else laps):
        warn(f"weekend-feed.json: car {result.number} led {led} laps, more than it ran; its laps led are left out", spoiler=True)
        led = None
    for key, value in (("laps", laps), ("status", result.status), ("laps_led", led), ("points", result.points)):
        if value is not None:
            row[key] = value
    if result.raw_status and result.status == "retired":
        row["note"] = f"Feed status: {result.raw_status}"
    elif result.status == "dns" and result.pos:
        row["note"] = f"The feed lists it in finishing position {result.pos}."
    row["sources"] = ["weekend-feed"]
    return row


def stage_ends_from_notes(notes: list[Note], count: int, final: int) -> tuple[list[int | None], list[str]]:
    """Stage end laps from notes like "#2 wins stage 1" or "#48 wins the stage" (estimated)."""
    ends: list[int | None] = [None] * count
    reasons = []
    next_stage = 1
    for note in notes:
        match = re.search(r"wins (?:stage (\d+)|the stage)", note.text, re.IGNORECASE)
        if not match:
            continue
        stage = int(match.group(1)) if match.group(1) else next_stage
        if 1 <= stage < count and ends[stage - 1] is None:
            ends[stage - 1] = note.lap
            # the lap only: the note's words name the stage winner, and the race's estimates are
            # shown from the grid
            reasons.append(f"stage {stage}, lap {note.lap}")
            next_stage = stage + 1
    ends[-1] = final
    return ends, reasons


def _unique(values: Iterable[str]) -> list[str]:
    """In first-seen order."""
    return list(dict.fromkeys(values))
