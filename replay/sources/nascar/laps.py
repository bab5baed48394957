"""Per-lap data from the feeds: running orders with lap times, and flag periods."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..base import Warn
from .files import FlagChange, LapTimes

# Flag codes as NASCAR's live feed uses them. Public sources disagree on 4 and 5 (some swap
# white and checkered), so the raw code is written beside the label.
FLAG_CODES = {1: "green", 2: "caution", 3: "red", 4: "white", 5: "checkered", 8: "warm-up", 9: "cold track"}
PERIOD_FLAGS = {2: "caution", 3: "red", 4: "white"}
CAUTION = 2


@dataclass
class LeaderLaps:
    """Per leader lap (lap 0 is the grid): the cars in order, and aligned with them each car's
    time on its latest lap, laps down, and race time (its lap times summed) at that lap."""

    orders: dict[int, list[str]] = field(default_factory=dict)
    lap_times: dict[int, list[float | None]] = field(default_factory=dict)
    laps_down: dict[int, list[int]] = field(default_factory=dict)
    race_times: dict[int, list[float]] = field(default_factory=dict)


def leader_laps(times: LapTimes, final_lap: int, finished: bool, warn: Warn) -> LeaderLaps:
    """The race as it stood at each of the leader's laps, from each car's own laps.

    ``lap-times.json`` lists each car's own laps: a car d laps down completes its lap N about d
    laps after the leader. The state at lap N is the race while the leader runs lap N + 1: each
    car's row is its latest crossing of the line before the leader's next one, found by summing
    its lap times (a car d laps down: its own lap N - d). Cars are ordered by laps completed, then
    by the feed's running position on that lap; at the finish of a finished race, by the final order.

    A race still running (``finished`` False) has ``final_lap`` + 1 in its files: lap N is complete only
    once the leader has completed lap N + 1, and the files, however they were cut (by time, as NASCAR
    serves them while the race runs, or each car's laps to a lap), hold every crossing before that.
    """
    known = final_lap if finished else final_lap + 1  # the leader's laps the files hold
    crossings = _crossings(times, known)
    _warn_shared_positions(crossings, final_lap if finished else None, warn)
    scored = _scored(crossings)
    leader = _leader_crossings(scored, known)
    out = LeaderLaps()
    finish = {car: rank for rank, car in enumerate(times.final_order)}
    latest = dict.fromkeys(crossings, 0)
    for lap in range(final_lap + 1):
        limit = leader[lap + 1] if lap < known else float("inf")  # the finish holds every last crossing
        for car, rows in crossings.items():
            while latest[car] + 1 < len(rows) and latest[car] + 1 <= lap and scored[car][latest[car] + 1] < limit:
                latest[car] += 1
        rows_now = {car: crossings[car][latest[car]] for car in crossings}
        if lap == final_lap and finished:
            cars = sorted(rows_now, key=lambda car: finish[car])
        else:
            cars = sorted(rows_now, key=lambda car: (-rows_now[car][0], rows_now[car][2], rows_now[car][1], car))
            if lap > 0 and times.flags.get(lap) == CAUTION:
                cars = _no_pass_under_caution(cars, out.orders[lap - 1][0], rows_now)
        out.orders[lap] = cars
        if lap > 0:
            out.lap_times[lap] = [rows_now[car][3] for car in cars]
            out.laps_down[lap] = [max(0, lap - rows_now[car][0]) for car in cars]
            out.race_times[lap] = [round(rows_now[car][1], 3) for car in cars]
    return out


def _no_pass_under_caution(cars: list[str], leader: str, rows: dict[str, tuple]) -> list[str]:
    """Under caution no one passes the leader on track: a leader second at the line on the same lap,
    whose lap took no more than a fifth longer than the first car's (a stop costs more), keeps
    the lead, as NASCAR scores it. Martinsville 2020 laps 11, 119, 134: the car first across the line
    leads no lap in NASCAR's laps led and no lead change counts; at lap 64 the leader of lap 63
    pitted (56.1 s against 41.3 s) and, second at the line, lost the lead."""
    if len(cars) < 2 or cars[1] != leader or rows[leader][0] != rows[cars[0]][0]:
        return cars
    mine, theirs = rows[leader][3], rows[cars[0]][3]
    if mine is None or theirs is None or mine > 1.2 * theirs:
        return cars
    return [leader, cars[0], *cars[2:]]


def _crossings(times: LapTimes, final_lap: int) -> dict[str, list[tuple[int, float, int, float | None]]]:
    """Car -> its crossings of the line, own lap by own lap from 0: (lap, race time, running
    position, lap time). A lap without a time counts as 0 s (the summed time is then early)."""
    crossings: dict[str, list[tuple[int, float, int, float | None]]] = {}
    for car, laps in times.laps.items():
        elapsed = 0.0
        rows: list[tuple[int, float, int, float | None]] = []
        for lap, seconds, position in sorted(laps):
            if lap != len(rows) or lap > final_lap:
                break  # a gap in a car's laps: what follows cannot be placed in time
            elapsed += seconds or 0.0
            rows.append((lap, elapsed, position, seconds if lap else None))
        if rows:
            crossings[car] = rows
    return crossings


def _scored(crossings: dict[str, list]) -> dict[str, list[float]]:
    """Car -> when it crossed the line at each of its laps, as the feed's running order has it.

    Summed lap times lack each car's start offset (the time from the green flag to its first
    crossing) and may be off by a second or two after pit and caution laps, while the feed's
    running position on a lap is the order in which the cars crossed the line on it: a car
    crossed no later than any car the feed places behind it on that lap. So the car at P16 on a
    lap whose P17 crossed before the leader completed the next lap is on the lead lap too.
    """
    scored = {car: [row[1] for row in rows] for car, rows in crossings.items()}
    for lap in range(max((len(rows) for rows in crossings.values()), default=0)):
        on_lap = sorted(((rows[lap][2], rows[lap][1], car) for car, rows in crossings.items() if len(rows) > lap),
                        reverse=True)
        earliest = float("inf")
        for _, elapsed, car in on_lap:
            earliest = min(earliest, elapsed)
            scored[car][lap] = earliest
    return scored


def _leader_crossings(scored: dict[str, list[float]], final_lap: int) -> list[float]:
    """When the leader completed each lap (the earliest crossing of it, by the feed's running
    order), never before the lap before it."""
    leader, last = [], 0.0
    for lap in range(final_lap + 1):
        when = min((times[lap] for times in scored.values() if len(times) > lap), default=last)
        last = max(last, when)
        leader.append(last)
    return leader


def _warn_shared_positions(crossings: dict[str, list], finish: int | None, warn: Warn) -> None:
    by_lap: dict[int, list[int]] = {}
    for rows in crossings.values():
        for lap, _, position, _ in rows:
            by_lap.setdefault(lap, []).append(position)
    for lap in sorted(by_lap):
        positions = sorted(by_lap[lap])
        if positions != list(range(1, len(positions) + 1)):
            twice = sorted({p for p in positions if positions.count(p) > 1})
            warn(f"lap-times.json: lap {lap} gives position(s) {twice or 'out of sequence'} to more than one car "
                 f"(or skips some); ordered by {'the finishing order' if lap == finish else 'race time'}", spoiler=True)


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
                 warn: Warn) -> list[dict[str, Any]]:
    """Runs of caution, red and white laps as flag periods, each with its raw code."""
    periods: list[dict[str, Any]] = []
    for lap in range(1, final_lap + 1):
        code = codes.get(lap)
        if code in (1, 5, None):
            continue
        if code not in PERIOD_FLAGS:
            warn(f"{source}: lap {lap} has flag code {code} ({FLAG_CODES.get(code, 'unknown')}); not shown as a flag",
                 spoiler=True)
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


def compare_flags(ours: dict[int, int], theirs: dict[int, int], final_lap: int, names: tuple[str, str], warn: Warn) -> None:
    differ = [lap for lap in range(1, final_lap + 1)
              if lap in ours and lap in theirs and ours[lap] != theirs[lap]]
    if differ:
        warn(f"{names[1]} and {names[0]} disagree on the flag of {len(differ)} lap(s) (first: lap {differ[0]}); "
             f"using {names[0]}", spoiler=True)
