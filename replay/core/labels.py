"""Labels for time gaps and lap times, shared by the leaderboard and the text export so both read the same."""

from __future__ import annotations

from .state import Row


def gap_label(row: Row) -> str:
    """``+2 laps``, ``+1.234`` (seconds behind the leader), ``—`` for the leader, or blank if unknown."""
    if row.laps_down:
        return f"+{row.laps_down} lap{'s' if row.laps_down > 1 else ''}"
    if row.gap is None:
        return ""
    return f"{row.gap:+.3f}" if row.gap else "—"


def interval_label(row: Row) -> str:
    """``+0.412`` seconds behind the car ahead, or blank if unknown."""
    return "" if row.interval is None else f"{row.interval:+.3f}"


def lap_time_label(seconds: float | None) -> str:
    """A lap time in six cells: ``30.123`` (to the thousandth, as the feeds give them), ``130.12``
    for a lap of 100 s or more (a road course), ``1834`` under a red flag; blank if unknown."""
    if seconds is None:
        return ""
    for digits in (3, 2, 0):
        label = f"{seconds:.{digits}f}"
        if len(label) <= LAP_TIME_CELLS:
            return label
    return label


LAP_TIME_CELLS = 6


def other_entrants_line(count: int) -> str:
    """What a board says of the entrants no fact known by its lap names (core/known.py)."""
    return f"Other entrants: {count}, named when a source does (at the latest at the finish)"
