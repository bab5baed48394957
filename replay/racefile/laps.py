"""Parse the position and flag sections: running_order, lap_times, leaders, flags, stage_results."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..core.model import FLAG_KINDS, FlagPeriod, LeaderSpan, Order, StagePlace, StageResult
from .checks import COUNT, INT, LIST, MAP, NUMBER, TEXT, Path
from .context import Context
from .yamlsafe import KeyOf


def parse_running_order(ctx: Context, raw: Any, lap_times: Any, laps_down: Any = None,
                        race_times: Any = None) -> tuple[Order, ...]:
    """``running_order`` maps a lap to a flow list of cars (P1 first, ``~`` = unknown), to the
    same as one space-separated string (compact, for complete races), or to
    ``{order: [...], estimated: {car: why}, sources: [...]}``. ``lap_times``, ``laps_down`` and
    ``race_times`` give per lap one figure for each car of that lap's order."""
    raw = ctx.mapping(raw, "running_order")
    times = _lap_times(ctx, lap_times, raw)
    aligned = {"laps_down": _per_car(ctx, laps_down, raw, "laps_down", COUNT, "laps down"),
               "race_times": _per_car(ctx, race_times, raw, "race_times", NUMBER, "a race time")}
    orders = []
    for lap_key, item in raw.items():
        path: Path = ("running_order", lap_key)
        lap = ctx.lap(lap_key, ("running_order", KeyOf(lap_key)), "running order lap")
        if lap is None:
            continue
        order = _order(ctx, lap, item, path, times.get(lap))
        if order is not None:
            orders.append(_with_figures(ctx, order, {key: figures.get(lap) for key, figures in aligned.items()}))
    return tuple(sorted(orders, key=lambda order: order.lap))


def _order(ctx: Context, lap: int, item: Any, path: Path, times: tuple[float | None, ...] | None) -> Order | None:
    sources: tuple[str, ...] = ()
    estimated_raw, cars_path = None, path
    if isinstance(item, dict):
        f = ctx.check.fields(item, path, f"the running order at lap {lap}",
                             required={"order": ORDER}, optional={"estimated": MAP, "sources": LIST})
        if f is None or "order" not in f:
            return None
        item, cars_path = f["order"], path + ("order",)
        sources, estimated_raw = ctx.sources_in(f, path), f.get("estimated")
    elif not isinstance(item, (list, str)):
        ctx.check.value(item, path, ORDER, f"the running order at lap {lap}")
        return None
    if isinstance(item, str):
        item = [None if token == "~" else token for token in item.split()]
    cars = _positions(ctx, item, cars_path, lap)
    estimated = _estimated(ctx, estimated_raw, path + ("estimated",), cars) if estimated_raw else {}
    if times is not None and len(times) != len(cars):
        ctx.check.error(("lap_times", lap), f"lap {lap} has {len(times)} lap times for {len(cars)} positions")
        times = None
    return Order(lap=lap, cars=cars, estimated=estimated, sources=sources, lap_times=times)


def _positions(ctx: Context, item: list[Any], path: Path, lap: int) -> tuple[str | None, ...]:
    refs = ctx.refs
    if all(value is None or (type(value) is str and value in refs) for value in item):
        keys = [None if value is None else refs[value] for value in item]
        placed = [key for key in keys if key is not None]
        if len(set(placed)) == len(placed):  # the common case, checked in one pass
            return tuple(keys)
    cars: list[str | None] = []
    seen: dict[str, int] = {}
    for i, value in enumerate(item):
        key = None if value is None else ctx.car(value, path + (i,), f"P{i + 1} at lap {lap}")
        if key is not None and key in seen:
            ctx.check.error(path + (i,), f"{value!r} is listed twice at lap {lap} (P{seen[key]} and P{i + 1})")
            key = None
        if key is not None:
            seen[key] = i + 1
        cars.append(key)
    return tuple(cars)


def _estimated(ctx: Context, raw: dict[Any, Any], path: Path, cars: tuple[str | None, ...]) -> dict[str, str]:
    estimated = {}
    for ref, why in raw.items():
        key = ctx.car(ref, path + (ref,), "estimated car")
        reason = ctx.check.value(why, path + (ref,), TEXT, "the reason for an estimate")
        if key is None or reason is None:
            continue
        if key not in cars:
            ctx.check.error(path + (ref,), f"{ref!r} is marked estimated but is not in this running order")
        estimated[key] = reason
    return estimated


