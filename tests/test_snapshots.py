"""Snapshot tests of the viewer. Fixed size and theme, playback paused, no timers (transient=False)."""

from __future__ import annotations

from replay.core.engine import Timeline
from replay.racefile.loader import load_race
from replay.viewer.app import ReplayApp
from tests.conftest import HOMESTEAD, ROOT

SIZE = (120, 40)


def homestead(lap: int = 0) -> ReplayApp:
    return ReplayApp(Timeline(load_race(HOMESTEAD)), lap=lap, transient=False)


def test_grid(snap_compare):
    """You should see the Homestead grid: a GRID flag, Lap 0 / 134, Heim, Gray, Larson, Riggs and Ruggiero
    in places 1-5 (all reported), the other ten trucks with a "?" position, the pre-race qualifying event,
    the first two of the three pre-race quotes (Weaver's whole, Larson's cut at the panel's foot), a grey
    scrubber with stage ticks 1, 2, 3, and the key footer."""
    assert snap_compare(homestead(0), terminal_size=SIZE)


def test_mid_race_under_caution(snap_compare):
    """You should see lap 92 under a YELLOW flag (Larson spins in turn 1), Lap 92 / 134, 42 to go,
    4 cautions; no car placed (the spin made the last report stale), the spin at the top of the incident
    log, and the scrubber coloured up to lap 92 with yellow blocks for the cautions so far."""
    assert snap_compare(homestead(92), terminal_size=SIZE)


def test_stage_end_banner(snap_compare):
    """You should see lap 30 and a banner over the leaderboard: END OF STAGE 1 · Corey Heim wins,
    with 1. Corey Heim and 3. Layne Riggs (the places the sources report)."""
    assert snap_compare(homestead(29), press=["right"], terminal_size=SIZE)


def test_finish(snap_compare):
    """You should see the finish with the CHECKERED banner (Kyle Larson wins; 1. Larson 2. Riggs 3. Heim)
    over the board, and post-race events and quotes in the side panels."""
    assert snap_compare(homestead(133), press=["right"], terminal_size=SIZE)


def test_focused_driver(snap_compare):
    """You should see lap 94 with Kyle Larson followed: his row (P22, reported) highlighted in blue,
    Heim and Chastain on the front row for the restart, and an "unknown" row for places 3-21."""

    async def follow(pilot):
        pilot.app.screen.toggle_follow("07")

    assert snap_compare(homestead(94), run_before=follow, terminal_size=SIZE)


def test_help_screen(snap_compare):
    """You should see the help dialog over the grid: every key with what it does, and the legend
    explaining reported, carried, estimated and unknown positions."""
    assert snap_compare(homestead(0), press=["question_mark"], terminal_size=SIZE)


def test_race_picker(snap_compare):
    """You should see the race picker listing the bundled races with date, name, track, series, laps,
    length and entries, and no winner or result anywhere."""
    assert snap_compare(ReplayApp(race_folders=[ROOT / "races"], transient=False), terminal_size=SIZE)


def test_small_terminal(snap_compare):
    """You should see lap 91 at 80x24: the header, the board without the team and known columns,
    the incident log beside it, the scrubber and footer all fitting without overlap."""
    assert snap_compare(homestead(91), terminal_size=(80, 24))


def test_complete_imported_race(snap_compare):
    """You should see lap 140 of the imported Atlanta Xfinity race under green: 27 cars placed from the
    timing data with places gained or lost, laps led so far (Hill 76), gaps only where the lap times agree
    with the scored order (others blank), each car's last and best lap so far (the fastest in bold),
    Creed and Kyle Sieg one lap down, and the cars missing from the
    order listed with the lap they were last seen ("seen L97"); the quotes panel says "No quotes yet."
    (timing feeds carry none)."""
    app = ReplayApp(Timeline(load_race(ROOT / "races" / "2023-xfinity-atlanta.yaml")), lap=139, transient=False)
    assert snap_compare(app, press=["right"], terminal_size=SIZE)
