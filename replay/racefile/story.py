"""Parse the narrative sections: events, quotes, results, standings, disputes."""

from __future__ import annotations

from typing import Any

from ..core.model import (
    EVENT_KINDS,
    PIT_SERVICES,
    RESULT_STATUSES,
    Dispute,
    DisputeVersion,
    Event,
    PitStop,
    Quote,
    ResultRow,
    Standing,
    When,
)
from .checks import BOOL, COUNT, INT, LIST, MAP, NUMBER, TEXT, TEXTS, Path
from .context import Context

WHEN: tuple[When, ...] = ("pre-race", "race", "post-race")
PLAYOFF = ("advanced", "eliminated", "clinched", "locked_in")


def LAP_OR_WINDOW(value: Any) -> tuple[bool, Any, str]:  # noqa: N802 - a field kind, like INT
    """A lap, or ``[first, last]``: the laps a source places an event within."""
    ok = isinstance(value, int) and not isinstance(value, bool) or (
        isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) and not isinstance(v, bool) for v in value))
    return ok, value, "a lap number or a window [first, last]"


def _when_and_lap(ctx: Context, f: dict[str, Any], path: Path, what: str) -> tuple[When, int | None] | None:
    """Events and quotes happen pre-race (lap 0), at a lap, or post-race (no lap)."""
    when = ctx.check.one_of(f.get("when", "race"), path + ("when",), WHEN, "`when`")
    if when is None:
        return None
    if when == "race":
        if "lap" not in f:
            ctx.check.error(path, f"{what} needs a `lap` (or `when: pre-race` / `when: post-race`)")
            return None
        lap = ctx.lap(f["lap"], path + ("lap",))
        return None if lap is None else (when, lap)
    if "lap" in f:
        ctx.check.error(path + ("lap",), f"a {when} {what} has no `lap`")
        return None
    return when, 0 if when == "pre-race" else None


def parse_events(ctx: Context, raw: Any) -> tuple[Event, ...]:
    events = []
    for i, item in enumerate(ctx.items(raw, "events")):
        path: Path = ("events", i)
        f = ctx.check.fields(
            item, path, "an event", required={"kind": TEXT, "text": TEXT},
            optional={"lap": LAP_OR_WINDOW, "when": TEXT, "cars": LIST, "sources": LIST, "estimated": TEXT,
                      "time": NUMBER, "speed_mph": NUMBER, "pit": MAP, "ends_race": LIST},
        )
        if f is None or "kind" not in f:
            continue
        kind = ctx.check.one_of(f["kind"], path + ("kind",), EVENT_KINDS, "event kind")
        if kind == "stage_end":
            ctx.check.error(path + ("kind",), "stage-end events are made from `stage_results`; write the results there")
            continue
        first = _window_start(ctx, f, path)
        timing = _when_and_lap(ctx, f, path, "event")
        cars = ctx.cars(f["cars"], path + ("cars",)) if "cars" in f else ()
        if kind is None or timing is None or "text" not in f:
            continue
        when, lap = timing
        pit = _pit_stop(ctx, f["pit"], path + ("pit",), kind, len(f.get("cars", ())), when, lap) if "pit" in f else None
        ends = _ends_race(ctx, f["ends_race"], path + ("ends_race",), cars, when) if "ends_race" in f else ()
        events.append(Event(lap, kind, cars, f["text"], ctx.sources_in(f, path), when, f.get("estimated"),
                            first, f.get("time"), f.get("speed_mph"), pit, ends))
    return tuple(events)


def _ends_race(ctx: Context, raw: list[Any], path: Path, cars: tuple[str, ...], when: str) -> tuple[str, ...]:
    """``ends_race``: the cars (among the event's own) whose race the event ends, known from its lap
    (a pre-race event: the car does not start). The finish's news is the results' to tell."""
    ends = ctx.cars(raw, path)
    if when == "post-race":
        ctx.check.error(path, "a post-race event cannot end a car's race; its result says how it finished")
        return ()
    for i, car in enumerate(ends):
        if car not in cars:
            ctx.check.error(path + (i,), f"`ends_race` names {car!r}, which is not among the event's `cars`")
    return tuple(car for car in ends if car in cars)


