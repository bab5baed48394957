"""Parse each NASCAR feed file into plain data. Nothing here knows the race file format."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..feed_io import Shape, car_number

MAKES = {"chv": "Chevrolet", "chevrolet": "Chevrolet", "tyt": "Toyota", "toyota": "Toyota",
         "frd": "Ford", "ford": "Ford", "dge": "Dodge", "dodge": "Dodge"}
_SUFFIXES = re.compile(r"\s*(\(i\)|#|\*)\s*$", re.IGNORECASE)


@dataclass
class Driver:
    """A car as a feed names it, with the name's suffix markers turned into flags."""

    number: str
    driver: str
    make: str | None = None
    team: str | None = None
    rookie: bool = False
    ineligible: bool = False
    starred: bool = False


def split_name(raw: str) -> tuple[str, bool, bool, bool]:
    """``"Sammy Smith #"`` -> ("Sammy Smith", rookie, points-ineligible, starred); some files
    put the star first (``"* Daniel Suarez"``)."""
    name, rookie, ineligible, starred = raw.strip(), False, False, False
    if name.startswith("*") and name[1:].strip():
        name, starred = name[1:].strip(), True
    while (match := _SUFFIXES.search(name)) and match.start() > 0:
        marker = match.group(1).lower()
        rookie |= marker == "#"
        ineligible |= marker == "(i)"
        starred |= marker == "*"
        name = name[: match.start()]
    return name.strip(), rookie, ineligible, starred


def make_name(raw: str | None) -> str | None:
    return None if not raw else MAKES.get(raw.strip().lower(), raw.strip())


@dataclass
class LapTimes:
    drivers: dict[str, Driver]
    driver_ids: dict[int, str]
    laps: dict[str, list[tuple[int, float | None, int]]]  # car -> [(lap, seconds, running position)]
    final_order: list[str]  # cars by their final running position
    flags: dict[int, int]  # lap -> flag code the lap ran under


def parse_lap_times(data: Any) -> LapTimes:
    shape = Shape("lap-times.json")
    shape.kind(data, (dict,), "")
    cars = shape.objects(shape.field(data, "laps", (list,), ""), "laps")
    drivers: dict[str, Driver] = {}
    ids: dict[int, str] = {}
    laps: dict[str, list[tuple[int, float | None, int]]] = {}
    final: list[tuple[int, str]] = []
    for i, car in enumerate(cars):
        where = f"laps[{i}]"
        number = car_number(shape, shape.field(car, "Number", (str, int), where), f"{where}.Number")
        if number in drivers:
            shape.fail(f"{where}.Number", f"car {number!r} is listed twice")
        name, rookie, ineligible, starred = split_name(shape.field(car, "FullName", (str,), where))
        make = shape.field(car, "Manufacturer", (str,), where, required=False, nullable=True)
        drivers[number] = Driver(number, name, make_name(make), None, rookie, ineligible, starred)
        driver_id = shape.field(car, "NASCARDriverID", (int,), where, required=False, nullable=True)
        if driver_id is not None:
            ids[driver_id] = number
        final.append((shape.field(car, "RunningPos", (int,), where), number))
        laps[number] = _car_laps(shape, shape.objects(shape.field(car, "Laps", (list,), where), f"{where}.Laps"),
                                 f"{where}.Laps")
    flags = {}
    for i, flag in enumerate(shape.objects(shape.field(data, "flags", (list,), "", required=False) or [], "flags")):
        lap = shape.field(flag, "LapsCompleted", (int,), f"flags[{i}]")
        flags[lap] = shape.field(flag, "FlagState", (int,), f"flags[{i}]")
    return LapTimes(drivers, ids, laps, [number for _, number in sorted(final)], flags)


def _car_laps(shape: Shape, entries: list[dict], where: str) -> list[tuple[int, float | None, int]]:
    out = []
    for j, entry in enumerate(entries):
        here = f"{where}[{j}]"
        lap = shape.field(entry, "Lap", (int,), here)
        time = shape.field(entry, "LapTime", (float,), here, required=False, nullable=True)
        shape.number_text(entry.get("LapSpeed"), f"{here}.LapSpeed")  # checked, not kept: time says it
        out.append((lap, None if time is None else float(time), shape.field(entry, "RunningPos", (int,), here)))
    return out


@dataclass
class Note:
    lap: int
    text: str
    driver_ids: list[int]


def parse_lap_notes(data: Any) -> list[Note]:
    shape = Shape("lap-notes.json")
    shape.kind(data, (dict,), "")
    by_lap = shape.kind(shape.field(data, "laps", (dict,), ""), (dict,), "laps")
    notes = []
    for key, items in by_lap.items():
        if not str(key).strip().isdigit():
            shape.fail(f"laps.{key}", "lap keys should be lap numbers")
        for i, item in enumerate(shape.objects(items, f"laps.{key}")):
            where = f"laps.{key}[{i}]"
            text = shape.field(item, "Note", (str,), where).strip()
            ids = shape.field(item, "DriverIDs", (list,), where, required=False, nullable=True) or []
            ids = [shape.kind(v, (int,), f"{where}.DriverIDs") for v in ids if v is not None]  # real files hold nulls
            notes.append(Note(int(key), text, ids))
    return sorted(notes, key=lambda note: note.lap)


