"""Export formats: a race as it stood at one lap, rendered for people or programs.

A new format is one module with a function and one line in ``FORMATS``: ``(RaceState) -> str``
for a format of the lap's state alone, or ``(ExportRequest) -> str`` (``whole=True``) for one
that also needs the timeline, the user's notes or drivers to detail. Nothing is imported until a
format renders: the command line builds its choices from this registry in the viewer's process
too, before the race loads.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ..core.engine import Timeline
    from ..core.notes import Note
    from ..core.state import RaceState


class ExportRequest(NamedTuple):
    """What a format renders: the race at ``state.lap``; the timeline it came from (None: the
    state alone), the user's notes (only those up to the lap are ever shown) and the drivers
    (entry keys) to give a section each."""

    # a NamedTuple, not a dataclass: this module loads before the viewer forks, and dataclasses
    # costs ~11 ms there (Textual imports it after the fork anyway)
    state: RaceState
    timeline: Timeline | None = None
    notes: tuple[Note, ...] = ()
    drivers: tuple[str, ...] = ()

    @property
    def lap(self) -> int:
        return self.state.lap

    @classmethod
    def at(cls, timeline: Timeline, lap: int, notes: tuple[Note, ...] = (), drivers: tuple[str, ...] = ()) -> ExportRequest:
        return cls(timeline.state_at(lap), timeline, tuple(notes), tuple(drivers))


class ExportFormat(NamedTuple):
    """One ``--format`` choice of ``race-replay export``: ``renderer`` is ``module:function`` here,
    taking the ``ExportRequest`` if ``whole``, else its ``RaceState`` alone."""

    name: str
    description: str
    renderer: str
    whole: bool = False

    @property
    def render(self) -> Callable[[ExportRequest | RaceState], str]:
        """The renderer, taking an ExportRequest (or a bare RaceState: a request for it alone)."""
        module, function = self.renderer.split(":")
        renderer = getattr(import_module(f"{__name__}.{module}"), function)

        def render(request: ExportRequest | RaceState) -> str:
            if not isinstance(request, ExportRequest):
                request = ExportRequest(request)
            return renderer(request) if self.whole else renderer(request.state)

        return render


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("text", "a readable leaderboard and the events so far", "text:to_text"),
        ExportFormat("json", "the stable contract of docs/FORMAT.md, with statistics and notes",
                     "json_contract:render_request", whole=True),
        ExportFormat("md", "a Markdown prep sheet: board, stages, key events, quotes, notes, drivers",
                     "markdown:to_markdown", whole=True),
        ExportFormat("csv", "the lap chart's data: a row per lap 0..N, a column per car, its position",
                     "csv_chart:render_request", whole=True),
    )
}


def export_schema_text() -> str:
    """The published JSON Schema of the json format (``export.schema.json``, written from docs/FORMAT.md)."""
    from importlib.resources import files  # ~6 ms: not on the viewer's way to its first frame

    return files(__name__).joinpath("export.schema.json").read_text(encoding="utf-8")