PIT_FIELDS = {"service": TEXT, "stopped_s": NUMBER, "road_s": NUMBER, "in_pos": COUNT, "out_pos": COUNT,
              "under_caution": BOOL, "out_lap": COUNT}


def _pit_stop(ctx: Context, raw: dict[Any, Any], path: Path, kind: str, cars: int, when: str, lap: int | None) -> PitStop | None:
    """A pit event's ``pit``: one car's stop (``cars`` is how many the event names) in the race,
    its figures within reason."""
    if kind != "pit":
        ctx.check.error(path, f"only a `pit` event has a `pit` stop; this event is a {kind!r}")
        return None
    if cars != 1 or when != "race":
        ctx.check.error(path, "a `pit` stop is one car's, in the race: give one car in `cars` and a `lap`")
        return None
    f = ctx.check.fields(raw, path, "a pit stop", required={}, optional=PIT_FIELDS)
    if not raw:
        ctx.check.error(path, f"a pit stop gives none of {', '.join(f'`{key}`' for key in PIT_FIELDS)}")
    if f is None or not raw:
        return None
    problems = len(ctx.check.problems)
    if "service" in f:
        ctx.check.one_of(f["service"], path + ("service",), PIT_SERVICES, "pit service")
    for key in ("stopped_s", "road_s"):
        if key in f and f[key] <= 0:
            ctx.check.error(path + (key,), f"a pit stop's `{key}` should be more than 0 seconds, not {f[key]:g}")
    if "road_s" in f and 0 < f["road_s"] < f.get("stopped_s", 0):
        ctx.check.error(path + ("stopped_s",), f"{f['stopped_s']:g} s stopped is longer than the {f['road_s']:g} s on pit road")
    for key in ("in_pos", "out_pos"):
        if key in f and not 1 <= f[key] <= len(ctx.entries):
            ctx.check.error(path + (key,), f"a pit stop's `{key}` should be a position from 1 to {len(ctx.entries)}, "
                                           f"not {f[key]}")
    if "out_lap" in f and lap is not None and f["out_lap"] < lap:
        ctx.check.error(path + ("out_lap",), f"a pit stop's `out_lap` should be its lap ({lap}) or later, not {f['out_lap']}")
    if len(ctx.check.problems) > problems:
        return None
    return PitStop(f.get("service"), f.get("stopped_s"), f.get("road_s"), f.get("in_pos"), f.get("out_pos"),
                   f.get("under_caution"), f.get("out_lap"))


def _window_start(ctx: Context, f: dict[str, Any], path: Path) -> int | None:
    """``lap: [a, b]`` means the source only places the event somewhere in laps a..b: it is
    revealed at b, never earlier. Rewrites ``f["lap"]`` to b and returns a."""
    window = f.get("lap")
    if not isinstance(window, list):
        return None
    first = ctx.lap(window[0], path + ("lap", 0), "window start", lowest=1)
    if first is not None and window[1] <= first:
        ctx.check.error(path + ("lap", 1), f"a lap window must end after it starts ({first})")
    f["lap"] = window[1]
    return first


def parse_quotes(ctx: Context, raw: Any) -> tuple[Quote, ...]:
    quotes = []
    for i, item in enumerate(ctx.items(raw, "quotes")):
        path: Path = ("quotes", i)
        f = ctx.check.fields(
            item, path, "a quote", required={"speaker": TEXT, "text": TEXT, "source": TEXT, "when": TEXT},
            optional={"lap": INT, "car": TEXT, "context": TEXT},
        )
        if f is None or not {"speaker", "text", "source", "when"} <= f.keys():
            continue
        if f["source"] not in ctx.sources:
            ctx.check.error(path + ("source",), f"source {f['source']!r} is not listed under `sources`")
        car = ctx.car(f["car"], path + ("car",)) if "car" in f else None
        timing = _when_and_lap(ctx, f, path, "quote")
        if timing is None:
            continue
        when, lap = timing
        quotes.append(Quote(f["speaker"], f["text"], f["source"], when, lap, car, f.get("context")))
    return tuple(quotes)


