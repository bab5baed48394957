"""The pit-stop table (``o``; Enter or ``d`` on a pit cycle in the log: that cycle's stops): the
stops up to the current lap, newest first, with lap, car, service, time on pit road and stopped,
the places in and out (the car's place in the running order as it came in and after its out-lap;
``P11 → …`` until then, ``P15 → ?`` where no order places it after) and how many were gained or
lost. What the race's data does not give is written as unknown; a stop a report tells of without
figures shows its words.

As the box narrows, the columns of least use go first (the lap, the car, the time on pit road and
the places gained stay longest). The figures are the race file's (``Event.pit``), as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rich.console import JustifyMethod
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Label, Static

from ...core.labels import laps_so_far_label
from ...core.model import Entry, Event
from ...core.pits import SERVICE_LABELS, PitCycle, StopTest, stops_newest_first
from ...core.state import RaceState
from .dialogs import RaceDialog, dialog_css

UNKNOWN = "unknown"
PENDING = "…"  # known from the stop's out-lap
BOX = 104  # the box's width, where the terminal is wider; its border, padding and scrollbar take 5


@dataclass(frozen=True)
class Column:
    title: str
    priority: int  # the lowest leave last as the box narrows
    justify: JustifyMethod = "right"


LAP, CAR, SERVICE, ROAD, STOPPED, PLACES, GAINED, FLAG, REPORT = (
    Column("Lap", 0, "left"), Column("Car", 0, "left"), Column("Service", 3, "left"), Column("Pit road", 1),
    Column("Stopped", 5), Column("In → out", 4), Column("+/-", 2), Column("Caution", 6, "left"), Column("Report", 3, "left"))
ORDER = (LAP, CAR, SERVICE, ROAD, STOPPED, PLACES, GAINED, FLAG, REPORT)
CAR_ROOM, REPORT_ROOM = 12, 16  # the least room the car and a report are given (they wrap or are cut)


def columns_for(width: int, needs: Mapping[Column, int], always: frozenset[Column] = frozenset({LAP, CAR})) -> list[Column]:
    """The columns (of those in ``needs``, with the cells they need) that fit ``width``, in table
    order; those ``always`` shown first."""
    room = {column: min(need, CAR_ROOM if column is CAR else REPORT_ROOM if column is REPORT else need)
            for column, need in needs.items()}
    chosen: list[Column] = []
    for column in sorted(needs, key=lambda c: (c not in always, c.priority)):
        if column in always or sum(room[c] + 1 for c in chosen) + room[column] <= width:
            chosen.append(column)
    return [c for c in ORDER if c in chosen]


def _seconds(value: float | None, missing: Text) -> Text:
    return Text(f"{value:.2f}") if value is not None else missing


def cells(event: Event, entries: Mapping[str, Entry], lap: int | None = None) -> dict[Column, Text]:
    """One stop's row at ``lap``: its figures as data, never markup; ``…`` for what is known only from
    the stop's out-lap (its place out, times, places gained), ``unknown`` for what no source gives."""
    stop = event.pit
    cars = ", ".join(entries[car].label if car in entries else car for car in event.cars) or UNKNOWN
    unknown = Text(UNKNOWN, style="dim")
    row = {LAP: Text(event.lap_label), CAR: Text(cars, overflow="ellipsis"), REPORT: Text("")}
    if stop is None:
        return row | {c: unknown for c in (SERVICE, ROAD, STOPPED, PLACES, GAINED, FLAG)} | {REPORT: Text(event.text)}
    pending = stop.out_lap is not None and lap is not None and lap < stop.out_lap
    places = f"P{stop.in_pos} → {f'P{stop.out_pos}' if stop.out_pos else '…' if pending else '?'}" if stop.in_pos else None
    gained = stop.gained
    flag = None if stop.under_caution is None else "yes" if stop.under_caution else "no"
    later = Text(PENDING, style="dim") if pending else unknown
    return row | {
        SERVICE: Text(SERVICE_LABELS[stop.service]) if stop.service else unknown,
        ROAD: _seconds(stop.road_s, later), STOPPED: _seconds(stop.stopped_s, later),
        PLACES: Text(places) if places else unknown,
        GAINED: later if gained is None else Text(f"{gained:+d}" if gained else "0", style="bold" if gained else ""),
        FLAG: Text(flag) if flag else later,
    }


