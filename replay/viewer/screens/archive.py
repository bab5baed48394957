"""Browse a source's archive (NASCAR's, from the registry in ``replay.sources``): a season's races
of one series, nothing they decided; Enter downloads a race (with progress), imports it into the
data folder's races and opens it.

The network runs in thread workers; they hand results back with ``call_from_thread``. A failure
is shown on the screen in one line, never raised: offline, the stored list still serves.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from widgets import KeyBar

from ..host import viewer

if TYPE_CHECKING:
    from pathlib import Path

    from ...sources.base import Archive, Listed, Season

# The first season whose race list the feed serves (public tools that read it start at 2015); the
# last is this year's. ← → stop there: each season stepped to is a request.
FIRST_SEASON = 2015


def this_year() -> int:
    return datetime.now(timezone.utc).year


def laps_label(laps: int | None) -> str:
    return "laps unknown" if not laps else f"{laps} lap{'s' if laps != 1 else ''}"


def describe(listing: Listed, stored: bool) -> Text:
    """One race of the list: date, name, track, scheduled laps, and whether it opens offline."""
    laps = laps_label(listing.scheduled_laps)
    return Text.assemble((f"{listing.date or 'date unknown':<12}", "dim"), (listing.name, "bold"),
                         f"  ·  {listing.track}  ·  ", (laps, "dim"), ("  · stored" if stored else "", "dim italic"))


class ArchiveScreen(Screen[None]):
    """A season's races of one series from the feed; ``season`` defaults to this year."""

    CSS = """
    ArchiveScreen #archive-title { padding: 1 2 0 2; text-style: bold; }
    ArchiveScreen #archive-status { padding: 0 2; color: $text-muted; }
    ArchiveScreen ProgressBar { padding: 0 2; display: none; }
    ArchiveScreen ProgressBar.-busy { display: block; }
    ArchiveScreen OptionList { height: 1fr; margin: 1 2; }
    """
    BINDINGS = [
        Binding("left", "season(-1)", "Season -1", key_display="←", tooltip="The season before", priority=True),
        Binding("right", "season(1)", "Season +1", key_display="→", tooltip="The season after", priority=True),
        Binding("c", "series('cup')", "Cup", tooltip="NASCAR Cup Series"),
        Binding("x", "series('xfinity')", "Xfinity", tooltip="NASCAR Xfinity Series"),
        Binding("t", "series('trucks')", "Trucks", tooltip="NASCAR Craftsman Truck Series"),
        Binding("escape", "back", "Back", tooltip="Back to the list of races"),
        Binding("q", "app.quit", "Quit", tooltip="Quit"),
    ]

    season: reactive[int] = reactive(2023, init=False)
    series: reactive[str] = reactive("cup", init=False)

    def __init__(self, season: int | None = None, series: str = "cup", source: str | None = None) -> None:
        from ...sources import archives
        from ...sources import source as registered

        super().__init__()
        self.archive: Archive = registered(source or next(iter(archives()))).archive()
        self.set_reactive(ArchiveScreen.season, max(FIRST_SEASON, min(this_year(), season or this_year())))
        self.set_reactive(ArchiveScreen.series, series)
        self.listings: list[Listed] = []
        self.busy = False
        self._downloads: dict[str, tuple[int, int | None]] = {}  # file -> (bytes so far, in all)

    def compose(self) -> ComposeResult:
        yield Label(self._title(), id="archive-title")
        yield Static("", id="archive-status")
        yield ProgressBar(total=1, show_eta=False)
        yield OptionList()
        yield KeyBar()

    def on_mount(self) -> None:
        self._load()

    def _title(self) -> str:
        return f"{self.archive.title} · {self.season} · {self.archive.series[self.series]}"

    def _status(self, text: str) -> None:
        self.query_one("#archive-status", Static).update(Text(text))

    def watch_season(self) -> None:
        self.refresh_bindings()
        self._load()

    def watch_series(self) -> None:
        self._load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out a season step past the seasons the feed serves."""
        if action == "season":
            step = parameters[0]  # the binding's ``season(1)``
            return (isinstance(step, int) and FIRST_SEASON <= self.season + step <= this_year()) or None
        return True

    def action_season(self, step: int) -> None:
        if not self.busy and FIRST_SEASON <= self.season + step <= this_year():
            self.season += step

    def action_series(self, series: str) -> None:
        if not self.busy:
            self.series = series

    def action_back(self) -> None:
        self.workers.cancel_group(self, "archive")
        self.app.pop_screen()

    # -- the season's list ---------------------------------------------------------------------

    def _load(self) -> None:
        self.query_one("#archive-title", Label).update(self._title())
        self.query_one(OptionList).clear_options()
        self._status(f"Asking for the {self.season} {self.archive.series[self.series]} races…")
        self._load_list(self.season, self.series)

    @work(thread=True, exclusive=True, group="archive")
    def _load_list(self, season: int, series: str) -> None:
        from ...sources.errors import FeedError
        from ...sources.http import FetchError

        try:
            found = self.archive.season(season, series)
            marks = [self.archive.stored(listing) for listing in found.listings]
        except (FetchError, FeedError) as error:
            self._hand_back(self._status, f"{error}\n← → another season · c x t another series")
            return
        self._hand_back(self._show_list, found, marks)

    def _hand_back(self, callback, *args, worker=None) -> None:
        """Run ``callback`` on the app's thread, unless a newer request superseded the worker
        (this thread's, or ``worker`` for threads it started: the parallel downloads)."""
        if not (worker or get_current_worker()).is_cancelled:
            self.app.call_from_thread(callback, *args)

    def _show_list(self, found: Season, marks: list[bool]) -> None:
        self.listings = found.listings
        races = self.query_one(OptionList)
        races.clear_options()
        races.add_options([Option(describe(listing, mark), id=str(i)) for i, (listing, mark)
                           in enumerate(zip(found.listings, marks, strict=True))])
        count = f"{len(found.listings)} races" if found.listings else "No races in this list"
        note = ("Offline: the feed cannot be reached; this is the stored list ('stored' races open offline). "
                if found.offline else "")
        self._status(f"{note}{count}. Enter fetches a race and opens it at the grid; "
                     "← → another season · c x t another series.")
        races.focus()

    # -- a race --------------------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.busy or event.option.id is None:
            return
        listing = self.listings[int(event.option.id)]
        self.busy = True
        self._downloads = {}
        bar = self.query_one(ProgressBar)
        bar.update(total=None, progress=0)
        bar.add_class("-busy")
        self._status(f"Fetching {listing.name} ({listing.date})…")
        self._fetch(listing)

    @work(thread=True, exclusive=True, group="archive")
    def _fetch(self, listing: Listed) -> None:
        from ...sources.errors import FeedError
        from ...sources.http import FetchError

        worker = get_current_worker()

        def progress(url: str, done: int, total: int | None) -> None:  # called in the download threads
            self._hand_back(self._progress, url.rsplit("/", 1)[-1], done, total, worker=worker)

        try:
            path = self.archive.fetch(listing, progress)
        except (FetchError, FeedError, OSError) as error:
            self._hand_back(self._failed, str(error))
            return
        self._hand_back(self._fetched, path)

    def _progress(self, name: str, done: int, total: int | None) -> None:
        """The files download side by side: the bar shows them all together."""
        self._downloads[name] = (done, total)
        received = sum(d for d, _ in self._downloads.values())
        sizes = [t for _, t in self._downloads.values() if t is not None]
        whole = sum(sizes) if len(sizes) == len(self._downloads) else None
        self.query_one(ProgressBar).update(total=whole, progress=received)
        self._status(f"Downloading {len(self._downloads)} files: {received // 1024} kB"
                     + (f" of {whole // 1024} kB" if whole else ""))

    def _failed(self, message: str) -> None:
        self.busy = False
        self.query_one(ProgressBar).remove_class("-busy")
        self._status(f"Could not fetch: {message}")

    def _fetched(self, path: Path) -> None:
        self.busy = False
        self.query_one(ProgressBar).remove_class("-busy")
        viewer(self.app).open_race(path)

