"""The replay screen's part in the settings (``user.settings``): a race opened without a lap
continues where it was left, with the drivers it followed, at the speed last played.

What is remembered is the lap shown when the race was left (never more than was seen), kept
under the race's identity (series, date, name and track), not its path. It is written once, when
the screen goes (back to the list, another race, quitting): a lap step writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...user.settings import FOLLOWED, GAP_COLUMN, LAP, SECONDS_PER_LAP, Settings, race_identity

if TYPE_CHECKING:
    from ...core.engine import Timeline


class Resuming:
    """A mixin of ``ReplayScreen``: ``recall`` on mount, ``remember`` when it goes."""

    timeline: Timeline
    lap: int
    speed: int
    followed: frozenset[str]
    gap_to_followed: bool
    app: object
    notify: Callable[..., None]
    set_reactive: Callable[..., None]

    @property
    def race_identity(self) -> str:
        info = self.timeline.race.info
        return race_identity(info.series, info.date, info.name, info.track)

    @property
    def settings(self) -> Settings | None:
        return getattr(self.app, "settings", None)

    def recall(self, start_lap: int | None, speeds: tuple[float, ...]) -> int:
        """Set the speed and the followed drivers kept; the lap to open at: ``start_lap``, or
        where the race was left if None (said, with how to go to the grid)."""
        settings = self.settings
        if settings is None:
            return start_lap or 0
        wanted = settings.get(SECONDS_PER_LAP)
        self.set_reactive(type(self).speed, min(range(len(speeds)), key=lambda i: abs(speeds[i] - wanted)))
        cars = [car for car in settings.get(FOLLOWED, self.race_identity) if car in self.timeline.race.entries]
        self.set_reactive(type(self).followed, frozenset(cars))
        if cars and settings.get(GAP_COLUMN, self.race_identity) == "followed":
            self.set_reactive(type(self).gap_to_followed, True)
        if start_lap is not None:
            return start_lap
        lap = min(settings.get(LAP, self.race_identity), self.timeline.final_lap)
        if lap:
            self.notify(f"Lap {lap}, where you left this race. Home: the grid.", title="Resumed", markup=False)
        return lap

    def remember(self, speeds: tuple[float, ...]) -> None:
        """Keep the lap shown, the drivers followed, what the Gap column measures from and the playback speed."""
        keep = getattr(self.app, "keep_settings", None)
        if keep is not None:
            keep({LAP: self.lap, FOLLOWED: sorted(self.followed), SECONDS_PER_LAP: speeds[self.speed],
                  GAP_COLUMN: "followed" if self.gap_to_followed else "leader"}, self.race_identity)
