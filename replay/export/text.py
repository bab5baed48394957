"""A plain-text sheet of the race at one lap: the leaderboard, the events and quotes so far.

Good to paste into notes: columns are as wide as their widest cell, every event names its cars,
kinds read as words.
"""

from __future__ import annotations

from ..core.labels import flag_label, gap_label, interval_label, laps_to_go_label, other_entrants_line, quote_when_label
from ..core.model import Event, Quote
from ..core.state import RaceState, Row


def to_text(state: RaceState) -> str:
    """The race as it stood at ``state.lap``, as text."""
    lines = _heading(state) + [""] + _table(state)
    if state.unplaced:
        lines += ["", "Position unknown: " + ", ".join(
            u.entry.driver + (f" ({u.detail or u.status})" if u.status != "running" else "") for u in state.unplaced)]
    if state.other_entrants:
        lines += ["", other_entrants_line(state.other_entrants)]
    if state.events:
        lines += ["", "Events"] + _events(state)
    if state.quotes:
        lines += ["", "Quotes"] + [_quote(quote, state) for quote in state.quotes]
    if state.official and any(r.pos != r.line_pos for r in state.official):
        lines += ["", "Official result after post-race changes"]
        lines += [f"  {r.pos or 'DQ':>3}  {r.entry.driver}" + (f" (crossed the line P{r.line_pos})"
                                                             if r.pos is None else "") for r in state.official]
    return "\n".join(lines) + "\n"


def _heading(state: RaceState) -> list[str]:
    info = state.info
    flag = flag_label(state) + (f" ({state.flag_reason})" if state.flag_reason else "")
    to_go = f" ({label})" if (label := laps_to_go_label(state)) else ""
    return [
        " · ".join(x for x in (info.series, info.name, info.track, info.date_label) if x),
        f"{state.lap_label}{to_go} · {flag} · Stage {state.stage_label}"
        f" · Cautions {state.count_label('cautions')} · Lead changes {state.count_label('lead_changes')}",
    ]


def _table(state: RaceState) -> list[str]:
    """The leaderboard, each column as wide as its widest cell (a gap of "+152 laps" included)."""
    timed = any(row.lap_time is not None for row in state.leaderboard)
    titles = ["Pos", "Car", "Driver", "Team / make", "Led"] + (["Gap", "Int"] if timed else []) + ["Status", "Known"]
    right = {"Pos", "Led", "Gap", "Int"}
    rows = [titles] + [_cells(row, state.lap, timed) for row in state.leaderboard]
    widths = [max(len(cells[i]) for cells in rows) for i in range(len(titles))]
    return ["  ".join(cell.rjust(width) if title in right else cell.ljust(width)
                      for cell, width, title in zip(cells, widths, titles, strict=True)).rstrip()
            for cells in rows]


def _cells(row: Row, lap: int, timed: bool) -> list[str]:
    led = "-" if row.laps_led is None else str(row.laps_led)
    known = row.certainty if row.as_of == lap else f"{row.certainty} (lap {row.as_of})"
    status = row.status + (f": {row.detail}" if row.detail else "")
    gaps = [gap_label(row, marked=True), interval_label(row, marked=True)] if timed else []
    return [str(row.pos), row.entry.number or "?", row.entry.driver, row.entry.team_and_make or "-", led,
            *gaps, status, known]


def _events(state: RaceState) -> list[str]:
    labels = [event.lap_label for event in state.events]
    kinds = [event.kind.replace("_", " ") for event in state.events]
    lap_width, kind_width = max(map(len, labels)), max(map(len, kinds))
    return [f"  {label:<{lap_width}}  {kind:<{kind_width}}  {_cars(event, state)}{event.text}"
            for label, kind, event in zip(labels, kinds, state.events, strict=True)]


def _cars(event: Event, state: RaceState) -> str:
    """``#19 Ryan Truex: `` (a pit stop's text does not say whose it was)."""
    names = ", ".join(state.entries[car].label for car in event.cars)
    return names + ": " if names else ""


def _quote(quote: Quote, state: RaceState) -> str:
    return f"  “{quote.text}” — {quote.speaker} ({quote_when_label(quote)}; {quote.source})"
