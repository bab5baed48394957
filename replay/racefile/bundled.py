"""Where the bundled race files live: inside the installed package, or the source tree's races/."""

from __future__ import annotations

import os
from pathlib import Path

from ..user.note_files import NOTES_SUFFIX

RACE_SUFFIXES = (".yaml", ".yml")


def bundled_races_dir() -> Path:
    """The wheel ships ``races/`` as ``replay/races``; a source checkout keeps it at the top."""
    package = Path(__file__).resolve().parents[1]  # replay/
    packaged = package / "races"
    return packaged if packaged.is_dir() else package.parent / "races"


def is_race_file_name(name: str) -> bool:
    """Whether a file called ``name`` is a race: YAML (``Path(name).suffix`` one of ``RACE_SUFFIXES``),
    and not a race's notes (``x.notes.yaml``). String tests, not pathlib's: it is asked of every file
    of a folder the picker lists (10,000 names: ~5 ms, pathlib's took ~100)."""
    return (any(name.endswith(suffix) and len(name) > len(suffix) for suffix in RACE_SUFFIXES)
            and not name.endswith(NOTES_SUFFIX))  # (is_notes_file, for a name)


def race_files(folder: Path) -> list[Path]:
    """Race files directly inside ``folder``, sorted by name (notes files left out)."""
    return sorted(p for p in folder.iterdir() if is_race_file_name(p.name) and p.is_file())


def has_race_files(folder: Path) -> bool:
    """``bool(race_files(folder))``, from the first race file on: the viewer's start asks it of a
    folder of any size. An unreadable folder raises ``OSError`` as ``race_files`` does."""
    with os.scandir(folder) as listing:
        for item in listing:
            try:
                if is_race_file_name(item.name) and item.is_file():
                    return True
            except OSError:
                continue
    return False


def default_race_folders() -> list[Path]:
    """What the picker lists when given no folder: the bundled races, and the races the user
    fetched (the data folder's ``races``) once there are any."""
    from ..user.places import user_races_dir

    fetched = user_races_dir()
    return [bundled_races_dir()] + ([fetched] if fetched.is_dir() and has_race_files(fetched) else [])
