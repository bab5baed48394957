"""The running order at the current lap, with unknown and carried positions shown as such."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from replay.state import RaceState, Row, Unplaced

CERTAINTY_STYLES = {"reported": "", "carried": "dim", "estimated": "dim italic"}


class Leaderboard(Widget):
    """Position, change, car, driver, team, laps led, status and how sure we are."""

    DEFAULT_CSS = """
    Leaderboard { height: auto; padding: 0 1; }
    """

    state: reactive[RaceState | None] = reactive(None, layout=True)

    def render(self) -> Group:
        table = Table(expand=True, box=None, header_style="bold", pad_edge=False)
        for name, justify in (("Pos", "right"), ("", "right"), ("Car", "left"), ("Driver", "left"),
                              ("Team", "left"), ("Led", "right"), ("Status", "left"), ("Known", "left")):
            table.add_column(name, justify=justify, no_wrap=True)
        state = self.state
        if state is None:
            return Group(table)
        expected = 1
        for row in state.leaderboard:
            if row.pos > expected:
                table.add_row(Text(f"{expected}–{row.pos - 1}" if row.pos - 1 > expected else str(expected)),
                              "", "", Text("unknown", style="dim"), *[""] * 4)
            table.add_row(*_cells(row, state.lap))
            expected = row.pos + 1
        unknown = Text("")
        if state.unplaced:
            unknown = Text("\nPosition unknown: ", style="bold")
            unknown.append(", ".join(_unplaced_label(u) for u in state.unplaced), style="dim")
        return Group(table, unknown)


def _unplaced_label(unplaced: Unplaced) -> str:
    return unplaced.entry.driver + (" (out)" if unplaced.status == "out" else "")


def _cells(row: Row, lap: int) -> list[Text]:
    style = CERTAINTY_STYLES[row.certainty]
    change = Text("")
    if row.change:
        change = Text(f"▲{row.change}" if row.change > 0 else f"▼{-row.change}",
                      style="green" if row.change > 0 else "red")
    driver = Text(row.entry.driver, style=style)
    if row.entry.rookie:
        driver.append(" (R)", style="dim")
    if row.entry.points_eligible is False:
        driver.append(" (i)", style="dim")
    known = row.certainty if row.as_of == lap else f"{row.certainty}, lap {row.as_of}"
    status = row.status + (f": {row.detail}" if row.detail else "")
    return [
        Text(str(row.pos), style=style), change, Text(row.entry.number or "?", style=style), driver,
        Text(" ".join(x for x in (row.entry.team, row.entry.make) if x), style=style),
        Text("–" if row.laps_led is None else str(row.laps_led), style=style),
        Text(status, style="red" if row.status == "out" else style),
        Text(known, style="dim"),
    ]