@dataclass
class FlagChange:
    lap: int  # laps completed when the flag changed: the new flag applies from the next lap
    code: int
    comment: str
    date: str | None


def parse_flag_data(data: Any) -> list[FlagChange]:
    """Served as a bare array; some saved copies wrap it as ``{"FlagStates": [...]}``."""
    shape = Shape("live-flag-data.json")
    if isinstance(data, dict):
        data = shape.field(data, "FlagStates", (list,), "")
    changes = []
    for i, item in enumerate(shape.objects(data, "flag states")):
        where = f"[{i}]"
        when = shape.field(item, "time_of_day_os", (str,), where, required=False, nullable=True)
        changes.append(FlagChange(
            shape.field(item, "lap_number", (int,), where), shape.field(item, "flag_state", (int,), where),
            (shape.field(item, "comment", (str,), where, required=False, nullable=True) or "").strip(),
            when[:10] if when and re.match(r"\d{4}-\d{2}-\d{2}", when) else None,
        ))
    return changes


@dataclass
class PitStop:
    number: str
    lap: int
    under_caution: bool | None  # None: the feed does not say (no pit_in_flag_status)
    kind: str | None
    box_seconds: float | None
    road_seconds: float | None
    rank_in: int | None
    rank_out: int | None
    gained: int | None


def parse_pit_data(data: Any) -> list[PitStop]:
    shape = Shape("live-pit-data.json")
    stops = []
    for i, item in enumerate(shape.objects(data, "pit stops")):
        where = f"[{i}]"
        lap = shape.optional(item, "leader_lap", (int,), where) or shape.field(item, "lap_count", (int,), where)
        number = car_number(shape, shape.field(item, "vehicle_number", (str, int), where), f"{where}.vehicle_number")
        whole = {key: shape.optional(item, key, (int,), where)
                 for key in ("pit_in_flag_status", "pit_in_rank", "pit_out_rank", "positions_gained_lost")}
        stops.append(PitStop(
            number, lap, None if whole["pit_in_flag_status"] is None else whole["pit_in_flag_status"] == 2,
            shape.optional(item, "pit_stop_type", (str,), where),
            shape.optional(item, "pit_stop_duration", (float,), where),
            shape.optional(item, "total_duration", (float,), where),
            whole["pit_in_rank"], whole["pit_out_rank"], whole["positions_gained_lost"],
        ))
    return stops


@dataclass
class StagePlace:
    stage: int
    pos: int
    number: str
    driver: str
    points: int | None
    driver_id: int | None = None


def parse_stage_points(data: Any) -> list[StagePlace]:
    shape = Shape("live-stage-points.json")
    places = []
    for i, stage in enumerate(shape.objects(data, "stages")):
        number = shape.field(stage, "stage_number", (int,), f"[{i}]")
        for j, item in enumerate(shape.objects(shape.field(stage, "results", (list,), f"[{i}]"), f"[{i}].results")):
            where = f"[{i}].results[{j}]"
            places.append(StagePlace(
                number, shape.field(item, "position", (int,), where),
                car_number(shape, shape.field(item, "vehicle_number", (str, int), where), f"{where}.vehicle_number"),
                split_name(shape.field(item, "full_name", (str,), where))[0],
                shape.field(item, "stage_points", (int,), where, required=False, nullable=True),
                shape.field(item, "driver_id", (int,), where, required=False, nullable=True),
            ))
    return places


LOOP_FIELDS = {  # feed key -> loop_data name
    "start_ps": "start", "mid_ps": "mid", "ps": "finish", "closing_ps": "closing",
    "closing_laps_diff": "closing_laps_diff", "best_ps": "best", "worst_ps": "worst", "avg_ps": "average",
    "passes_gf": "green_flag_passes", "passed_gf": "green_flag_passed", "passing_diff": "passing_diff",
    "quality_passes": "quality_passes", "fast_laps": "fastest_laps", "top15_laps": "top15_laps",
    "lead_laps": "laps_led", "laps": "laps", "rating": "rating",
}


@dataclass
class DriverStats:
    race_name: str | None
    series_id: int | None
    scheduled_laps: int | None
    actual_laps: int | None
    by_driver_id: dict[int, dict[str, float]] = field(default_factory=dict)


def parse_driver_stats(data: Any) -> DriverStats:
    shape = Shape("live-driver-stats.json")
    races = shape.objects(data, "races") if isinstance(data, list) else [shape.kind(data, (dict,), "")]
    if not races:
        shape.fail("", "no race in the file")
    race = races[0]
    stats = DriverStats(*(shape.optional(race, key, kinds, "[0]") for key, kinds in (
        ("race_name", (str,)), ("series_id", (int,)), ("sch_laps", (int,)), ("act_laps", (int,)))))
    for i, item in enumerate(shape.objects(shape.field(race, "drivers", (list,), "[0]"), "[0].drivers")):
        where = f"[0].drivers[{i}]"
        driver_id = shape.field(item, "driver_id", (int,), where)
        stats.by_driver_id[driver_id] = {
            name: float(shape.kind(item[key], (float,), f"{where}.{key}"))
            for key, name in LOOP_FIELDS.items() if item.get(key) is not None
        }
    return stats
