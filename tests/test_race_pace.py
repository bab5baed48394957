"""Issue 22 §4: playback at the race's own pace (--real-time [--speed X], t), in step with a broadcast:
a sync mark (m), nudges of 10/30/60 s, the offset shown, and never a lap after the moment chosen."""

from __future__ import annotations

import subprocess
import sys

import pytest

from replay.core.engine import Timeline
from replay.core.race_pace import RacePace
from replay.racefile.loader import load_race
from replay.viewer.app import ReplayApp
from tests.clock import HandClock
from tests.conftest import HOMESTEAD, ROOT
from widgets import RaceHeader

ATLANTA = ROOT / "races" / "2023-xfinity-atlanta.yaml"
SIZE = (120, 40)


def leader_time(timeline: Timeline, lap: int) -> float:
    return timeline.positions.timed()[lap][timeline.positions.leader(lap)]


def test_the_race_time_of_each_lap_sums_the_leaders_lap_times_and_no_lap_shows_early():
    timeline = Timeline(load_race(ATLANTA))
    positions = timeline.positions
    pace = RacePace([positions.leader(lap) for lap in range(timeline.final_lap + 1)], positions.timed())
    assert pace.available and pace.time_of(0) == 0.0
    assert pace.time_of(3) == pytest.approx(sum(leader_time(timeline, lap) for lap in (1, 2, 3)))
    assert pace.lap_at(pace.time_of(50)) == 50 and pace.lap_at(pace.time_of(50) - 0.001) == 49
    assert not RacePace([None, None], [{}, {}]).available


def pace_app(lap: int, clock: HandClock, speed: float = 1.0, path=ATLANTA) -> ReplayApp:
    return ReplayApp(Timeline(load_race(path)), lap=lap, transient=False, clock=clock, pace=speed)


@pytest.mark.parametrize("speed", [1.0, 4.0])
async def test_each_lap_shows_as_long_after_the_last_as_the_leader_took_and_speed_scales_it(speed):
    clock = HandClock()
    app = pace_app(40, clock, speed)
    async with app.run_test(size=SIZE):
        screen, timeline = app.screen, app.screen.timeline
        assert screen.race_pace and screen.playing
        due = 0.0
        for lap in (41, 42, 43):  # caution laps among them (longer)
            due += leader_time(timeline, lap) / speed
            clock.advance(due - 0.01 - clock.now)
            assert screen.lap == lap - 1
            clock.advance(0.02)
            assert screen.lap == lap
        assert f"race pace ×{speed:g}" in screen.query_one(RaceHeader).playback


async def test_a_hundred_laps_at_race_pace_end_on_time_without_drift():
    clock = HandClock()
    app = pace_app(10, clock, 16.0)
    async with app.run_test(size=SIZE):
        screen = app.screen
        due = (screen.pacer.pace.time_of(110) - screen.pacer.pace.time_of(10)) / 16.0
        clock.advance(due - 0.001)
        assert screen.lap == 109
        clock.advance(0.002)
        assert screen.lap == 110


async def test_sync_marks_the_lap_and_nudges_move_the_moment_never_past_it():
    clock = HandClock()
    app = ReplayApp(Timeline(load_race(ATLANTA)), lap=60, transient=False, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("full_stop")
        assert screen.lap == 60 and not screen.race_pace  # a nudge needs race pace
        await pilot.press("m")  # lap 60 is on the broadcast now
        assert screen.race_pace and screen.playing and screen.lap == 60
        assert "sync +0 s" in screen.query_one(RaceHeader).playback
        start = screen.pacer.pace.time_of(60)
        await pilot.press("greater_than_sign")  # the broadcast is 30 s further on
        assert screen.lap == screen.pacer.pace.lap_at(start + 30) and "sync +30 s" in screen.query_one(RaceHeader).playback
        await pilot.press("left_curly_bracket", "comma")  # 60 s and 10 s back: 40 s before the mark
        assert screen.lap == screen.pacer.pace.lap_at(start - 40) < 60
        assert "sync -40 s" in screen.query_one(RaceHeader).playback
        clock.advance(screen.pacer.pace.time_of(screen.lap + 1) - (start - 40) - 0.01)
        assert screen.lap == screen.pacer.pace.lap_at(start - 40)  # not a moment early
        clock.advance(0.02)
        assert screen.lap == screen.pacer.pace.lap_at(start - 40) + 1
        await pilot.press("space")  # pause: the moment stays
        held = screen.lap
        clock.advance(600)
        assert screen.lap == held
        await pilot.press("t")  # back to laps
        assert not screen.race_pace


async def test_a_race_without_lap_times_says_race_pace_is_not_available_and_plays_by_laps():
    clock = HandClock()
    app = pace_app(0, clock, path=HOMESTEAD)
    async with app.run_test(size=SIZE):
        screen = app.screen
        assert not screen.race_pace and screen.playing
        assert any("race pace is not available" in n.message for n in app._notifications)


@pytest.mark.parametrize("args, says", [(["--speed", "2"], "give --real-time"),
                                        (["--real-time", "--speed", "20"], "outside 0.5 to 16")])
def test_the_command_line_says_what_is_wrong_with_the_speed(args, says):
    done = subprocess.run([sys.executable, "-m", "replay", str(ATLANTA), *args], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0 and says in done.stderr and "Traceback" not in done.stderr


async def test_any_speed_given_steps_to_the_next_and_laps_already_due_come_at_once():
    """--speed 3 once crashed the speed keys (3 is none of the steps); a lap already due (a nudge on)
    set a Textual timer of 0 s, which divides by its interval."""
    clock = HandClock()
    app = pace_app(40, clock, 3.0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus")
        assert app.screen.pacer.speed == 4.0
        await pilot.press("minus", "minus")
        assert app.screen.pacer.speed == 1.0  # 4, 2, 1
    app = ReplayApp(Timeline(load_race(ATLANTA)), lap=40, transient=False, pace=16.0)  # Textual's own timers
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        for _ in range(100):  # real timers: a loaded machine may take a while
            if app.screen.lap > 40:
                break
            await pilot.pause(0.05)
        assert app.is_running and app.screen.lap > 40
