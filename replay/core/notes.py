"""The user's own notes on a race: what a note is and which show at a lap.

A note belongs to a lap and shows from that lap on, never before (it may have been written
knowing what came later). Where notes are kept is ``replay.user.note_files``'s; reading and
writing their YAML is ``racefile.notes``'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from .model import Entry


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