def parse_results(ctx: Context, raw: Any) -> tuple[ResultRow, ...]:
    """``results`` is the order at the line; post-race changes are events."""
    rows: list[ResultRow] = []
    seen_pos: set[int | None] = set()
    seen_car: set[str] = set()
    for i, item in enumerate(ctx.items(raw, "results")):
        path: Path = ("results", i)
        f = ctx.check.fields(
            item, path, "a result", required={"car": TEXT},
            optional={"pos": COUNT, "laps": COUNT, "status": TEXT, "laps_led": COUNT, "points": INT,
                      "note": TEXT, "sources": LIST},
        )
        if f is None:
            continue
        if ("pos" in f) == (f.get("status") == "dns"):
            ctx.check.error(path, "a result needs a `pos`, unless the car did not start (`status: dns`, no `pos`)")
            continue
        car = ctx.car(f.get("car"), path + ("car",))
        status = f.get("status")
        if status is not None:
            status = ctx.check.one_of(status, path + ("status",), RESULT_STATUSES, "status")
        if (f.get("pos") is not None and f["pos"] in seen_pos) or car in seen_car:
            ctx.check.error(path, f"results list P{f.get('pos')} or {f.get('car')!r} twice")
            continue
        if car is None:
            continue
        _check_result_laps(ctx, f, path)
        seen_pos.add(f.get("pos"))
        seen_car.add(car)
        rows.append(ResultRow(f.get("pos"), car, f.get("laps"), status, f.get("laps_led"), f.get("points"),
                              f.get("note"), ctx.sources_in(f, path)))
    return tuple(sorted(rows, key=lambda row: (row.pos is None, row.pos or 0)))


def _check_result_laps(ctx: Context, f: dict[str, Any], path: Path) -> None:
    laps, led = f.get("laps"), f.get("laps_led")
    if laps is not None and laps > ctx.final_lap:
        ctx.check.error(path + ("laps",), f"{laps} laps completed, but the race is {ctx.final_lap} laps")
    if led is not None and led > (laps if laps is not None else ctx.final_lap):
        ctx.check.error(path + ("laps_led",), f"{led} laps led is more than the laps completed")


def parse_standings(ctx: Context, raw: Any) -> tuple[Standing, ...]:
    """Championship standings after the race (revealed only at the finish)."""
    rows = []
    for i, item in enumerate(ctx.items(raw, "standings")):
        path: Path = ("standings", i)
        f = ctx.check.fields(item, path, "a standings row", required={"car": TEXT},
                             optional={"pos": COUNT, "points": INT, "behind": COUNT, "note": TEXT,
                                       "sources": LIST, "playoff": TEXT, "cutoff": INT})
        if f is None:
            continue
        car = ctx.car(f.get("car"), path + ("car",))
        playoff = f.get("playoff")
        if playoff is not None:
            playoff = ctx.check.one_of(playoff, path + ("playoff",), PLAYOFF, "playoff status")
        if car is not None:
            rows.append(Standing(f.get("pos"), car, f.get("points"), f.get("behind"), f.get("note"),
                                 ctx.sources_in(f, path), playoff, f.get("cutoff")))
    return tuple(rows)


def parse_disputes(ctx: Context, raw: Any) -> tuple[Dispute, ...]:
    disputes = []
    for i, item in enumerate(ctx.items(raw, "disputes")):
        path: Path = ("disputes", i)
        f = ctx.check.fields(item, path, "a dispute",
                             required={"topic": TEXT, "versions": LIST, "used": COUNT, "why": TEXT},
                             optional={"settles": TEXTS})
        if f is None or not {"topic", "versions", "used", "why"} <= f.keys():
            continue
        versions = _versions(ctx, f["versions"], path + ("versions",))
        if len(versions) < 2:
            ctx.check.error(path + ("versions",), "a dispute needs at least two versions")
            continue
        if not 1 <= f["used"] <= len(versions):
            ctx.check.error(path + ("used",), f"`used` must name a version from 1 to {len(versions)}")
            continue
        disputes.append(Dispute(f["topic"], versions, f["used"], f["why"], f.get("settles", ())))
    return tuple(disputes)


def _versions(ctx: Context, raw: list[Any], path: Path) -> tuple[DisputeVersion, ...]:
    versions = []
    for i, item in enumerate(raw):
        f = ctx.check.fields(item, path + (i,), "a dispute version", required={"says": TEXT, "sources": LIST})
        if f and "says" in f and "sources" in f:
            versions.append(DisputeVersion(f["says"], ctx.source_ids(f["sources"], path + (i, "sources"))))
    return tuple(versions)
