"""Parse ``weekend-feed.json``: the race summary (results, cautions, leaders, stages)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..feed_io import Shape, car_number
from .files import Driver, make_name, split_name

STATUSES = {
    "running": "running", "accident": "accident", "crash": "accident", "engine": "engine",
    "transmission": "transmission", "brakes": "brakes", "suspension": "suspension", "electrical": "electrical",
    "fuel pump": "fuel", "fuel": "fuel", "overheating": "overheating", "tires": "tires", "tire": "tires",
    "disqualified": "disqualified", "parked": "parked", "did not start": "dns", "dns": "dns",
}


@dataclass
class WeekendResult:
    pos: int
    start: int | None
    number: str
    laps: int | None
    laps_led: int | None
    status: str | None
    raw_status: str | None
    points: int | None
    disqualified: bool


@dataclass
class Weekend:
    name: str | None = None
    track: str | None = None
    date: str | None = None
    scheduled_laps: int | None = None
    actual_laps: int | None = None
    stage_lengths: list[int] = field(default_factory=list)
    cautions: int | None = None
    lead_changes: int | None = None
    margin: float | None = None
    drivers: dict[str, Driver] = field(default_factory=dict)
    results: list[WeekendResult] = field(default_factory=list)
    cautions_laps: list[tuple[int, int, int, str]] = field(default_factory=list)  # first, last, code, reason
    leaders: list[tuple[int, int, str]] = field(default_factory=list)
    stages: list[tuple[int, int, str, int | None]] = field(default_factory=list)  # stage, pos, car, points
    infractions: list[tuple[int | None, str | None, str]] = field(default_factory=list)


def parse_weekend(data: Any) -> Weekend:
    shape = Shape("weekend-feed.json")
    shape.kind(data, (dict,), "")
    races = shape.objects(shape.field(data, "weekend_race", (list,), ""), "weekend_race")
    if not races:
        shape.fail("weekend_race", "is empty")
    race, where = races[0], "weekend_race[0]"
    def get(key: str, kinds: tuple[type, ...]) -> Any:
        return shape.optional(race, key, kinds, where)

    date = get("race_date", (str,))
    weekend = Weekend(
        name=get("race_name", (str,)), track=get("track_name", (str,)), date=date[:10] if date else None,
        scheduled_laps=get("scheduled_laps", (int,)), actual_laps=get("actual_laps", (int,)),
        stage_lengths=[n for n in (get(f"stage_{i}_laps", (int,)) for i in (1, 2, 3, 4)) if n],
        cautions=get("number_of_cautions", (int,)), lead_changes=get("number_of_lead_changes", (int,)),
        margin=_margin(shape, race.get("margin_of_victory"), where),
    )
    for i, item in enumerate(shape.objects(get("results", (list,)) or [], f"{where}.results")):
        _result(shape, weekend, item, f"{where}.results[{i}]")
    for i, item in enumerate(shape.objects(get("caution_segments", (list,)) or [], f"{where}.caution_segments")):
        here = f"{where}.caution_segments[{i}]"
        reason = " ".join(x.strip() for x in (item.get("reason"), item.get("comment")) if isinstance(x, str) and x.strip())
        code = shape.field(item, "flag_state", (int,), here, required=False, nullable=True) or 2
        weekend.cautions_laps.append((shape.field(item, "start_lap", (int,), here),
                                      shape.field(item, "end_lap", (int,), here), code, reason))
    for i, item in enumerate(shape.objects(get("race_leaders", (list,)) or [], f"{where}.race_leaders")):
        here = f"{where}.race_leaders[{i}]"
        weekend.leaders.append((shape.field(item, "start_lap", (int,), here), shape.field(item, "end_lap", (int,), here),
                                car_number(shape, shape.field(item, "car_number", (str, int), here), f"{here}.car_number")))
    for i, stage in enumerate(shape.objects(get("stage_results", (list,)) or [], f"{where}.stage_results")):
        here = f"{where}.stage_results[{i}]"
        number = shape.field(stage, "stage_number", (int,), here)
        for j, item in enumerate(shape.objects(shape.field(stage, "results", (list,), here), f"{here}.results")):
            there = f"{here}.results[{j}]"
            weekend.stages.append((number, shape.field(item, "finishing_position", (int,), there),
                                   car_number(shape, shape.field(item, "car_number", (str, int), there), f"{there}.car_number"),
                                   shape.field(item, "stage_points", (int,), there, required=False, nullable=True)))
    for i, item in enumerate(shape.objects(get("infractions", (list,)) or [], f"{where}.infractions")):
        weekend.infractions.append(_infraction(shape, item, f"{where}.infractions[{i}]"))
    return weekend


def _margin(shape: Shape, value: Any, where: str) -> float | None:
    if isinstance(value, str):
        value = value.strip().rstrip("s").strip()
    return shape.number_text(value, f"{where}.margin_of_victory")


def _result(shape: Shape, weekend: Weekend, item: dict, where: str) -> None:
    def get(key: str, kinds: tuple[type, ...]) -> Any:
        return shape.optional(item, key, kinds, where)

    number = car_number(shape, shape.field(item, "car_number", (str, int), where), f"{where}.car_number")
    name, rookie, ineligible, starred = split_name(shape.field(item, "driver_fullname", (str,), where))
    weekend.drivers[number] = Driver(number, name, make_name(get("car_make", (str,))), get("team_name", (str,)),
                                     rookie, ineligible, starred)
    raw_status = get("finishing_status", (str,))
    weekend.results.append(WeekendResult(
        shape.field(item, "finishing_position", (int,), where), get("starting_position", (int,)), number,
        get("laps_completed", (int,)), get("laps_led", (int,)),
        STATUSES.get(raw_status.strip().lower(), "retired") if raw_status else None, raw_status,
        get("points_earned", (int,)), bool(get("disqualified", (bool,))),
    ))


def _infraction(shape: Shape, item: dict, where: str) -> tuple[int | None, str | None, str]:
    """Infractions have no documented fields: take a lap, a car and a description where present."""
    lap = next((item[k] for k in ("lap", "lap_number", "lap_count") if isinstance(item.get(k), int)), None)
    car = next((item[k] for k in ("car_number", "vehicle_number") if isinstance(item.get(k), (str, int))), None)
    text = " ".join(str(item[k]).strip() for k in ("infraction", "penalty", "description", "notes")
                    if isinstance(item.get(k), str) and item[k].strip())
    return lap, None if car is None else car_number(shape, car, where), text or "Infraction (no description)"
