"""The stable JSON export contract (docs/FORMAT.md#export): keys may be added, never changed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..core.battles import Battle
from ..core.model import Entry, Event, Quote
from ..core.state import RaceState, Row, StageState
from ..core.stats import LapsLed, RaceStats

if TYPE_CHECKING:
    from . import ExportRequest

NO_LAPS = LapsLed(0, 0)


def to_json(state: RaceState, stats: RaceStats | None = None) -> dict[str, Any]:
    """The stable export contract (see docs/FORMAT.md#export). Keys may be added, never changed.
    ``stats`` (``replay.core.stats.stats_at`` at the same lap) adds the ``stats`` key."""
    info = state.info
    data: dict[str, Any] = {
        "race": {
            "series": info.series, "name": info.name, "track": info.track, "date": info.date,
            # the final length is known at the finish; before it, the schedule and the ends reached
            "laps": info.laps, "stage_ends": list(state.stage_ends),
            "final_lap": info.final_lap if state.finished else None,
            "track_type": info.track_type, "estimated": dict(state.estimates), "partial": list(info.partial),
            "in_progress": info.in_progress,
        },
        "lap": state.lap,
        "laps_to_go": state.laps_to_go,
        "flag": state.flag,
        "flag_reason": state.flag_reason,
        "flag_estimated": state.flag_estimated,
        "stage": state.stage,
        "cautions": state.cautions,
        "lead_changes": state.lead_changes,
        "leaderboard": [_row(row) for row in state.leaderboard],
        "unplaced": [{**_car(u.entry), "status": u.status, "detail": u.detail} for u in state.unplaced],
        "other_entrants": state.other_entrants,
        "stage_results": [_stage(stage) for stage in state.stage_results],
        "events": [_event(event, state) for event in state.events],
        "quotes": [_quote(quote, state) for quote in state.quotes],
    }
    if stats is not None:
        assert stats.lap == state.lap, "the statistics of another lap"
        data["stats"] = _stats(stats, state)
    if state.finished:
        data["margin_of_victory"] = info.margin_of_victory
        data["next_race"] = info.next_race
        data["race_notes"] = list(info.notes)
        data["official_results"] = [
            {"pos": r.pos, **_car(r.entry), "line_pos": r.line_pos, "status": r.status, "laps": r.laps,
             "laps_led": r.laps_led, "points": r.points}
            for r in state.official
        ]
        data["loop_data"] = {state.entries[car].number or car: {key: _loop_number(v) for key, v in values.items()}
                             for car, values in state.loop_data.items()}
        data["standings"] = [
            {"pos": s.pos, "number": _number(state, s.car), "driver": _driver(state, s.car),
             "points": s.points, "behind": s.behind, "note": s.note, "playoff": s.playoff, "cutoff": s.cutoff}
            for s in state.standings
        ]
    return data


def _car(entry: Entry) -> dict[str, Any]:
    return {"number": entry.number, "driver": entry.driver, "team": entry.team, "make": entry.make,
            "rookie": entry.rookie, "points_eligible": entry.points_eligible}


def _row(row: Row) -> dict[str, Any]:
    return {"pos": row.pos, **_car(row.entry), "status": row.status, "detail": row.detail,
            "laps_led": row.laps_led, "change": row.change, "certainty": row.certainty,
            "as_of": row.as_of, "lap_time": row.lap_time, "gap": _feed_precision(row.gap),
            "interval": _feed_precision(row.interval), "gap_estimated": row.gap_estimated,
            "laps_down": row.laps_down}


def _feed_precision(seconds: float | None) -> float | None:
    """A sum or difference of lap times, to the thousandth the feeds time them to (no
    0.26300000000446744: the float arithmetic's noise is not a figure)."""
    return None if seconds is None else round(seconds, 3)


def _loop_number(value: float) -> int | float:
    """Loop data as the feed gives it: counts and places whole (53, not 53.0), averages as given."""
    return int(value) if float(value).is_integer() else value


def _stage(stage: StageState) -> dict[str, Any]:
    winner = {"number": stage.winner.number, "driver": stage.winner.driver} if stage.winner else None
    results = [{"pos": p.pos, "number": p.entry.number, "driver": p.entry.driver, "points": p.points}
               for p in stage.places]
    return {"stage": stage.stage, "lap": stage.lap, "winner": winner, "results": results}


def _stats(stats: RaceStats, state: RaceState) -> dict[str, Any]:
    """The statistics so far, per car keyed as ``loop_data`` is; None (null) where unknown."""
    cars = sorted(state.entries.values(), key=lambda entry: entry.neutral_key)
    led, pits, bests = stats.laps_led, stats.pit_stops, stats.best_laps
    return {
        "leaders": None if stats.leaders is None else [_who(state, car) for car in stats.leaders],
        "known_leaders": [_who(state, car) for car in stats.known_leaders],
        "caution_laps": stats.caution_laps, "green_laps": stats.green_laps,
        "flag_laps_estimated": stats.flag_laps_estimated,
        "laps_led": None if led is None else {
            _key(e): {"green": (laps := led.get(e.key, NO_LAPS)).green, "caution": laps.caution} for e in cars},
        "pit_stops": None if pits is None else {_key(e): pits[e.key] for e in cars},
        "best_laps": None if bests is None else {_key(e): bests[e.key].time if e.key in bests else None for e in cars},
    }


def _key(entry: Entry) -> str:
    return entry.number or entry.key


def _who(state: RaceState, key: str) -> dict[str, Any]:
    return {"number": _number(state, key), "driver": _driver(state, key)}


def _driver(state: RaceState, key: str) -> str:
    return state.entries[key].driver


def _number(state: RaceState, key: str) -> str | None:
    return state.entries[key].number


def _event(event: Event, state: RaceState) -> dict[str, Any]:
    return {"lap": event.lap, "when": event.when, "kind": event.kind,
            "drivers": [_driver(state, car) for car in event.cars],
            "numbers": [_number(state, car) for car in event.cars],
            "text": event.text, "sources": list(event.sources), "estimated": event.estimated,
            "window": [event.first_lap, event.lap] if event.first_lap is not None else None,
            "time": event.time, "speed_mph": event.speed_mph}


def _quote(quote: Quote, state: RaceState) -> dict[str, Any]:
    return {"lap": quote.lap, "when": quote.when, "driver": quote.speaker,
            "number": _number(state, quote.car) if quote.car else None,
            "text": quote.text, "source": quote.source, "context": quote.context}


def render_request(request: ExportRequest) -> str:
    """The contract as the command line gives it: with the statistics so far and the user's notes
    up to the lap (``stats`` and ``notes``), indented, one trailing newline."""
    from ..core.notes import note_records
    from ..core.stats import stats_at

    stats = stats_at(request.timeline, request.lap) if request.timeline is not None else None
    data = to_json(request.state, stats)
    data["notes"] = note_records(request.notes, request.state.entries, request.lap)
    if request.timeline is not None:
        data["battles"] = [_battle(battle, request.state) for battle in request.timeline.battles.so_far(request.lap)]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _battle(battle: Battle, state: RaceState) -> dict[str, Any]:
    return {"ahead": _who(state, battle.ahead), "behind": _who(state, battle.behind), "first_lap": battle.first,
            "last_lap": battle.last, "laps": battle.laps, "closest": round(battle.closest, 3),
            "going_on": battle.open}


def render_json(state: RaceState, stats: RaceStats | None = None) -> str:
    """The contract as indented JSON text, one trailing newline."""
    return json.dumps(to_json(state, stats), indent=2, ensure_ascii=False) + "\n"
