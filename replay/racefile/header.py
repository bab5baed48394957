"""Parse the header sections of a race file: race, sources, entries."""

from __future__ import annotations

from typing import Any

from ..core.model import Entry, RaceInfo, Source
from .checks import BOOL, CAR, COUNT, DATE, INT, LIST, MAP, NUMBER, TEXT, TEXTS, Kind, Path
from .context import Context

TRACK_TYPES = ("oval", "road", "street", "dirt")


def parse_race(ctx: Context, raw: Any) -> RaceInfo | None:
    path: Path = ("race",)
    if raw is None:
        return None
    f = ctx.check.fields(
        raw, path, "`race`",
        required={"series": TEXT, "name": TEXT, "track": TEXT, "laps": COUNT, "stage_ends": LIST},
        optional={
            "date": DATE, "track_length_miles": NUMBER, "track_type": TEXT, "actual_laps": COUNT,
            "purse": COUNT, "margin_of_victory": NUMBER, "next_race": TEXT, "notes": TEXTS,
            "estimated": MAP, "partial": TEXTS, "in_progress": BOOL, "stated": MAP,
        },
    )
    if f is None or not {"series", "name", "track", "laps"} <= f.keys():
        return None
    if f["laps"] < 1:
        ctx.check.error(path + ("laps",), "`race` `laps` must be at least 1")
        return None
    if "track_type" in f:
        ctx.check.one_of(f["track_type"], path + ("track_type",), TRACK_TYPES, "track type")
    final = f["actual_laps"] if f.get("actual_laps") is not None else f["laps"]
    if f.get("in_progress") and final >= f["laps"]:
        ctx.check.error(path + ("in_progress",), f"a race in progress has run fewer laps than its {f['laps']}: "
                        "give its last complete lap as `actual_laps`")
    for i, count in enumerate(f.get("partial", ())):
        ctx.check.one_of(count, path + ("partial", i), PARTIAL_COUNTS, "partial count")
    return RaceInfo(
        series=f["series"], name=f["name"], track=f["track"], date=f.get("date"),
        laps=f["laps"], stage_ends=_stage_ends(ctx, f.get("stage_ends", []), f["laps"] if f.get("in_progress") else final),
        track_length_miles=f.get("track_length_miles"), track_type=f.get("track_type"),
        actual_laps=f.get("actual_laps"), purse=f.get("purse"),
        margin_of_victory=f.get("margin_of_victory"), next_race=f.get("next_race"),
        notes=f.get("notes", ()), estimated=_race_estimates(ctx, f.get("estimated", {})),
        partial=f.get("partial", ()), in_progress=bool(f.get("in_progress")),
        stated=_stated(ctx, f.get("stated", {})),
    )


RACE_FIELDS_THAT_CAN_BE_ESTIMATED = ("date", "laps", "stage_ends", "track_length_miles", "actual_laps")
PARTIAL_COUNTS = ("cautions", "lead_changes")


STATED_TOTALS = ("lead_changes", "leaders", "cautions", "caution_laps")


def _stated(ctx: Context, raw: dict[Any, Any]) -> dict[str, Any]:
    """Totals the race's record states, each a count."""
    return _keyed(ctx, raw, "stated", STATED_TOTALS, COUNT, "a stated total")


def _race_estimates(ctx: Context, raw: dict[Any, Any]) -> dict[str, Any]:
    return _keyed(ctx, raw, "estimated", RACE_FIELDS_THAT_CAN_BE_ESTIMATED, TEXT, "the reason for an estimate")


def _keyed(ctx: Context, raw: dict[Any, Any], name: str, keys: tuple[str, ...], kind: Kind, what: str) -> dict[str, Any]:
    """``race.<name>``: a mapping of ``keys`` (others are reported) to values of ``kind``."""
    values = {}
    for key, value in raw.items():
        if key not in keys:
            ctx.check.unknown_key(("race", name), key, keys, f"`race` `{name}`")
        elif ctx.check.value(value, ("race", name, key), kind, what) is not None:
            values[key] = value
    return values


def _stage_ends(ctx: Context, raw: list[Any], final: int) -> tuple[int | None, ...]:
    """Stage end laps, ascending; ``~`` for a stage whose end no source gives."""
    ends: list[int | None] = []
    for i, value in enumerate(raw):
        path = ("race", "stage_ends", i)
        if value is None:
            ends.append(None)
            continue
        lap = ctx.check.value(value, path, INT, "a stage end")
        if lap is None:
            continue
        known = [end for end in ends if end is not None]
        if known and lap <= known[-1]:
            ctx.check.error(path, f"stage ends must ascend: {lap} comes after {known[-1]}")
        elif not 1 <= lap <= final:
            ctx.check.error(path, f"stage end {lap} is past the race length ({final} laps)")
        else:
            ends.append(lap)
    return tuple(ends)


def parse_sources(ctx: Context, raw: Any) -> dict[str, Source]:
    if raw is None:
        return {}  # a missing section is reported once, by the loader
    if not isinstance(raw, dict):
        ctx.check.value(raw, ("sources",), MAP, "`sources`")
        return {}
    sources: dict[str, Source] = {}
    for key, item in raw.items():
        path = ("sources", key)
        f = ctx.check.fields(
            item, path, f"source {key!r}", required={},
            optional={"title": TEXT, "publisher": TEXT, "author": TEXT, "date": DATE,
                      "file": TEXT, "url": TEXT, "spoiler_free": BOOL,
                      "pit_record": BOOL},
        )
        if f is None:
            continue
        if not {"title", "file", "url"} & f.keys():
            ctx.check.error(path, f"source {key!r} needs at least a `title`, `file` or `url`")
        sources[str(key)] = Source(id=str(key), **f)
    ctx.sources = set(sources)
    return sources


def parse_entries(ctx: Context, raw: Any) -> dict[str, Entry]:
    if raw is None:
        return {}
    if not isinstance(raw, list):
        ctx.check.value(raw, ("entries",), LIST, "`entries`")
        return {}
    entries: dict[str, Entry] = {}
    for i, item in enumerate(raw):
        path = ("entries", i)
        f = ctx.check.fields(
            item, path, "an entry", required={"driver": TEXT},
            optional={"number": CAR, "team": TEXT, "make": TEXT, "rookie": BOOL,
                      "points_eligible": BOOL, "notes": TEXT, "known_from": COUNT},
        )
        if f is None or "driver" not in f:
            continue
        if f.get("known_from", 0) > ctx.final_lap:
            ctx.check.error(path + ("known_from",), f"`known_from` {f['known_from']} is past the race's last lap "
                                                    f"({ctx.final_lap})")
        entry = Entry(key=f.get("number") or f["driver"], **{"number": None, **f})
        if _claim(ctx, entry, path):
            entries[entry.key] = entry
    ctx.entries = entries
    return entries


def _claim(ctx: Context, entry: Entry, path: Path) -> bool:
    """Register an entry's number and driver name as references; report clashes."""
    names = [(entry.number, "number"), (entry.driver, "driver")] if entry.number else [(entry.driver, "driver")]
    for name, field_name in names:
        if name in ctx.refs:
            ctx.check.error(path + (field_name,), f"duplicate {field_name} {name!r}: already used by another entry")
            return False
    for name, _ in names:
        ctx.refs[name] = entry.key
    return True
