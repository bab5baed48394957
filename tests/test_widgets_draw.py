"""Widgets only draw (issue 21 §4): the state carries what is known at its lap (the flags, stage
ends and incidents so far, the race's length as known then, the quotes revealed and which of them
at this very lap, each car's status as a value), and the scrubber, quotes panel, board and header
draw what they are given. Their words come from core/labels.py, so the viewer and the exports agree.
(That a race cut at lap N + 1 gives the same at N: tests/test_cut_at_lap.py, which compares these too.)
"""

from __future__ import annotations

import ast
from dataclasses import replace

import pytest

from replay.cli import main
from replay.core.engine import Timeline
from replay.core.labels import flag_label, laps_to_go_label, status_detail, status_label
from replay.core.model import Event, Quote
from replay.core.status import CarStatus, StatusKind
from replay.racefile.bundled import bundled_races_dir, race_files
from replay.racefile.loader import load_race
from replay.viewer.app import ReplayApp
from tests.conftest import HOMESTEAD, ROOT, cells, screen_text
from tests.spoilers import after
from widgets import Leaderboard, QuotesPanel, RaceHeader, Scrubber, glyphs
from widgets.quotes import NEW_SPEAKER, SPEAKER

RACES = {path.stem: load_race(path) for path in race_files(bundled_races_dir())}
KNOWN = ("flags_so_far", "stage_ends", "incident_laps", "span", "quotes", "new_quotes")
SIZE = (120, 40)


