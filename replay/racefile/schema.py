"""A JSON Schema of the race file format, for editors that validate YAML as you type.

The loader is the authority (it also checks references, lap ranges and order);
this schema covers structure and types so mistakes show up while typing.
"""

from __future__ import annotations

from typing import Any

from ..core.model import EVENT_KINDS, FLAG_KINDS, PIT_SERVICES, RESULT_STATUSES
from .header import PARTIAL_COUNTS, RACE_FIELDS_THAT_CAN_BE_ESTIMATED, STATED_TOTALS, TRACK_TYPES
from .laps import LOOP_STATS
from .story import PLAYOFF

TEXT = {"type": "string", "minLength": 1}
COUNT = {"type": "integer", "minimum": 0}
CAR = {"type": "string", "minLength": 1, "description": 'Car number in quotes ("07"), or the driver name'}
SOURCES = {"type": "array", "items": TEXT, "description": "Ids from the `sources` section"}
WHEN = {"enum": ["pre-race", "race", "post-race"]}


def _object(required: dict[str, Any], optional: dict[str, Any] | None = None, about: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {**required, **(optional or {})},
        "required": list(required),
        "additionalProperties": False,
    }
    if about:
        schema["description"] = about
    return schema


def _lap_map(value: dict[str, Any], about: str) -> dict[str, Any]:
    return {"type": "object", "propertyNames": {"pattern": "^[0-9]+$"},
            "additionalProperties": value, "description": about}


def _pit_stop() -> dict[str, Any]:
    seconds = {"type": "number", "exclusiveMinimum": 0}
    position = {"type": "integer", "minimum": 1}
    return {**_object({}, {
        "service": {"enum": list(PIT_SERVICES)},
        "stopped_s": {**seconds, "description": "Seconds stopped in the pit box"},
        "road_s": {**seconds, "description": "Seconds on pit road, entry to exit"},
        "in_pos": {**position, "description": "Position as the car came in"},
        "out_pos": {**position, "description": "Position as it went out"},
        "under_caution": {"type": "boolean", "description": "The car came in under caution"},
        "out_lap": {**position, "description": "The lap from which out_pos, road_s and stopped_s are known "
                                                "(the car's out-lap); without it, the stop's lap"},
    }, "One car's stop (a `pit` event with one car): what a pit-stop record gives"), "minProperties": 1}


