"""Pick a race: series, race, track, date, laps. It never shows who won."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from widgets import KeyBar

if TYPE_CHECKING:
    from ...racefile.catalog import CatalogEntry


def describe(entry: CatalogEntry) -> Text:
    if entry.info is None:
        return Text.assemble((entry.path.name, "bold"), ("\n  cannot open: ", "red"), (entry.error or "", "dim"))
    info = entry.info
    length = f"{info.laps} laps" + (f" · {info.track_length_miles:g} mi" if info.track_length_miles else "")
    return Text.assemble(
        (f"{info.date_label:<17} ", "dim"), (info.name, "bold"), f"  ·  {info.track}\n",
        (f"{'':<18}{info.series} · {length}" + (" (est.)" if "laps" in info.estimated else "")
         + f" · {entry.entries} entries", "dim"),
    )


def picker_heading(races: list[CatalogEntry]) -> str:
    """``Choose a race (3 races; 1 file cannot be opened)``: broken files are not races."""
    good = sum(1 for race in races if race.info is not None)
    bad = len(races) - good
    counts = f"{good} race{'s' if good != 1 else ''}" + (
        f"; {bad} file{'s' if bad != 1 else ''} cannot be opened" if bad else "")
    if not good:
        return (f"No race to open here ({counts}). Make one with `race-replay import nascar FOLDER -o FILE`, "
                "or run `race-replay` for the bundled races.")
    return f"Choose a race ({counts}). Enter opens it at the grid; Escape in a race comes back here."


class PickerScreen(Screen[None]):
    CSS = """
    PickerScreen Label { padding: 1 2 0 2; text-style: bold; }
    PickerScreen OptionList { height: 1fr; margin: 1 2; }
    """
    BINDINGS = [Binding("q", "app.quit", "Quit")]

    def __init__(self, races: list[CatalogEntry], current: Path | None = None) -> None:
        super().__init__()
        self.races = races
        self.current = current  # the race to highlight: the one just left with Escape

    def compose(self) -> ComposeResult:
        yield Label(picker_heading(self.races))
        options = [Option(describe(race), id=str(i), disabled=race.info is None) for i, race in enumerate(self.races)]
        yield OptionList(*options)
        yield KeyBar()

    def on_mount(self) -> None:
        paths = [race.path.resolve() for race in self.races]
        if self.current is not None and self.current.resolve() in paths:
            self.query_one(OptionList).highlighted = paths.index(self.current.resolve())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.app.open_race(self.races[int(event.option.id)].path)
