"""The words for what the state holds, made here once so that the viewer and the exports read the same:
time gaps and lap times, a car's status, the flag and the race's phase (the grid, laps to go, in
progress, the finish), when a quote was said."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .status import CarStatus, StatusKind

if TYPE_CHECKING:
    from .model import Quote
    from .state import RaceState, Row

GRID = "GRID"  # the flag chip at lap 0: no flag has waved yet
IN_PROGRESS = "in progress"  # a race still running when its file was written
NO_LAPS_YET = "No laps run yet."  # what a count of laps so far says at the grid
FLAG_WORDS = {"green": "GREEN", "yellow": "YELLOW", "red": "RED", "white": "WHITE", "checkered": "CHECKERED"}
QUOTE_WHEN = {"pre-race": "before the race", "post-race": "after the race"}


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


# -- a car's status ---------------------------------------------------------------------


def status_detail(status: CarStatus) -> str | None:
    """What follows a status in the exports: why a car is out, when it was disqualified, or
    ``last lap 97`` for a car the timing data has lost."""
    if status.kind is StatusKind.UNKNOWN and status.last_seen is not None:
        return f"last lap {status.last_seen}"
    return status.reason


def status_label(status: CarStatus) -> str:
    """A status as the board's column shows it: ``running``, ``out (accident)``, ``seen L97`` (a
    car the timing data has lost, by the last lap it placed it: the column is nine cells wide)."""
    if status.kind is StatusKind.UNKNOWN and status.last_seen is not None:
        return f"seen L{status.last_seen}"
    return status.kind.value + (f" ({status.reason})" if status.reason else "")


# -- the race's phase -------------------------------------------------------------------


def flag_label(state: RaceState, checkered_mark: str = "") -> str:
    """``GRID`` at lap 0 (the green flag has not waved), else the flag in capitals; the checkered
    flag followed by ``checkered_mark`` where one is given (the viewer draws a flag)."""
    if state.lap == 0:
        return GRID
    word = FLAG_WORDS[state.flag]
    return f"{word} {checkered_mark}" if checkered_mark and state.flag == "checkered" else word


def laps_to_go_label(state: RaceState) -> str | None:
    """``43 to go``; None at the grid (its lap label says the distance) and in overtime (unknown)."""
    to_go = state.laps_to_go
    return None if state.lap == 0 or to_go is None else f"{to_go} to go"


def lap_label(state: RaceState) -> str:
    """``Lap 91 / 134`` (the scheduled distance), ``Lap 136 / 134 · overtime`` past it, with
    ``(est.)`` when the length is estimated, ``· in progress`` for a race still running."""
    overtime = " · overtime" if state.overtime else ""
    estimated = " (est.)" if state.length_estimated else ""
    running = f" · {IN_PROGRESS}" if state.info.in_progress else ""
    return f"Lap {state.lap} / {state.info.laps}{overtime}{estimated}{running}"


def laps_so_far_label(state: RaceState) -> str:
    """What a count "so far" covers: ``laps 1–91, nothing after``, or at the grid that none has run."""
    return f"laps 1–{state.lap}, nothing after" if state.lap else "the grid: no laps run yet"


def leader_label(state: RaceState) -> str:
    """``#21 Austin Hill``; ``(pole)`` at the grid; ``as of L50`` when carried; ``unknown`` when no
    source gives P1."""
    first = state.leader
    if first is None:
        return "unknown"
    name = first.entry.label
    if state.lap == 0:
        return name + " (pole)"
    return name + ("" if first.as_of == state.lap else f" (as of L{first.as_of})")


# -- quotes -----------------------------------------------------------------------------


def quote_when_label(quote: Quote) -> str:
    """``before the race``, ``lap 91`` or ``after the race``."""
    return QUOTE_WHEN.get(quote.when) or (f"lap {quote.lap}" if quote.lap is not None else "during the race")


def no_quotes_label(state: RaceState) -> str:
    """What a quotes list says while it is empty: at the finish, that none will come."""
    return "No quotes in this race's sources." if state.finished else "No quotes yet."
