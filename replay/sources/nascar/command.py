"""``race-replay fetch nascar``: list a season's races, or download one race and import it."""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import nullcontext
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from ...user.files import output_problem
from ...user.places import cache_dir, user_races_dir
from ..base import ImportOptions, print_notices
from ..cache import FeedCache
from ..http import Downloader, FetchError, Progress
from .fetch import DEFAULT_FEED_URL, Listing, download_race, file_urls, find, import_race, keep, output_name, season_list

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from rich.progress import TaskID

EXIT_OK, EXIT_FAILED = 0, 2
NAME_WIDTH = 40  # a few race names run to 70 characters: the list stays readable at 100 columns


def feed_url(given: str | None) -> str:
    """``--feed-url``, else ``RACE_REPLAY_FEED_URL``, else NASCAR's own host."""
    return given or os.environ.get("RACE_REPLAY_FEED_URL") or DEFAULT_FEED_URL


def feed_cache(given: Path | None) -> FeedCache:
    return FeedCache(given if given is not None else cache_dir() / "feeds")


def command(options: argparse.Namespace, import_options: ImportOptions) -> int:
    """Print the season's list, or fetch ``--race``; FetchError becomes one line and exit 2."""
    try:
        with Downloader(feed_url(options.feed_url)) as downloader:
            cache = feed_cache(options.cache)
            season = season_list(options.season, options.series, downloader, cache)
            if season.offline:
                print(f"offline: {downloader.base_url} cannot be reached; using the stored race list", file=sys.stderr)
            if options.list:
                return _print_list(season.listings, options)
            listing = find(season.listings, options.race, options.season, options.series,
                           downloader.url(f"/cacher/{options.season}/race_list_basic.json"))
            with _progress_bar() as progress:
                files = download_race(listing, downloader, cache, progress)
            output = options.output or user_races_dir() / output_name(listing)
            if options.output is not None and (problem := output_problem(output)):
                raise FetchError(f"{output}: {problem}")
            fetched = import_race(listing, files, import_options, output, file_urls(listing, downloader))
            keep(listing, files, cache, fetched)
    except FetchError as error:
        print(f"race-replay: {error}", file=sys.stderr)
        return EXIT_FAILED
    print_notices(fetched.notices, options.spoilers)
    if fetched.missing:
        print(f"not published for race {listing.race_id}: {', '.join(fetched.missing)}", file=sys.stderr)
    running = ", in progress" if fetched.in_progress else ""
    print(f"{fetched.path}: {listing.name} ({listing.track}, {listing.date}{running}), "
          f"imported from {', '.join(fetched.files)}")
    return EXIT_OK


def _print_list(listings: list[Listing], options: argparse.Namespace) -> int:
    """One race a line: id, date, name, track, scheduled laps. Nothing the race decided."""
    if not listings:
        print(f"race-replay: no {options.series} races in the {options.season} list", file=sys.stderr)
        return EXIT_FAILED
    name_width = min(NAME_WIDTH, max(len(r.name) for r in listings))
    track_width = min(NAME_WIDTH, max(len(r.track) for r in listings))
    for r in listings:
        laps = "laps unknown" if not r.scheduled_laps else f"{r.scheduled_laps} lap{'s' if r.scheduled_laps != 1 else ''}"
        print(f"{r.race_id:>6}  {r.date or 'date unknown':<10}  {_fit(r.name, name_width):<{name_width}}  "
              f"{_fit(r.track, track_width):<{track_width}}  {laps}")
    return EXIT_OK


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _progress_bar() -> AbstractContextManager[Progress | None]:
    """A progress bar on standard error when it is a terminal; nothing when piped."""
    if not sys.stderr.isatty():
        return nullcontext(None)
    return _RichProgress()


class _RichProgress:
    """Rich's progress bar, one task per file (its URL's last part), in bytes."""

    def __enter__(self) -> Progress:
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, TextColumn
        from rich.progress import Progress as Bar

        self._bar = Bar(TextColumn("{task.description:<28}"), BarColumn(), DownloadColumn(),
                        console=Console(stderr=True), transient=True)
        self._bar.__enter__()
        self._tasks: dict[str, TaskID] = {}
        return self._update

    def _update(self, url: str, done: int, total: int | None) -> None:
        if url not in self._tasks:
            self._tasks[url] = self._bar.add_task(url.rsplit("/", 1)[-1], total=total)
        self._bar.update(self._tasks[url], completed=done, total=total)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._bar.__exit__(kind, error, trace)
