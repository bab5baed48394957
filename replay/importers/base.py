"""What every importer shares: its options, its result, its error, and writing the result safely."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import FeedError

__all__ = ["FeedError", "ImportOptions", "Imported", "write_atomically"]


@dataclass
class ImportOptions:
    """What the command line supplies where no feed file gives it."""

    series: str | None = None
    name: str | None = None
    track: str | None = None
    date: str | None = None
    stage_ends: list[int] | None = None


@dataclass
class Imported:
    """A validated race file's text (nothing written yet), its warnings, and the files it read."""

    text: str
    warnings: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, so a reader never sees half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.chmod(temporary, _mode_for(path))  # mkstemp makes it private; a race file is not
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """An existing file keeps its mode; a new one gets what the umask allows."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
