"""The user's own notes on a race: what a note is, where notes are kept, and which show at a lap.

A note belongs to a lap and shows from that lap on, never before (it may have been written
knowing what came later). Notes are kept beside the race in ``<race>.notes.yaml``; where that
folder cannot be written, in the data folder's ``notes`` under a key of the race's path (and once
there, they stay there: one place, never two halves). The race file itself is never changed.
Reading and writing the YAML is ``racefile.notes``'s.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from .model import Entry

NOTES_SUFFIX = ".notes.yaml"
RACE_SUFFIXES = (".yaml", ".yml")


class _Lapped(Protocol):
    @property
    def lap(self) -> int | None: ...


Item = TypeVar("Item", bound=_Lapped)  # an event, or what stands for some (a pit cycle)


@dataclass(frozen=True)
class Note:
    """A note at ``lap``, about the car ``car`` (an entry key) or about nobody in particular."""

    lap: int
    text: str
    car: str | None = None

    @property
    def lap_label(self) -> str:
        return f"L{self.lap}"


class NoteInputError(ValueError):
    """What was typed for a note (its driver, its text) is not usable; the message says why."""


# -- where notes are kept ----------------------------------------------------------------------


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
    from .places import data_dir

    return data_dir() / "notes" / (race_key(race) + NOTES_SUFFIX)


def lock_path(race: Path) -> Path:
    """The lock every writer of the notes of ``race`` takes (``core.locking``), wherever they are kept."""
    from .places import data_dir

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
    from .places import data_dir

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


# -- which notes show, and how -----------------------------------------------------------------


def sorted_notes(notes: Iterable[Note]) -> tuple[Note, ...]:
    """By lap; notes of one lap in the order they were written."""
    return tuple(sorted(notes, key=lambda note: note.lap))


def notes_at(notes: Iterable[Note], lap: int, car: str | None = None) -> tuple[Note, ...]:
    """The notes shown at ``lap`` (those of ``car`` only, if given), by lap."""
    return sorted_notes(n for n in notes if n.lap <= lap and (car is None or n.car == car))


def in_log_order(events: Sequence[Item], notes: Sequence[Note], final_lap: int) -> tuple[Item | Note, ...]:
    """Events and notes oldest first; a note after the events of its lap (it was written having
    seen them: at the finish, after the post-race events)."""
    merged: list[Item | Note] = []
    waiting = list(sorted_notes(notes))
    for event in events:
        lap = final_lap if event.lap is None else event.lap
        while waiting and waiting[0].lap < lap:
            merged.append(waiting.pop(0))
        merged.append(event)
    return (*merged, *waiting)


def note_records(notes: Iterable[Note], entries: Mapping[str, Entry], lap: int) -> list[dict[str, Any]]:
    """The notes shown at ``lap`` as the JSON export gives them: ``lap``, ``text``, and the
    ``number`` and ``driver`` it is about (null for a note about nobody; the stored car and a null
    number for a car no longer in the race file)."""
    records = []
    for note in notes_at(notes, lap):
        entry = entries.get(note.car) if note.car is not None else None
        records.append({"lap": note.lap, "text": note.text, "number": entry.number if entry else None,
                        "driver": entry.driver if entry else note.car})
    return records


def car_label(car: str | None, entries: Mapping[str, Entry]) -> str | None:
    """``#07 Kyle Larson`` for a note's car; a car gone from the race file as it was stored."""
    if car is None:
        return None
    return entries[car].label if car in entries else car


def find_driver(entries: Mapping[str, Entry], typed: str) -> str:
    """The entry key ``typed`` names: a car number (``07``, ``#07``), a driver's name, or the one
    driver a word or part of a name matches. NoteInputError says what is wrong."""
    query = typed.strip().lower().lstrip("#")
    if not query:
        raise NoteInputError("give a driver's name or car number")
    for rank in (_exact, _word, _part):
        found = [key for key, entry in entries.items() if rank(entry, query)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = ", ".join(entries[key].label for key in found[:6]) + (", …" if len(found) > 6 else "")
            raise NoteInputError(f"{typed.strip()!r} matches {len(found)} drivers ({names}): give the car number")
    raise NoteInputError(f"no driver or car number {typed.strip()!r} in this race")


def _exact(entry: Entry, query: str) -> bool:
    return (entry.number or "").lower() == query or entry.driver.lower() == query


def _word(entry: Entry, query: str) -> bool:
    return any(word.startswith(query) for word in entry.driver.lower().split())


def _part(entry: Entry, query: str) -> bool:
    return query in entry.driver.lower()
