"""Labels for time gaps, shared by the leaderboard and the text export so both read the same."""

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
