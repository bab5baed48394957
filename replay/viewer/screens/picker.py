"""Pick a race: series, race, track, date, laps. It never shows who won.

The list opens at once however many races there are: unchanged files come from the index and the
rest are read (their headers only) in the background, a few milliseconds at a time, while the
list fills in; the reading pauses while a race is open. ``y``, ``s`` and ``t`` list only one season,
series or track, ``o`` changes the order, Escape lists every race again: all of it on what is known
before a race (``racefile.catalog``), never on its result.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.screen import ModalScreen, Screen
from textual.strip import Strip
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from replay.core.labels import IN_PROGRESS
from widgets import KeyBar
from widgets.runs import Runs, strip_of, wrapped_runs

from ..host import viewer
from .dialogs import dialog_css
from .replay import GC_YOUNG_THRESHOLD

if TYPE_CHECKING:
    from textual.style import Style as VisualStyle

    from ...racefile.catalog import Catalog, CatalogEntry, Choice

DIM, BOLD, RED = Style(dim=True), Style(bold=True), Style(color="red")
FILL_SLICE = 0.008  # seconds of reading between two looks at the keyboard and the screen
FILL_SHOW = 0.25  # seconds between two updates of the list while it fills
MAX_ERROR_LINES = 3
INDENT = "  "  # a race's lines under its first


def race_lines(entry: CatalogEntry, width: int) -> list[Runs]:
    """The lines of one race in the list (two; a file that cannot be opened: its error, wrapped)."""
    if entry.unread:
        return [[(entry.path.name, BOLD)], [("  reading…", DIM)]]
    if entry.info is None:
        error = Text.assemble(("cannot open: ", RED), ((entry.error or "").strip(), DIM))
        wrapped = wrapped_runs(error, width - len(INDENT))[:MAX_ERROR_LINES]
        return [[(entry.path.name, BOLD)], *([(INDENT, None), *runs] for runs in wrapped)]
    info = entry.info
    length = f"{info.laps} laps" + (f" · {info.track_length_miles:g} mi" if info.track_length_miles else "")
    estimated = " (est.)" if "laps" in info.estimated else ""
    estimated += f" · {IN_PROGRESS}" if info.in_progress else ""
    return [[(f"{info.date_label:<17} ", DIM), (info.name, BOLD), (f"  ·  {info.track}", None)],
            [(f"{'':<18}{info.series} · {length}{estimated} · {entry.entries} entries · {entry.path.name}", DIM)]]


def describe(entry: CatalogEntry) -> Text:
    """The same lines as one Rich text."""
    lines = [Text.assemble(*((text, style or "") for text, style in runs)) for runs in race_lines(entry, 10_000)]
    return Text("\n").join(lines)


def picker_heading(races: Iterable[CatalogEntry]) -> str:
    """``Choose a race (3 races; 1 file cannot be opened)``: broken files are not races."""
    races = list(races)
    good = sum(1 for race in races if race.info is not None)
    unread = sum(1 for race in races if race.unread)
    bad = len(races) - good - unread
    counts = f"{good:,} race{'s' if good != 1 else ''}" + (
        f"; {bad:,} file{'s' if bad != 1 else ''} cannot be opened" if bad else "") + (
        f"; reading {unread:,} more file{'s' if unread != 1 else ''}" if unread else "")
    if not good and not unread:
        return (f"No race to open here ({counts}). Make one with `race-replay import nascar FOLDER -o FILE`, "
                "or run `race-replay` for the bundled races.")
    return f"Choose a race ({counts}). Enter opens it where you left it; Escape in a race comes back here."


def choice_line(choice: Choice, listed: int, races: int, unread: int = 0) -> str:
    """What the list holds: ``12 of 1,000 races: season 2024, every series, track Dover; by date``;
    while files are still being read, that the counts are of those read so far."""
    from ...racefile.catalog import FACETS, SORTS

    said = [f"{name} {value}" if value is not None else f"every {name}"
            for name, value in ((name, getattr(choice, name)) for name in FACETS)]
    counts = f"{listed:,} of {races:,} race{'s' if races != 1 else ''}"
    if unread:
        counts += f" read so far ({unread:,} file{'s' if unread != 1 else ''} still being read)"
    return f"{counts}: {', '.join(said)}; {SORTS[choice.sort]}"


class RaceOption(Option):
    """One file of the list; its text is made only when it is drawn."""

    def __init__(self, entry: CatalogEntry) -> None:
        super().__init__("", disabled=entry.error is not None)
        self.entry = entry

    @property
    def prompt(self) -> Text:
        return describe(self.entry)


class RaceList(OptionList):
    """Textual's option list, but each option's height is known without drawing it and only the
    options on screen are drawn (Textual's measures every option first: a quarter of a second for
    a thousand). Uses the option list's line cache and option render cache (private Textual API)."""

    DEFAULT_CSS = "RaceList { height: 1fr; }"

    def set_races(self, races: Iterable[CatalogEntry], highlight: Path | None = None) -> None:
        """List ``races``, keeping ``highlight`` (else the first race) where it was on screen."""
        before = self.highlighted
        offset = self._index_to_line.get(before, 0) - int(self.scroll_y) if before is not None else 0
        self.set_options(RaceOption(race) for race in races)
        paths = [option.entry.path for option in self.options if isinstance(option, RaceOption)]  # all are
        if highlight in paths:
            self.highlighted = paths.index(highlight)
            line = self._index_to_line.get(self.highlighted)  # None before the first layout
            if line is not None:
                self.scroll_to(y=max(0, line - offset), animate=False, immediate=True)
        else:
            self.action_first()

    def _update_lines(self) -> None:
        if not self.scrollable_content_region:
            return
        cache = self._line_cache
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        if len(cache.heights) != len(self.options):
            cache.clear()
            for number, option in enumerate(self.options):
                race = option.entry if isinstance(option, RaceOption) else None  # all are RaceOptions
                height = len(race_lines(race, width)) if race is not None and race.error else 2
                cache.index_to_line[number] = len(cache.lines)
                cache.heights[number] = height
                cache.lines.extend((number, line) for line in range(height))
        size = Size(width, len(cache.lines))
        if size != self.virtual_size:
            self.virtual_size = size
            self._scroll_update(size)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines)

    def _get_option_render(self, option: Option, style: VisualStyle) -> list[Strip]:
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        key = (option, style, width)
        # Textual keys its cache by the padding; these rows depend on the width alone
        strips = self._option_render_cache.get(key)  # type: ignore[arg-type]
        if strips is None:
            assert isinstance(option, RaceOption)
            base, meta = style.rich_style, {"option": self._option_to_index[option]}
            strips = [strip_of(runs, width, base).apply_meta(meta) for runs in race_lines(option.entry, width)]
            self._option_render_cache[key] = strips  # type: ignore[arg-type]
        return strips


