"""Per-lap data from the feeds: running orders with lap times, and flag periods."""

from __future__ import annotations

from typing import Any

from .files import FlagChange, LapTimes

# Flag codes as NASCAR's live feed uses them. Public sources disagree on 4 and 5 (some swap
# white and checkered), so the raw code is written beside the label.
FLAG_CODES = {1: "green", 2: "caution", 3: "red", 4: "white", 5: "checkered", 8: "warm-up", 9: "cold track"}
PERIOD_FLAGS = {2: "caution", 3: "red", 4: "white"}


def running_orders(times: LapTimes, final_lap: int, warn) -> tuple[dict[int, list[str]], dict[int, list[Any]]]:
    """Lap -> cars by running position, and lap -> their lap times (lap 0 is the grid).

    A lap lists the cars that completed it; a car missing from later laps is lapped or out.
    Where a feed gives two cars the same position, race time so far breaks the tie.
    """
    by_lap: dict[int, list[tuple[int, float, str, float | None]]] = {}
    finish = {car: rank for rank, car in enumerate(times.final_order)}
    for car, laps in times.laps.items():
        elapsed = 0.0
        for lap, seconds, position in laps:
            elapsed += seconds or 0.0
            tie_break = finish[car] if lap == final_lap else elapsed  # at the line, the official order
            if 0 <= lap <= final_lap:
                by_lap.setdefault(lap, []).append((position, tie_break, car, seconds))
    orders, lap_times = {}, {}
    for lap in sorted(by_lap):
        rows = sorted(by_lap[lap])
        positions = [row[0] for row in rows]
        if positions != list(range(1, len(rows) + 1)):
            twice = sorted({p for p in positions if positions.count(p) > 1})
            warn(f"lap-times.json: lap {lap} gives position(s) {twice or 'out of sequence'} to more than one car "
                 f"(or skips some); ordered by {'the finishing order' if lap == final_lap else 'race time'}")
        orders[lap] = [row[2] for row in rows]
        if lap > 0:
            lap_times[lap] = [row[3] for row in rows]
    return orders, lap_times


def codes_from_changes(changes: list[FlagChange], final_lap: int) -> dict[int, int]:
    """Per-lap flag codes from flag changes: a change after N laps applies from lap N + 1."""
    codes: dict[int, int] = {}
    ordered = sorted(enumerate(changes), key=lambda pair: (pair[1].lap, pair[0]))
    for (_, change), nxt in zip(ordered, ordered[1:] + [(None, None)], strict=True):
        until = final_lap if nxt[1] is None else nxt[1].lap
        for lap in range(change.lap + 1, min(until, final_lap) + 1):
            codes[lap] = change.code
    return codes


def flag_periods(codes: dict[int, int], final_lap: int, reasons: dict[int, str], source: str,
                 warn) -> list[dict[str, Any]]:
    """Runs of caution, red and white laps as flag periods, each with its raw code."""
    periods: list[dict[str, Any]] = []
    for lap in range(1, final_lap + 1):
        code = codes.get(lap)
        if code in (1, 5, None):
            continue
        if code not in PERIOD_FLAGS:
            warn(f"{source}: lap {lap} has flag code {code} ({FLAG_CODES.get(code, 'unknown')}); not shown as a flag")
            continue
        last = periods[-1] if periods else None
        if last and last["flag"] == PERIOD_FLAGS[code] and last["to"] == lap - 1 and last["code"] == code:
            last["to"] = lap
            continue
        period: dict[str, Any] = {"flag": PERIOD_FLAGS[code], "from": lap, "to": lap}
        if code == 2 and reasons.get(lap):
            period["reason"] = reasons[lap]
        period.update(code=code, sources=[source.removesuffix(".json")])
        periods.append(period)
    return periods


def caution_reasons(changes: list[FlagChange]) -> dict[int, str]:
    """First caution lap -> the flag data's comment on it."""
    return {change.lap + 1: change.comment for change in changes if change.code == 2 and change.comment}


def compare_flags(ours: dict[int, int], theirs: dict[int, int], final_lap: int, names: tuple[str, str], warn) -> None:
    differ = [lap for lap in range(1, final_lap + 1)
              if lap in ours and lap in theirs and ours[lap] != theirs[lap]]
    if differ:
        warn(f"{names[1]} and {names[0]} disagree on the flag of {len(differ)} lap(s) (first: lap {differ[0]}); "
             f"using {names[0]}")
