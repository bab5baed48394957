"""Issue 22 §6: the rough edges a new user hit, each checked as the user met it."""

from __future__ import annotations

import pytest
from rich.style import Style

from replay.core.engine import Timeline
from replay.racefile.loader import load_race
from replay.viewer.app import ReplayApp
from replay.viewer.screens import ReplayScreen
from tests.conftest import MINIMAL, ROOT, screen_text
from widgets import KeyBar

ATLANTA = ROOT / "races" / "2023-xfinity-atlanta.yaml"
HOMESTEAD = ROOT / "races" / "2025-trucks-homestead.yaml"
SIZE = (120, 40)


def app_at(path, lap: int, **kwargs) -> ReplayApp:
    return ReplayApp(Timeline(load_race(path)), lap=lap, transient=False, **kwargs)


def key_bar(app) -> str:
    return app.screen.query_one(KeyBar).render_line(0).text


@pytest.mark.parametrize("key", ["question_mark", "s", "i", "o"])
async def test_a_dialog_shows_its_own_keys_and_arrows_step_the_race(key):
    """The race's key bar showed under a dialog, ← → did nothing and q closed the dialog."""
    app = app_at(HOMESTEAD, 40)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        assert not isinstance(app.screen, ReplayScreen)
        bar = key_bar(app)
        assert "Close" in bar and "Lap +1" in bar and "Quit" in bar and "Play" not in bar
        await pilot.press("right")
        assert isinstance(app.screen, ReplayScreen) and app.screen.lap == 41
        await pilot.press(key, "left")
        assert isinstance(app.screen, ReplayScreen) and app.screen.lap == 40


async def test_q_in_a_dialog_quits():
    app = app_at(HOMESTEAD, 40)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark", "q")
        await pilot.pause()
        assert app.return_code == 0, "q quits"


async def test_the_incident_log_answers_up_down_and_enter_without_tab():
    """↑ ↓ Enter did nothing to the log until Tab gave it the focus, and nothing said so."""
    from widgets import EventDetail, EventLog

    app = app_at(HOMESTEAD, 100)
    async with app.run_test(size=SIZE) as pilot:
        log, detail = app.screen.query_one(EventLog), app.screen.query_one(EventDetail)
        await pilot.press("down")
        assert detail.event is log.events[1]
        await pilot.press("up", "down", "down")
        assert detail.event is log.events[2]
        chosen = log.events[2]
        await pilot.press("enter")
        assert chosen.lap is not None and app.screen.lap == chosen.lap


@pytest.mark.parametrize("stage_ends, says", [
    ("stage_ends: [3, 6, 10]\n  estimated: {stage_ends: From notes.}", "estimated"),
    ("stage_ends: [~, ~, 10]", "No source gives"),
])
async def test_next_stage_says_why_it_does_nothing_while_stage_ends_are_unknown(write_race, stage_ends, says):
    app = app_at(write_race(base=MINIMAL.replace("stage_ends: [3, 6, 10]", stage_ends)), 0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.screen.lap == 0
        assert any(says in n.message for n in app._notifications)


async def test_previous_stage_at_the_grid_says_there_is_none():
    app = app_at(HOMESTEAD, 10)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert app.screen.lap == 10 and any("before lap 10" in n.message for n in app._notifications)
        await pilot.press("right_square_bracket")
        assert app.screen.lap == 30


async def test_the_picker_shows_races_at_40x12():
    """The heading wrapped over every row the list had: no race showed."""
    from replay.racefile.catalog import Catalog
    from replay.viewer.screens import PickerScreen
    app = ReplayApp(race_folders=[ROOT / "races"], transient=False)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen) and isinstance(app.screen.catalog, Catalog)
        text = screen_text(app)
        assert sum(name in text for name in ("Homestead", "Atlanta", "Baptist", "Charlotte", "RAPTOR")) >= 2, text


async def test_the_archive_steps_only_through_the_seasons_the_feed_serves_and_q_quits():
    """The season ran from 1925 to 2035, each step a request; q did nothing."""
    from replay.viewer.screens.archive import FIRST_SEASON, ArchiveScreen, this_year

    app = app_at(HOMESTEAD, 0)
    async with app.run_test(size=SIZE) as pilot:
        screen = ArchiveScreen(season=FIRST_SEASON + 1)
        await app.push_screen(screen)
        await pilot.press("left", "left", "left")
        assert screen.season == FIRST_SEASON
        assert not key_bar_keys(app)["Season -1"] and key_bar_keys(app)["Season +1"]
        screen.season = this_year()
        await pilot.pause()
        await pilot.press("right")
        assert screen.season == this_year()
        assert ArchiveScreen(season=1925).season == FIRST_SEASON and ArchiveScreen(season=2035).season == this_year()
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0


