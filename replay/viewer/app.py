"""The Textual app: a race picker, then the replay screen for the chosen race."""

from __future__ import annotations

import gc
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from textual.app import App
from textual.screen import Screen
from textual.theme import Theme

from widgets import Clock
from widgets.palette import RACE_REPLAY_THEME, derived_colours

from ..core.engine import Timeline
from ..core.errors import RaceFileError
from ..user.settings import ANIMATION, THEME, Setting, Settings
from .commands import ReplayCommands
from .screens import PickerScreen, ReplayScreen

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..racefile.catalog import Listed

# the setting's values (``user.settings`` keeps no other) as Textual's animation levels
ANIMATION_LEVELS: dict[str, Literal["none", "basic", "full"]] = {"none": "none", "basic": "basic", "full": "full"}


class ReplayApp(App):
    """Open with a timeline (straight to the replay) or with folders to pick a race from.

    ``transient=False`` is for tests: no timed banners or highlights, no animation, no blinking.
    ``clock`` (for tests) sets the replay's timers instead of the screen: see ``ReplayScreen``.
    ``lap=None`` opens the race where it was left; the settings (``user.settings``) are read once.
    """

    TITLE = "race-replay"
    COMMANDS = App.COMMANDS | {ReplayCommands}
    replay_screen: type[ReplayScreen] = ReplayScreen  # the served app's own subclass (replay/serve)

    def __init__(self, timeline: Timeline | None = None, lap: int | None = 0, race_folders: list[Path] | None = None,
                 transient: bool = True, clock: Clock | None = None, pace: float | None = None,
                 listed: Callable[[], Listed | None] | None = None) -> None:
        super().__init__()
        self._listed = listed  # waits for the folders' listing made elsewhere, for the first picker (see Catalog)
        self.pace = pace  # --real-time: play at race pace (× this) from the start
        self.clock = clock
        self.timeline = timeline
        self.start_lap = lap
        self.race_folders = race_folders
        self.transient = transient
        self.settings = Settings.load()
        self.register_theme(RACE_REPLAY_THEME)
        theme = self.settings.get(THEME)
        self.theme = theme if theme in self.available_themes else RACE_REPLAY_THEME.name
        if not transient:
            self.animation_level = "none"
        elif "TEXTUAL_ANIMATIONS" not in os.environ:  # the environment's word comes first
            self.animation_level = ANIMATION_LEVELS[self.settings.get(ANIMATION)]

    def _unknown_theme(self) -> list[str]:
        """The settings' theme, if it is none this viewer has (it then uses its own)."""
        theme = self.settings.get(THEME)
        return [] if theme in self.available_themes else [f"theme {theme!r} (no such theme)"]

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """The viewer's colours in the current theme's own, where a theme does not set them."""
        return {**super().get_theme_variable_defaults(), **derived_colours(self.current_theme)}

    async def on_mount(self) -> None:
        if self.settings.problem:
            self.notify(self.settings.problem, title="Settings cannot be read", severity="error", timeout=10, markup=False)
        elif unusable := self.settings.unusable(self._unknown_theme()):
            self.notify(unusable, title="Settings not used", severity="warning", timeout=10, markup=False)
        self.theme_changed_signal.subscribe(self, self._keep_theme)
        if self.timeline is not None:
            screen: Screen[Any] = self.replay_screen(self.timeline, self.start_lap, self.transient, self.clock, self.pace)
        else:
            from ..racefile.catalog import Catalog  # lists the race files; the picker reads their headers

            screen = PickerScreen(Catalog(self.race_folders, listed=self._listed))
            self._listed = None  # (a picker opened later lists the folders again)
        # The app's start batches its frames: the first screen's first frame, drawn meanwhile, never
        # reached the terminal, which got the screen in pieces after, each widget as it next refreshed
        # (the lap line ~20 ms after the rest). Mounted (its on_mount run) and then repainted whole,
        # its first frame out is the whole screen at its lap.
        await self.push_screen(screen)
        for widget in screen.walk_children():
            widget.refresh()
        # The command's start allocates a few hundred thousand objects that live as long as the viewer
        # (Textual's modules, the race's timeline), none of them garbage: the cycle collector, run by
        # allocation counts, would scan them over and over (a race's unpickling took 45 ms instead of
        # 17). ``race-replay`` turns it off at its start (cli._view); it is back on after the first frame.
        self.call_after_refresh(gc.enable)

    def keep_settings(self, values: Mapping[Setting, Any], race: str | None = None) -> None:
        """Write settings for the next run (``user.settings``: per-race ones of ``race``); a problem
        is said, unless it is the unreadable file already said at the start."""
        problem = self.settings.set_many(values, race)
        if problem is not None and problem != self.settings.problem:
            self.notify(problem, title="Settings not written", severity="error", markup=False)

    def _keep_theme(self, theme: Theme) -> None:
        if theme.name != self.settings.get(THEME):
            self.keep_settings({THEME: theme.name})

    def action_race_list(self) -> None:
        """Back to the list of races: the picker this race was opened from, or a new one of the
        race's folder (and the bundled races) when it was opened directly."""
        pickers = [screen for screen in self.screen_stack if isinstance(screen, PickerScreen)]
        if pickers:
            while self.screen is not pickers[-1]:
                self.pop_screen()
            return
        from ..racefile.catalog import Catalog

        current = Path(self.screen.timeline.race.path) if isinstance(self.screen, ReplayScreen) else None
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(PickerScreen(Catalog(self.race_folders), current=current))

    def action_archive(self, source: str | None = None) -> None:
        """A source's archive (the first registered in ``replay.sources`` unless named): a season's
        races, fetched on Enter."""
        from ..sources import archives
        from .screens.archive import ArchiveScreen  # the HTTP client loads only when a race is fetched

        self.push_screen(ArchiveScreen(source=source or next(iter(archives()))))

    def open_race(self, path: Path) -> None:
        """Replace whatever race is open with the one in ``path``, where it was left (at first, the grid)."""
        from ..racefile.loader import load_race

        try:
            timeline = Timeline(load_race(path))
        except RaceFileError as error:
            self.notify(error.lines[0], title="Cannot open race", severity="error")
            return
        while not isinstance(self.screen, PickerScreen) and len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(self.replay_screen(timeline, None, self.transient, self.clock))
