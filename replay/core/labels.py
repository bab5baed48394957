"""Labels for time gaps and lap times, shared by the leaderboard and the text export so both read the same."""

from __future__ import annotations

from .state import Row


def gap_label(row: Row, marked: bool = False) -> str:
    """``+2 laps``, ``+1.234`` (seconds behind the leader), ``—`` for the leader, or blank if unknown;
    ``marked``: an estimated gap starts with ``~`` (for text without styles; the board draws it dim italic)."""
    if row.laps_down:
        return f"+{row.laps_down} lap{'s' if row.laps_down > 1 else ''}"
    if row.gap is None:
        return ""
    return (_mark(row, marked) + f"{row.gap:+.3f}") if row.gap or row.pos > 1 else "—"


def interval_label(row: Row, marked: bool = False) -> str:
    """``+0.412`` seconds behind the car ahead, or blank if unknown (``~``: estimated, as above)."""
    return "" if row.interval is None else _mark(row, marked) + f"{row.interval:+.3f}"


def relative_gap_label(row: Row, reference: Row | None) -> str:
    """Seconds behind (+) or ahead of (-) ``reference`` (a followed driver), ``—`` for it, or blank
    where either gap is unknown; laps down as in ``gap_label``."""
    if row.laps_down:
        return gap_label(row)
    if reference is None or row.gap is None or reference.gap is None or reference.laps_down:
        return ""
    if row.entry.key == reference.entry.key:
        return "—"
    return f"{row.gap - reference.gap:+.3f}"


def _mark(row: Row, marked: bool) -> str:
    return "~" if marked and row.gap_estimated else ""


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
