"""The viewer's timed behaviour on a clock the test moves: playback ticks, banners sliding in and
timing out, the moved-row highlight fading. Nothing here waits for the wall clock."""

from __future__ import annotations

import pytest

from replay.core.engine import Timeline
from replay.racefile.loader import load_race
from replay.viewer.app import ReplayApp
from replay.viewer.screens.replay_view import MOVED_SECONDS, PAUSED_BANNER_SECONDS, SPEEDS
from tests.clock import HandClock
from tests.conftest import HOMESTEAD, ROOT, screen_text
from widgets import Leaderboard
from widgets.banner import SLIDE_FRAMES, SLIDE_SECONDS

SIZE = (120, 40)
ATLANTA = ROOT / "races" / "2023-xfinity-atlanta.yaml"


def app_on(path, lap: int = 0) -> tuple[ReplayApp, HandClock]:
    clock = HandClock()
    return ReplayApp(Timeline(load_race(path)), lap=lap, clock=clock), clock


async def test_playback_moves_one_lap_per_interval_and_pausing_stops_it():
    app, clock = app_on(HOMESTEAD, 10)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert screen.speed == 2 and SPEEDS[2] == 1.0
        await pilot.press("space")
        clock.advance(0.99)
        assert screen.lap == 10
        clock.advance(0.02)
        assert screen.lap == 11
        clock.advance(3.0)
        assert screen.lap == 14
        await pilot.press("space")  # pause
        clock.advance(10.0)
        assert screen.lap == 14 and not screen.playing
        await pilot.press("plus", "space")  # twice as fast, then play
        clock.advance(1.01)
        assert screen.lap == 16
        await pilot.press("minus")  # slower while playing: the faster ticks stop
        clock.advance(2.01)
        assert screen.lap == 18
        await pilot.pause()
        assert "Lap 18 / 134" in screen_text(app)


async def test_playback_stops_at_the_finish():
    app, clock = app_on(HOMESTEAD, 130)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        clock.advance(60.0)
        assert (app.screen.lap, app.screen.playing) == (134, False)
        assert [t for t in clock.running() if t.callback == app.screen.playback_tick] == []


async def test_a_banner_slides_in_then_leaves_after_its_time():
    app, clock = app_on(HOMESTEAD, 29)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right")
        banner = app.screen.banner
        assert banner.current.title == "END OF STAGE 1 · Corey Heim wins" and banner._shift == 1.0
        clock.advance(SLIDE_SECONDS * SLIDE_FRAMES)
        assert banner._shift == 0.0
        await pilot.pause()
        assert "END OF STAGE 1" in screen_text(app)
        clock.advance(PAUSED_BANNER_SECONDS - SLIDE_SECONDS * SLIDE_FRAMES - 0.01)
        assert banner.current is not None
        clock.advance(0.02)
        assert banner.current is None
        await pilot.pause()
        assert "END OF STAGE 1" not in screen_text(app)


async def test_while_playing_a_banner_stays_three_laps_at_most():
    app, clock = app_on(HOMESTEAD, 5)  # caution laps 1-6: the green flag at lap 7
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        clock.advance(2.0)
        banner = app.screen.banner
        assert (app.screen.lap, banner.current.title) == (7, "GREEN FLAG · restart")
        clock.advance(2.9)  # three laps of one second, less a little
        assert app.screen.lap == 9 and banner.current.title == "GREEN FLAG · restart"
        clock.advance(0.2)
        assert app.screen.lap == 10 and banner.current is None


@pytest.mark.parametrize("speed, compact", [(3, False), (4, True)])
async def test_at_fast_playback_banners_are_one_line_and_do_not_slide(speed, compact):
    app, clock = app_on(HOMESTEAD, 6)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*["plus"] * (speed - 2), "space")
        assert app.screen.speed == speed
        clock.advance(SPEEDS[speed])
        banner = app.screen.banner
        assert (app.screen.lap, banner.current.kind, banner.compact) == (7, "green", compact)
        assert banner._shift == (0.0 if compact else 1.0)


async def test_moved_rows_flash_and_fade_and_a_new_step_restarts_the_fade():
    app, clock = app_on(ATLANTA, 1)
    async with app.run_test(size=SIZE) as pilot:
        board = app.screen.query_one(Leaderboard)
        await pilot.press("right")
        first = board.moved
        assert first and first == {r.entry.key for r in board.state.leaderboard if r.change}
        clock.advance(MOVED_SECONDS - 0.2)
        assert board.moved == first
        await pilot.press("right")
        assert board.moved
        clock.advance(0.4)  # past the first step's fade: the second step's highlight stays
        assert board.moved
        clock.advance(MOVED_SECONDS)
        assert board.moved == frozenset()


@pytest.mark.parametrize("level", ["none", "basic"])
async def test_without_full_animations_a_banner_shows_at_once(level):
    """TEXTUAL_ANIMATIONS=none (or basic) still slid banners in: for its first frames a banner
    showed as a box cut at the screen's edge over the rows (a new user's trial)."""
    app, clock = app_on(HOMESTEAD, 29)
    app.animation_level = level
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right")
        banner = app.screen.banner
        assert banner.current.title == "END OF STAGE 1 · Corey Heim wins" and banner._shift == 0.0
        await pilot.pause()
        assert "END OF STAGE 1 · Corey Heim wins" in screen_text(app)


async def test_a_sliding_banner_is_cut_at_the_edge_without_an_ellipsis():
    """While it slides in, the banner's part past the screen's edge is not drawn yet: nothing is
    left out, so no line of it ends in an ellipsis."""
    from widgets import glyphs

    app, clock = app_on(HOMESTEAD, 29)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right")
        banner = app.screen.banner
        clock.advance(SLIDE_SECONDS * 3)
        assert 0.0 < banner._shift < 1.0
        lines = ["".join(text for text, _ in line) for line in banner.lines(80)]
        assert lines and not any(glyphs.GLYPHS.ellipsis in line for line in lines), lines
