"""A plain-text leaderboard and the events so far, good to paste into notes."""

from __future__ import annotations

from ..core.labels import gap_label, interval_label
from ..core.state import RaceState, Row

FLAG_WORDS = {"green": "GREEN", "yellow": "YELLOW", "red": "RED", "white": "WHITE", "checkered": "CHECKERED"}


def to_text(state: RaceState) -> str:
    """A readable leaderboard and the events so far, good to paste into notes."""
    info = state.info
    flag = FLAG_WORDS[state.flag] + (f" ({state.flag_reason})" if state.flag_reason else "")
    lines = [
        " · ".join(x for x in (info.series, info.name, info.track, info.date_label) if x),
        f"{state.lap_label}{_to_go(state)} · {flag} · Stage {state.stage_label}"
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


def _to_go(state: RaceState) -> str:
    return "" if state.laps_to_go is None else f" ({state.laps_to_go} to go)"


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
