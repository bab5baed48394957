"""race-replay core: the race model, the loader and the lap-state engine. Never imports Textual."""

from .engine import Timeline
from .loader import RaceFileError, Report, check_file, load_race
from .model import Entry, Event, Quote, Race, RaceInfo
from .state import RaceState, Row

__all__ = [
    "Entry", "Event", "Quote", "Race", "RaceFileError", "RaceInfo", "RaceState", "Report", "Row",
    "Timeline", "check_file", "load_race",
]
