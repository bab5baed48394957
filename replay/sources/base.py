"""What every source shares: the Source interface, import options and result, its error, writing safely."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Protocol, TextIO

from ..user.files import write_atomically
from .errors import FeedError

__all__ = ["Archive", "FeedError", "ImportOptions", "Imported", "Input", "Notice", "Season", "Source", "Warn",
           "audit_notices", "collect", "print_notices", "write_atomically"]


class Notice(NamedTuple):
    """One warning of an import: a line naming the file. ``spoiler`` when it tells of the race's
    course or outcome (a count, a lap past the grid, who led or won, how far it ran): the command
    line shows those only when asked (``--spoilers``), as someone may import a race not yet watched."""

    text: str
    spoiler: bool = False


class Warn(Protocol):
    """Where an importer reports what it noticed and could still import around: one line, naming
    the file; ``spoiler=True`` where the line tells of the race itself."""

    def __call__(self, text: str, /, *, spoiler: bool = False) -> None: ...


def collect(notices: list[Notice]) -> Warn:
    """A ``Warn`` that appends to ``notices``."""

    def warn(text: str, /, *, spoiler: bool = False) -> None:
        notices.append(Notice(text, spoiler))

    return warn


def audit_notices(warnings: list[str]) -> list[Notice]:
    """The imported file's own cross-checks (``check_text``'s warnings: laps led, places at a lap),
    each telling of the race."""
    return [Notice(w.split(": warning: ", 1)[1], spoiler=True) for w in warnings]


def print_notices(notices: list[Notice], spoilers: bool, out: TextIO | None = None) -> None:
    """The warnings as ``warning: ...`` lines: all with ``spoilers``; else those that tell nothing of
    the race, then one line counting the rest (the race file records its disputes either way)."""
    out = out or sys.stderr
    hidden = 0
    for notice in notices:
        if notice.spoiler and not spoilers:
            hidden += 1
        else:
            print(f"warning: {notice.text}", file=out)
    if hidden:
        more = " more" if hidden < len(notices) else ""
        print(f"race-replay: {hidden}{more} note{'s' if hidden != 1 else ''} tell{'' if hidden != 1 else 's'} of "
              "the race itself (its cautions, lead changes, finish); add --spoilers to read "
              f"{'them' if hidden != 1 else 'it'}", file=out)


@dataclass
class ImportOptions:
    """What the command line supplies where no feed file gives it."""

    series: str | None = None
    name: str | None = None
    track: str | None = None
    date: str | None = None
    stage_ends: list[int] | None = None
    laps: int | None = None  # the scheduled distance; feeds short of it are a race in progress


@dataclass
class Imported:
    """A validated race file's text (nothing written yet), its warnings, and the files it read."""

    text: str
    notices: list[Notice] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    in_progress: bool = False  # the feeds stop short of the race's distance: it is still running

    @property
    def warnings(self) -> list[str]:
        """Every warning's text, in order, spoilers included."""
        return [notice.text for notice in self.notices]


@dataclass(frozen=True)
class Input:
    """What ``import SOURCE`` reads: the files' contents by name, what the race file's sources cite
    them under (``folder``), and what names them in errors (``where``: a path or a URL)."""

    files: dict[str, bytes]
    folder: str
    where: str


class Source(Protocol):
    """One place races come from: its command-line arguments, its import (from file contents,
    never a folder of its own), and, where it has them, its ``fetch`` and its archive's listing."""

    name: str

    def add_import_arguments(self, parser: argparse.ArgumentParser) -> None:
        """The arguments of ``import NAME`` beyond the race facts every source takes."""

    def read_input(self, options: argparse.Namespace) -> Input:
        """The files ``import NAME`` was given; FeedError (one line naming the path) if unreadable."""

    def import_files(self, given: Input, options: ImportOptions) -> Imported:
        """The race file text from the files' contents (nothing written)."""

    def add_fetch_arguments(self, parser: argparse.ArgumentParser) -> None:
        """The arguments of ``fetch NAME`` (only for a source registered with a fetch)."""

    def fetch(self, options: argparse.Namespace, import_options: ImportOptions) -> int:
        """``fetch NAME``: the exit status (only for a source registered with a fetch)."""

    def archive(self) -> Archive:
        """The archive the viewer browses (only for a source registered with one)."""


class Listed(Protocol):
    """One race of an archive's list: what a fan may see before watching it."""

    name: str
    date: str | None
    track: str
    scheduled_laps: int | None


@dataclass
class Season:
    """A season's races of one series; ``offline`` when the stored list served instead."""

    listings: list[Any]
    offline: bool = False


class Archive(Protocol):
    """A source's races by season and series, for the viewer's archive screen. Each call may use
    the network (the screen calls them in threads); errors are FetchError or FeedError."""

    title: str
    series: dict[str, str]  # key -> its short title

    def season(self, season: int, series: str) -> Season: ...

    def stored(self, listing: Any) -> bool:
        """Whether the race opens offline (its files are stored)."""

    def fetch(self, listing: Any, progress: Callable[[str, int, int | None], None]) -> Path:
        """Download and import the race into the data folder's races; the race file's path."""
