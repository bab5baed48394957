"""What every importer shares: its options, its result, its error, and writing the result safely."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..core.files import write_atomically
from .errors import FeedError

__all__ = ["FeedError", "ImportOptions", "Imported", "Warn", "write_atomically"]

Warn = Callable[[str], None]
"""Where an importer reports what it noticed and could still import around: one line, naming the file."""


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
    warnings: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    in_progress: bool = False  # the feeds stop short of the race's distance: it is still running
