"""The viewer as served to a browser: prep sheets arrive as downloads; in a watch party, the
host's replay is followed by every viewer's (``party_screen``)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from textual.screen import Screen

from ..viewer.app import ReplayApp
from ..viewer.screens import ReplayScreen
from ..viewer.screens import replay as replay_module
from .driver import ServedDriver


def deliver_sheet(screen: Screen, name: str, text: str) -> None:
    """Send a prep sheet to the browser as a download."""
    screen.app.deliver_binary(io.BytesIO(text.encode("utf-8")), save_filename=name, mime_type="text/markdown")


class ServedScreen(ReplayScreen):
    """The replay screen, with prep sheets also sent to the browser."""

    CSS_PATH = str(Path(replay_module.__file__).with_name(ReplayScreen.CSS_PATH))  # Textual reads it beside the subclass

    def action_prep_sheet(self) -> None:
        written = self.notebook.write_prep_sheet()
        if written is not None:
            deliver_sheet(self, written[0].name, written[1])


class ServedApp(ReplayApp):
    replay_screen = ServedScreen

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.driver_class = ServedDriver


def served_app(target: Path | None, lap: str | None, role: str | None) -> ReplayApp | str:
    """The app for one page: the picker (a folder, or the bundled races), a race (``lap`` None: where
    the user left it, as in the terminal), or a party's page. A string says why it cannot open."""
    if target is None or target.is_dir():
        from ..racefile.bundled import default_race_folders

        return ServedApp(race_folders=[target] if target else default_race_folders())
    from ..cli import viewer_app

    if role is None:
        return viewer_app(target, lap, app_class=ServedApp)
    from .party_screen import PartyApp

    app = viewer_app(target, lap, app_class=PartyApp)
    if isinstance(app, PartyApp):
        app.role = role
    return app
