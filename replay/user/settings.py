"""The viewer's settings, kept between runs in ``settings.json`` in the user's config folder.

```json
{"format": 1, "theme": "nord", "seconds_per_lap": 0.5, "animation": "none",
 "races": {"NASCAR Cup Series|2023-02-26|Pala Casino 400|Auto Club Speedway": {"lap": 57, "followed": ["5"]}}}
```

Each setting is a ``Setting`` in the registry ``SETTINGS``: its key, its default and what a valid
value is; a module adds its own with ``setting(...)`` and reads and writes it with
``Settings.get`` / ``Settings.set``. Per-race settings (``per_race=True``) are kept under the
race's identity (``race_identity``: series, date, name and track, not its path, which changes
with every install). A value that is not valid reads as the default.

A change is written atomically under the settings lock (``user.locking``: several viewers may run
at once), to the settings as the file holds them then: only the key changed is written, so one
viewer never undoes another's change, and keys this version does not know are kept. A file that
cannot be read is reported in one line (``Settings.problem``) and never written over: the viewer
runs on the defaults, and changes last until it quits.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from .files import write_atomically
from .locking import locked
from .places import config_dir

T = TypeVar("T")
FORMAT = 1
FILE_NAME = "settings.json"
RACES = "races"  # the key of the per-race settings
RESERVED = ("format", RACES)


@dataclass(frozen=True, eq=False)  # each setting is itself: a key of a mapping
class Setting(Generic[T]):
    """One setting: ``key`` in the file (under the race's identity if ``per_race``), its default,
    and whether a value read from the file may be used."""

    key: str
    default: T
    valid: Callable[[Any], bool]
    per_race: bool = False


SETTINGS: dict[tuple[str, bool], Setting[Any]] = {}  # (key, per_race) -> the setting


def setting(key: str, default: T, valid: Callable[[Any], bool], per_race: bool = False) -> Setting[T]:
    """Register a setting (one per key and scope) and return it."""
    if key in RESERVED or (key, per_race) in SETTINGS:
        raise ValueError(f"setting {key!r} is taken")
    found = Setting(key, default, valid, per_race)
    SETTINGS[key, per_race] = found
    return found


def one_of(*values: object) -> Callable[[Any], bool]:
    return lambda value: value in values


def is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def is_lap(value: Any) -> bool:
    return type(value) is int and value >= 0


def is_seconds(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= 3600


def are_cars(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(car, str) for car in value)


# What the viewer remembers today (other modules add theirs the same way).
THEME = setting("theme", "race-replay", is_text)
SECONDS_PER_LAP = setting("seconds_per_lap", 1.0, is_seconds)  # playback speed
ANIMATION = setting("animation", "full", one_of("none", "basic", "full"))  # Textual's animation level
LAP = setting("lap", 0, is_lap, per_race=True)  # the lap shown when the race was left
FOLLOWED: Setting[list[str]] = setting("followed", [], are_cars, per_race=True)  # entry keys
GAP_COLUMN = setting("gap_column", "leader", one_of("leader", "followed"), per_race=True)  # v: measured from


def race_identity(series: str, date: str | None, name: str, track: str) -> str:
    """The key of a race's settings: the same race keeps them wherever its file is."""
    return "|".join((series, date or "", name, track))


def settings_path() -> Path:
    return config_dir() / FILE_NAME


class SettingsError(Exception):
    """The settings file cannot be read; the message is one line naming it."""


class Settings:
    """The settings as read from ``path`` (``settings_path()``), or the defaults if there is none
    or it cannot be read (then ``problem`` says why in one line, and nothing is ever written)."""

    def __init__(self, path: Path, values: Mapping[str, Any], problem: str | None = None) -> None:
        self.path, self.values, self.problem = path, dict(values), problem

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or settings_path()
        try:
            return cls(path, read_settings(path))
        except SettingsError as error:
            return cls(path, {}, f"{error} (left as it is; the viewer uses its defaults)")

    def unusable(self, also: Sequence[str] = ()) -> str | None:
        """One line naming the file's values the viewer cannot use (it uses their defaults and leaves
        them in the file until the user sets them), and ``also`` those the caller found unusable
        (a theme it does not have), or None. The values come first: a message cut short on a small
        screen still names them."""
        bad = [f"{key} {value!r}" for (key, per_race), which in SETTINGS.items()
               if not per_race and key in self.values and not which.valid(value := self.values[key])]
        for race, kept in self.values.get(RACES, {}).items():
            bad += [f"{key} {value!r} ({race})" for (key, per_race), which in SETTINGS.items()
                    if per_race and isinstance(kept, dict) and key in kept and not which.valid(value := kept[key])]
        bad += also
        if not bad:
            return None
        return f"{', '.join(bad)}: not usable, so the defaults are used ({self.path} keeps them)"

    def get(self, which: Setting[T], race: str | None = None) -> T:
        """The value kept for ``which`` (of ``race``, for a per-race setting), or its default."""
        value = self._scope(self.values, which, race).get(which.key, which.default)
        return cast(T, value) if which.valid(value) else which.default

    def set(self, which: Setting[T], value: T, race: str | None = None) -> str | None:
        """Keep ``value`` and write it; a one-line problem if it could not be written (it is kept
        here all the same, until the viewer quits)."""
        self.update({which: value}, race)
        return self._write({which: value}, race)

    def set_many(self, values: Mapping[Setting[Any], Any], race: str | None = None) -> str | None:
        """``set`` for several settings in one write."""
        self.update(values, race)
        return self._write(values, race)

    def update(self, values: Mapping[Setting[Any], Any], race: str | None = None, into: dict[str, Any] | None = None) -> None:
        """Put ``values`` into ``into`` (these settings, by default), without writing them."""
        for which, value in values.items():
            if not which.valid(value):
                raise ValueError(f"{value!r} is not a valid {which.key}")
            self._scope(self.values if into is None else into, which, race, make=True)[which.key] = value

    def _write(self, values: Mapping[Setting[Any], Any], race: str | None) -> str | None:
        if self.problem is not None:
            return self.problem
        try:
            with locked(self.path.with_name(FILE_NAME + ".lock")):
                fresh = read_settings(self.path)  # another viewer may have changed others since
                # a value the file has and the viewer could not use stays, unless the user chose another
                chosen = {which: value for which, value in values.items()
                          if not (which.key in self._scope(fresh, which, race) and value == which.default
                                  and not which.valid(self._scope(fresh, which, race)[which.key]))}
                self.update(chosen, race, into=fresh)
                write_atomically(self.path, json.dumps({"format": FORMAT, **fresh}, indent=1, ensure_ascii=False) + "\n")
        except SettingsError as error:
            self.problem = f"{error} (left as it is; changes are not kept after this run)"
            return self.problem
        except OSError as error:
            return f"{self.path}: cannot write the settings: {error.strerror or error}"
        self.values = fresh
        return None

    @staticmethod
    def _scope(values: dict[str, Any], which: Setting[Any], race: str | None, make: bool = False) -> dict[str, Any]:
        """Where ``which`` lives in ``values``: the top, or the race's own mapping (made if
        ``make``; one that is not a mapping reads as empty, and is replaced when written)."""
        if not which.per_race:
            return values
        if race is None:
            raise ValueError(f"{which.key} is kept per race: give the race")
        races = values.setdefault(RACES, {}) if make else values.get(RACES, {})
        if not isinstance(races.get(race), dict):
            if not make:
                return {}
            races[race] = {}
        scope: dict[str, Any] = races[race]
        return scope


def read_settings(path: Path) -> dict[str, Any]:
    """The settings in ``path`` (none if there is no such file); SettingsError if it is not a
    settings file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: cannot read it: {getattr(error, 'strerror', None) or error}") from None
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SettingsError(f"{path}:{error.lineno}:{error.colno}: not JSON: {error.msg}") from None
    if not isinstance(data, dict) or not isinstance(data.get(RACES, {}), dict):
        raise SettingsError(f"{path}: settings are a JSON object (with `{RACES}` an object of races)")
    version = data.pop("format", FORMAT)
    if version != FORMAT:
        raise SettingsError(f"{path}: settings format {version!r} is not supported; this version reads {FORMAT}")
    return data
