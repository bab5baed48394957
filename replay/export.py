"""Render a race state as the documented JSON contract or as plain text for notes."""

from __future__ import annotations

from typing import Any

from .model import Entry, Event, Quote
from .state import RaceState, Row, StageState

FLAG_WORDS = {"green": "GREEN", "yellow": "YELLOW", "red": "RED", "white": "WHITE", "checkered": "CHECKERED"}


def to_json(state: RaceState) -> dict[str, Any]:
    """The stable export contract (see docs/FORMAT.md#export). Keys may be added, never changed."""
    info = state.info
    data: dict[str, Any] = {
        "race": {
            "series": info.series, "name": info.name, "track": info.track, "date": info.date,
            "laps": info.laps, "stage_ends": list(info.stage_ends), "final_lap": info.final_lap,
            "track_type": info.track_type, "estimated": dict(info.estimated), "partial": list(info.partial),
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
        "stage_results": [_stage(stage) for stage in state.stage_results],
        "events": [_event(event, state) for event in state.events],
        "quotes": [_quote(quote, state) for quote in state.quotes],
    }
    if state.finished:
        data["official_results"] = [
            {"pos": r.pos, **_car(r.entry), "line_pos": r.line_pos, "status": r.status, "laps": r.laps,
             "laps_led": r.laps_led, "points": r.points}
            for r in state.official
        ]
        data["loop_data"] = {state.entries[car].number or car: dict(stats) for car, stats in state.loop_data.items()}
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
            "as_of": row.as_of, "lap_time": row.lap_time, "gap": row.gap, "interval": row.interval,
            "laps_down": row.laps_down}


def _stage(stage: StageState) -> dict[str, Any]:
    winner = {"number": stage.winner.number, "driver": stage.winner.driver} if stage.winner else None
    results = [{"pos": p.pos, "number": p.entry.number, "driver": p.entry.driver, "points": p.points}
               for p in stage.places]
    return {"stage": stage.stage, "lap": stage.lap, "winner": winner, "results": results}


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


def gap_label(row: Row) -> str:
    """``+2 laps``, ``+1.234`` (seconds behind the leader), ``—`` for the leader, or blank if unknown."""
    if row.laps_down:
        return f"+{row.laps_down} lap{'s' if row.laps_down > 1 else ''}"
    if row.gap is None:
        return ""
    return f"{row.gap:+.3f}" if row.gap else "—"


def interval_label(row: Row) -> str:
    return "" if row.interval is None else f"{row.interval:+.3f}"


def to_text(state: RaceState) -> str:
    """A readable leaderboard and the events so far, good to paste into notes."""
    info = state.info
    flag = FLAG_WORDS[state.flag] + (f" ({state.flag_reason})" if state.flag_reason else "")
    lines = [
        " · ".join(x for x in (info.series, info.name, info.track, info.date_label) if x),
        f"{state.lap_label} ({state.laps_to_go} to go) · {flag} · Stage {state.stage_label}"
        f" · Cautions {state.count_label('cautions')} · Lead changes {state.count_label('lead_changes')}",
        "",
        f"{'Pos':>3}  {'Car':<4} {'Driver':<22} {'Team / make':<30} {'Led':>4}"
        + (f"  {'Gap':>8} {'Int':>7}" if _timed(state) else "") + f"  {'Status':<8} Known",
    ]
    lines += [_text_row(row, state.lap, _timed(state)) for row in state.leaderboard]
    if state.unplaced:
        lines += ["", "Position unknown: " + ", ".join(
            u.entry.driver + (f" ({u.detail or u.status})" if u.status != "running" else "") for u in state.unplaced)]
    if state.events:
        lines += ["", "Events"]
        lines += [f"  {e.lap_label:<9} {e.kind:<16} {e.text}" for e in state.events]
    if state.official and any(r.pos != r.line_pos for r in state.official):
        lines += ["", "Official result after post-race changes"]
        lines += [f"  {r.pos or 'DQ':>3}  {r.entry.driver}" + (f" (crossed the line P{r.line_pos})"
                                                             if r.pos is None else "") for r in state.official]
    return "\n".join(lines) + "\n"


def _timed(state: RaceState) -> bool:
    return any(row.lap_time is not None for row in state.leaderboard)


def _text_row(row: Row, lap: int, timed: bool) -> str:
    team = row.entry.team_and_make or "-"
    led = "-" if row.laps_led is None else str(row.laps_led)
    known = row.certainty if row.as_of == lap else f"{row.certainty} (lap {row.as_of})"
    status = row.status + (f": {row.detail}" if row.detail else "")
    gaps = f"  {gap_label(row):>8} {interval_label(row):>7}" if timed else ""
    return (f"{row.pos:>3}  {row.entry.number or '?':<4} {row.entry.driver:<22} {team[:30]:<30} {led:>4}"
            f"{gaps}  {status:<8} {known}")