class FacetChooser(ModalScreen[str | None]):
    """Choose one season, series or track (with how many races each), or all of them again."""

    DEFAULT_CSS = dialog_css("FacetChooser", width=60, max_height="90%") + """
    FacetChooser OptionList { height: auto; max-height: 24; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, name: str, counts: list[tuple[str, int]], current: str | None) -> None:
        super().__init__()
        self.facet, self.counts, self.current = name, counts, current

    def compose(self) -> ComposeResult:
        total = sum(count for _, count in self.counts)
        options = [Option(Text(f"Every {self.facet} ({total:,})", style="italic"), id="")]
        options += [Option(Text(f"{value} ({count:,})"), id=value) for value, count in self.counts]
        with Vertical():
            yield Label(f"List the races of one {self.facet}")
            yield OptionList(*options)

    def on_mount(self) -> None:
        values = [value for value, _ in self.counts]
        self.query_one(OptionList).highlighted = values.index(self.current) + 1 if self.current in values else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


def _settle() -> None:
    """Every race listed, as the replay screen does with its race (see there): keep Python's full
    collections from re-scanning the list on every few keys (20-60 ms each with a thousand races),
    and let a frame's garbage wait for one young collection."""
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])


def _load_the_reader() -> None:
    from ...racefile import loader  # noqa: F401 - imported now, while nothing is asked of the viewer


LISTING = "Choose a race (listing the race files…)"  # the first frame at the command's start: see PickerScreen._listed
SHORT_PICKER = 20  # rows: below this the picker drops its margins for the list's sake