def key_bar_keys(app) -> dict[str, bool]:
    keys, _ = app.screen.query_one(KeyBar).keys
    return {key.description: key.enabled for key in keys}


async def test_crash_spin_and_contact_differ_without_colour(monkeypatch):
    """Under NO_COLOR the three were drawn alike (one colour, dropped)."""
    from widgets import EventLog

    monkeypatch.setenv("NO_COLOR", "1")
    app = app_at(HOMESTEAD, 0)
    async with app.run_test(size=SIZE):
        assert app.no_color
        palette = app.screen.query_one(EventLog).palette
        shapes = {kind: palette[kind].without_color for kind in ("crash", "spin", "contact")}
        assert len(set(shapes.values())) == 3 and all(shape != Style() for shape in shapes.values())


@pytest.mark.parametrize("width, shown", [(160, True), (120, False)])
async def test_a_wide_key_bar_shows_the_commentators_keys(width, shown):
    app = app_at(ATLANTA, 50)
    async with app.run_test(size=(width, 40)) as pilot:
        bar = key_bar(app)
        assert all(f" {key} " in bar for key in "cioaelks") is shown, bar
        assert "Play" in bar and "Quit" in bar and "^p palette" in bar
        if shown:
            start = bar.index("← →")
            await pilot.click(KeyBar, offset=(start + 2, 0))
            assert app.screen.lap == 51
            await pilot.click(KeyBar, offset=(start, 0))
            assert app.screen.lap == 50


async def test_the_team_column_shows_teams_and_makes_have_their_own(write_race):
    """The Team column showed "TRICON Garage Toyota" or, in races that give only makes, "Chevrolet"."""
    from widgets import Leaderboard
    from widgets.leaderboard import columns_for

    teams = MINIMAL.replace("driver: Seven Oh,", "driver: Seven Oh, team: TRICON Garage,")
    app = app_at(write_race(base=teams), 1)
    async with app.run_test(size=(160, 40)):
        board = app.screen.query_one(Leaderboard)
        titles = [c.title for c in columns_for(board.size.width, board.timed, board.teams, board.makes)]
        assert "Team" in titles and "Make" not in titles  # the race gives teams, no makes
        text = "\n".join(board.render_line(y).text for y in range(board.size.height))
        assert "TRICON Garage" in text and "Toyota" not in text
    assert "Team" not in [c.title for c in columns_for(100, False, False, True)]
    assert "Make" in [c.title for c in columns_for(100, False, False, True)]
    both = {c.title: c.width for c in columns_for(120, False, True, True)}
    assert both["Make"] == 10 and both["Team"] >= 12


async def test_statuses_and_track_names_are_not_cut_at_120_columns():
    """`out (did…` and `Charlotte Motor Spe…` at 120 columns."""
    from widgets import Leaderboard, RaceHeader
    from widgets.leaderboard import fit_status

    app = app_at(ROOT / "races" / "2025-trucks-charlotte-roval.yaml", 70)
    async with app.run_test(size=(120, 40)) as pilot:
        title = app.screen.query_one(RaceHeader).render_line(0).text
        assert "Charlotte Motor Speedway ROVAL" in title and "…" not in title
        board = app.screen.query_one(Leaderboard)
        board.scroll_to(y=board.max_scroll_y, animate=False, immediate=True)
        await pilot.pause()
        text = screen_text(app)
        assert "out (acc.)" in text and "out (DNS)" in text and "out (did…" not in text  # once cut to nine cells
    assert fit_status("out (accident)", 10).strip() == "out (acc.)"
    assert fit_status("out (did not start)", 9).strip() == "out (DNS)"
    assert fit_status("disqualified (after the race)", 9).strip() == "DQ (post)"


async def test_a_banner_stepped_into_while_paused_leaves_p2_to_p4_within_two_seconds():
    """It stayed 4 s after sliding in: 5-7 s over P2-P4 for a fan reading the board, paused."""
    from tests.clock import HandClock

    clock = HandClock()
    app = ReplayApp(Timeline(load_race(HOMESTEAD)), lap=29, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right")
        screen = app.screen
        assert screen.banner.current is not None and not screen.playing
        clock.advance(2.05)
        await pilot.pause()
        assert screen.banner.current is None
