"""Snapshot tests of the viewer. Fixed size, fixed theme, no playback: each says what you should see."""

from __future__ import annotations

from replay import Timeline, load_race
from replay.app import ReplayApp
from tests.conftest import HOMESTEAD

SIZE = (110, 36)


def test_grid(snap_compare):
    """You should see the Homestead grid at lap 0: a GRID flag, Lap 0 / 134, Heim, Gray, Larson, Riggs
    and Ruggiero in places 1-5, every other truck listed as position unknown, and the key footer."""
    assert snap_compare(ReplayApp(Timeline(load_race(HOMESTEAD))), terminal_size=SIZE)


def test_finish(snap_compare):
    """You should see the checkered flag at lap 134: Larson, Riggs, Heim and the rest of the reported top
    ten with laps led 20 / 3 / 78, a gap marked unknown before Ruggiero in 30th and Rhodes (out) in 33rd."""
    assert snap_compare(ReplayApp(Timeline(load_race(HOMESTEAD)), lap=134), terminal_size=SIZE)
