"""Real feed files as they stood while a race ran: cut when the leader completed lap N + 1.

Each car's laps are cut at that moment by its summed lap times (the leader's lap N + 1 is the last
in the file; a car laps down has its own earlier laps); notes, flags and pit stops are those up to
the leader's lap N; stage points, those of the stages ended by then. The loop data and the weekend
feed are records of the whole race and are left out. Written from the files themselves, not by
the importer's code, so that a test of one against the other means something.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8-sig"))


def _summed(car: dict) -> list[tuple[dict, float]]:
    elapsed, out = 0.0, []
    for lap in sorted(car["Laps"], key=lambda lap: lap["Lap"]):
        elapsed += lap["LapTime"] or 0.0
        out.append((lap, elapsed))
    return out


def _crossed(cars: list[dict]) -> dict[tuple[str, int], float]:
    """(car, lap) -> when the car crossed the line at that lap: its summed lap times, but never
    later than a car the feed's RunningPos places behind it on that lap (summed times lack each
    car's start offset; the running order on a lap is the order of crossing)."""
    by_lap: dict[int, list[tuple[int, float, str]]] = {}
    for car in cars:
        for entry, elapsed in _summed(car):
            by_lap.setdefault(entry["Lap"], []).append((entry["RunningPos"], elapsed, car["Number"]))
    crossed = {}
    for lap, rows in by_lap.items():
        earliest = float("inf")
        for _, elapsed, number in sorted(rows, reverse=True):
            earliest = min(earliest, elapsed)
            crossed[(number, lap)] = earliest
    return crossed


def leader_completes(cars: list[dict], lap: int) -> float:
    """When the first car across the line completed ``lap``."""
    return min(when for (_, at), when in _crossed(cars).items() if at == lap)


def cut_feeds(source: Path, target: Path, lap: int, stage_ends: list[int], when: str = "leader") -> Path:
    """Write into ``target`` the feed files of ``source`` as they stood while the leader ran lap ``lap`` + 2:
    ``when`` "leader", as it completed lap ``lap`` + 1; "late", just before it completed lap ``lap`` + 2;
    "own", each car's own laps to ``lap`` + 1 (a file cut lap by lap: a car laps down has laps it ran later)."""
    target.mkdir(parents=True, exist_ok=True)
    times = _read(source / "lap-times.json")
    crossed = _crossed(times["laps"])
    # the crossings kept: up to the leader's lap N + 1, or those before its N + 2, or all (each car's own laps)
    if when == "leader":
        moment = leader_completes(times["laps"], lap + 1)
        kept_at = lambda at: at <= moment  # noqa: E731
    elif when == "late":
        moment = leader_completes(times["laps"], lap + 2)
        kept_at = lambda at: at < moment  # noqa: E731
    else:
        kept_at = lambda at: True  # noqa: E731
    for car in times["laps"]:
        kept = []
        for entry, _ in _summed(car):
            if not kept_at(crossed[(car["Number"], entry["Lap"])]) or entry["Lap"] > lap + 1:
                break
            kept.append(entry)
        car["Laps"] = kept
        car["RunningPos"] = kept[-1]["RunningPos"]  # where it runs now: the final order is not known yet
    lap += when == "late"  # then the leader has completed lap N + 1: the other files hold it
    times["flags"] = [flag for flag in times.get("flags", []) if flag["LapsCompleted"] <= lap]
    (target / "lap-times.json").write_text(json.dumps(times), encoding="utf-8")
    if (source / "lap-notes.json").exists():
        notes = _read(source / "lap-notes.json")
        notes["laps"] = {key: value for key, value in notes["laps"].items() if int(key) <= lap}
        (target / "lap-notes.json").write_text(json.dumps(notes), encoding="utf-8")
    if (source / "live-flag-data.json").exists():
        flags = _read(source / "live-flag-data.json")
        flags = [change for change in (flags["FlagStates"] if isinstance(flags, dict) else flags)
                 if change["lap_number"] <= lap]
        (target / "live-flag-data.json").write_text(json.dumps(flags), encoding="utf-8")
    if (source / "live-pit-data.json").exists():
        stops = [stop for stop in _read(source / "live-pit-data.json")
                 if (stop.get("leader_lap") or stop["lap_count"]) <= lap]
        (target / "live-pit-data.json").write_text(json.dumps(stops), encoding="utf-8")
    if (source / "live-stage-points.json").exists():
        stages = [stage for stage in _read(source / "live-stage-points.json")
                  if stage["stage_number"] <= len(stage_ends) and stage_ends[stage["stage_number"] - 1] <= lap]
        if stages:
            (target / "live-stage-points.json").write_text(json.dumps(stages), encoding="utf-8")
    return target
