"""Small modal screens: go to a lap, choose a driver, help."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.validation import Integer
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...core.model import Entry, Race


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


class GoToLap(ModalScreen[int | None]):
    """Type a lap number; Enter jumps there, Escape cancels."""

    DEFAULT_CSS = dialog_css("GoToLap")
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, final_lap: int, blink: bool = True) -> None:
        super().__init__()
        self.final_lap = final_lap
        self.blink = blink

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Go to lap (0 = grid, {self.final_lap} = finish)")
            field = Input(placeholder="lap", type="integer", validators=[Integer(0, self.final_lap)],
                          validate_on=["submitted"])
            field.cursor_blink = self.blink
            yield field

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.validation_result is None or event.validation_result.is_valid:
            self.dismiss(int(event.value))
        else:
            self.notify(f"Give a lap from 0 to {self.final_lap}", severity="warning")


class DriverChooser(ModalScreen[str | None]):
    """Pick one entry; marked entries (e.g. those followed) show a check."""

    DEFAULT_CSS = dialog_css("DriverChooser") + "DriverChooser OptionList { height: auto; max-height: 24; }"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, entries: Mapping[str, Entry], marked: Iterable[str], title: str, everyone: bool = False):
        super().__init__()
        self.entries = entries
        self.marked = frozenset(marked)
        self.heading = title
        self.everyone = everyone

    def compose(self) -> ComposeResult:
        options = [Option(Text("All drivers", style="italic"), id="")] if self.everyone else []
        for key, entry in sorted(self.entries.items(), key=lambda item: item[1].driver):
            mark = "✓ " if key in self.marked else "  "
            options.append(Option(Text(f"{mark}{entry.number or '?':>3}  {entry.driver}"), id=key))
        with Vertical():
            yield Label(self.heading)
            yield OptionList(*options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


LEGEND = """\
How sure is each position?
  reported    a source gives it at this lap
  carried     the last one a source gave (dim, with its lap)
  estimated   inferred; the race file says why (dim italic)
  ?           no source gives this car's position now
~L69 in the log: the lap is estimated. Nothing after the current lap is shown."""


class HelpScreen(ModalScreen[None]):
    """The keys and what the leaderboard's markings mean."""

    DEFAULT_CSS = dialog_css("HelpScreen", width=84, max_height="95%")
    BINDINGS = [Binding("escape,question_mark,q", "dismiss(None)", "Close")]

    def __init__(self, bindings: Iterable[Binding]) -> None:
        super().__init__()
        self.key_bindings = list(bindings)

    def compose(self) -> ComposeResult:
        keys = Text()
        seen: set[str] = set()
        for binding in self.key_bindings:
            label = binding.tooltip or binding.description
            if label in seen:
                continue
            seen.add(label)
            shown = binding.key_display or binding.key.replace("_", " ").replace(",", " / ")
            keys.append(f"  {shown:<12}", style="bold")
            keys.append(f"{label}\n")
        keys.append(f"  {'↑ ↓ Enter':<12}", style="bold")
        keys.append("In the incident log: choose an event to jump to its lap\n")
        keys.append(f"  {'Ctrl+P':<12}", style="bold")
        keys.append("Commands: events, drivers, races, theme\n")
        with VerticalScroll():
            yield Label("Keys")
            yield Static(keys)
            yield Static(Text(LEGEND))


class SourcesScreen(ModalScreen[None]):
    """Where the race data comes from, and (only at the finish) where the sources disagree:
    a dispute can give the result away."""

    DEFAULT_CSS = dialog_css("SourcesScreen", width=90, max_height="95%")
    BINDINGS = [Binding("escape,s,q", "dismiss(None)", "Close")]

    def __init__(self, race: Race, finished: bool) -> None:
        super().__init__()
        self.race = race
        self.finished = finished

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label("Sources")
            yield Static(_sources_text(self.race))
            yield Label("Where the sources disagree")
            yield Static(_disputes_text(self.race) if self.finished else Text(
                f"{len(self.race.disputes)} dispute{'s' if len(self.race.disputes) != 1 else ''}, shown at the "
                "finish: they could give away the result.",
                style="dim"))


def _sources_text(race: Race) -> Text:
    text = Text()
    for source in race.sources.values():
        text.append(f"{source.id}  ", style="bold")
        parts = [source.title, source.author, source.publisher, source.date, source.file or source.url]
        text.append(" · ".join(p for p in parts if p) + "\n")
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
