"""Where the user's notes on a race and prep sheets are kept.

Notes are kept beside the race in ``<race>.notes.yaml``; where that folder cannot be written, in the
data folder's ``notes`` under a key of the race's path (and once there, they stay there: one place,
never two halves). The race file itself is never changed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .places import data_dir

NOTES_SUFFIX = ".notes.yaml"
RACE_SUFFIXES = (".yaml", ".yml")


def is_notes_file(path: Path | str) -> bool:
    """Whether ``path`` names a notes file (``x.notes.yaml``), which is not a race."""
    return Path(path).name.endswith(NOTES_SUFFIX)


def race_stem(race: Path) -> str:
    """``races/x.yaml`` -> ``x``."""
    return race.name[: -len(race.suffix)] if race.suffix in RACE_SUFFIXES else race.name


def race_key(race: Path) -> str:
    """A stable name for ``race`` in the data folder: its name and a hash of its full path."""
    digest = hashlib.sha256(str(race.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return f"{race_stem(race)}-{digest}"


def sidecar_path(race: Path) -> Path:
    """``races/x.yaml`` -> ``races/x.notes.yaml``."""
    return race.with_name(race_stem(race) + NOTES_SUFFIX)


def fallback_path(race: Path) -> Path:
    """Where the notes of a race in a folder that cannot be written are kept."""

    return data_dir() / "notes" / (race_key(race) + NOTES_SUFFIX)


def lock_path(race: Path) -> Path:
    """The lock every writer of the notes of ``race`` takes (``user.locking``), wherever they are kept."""

    return data_dir() / "locks" / (race_key(race) + ".lock")


def writable(path: Path) -> bool:
    """Whether ``path`` can be written atomically: its folder writable (the new file replaces it
    from there), and the file itself if it exists. Tests replace this (root writes anywhere)."""
    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


@dataclass(frozen=True)
class NotesPlace:
    """Where a race's notes are read from (None: there are none yet) and written to."""

    read: Path | None
    write: Path


def notes_place(race: Path, beside: bool = True) -> NotesPlace:
    """The data folder's notes of ``race`` once there are any; else the sidecar, written there
    if its folder can be written (and ``beside``: not for the bundled races) and to the data
    folder if not."""
    fallback = fallback_path(race)
    if fallback.exists():
        return NotesPlace(fallback, fallback)
    sidecar = sidecar_path(race)
    return NotesPlace(sidecar if sidecar.exists() else None, sidecar if beside and writable(sidecar) else fallback)


def sheet_path(race: Path, lap: int, beside: bool) -> Path:
    """The prep sheet of ``race`` at ``lap``: beside the race, or in the data folder's ``sheets``."""
    name = f"{race_stem(race)}.lap{lap}.md"
    if beside:
        return race.with_name(name)
    return data_dir() / "sheets" / f"{race_key(race)}.lap{lap}.md"


def unclaimed_path(path: Path, text: str, ours: Mapping[Path, str]) -> Path:
    """``path``, unless a file there holds something else than ``text`` or what we wrote there
    (``ours``): someone may have edited it. Then ``x-2.md``, ``x-3.md``, … whichever is free."""
    candidate, number = path, 1
    while candidate.exists():
        try:
            there = candidate.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            there = None
        if there is not None and there in (text, ours.get(candidate)):
            return candidate
        number += 1
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
    return candidate

