"""Export formats: a race as it stood at one lap, rendered for people or programs.

A new format is one module with a function ``(RaceState) -> str`` and one line in ``FORMATS``.
Nothing is imported until a format renders: the command line builds its choices from this
registry in the viewer's process too, before the race loads.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from importlib.resources import files
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ..core.state import RaceState


class ExportFormat(NamedTuple):
    """One ``--format`` choice of ``race-replay export``: ``renderer`` is ``module:function`` here."""

    name: str
    description: str
    renderer: str

    @property
    def render(self) -> Callable[[RaceState], str]:
        module, function = self.renderer.split(":")
        return getattr(import_module(f"{__name__}.{module}"), function)


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("text", "a readable leaderboard and the events so far", "text:to_text"),
        ExportFormat("json", "the stable contract of docs/FORMAT.md", "json_contract:render_json"),
    )
}


def export_schema_text() -> str:
    """The published JSON Schema of the json format (``export.schema.json``, written from docs/FORMAT.md)."""
    return files(__name__).joinpath("export.schema.json").read_text(encoding="utf-8")