def laps_of(timeline: Timeline) -> list[int]:
    """The grid, the first lap, around the first stage end, halfway, the last two laps and the finish."""
    final = timeline.final_lap
    ends = [end for end in timeline.race.info.stage_ends[:1] if end is not None]
    return sorted({0, 1, final // 2, final - 1, final, *ends, *(end - 1 for end in ends)})


@pytest.mark.parametrize("name", sorted(RACES))
def test_the_state_carries_only_what_is_known_at_its_lap(name):
    """What the scrubber and the quotes panel draw is the same at lap N for the race changed in
    everything known only after N (tests/spoilers.py), and the flags are those of laps 0 to N."""
    timeline = Timeline(RACES[name])
    for lap in laps_of(timeline)[:-1]:  # the finish is the one lap where everything is known
        state, changed = timeline.state_at(lap), Timeline(after(RACES[name], lap)).state_at(lap)
        assert state.flags_so_far == timeline.flags[: lap + 1], lap
        for field in KNOWN:
            assert getattr(state, field) == getattr(changed, field), (lap, field)


@pytest.mark.parametrize("name", sorted(RACES))
def test_the_quotes_new_at_a_lap_are_those_the_lap_before_did_not_have(name):
    timeline = Timeline(RACES[name])
    before: tuple[Quote, ...] = ()
    for lap in range(timeline.final_lap + 1):
        state = timeline.state_at(lap)
        assert state.quotes[: len(before)] == before, lap  # revealed quotes stay, in order
        assert state.new_quotes == len(state.quotes) - len(before), lap
        before = state.quotes
    assert any(q.when == "post-race" for q in before[len(before) - state.new_quotes:]) == any(
        q.when == "post-race" for q in RACES[name].quotes)


def test_incident_laps_are_those_of_the_events_so_far():
    timeline = Timeline(RACES["2025-trucks-homestead"])
    state = timeline.state_at(92)
    laps = {e.lap for e in timeline.all_events() if e.lap is not None and e.kind != "stage_end" and e.lap <= 92}
    assert state.incident_laps == tuple(sorted(laps)) and 92 in laps


def test_a_status_is_a_value_and_its_words_are_made_once():
    lost, out = CarStatus(StatusKind.UNKNOWN, last_seen=97), CarStatus(StatusKind.OUT, "accident", since=84)
    assert (status_label(lost), status_detail(lost)) == ("seen L97", "last lap 97")
    assert (status_label(out), status_detail(out)) == ("out (accident)", "accident")
    assert status_label(CarStatus(StatusKind.UNKNOWN)) == "unknown" and status_detail(CarStatus(StatusKind.PIT)) is None
    # the engine's: a car the timing data lost is known by value, not by its words
    timeline = Timeline(RACES["2023-xfinity-atlanta"])
    states = [timeline.state_at(lap) for lap in range(0, timeline.final_lap + 1, 10)]
    lost_cars = [r for state in states for r in (*state.leaderboard, *state.unplaced) if r.car_status.last_seen is not None]
    assert lost_cars and all(r.status == "unknown" and r.detail == f"last lap {r.car_status.last_seen}" for r in lost_cars)


def homestead_app(lap: int) -> ReplayApp:
    return ReplayApp(Timeline(load_race(HOMESTEAD)), lap=lap, transient=False)


async def test_the_scrubber_draws_the_flags_stage_ends_and_incidents_it_is_given():
    """Given made-up flags (red from lap 30), stage ends (20, 40) and one incident (lap 45) at lap 60,
    the scrubber draws those and none of the race's own cautions, stage ends or incidents."""
    app = homestead_app(60)
    async with app.run_test(size=SIZE) as pilot:
        scrubber = app.screen.query_one(Scrubber)
        state = app.screen.timeline.state_at(60)
        given = replace(state, flags_so_far=("green",) * 30 + ("red",) * 31,
                        events=(Event(45, "crash", (), "made up"),), info=replace(state.info, stage_ends=(20, 40, 134)))
        scrubber.show(given)
        await pilot.pause()
        bar, marks = cells(scrubber.render_line(0)), cells(scrubber.render_line(1))
        red, green = scrubber.palette["scrubber--red"], scrubber.palette["scrubber--green"]
        cursor = scrubber.cell_of(60)
        styles = [style for _, style in bar[:cursor]]
        red_from = scrubber.cell_of(30)  # the cell before it may hold lap 30 too
        assert set(styles[: red_from - 1]) == {green} and set(styles[red_from:]) == {red}
        drawn = {x: text for x, (text, _) in enumerate(marks) if text.strip()}
        assert drawn == {scrubber.cell_of(20): "1", scrubber.cell_of(40): "2", scrubber.cell_of(45): glyphs.GLYPHS.incident,
                         scrubber.cell_of(134): "3"}


async def test_a_short_race_on_a_wide_bar_shows_no_flag_of_the_next_lap(write_race):
    """A 10-lap race on a 118-cell bar: cells that hold no lap of their own once took the flag of
    the lap after theirs, so at lap 1 a caution at lap 2 showed left of the cursor."""
    path = write_race("""\
        flags:
          - {flag: caution, from: 2, to: 3, sources: [s1]}
        """)
    app = ReplayApp(Timeline(load_race(path)), lap=1, transient=False)
    async with app.run_test(size=SIZE) as pilot:
        scrubber = app.screen.query_one(Scrubber)
        await pilot.pause()
        cursor = scrubber.cell_of(1)
        assert {style for _, style in cells(scrubber.render_line(0))[:cursor]} == {scrubber.palette["scrubber--green"]}
        app.screen.go_to(4)
        await pilot.pause()
        bar = cells(scrubber.render_line(0))
        assert bar[scrubber.cell_of(2)][1] == scrubber.palette["scrubber--yellow"]  # drawn once it is known


async def test_the_quotes_panel_highlights_the_quotes_the_state_says_are_new():
    """Three quotes said at this very lap: the panel highlights as many as the state says are new
    (it no longer decides from the quotes' laps), and says what an empty list means."""
    app = homestead_app(60)
    async with app.run_test(size=SIZE) as pilot:
        panel = app.screen.query_one(QuotesPanel)
        state = app.screen.timeline.state_at(60)
        quotes = tuple(Quote(f"Speaker {i}", f"Quote {i}", "s1", "race", 60) for i in range(3))

        def speakers(new: int) -> list:
            panel.show(replace(state, quotes=quotes, new_quotes=new))
            return [panel.render_row(row, 40)[0] for row in (0, 3, 6)]  # a speaker line, the quote, a blank

        assert speakers(1) == [(" Speaker 2", NEW_SPEAKER), (" Speaker 1", SPEAKER), (" Speaker 0", SPEAKER)]
        assert speakers(0) == [(" Speaker 2", SPEAKER), (" Speaker 1", SPEAKER), (" Speaker 0", SPEAKER)]
        panel.show(replace(state, quotes=(), new_quotes=0))
        await pilot.pause()
        assert panel.render_row(0, 40)[0][0] == " No quotes yet."


async def test_the_board_draws_a_status_from_its_value():
    app = homestead_app(60)
    async with app.run_test(size=SIZE) as pilot:
        board = app.screen.query_one(Leaderboard)
        state = app.screen.timeline.state_at(60)
        first, second, *rest = state.leaderboard
        board.show(replace(state, leaderboard=(
            first, replace(second, car_status=CarStatus(StatusKind.UNKNOWN, last_seen=57)), *rest)))
        await pilot.pause()
        line = "".join(text for text, _ in board.render_row(2, 118))
        assert "seen L57" in line and second.entry.driver in line
        assert board.render_row(2, 118)[-2][1] == board.render_row(3, 118)[-2][1]  # not styled as out or pit
        board.show(replace(state, leaderboard=(
            first, replace(second, car_status=CarStatus(StatusKind.OUT, "engine", since=58)), *rest)))
        await pilot.pause()
        assert "out (engine)" in "".join(text for text, _ in board.render_row(2, 118))


async def test_the_grid_reads_grid_in_the_viewer_and_in_every_export(capsys):
    """``export --lap 0`` once said GREEN where the viewer says GRID; both now take the word from
    core/labels.py, and neither counts laps to go before the start."""
    state = Timeline(load_race(HOMESTEAD)).state_at(0)
    assert (flag_label(state), laps_to_go_label(state)) == ("GRID", None)
    assert main(["export", str(HOMESTEAD), "--lap", "0"]) == 0
    heading = capsys.readouterr().out.splitlines()[1]
    assert heading.startswith("Lap 0 / 134 · GRID · Stage 1/3"), heading
    assert main(["export", str(HOMESTEAD), "--lap", "0", "--format", "md"]) == 0
    markdown = capsys.readouterr().out
    assert "**Lap 0 / 134** · GRID · Stage 1/3" in markdown and "GREEN" not in markdown
    app = homestead_app(0)
    async with app.run_test(size=SIZE):
        header = app.screen.query_one(RaceHeader)
        assert " GRID   Lap 0 / 134  · " in screen_text(app) and header.state is not None
        assert "to go" not in screen_text(app).splitlines()[1]


def test_widgets_import_neither_the_engine_nor_the_race_nor_its_timeline():
    for path in sorted((ROOT / "widgets").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = {alias.name for alias in node.names}
                assert node.module != "replay.core.engine" and not names & {"Race", "Timeline"}, path.name
            elif isinstance(node, ast.Import):
                assert all(alias.name != "replay.core.engine" for alias in node.names), path.name


def test_the_log_columns_fit_the_widest_item_shown_whichever_way_it_changed():
    """The log measures only the new items of a log that grew at its end: its columns must still be
    those of every item shown, after growing, shrinking (a step back) and changing in the middle."""
    from widgets.event_log import EventLog

    events = Timeline(load_race(ROOT / "races" / "2023-xfinity-atlanta.yaml")).all_events()
    long = replace(events[3], kind="disqualification", first_lap=1, lap=134)  # "~L1–134", the widest kind
    steps = [events[:2], events[:5], (*events[:5], long), (*events[:5], long, *events[5:9]), events[:9],
             events[:3], (events[0], long, *events[1:4]), events[:4], ()]
    log = EventLog()
    for items in steps:
        assert log._column_widths(items) == EventLog()._column_widths(items), [e.lap_label for e in items]