def race_schema() -> dict[str, Any]:
    order_list = {"anyOf": [
        {"type": "array", "items": {"anyOf": [CAR, {"type": "null"}]}},
        {"type": "string", "description": "The same as one space-separated string (car numbers, ~)"},
    ], "description": "Cars from P1 down; ~ for a position no source gives"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://race-replay.invalid/schema/race-1.json",
        "title": "race-replay race timeline, format 1",
        **_object(
            {
                "race": _object(
                    {"series": TEXT, "name": TEXT, "track": TEXT, "laps": COUNT,
                     "stage_ends": {"type": "array", "items": {"anyOf": [COUNT, {"type": "null"}]},
                                    "description": "End lap of each stage; ~ where no source gives it"}},
                    {"date": {"type": "string", "format": "date"}, "track_length_miles": {"type": "number"},
                     "track_type": {"enum": list(TRACK_TYPES)}, "actual_laps": COUNT, "purse": COUNT,
                     "margin_of_victory": {"type": "number"}, "next_race": TEXT,
                     "notes": {"type": "array", "items": TEXT},
                     "estimated": {"type": "object", "additionalProperties": TEXT,
                                   "propertyNames": {"enum": list(RACE_FIELDS_THAT_CAN_BE_ESTIMATED)}},
                     "partial": {"type": "array", "items": {"enum": list(PARTIAL_COUNTS)}},
                     "in_progress": {"type": "boolean", "description": "Still running when written: "
                                     "actual_laps is the last lap complete so far; no finish, no result"},
                     "stated": {"type": "object", "additionalProperties": COUNT,
                                "propertyNames": {"enum": list(STATED_TOTALS)},
                                "description": "Totals the race's record states; shown at the finish"}},
                ),
                "sources": {"type": "object", "additionalProperties": _object(
                    {}, {k: TEXT for k in ("title", "publisher", "author", "file", "url")}
                    | {"date": {"type": "string", "format": "date"},
                       "spoiler_free": {"type": "boolean",
                                        "description": "title, file and url give nothing away: shown before the finish"},
                       "pit_record": {"type": "boolean",
                                      "description": "a complete record of the race's pit stops, even of none"}})},
                "entries": {"type": "array", "items": _object(
                    {"driver": TEXT},
                    {"number": {"type": "string", "minLength": 1}, "team": TEXT, "make": TEXT,
                     "rookie": {"type": "boolean"}, "points_eligible": {"type": "boolean"}, "notes": TEXT,
                     "known_from": {**COUNT, "description": "Lap from which the car is known to be in the race "
                                    "(0: the grid); without it, the first fact known before the finish that names it"}})},
            },
            {
                "format": {"const": 1},
                "running_order": _lap_map({"anyOf": [order_list, _object(
                    {"order": order_list},
                    {"estimated": {"type": "object", "additionalProperties": TEXT}, "sources": SOURCES})]},
                    "Lap -> running order; lap 0 is the grid"),
                "lap_times": _lap_map({"anyOf": [{"type": "array", "items": {"type": ["number", "null"]}},
                                                 {"type": "string"}]},
                                      "Lap -> lap times in seconds, aligned with that lap's running order"),
                "laps_down": _lap_map({"anyOf": [{"type": "array", "items": {"anyOf": [COUNT, {"type": "null"}]}},
                                                 {"type": "string"}]},
                                      "Lap -> each car's laps behind the leader, aligned with that lap's running order"),
                "race_times": _lap_map({"anyOf": [{"type": "array", "items": {"type": ["number", "null"]}},
                                                  {"type": "string"}]},
                                       "Lap -> each car's race time in seconds (its lap times summed, to its "
                                       "latest lap), aligned with that lap's running order"),
                "leaders": {"type": "array", "items": _object(
                    {"car": CAR, "from": COUNT, "to": COUNT}, {"estimated": TEXT, "sources": SOURCES})},
                "flags": {"type": "array", "items": _object(
                    {"flag": {"enum": list(FLAG_KINDS)}, "from": COUNT, "to": COUNT},
                    {"reason": TEXT, "estimated": TEXT, "sources": SOURCES,
                     "code": {"type": "integer", "description": "raw flag code from a timing feed"},
                     "stated": _object({"from": COUNT, "to": COUNT}, {"sources": SOURCES},
                                       "the race record's own laps of this caution, where they differ")})},
                "stage_results": {"type": "object", "additionalProperties": _object(
                    {"results": {"type": "array", "items": _object({"pos": COUNT, "car": CAR}, {"points": COUNT})}},
                    {"sources": SOURCES})},
                "events": {"type": "array", "items": _object(
                    {"kind": {"enum": [k for k in EVENT_KINDS if k != "stage_end"]}, "text": TEXT},
                    {"lap": {"anyOf": [COUNT, {"type": "array", "items": COUNT, "minItems": 2, "maxItems": 2}]},
                     "when": WHEN, "cars": {"type": "array", "items": CAR}, "sources": SOURCES,
                     "estimated": TEXT, "time": {"type": "number"}, "speed_mph": {"type": "number"},
                     "pit": _pit_stop(),
                     "ends_race": {"type": "array", "items": CAR,
                                   "description": "Cars (among `cars`) whose race this event ends, known from its lap"}})},
                "quotes": {"type": "array", "items": _object(
                    {"speaker": TEXT, "text": TEXT, "source": TEXT, "when": WHEN},
                    {"lap": COUNT, "car": CAR, "context": TEXT})},
                "results": {"type": "array", "items": _object(
                    {"car": CAR},
                    {"pos": COUNT, "laps": COUNT, "status": {"enum": list(RESULT_STATUSES)}, "laps_led": COUNT,
                     "points": {"type": "integer"}, "note": TEXT, "sources": SOURCES})},
                "standings": {"type": "array", "items": _object(
                    {"car": CAR}, {"pos": COUNT, "points": {"type": "integer"}, "behind": COUNT, "note": TEXT,
                                   "sources": SOURCES, "playoff": {"enum": list(PLAYOFF)},
                                   "cutoff": {"type": "integer"}})},
                "loop_data": {"type": "object", "description": "Car -> whole-race statistics, shown at the finish",
                              "additionalProperties": _object({}, {name: {"type": "number"} for name in LOOP_STATS})},
                "disputes": {"type": "array", "items": _object(
                    {"topic": TEXT, "versions": {"type": "array", "minItems": 2, "items": _object(
                        {"says": TEXT, "sources": SOURCES})}, "used": COUNT, "why": TEXT},
                    {"settles": {"type": "array", "items": TEXT,
                                 "description": 'Audit checks this dispute explains, e.g. "laps_led 21"'}})},
            },
        ),
    }
