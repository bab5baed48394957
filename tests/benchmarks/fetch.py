"""The cost of `fetch nascar` for race 5314 from a loopback mirror, against `import nascar` of the
same files: what the network path (HTTP, checks, cache) adds to the import itself."""

from __future__ import annotations

import multiprocessing
import shutil
import tempfile
import time
from pathlib import Path

from replay.sources.base import ImportOptions
from replay.sources.cache import FeedCache
from replay.sources.http import Downloader
from replay.sources.nascar.fetch import download_race, import_race, race_paths, season_list
from replay.sources.nascar.importer import import_nascar
from tests.feed_server import MIRROR, serving


def _fetch_once(url: str, folder: Path) -> None:
    """A first fetch: an empty cache, so every file comes over HTTP."""
    cache = FeedCache(folder / "cache")
    with Downloader(url) as downloader:
        listing = next(r for r in season_list(2023, "xfinity", downloader, cache).listings if r.race_id == 5314)
        files = download_race(listing, downloader, cache)
    import_race(listing, files, ImportOptions(), folder / "fetched.yaml")
    shutil.rmtree(folder / "cache")


def _import_once(files: Path, folder: Path) -> None:
    options = ImportOptions("NASCAR Xfinity Series", "RAPTOR King of Tough 250", "Atlanta Motor Speedway",
                            "2023-03-18", [40, 80, 163])
    (folder / "imported.yaml").write_text(import_nascar(files, options).text, encoding="utf-8")


def _serve(pipe) -> None:
    """The mirror in its own process, as a real server is: its threads take no time from ours."""
    with serving() as server:
        pipe.send(server.url)
        pipe.recv()  # until told to stop


def measure_fetch(runs: int) -> tuple[list[float], list[float]]:
    """Seconds per fetch and per import, measured by turns (a slow spell falls on both)."""
    fetches, imports = [], []
    folder = Path(tempfile.mkdtemp(prefix="race-replay-bench-fetch-"))
    ours, theirs = multiprocessing.get_context("fork").Pipe()
    mirror = multiprocessing.get_context("fork").Process(target=_serve, args=(theirs,), daemon=True)
    mirror.start()
    url = ours.recv()
    files = folder / "5314"
    files.mkdir()
    for name, path in race_paths(2023, 2, 5314).items():
        if path in MIRROR:
            shutil.copy(MIRROR[path], files / name)
    try:
        for run in range(runs + 1):
            start = time.perf_counter()
            _fetch_once(url, folder)
            fetched = time.perf_counter() - start
            start = time.perf_counter()
            _import_once(files, folder)
            imported = time.perf_counter() - start
            if run:  # the first of each warms caches and imports: not counted
                fetches.append(fetched)
                imports.append(imported)
    finally:
        ours.send("stop")
        mirror.join(10)
        shutil.rmtree(folder, ignore_errors=True)
    return fetches, imports
