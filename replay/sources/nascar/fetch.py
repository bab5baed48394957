"""NASCAR's public feed: a season's races (spoiler-free) and one race's files, imported.

Paths, as the community uses them (none of this is documented by NASCAR; any file may be absent):
``/cacher/{season}/race_list_basic.json`` lists the season; a race's files are under
``/cacher/{season}/{series}/{race}/``, its pit stops under ``/cacher/live/series_{series}/{race}/``
(where its flag changes and stage points are asked for too) and its loop data at
``/loopstats/prod/{season}/{series}/{race}.json``.
"""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from ...user.files import WriteError, output_problem, write_atomically
from ..base import ImportOptions, Notice, Season
from ..cache import MISSING, FeedCache
from ..http import UNPARSED, Downloader, FetchError, OfflineError, Progress
from .season import NAME as SEASON
from .series import IDS, NAMES
from .stages import Listed, stage_lengths

DEFAULT_FEED_URL = "https://cf.nascar.com"
PARALLEL_DOWNLOADS = 4  # a race's eight files, four at a time: polite to the server, and a quarter of the waiting
LIST_MAX_AGE = 6 * 3600.0  # a season still being run gains races and dates; a past one does not change


@dataclass(frozen=True)
class Listing:
    """One race of a season's list, as a fan may see it before watching: no result, no actual
    length, no comments (the list carries all three; they are dropped as it is read)."""

    race_id: int
    season: int
    series: str
    date: str | None  # YYYY-MM-DD
    starts: str | None  # the scheduled start, ISO 8601 as the feed gives it
    name: str
    track: str
    scheduled_laps: int | None
    stage_lengths: tuple[int, ...] = ()  # the importer makes them stage ends (``stages.ends_from_lengths``)

    def finished(self, now: datetime | None = None) -> bool:
        """Whether the race is surely over (a day after its start): only then are its files final."""
        if not self.starts:
            return False
        try:
            start = datetime.fromisoformat(self.starts).replace(tzinfo=timezone.utc)
        except ValueError:
            return False
        return (now or datetime.now(timezone.utc)) > start + timedelta(days=1)


@dataclass
class Fetched:
    path: Path
    files: list[str]
    missing: list[str]
    notices: list[Notice] = field(default_factory=list)
    requests: int = 0
    in_progress: bool = False


def race_paths(season: int, series: int, race_id: int) -> dict[str, str]:
    """The importer's file name -> the path on the server."""
    race = f"/cacher/{season}/{series}/{race_id}"
    return {
        "lap-times.json": f"{race}/lap-times.json",
        "lap-notes.json": f"{race}/lap-notes.json",
        "weekend-feed.json": f"{race}/weekend-feed.json",
        "live-pit-data.json": f"/cacher/live/series_{series}/{race_id}/live-pit-data.json",
        "live-flag-data.json": f"/cacher/live/series_{series}/{race_id}/live-flag-data.json",
        "live-stage-points.json": f"/cacher/live/series_{series}/{race_id}/live-stage-points.json",
        "live-driver-stats.json": f"/loopstats/prod/{season}/{series}/{race_id}.json",
    }


def season_list(season: int, series: str, downloader: Downloader, cache: FeedCache) -> Season:
    """A fresh copy of the list is asked for unless the stored one is recent (or the season is
    over); offline, the stored one serves."""
    path = f"/cacher/{season}/{SEASON}"
    over = season < datetime.now(timezone.utc).year
    body, offline = cache.get(path, max_age=None if over else LIST_MAX_AGE), False
    if not isinstance(body, bytes):
        try:
            body = downloader.get_json(path)
        except OfflineError:
            body, offline = cache.get(path), True
            if not isinstance(body, bytes):
                raise
        if body is None:
            raise FetchError(f"{downloader.url(path)}: no race list for {season} (not published)")
        if not offline:
            cache.put(path, body)
    return Season(parse_season(body, season, series, downloader.url(path)), offline)


def parse_season(body: bytes, season: int, series: str, url: str) -> list[Listing]:
    data = json.loads(body.decode("utf-8-sig"))
    races = data.get(f"series_{IDS[series]}") if isinstance(data, dict) else None
    if not isinstance(races, list):
        raise FetchError(f"{url}: has no list of {series} races (series_{IDS[series]})")
    listings = [_listing(race, season, series) for race in races if isinstance(race, dict)]
    found = [listing for listing in listings if listing is not None]
    return sorted(found, key=lambda r: (r.starts or "", r.race_id))


def _listing(race: dict[str, Any], season: int, series: str) -> Listing | None:
    race_id = race.get("race_id")
    if not isinstance(race_id, int):
        return None
    starts = race.get("race_date") or race.get("date_scheduled")
    starts = starts if isinstance(starts, str) else None
    laps = race.get("scheduled_laps")
    return Listing(race_id, season, series, starts[:10] if starts else None, starts,
                   _text(race.get("race_name"), f"Race {race_id}"), _text(race.get("track_name"), "Track unknown"),
                   laps if isinstance(laps, int) and laps > 0 else None,
                   stage_lengths(race.get(f"stage_{n}_laps") for n in (1, 2, 3, 4)))


def _text(value: Any, default: str) -> str:
    return value.strip() if isinstance(value, str) and value.strip() else default


