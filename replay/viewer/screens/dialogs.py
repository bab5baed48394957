"""Small modal screens: go to a lap, choose a driver, help."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from widgets import KeyBar

from ...core.model import Entry, Event, Race
from ...user.lap_input import LapInputError, parse_lap


def dialog_css(name: str, width: int = 64, max_height: str = "80%") -> str:
    """The CSS every dialog here shares: a centred box of ``width`` cells."""
    return f"""
    {name} {{ align: center middle; }}
    {name} > Vertical, {name} > VerticalScroll {{
        width: {width}; max-width: 90%; height: auto; max-height: {max_height};
        border: thick $accent; background: $surface; padding: 1 2;
    }}
    {name} Label {{ margin-bottom: 1; text-style: bold; }}
    """


ResultType = TypeVar("ResultType")


class RaceDialog(ModalScreen[ResultType]):
    """A dialog over the race, with its own key bar (the race's keys beneath would not work):
    Escape closes it, ← → close it and step the race a lap, ``q`` quits."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", tooltip="Back to the race"),
        Binding("left", "race_step(-1)", "Lap -1", key_display="←", tooltip="Back to the race, one lap back",
                priority=True),
        Binding("right", "race_step(1)", "Lap +1", key_display="→", tooltip="Back to the race, one lap forward",
                priority=True),
        Binding("q", "app.quit", "Quit", tooltip="Quit"),
    ]

    def on_mount(self) -> None:
        self.mount(KeyBar())

    def action_race_step(self, laps: int) -> None:
        """Close, then step the screen beneath (the race, or the lap chart) if it steps."""
        stack = self.app.screen_stack
        beneath = stack[-2] if len(stack) > 1 and stack[-1] is self else None
        self.dismiss(None)
        step = getattr(beneath, "action_step", None)
        if step is not None:
            step(laps)


class GoToLap(ModalScreen[int | None]):
    """Type a lap (``91``, ``10 to go``, ``final``); Enter jumps there, Escape cancels. What is
    not a lap of the race is said under the box, and the box stays open."""

    DEFAULT_CSS = dialog_css("GoToLap") + "GoToLap #lap-error { color: $text-error; margin: 1 0 0 0; }"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, scheduled: int, final_lap: int, known: int, blink: bool = True, in_progress: bool = False) -> None:
        super().__init__()
        self.scheduled, self.final_lap, self.known, self.in_progress = scheduled, final_lap, known, in_progress
        self.blink = blink

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Go to lap: 0 to {self.scheduled}, '10 to go', or 'final'")
            field = Input(placeholder="lap")
            field.cursor_blink = self.blink
            yield field
            yield Static("", id="lap-error")
        yield KeyBar()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            lap = parse_lap(event.value, self.scheduled, self.final_lap, self.known, self.in_progress)
        except LapInputError as error:
            self.query_one("#lap-error", Static).update(Text(str(error)))
            event.input.add_class("-invalid")
            return
        self.dismiss(lap)


class DriverChooser(ModalScreen[str | None]):
    """Pick one entry: type part of a name or a car number, Enter takes the first match (or the
    highlighted one, after ↑ ↓). Marked entries (e.g. those followed) show a check."""

    # Less chrome than the other dialogs: at 40x12 the list must still have rows to show.
    DEFAULT_CSS = dialog_css("DriverChooser", max_height="100%") + """
    DriverChooser > Vertical { padding: 0 1; }
    DriverChooser Label { margin-bottom: 0; }
    DriverChooser OptionList { height: auto; max-height: 20; min-height: 3; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel"), Binding("down", "move(1)", show=False),
                Binding("up", "move(-1)", show=False)]

    def __init__(self, entries: Mapping[str, Entry], marked: Iterable[str], title: str, everyone: bool = False,
                 blink: bool = True):
        super().__init__()
        self.blink = blink
        self.entries = sorted(entries.values(), key=lambda entry: entry.driver)
        self.marked = frozenset(marked)
        self.heading = title
        self.everyone = everyone

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.heading)
            search = Input(placeholder="name or number", id="driver-search")
            search.cursor_blink = self.blink
            yield search
            yield OptionList(*self._options(""))
        yield KeyBar()

    def on_input_changed(self, event: Input.Changed) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._options(event.value))
        options.highlighted = 0 if options.option_count else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -step
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def _options(self, query: str) -> list[Option]:
        options = [Option(Text("All drivers", style="italic"), id="")] if self.everyone and not query else []
        for entry in matching_entries(self.entries, query):
            mark = "✓ " if entry.key in self.marked else "  "
            options.append(Option(Text(f"{mark}{entry.number or '?':>3}  {entry.driver}"), id=entry.key))
        return options


def matching_entries(entries: Iterable[Entry], query: str) -> list[Entry]:
    """Entries matching ``query``, best first (see ``match_rank``), in the given order within a rank."""
    if not query.strip():
        return list(entries)
    ranked = [(rank, entry) for entry in entries if (rank := match_rank(entry, query)) is not None]
    return [entry for _, entry in sorted(ranked, key=lambda pair: pair[0])]


def match_rank(entry: Entry, query: str) -> int | None:
    """0: the car number exactly; 1: a word of the name starts with it ("lar" -> Kyle Larson);
    2: the name contains it or the number starts with it; None: no match."""
    typed = query.strip().lower().lstrip("#")
    name = entry.driver.lower()
    if entry.number and entry.number.lower() == typed:
        return 0
    if any(word.startswith(typed) for word in name.split()) or name.startswith(typed):
        return 1
    if typed in name or (entry.number or "").startswith(typed):
        return 2
    return None


LEGEND = """\
How sure is each position?
  reported    a source gives it at this lap
  carried     the last one a source gave (dim, with its lap)
  estimated   inferred; the race file says why (dim italic)
  ?           no source gives this car's position now
