"""A watch party's page: the host's replay, or a viewer's, which follows the host's lap and playback.

A viewer may step back on its own but never past the host's lap (the spoiler rule, relative to the
host); ``j`` takes it back to the host. Every lap a viewer shows goes through ``go_to`` or
``hear``, which clamp it to the host's lap. Viewers keep no notes and write nothing: their prep
sheets go to the browser only.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from widgets import RaceHeader

from ..viewer.screens import ReplayScreen
from ..viewer.screens.replay import SPEED_LABELS
from . import News
from .app import ServedApp, ServedScreen, deliver_sheet
from .driver import ServedDriver
from .messages import PartyNews

HOST, VIEWER = "host", "viewer"
VIEWER_NOTES_OFF = "a watch party's viewer keeps no notes"
REJOIN = Binding("j", "rejoin", "Rejoin host", tooltip="Back to the host's lap, following the host")


class PartyScreen(ServedScreen):
    BINDINGS: ClassVar[list[BindingType]] = [REJOIN]  # Textual adds the replay screen's
    KEYS: ClassVar[list[Binding]] = [*ReplayScreen.KEYS, REJOIN]  # what the help lists

    role: str = HOST
    host_lap: int = 0
    host_playing: bool = False
    host_speed: int = 2
    host_here: bool = False  # until the server says
    following: bool = True
    watching: int = 1
    seen_host: bool = False
    rejoin_enabled: bool | None = None
    joined: bool = False  # set up, so that the server's news can be shown

    def on_mount(self) -> None:  # runs before ReplayScreen's: join once that has set the screen up
        self.role = getattr(self.app, "role", HOST)
        self.host_lap = 0 if self._start_lap is None else self._start_lap  # (None: not given; the grid until the host says)
        self.call_later(self._join)

    def _join(self) -> None:
        self.joined = True
        self.hear(getattr(self.app, "party_news", {}))
        if self.role == HOST:
            self._tell()

    # -- the host tells the server; the server tells the viewers -----------------------------

    def _tell(self) -> None:
        driver = getattr(self.app, "_driver", None)
        if self.role == HOST and isinstance(driver, ServedDriver):
            driver.tell_party({"lap": self.lap, "playing": self.playing, "speed": self.speed})

    def watch_lap(self, old: int, new: int) -> None:
        super().watch_lap(old, new)
        self._tell()

    def watch_playing(self, playing: bool) -> None:
        super().watch_playing(playing)
        self._tell()

    def watch_speed(self, speed: int) -> None:
        super().watch_speed(speed)
        self._tell()

    def hear(self, news: News) -> None:
        """What the server says: this page's role, the host's lap and playback, how many watch."""
        if news.get("role") == VIEWER and self.role == HOST:
            self._become_viewer()
        self.watching = int(news.get("watching", self.watching))
        self.host_here = bool(news.get("host", self.host_here))
        self.seen_host |= bool(news.get("host"))
        if self.role == VIEWER and "lap" in news:
            self.host_lap = int(news["lap"])
            self.host_playing = bool(news.get("playing", False))
            self.host_speed = int(news.get("speed", self.host_speed))
            if self.following or self.lap > self.host_lap:
                self.lap = self.host_lap
                self.following = True
        self.query_one(RaceHeader).set_playback(self._playback_label())
        self._update_bindings()

    def _become_viewer(self) -> None:
        """A second host page took over: this one follows it from now on, keeping no notes."""
        self.role, self.host_lap, self.following = VIEWER, self.lap, True
        self.playing = False
        self.notebook.turn_off(VIEWER_NOTES_OFF)
        self.notes_changed()

    # -- a viewer's moves ----------------------------------------------------------------

    def go_to(self, lap: int | None) -> None:
        if self.role == VIEWER and lap is not None:
            lap = min(lap, self.host_lap)
            self.following = lap >= self.host_lap
        super().go_to(lap)
        if self.role == VIEWER:
            self.query_one(RaceHeader).set_playback(self._playback_label())

    def action_rejoin(self) -> None:
        self.following = True
        self.go_to(self.host_lap)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "rejoin":
            return False if self.role != VIEWER else (not self.following or None)
        if self.role == VIEWER:
            if action in ("play", "pause", "speed"):
                return False  # the host plays
            if action == "step" and isinstance(parameters[0], int) and parameters[0] > 0:
                return self.lap < self.host_lap or None
        return super().check_action(action, parameters)

    def _update_bindings(self) -> None:
        """The replay screen's footer check, and ``j``'s: it is no key of the replay screen's."""
        super()._update_bindings()
        rejoin = self.check_action("rejoin", ())
        if rejoin != self.rejoin_enabled:
            self.rejoin_enabled = rejoin
            self.refresh_bindings()

    def _playback_label(self) -> str:
        watching = f"{self.watching} watching"
        if self.role == HOST:
            return f"{super()._playback_label()} · hosting · {watching}"
        if not self.host_here:
            where = "the host left" if self.seen_host else "waiting for the host"
        elif self.following:
            where = f"following the host {'▶' if self.host_playing else '⏸'} {SPEED_LABELS[self.host_speed]}"
        else:
            where = f"host at lap {self.host_lap} · j rejoins"
        return f"{where} · {watching}"

    # -- notes and prep sheets: a viewer's are its own, and never written --------------------

    def open_notes(self) -> None:
        if getattr(self.app, "role", HOST) == VIEWER:
            self.notebook.turn_off(VIEWER_NOTES_OFF)
            return
        super().open_notes()

    def action_prep_sheet(self) -> None:
        if self.role != VIEWER:
            super().action_prep_sheet()
            return
        from ..racefile.prep_sheets import sheet_text

        text = sheet_text(self.timeline, self.lap, (), self.notebook.sheet_drivers())
        deliver_sheet(self, f"{self.timeline.race.info.name} lap {self.lap}.md", text)
        self.notify(f"Lap {self.lap}: sent to the browser", title="Prep sheet", markup=False)


class PartyApp(ServedApp):
    """A party's page: ``role`` is set before it runs; the server's news goes to the replay screen."""

    replay_screen = PartyScreen
    role: str = VIEWER

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.party_news: News = {}

    def on_party_news(self, message: PartyNews) -> None:
        self.party_news.update(message.news)
        for screen in self.screen_stack:
            if isinstance(screen, PartyScreen) and screen.joined:
                screen.hear(message.news)

    def action_race_list(self) -> None:
        self.notify("A watch party stays with its race.", title="Watch party")

    def action_archive(self, source: str | None = None) -> None:
        self.action_race_list()
