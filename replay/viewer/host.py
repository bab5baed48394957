"""What the viewer's screens and commands ask of the app that hosts them (``ReplayApp`` gives it):
typed, so that they need not import the app, which imports them."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable


@runtime_checkable
class Viewer(Protocol):
    race_folders: list[Path] | None

    def open_race(self, path: Path) -> None:
        """Open the race file at ``path`` (its problem said where it cannot)."""

    def action_archive(self, source: str | None = None) -> None:
        """Browse a source's archive (the first with one, if ``source`` is None)."""


def viewer(app: object) -> Viewer:
    """``app`` as the viewer's; a TypeError if it is another app (a screen mounted elsewhere)."""
    if not isinstance(app, Viewer):
        raise TypeError(f"{type(app).__name__} is not the race-replay viewer (no open_race, race_folders)")
    return app
