"""Which file in a feed folder is which: by the name NASCAR serves it under, else by what it holds.

Saved copies are often renamed (``weekend-feed-cup-5274.json``), so a ``.json`` file whose name is
not a served one is recognised by its shape. NASCAR files that are not one race's record (a live
snapshot of a race under way, the points table, a season's list of races) are named with what they
are and left out; a folder holding nothing else stops the import with that reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..base import FeedError
from ..feed_io import parse_json, read_bytes

RACE_FILES = ("lap-times.json", "lap-notes.json", "live-flag-data.json", "live-pit-data.json",
              "live-stage-points.json", "live-driver-stats.json", "weekend-feed.json")
OTHER_FILES = ("live-feed.json", "live_points.json", "race_list_basic.json")


@dataclass
class Folder:
    """The race files found (served name -> (file name, parsed JSON)), the other NASCAR files by
    name (kind, parsed JSON: a season list is read from them) and the files left out, with why."""

    found: dict[str, tuple[str, Any]] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)
    others: dict[str, tuple[str | None, Any]] = field(default_factory=dict)


def read_folder(source: Path) -> dict[str, bytes]:
    """The contents of every ``.json`` file of ``source``, by file name."""
    return {path.name: read_bytes(path) for path in source.iterdir()
            if path.suffix.lower() == ".json" and path.is_file()}


def recognise(files: Mapping[str, bytes], where: str, parsed: Mapping[str, Any] | None = None) -> Folder:
    """Every ``.json`` file of ``files`` (parsed here unless ``parsed`` holds it), recognised;
    FeedError where nothing is a race's feed (``where`` names the folder or URL they came from)."""
    folder = Folder()
    for name in sorted(files, key=lambda n: (n not in RACE_FILES, n)):
        if not name.lower().endswith(".json"):
            continue
        data = parsed[name] if parsed and name in parsed else parse_json(name, files[name])
        kind = _kind(name, data)
        if kind in RACE_FILES:
            if kind in folder.found:
                raise FeedError(f"{folder.found[kind][0]} and {name} are both {kind} files; keep one")
            folder.found[kind] = (name, data)
        else:
            folder.others[name] = (kind, data)
            folder.left_out.append(f"{name}: {what_it_is(kind, data)}")
    if not folder.found:
        if folder.left_out:
            raise FeedError(f"{folder.left_out[0]}; nothing here to import"
                            + (f" (nor in {len(folder.left_out) - 1} other file(s))" if len(folder.left_out) > 1 else ""))
        raise FeedError(f"{where}: no NASCAR feed files here (looked for {', '.join(RACE_FILES)})")
    return folder


def _kind(name: str, data: Any) -> str | None:
    """A file named as served is that file, unless it plainly holds another kind."""
    shape = shape_of(data)
    if name in RACE_FILES + OTHER_FILES:
        if shape is not None and shape != name:
            raise FeedError(f"{name}: holds {describe(shape)}, not {describe(name)}")
        return name
    return shape


def shape_of(data: Any) -> str | None:
    """The served name of the NASCAR file ``data`` looks like, from its top-level keys; None if unsure."""
    if isinstance(data, dict):
        if "weekend_race" in data:
            return "weekend-feed.json"
        if isinstance(data.get("vehicles"), list) and "lap_number" in data:
            return "live-feed.json"
        if data and all(re.fullmatch(r"series_\d+", str(key)) for key in data):
            return "race_list_basic.json"
        if isinstance(data.get("FlagStates"), list):
            return "live-flag-data.json"
        laps = data.get("laps")
        return "lap-times.json" if isinstance(laps, list) else "lap-notes.json" if isinstance(laps, dict) else None
    if not isinstance(data, list) or not data or not isinstance(data[0], dict):
        return None
    keys = data[0].keys()
    for name, needs in LIST_SHAPES:
        if needs <= keys:
            return name
    return None


LIST_SHAPES = (
    ("live-flag-data.json", {"flag_state", "lap_number"}),
    ("live-pit-data.json", {"vehicle_number", "pit_in_flag_status"}),
    ("live-stage-points.json", {"stage_number", "results"}),
    ("live-driver-stats.json", {"drivers"}),
    ("live_points.json", {"points_position", "points"}),
)
DESCRIPTIONS = {
    "lap-times.json": "every car's laps (lap-times.json)", "lap-notes.json": "lap notes (lap-notes.json)",
    "live-flag-data.json": "flag changes (live-flag-data.json)", "live-pit-data.json": "pit stops (live-pit-data.json)",
    "live-stage-points.json": "stage points (live-stage-points.json)",
    "live-driver-stats.json": "loop data (live-driver-stats.json)", "weekend-feed.json": "a weekend feed (weekend-feed.json)",
    "live-feed.json": "a live snapshot (live-feed.json)", "live_points.json": "a points table (live_points.json)",
    "race_list_basic.json": "a season's list of races (race_list_basic.json)",
}


def describe(kind: str) -> str:
    return DESCRIPTIONS.get(kind, kind)


def what_it_is(kind: str | None, data: Any) -> str:
    """Why a file is not imported, in a few words and the facts that say so."""
    if kind == "live-feed.json":
        return _live_feed(data)
    if kind == "live_points.json":
        return f"{describe(kind)} of {len(data)} drivers, not a race's record"
    if kind == "race_list_basic.json":
        races = [race for value in data.values() if isinstance(value, list) for race in value if isinstance(race, dict)]
        seasons = sorted({str(race["race_season"]) for race in races if race.get("race_season")})
        season = f" of {', '.join(seasons)}" if seasons else ""
        return f"{describe(kind)}: {len(races)} races{season} in {len(data)} series, not one race's record"
    return "not a NASCAR feed file this importer knows"


def _live_feed(data: dict) -> str:
    """A live snapshot holds one moment of a race under way: the running order then, no laps
    before it and no finish. Importing it would make a race that ends where the snapshot does.
    Its lap is not said: how far the race ran is a spoiler, and this line is always shown."""
    race = ", ".join(str(x) for x in (data.get("run_name"), data.get("track_name")) if x)
    if data.get("race_id"):
        race += f" (race {data['race_id']})" if race else f"race {data['race_id']}"
    return (f"{describe('live-feed.json')} of {race or 'a race'}: one moment of a race, "
            "not the laps before it or its finish")
