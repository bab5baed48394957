"""The picker's index: what it lists of each race file, cached by the file's path, size and times.

One JSON file per folder in the cache folder (``RACE_REPLAY_CACHE_DIR``, else the user's cache
folder: see ``user.places``), under ``picker/``. An entry is used only while the file's size,
modification and change times (in ns) and inode are what they were when it was read; a file
changed within ``RACY_NS`` of its reading is not kept, since a change in the same clock tick
would leave its times as they were. The index holds only what the picker shows (never a result),
is written atomically, and one that cannot be read or makes no sense is ignored: it is made again.
"""

from __future__ import annotations

import json
import math
import os
import re
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.model import FrozenMap, RaceInfo
from ..user.files import write_atomically

VERSION = 1  # bump when what an entry means changes: an index of another version is ignored
RACY_NS = 2_000_000_000  # coarse file systems keep times to the second (FAT: two)
MAX_INDEX_BYTES = 64 * 1024 * 1024
ESTIMABLE = ("date", "laps", "track_length_miles")  # the estimates the picker marks "(est.)"

Key = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


def stat_key(stat: os.stat_result) -> Key:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def index_path(cache: Path, folder: Path) -> Path:
    """The index of ``folder`` (resolved) in the cache folder ``cache``: named after the folder and
    a checksum of its path (two folders of one name and checksum share a file, each in turn)."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", folder.name)[:40] or "root"
    return cache / "picker" / f"{name}-{zlib.crc32(os.fsencode(folder)):08x}.json"


def picker_info(info: RaceInfo) -> RaceInfo:
    """Only what the picker may show of a race: series, name, track, date, scheduled laps and track
    length, and which of them are estimated. Laps actually run, the margin, notes and stage ends
    (a last stage can end in overtime) are left out."""
    return RaceInfo(series=info.series, name=info.name, track=info.track, date=info.date, laps=info.laps,
                    stage_ends=(), track_length_miles=info.track_length_miles,
                    estimated={key: "estimated" for key in ESTIMABLE if key in info.estimated},
                    in_progress=info.in_progress)


def encode(key: Key, info: RaceInfo | None, entries: int, error: str | None) -> dict[str, Any]:
    """An index entry: the file's key and either its picker info and entry count or its first error."""
    if info is None:
        return {"key": list(key), "error": error or "cannot be read"}
    return {"key": list(key), "entries": entries, "race": {
        "series": info.series, "name": info.name, "track": info.track, "date": info.date, "laps": info.laps,
        "miles": info.track_length_miles,
        "estimated": [key for key in ESTIMABLE if key in info.estimated], "in_progress": info.in_progress}}


def decode(raw: Any) -> tuple[Key, RaceInfo | None, int, str | None] | None:
    """An index entry back, or None for one that is not exactly what ``encode`` writes."""
    checked = check(raw)
    if checked is None:
        return None
    key, entries, error, race = checked
    return key, race_info(race) if race is not None else None, entries, error


Compact = tuple[Key, int, "str | None", "tuple[Any, ...] | None"]  # key, entries, error, race_info's fields


def check(raw: Any) -> Compact | None:
    """An index entry as plain values (``race_info`` makes its RaceInfo), or None for one that is
    not exactly what ``encode`` writes. (Run for every file each time the picker opens, in a child
    process at the command's start: plain type checks, no helpers; its result crosses as marshal.)"""
    try:
        key = raw["key"]
        if type(key) is not list or len(key) != 4 or not all(type(n) is int for n in key):
            return None
        if "error" in raw:
            error = raw["error"]
            return (tuple(key), 0, error, None) if type(error) is str and error and len(raw) == 2 else None
        race, entries = raw["race"], raw["entries"]
        if len(raw) != 3 or type(entries) is not int or entries < 0 or type(race) is not dict or len(race) != 8:
            return None
        series, name, track, date, laps = race["series"], race["name"], race["track"], race["date"], race["laps"]
        miles, estimated, running = race["miles"], race["estimated"], race["in_progress"]
        estimated = tuple(estimated) if type(estimated) is list and tuple(estimated) in _ESTIMATES else None
    except (TypeError, KeyError):
        return None
    if (type(series) is not str or type(name) is not str or type(track) is not str or not (series and name and track)
            or not (date is None or (type(date) is str and date)) or type(laps) is not int or laps < 1
            or not (miles is None or (type(miles) in (int, float) and math.isfinite(miles))) or estimated is None
            or type(running) is not bool):
        return None
    return (tuple(key), entries, None,
            (series, name, track, date, laps, None if miles is None else float(miles), estimated, running))


def race_info(race: tuple[Any, ...]) -> RaceInfo:
    """The RaceInfo of ``check``'s fields (checked): ``RaceInfo(series=..., ...)``, the other fields
    their defaults, made without the dataclass's ``__init__`` (a quarter of its time: 10,000 of them
    at the picker's start); its mappings are the shared frozen ones ``__post_init__`` would keep."""
    series, name, track, date, laps, miles, estimated, running = race
    info = _new(RaceInfo)
    fields = info.__dict__
    fields.update(_DEFAULTS)
    fields.update(series=series, name=name, track=track, date=date, laps=laps, track_length_miles=miles,
                  estimated=_ESTIMATES[estimated], in_progress=running)
    return info


# Every combination of estimates, each one mapping (most races share the empty one)
_ESTIMATES = {tuple(key for i, key in enumerate(ESTIMABLE) if bits >> i & 1):
              FrozenMap({key: "estimated" for i, key in enumerate(ESTIMABLE) if bits >> i & 1})
              for bits in range(2 ** len(ESTIMABLE))}
_DEFAULTS = dict(RaceInfo(series="-", name="-", track="-", date=None, laps=1, stage_ends=()).__dict__)
_new = object.__new__


def load(cache: Path, folder: Path) -> dict[str, dict[str, Any]]:
    """The raw entries of ``folder``'s index by file name; empty when there is none or it is not
    readable, of another version or another folder. Entries are checked one by one (``decode``)."""
    path = index_path(cache, folder)
    try:
        if path.stat().st_size > MAX_INDEX_BYTES:
            return {}
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}
    if (not isinstance(data, dict) or data.get("version") != VERSION or data.get("folder") != str(folder)
            or not isinstance(data.get("files"), dict)):
        return {}
    files: dict[str, dict[str, Any]] = data["files"]  # each entry checked by decode() when read
    return files


def save(cache: Path, folder: Path, files: Mapping[str, dict[str, Any]]) -> bool:
    """Write ``folder``'s index atomically; False (and nothing written) when the cache cannot be written."""
    path = index_path(cache, folder)
    # ASCII: a file name that is not UTF-8 reaches here with surrogates, which JSON escapes
    text = json.dumps({"version": VERSION, "folder": str(folder), "files": dict(sorted(files.items()))},
                      separators=(",", ":"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text)
    except OSError:
        return False
    return True
