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
    kept: dict[str, dict[str, Any]] = field(default_factory=dict)  # the index to write, by file name
    changed: bool = False


class Catalog:
    """The race files of ``folders`` (default: the bundled races), listed at construction.

    ``entries`` holds every file (those in ``unread`` as unread entries); ``read`` reads one;
    ``save`` writes the indexes that changed. ``cache`` is the cache folder (default: the user's)."""

    def __init__(self, folders: Iterable[Path] | None = None, cache: Path | None = None,
                 now_ns: Callable[[], int] = time.time_ns) -> None:
        self.cache = cache
        self.entries: dict[Path, CatalogEntry] = {}
        self._keys: dict[Path, tuple[_Folder, index.Key]] = {}
        listed_at = now_ns()
        self._racy_from = listed_at - index.RACY_NS  # files changed since may change again unseen
        self._folders = [self._list(Path(folder)) for folder in (folders or [bundled_races_dir()])]

    def _list(self, folder: Path) -> _Folder:
        files = _race_files(folder)
        place = _Folder(folder.resolve(), indexed=len(files) >= SMALL)
        stored = index.load(self._cache(), place.path) if place.indexed else {}
        for name, key in files:
            path = folder / name
            self._keys[path] = (place, key)
            raw = stored.get(name)
            decoded = index.decode(raw) if raw is not None else None
            if raw is not None and decoded is not None and decoded[0] == key:
                self.entries[path] = CatalogEntry(path, decoded[1], decoded[3], decoded[2])
                place.kept[name] = raw
            else:
                self.entries[path] = CatalogEntry(path, None)
        place.changed = stored.keys() != place.kept.keys()  # files gone or changed
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
        place, key = self._keys[path]
        if place.indexed and max(key[1], key[2]) < self._racy_from:
            place.kept[path.name] = index.encode(key, info, entries, error)
            place.changed = True
        return entry

    def save(self) -> None:
        """Write each changed index (atomically); a cache that cannot be written is left alone."""
        for place in self._folders:
            if place.changed and index.save(self._cache(), place.path, place.kept):
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
