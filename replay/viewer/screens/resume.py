"""The replay screen's part in the settings (``user.settings``): a race opened without a lap
continues where it was left, with the drivers it followed, at the speed last played.

What is remembered is the lap shown when the race was left (never more than was seen), kept
under the race's identity (series, date, name and track), not its path. It is written once, when
the screen goes (back to the list, another race, quitting): a lap step writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ...core.engine import Timeline
from ...user.settings import FOLLOWED, GAP_COLUMN, LAP, SECONDS_PER_LAP, Setting, Settings, race_identity

KeepSettings = Callable[[Mapping[Setting[Any], Any], str], None]  # the app's keep_settings(values, race)


@dataclass(frozen=True)
class Recalled:
    """How a race opens: at ``lap`` (``resumed``: where it was left, to be said); the playback
    speed (an index into the screen's speeds), the followed drivers and what the Gap column
    measures from, as kept (None: there are no settings, the screen keeps its own)."""

    lap: int
    resumed: bool = False
    speed: int | None = None
    followed: tuple[str, ...] | None = None  # first followed first: the Gap column's reference
    gap_to_followed: bool = False
    # the lap the race was left at when this file ends before it (a copy of the race still running):
    # ``lap`` is then this file's last, and leaving it there keeps the lap left at
    left_at: int | None = None

    @property
    def said(self) -> str:
        """What the viewer says when the race opens where it was left."""
        if self.left_at is not None:
            return f"Lap {self.lap}, the last this file has (you left this race at lap {self.left_at}). Home: the grid."
        return f"Lap {self.lap}, where you left this race. Home: the grid."


@dataclass(frozen=True)
class Left:
    """How a race was left: what ``remember`` keeps of it."""

    lap: int | None  # None: the lap kept stays (see ``Recalled.left_at``)
    followed: tuple[str, ...]  # first followed first
    seconds_per_lap: float
    gap_to_followed: bool


def identity(timeline: Timeline) -> str:
    info = timeline.race.info
    return race_identity(info.series, info.date, info.name, info.track)


def recall(settings: Settings | None, timeline: Timeline, start_lap: int | None, speeds: tuple[float, ...]) -> Recalled:
    """The race opens at ``start_lap``, or where it was left if None; with the speed (the nearest
    of ``speeds``), the followed drivers (those of this race) and the Gap column kept."""
    if settings is None:
        return Recalled(start_lap or 0)
    race = identity(timeline)
    wanted = settings.get(SECONDS_PER_LAP)
    speed = min(range(len(speeds)), key=lambda i: abs(speeds[i] - wanted))
    cars = tuple(dict.fromkeys(car for car in settings.get(FOLLOWED, race) if car in timeline.race.entries))
    gap_to_followed = bool(cars) and settings.get(GAP_COLUMN, race) == "followed"
    if start_lap is not None:
        return Recalled(start_lap, False, speed, cars, gap_to_followed)
    kept = settings.get(LAP, race)
    lap = min(kept, timeline.final_lap)
    return Recalled(lap, bool(lap), speed, cars, gap_to_followed, kept if kept > lap else None)


def remember(keep: KeepSettings | None, timeline: Timeline, left: Left) -> None:
    """Keep the lap shown, the drivers followed, what the Gap column measures from and the playback speed."""
    if keep is not None:
        values: dict[Setting[Any], Any] = {FOLLOWED: list(left.followed), SECONDS_PER_LAP: left.seconds_per_lap,
                                           GAP_COLUMN: "followed" if left.gap_to_followed else "leader"}
        if left.lap is not None:
            values[LAP] = left.lap
        keep(values, identity(timeline))
