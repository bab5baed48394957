"""The Textual app: a race picker, then the replay screen for the chosen race."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from widgets import Clock
from widgets.palette import RACE_REPLAY_THEME, derived_colours

from ..core.engine import Timeline
from ..core.errors import RaceFileError
from .commands import ReplayCommands
from .screens import PickerScreen, ReplayScreen


class ReplayApp(App):
    """Open with a timeline (straight to the replay) or with folders to pick a race from.

    ``transient=False`` is for tests: no timed banners or highlights, no animation, no blinking.
    ``clock`` (for tests) sets the replay's timers instead of the screen: see ``ReplayScreen``.
    """

    TITLE = "race-replay"
    COMMANDS = App.COMMANDS | {ReplayCommands}

    def __init__(self, timeline: Timeline | None = None, lap: int = 0, race_folders: list[Path] | None = None,
                 transient: bool = True, clock: Clock | None = None, pace: float | None = None) -> None:
        super().__init__()
        self.pace = pace  # --real-time: play at race pace (× this) from the start
        self.clock = clock
        self.timeline = timeline
        self.start_lap = lap
        self.race_folders = race_folders
        self.transient = transient
        self.register_theme(RACE_REPLAY_THEME)
        self.theme = RACE_REPLAY_THEME.name
        if not transient:
            self.animation_level = "none"

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """The viewer's colours in the current theme's own, where a theme does not set them."""
        return {**super().get_theme_variable_defaults(), **derived_colours(self.current_theme)}

    def on_mount(self) -> None:
        if self.timeline is not None:
            self.push_screen(ReplayScreen(self.timeline, self.start_lap, self.transient, self.clock, self.pace))
        else:
            from ..racefile.catalog import Catalog  # lists the race files; the picker reads their headers

            self.push_screen(PickerScreen(Catalog(self.race_folders)))

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

    def action_archive(self) -> None:
        """The NASCAR archive: a season's races from the public feed, fetched on Enter."""
        from .screens.archive import ArchiveScreen  # the HTTP client loads only when a race is fetched

        self.push_screen(ArchiveScreen())

    def open_race(self, path: Path) -> None:
        """Replace whatever race is open with the one in ``path``, at the grid."""
        from ..racefile.loader import load_race

        try:
            timeline = Timeline(load_race(path))
        except RaceFileError as error:
            self.notify(error.lines[0], title="Cannot open race", severity="error")
            return
        while not isinstance(self.screen, PickerScreen) and len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(ReplayScreen(timeline, 0, self.transient, self.clock))
