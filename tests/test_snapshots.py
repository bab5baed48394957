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
    in places 1-5 (all reported), then one line "+10 others not named yet" (no fact known at the grid names
    them), the pre-race qualifying event, the first two of the three pre-race quotes (Weaver's whole,
    Larson's cut at the panel's foot), a grey scrubber with stage ticks 1, 2, 3, and the key footer."""
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
    """You should see the help dialog over the grid: every key with what it does (a, e, c and i among
    them), then the start of the legend explaining reported and carried positions (the dialog
    scrolls to the rest: estimated and unknown)."""
    assert snap_compare(homestead(0), press=["question_mark"], terminal_size=SIZE)


def test_race_picker(snap_compare):
    """You should see the race picker listing the bundled races with date, name, track, series, laps,
    length, entries and file name, and no winner or result anywhere; above the list "4 of 4 races: every season,
    every series, every track; by date, oldest first", and the keys y s t o b (esc greyed: no filter)."""
    assert snap_compare(ReplayApp(race_folders=[ROOT / "races"], transient=False), terminal_size=SIZE)


def test_small_terminal(snap_compare):
    """You should see lap 91 at 80x24: the header, the board without the team and known columns,
    the incident log beside it, the scrubber and footer all fitting without overlap."""
    assert snap_compare(homestead(91), terminal_size=(80, 24))


def test_complete_imported_race(snap_compare):
    """You should see lap 140 of the imported Atlanta Xfinity race under green: every car placed from the
    timing data at its latest lap by then, with places gained or lost, laps led so far (Hill 80), gaps only
    where the lap times agree with the scored order (others blank), each car's last and best lap so far
    (the fastest in bold), Creed and Kyle Sieg one lap down (their own lap 139), and the cars that have
    not crossed the line since, many laps down with the lap they were last seen ("seen L127") and, like
    the cars out, no Last (their last timed lap is long past); the quotes
    panel says "No quotes yet." (timing feeds carry none)."""
    app = ReplayApp(Timeline(load_race(ROOT / "races" / "2023-xfinity-atlanta.yaml")), lap=139, transient=False)
    assert snap_compare(app, press=["right"], terminal_size=SIZE)


def atlanta(lap: int) -> ReplayApp:
    return ReplayApp(Timeline(load_race(ROOT / "races" / "2023-xfinity-atlanta.yaml")), lap=lap, transient=False)


def test_statistics_of_a_complete_race(snap_compare):
    """You should see "Race statistics · Lap 100 / 163" over the Atlanta race: 13 lead changes and the
    eight leaders in the order they first led, 55 caution and 45 green laps, laps led split into green
    and caution (Hill 15 + 21), the biggest movers since the start (Perkins and Clements +13, Sammy
    Smith -20), then pit stops and best laps (Chandler Smith 30.910 on lap 99)."""
    assert snap_compare(atlanta(100), press=["i"], terminal_size=SIZE)


def test_statistics_of_a_sparse_race(snap_compare):
    """You should see "Race statistics · Lap 100 / 134" over Homestead: lead changes 3+, the four
    drivers reported in the lead, 18 caution and 82 green laps marked estimated, and laps led, movers,
    pit stops and best laps each said to be unknown (never zero), loop data kept for the finish."""
    assert snap_compare(homestead(100), press=["i"], terminal_size=SIZE)


def test_lap_chart_of_a_complete_race(snap_compare):
    """You should see "Lap chart · Positions · Lap 100 / 163" for Atlanta's top five at lap 100 (Hill,
    Nemechek, Kligerman, Moffitt, Chandler Smith), a letter each, caution laps shaded and marked on
    the axis, the current lap's line and marker at 100, and nothing drawn right of it; the legend below."""
    assert snap_compare(atlanta(100), press=["c"], terminal_size=SIZE)


def test_lap_chart_of_a_sparse_race(snap_compare):
    """You should see Homestead's lap chart at lap 100: the three drivers placed now (Heim P1, Chastain
    P2, Larson P22), reported positions as letters, carried ones as dim dots, estimated ones in lower
    case, gaps where nothing is known, and nothing right of lap 100."""
    assert snap_compare(homestead(100), press=["c"], terminal_size=SIZE)


def test_pit_stops_of_a_complete_race(snap_compare):
    """You should see "Pit stops · Lap 125 / 163" over Atlanta: 139 stops by 34 cars so far, newest first,
    each with its lap, car, service, seconds on pit road and stopped, its places in the running order
    as it came in and after its out-lap, places gained or lost and whether under caution (Gaulding at
    L120: four tires, P5 to P26, -21; not the feed's pit-road ranks, P1 to P26)."""
    assert snap_compare(atlanta(125), press=["o"], terminal_size=SIZE)


def test_pit_stops_of_a_sparse_race(snap_compare):
    """You should see Homestead's pit stops at lap 100: the three stops the reports tell of, with the
    reports' words, a line saying how many stops there were is unknown (no complete pit-stop record)
    and one saying times, service and places are unknown (the sources do not give them)."""
    assert snap_compare(homestead(100), press=["o"], terminal_size=SIZE)
