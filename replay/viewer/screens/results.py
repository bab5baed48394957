"""The results at the checkered flag: what the race files hold that only the finish may show.

The official result (post-race changes applied), margin of victory, stage results, the
championship standings, the timing feed's loop data, the race's and the entries' notes, and
the next race. Opened with ``r``, only at the finish.
"""

from __future__ import annotations

from rich.console import JustifyMethod
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Label, Static

from ...core.state import RaceState
from .dialogs import RaceDialog, dialog_css

LOOP_COLUMNS = (("average", "Avg pos"), ("green_flag_passes", "Passes"), ("quality_passes", "Quality"),
                ("fastest_laps", "Fastest"), ("laps_led", "Led"), ("rating", "Rating"))


class ResultsScreen(RaceDialog[None]):
    """Everything decided by the race, for a state at the finish."""

    DEFAULT_CSS = dialog_css("ResultsScreen", width=100, max_height="95%")
    BINDINGS = [Binding("r", "dismiss(None)", "Close", show=False)]

    def __init__(self, state: RaceState) -> None:
        super().__init__()
        assert state.finished, "results exist only at the finish"
        self.state = state

    def compose(self) -> ComposeResult:
        state = self.state
        with VerticalScroll():
            yield Label(f"Results · {state.info.name}")
            yield Static(_summary(state))
            yield Static(_official(state))
            if state.standings:
                yield Label("Championship after the race")
                yield Static(_standings(state))
            if state.loop_data:
                yield Label("Loop data (the timing feed's whole-race statistics)")
                yield Static(_loop_data(state))
            notes = _notes(state)
            if notes.plain:
                yield Label("Notes")
                yield Static(notes)


def _summary(state: RaceState) -> Text:
    info = state.info
    text = Text()
    if info.margin_of_victory is not None:
        text.append(f"Margin of victory: {info.margin_of_victory:g} s\n")
    overtime = f" ({info.final_lap - info.laps} past the scheduled {info.laps}: overtime)" if state.overtime else ""
    estimated = " (est.)" if state.length_estimated else ""  # as the header marks it
    text.append(f"Laps: {info.final_lap}{estimated}{overtime} · Cautions {state.count_label('cautions')}"
                f" · Lead changes {state.count_label('lead_changes')}\n")
    for stage in state.stage_results:
        winner = stage.winner.driver if stage.winner else "not reported"
        text.append(f"Stage {stage.stage}: {winner}\n")
    if info.next_race:
        text.append(f"Next race: {info.next_race}\n")
    return text


def _official(state: RaceState) -> Table:
    table = Table(title="Official result", title_justify="left", box=None, pad_edge=False)
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("Pos", "right"), ("Car", "left"), ("Driver", "left"), ("Status", "left"), ("Laps", "right"), ("Led", "right"),
        ("Pts", "right"))
    for column, justify in columns:
        table.add_column(column, justify=justify)
    for row in state.official:
        pos = "DQ" if row.status == "disqualified" else str(row.pos or "?")
        table.add_row(pos, row.entry.number or "?", row.entry.driver, row.status or "not reported",
                      _number(row.laps), _number(row.laps_led), _number(row.points))
    return table


def _standings(state: RaceState) -> Table:
    table = Table(box=None, pad_edge=False)
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("Pos", "right"), ("Driver", "left"), ("Points", "right"), ("Behind", "right"), ("Playoffs", "left"), ("Note", "left"))
    for column, justify in columns:
        table.add_column(column, justify=justify)
    for standing in state.standings:
        entry = state.entries[standing.car]
        table.add_row(_number(standing.pos), entry.driver, _number(standing.points), _number(standing.behind),
                      (standing.playoff or "").replace("_", " "), standing.note or "")
    return table


def _loop_data(state: RaceState) -> Table:
    table = Table(box=None, pad_edge=False)
    table.add_column("Driver")
    for _, title in LOOP_COLUMNS:
        table.add_column(title, justify="right")
    for car, stats in sorted(state.loop_data.items(), key=lambda item: -item[1].get("rating", 0)):
        table.add_row(state.entries[car].driver, *(_number(stats.get(key)) for key, _ in LOOP_COLUMNS))
    return table


def _notes(state: RaceState) -> Text:
    text = Text()
    for note in state.info.notes:
        text.append(f"· {note}\n")
    for entry in state.entries.values():
        if entry.notes:
            text.append(f"· {entry.driver}: {entry.notes}\n")
    return text


def _number(value: float | int | None) -> str:
    if value is None:
        return "–"
    return f"{value:g}" if isinstance(value, float) else str(value)
