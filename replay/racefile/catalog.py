"""Find race files and read what a picker may show about them: never who won."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.model import RaceInfo
from .bundled import bundled_races_dir, race_files
from .loader import check_file


@dataclass(frozen=True)
class CatalogEntry:
    path: Path
    info: RaceInfo | None  # None when the file has errors
    error: str | None = None
    entries: int = 0


def catalog(folders: list[Path] | None = None) -> list[CatalogEntry]:
    """Every race file in ``folders`` (default: the bundled races), by date then name."""
    found = []
    for folder in folders or [bundled_races_dir()]:
        for path in race_files(folder):
            report = check_file(path, audit=False)
            if report.race is None:
                first = report.errors[0] if report.errors else "cannot be read"
                found.append(CatalogEntry(path, None, first.removeprefix(f"{path}:"), 0))
            else:
                found.append(CatalogEntry(path, report.race.info, None, len(report.race.entries)))
    return sorted(found, key=lambda e: (e.info is None, e.info.date or "" if e.info else "", e.path.name))
