"""NASCAR's archive for the viewer: a season's races of a series from the public feed (nothing
they decided), whether each is stored, and fetching one into the data folder's races."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ...user.places import user_races_dir
from ..base import ImportOptions, Season
from ..http import Downloader
from .command import feed_cache, feed_url
from .fetch import Listing, download_race, import_race, output_name, season_list, stored
from .series import TITLES


class NascarArchive:
    title = "NASCAR archive"
    series = TITLES

    def season(self, season: int, series: str) -> Season:
        with Downloader(feed_url(os.environ.get("RACE_REPLAY_FEED_URL"))) as client:
            return season_list(season, series, client, feed_cache(None))

    def stored(self, listing: Listing) -> bool:
        return stored(listing, feed_cache(None))

    def fetch(self, listing: Listing, progress: Callable[[str, int, int | None], None]) -> Path:
        with Downloader(feed_url(os.environ.get("RACE_REPLAY_FEED_URL"))) as client:
            files = download_race(listing, client, feed_cache(None), progress)
        return import_race(listing, files, ImportOptions(), user_races_dir() / output_name(listing)).path
