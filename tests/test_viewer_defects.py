"""The viewer's behaviour where new users found defects: banners over the leader, cut details,
jumps onto the finish, playback under dialogs, scrolled boards, results at the finish, quotes."""

from __future__ import annotations

import dataclasses

import pytest

from replay.core.engine import Timeline
from replay.racefile.loader import load_race
from replay.viewer.app import ReplayApp
from replay.viewer.screens import GoToLap, ReplayScreen
from tests.conftest import MINIMAL, ROOT, screen_text
from tests.test_app import SIZE, homestead_app
from widgets import EventLog, Leaderboard, RaceHeader

ATLANTA = ROOT / "races" / "2023-xfinity-atlanta.yaml"


async def test_banners_never_hide_the_leader_and_shorten_at_full_speed():
    """At full speed the stage and flag banners once covered the top rows: the leader was out of
    view in about one frame in five."""
    app = ReplayApp(Timeline(load_race(ATLANTA)), lap=0, transient=False)
    async with app.run_test(size=SIZE) as pilot:
        screen, board = app.screen, app.screen.query_one(Leaderboard)
        await pilot.press(*["plus"] * 5, "space")  # 10 laps a second
        screen._timer.pause()  # ticks are driven by hand below
        bannered = 0
        for _ in range(screen.timeline.final_lap - 1):
            screen.playback_tick()
            await pilot.pause()
            leader = screen.timeline.state_at(screen.lap).leader
            assert leader is not None and leader.entry.driver in board.render_line(1).text, screen.lap
            if screen.banner.current is not None:
                bannered += 1
                assert len(screen.banner.lines(80)) == 1, "one line at full speed"
        assert bannered > 10
        assert "Leader #" in screen.query_one(RaceHeader).render_line(0).text


async def test_a_banner_stepped_into_is_drawn_in_full_below_the_leader():
    app = homestead_app(29)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right")
        board = app.screen.query_one(Leaderboard)
        assert "Corey Heim" in board.render_line(1).text and "┏" in board.render_line(2).text
        assert len(app.screen.banner.lines(80)) > 3


async def test_event_detail_marks_what_it_cuts_and_d_shows_the_event_in_full():
    """The detail was cut without an ellipsis ("... driver's door. Both")."""
    from replay.viewer.screens import EventScreen
    from widgets import EventDetail

    app = homestead_app(91)
    async with app.run_test(size=(80, 24)) as pilot:
        detail = app.screen.query_one(EventDetail)
        last = detail.render_line(detail.content_region.height - 1).text
        assert last.rstrip().endswith("… d: all of it") and "… …" not in last
        await pilot.press("d")
        assert isinstance(app.screen, EventScreen)
        text = screen_text(app)
        assert "gets loose" in text and "No damage." in text and "Sources: report, engle" in text


async def test_next_event_or_stage_never_lands_on_the_finish(write_race):
    """In a race whose events all sit in windows ending at the finish, n at the grid once showed
    the checkered flag and the winner. With no event before the finish it goes to the lap before
    it, as an event there would (issue 19: a refusal told that the last laps were clean)."""
    race = write_race("""\
        events:
          - {lap: [1, 10], kind: note, text: Something somewhere in the race., sources: [s1]}
        """, base=MINIMAL.replace("stage_ends: [3, 6, 10]", "stage_ends: [~, ~, 10]"))
    app = ReplayApp(Timeline(load_race(race)), lap=0, transient=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        final = app.screen.timeline.final_lap
        assert app.screen.lap == final - 1 and "CHECKERED" not in screen_text(app)
        await pilot.press("n")
        assert app.screen.lap == final - 1
        await pilot.press("home", "right_square_bracket")
        assert app.screen.lap == 0
        await pilot.press("end")
        assert app.screen.lap == app.screen.timeline.final_lap


async def test_playback_pauses_while_a_dialog_is_open():
    app = homestead_app(10)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        assert app.screen.playing
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, GoToLap)
        await pilot.press("escape")
        assert isinstance(app.screen, ReplayScreen) and not app.screen.playing