def race_options(listing: Listing, given: ImportOptions) -> ImportOptions:
    """What the list says of the race (before it ran), where the user gave nothing."""
    return ImportOptions(series=given.series or NAMES[IDS[listing.series]],
                         name=given.name or listing.name, track=given.track or listing.track,
                         date=given.date or listing.date, stage_ends=given.stage_ends,
                         laps=given.laps or listing.scheduled_laps)


def output_name(listing: Listing) -> str:
    """``2023-03-18-xfinity-atlanta-motor-speedway-5314.yaml``: the list's facts, nothing decided."""
    track = re.sub(r"[^a-z0-9]+", "-", listing.track.lower()).strip("-") or "track"
    return f"{listing.date or listing.season}-{listing.series}-{track}-{listing.race_id}.yaml"


@dataclass
class RaceFiles:
    """A race's files as served (None: not published) and those parsed while downloading (their
    JSON was checked as it arrived: the importer takes it as it is, not parsing it again)."""

    bodies: dict[str, bytes | None]
    parsed: dict[str, Any] = field(default_factory=dict)


def download_race(listing: Listing, downloader: Downloader, cache: FeedCache,
                  progress: Progress | None = None) -> RaceFiles:
    """Every file of the race, from the cache where stored, the rest asked for side by side (a
    server's latency then counts once, not eight times). A finished race's files are stored (by
    ``keep``) once all have arrived and imported as a finished race."""
    paths = race_paths(listing.season, IDS[listing.series], listing.race_id)
    got: dict[str, bytes | None] = {}
    parsed: dict[str, Any] = {}
    wanted = []
    for name, path in paths.items():
        stored_body = cache.get(path)
        if stored_body is MISSING:
            got[name] = None
        elif isinstance(stored_body, bytes):
            got[name] = stored_body
        else:
            wanted.append(name)
    if wanted:
        with ThreadPoolExecutor(max_workers=PARALLEL_DOWNLOADS) as pool:
            answers = list(pool.map(lambda name: downloader.get_parsed(paths[name], progress), wanted))
        for name, answer in zip(wanted, answers, strict=True):
            got[name] = None if answer is None else answer[0]
            if answer is not None and answer[1] is not UNPARSED:
                parsed[name] = answer[1]
    if not any(body is not None for body in got.values()):
        raise FetchError(f"{downloader.url(paths['lap-times.json'])}: race {listing.race_id} has no published feed files")
    return RaceFiles({name: got[name] for name in paths}, parsed)


def keep(listing: Listing, files: RaceFiles, cache: FeedCache, fetched: Fetched) -> None:
    """Store a race's files: only those of a race surely over (a day past its start) whose laps
    reach its distance. A race still running (or stopped short, to be resumed) is asked for again."""
    if listing.finished() and not fetched.in_progress:
        for name, path in race_paths(listing.season, IDS[listing.series], listing.race_id).items():
            cache.put(path, files.bodies[name])


def file_urls(listing: Listing, downloader: Downloader) -> dict[str, str]:
    return {name: downloader.url(path)
            for name, path in race_paths(listing.season, IDS[listing.series], listing.race_id).items()}


def stored(listing: Listing, cache: FeedCache) -> bool:
    """Whether every file of the race is in the cache (it then opens offline)."""
    paths = race_paths(listing.season, IDS[listing.series], listing.race_id).values()
    return all(cache.get(path) is not None for path in paths)


def import_race(listing: Listing, files: RaceFiles, options: ImportOptions, output: Path,
                urls: dict[str, str] | None = None) -> Fetched:
    """The files through ``import nascar``'s code, from their contents (no folder), validated,
    written atomically to ``output``. An error names the files by their ``urls``."""
    from ..errors import FeedError
    from .importer import import_files

    urls = urls or {}
    bodies = {name: body for name, body in files.bodies.items() if body is not None}
    where = urls["lap-times.json"].rsplit("/", 1)[0] if "lap-times.json" in urls else f"race {listing.race_id}"
    try:
        listed = Listed(listing.stage_lengths, listing.scheduled_laps, SEASON) if listing.stage_lengths else None
        imported = import_files(bodies, race_options(listing, options), str(listing.race_id), where, files.parsed, listed)
    except FeedError as error:
        raise FetchError(_named_by_url(str(error), urls)) from None
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(output, imported.text)
    except WriteError as error:
        raise FetchError(str(error)) from None
    except OSError as error:  # the folder could not be made
        why = output_problem(output) or f"the folder {output.parent} cannot be made: {error.strerror or error}"
        raise FetchError(f"{output}: {why}") from None
    return Fetched(output, list(imported.files), [name for name, body in files.bodies.items() if body is None],
                   list(imported.notices), in_progress=imported.in_progress)


def _named_by_url(message: str, urls: dict[str, str]) -> str:
    """``message`` with the files named by where they were served."""
    for name, url in urls.items():
        message = re.sub(rf"(?<![\w/.-]){re.escape(name)}", url, message)
    return message


def find(listings: list[Listing], race_id: int, season: int, series: str, url: str) -> Listing:
    for listing in listings:
        if listing.race_id == race_id:
            return listing
    raise FetchError(f"{url}: race {race_id} is not a {season} {series} race "
                     f"(`race-replay fetch nascar --season {season} --series {series} --list` lists them)")