def stops_table(stops: Iterable[Event], entries: Mapping[str, Entry], width: int, lap: int | None = None) -> Table:
    """The stops as a borderless table of the columns that fit ``width`` cells; the car's name is
    cut short (``#20 John Hunter Nem…``) and a report wraps where the room runs out."""
    rows = [cells(stop, entries, lap) for stop in stops]
    figures, reports = any(stop.pit is not None for stop in stops), any(stop.pit is None for stop in stops)
    wanted = [LAP, CAR] + ([SERVICE, ROAD, STOPPED, PLACES, GAINED, FLAG] if figures else []) + ([REPORT] if reports else [])
    needs = {column: max(len(column.title), *(row[column].cell_len for row in rows)) for column in wanted}
    columns = columns_for(width, needs, frozenset({LAP, CAR} if figures else {LAP, CAR, REPORT}))
    fixed = sum(needs[c] + 1 for c in columns if c not in (CAR, REPORT))
    flexible = [c for c in columns if c in (CAR, REPORT)]
    spare = max(0, width - fixed - len(flexible))  # what the car and a report share
    car = min(needs[CAR], max(CAR_ROOM, spare - (REPORT_ROOM if REPORT in columns else 0)))
    widths = {**needs, CAR: car, REPORT: max(REPORT_ROOM, spare - car)}
    table = Table(box=None, pad_edge=False, show_edge=False, padding=(0, 1, 0, 0))
    for column in columns:
        table.add_column(column.title, justify=column.justify, width=widths[column], no_wrap=column is not REPORT,
                         overflow="ellipsis" if column is not REPORT else "fold")
    for row in rows:
        table.add_row(*(row[column] for column in columns))
    return table


class PitStopsScreen(RaceDialog[None]):
    """The pit stops of a race up to ``state.lap`` (or of one pit cycle then), newest first."""

    # Little chrome, like the statistics: at 40x12 the box still shows a few rows, and scrolls.
    DEFAULT_CSS = dialog_css("PitStopsScreen", width=BOX, max_height="100%") + """
    PitStopsScreen > VerticalScroll { padding: 0 1; max-width: 100%; scrollbar-size-vertical: 1; }
    PitStopsScreen Label { margin: 0; width: 100%; }
    PitStopsScreen #pit-summary { color: $text-muted; margin-bottom: 1; }
    """
    BINDINGS = [Binding("o", "dismiss(None)", "Close", show=False)]

    def __init__(self, state: RaceState, items: Iterable[Event], is_stop: StopTest, cycle: PitCycle | None = None,
                 complete: bool = True) -> None:
        """``complete``: the race has a complete pit-stop record (else the stops listed are those its
        sources name, and how many there were is unknown)."""
        super().__init__()
        self.state, self.cycle, self.complete = state, cycle, complete
        self.stops = stops_newest_first((e for e in items if e.lap is not None and e.lap <= state.lap), is_stop)
        self._width = 0

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label(Text(self._title()), id="pit-title")
            yield Static(Text(self._summary()), id="pit-summary")
            none = "No pit stops yet." if self.complete else "No pit stop named by the sources so far."
            yield Static(Text(none, style="dim") if not self.stops else "", id="pit-table")

    def _title(self) -> str:
        cycle = self.cycle
        if cycle is None:
            return f"Pit stops · {self.state.lap_label}"
        during = f"under the caution from lap {cycle.start}" if cycle.caution else f"on lap {cycle.start}"
        return f"Pit cycle {cycle.lap_label}, {during} · {self.state.lap_label}"

    def _summary(self) -> str:
        stops, state = self.stops, self.state
        cars = len({car for stop in stops for car in stop.cars})
        counted = f"{len(stops)} stop{'s' if len(stops) != 1 else ''} by {cars} car{'s' if cars != 1 else ''}"
        text = f"{counted} · {laps_so_far_label(state)} · newest first"
        if not self.complete:
            text = ("Pit stops unknown: the race has no complete pit-stop record. Named by its sources: "
                    f"{counted} · {laps_so_far_label(state)} · newest first")
        if stops and all(stop.pit is None for stop in stops):
            text += "\nTimes, service and places unknown: the race's sources do not give them."
        return text

    def on_resize(self, event: events.Resize) -> None:
        self._draw()

    def on_mount(self) -> None:
        self._draw()

    def _draw(self) -> None:
        """The table for the box's width, again whenever the terminal is resized."""
        if not self.stops:
            return
        width = max(20, min(BOX, self.app.size.width) - 5)
        if width != self._width:
            self._width = width
            self.query_one("#pit-table", Static).update(stops_table(self.stops, self.state.entries, width, self.state.lap))
