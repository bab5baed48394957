"""Reading and writing a race's notes file (``<race>.notes.yaml``; see ``user.note_files``).

```yaml
format: 1
race: /home/me/races/2025-trucks-homestead.yaml   # for people: which race these are about
notes:
- lap: 91
  text: Larson spins his teammate
  car: '07'             # optional: the car it is about, as the race file names it
```

A file that cannot be read is reported in one line naming it and is never written over: what it
holds may still be the user's. Several processes may write one race's notes at once (viewers,
``race-replay note``): each change is made under the race's lock (``user.locking``, the lock file
``user.note_files.lock_path``) to the notes as the file holds them then, so none is lost. The YAML
reader loads only when there is a file to read or a note to write (the viewer opens every race
through here).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..core.notes import Note, sorted_notes
from ..user.files import output_problem, write_atomically
from ..user.note_files import NotesPlace, fallback_path, notes_place

FORMAT = 1
KEYS = ("lap", "text", "car")
HEADING = "# race-replay notes on {name}: written by `race-replay note` and the viewer (the race file is never changed)\n"


def is_bundled(race: Path) -> bool:
    """Whether ``race`` is one of the bundled races: their notes go to the data folder, never into
    the package (a reinstall would lose them) or a checkout's ``races/`` (the tests read those)."""
    from .bundled import bundled_races_dir

    if race.resolve().parent == bundled_races_dir().resolve():
        return True
    return _in_a_checkout(race)  # the checkout's races/, opened with race-replay installed from it


def _in_a_checkout(race: Path) -> bool:
    """Whether ``race`` is in the ``races/`` folder of a race-replay source checkout."""
    project = race.resolve().parent.parent / "pyproject.toml"
    try:
        return race.resolve().parent.name == "races" and 'name = "race-replay"' in project.read_text(encoding="utf-8")
    except OSError:
        return False


class NotesError(Exception):
    """A notes file cannot be read or written; the message is one line naming the file.
    ``unsaved``: the change could not be written and is kept, to be written with the next one."""

    def __init__(self, message: str, unsaved: bool = False) -> None:
        super().__init__(message)
        self.unsaved = unsaved


def read_notes(path: Path) -> tuple[Note, ...]:
    """The notes in ``path``, by lap; NotesError (``file:line:column: problem``) if it is not a
    notes file. An empty file holds no notes."""
    from .yamlsafe import YamlProblem, parse, read_text

    text = ""
    try:
        if not path.read_bytes().strip():
            return ()
        text = read_text(path)
        data = parse(text)
    except YamlProblem as problem:
        where = f"{path}:{problem.line}:{problem.column}" if problem.line else str(path)
        raise NotesError(f"{where}: {problem.message}") from None
    except OSError as error:
        raise NotesError(f"{path}: cannot read it: {error.strerror or error}") from None
    notes, wrong = _notes_of(data)
    if wrong is not None:
        from .yamlsafe import locate

        at, message = wrong
        line, column = locate(text, [at])[at]
        raise NotesError(f"{path}:{line}:{column}: {message}")
    return notes


def _notes_of(data: Any) -> tuple[tuple[Note, ...], tuple[tuple[Any, ...], str] | None]:
    """The notes of a parsed file, or the path to what is wrong and what it is."""
    from .yamlsafe import KeyOf  # loaded already: the file was just parsed

    if not isinstance(data, dict) or not isinstance(data.get("notes", []), list):
        return (), ((), "a notes file is a mapping with a list of `notes`")
    for key in data:
        if key not in ("format", "race", "notes"):
            return (), ((KeyOf(key),), f"unknown key `{key}` in a notes file (format, race, notes)")
    if data.get("format", FORMAT) != FORMAT:
        return (), (("format",), f"notes format {data['format']!r} is not supported; this version reads format 1")
    notes = []
    for index, raw in enumerate(data.get("notes") or []):
        where = ("notes", index)
        if not isinstance(raw, dict):
            return (), (where, "a note is a mapping of lap, text and (optionally) car")
        unknown = [key for key in raw if key not in KEYS]
        if unknown:
            return (), ((*where, KeyOf(unknown[0])), f"unknown key `{unknown[0]}` in a note (lap, text, car)")
        lap, text, car = raw.get("lap"), raw.get("text"), raw.get("car")
        if type(lap) is not int or lap < 0:
            return (), ((*where, "lap") if "lap" in raw else where, f"a note's lap is a lap of the race (0 or more), not {lap!r}")
        if not isinstance(text, str) or not text.strip():
            return (), ((*where, "text") if "text" in raw else where, "a note needs its text")
        if car is not None and not isinstance(car, (str, int)):
            return (), ((*where, "car"), f"a note's car is a car number or a driver's name, not {car!r}")
        notes.append(Note(lap, text, None if car is None else str(car)))
    return sorted_notes(notes), None


