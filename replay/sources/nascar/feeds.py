"""The parsed race files of one import: a typed record, one field per file NASCAR serves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..base import FeedError
from .files import (
    DriverStats,
    FlagChange,
    LapTimes,
    Note,
    PitStop,
    StagePlace,
    parse_driver_stats,
    parse_flag_data,
    parse_lap_notes,
    parse_lap_times,
    parse_pit_data,
    parse_stage_points,
)
from .stages import Listed
from .weekend import Weekend, parse_weekend


@dataclass
class Feeds:
    """Each file's parsed contents (None: not among the files read); ``kinds`` are the served
    names of those read, in the order the race file cites them."""

    lap_times: LapTimes | None = None
    lap_notes: list[Note] | None = None
    flag_changes: list[FlagChange] | None = None
    pits: list[PitStop] | None = None
    stage_points: list[StagePlace] | None = None
    driver_stats: DriverStats | None = None
    weekend: Weekend | None = None
    listed: Listed | None = None  # a season list's stage lengths and scheduled laps, where they are used
    kinds: tuple[str, ...] = ()


# served name -> (its field, its parser), in the order the race file cites the files
PARSERS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "lap-times.json": ("lap_times", parse_lap_times), "lap-notes.json": ("lap_notes", parse_lap_notes),
    "live-flag-data.json": ("flag_changes", parse_flag_data), "live-pit-data.json": ("pits", parse_pit_data),
    "live-stage-points.json": ("stage_points", parse_stage_points),
    "live-driver-stats.json": ("driver_stats", parse_driver_stats), "weekend-feed.json": ("weekend", parse_weekend),
}


def parse_feeds(found: dict[str, tuple[str, Any]], renamed: dict[str, str]) -> Feeds:
    """Every race file ``found`` (served name -> (file name, JSON)), parsed; errors name each file
    as it is called here (``weekend-feed-cup-5274.json``)."""
    kinds = tuple(kind for kind in PARSERS if kind in found)
    feeds = Feeds(kinds=kinds)
    for kind in kinds:
        field, parse = PARSERS[kind]
        try:
            setattr(feeds, field, parse(found[kind][1]))
        except FeedError as error:
            raise FeedError(named(str(error), renamed)) from None
    return feeds


def named(message: str, renamed: dict[str, str]) -> str:
    """``message`` with each file's served name replaced by its name here."""
    for kind, name in renamed.items():
        message = message.replace(kind, name)
    return message
