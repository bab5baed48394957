"""Textual widgets for race-replay. They render a :class:`replay.core.state.RaceState`; they compute no race logic."""

from .banner import Banner, Clock
from .event_log import EventDetail, EventLog
from .key_bar import KeyBar
from .leaderboard import Leaderboard
from .quotes import QuotesPanel
from .race_header import RaceHeader
from .rowlist import RowList
from .scrubber import Scrubber

__all__ = [
    "Banner", "Clock", "EventDetail", "EventLog", "KeyBar", "Leaderboard", "QuotesPanel", "RaceHeader", "RowList", "Scrubber",
]
