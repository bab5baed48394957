"""Parse ``weekend-feed.json``: the race summary (results, cautions, leaders, stages, stated totals).

Written against the file as served (``/cacher/{season}/{series}/{race}/weekend-feed.json``). Every
field is optional: an absent or null one is unknown; a row without what places it (a caution
without its laps, a result without its car) is left out with a note in ``skipped``. A field of
the wrong type is a broken file (FeedError).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..feed_io import Shape, car_number
from .files import Driver, make_name, split_name
from .series import NAMES
from .stages import stage_lengths

NAME = "weekend-feed.json"
STATUSES = {
    "running": "running", "accident": "accident", "crash": "accident", "engine": "engine",
    "transmission": "transmission", "brakes": "brakes", "suspension": "suspension", "electrical": "electrical",
    "fuel pump": "fuel", "fuel": "fuel", "overheating": "overheating", "tires": "tires", "tire": "tires",
    "disqualified": "disqualified", "parked": "parked", "did not start": "dns", "dns": "dns",
}
STATED = {"number_of_lead_changes": "lead_changes", "number_of_leaders": "leaders",
          "number_of_cautions": "cautions", "number_of_caution_laps": "caution_laps",
          "number_of_cars_in_field": "cars"}


@dataclass
class WeekendResult:
    pos: int | None
    start: int | None
    number: str
    laps: int | None
    laps_led: int | None
    status: str | None
    raw_status: str | None
    points: int | None
    disqualified: bool
    driver_id: int | None = None
    times_led: int | None = None


@dataclass
class Caution:
    first: int
    last: int
    code: int | None
    reason: str
    beneficiary: str | None
    where: str  # its place in the file, for messages


@dataclass
class Weekend:
    race_id: int | None = None
    series: str | None = None
    name: str | None = None
    track: str | None = None
    date: str | None = None
    scheduled_laps: int | None = None
    actual_laps: int | None = None
    stage_lengths: tuple[int, ...] = ()
    stated: dict[str, int] = field(default_factory=dict)  # lead_changes, leaders, cautions, caution_laps, cars
    pole_driver_id: int | None = None
    margin: float | None = None
    margin_words: str | None = None  # "Under Caution": a margin the feed gives in words
    comments: str | None = None
    drivers: dict[str, Driver] = field(default_factory=dict)
    results: list[WeekendResult] = field(default_factory=list)
    cautions_laps: list[Caution] = field(default_factory=list)
    leaders: list[tuple[int, int, str]] = field(default_factory=list)  # first, last (lap 0: the start), car
    stages: list[tuple[int, int, str, int | None]] = field(default_factory=list)  # stage, pos, car, points
    infractions: list[tuple[int | None, str | None, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # rows left out, and why


def finishing_order(weekend: Weekend) -> list[str]:
    """The cars by finishing position; those the feed gives none last."""
    return [r.number for r in sorted(weekend.results, key=lambda r: (r.pos is None, r.pos or 0))]


def parse_weekend(data: Any) -> Weekend:
    shape = Shape(NAME)
    shape.kind(data, (dict,), "")
    races = shape.objects(shape.field(data, "weekend_race", (list,), ""), "weekend_race")
    if not races:
        shape.fail("weekend_race", "is empty: the file holds no race")
    race, where = races[0], "weekend_race[0]"
    weekend = _race_facts(shape, race, where)
    for key, parse in (("results", _result), ("caution_segments", _caution), ("race_leaders", _leader),
                       ("stage_results", _stage), ("infractions", _infraction)):
        for i, item in enumerate(shape.objects(shape.optional(race, key, (list,), where) or [], f"{where}.{key}")):
            parse(shape, weekend, item, f"{where}.{key}[{i}]")
    return weekend


def _race_facts(shape: Shape, race: dict, where: str) -> Weekend:
    def get(key: str, kinds: tuple[type, ...]) -> Any:
        return shape.optional(race, key, kinds, where)

    date = get("race_date", (str,)) or get("date_scheduled", (str,))
    lengths = [get(f"stage_{i}_laps", (int,)) for i in (1, 2, 3, 4)]
    margin, words = _margin(shape, get("margin_of_victory", (str, float)), where)
    comments = (get("race_comments", (str,)) or "").strip()
    return Weekend(
        race_id=get("race_id", (int,)), series=NAMES.get(get("series_id", (int,))),
        name=get("race_name", (str,)), track=get("track_name", (str,)), date=date[:10] if date else None,
        scheduled_laps=get("scheduled_laps", (int,)) or None, actual_laps=get("actual_laps", (int,)) or None,
        stage_lengths=stage_lengths(lengths),
        stated={name: value for key, name in STATED.items() if (value := get(key, (int,))) is not None},
        pole_driver_id=get("pole_winner_driver_id", (int,)) or None, margin=margin, margin_words=words,
        comments=comments or None,
    )


def _margin(shape: Shape, value: Any, where: str) -> tuple[float | None, str | None]:
    """``"1.535"`` seconds; ``"Caution"`` or ``"Under Caution"`` are words, kept as such; ``""`` unknown."""
    if isinstance(value, str):
        text = value.strip().rstrip("s").strip()
        try:
            return (float(text), None) if text else (None, None)
        except ValueError:
            return None, value.strip()
    return shape.number_text(value, f"{where}.margin_of_victory"), None


def _car(shape: Shape, item: dict, key: str, where: str) -> str | None:
    value = shape.optional(item, key, (str, int), where)
    return None if value is None or value == "" else car_number(shape, value, f"{where}.{key}")


def _result(shape: Shape, weekend: Weekend, item: dict, where: str) -> None:
    def get(key: str, kinds: tuple[type, ...]) -> Any:
        return shape.optional(item, key, kinds, where)

    number, raw_name = _car(shape, item, "car_number", where), get("driver_fullname", (str,))
    if number is None or not (raw_name or "").strip():
        weekend.skipped.append(f"{where}: no car number or driver name; left out")
        return
    name, rookie, ineligible, starred = split_name(raw_name)
    weekend.drivers[number] = Driver(number, name, make_name(get("car_make", (str,))), get("team_name", (str,)),
                                     rookie, ineligible, starred)
    raw_status = (get("finishing_status", (str,)) or "").strip() or None
    weekend.results.append(WeekendResult(
        get("finishing_position", (int,)) or None, get("starting_position", (int,)) or None, number,
        get("laps_completed", (int,)), get("laps_led", (int,)),
        STATUSES.get(raw_status.lower(), "retired") if raw_status else None, raw_status,
        get("points_earned", (int,)), bool(get("disqualified", (bool,))), get("driver_id", (int,)),
        get("times_led", (int,)),
    ))


def _caution(shape: Shape, weekend: Weekend, item: dict, where: str) -> None:
    def get(key: str, kinds: tuple[type, ...]) -> Any:
        return shape.optional(item, key, kinds, where)

    first, last = get("start_lap", (int,)), get("end_lap", (int,))
    if first is None or last is None or last < first:
        weekend.skipped.append(f"{where}: no start_lap and end_lap in order; this caution is left out")
        return
    weekend.cautions_laps.append(Caution(first, last, get("flag_state", (int,)),
                                         caution_reason(get("reason", (str,)), get("comment", (str,))),
                                         _car(shape, item, "beneficiary_car_number", where), where))


def caution_reason(reason: str | None, comment: str | None) -> str:
    """``Accident: #11, 15 Incident Turn 1``; a comment that repeats its reason stands alone
    (``Competition`` and ``Competition Caution``)."""
    parts = [text.strip() for text in (reason, comment) if text and text.strip()]
    if len(parts) == 2 and parts[0].lower() in parts[1].lower():
        return parts[1]
    return ": ".join(parts)


def _leader(shape: Shape, weekend: Weekend, item: dict, where: str) -> None:
    first, last = shape.optional(item, "start_lap", (int,), where), shape.optional(item, "end_lap", (int,), where)
    car = _car(shape, item, "car_number", where)
    if first is None or last is None or car is None or last < first:
        weekend.skipped.append(f"{where}: no car, start_lap and end_lap in order; this leader span is left out")
        return
    weekend.leaders.append((first, last, car))


def _stage(shape: Shape, weekend: Weekend, stage: dict, where: str) -> None:
    number = shape.optional(stage, "stage_number", (int,), where)
    for j, item in enumerate(shape.objects(shape.optional(stage, "results", (list,), where) or [], f"{where}.results")):
        here = f"{where}.results[{j}]"
        pos, car = shape.optional(item, "finishing_position", (int,), here), _car(shape, item, "car_number", here)
        if number is None or not pos or car is None:
            weekend.skipped.append(f"{here}: no stage number, place or car; left out")
            continue
        weekend.stages.append((number, pos, car, shape.optional(item, "stage_points", (int,), here)))


def _infraction(shape: Shape, weekend: Weekend, item: dict, where: str) -> None:
    """The real files seen hold none, so their fields are not known: a lap, a car and a description
    are taken where a field of a likely name holds one."""
    lap = next((item[k] for k in ("lap", "lap_number", "lap_count") if isinstance(item.get(k), int)), None)
    car = next((item[k] for k in ("car_number", "vehicle_number") if isinstance(item.get(k), (str, int))), None)
    text = " ".join(str(item[k]).strip() for k in ("infraction", "penalty", "description", "notes")
                    if isinstance(item.get(k), str) and item[k].strip())
    if not text:
        weekend.skipped.append(f"{where}: an infraction with no description in a field we know "
                               f"({', '.join(sorted(map(str, item))) or 'no fields'}); left out")
        return
    weekend.infractions.append((lap, None if car in (None, "") else car_number(shape, car, where), text))