def _lap_times(ctx: Context, raw: Any, orders: dict[Any, Any]) -> dict[int, tuple[float | None, ...]]:
    times = {}
    for lap_key, row in ctx.mapping(raw, "lap_times").items():
        path: Path = ("lap_times", lap_key)
        if lap_key not in orders:
            ctx.check.error(("lap_times", KeyOf(lap_key)), f"lap times at lap {lap_key!r}, which has no running order")
            continue
        if isinstance(row, str):
            row = [None if token == "~" else _number_or_text(token) for token in row.split()]
        if not isinstance(row, list):
            ctx.check.value(row, path, ORDER, f"lap times at lap {lap_key}")
            continue
        cleaned = [None if v is None else ctx.check.value(v, path + (i,), NUMBER, "a lap time")
                   for i, v in enumerate(row)]
        for i, value in enumerate(cleaned):
            if value is not None and value <= 0:
                ctx.check.error(path + (i,), f"lap time {value} must be more than 0 seconds")
        times[lap_key] = tuple(cleaned)
    return times


def _per_car(ctx: Context, raw: Any, orders: dict[Any, Any], section: str, kind: Any, what: str) -> dict[int, tuple[Any, ...]]:
    """A per-lap section of one figure per car of that lap's order (``~`` unknown)."""
    rows = {}
    for lap_key, row in ctx.mapping(raw, section).items():
        path: Path = (section, lap_key)
        if lap_key not in orders:
            ctx.check.error((section, KeyOf(lap_key)), f"{section} at lap {lap_key!r}, which has no running order")
            continue
        if isinstance(row, str):
            row = [None if token == "~" else int(token) if token.isdigit() else _number_or_text(token)
                   for token in row.split()]
        if not isinstance(row, list):
            ctx.check.value(row, path, ORDER, f"{section} at lap {lap_key}")
            continue
        rows[lap_key] = tuple(None if v is None else ctx.check.value(v, path + (i,), kind, what) for i, v in enumerate(row))
    return rows


def _with_figures(ctx: Context, order: Order, figures: dict[str, tuple[Any, ...] | None]) -> Order:
    """``order`` with its laps down and race times, where each has one figure per position."""
    kept: dict[str, Any] = {}  # Order's laps_down and race_times
    for section, row in figures.items():
        if row is None:
            continue
        if len(row) != len(order.cars):
            ctx.check.error((section, order.lap), f"lap {order.lap} has {len(row)} {section} for {len(order.cars)} positions")
            continue
        kept[section] = row
    return replace(order, **kept) if kept else order


def _number_or_text(token: str) -> float | str:
    """A token of a space-separated lap-time string; text is kept so the check can name it."""
    try:
        return float(token)
    except ValueError:
        return token


def ORDER(value: Any) -> tuple[bool, Any, str]:  # noqa: N802 - a field kind, like LIST
    """A per-lap list, or the same as one space-separated string."""
    return isinstance(value, (list, str)), value, "a list (or a space-separated string)"


def parse_leaders(ctx: Context, raw: Any) -> tuple[LeaderSpan, ...]:
    """``leaders`` lists who led which laps: ``{car, from, to}``, as feeds' race_leaders do."""
    spans = []
    for i, item in enumerate(ctx.items(raw, "leaders")):
        path: Path = ("leaders", i)
        f = ctx.check.fields(item, path, "a leader span", required={"car": TEXT, "from": COUNT, "to": COUNT},
                             optional={"estimated": TEXT, "sources": LIST})
        if f is None:
            continue
        car = ctx.car(f.get("car"), path + ("car",))
        first, last = _span(ctx, f, path)
        if car is None or first is None or last is None:
            continue
        spans.append((i, LeaderSpan(car, first, last, f.get("estimated"), ctx.sources_in(f, path))))
    return _no_overlap(ctx, spans, "leaders", "leader spans")


def parse_flags(ctx: Context, raw: Any) -> tuple[FlagPeriod, ...]:
    """``flags`` lists caution and red-flag periods; every other lap is green."""
    periods = []
    for i, item in enumerate(ctx.items(raw, "flags")):
        path: Path = ("flags", i)
        f = ctx.check.fields(item, path, "a flag period", required={"flag": TEXT, "from": COUNT, "to": COUNT},
                             optional={"reason": TEXT, "estimated": TEXT, "sources": LIST, "code": INT,
                                       "stated": MAP})
        if f is None or "flag" not in f:
            continue
        flag = ctx.check.one_of(f["flag"], path + ("flag",), FLAG_KINDS, "flag")
        first, last = _span(ctx, f, path)
        if flag is None or first is None or last is None:
            continue
        stated, stated_sources = _stated_laps(ctx, f.get("stated"), path + ("stated",))
        period = FlagPeriod(flag, first, last, f.get("reason"), f.get("estimated"), ctx.sources_in(f, path),
                            f.get("code"), stated, stated_sources)
        periods.append((i, period))
    return _no_overlap(ctx, periods, "flags", "flag periods")


