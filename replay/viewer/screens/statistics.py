"""The race statistics view (``i``): the race so far, laps 1 to the current lap and none after.

Lead changes and leaders, cautions, caution and green laps, laps led under green and under caution,
the biggest movers since a reference lap (``m`` cycles: the start, the last restart, ten laps ago),
pit stops and best laps per car, and the loop data (at the finish only). It renders
``replay.core.stats``; what the race's data cannot give is written as unknown, never as zero.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Group, JustifyMethod
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Label, Static

from ...core.engine import Timeline
from ...core.labels import NO_LAPS_YET, lap_time_label, laps_so_far_label
from ...core.model import Entry
from ...core.stats import RECENT_LAPS, Mover, RaceStats, Reference, stats_index
from .dialogs import RaceDialog, dialog_css

MOVERS_SHOWN = 5  # gainers, and as many losers
LOOP_COLUMNS = (("average", "Avg"), ("green_flag_passes", "Passes"), ("quality_passes", "Qual."), ("rating", "Rating"))
LOOP_LEGEND = "Avg: average position · Passes: green-flag passes · Qual.: quality passes"
UNKNOWN = "—"


class StatisticsScreen(RaceDialog[None]):
    """The statistics of a race at one lap; Escape closes, ``m`` changes the lap movers are measured from."""

    # Little chrome: at 40x12 the box still shows a few lines, and scrolls.
    DEFAULT_CSS = dialog_css("StatisticsScreen", width=92, max_height="100%") + """
    StatisticsScreen > VerticalScroll { padding: 0 1; max-width: 100%; scrollbar-size-vertical: 1; }
    StatisticsScreen Label { margin: 1 0 0 0; width: 100%; }
    StatisticsScreen #stats-title { margin: 0; }
    """
    BINDINGS = [
        Binding("i", "dismiss(None)", "Close", show=False),
        Binding("m", "movers", "Movers since", tooltip=f"Movers since the start, the last restart, {RECENT_LAPS} laps ago"),
    ]

    def __init__(self, timeline: Timeline, lap: int) -> None:
        super().__init__()
        self.timeline, self.lap = timeline, lap
        self.state = timeline.state_at(lap)
        self.stats = stats_index(timeline).at(lap)
        self.reference = 0  # index into stats.references

    def compose(self) -> ComposeResult:
        state, stats = self.state, self.stats
        with VerticalScroll():
            yield Label(Text(f"Race statistics · {state.lap_label}"), id="stats-title")
            yield Static(_summary(self))
            yield Label("Laps led (from the leader of each lap)")
            yield Static(_laps_led(stats, state.entries))
            yield Label(self._movers_title(), id="movers-title")
            yield Static(self._movers(), id="movers")
            yield Label("Pit stops and best laps")
            yield Static(_per_car(stats, state.entries))
            yield Label("Loop data")
            yield Static(_loop_data(self))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "movers" and len(self.stats.references) < 2 else True

    def action_movers(self) -> None:
        """Measure movers from the next reference lap."""
        self.reference = (self.reference + 1) % len(self.stats.references)
        self.query_one("#movers-title", Label).update(self._movers_title())
        self.query_one("#movers", Static).update(self._movers())

    @property
    def since(self) -> Reference | None:
        references = self.stats.references
        return references[self.reference] if references else None

    def _movers_title(self) -> Text:
        since = self.since
        title = Text("Biggest movers" + (f" since {_reference_label(since)}" if since else ""))
        references = self.stats.references
        if len(references) > 1:
            following = references[(self.reference + 1) % len(references)]
            title.append(f"  m: since {_reference_label(following)}", style="not bold dim")
        return title

    def _movers(self) -> Text | Table:
        since = self.since
        if since is None:
            return Text(NO_LAPS_YET, style="dim")
        movers = stats_index(self.timeline).movers(self.lap, since.lap)
        shown = [m for m in movers[:MOVERS_SHOWN] if m.gained > 0]
        shown += [m for m in movers[::-1][:MOVERS_SHOWN] if m.gained < 0][::-1]
        if not movers:
            return Text(f"Unknown: no car's position is reported both at lap {since.lap} and now.", style="dim")
        if not shown:
            return Text(f"No car has gained or lost a place since lap {since.lap}.", style="dim")
        return _movers_table(shown, self.state.entries)


def _reference_label(reference: Reference) -> str:
    """``the start (lap 0)``, ``the last restart (lap 85)``, ``lap 90 (10 laps ago)``."""
    if reference.kind == "start":
        return "the start (lap 0)"
    if reference.kind == "restart":
        return f"the last restart (lap {reference.lap})"
    return f"lap {reference.lap} ({RECENT_LAPS} laps ago)"


def _summary(screen: StatisticsScreen) -> Text:
    state, stats = screen.state, screen.stats
    text = Text()
    text.append(state.info.name)
    text.append(f" · {laps_so_far_label(state)}\n", style="dim")
    text.append(f"Lead changes {state.count_label('lead_changes')} · Cautions {state.count_label('cautions')}\n")
    text.append_text(_leaders(stats, state.entries))
    text.append_text(_flag_laps(stats))
    text.append_text(_battles(screen.timeline, state.lap, state.entries))
    return text


def _battles(timeline: Timeline, lap: int, entries: Mapping[str, Entry]) -> Text:
    """How many battles so far (a car within a second of the one ahead, under green) and the longest."""
    if not timeline.has_lap_times:
        return Text("\nBattles unknown: the race has no lap times")
    battles = timeline.battles.so_far(lap)
    if not battles:
        return Text("\nBattles (within 1.0 s under green) none yet")
    longest = max(battles, key=lambda battle: (battle.laps, -battle.first))
    going = sum(battle.open for battle in battles)
    return Text(f"\nBattles (within 1.0 s under green) {len(battles)}, {going} going on · longest "
                f"{longest.laps} laps (L{longest.first}–{longest.last}): {entries[longest.behind].label} on "
                f"{entries[longest.ahead].label}")


def _leaders(stats: RaceStats, entries: Mapping[str, Entry]) -> Text:
    if stats.leaders is not None:
        text = Text(f"Leaders {stats.leader_count}, in the order they first led: " if stats.leaders else "Leaders none yet")
        text.append(", ".join(entries[car].label for car in stats.leaders))
        return text.append("\n")
    text = Text("Leaders unknown: the leader of some laps so far is not reported")
    if stats.known_leaders:
        text.append("; reported in the lead: ")
        text.append(", ".join(entries[car].label for car in stats.known_leaders))
    return text.append("\n")


def _flag_laps(stats: RaceStats) -> Text:
    if stats.caution_laps is None:
        return Text("Caution laps unknown, green laps unknown: the race file does not give every caution's laps")
    estimated = " (est.: some cautions' laps are estimated)" if stats.flag_laps_estimated else ""
    return Text(f"Caution laps {stats.caution_laps} · Green laps {stats.green_laps}{estimated}")


def _table(*columns: tuple[str, JustifyMethod]) -> Table:
    """A borderless table of a Driver column and figures: where it is narrow, the driver's name
    is cut short (``#21 Austin H…``) and the figures stay whole."""
    table = Table(box=None, pad_edge=False, show_edge=False, padding=(0, 1, 0, 0))
    table.add_column("Driver")
    for title, justify in columns:
        table.add_column(title, justify=justify, no_wrap=True)
    return table


def _car(entry: Entry) -> Text:
    """``#21 Austin Hill``: data, never markup; one line, cut short where the table is narrow."""
    return Text(entry.label, no_wrap=True, overflow="ellipsis")


def _laps_led(stats: RaceStats, entries: Mapping[str, Entry]) -> Text | Table:
    led = stats.laps_led
    if led is None:
        return Text("Unknown: the leader of some laps so far is not reported.", style="dim")
    if not led:
        return Text(NO_LAPS_YET, style="dim")
    table = _table(("Green", "right"), ("Caution", "right"), ("Total", "right"))
    for car, laps in sorted(led.items(), key=lambda item: (-item[1].total, entries[item[0]].neutral_key)):
        table.add_row(_car(entries[car]), str(laps.green), str(laps.caution), str(laps.total))
    return table


def _movers_table(movers: list[Mover], entries: Mapping[str, Entry]) -> Table:
    table = _table(("Places", "right"), ("From", "right"), ("Now", "right"))
    for mover in movers:
        table.add_row(_car(entries[mover.car]), f"{mover.gained:+d}", f"P{mover.before}", f"P{mover.now}")
    return table


def _per_car(stats: RaceStats, entries: Mapping[str, Entry]) -> Text | Table | Group:
    pits, bests = stats.pit_stops, stats.best_laps
    notes = Text("\n".join(([] if pits is not None else ["Pit stops unknown: the race has no complete pit-stop record."])
                           + ([] if bests is not None else ["Best laps unknown: the race has no lap times."])),
                 style="dim")
    if pits is None and bests is None:
        return notes
    columns: list[tuple[str, JustifyMethod]] = [("Best lap", "right"), ("Lap", "right")] if bests is not None else []
    columns += [("Stops", "right")] if pits is not None else []
    table = _table(*columns)
    for entry in sorted(entries.values(), key=lambda e: _per_car_order(e, bests)):
        row: list[Text | str] = [_car(entry)]
        if bests is not None:
            best = bests.get(entry.key)
            row += [lap_time_label(best.time), f"L{best.lap}"] if best else [UNKNOWN, UNKNOWN]
        if pits is not None:
            row.append(str(pits[entry.key]))
        table.add_row(*row)
    return Group(table, notes) if notes else table


def _per_car_order(entry: Entry, bests: Mapping | None) -> tuple:
    """Fastest first; cars without a timed lap after, by car number."""
    best = bests.get(entry.key) if bests is not None else None
    return (best is None, best.time if best else 0.0, entry.neutral_key)


def _loop_data(screen: StatisticsScreen) -> Text | Group:
    state = screen.state
    if not state.finished:
        return Text("Shown at the finish: average position, passes, quality passes and rating describe the "
                    "whole race.", style="dim")
    if not state.loop_data:
        return Text("This race has no loop data.", style="dim")
    table = _table(*((title, "right") for _, title in LOOP_COLUMNS))
    for car, values in sorted(state.loop_data.items(), key=lambda item: (-item[1].get("rating", 0),
                                                                          state.entries[item[0]].neutral_key)):
        table.add_row(_car(state.entries[car]), *(_number(values.get(key)) for key, _ in LOOP_COLUMNS))
    return Group(table, Text(LOOP_LEGEND, style="dim"))


def _number(value: float | None) -> str:
    return UNKNOWN if value is None else f"{value:g}"
