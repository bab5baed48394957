"""Parse the header sections of a race file: race, sources, entries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .checks import BOOL, CAR, COUNT, DATE, INT, LIST, MAP, NUMBER, TEXT, TEXTS, Checker, Path
from .model import Entry, RaceInfo, Source

TRACK_TYPES = ("oval", "road", "street", "dirt")


@dataclass
class Context:
    """What later sections need to check references: cars, sources, the lap range."""

    check: Checker
    final_lap: int = 0
    sources: set[str] = field(default_factory=set)
    refs: dict[str, str] = field(default_factory=dict)  # number or driver name -> entry key
    entries: dict[str, Entry] = field(default_factory=dict)

    def car(self, value: Any, path: Path, what: str = "car") -> str | None:
        """Resolve a car reference (number or driver name) to its entry key."""
        name = self.check.value(value, path, CAR, what)
        if name is None:
            return None
        key = self.refs.get(name)
        if key is None:
            self.check.error(path, f"{what} {name!r} is not in `entries` (give its number or driver name)")
        return key

    def cars(self, value: Any, path: Path, what: str = "cars") -> tuple[str, ...]:
        if not isinstance(value, list):
            self.check.value(value, path, LIST, what)
            return ()
        keys = (self.car(item, path + (i,), f"{what} entry") for i, item in enumerate(value))
        return tuple(k for k in keys if k is not None)

    def source_ids(self, value: Any, path: Path) -> tuple[str, ...]:
        ids = self.check.value(value, path, TEXTS, "`sources`")
        for i, source in enumerate(ids or ()):
            if source not in self.sources:
                self.check.error(path + (i,), f"source {source!r} is not listed under `sources`")
        return ids or ()

    def sources_in(self, fields: dict[str, Any], path: Path) -> tuple[str, ...]:
        """The checked ``sources`` of an item, or () when it cites none."""
        return self.source_ids(fields["sources"], path + ("sources",)) if "sources" in fields else ()

    def items(self, raw: Any, name: str) -> list[Any]:
        """A top-level list section; absent is empty."""
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.check.value(raw, (name,), LIST, f"`{name}`")
            return []
        return raw

    def mapping(self, raw: Any, name: str) -> dict[Any, Any]:
        """A top-level mapping section; absent is empty."""
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.check.value(raw, (name,), MAP, f"`{name}`")
            return {}
        return raw

    def lap(self, value: Any, path: Path, what: str = "lap", lowest: int = 0) -> int | None:
        lap = self.check.value(value, path, INT, what)
        if lap is None:
            return None
        if not lowest <= lap <= self.final_lap:
            self.check.error(path, f"{what} {lap} is outside the race (laps {lowest} to {self.final_lap})")
            return None
        return lap


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
            "estimated": MAP, "partial": TEXTS,
        },
    )
    if f is None or not {"series", "name", "track", "laps"} <= f.keys():
        return None
    if f["laps"] < 1:
        ctx.check.error(path + ("laps",), "`race` `laps` must be at least 1")
        return None
    if "track_type" in f:
        ctx.check.one_of(f["track_type"], path + ("track_type",), TRACK_TYPES, "track type")
    final = f.get("actual_laps") or f["laps"]
    for i, count in enumerate(f.get("partial", ())):
        ctx.check.one_of(count, path + ("partial", i), PARTIAL_COUNTS, "partial count")
    return RaceInfo(
        series=f["series"], name=f["name"], track=f["track"], date=f.get("date"),
        laps=f["laps"], stage_ends=_stage_ends(ctx, f.get("stage_ends", []), final),
        track_length_miles=f.get("track_length_miles"), track_type=f.get("track_type"),
        actual_laps=f.get("actual_laps"), purse=f.get("purse"),
        margin_of_victory=f.get("margin_of_victory"), next_race=f.get("next_race"),
        notes=f.get("notes", ()), estimated=_race_estimates(ctx, f.get("estimated", {})),
        partial=f.get("partial", ()),
    )


RACE_FIELDS_THAT_CAN_BE_ESTIMATED = ("date", "laps", "stage_ends", "track_length_miles", "actual_laps")
PARTIAL_COUNTS = ("cautions", "lead_changes")


def _race_estimates(ctx: Context, raw: dict) -> dict[str, str]:
    estimates = {}
    for key, why in raw.items():
        path = ("race", "estimated", key)
        if key not in RACE_FIELDS_THAT_CAN_BE_ESTIMATED:
            ctx.check.unknown_key(("race", "estimated"), key, RACE_FIELDS_THAT_CAN_BE_ESTIMATED, "`race` `estimated`")
        elif ctx.check.value(why, path, TEXT, "the reason for an estimate") is not None:
            estimates[key] = why
    return estimates


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
                      "file": TEXT, "url": TEXT},
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
                      "points_eligible": BOOL, "notes": TEXT},
        )
        if f is None or "driver" not in f:
            continue
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