def _stated_laps(ctx: Context, raw: Any, path: Path) -> tuple[tuple[int, int] | None, tuple[str, ...]]:
    """A flag period's ``stated: {from, to, sources}``: the record's own laps of that caution."""
    if raw is None:
        return None, ()
    f = ctx.check.fields(raw, path, "a flag period's stated laps", required={"from": COUNT, "to": COUNT},
                         optional={"sources": LIST})
    if f is None:
        return None, ()
    first, last = _span(ctx, f, path)
    if first is None or last is None:
        return None, ()
    return (first, last), ctx.sources_in(f, path)


LOOP_STATS = ("start", "mid", "finish", "closing", "closing_laps_diff", "best", "worst", "average",
              "green_flag_passes", "green_flag_passed", "passing_diff", "quality_passes", "fastest_laps",
              "top15_laps", "laps_led", "laps", "rating")


def parse_loop_data(ctx: Context, raw: Any) -> dict[str, dict[str, float]]:
    """``loop_data`` maps a car to its whole-race statistics (feeds' loop data); shown only at the finish."""
    data: dict[str, dict[str, float]] = {}
    for ref, item in ctx.mapping(raw, "loop_data").items():
        path: Path = ("loop_data", ref)
        car = ctx.car(ref, ("loop_data", KeyOf(ref)), "loop data car")
        f = ctx.check.fields(item, path, f"loop data of {ref!r}", required={},
                             optional={name: NUMBER for name in LOOP_STATS})
        if car is not None and f is not None:
            data[car] = f
    return data


def parse_stage_results(ctx: Context, raw: Any, stage_count: int) -> dict[int, StageResult]:
    """``stage_results`` maps a stage number to ``{results: [{pos, car, points}], sources}``."""
    stages = {}
    for stage, item in ctx.mapping(raw, "stage_results").items():
        path: Path = ("stage_results", stage)
        if not isinstance(stage, int) or not 1 <= stage <= stage_count:
            ctx.check.error(("stage_results", KeyOf(stage)),
                            f"stage {stage!r} does not exist: `race` `stage_ends` lists {stage_count} stages")
            continue
        f = ctx.check.fields(item, path, f"stage {stage} results", required={"results": LIST},
                             optional={"sources": LIST})
        if f is None or "results" not in f:
            continue
        places = _stage_places(ctx, f["results"], path + ("results",))
        stages[stage] = StageResult(stage, places, ctx.sources_in(f, path))
    return stages


def _stage_places(ctx: Context, raw: list[Any], path: Path) -> tuple[StagePlace, ...]:
    places: list[StagePlace] = []
    for i, item in enumerate(raw):
        f = ctx.check.fields(item, path + (i,), "a stage place", required={"pos": COUNT, "car": TEXT},
                             optional={"points": COUNT})
        if f is None or "pos" not in f:
            continue
        car = ctx.car(f.get("car"), path + (i, "car"))
        if car is None:
            continue
        if any(p.pos == f["pos"] or p.car == car for p in places):
            ctx.check.error(path + (i,), f"stage results list P{f['pos']} or {car!r} twice")
            continue
        places.append(StagePlace(f["pos"], car, f.get("points")))
    return tuple(sorted(places, key=lambda place: place.pos))


def _span(ctx: Context, f: dict[str, Any], path: Path) -> tuple[int | None, int | None]:
    first = ctx.lap(f["from"], path + ("from",), "`from` lap", lowest=1) if "from" in f else None
    last = ctx.lap(f["to"], path + ("to",), "`to` lap", lowest=1) if "to" in f else None
    if first is not None and last is not None and last < first:
        ctx.check.error(path + ("to",), f"`to` lap {last} is before `from` lap {first}")
        return None, None
    return first, last


def _no_overlap(ctx: Context, indexed: list[tuple[int, Any]], section: str, what: str) -> tuple[Any, ...]:
    """Sort spans by first lap, reporting (and dropping) any that overlap an earlier one."""
    kept: list[Any] = []
    for i, span in sorted(indexed, key=lambda pair: pair[1].first):
        if kept and span.first <= kept[-1].last:
            ctx.check.error((section, i), f"{what} laps {kept[-1].first}-{kept[-1].last} and "
                                          f"{span.first}-{span.last} overlap")
            continue
        kept.append(span)
    return tuple(kept)
