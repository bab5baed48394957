"""Textual widgets for race-replay. They render a :class:`replay.state.RaceState`; they compute no race logic."""

from .leaderboard import Leaderboard
from .race_header import RaceHeader

__all__ = ["Leaderboard", "RaceHeader"]
