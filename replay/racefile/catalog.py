"""Find race files and read what a picker may show about them: never who won.

``Catalog`` lists the race files of some folders at once and knows each unchanged one from the
index (``index``: a folder of ``SMALL`` files or more keeps one); the others are read, their header
only (``headers``), by ``read``: a few at a time, for a picker that fills its list in the
background. ``catalog`` does all of it at once. Only what is known before a race is kept, listed,
filtered or sorted on: series, name, track, date (its season), scheduled laps, track length, entries.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.model import RaceInfo
from . import index
from .bundled import bundled_races_dir, is_race_file_name

SMALL = 32  # a folder of fewer race files is read whole each time and keeps no index
UNDATED = "date unknown"


@dataclass(frozen=True)
class CatalogEntry:
    """A race file as the picker lists it. ``info`` holds only what is known before the race (see
    ``index.picker_info``); it is None for a file that cannot be opened (``error`` says why) and
    for one not read yet (``unread``)."""

    path: Path
    info: RaceInfo | None  # None when the file has errors
    error: str | None = None
    entries: int = 0

    @property
    def unread(self) -> bool:
        return self.info is None and self.error is None

    @property
    def season(self) -> str:
        """The year of the race, or ``date unknown``."""
        return self.info.date[:4] if self.info is not None and self.info.date else UNDATED


@dataclass
class _Folder:
    path: Path  # resolved: the index's name
    indexed: bool
    keys: dict[str, index.Key] = field(default_factory=dict)  # each listed file's, by name
    # the index to write, by file name: each file's key and what ``index.encode`` writes of it
    kept: dict[str, tuple[index.Key, RaceInfo | None, int, str | None]] = field(default_factory=dict)
    changed: bool = False


# What listing a folder finds, in plain values (it crosses from a child process as marshal: see
# ``viewer.preload``): the folder as given, resolved, whether it keeps an index, whether that index
# must be written again (files gone or changed), and each race file's name, key and ``index.check``ed
# entry (None: not in the index, or changed since).
Listing = tuple[str, str, bool, bool, list[tuple[str, index.Key, "index.Compact | None"]]]
Listed = tuple[int, list[Listing]]  # when (``time.time_ns``), and each folder's listing


def list_folders(folders: Iterable[Path] | None, cache: Path | None = None,
                 now_ns: Callable[[], int] = time.time_ns) -> Listed:
    """When the folders (default: the bundled races) were listed (``now_ns``), and their listings."""
    listed_at = now_ns()
    found = []
    for folder in folders or [bundled_races_dir()]:
        folder = Path(folder)
        files = _race_files(folder)
        resolved = folder.resolve()
        indexed = len(files) >= SMALL
        if indexed and cache is None:
            from ..user.places import cache_dir  # platformdirs: only for a folder with an index

            cache = cache_dir()
        stored = index.load(cache, resolved) if indexed and cache is not None else {}
        rows: list[tuple[str, index.Key, index.Compact | None]] = []
        kept = 0
        for name, key in files:
            raw = stored.get(name)
            checked = index.check(raw) if raw is not None else None
            if checked is not None and checked[0] == key:
                rows.append((name, key, checked))
                kept += 1
            else:
                rows.append((name, key, None))
        found.append((str(folder), str(resolved), indexed, kept != len(stored), rows))
    return listed_at, found


class Catalog:
    """The race files of ``folders`` (default: the bundled races), listed at construction (or
    before: ``listed``, what ``list_folders`` found; or elsewhere, meanwhile: ``listed`` a function
    that waits for it, called by ``complete``, and until then the catalog is empty and ``listing``).

    ``entries`` holds every file (those in ``unread`` as unread entries); ``read`` reads one;
    ``save`` writes the indexes that changed. ``cache`` is the cache folder (default: the user's)."""

    def __init__(self, folders: Iterable[Path] | None = None, cache: Path | None = None,
                 now_ns: Callable[[], int] = time.time_ns, listed: Listed | Callable[[], Listed | None] | None = None,
                 ) -> None:
        self.cache = cache
        self.entries: dict[Path, CatalogEntry] = {}
        self._folders: list[_Folder] = []
        self._places: dict[Path, _Folder] = {}
        self._racy_from = 0
        self._given, self._now_ns = list(folders or []), now_ns
        self._pending = listed if callable(listed) else None  # the listing, being made elsewhere
        if self._pending is None:
            self._take(listed if isinstance(listed, tuple) else list_folders(folders, cache, now_ns))

    @property
    def listing(self) -> bool:
        """Whether the folders are still being listed elsewhere (``complete`` waits for it)."""
        return self._pending is not None

    def complete(self) -> None:
        """Take the listing made elsewhere (where it failed: list the folders here)."""
        if self._pending is not None:
            listed, self._pending = self._pending(), None
            self._take(listed if listed is not None else list_folders(self._given, self.cache, self._now_ns))

    def _take(self, listed: Listed) -> None:
        listed_at, listings = listed
        self._racy_from = listed_at - index.RACY_NS  # files changed since may change again unseen
        self._folders = [self._add(listing) for listing in listings]
        self._places = {Path(listing[0]): place for listing, place in zip(listings, self._folders, strict=True)}

    def _add(self, listing: Listing) -> _Folder:
        given, resolved, indexed, changed, rows = listing
        place = _Folder(Path(resolved), indexed, changed=changed)
        folder = Path(given)
        child = getattr(folder, "_make_child_relpath", None)  # pathlib's own for a listed name: 4 x faster than /
        entries, keys, kept, race_info = self.entries, place.keys, place.kept, index.race_info
        for name, key, checked in rows:
            path = child(name) if child is not None else folder / name
            keys[name] = key
            if checked is None:
                entries[path] = CatalogEntry(path, None)
                continue
            _, count, error, race = checked
            info = race_info(race) if race is not None else None
            entries[path] = CatalogEntry(path, info, error, count)
            kept[name] = (key, info, count, error)
        return place

    def _cache(self) -> Path:
        if self.cache is None:
            from ..user.places import cache_dir  # platformdirs: only for a folder with an index

            self.cache = cache_dir()
        return self.cache

    @property
    def unread(self) -> list[Path]:
        """Files not read yet, by name."""
        return sorted((path for path, entry in self.entries.items() if entry.unread), key=lambda p: (p.name, p))

    @property
    def changed(self) -> bool:
        """Whether ``save`` has something to write."""
        return any(place.changed for place in self._folders)

    def read(self, path: Path, whole: bool = False) -> CatalogEntry:
        """Read ``path``'s header (see ``headers``; ``whole``: check the whole file, as opening it
        does), keep it for the index and return its entry."""
        from .headers import read_header  # the YAML reader: only once a file must be read

        info, entries, error = read_header(path, whole)
        entry = CatalogEntry(path, info, error, entries)
        self.entries[path] = entry
        place = self._places[path.parent]
        key = place.keys[path.name]
        if place.indexed and max(key[1], key[2]) < self._racy_from:
            place.kept[path.name] = (key, info, entries, error)
            place.changed = True
        return entry

    def save(self) -> None:
        """Write each changed index (atomically); a cache that cannot be written is left alone."""
        for place in self._folders:
            if place.changed and index.save(self._cache(), place.path,
                                            {name: index.encode(*kept) for name, kept in place.kept.items()}):
                place.changed = False


def _race_files(folder: Path) -> list[tuple[str, index.Key]]:
    """The names of the race files directly inside ``folder``, sorted, each with its index key;
    none where the folder cannot be read. A file that vanishes meanwhile is left out."""
    found = []
    try:
        with os.scandir(folder) as listing:
            for item in listing:
                if is_race_file_name(item.name):  # the same files as ``bundled.race_files``
                    try:
                        if item.is_file():
                            found.append((item.name, index.stat_key(item.stat())))
                    except OSError:
                        continue
    except OSError:
        return []
    return sorted(found)


def catalog(folders: list[Path] | None = None) -> list[CatalogEntry]:
    """Every race file in ``folders`` (default: the bundled races), by date then name, read at once."""
    found = Catalog(folders)
    for path in found.unread:
        found.read(path)
    found.save()
    return chosen(found.entries.values(), Choice())


# -- what the picker lists, and in what order -----------------------------------------------------

SORTS = {  # all of them facts known before the race
    "date": "by date, oldest first",
    "newest": "by date, newest first",
    "series": "by series",
    "track": "by track",
    "name": "by name",
}
FACETS = ("season", "series", "track")


@dataclass(frozen=True)
class Choice:
    """Which races the picker lists (None: any) and their order (a key of ``SORTS``)."""

    season: str | None = None
    series: str | None = None
    track: str | None = None
    sort: str = "date"

    @property
    def filtered(self) -> bool:
        return any(getattr(self, facet) is not None for facet in FACETS)

    def next_sort(self) -> Choice:
        names = list(SORTS)
        return Choice(self.season, self.series, self.track, names[(names.index(self.sort) + 1) % len(names)])


def facet(entry: CatalogEntry, name: str) -> str:
    """An entry's season, series or track (``name``); races only."""
    assert entry.info is not None
    return entry.season if name == "season" else getattr(entry.info, name)


def _passes(entry: CatalogEntry, choice: Choice, but: str | None = None) -> bool:
    if entry.info is None:
        return False
    for name in FACETS:
        wanted = getattr(choice, name)
        if wanted is not None and name != but and facet(entry, name) != wanted:
            return False
    return True


_ORDERS: dict[str, Callable[[RaceInfo, str], tuple[Any, ...]]] = {  # (info, file name) -> sort key
    "date": lambda info, file: (info.date or "", file),
    "newest": lambda info, file: (not info.date, _descending(info.date or ""), file),
    "series": lambda info, file: (info.series, info.date or "", info.name.casefold(), file),
    "track": lambda info, file: (info.track, info.date or "", info.name.casefold(), file),
    "name": lambda info, file: (info.name.casefold(), info.date or "", file),
}


def _descending(text: str) -> tuple[int, ...]:
    return tuple(-ord(char) for char in text)


def chosen(entries: Iterable[CatalogEntry], choice: Choice) -> list[CatalogEntry]:
    """The races ``choice`` lets through, in its order; with no filter set, then the files that
    cannot be opened and those not read yet (by name), which have no season, series or track."""
    entries = list(entries)
    order = _ORDERS[choice.sort]
    races = sorted((entry for entry in entries if _passes(entry, choice)),
                   key=lambda entry: order(entry.info, entry.path.name))  # type: ignore[arg-type]
    if choice.filtered:
        return races
    return races + sorted((entry for entry in entries if entry.info is None),
                          key=lambda entry: (entry.unread, entry.path.name, entry.path))


def values(entries: Iterable[CatalogEntry], name: str, choice: Choice) -> list[tuple[str, int]]:
    """Each season, series or track (``name``) of the races the other filters let through, with
    how many races; seasons newest first, the others by name."""
    counts: dict[str, int] = {}
    for entry in entries:
        if _passes(entry, choice, but=name):
            value = facet(entry, name)
            counts[value] = counts.get(value, 0) + 1
    if name == "season":
        return sorted(counts.items(), key=lambda item: (item[0] == UNDATED, _descending(item[0])))
    return sorted(counts.items(), key=lambda item: (item[0].casefold(), item[0]))
