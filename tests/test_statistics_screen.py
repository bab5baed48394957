"""The race statistics view (``i``) driven by Pilot: what it shows so far, unknowns in a sparse race,
the movers' reference lap, Escape, small terminals, NO_COLOR, markup, and nothing from later."""

from __future__ import annotations

import re

import pytest

from replay.core.engine import Timeline
from replay.racefile.loader import load_race
from replay.viewer.app import ReplayApp
from replay.viewer.screens import ReplayScreen
from replay.viewer.screens.statistics import StatisticsScreen
from tests.conftest import HOMESTEAD, ROOT, screen_text
from tests.spoilers import after

SIZE = (120, 40)
ATLANTA = ROOT / "races" / "2023-xfinity-atlanta.yaml"


def app_at(path, lap: int) -> ReplayApp:
    return ReplayApp(Timeline(load_race(path)), lap=lap, transient=False)


async def statistics_text(app: ReplayApp, size=SIZE, keys=()) -> str:
    async with app.run_test(size=size) as pilot:
        await pilot.press("i", *keys)
        await pilot.pause()
        assert isinstance(app.screen, StatisticsScreen)
        return screen_text(app)


async def test_the_statistics_of_atlanta_so_far():
    text = await statistics_text(app_at(ATLANTA, 100))
    assert "Race statistics · Lap 100 / 163" in text and "laps 1–100, nothing after" in text
    assert "Lead changes 12 · Cautions 9" in text and "Caution laps 55 · Green laps 45" in text
    assert "Leaders 8, in the order they first led: #20 John Hunter Nemechek, #21 Austin Hill" in text
    assert re.search(r"Driver\s+Green\s+Caution\s+Total", text)
    assert re.search(r"#21 Austin Hill\s+15\s+25\s+40", text)  # counted by hand from the feed (tests/test_stats.py)
    assert re.search(r"#18 Sammy Smith\s+-20\s+P1\s+P21", text), "the biggest loser since the start"
    tall = await statistics_text(app_at(ATLANTA, 100), size=(120, 44))  # the table starts below 40 rows now
    assert re.search(r"#16 Chandler Smith\s+30\.910\s+L99\s+4", tall), "the fastest lap so far, and pit stops"
    bottom = await statistics_text(app_at(ATLANTA, 100), keys=("end",))
    assert "Shown at the finish: average position, passes, quality passes and rating describe the" in bottom


async def test_the_loop_data_shows_at_the_finish():
    app = app_at(ATLANTA, 163)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i", "end")
        await pilot.pause()
        text = screen_text(app)
    assert "whole race." not in text and re.search(r"#66 Caesar Bacarella\s+37\.98\s+1\s+0\s+23\.83", text)
    assert "Qual.: quality passes" in text


async def test_m_cycles_the_lap_movers_are_measured_from():
    app = app_at(ATLANTA, 100)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        titles = []
        for _ in range(4):
            titles.append(next(line for line in screen_text(app).splitlines() if "Biggest movers" in line))
            await pilot.press("m")
    assert "since the start (lap 0)" in titles[0] and "m: since the last restart (lap 85)" in titles[0]
    assert "since the last restart (lap 85)" in titles[1].split("m:")[0]
    assert "since lap 90 (10 laps ago)" in titles[2].split("m:")[0]
    assert titles[3] == titles[0]


async def test_escape_closes_and_the_lap_stays():
    app = app_at(ATLANTA, 100)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        assert isinstance(app.screen, StatisticsScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, ReplayScreen) and app.screen.lap == 100


async def test_a_sparse_race_says_unknown_never_zero():
    text = await statistics_text(app_at(HOMESTEAD, 100))
    assert "Leaders unknown: the leader of some laps so far is not reported; reported in the lead:" in text
    assert "#11 Corey Heim, #07 Kyle Larson, #44 Ross" in text
    assert "Unknown: the leader of some laps so far is not reported." in text
    assert "Pit stops unknown" in text and "Best laps unknown" in text
    assert "Caution laps 18 · Green laps 82 (est." in text
    assert not re.search(r"Stops|Best lap\s", text), "no table of zeros or dashes"


async def test_the_grid():
    text = await statistics_text(app_at(ATLANTA, 0))
    assert "the grid: no laps run yet" in text and "No laps run yet." in text


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_it_fits_a_small_terminal_and_scrolls_to_the_end(size):
    app = app_at(ATLANTA, 100)
    async with app.run_test(size=size) as pilot:
        await pilot.press("i")
        await pilot.pause()
        top = screen_text(app)
        await pilot.press("end")
        await pilot.pause()
        bottom = screen_text(app)
    assert "Race statistics" in top
    assert "Loop data" in bottom and "whole race." in bottom
    assert all(len(line) <= size[0] for line in top.splitlines())


async def test_figures_stay_whole_in_a_narrow_box():
    """At 40 columns a driver's name is cut short, never a lap time."""
    app = app_at(ATLANTA, 100)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("i")
        seen = ""
        for _ in range(12):
            await pilot.press("pagedown")
            await pilot.pause()
            seen += screen_text(app)
    assert re.search(r"#16 Chandler S…\s+30\.910\s+L99\s+4", seen)


async def test_no_color_reads_the_same(monkeypatch):
    coloured = await statistics_text(app_at(ATLANTA, 100))
    monkeypatch.setenv("NO_COLOR", "1")
    assert await statistics_text(app_at(ATLANTA, 100)) == coloured


async def test_driver_names_are_never_markup(write_race):
    race = write_race("""\
        race: {series: Test, name: "[b]Race[/b]", track: Test Speedway, laps: 3, stage_ends: [3]}
        sources: {s1: {title: A feed, spoiler_free: true}}
        entries: [{number: "1", driver: "[red]Smith[/red] ["}, {number: "2", driver: Two}]
        running_order:
          0: 1 2
          1: 2 1
          2: 1 2
          3: 1 2
        """, base="")
    text = await statistics_text(app_at(race, 2))
    assert "#1 [red]Smith[/red] [" in text and "Race statistics · Lap 2 / 3" in text


def svg(app: ReplayApp) -> str:
    return re.sub(r"terminal-\d+", "terminal", app.export_screenshot())


@pytest.mark.parametrize("path, lap", [(ATLANTA, 100), (ATLANTA, 162), (HOMESTEAD, 100)],
                         ids=["atlanta-100", "atlanta-162", "homestead-100"])
async def test_nothing_from_after_the_lap_shows(path, lap):
    race = load_race(path)
    views = []
    for timeline in (Timeline(race), Timeline(after(race, lap))):
        app = ReplayApp(timeline, lap=lap, transient=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("i")
            shown = [svg(app)]
            for _ in range(2):
                await pilot.press("m", "end")
                shown.append(svg(app))
        views.append(shown)
    assert views[0] == views[1]