def notes_yaml(notes: Iterable[Note], race: Path) -> str:
    """The notes file's text for ``notes`` of the race in ``race``."""
    import yaml

    rows = [{"lap": n.lap, "text": n.text, **({"car": n.car} if n.car is not None else {})} for n in sorted_notes(notes)]
    body = yaml.safe_dump({"format": FORMAT, "race": str(race.resolve()), "notes": rows}, sort_keys=False,
                          allow_unicode=True, width=4096, default_flow_style=False)
    return HEADING.format(name=race.name) + body


class NotesBook:
    """A race's notes where ``user.note_files.notes_place`` keeps them. Every change is made under the
    race's notes lock to the notes as the file holds them then (re-read: another viewer or a
    command line may have added some), and written at once, atomically. A change that cannot be
    written stays here, and the next one writes it too. ``refresh`` reads what others wrote."""

    def __init__(self, race: Path, notes: Iterable[Note] = (), place: NotesPlace | None = None) -> None:
        self.race = race
        self.notes = sorted_notes(notes)
        self._beside = not is_bundled(race)
        self.place = place or notes_place(race, beside=self._beside)
        self._pending: list[Change] = []  # changes not written yet, oldest first
        self._stamp = _stamp(self.place.read)

    @classmethod
    def open(cls, race: Path) -> NotesBook:
        """The notes of ``race`` as kept; NotesError if its notes file cannot be read."""
        place = notes_place(race, beside=not is_bundled(race))
        return cls(race, _read(place), place)

    @property
    def path(self) -> Path:
        """Where the notes are (or will be) written."""
        return self.place.write

    @property
    def unsaved(self) -> bool:
        return bool(self._pending)

    def add(self, note: Note) -> Path:
        return self._save(lambda notes: notes.append(note))

    def replace(self, old: Note, new: Note) -> Path:
        """``old`` becomes ``new``; if ``old`` was changed or deleted elsewhere meanwhile, ``new``
        is added (what was typed is kept)."""
        def change(notes: list[Note]) -> None:
            if old in notes:
                notes[notes.index(old)] = new
            else:
                notes.append(new)
        return self._save(change)

    def remove(self, note: Note) -> Path:
        return self._save(lambda notes: notes.remove(note) if note in notes else None)

    def refresh(self) -> bool:
        """Read the notes again if their file changed since this book last read or wrote it;
        whether the notes changed. NotesError if it cannot be read (the notes stay as they were)."""
        place = notes_place(self.race, beside=self._beside)
        stamp = _stamp(place.read)
        if stamp == self._stamp:
            return False
        notes = self._with_pending(_read(place))
        self.place, self._stamp = place, stamp
        changed, self.notes = notes != self.notes, notes
        return changed

    def _with_pending(self, notes: Iterable[Note]) -> tuple[Note, ...]:
        kept = list(notes)
        for change in self._pending:
            change(kept)
        return sorted_notes(kept)

    def _save(self, change: Change) -> Path:
        """Under the lock: re-read, make the changes not written yet, write (beside the race, or
        where that fails, in the data folder)."""
        from ..user.locking import locked
        from ..user.note_files import lock_path

        self._pending.append(change)
        self.notes = self._apply_last(change)
        try:
            with locked(lock_path(self.race)):
                self.place = notes_place(self.race, beside=self._beside)
                notes = self._with_pending(_read(self.place))
                self.notes = notes
                return self._write(notes)
        except OSError as error:  # the lock could not be made or had
            lock = lock_path(self.race)
            why = output_problem(lock) or error.strerror or str(error)
            raise NotesError(f"cannot write the notes: cannot take the lock {lock}: {why}", unsaved=True) from None

    def _apply_last(self, change: Change) -> tuple[Note, ...]:
        """The notes shown with ``change`` made, should the file not be read again."""
        notes = list(self.notes)
        change(notes)
        return sorted_notes(notes)

    def _write(self, notes: tuple[Note, ...]) -> Path:
        text = notes_yaml(notes, self.race)
        tried = []
        for target in dict.fromkeys((self.place.write, fallback_path(self.race))):
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                write_atomically(target, text)
            except OSError as error:
                tried.append(f"{target}: {output_problem(target) or error.strerror or error}")
                continue
            if target != self.place.write:
                self.place = NotesPlace(target, target)
            self._pending.clear()
            self._stamp = _stamp(target)
            return target
        raise NotesError("cannot write the notes: " + "; ".join(tried), unsaved=True)


Change = Callable[[list[Note]], None]  # a change to the notes as the file holds them
Stamp = tuple[Path, int, int, int]  # a notes file, its inode, modification time (ns) and size


def notes_stamp(race: Path) -> Stamp | None:
    """What tells that the notes file of ``race`` changed (None: there is none)."""
    return _stamp(notes_place(race, beside=not is_bundled(race)).read)


def _read(place: NotesPlace) -> tuple[Note, ...]:
    return read_notes(place.read) if place.read is not None else ()


def _stamp(path: Path | None) -> Stamp | None:
    """What tells that a notes file changed: it was replaced (a new inode) or rewritten."""
    try:
        if path is None:
            return None
        found = path.stat()
    except OSError:
        return None
    return path, found.st_ino, found.st_mtime_ns, found.st_size
