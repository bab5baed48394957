"""Writing a race's Markdown prep sheet at a lap (the viewer's ``e``) where the user will find it:
beside the race, or in the data folder's ``sheets`` where that folder cannot be written (and for
the bundled races, as their notes); never over a file someone else changed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from ..core.engine import Timeline
from ..core.notes import Note
from ..export import FORMATS, ExportRequest
from ..user import note_files
from ..user.files import write_atomically
from .notes import is_bundled


def sheet_text(timeline: Timeline, lap: int, notes: Sequence[Note], drivers: tuple[str, ...]) -> str:
    """The prep sheet at ``lap``: what ``export --format md`` writes, with the notes up to it."""
    return FORMATS["md"].render(ExportRequest.at(timeline, lap, tuple(notes), drivers))


def write_sheet(timeline: Timeline, lap: int, notes: Sequence[Note], drivers: tuple[str, ...],
                ours: Mapping[Path, str]) -> tuple[Path, str]:
    """Write the prep sheet at ``lap`` (atomically) beside the race, or in the data folder where
    that folder cannot be written (and for the bundled races); ``ours``: the sheets written before
    (path -> text), which may be written over. Where, and what; OSError if it could not be written."""
    race = Path(timeline.race.path)
    text = sheet_text(timeline, lap, notes, drivers)
    failure: OSError | None = None
    for beside in (False,) if is_bundled(race) else (True, False):
        target = note_files.sheet_path(race, lap, beside)
        if beside and not note_files.writable(target):  # looked up here: tests replace it
            continue
        target = note_files.unclaimed_path(target, text, ours)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, text)
        except OSError as error:
            failure = error
            continue
        return target, text
    raise failure or OSError("nowhere to write it")