async def test_following_a_car_far_down_keeps_the_titles_and_the_leader_in_view():
    app = ReplayApp(Timeline(load_race(ATLANTA)), lap=120, transient=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        car = next(r.entry.key for r in screen.timeline.state_at(120).leaderboard if r.pos == 26)
        screen.toggle_follow(car)
        await pilot.pause()
        board = screen.query_one(Leaderboard)
        lines = [board.render_line(y).text for y in range(board.size.height)]
        assert board.scroll_y > 0 and lines[0].split()[:2] == ["Pos", "Car"]
        assert lines[1].split()[0] == "1" and any(line.split()[:1] == ["26"] for line in lines[2:])


async def test_incident_log_columns_line_up_with_long_labels_and_kinds():
    """'~L1–134 contact' and 'post disqualification' once pushed their rows' text out of line."""
    app = ReplayApp(Timeline(load_race(ROOT / "races" / "2023-trucks-homestead.yaml")), lap=134, transient=False)
    async with app.run_test(size=(160, 40)):
        log = app.screen.query_one(EventLog)
        rows = [log.render_row(i, 70) for i in range(len(log.events))]
    starts = {len(row[0][0]) + len(row[1][0]) for row in rows}
    assert len(starts) == 1 and any("disqualification" in row[1][0] for row in rows)


async def test_results_open_only_at_the_finish_with_loop_data_and_the_official_order():
    from replay.viewer.screens.results import ResultsScreen

    app = ReplayApp(Timeline(load_race(ATLANTA)), lap=162, transient=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        assert isinstance(app.screen, ReplayScreen), "no results before the finish"
        await pilot.press("right", "r")
        assert isinstance(app.screen, ResultsScreen)
        await pilot.pause()
        text = screen_text(app)
        labels = [str(label.render()) for label in app.screen.query("Label")]
    assert "Results · RAPTOR King of Tough 250" in text and "Official result" in text
    assert "Loop data (the timing feed's whole-race statistics)" in labels


def test_a_car_disqualified_after_the_race_says_so_on_the_board_at_the_finish():
    timeline = Timeline(load_race(ROOT / "races" / "2023-trucks-homestead.yaml"))
    final = timeline.state_at(timeline.final_lap)
    smith = next(row for row in final.leaderboard if row.entry.driver == "Zane Smith")
    assert (smith.status, smith.detail) == ("disqualified", "after the race")
    assert all(row.status != "disqualified" for row in timeline.state_at(timeline.final_lap - 1).leaderboard)


async def test_a_race_without_quotes_does_not_promise_them_at_the_finish():
    from widgets import QuotesPanel

    race = dataclasses.replace(load_race(ROOT / "races" / "2025-trucks-charlotte-roval.yaml"), quotes=())
    app = ReplayApp(Timeline(race), lap=0, transient=False)
    async with app.run_test(size=SIZE) as pilot:
        quotes = app.screen.query_one(QuotesPanel)
        assert "No quotes yet." in quotes.render_line(0).text
        await pilot.press("end")
        await pilot.pause()
        assert "No quotes in this race's sources." in quotes.render_line(0).text


@pytest.mark.parametrize("size, expected", [((80, 24), "P. Kligerman"), ((250, 70), "+152 laps")])
async def test_the_board_keeps_names_recognisable_when_narrow_and_gaps_whole_when_wide(size, expected):
    """At 80x24 names read "Parker …"; at 250x70 a gap read "+152 la…"."""
    app = ReplayApp(Timeline(load_race(ATLANTA)), lap=163, transient=False)
    async with app.run_test(size=size) as pilot:
        await pilot.press("f5")  # sends the checkered banner away
        board = app.screen.query_one(Leaderboard)
        board.scroll_to(y=board.max_scroll_y, animate=False, immediate=True)
        await pilot.pause()
        text = "\n".join(board.render_line(y).text for y in range(board.size.height))
        board.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        text += "\n".join(board.render_line(y).text for y in range(board.size.height))
    assert expected in text and "la…" not in text


IN_RACE_QUOTE = """\
    quotes:
      - {speaker: Seven, text: We have a vibration., source: s1, when: race, lap: 5}
    """


async def test_an_in_race_quote_appears_at_its_lap_not_one_before(write_race):
    """No bundled race has an in-race quote: a quote shown a lap early passed every test."""
    from replay.export.json_contract import to_json
    from widgets import QuotesPanel

    timeline = Timeline(load_race(write_race(IN_RACE_QUOTE)))
    assert [len(timeline.state_at(lap).quotes) for lap in (4, 5, 6)] == [0, 1, 1]
    assert [len(to_json(timeline.state_at(lap))["quotes"]) for lap in (4, 5)] == [0, 1]
    app = ReplayApp(timeline, lap=4, transient=False)
    async with app.run_test(size=SIZE) as pilot:
        panel = app.screen.query_one(QuotesPanel)
        assert "vibration" not in " ".join(panel.render_line(y).text for y in range(6))
        await pilot.press("right")
        await pilot.pause()
        assert "vibration" in " ".join(panel.render_line(y).text for y in range(6))


async def test_a_resize_shows_the_top_again_when_the_followed_car_fits():
    app = ReplayApp(Timeline(load_race(ATLANTA)), lap=120, transient=False)
    async with app.run_test(size=(100, 20)) as pilot:
        car = next(r.entry.key for r in app.screen.timeline.state_at(120).leaderboard if r.pos == 26)
        app.screen.toggle_follow(car)
        await pilot.pause()
        board = app.screen.query_one(Leaderboard)
        assert board.scroll_y > 0
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert board.scroll_y == 0


async def test_the_results_mark_an_estimated_length_as_the_header_does(write_race):
    """A race whose length no source gives (as 2023 Homestead's was): estimated, and says so in both."""
    from replay.viewer.screens.results import ResultsScreen

    race = write_race(base=MINIMAL.replace("  laps: 10\n", "  laps: 10\n  estimated: {laps: No source gives it.}\n"))
    app = ReplayApp(Timeline(load_race(race)), lap=10, transient=False)
    async with app.run_test(size=SIZE) as pilot:
        header = screen_text(app)
        await pilot.press("r")
        assert isinstance(app.screen, ResultsScreen)
        await pilot.pause()
        text = screen_text(app)
    assert "Lap 10 / 10 (est.)" in header and "Laps: 10 (est.)" in text
