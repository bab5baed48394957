"""A season's race list (``race_list_basic.json``) beside a race's files: the stage lengths NASCAR
lists for the race, as ``fetch`` reads them, so that ``import`` of the same files gives the same
stage ends. Only the stage lengths and scheduled laps are read: the list also holds results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..base import Warn
from .folder import Folder
from .stages import Listed, stage_lengths
from .weekend import Weekend

NAME = "race_list_basic.json"


@dataclass(frozen=True)
class SeasonList:
    file: str  # as it is called in the folder
    races: dict[int, dict[str, Any]]  # race id -> its listing


def season_list(folder: Folder) -> SeasonList | None:
    """The folder's season list, if it holds one (by name or by shape)."""
    for name, (kind, data) in folder.others.items():
        if kind == NAME:
            races = {race["race_id"]: race for series in data.values() if isinstance(series, list)
                     for race in series if isinstance(race, dict) and isinstance(race.get("race_id"), int)}
            return SeasonList(name, races)
    return None


def race_id(found: dict[str, tuple[str, Any]], weekend: Weekend | None) -> int | None:
    """The race's id, as its loop data or weekend feed gives it (lap times do not)."""
    if weekend is not None and weekend.race_id:
        return weekend.race_id
    stats = found.get("live-driver-stats.json", (None, None))[1]
    first = stats[0] if isinstance(stats, list) and stats and isinstance(stats[0], dict) else stats
    value = first.get("race_id") if isinstance(first, dict) else None
    return value if isinstance(value, int) else None


def listed_lengths(season: SeasonList, race: int | None, warn: Warn) -> Listed | None:
    """The stage lengths and scheduled laps the list gives for ``race``; None (with why) if it cannot."""
    listing = season.races.get(race) if race is not None else None
    if listing is None:
        why = "no file here gives the race's id" if race is None else f"it does not list race {race}"
        warn(f"{season.file}: {why}; its stage lengths are not used")
        return None
    lengths = stage_lengths(listing.get(f"stage_{i}_laps") for i in range(1, 5))
    laps = listing.get("scheduled_laps")
    return Listed(lengths, laps if isinstance(laps, int) and laps > 0 else None, season.file) if lengths else None
