"""Where the bundled race files live: inside the installed package, or the source tree's races/."""

from __future__ import annotations

from pathlib import Path

from ..user.note_files import is_notes_file

RACE_SUFFIXES = (".yaml", ".yml")


def bundled_races_dir() -> Path:
    """The wheel ships ``races/`` as ``replay/races``; a source checkout keeps it at the top."""
    package = Path(__file__).resolve().parents[1]  # replay/
    packaged = package / "races"
    return packaged if packaged.is_dir() else package.parent / "races"


def is_race_file_name(name: str) -> bool:
    """Whether a file called ``name`` is a race: YAML, and not a race's notes (``x.notes.yaml``)."""
    return Path(name).suffix in RACE_SUFFIXES and not is_notes_file(name)


def race_files(folder: Path) -> list[Path]:
    """Race files directly inside ``folder``, sorted by name (notes files left out)."""
    return sorted(p for p in folder.iterdir() if is_race_file_name(p.name) and p.is_file())


def default_race_folders() -> list[Path]:
    """What the picker lists when given no folder: the bundled races, and the races the user
    fetched (the data folder's ``races``) once there are any."""
    from ..user.places import user_races_dir

    fetched = user_races_dir()
    return [bundled_races_dir()] + ([fetched] if fetched.is_dir() and race_files(fetched) else [])
