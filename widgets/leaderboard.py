"""The running order at the current lap, drawn line by line.

Rows are the placed cars, a dim "unknown" row for each run of positions no source gives, and
the cars whose position is unknown. Carried rows are dim, estimated rows dim and italic.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from replay.state import RaceState, Row, Unplaced

from .rowlist import RowList

CERTAINTY = {"reported": Style(), "carried": Style(dim=True), "estimated": Style(dim=True, italic=True)}
FOLLOWED = Style(bgcolor="#3a3a7a", bold=True)
MOVED = Style(bgcolor="#5a4a00")


@dataclass(frozen=True)
class Column:
    title: str
    width: int
    right: bool = False


def columns_for(width: int, timed: bool) -> list[Column]:
    """Fixed columns first; driver and team share what is left. Narrow screens drop extras."""
    fixed = [Column("Pos", 5, True), Column("", 4, True), Column("Car", 4)]
    tail = [Column("Led", 4, True)]
    if timed:
        tail += [Column("Gap", 8, True), Column("Int", 7, True)]
    tail.append(Column("Status", 9))
    wide = width >= 90
    if wide:
        tail.append(Column("Known", 13))
    spare = width - sum(c.width + 1 for c in fixed + tail) - 2
    if wide or not timed:
        team = max(0, spare * 2 // 5) if width >= 70 else 0
    else:
        team = 0
    driver = max(8, spare - team - (1 if team else 0))
    middle = [Column("Driver", driver)] + ([Column("Team", team)] if team else [])
    return fixed + middle + tail


class Leaderboard(RowList):
    """Position, change, car, driver, team/make, laps led, gap, status and how sure we are."""

    DEFAULT_CSS = """
    Leaderboard { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state: RaceState | None = None
        self.timed = False
        self.followed: frozenset[str] = frozenset()
        self.moved: frozenset[str] = frozenset()
        self._rows: list[tuple] = []

    def show(self, state: RaceState, followed: frozenset[str] = frozenset(),
             moved: frozenset[str] = frozenset()) -> None:
        """Display ``state``; ``followed`` rows stay highlighted and in view, ``moved`` flash."""
        self.state, self.followed, self.moved = state, followed, moved
        self._rows = _rows_of(state)
        self.set_row_count(len(self._rows) + 1)  # +1: the header line
        self._keep_followed_in_view()

    def set_highlights(self, followed: frozenset[str], moved: frozenset[str]) -> None:
        self.followed, self.moved = followed, moved
        self.refresh()
        self._keep_followed_in_view()

    def _keep_followed_in_view(self) -> None:
        for index, row in enumerate(self._rows):
            if row[0] != "gap" and row[1].entry.key in self.followed:
                self.scroll_row_into_view(index + 1)
                return

    def render_row(self, index: int, width: int) -> Text:
        columns = columns_for(width, self.timed)
        if index == 0:
            return _line({c.title: Text(c.title, style="bold") for c in columns}, columns)
        kind, item, *rest = self._rows[index - 1]
        if kind == "gap":
            span = f"{item}–{rest[0]}" if rest[0] > item else str(item)
            return _line({"Pos": Text(span, style="dim"), "Driver": Text("unknown", style="dim")}, columns)
        cells = _row_cells(item, self.state.lap) if kind == "row" else _unplaced_cells(item)
        text = _line(cells, columns)
        key = item.entry.key
        if key in self.followed:
            text.stylize(FOLLOWED)
        elif key in self.moved:
            text.stylize(MOVED)
        return text


def _rows_of(state: RaceState) -> list[tuple]:
    rows: list[tuple] = []
    expected = 1
    for row in state.leaderboard:
        if row.pos > expected:
            rows.append(("gap", expected, row.pos - 1))
        rows.append(("row", row))
        expected = row.pos + 1
    rows += [("unplaced", u) for u in state.unplaced]
    return rows


def _line(cells: dict[str, Text], columns: list[Column]) -> Text:
    line = Text(" ")
    for column in columns:
        cell = cells.get(column.title, Text("")).copy()
        cell.truncate(column.width, overflow="ellipsis")
        pad = " " * (column.width - cell.cell_len)
        line.append_text(Text(pad) + cell if column.right else cell + Text(pad))
        line.append(" ")
    return line


def _seconds(value: float | None, prefix: str = "+") -> Text:
    return Text("" if value is None else (f"{prefix}{value:.3f}" if value else "—"))


def _row_cells(row: Row, lap: int) -> dict[str, Text]:
    style = CERTAINTY[row.certainty]
    change = Text("")
    if row.change:
        change = Text(f"▲{row.change}" if row.change > 0 else f"▼{-row.change}",
                      style="green" if row.change > 0 else "red")
    known = row.certainty if row.as_of == lap else f"{row.certainty} L{row.as_of}"
    status = row.status + (f" ({row.detail})" if row.detail else "")
    return {
        "Pos": Text(str(row.pos), style=style), "": change, "Car": Text(row.entry.number or "?", style=style),
        "Driver": _driver(row.entry, style), "Team": Text(_team(row.entry), style=style),
        "Led": Text("–" if row.laps_led is None else str(row.laps_led), style=style),
        "Gap": _seconds(row.gap), "Int": _seconds(row.interval),
        "Status": Text(status, style="red" if row.status == "out" else ("yellow" if row.status == "pit" else style)),
        "Known": Text(known, style="dim"),
    }


def _unplaced_cells(unplaced: Unplaced) -> dict[str, Text]:
    style = Style(dim=True)
    status = unplaced.status + (f" ({unplaced.detail})" if unplaced.detail else "")
    return {
        "Pos": Text("?", style=style), "Car": Text(unplaced.entry.number or "?", style=style),
        "Driver": _driver(unplaced.entry, style), "Team": Text(_team(unplaced.entry), style=style),
        "Led": Text("–", style=style), "Status": Text(status, style="red" if unplaced.status == "out" else style),
        "Known": Text("unknown", style="dim"),
    }


def _driver(entry, style: Style) -> Text:
    text = Text(entry.driver, style=style)
    if entry.rookie:
        text.append(" (R)", style="dim")
    if entry.points_eligible is False:
        text.append(" (i)", style="dim")
    return text


def _team(entry) -> str:
    return " ".join(x for x in (entry.team, entry.make) if x)