~L69 in the log: the lap is estimated. Nothing after the current lap is shown."""


# Keys of one action with different amounts, listed on one line of the help
HELP_GROUPS = {"nudge": "Race pace: nudge the moment 10 / 30 / 60 s back / on"}


class HelpScreen(RaceDialog[None]):
    """The keys and what the leaderboard's markings mean."""

    # No padding above and below: the keys and the legend's first lines fit 40 rows.
    DEFAULT_CSS = dialog_css("HelpScreen", width=84, max_height="95%") + """
    HelpScreen > VerticalScroll { padding: 0 2; }
    HelpScreen #keys-title { margin: 1 0 0 0; }
    """
    BINDINGS = [Binding("question_mark", "dismiss(None)", "Close", show=False)]

    def __init__(self, bindings: Iterable[Binding]) -> None:
        super().__init__()
        self.key_bindings = list(bindings)

    def compose(self) -> ComposeResult:
        keys = Text()
        seen: set[str] = set()
        for binding in self.key_bindings:
            label = HELP_GROUPS.get(binding.action.split("(")[0], binding.tooltip or binding.description)
            if label in seen:
                continue
            seen.add(label)
            grouped = [b for b in self.key_bindings if b.action.split("(")[0] in HELP_GROUPS
                       and b.action.split("(")[0] == binding.action.split("(")[0]]
            shown = (" ".join(b.key_display or b.key for b in grouped) if grouped
                     else binding.key_display or binding.key.replace("_", " ").replace(",", " / "))
            keys.append(f"  {shown:<12}" if len(shown) < 12 else f"  {shown}  ", style="bold")
            keys.append(f"{label}\n")
        keys.append(f"  {'Ctrl+P':<12}", style="bold")
        keys.append("Commands: events, drivers, races, theme\n")
        with VerticalScroll():  # the legend first: the keys scroll, and the key bar names the main ones
            yield Static(Text(LEGEND))
            yield Label("Keys", id="keys-title")
            yield Static(keys)


class SourcesScreen(RaceDialog[None]):
    """Where the race data comes from, and (only at the finish) where the sources disagree:
    a dispute can give the result away."""

    DEFAULT_CSS = dialog_css("SourcesScreen", width=90, max_height="95%")
    BINDINGS = [Binding("s", "dismiss(None)", "Close", show=False)]

    def __init__(self, race: Race, finished: bool) -> None:
        super().__init__()
        self.race = race
        self.finished = finished

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label("Sources")
            yield Static(_sources_text(self.race, self.finished))
            yield Label("Where the sources disagree")
            # not even how many: the disputes are about what happened, some of it later
            yield Static(_disputes_text(self.race) if self.finished else Text(
                "Shown at the finish: what the sources disagree about could give away the result.", style="dim"))


def _sources_text(race: Race, finished: bool) -> Text:
    """Every source; before the finish, titles and links only where the race file marks them
    spoiler-free (a headline written after the race may name the winner)."""
    text = Text()
    hidden = 0
    for source in race.sources.values():
        text.append(f"{source.id}  ", style="bold")
        shown = finished or source.spoiler_free
        hidden += not shown
        parts = [source.title if shown else None, source.author, source.publisher, source.date,
                 (source.file or source.url) if shown else None]
        text.append(" · ".join(p for p in parts if p) or "title hidden", style=None)
        text.append("\n")
    if hidden:
        text.append(f"{hidden} title{'s' if hidden != 1 else ''} and link{'s' if hidden != 1 else ''} hidden "
                    "until the finish: a headline can give the result away.", style="dim")
    return text


def _disputes_text(race: Race) -> Text:
    if not race.disputes:
        return Text("None recorded.", style="dim")
    text = Text()
    for dispute in race.disputes:
        text.append(f"{dispute.topic}\n", style="bold")
        for number, version in enumerate(dispute.versions, start=1):
            used = number == dispute.used
            text.append("  ✓ " if used else "    ", style="green" if used else "")
            text.append(f"{version.says} [{', '.join(version.sources)}]\n", style="" if used else "dim")
        text.append(f"  Why: {dispute.why}\n\n", style="italic")
    return text


class EventScreen(RaceDialog[None]):
    """One event in full: lap, kind, cars, its whole text, sources and how its lap is known."""

    DEFAULT_CSS = dialog_css("EventScreen", width=80)
    BINDINGS = [Binding("d", "dismiss(None)", "Close", show=False)]

    def __init__(self, event: Event, entries: Mapping[str, Entry]) -> None:
        super().__init__()
        self.event, self.entries = event, entries

    def compose(self) -> ComposeResult:
        event = self.event
        cars = ", ".join(self.entries[car].label for car in event.cars)
        with VerticalScroll():
            yield Label(f"{event.lap_label}  {event.kind.replace('_', ' ')}")
            text = Text(f"{cars}\n\n" if cars else "", style="bold")  # a Static wraps a long list of cars
            text.append(event.text)
            if event.sources:
                text.append(f"\n\nSources: {', '.join(event.sources)}", style="dim")
            if event.estimated:
                text.append(f"\nLap estimated: {event.estimated}", style="dim italic")
            yield Static(text)