class PickerScreen(Screen[None]):
    """The races of a ``Catalog``, read in the background where its index does not know them."""

    # The heading and the choice line keep one line each, cut at the width: on a small terminal
    # (40x12) they once wrapped over the rows the list needs.
    CSS = """
    PickerScreen Label { width: 100%; padding: 1 2 0 2; text-style: bold; text-wrap: nowrap; text-overflow: ellipsis; }
    PickerScreen #choice { padding: 0 2; text-style: none; color: $text-muted; }
    PickerScreen RaceList { margin: 1 2; }
    PickerScreen.-short Label { padding: 0 1; }
    PickerScreen.-short RaceList { margin: 0 1; }
    """
    BINDINGS = [
        Binding("y", "choose('season')", "Season"),
        Binding("s", "choose('series')", "Series"),
        Binding("t", "choose('track')", "Track"),
        Binding("o", "order", "Order"),
        Binding("b", "app.archive", "NASCAR archive", tooltip="A season's real races from NASCAR's feed, fetched on Enter"),
        Binding("escape", "every_race", "All races"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, catalog: Catalog, current: Path | None = None) -> None:
        from ...racefile.catalog import Choice

        super().__init__()
        self.catalog = catalog
        self._read_few()
        self.known = dict(catalog.entries)  # what the list shows: replaced, never changed, as files are read
        self.choice = Choice()
        self.current = current  # the race to highlight: the one just left with Escape
        self.races: list[CatalogEntry] = []  # the list as shown, in order
        self.unread = 0
        self._fill_started = self._reader_loaded = False

    def _read_few(self) -> None:
        """A few files not in the index: read now, before the list first shows."""
        from ...racefile.catalog import SMALL

        if not self.catalog.listing and len(self.catalog.unread) < SMALL:
            for path in self.catalog.unread:
                self.catalog.read(path)

    @property
    def filling(self) -> bool:
        return bool(self.catalog.unread) or self.catalog.changed

    def compose(self) -> ComposeResult:
        yield Label(LISTING if self.catalog.listing else "", id="heading")  # (in the first frame: see _listed)
        yield Label(id="choice")
        yield RaceList()
        yield KeyBar()

    def on_resize(self) -> None:
        self.set_class(self.size.height < SHORT_PICKER, "-short")

    def on_mount(self) -> None:
        self.query_one(RaceList).focus()
        if self.catalog.listing:  # the command's start: the files are listed meanwhile (see viewer.preload)
            # after the first frame on the terminal: the app's start batches its frames (the screen's
            # own callbacks would come before it is drawn); the app's messages wait for the batch's end
            self.app.call_later(self.call_after_refresh, self._listed)
            return
        current = self.current.resolve() if self.current is not None else None
        here = next((path for path in self.known if current is not None and path.name == current.name
                     and path.resolve() == current), None)
        self._show(highlight=here)

    def _listed(self) -> None:
        """After the first frame: the files listed, the list shown as it would have been at once."""
        self.catalog.complete()
        self._read_few()
        self._show()
        self.on_screen_resume()

    def on_screen_resume(self) -> None:
        """Once the list first shows (after that frame: a current screen's callbacks wait for it), fill
        it; or, all of it known from the index, load the race reader, so that opening a race costs
        what it costs from a small folder (whose reading loaded it)."""
        if self.catalog.listing:
            return
        if self.filling and not self._fill_started:
            self._fill_started = True
            self.call_after_refresh(lambda: self.run_worker(self._fill(), group="fill", exclusive=True))
        elif not self._fill_started and not self._reader_loaded:
            self._reader_loaded = True
            self.call_after_refresh(_load_the_reader)
            _settle()

    def _show(self, highlight: Path | None = None) -> None:
        from ...racefile.catalog import chosen

        race_list = self.query_one(RaceList)
        if highlight is None and race_list.highlighted is not None and self.races:
            highlight = self.races[race_list.highlighted].path
        self.known = dict(self.catalog.entries)
        self.races = chosen(self.known.values(), self.choice)
        self.unread = sum(1 for race in self.known.values() if race.unread)
        race_list.set_races(self.races, highlight)
        self.query_one("#heading", Label).update(picker_heading(self.known.values()))
        listed = sum(1 for race in self.races if race.info is not None)
        total = sum(1 for race in self.known.values() if race.info is not None)
        self.query_one("#choice", Label).update(choice_line(self.choice, listed, total, self.unread))
        self.refresh_bindings()

    async def _fill(self) -> None:
        """Read the files not read yet, a slice at a time, showing them as they come; then save the index."""
        shown = slice_start = time.perf_counter()
        for path in self.catalog.unread:
            while not self._on_top():  # a race is open over the list: it has the machine to itself
                await asyncio.sleep(0.05)
            if self.catalog.entries[path].unread:  # (not opened, and so read whole, meanwhile)
                self.catalog.read(path)
            now = time.perf_counter()
            if now - slice_start > FILL_SLICE:
                if now - shown > FILL_SHOW:
                    self._show()
                    shown = now
                await asyncio.sleep(0)
                slice_start = time.perf_counter()
        self._show()
        self.catalog.save()
        _settle()

    def _on_top(self) -> bool:
        """Shown, perhaps under a dialog of its own."""
        stack = self.app.screen_stack
        return stack[-1] is self or (len(stack) > 1 and stack[-1].is_modal and stack[-2] is self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "every_race":
            return True if self.choice.filtered else None
        if action in ("choose", "order"):
            return True if any(race.info is not None for race in self.known.values()) else None
        return True

    def action_choose(self, name: str) -> None:
        from ...racefile.catalog import values

        def chosen(value: str | None) -> None:
            if value is not None:
                facet: dict[str, Any] = {name: value or None}  # a field of Choice: season, series or track
                self.choice = replace(self.choice, **facet)
                self._show()

        self.app.push_screen(FacetChooser(name, values(self.known.values(), name, self.choice),
                                          getattr(self.choice, name)), chosen)

    def action_order(self) -> None:
        self.choice = self.choice.next_sort()
        self._show()

    def action_every_race(self) -> None:
        self.choice = replace(self.choice, season=None, series=None, track=None)
        self._show()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if not isinstance(event.option, RaceOption):
            return
        path = event.option.entry.path
        viewer(self.app).open_race(path)  # says why where it cannot: a problem past the header, or a changed file
        if self.app.screen is self and path in self.catalog.entries:
            self.catalog.read(path, whole=True)  # listed from now on as it is
            self._show()
            self.catalog.save()
