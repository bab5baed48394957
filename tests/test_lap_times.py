"""Lap times on the board: each car's last and best lap, and the race's fastest laps so far.

Computed in the core (``replay.core.lap_times``, read by the engine), drawn by the leaderboard.
Checked against NASCAR's own lap-times.json of the bundled Atlanta race, lap by lap, and for
spoilers: nothing at lap N depends on a lap time after it.
"""

from __future__ import annotations

import json

import pytest

from replay.core.engine import Timeline
from replay.core.labels import lap_time_label
from replay.core.lap_times import FASTEST_SHOWN, FastLap, LapTimeIndex
from replay.core.status import StatusKind
from replay.racefile.loader import load_race
from replay.viewer.app import ReplayApp
from tests.conftest import HOMESTEAD, ROOT, screen_text
from tests.spoilers import after
from widgets.leaderboard import DROPPED_FIRST, columns_for

ATLANTA = ROOT / "races" / "2023-xfinity-atlanta.yaml"
LAP_TIMES = ROOT / "tests" / "data" / "feeds" / "nascar-xfinity-2023-atlanta-5314" / "lap-times.json"


@pytest.fixture(scope="module")
def atlanta() -> Timeline:
    return Timeline(load_race(ATLANTA))


@pytest.fixture(scope="module")
def feed_times() -> dict[str, dict[int, float]]:
    """Car -> lap -> its LapTime, straight from the feed file (lap 0, the grid, has none)."""
    data = json.loads(LAP_TIMES.read_text(encoding="utf-8-sig"))
    return {car["Number"]: {lap["Lap"]: lap["LapTime"] for lap in car["Laps"] if lap["LapTime"] is not None}
            for car in data["laps"]}


def test_the_index_keeps_each_cars_best_so_far_and_the_races_fastest():
    index = LapTimeIndex([{}, {"a": 31.0, "b": 30.5, "c": 32.0}, {"a": 30.2, "b": 30.9}, {"c": 30.2, "d": 29.0}])
    assert index.times(1) == {"a": 31.0, "b": 30.5, "c": 32.0} and "c" not in index.times(2)
    assert index.bests(0) == {} and index.bests(1)["a"] == FastLap("a", 31.0, 1)
    assert index.bests(2)["a"] == FastLap("a", 30.2, 2) and index.bests(2)["b"] == FastLap("b", 30.5, 1)
    assert index.fastest(0) == ()
    assert [f.car for f in index.fastest(1)] == ["b", "a", "c"]
    assert [f.car for f in index.fastest(2)] == ["a", "b", "c"]
    # a tie goes to the lap set first; the race's fastest are one per car, FASTEST_SHOWN of them
    assert [(f.car, f.lap) for f in index.fastest(3)] == [("d", 3), ("a", 2), ("c", 3)][:FASTEST_SHOWN]


def test_last_and_best_lap_of_every_car_at_every_lap_match_the_feed(atlanta, feed_times):
    for lap in range(atlanta.final_lap + 1):
        state = atlanta.state_at(lap)
        for row in state.leaderboard:
            laps = feed_times[row.entry.number]
            own = lap - (row.laps_down or 0)  # a car laps down is at its own earlier lap
            so_far = [t for n, t in laps.items() if n <= own]
            lapping = row.car_status.kind in (StatusKind.RUNNING, StatusKind.PIT)  # a car out or unplaced: no Last
            assert row.lap_time == (laps.get(own) if lapping else None), (lap, row.entry.number)
            assert row.best_lap == (min(so_far) if so_far else None), (lap, row.entry.number)
        for car in state.unplaced:
            so_far = [t for n, t in feed_times[car.entry.number].items() if n <= lap]
            assert car.best_lap == (min(so_far) if so_far else None), (lap, car.entry.number)


def fastest_in_feed(feed_times: dict[str, dict[int, float]], lap: int) -> list[tuple[float, int, str]]:
    """(time, lap set, car) of each car's best lap up to ``lap``, fastest first, as the feed gives them."""
    bests = []
    for car, laps in feed_times.items():
        so_far = {n: t for n, t in laps.items() if n <= lap}
        if so_far:
            time = min(so_far.values())
            bests.append((time, min(n for n, t in so_far.items() if t == time), car))
    return sorted(bests)[:FASTEST_SHOWN]


def test_the_races_fastest_laps_so_far_match_the_feed(atlanta, feed_times):
    for lap in (0, 1, 40, 99, 100, atlanta.final_lap):
        fastest = atlanta.state_at(lap).fastest_laps
        assert [(f.time, f.lap, f.entry.number) for f in fastest] == fastest_in_feed(feed_times, lap), lap
    assert [(f.entry.driver, f.time, f.lap) for f in atlanta.state_at(100).fastest_laps][0] == ("Chandler Smith", 30.91, 99)


@pytest.mark.parametrize("lap", [1, 40, 99, 120])
def test_no_lap_time_after_the_lap_shown_changes_anything(atlanta, lap):
    """The race with every later lap time reversed (tests/spoilers.py) shows the same lap times at ``lap``."""
    changed = Timeline(after(atlanta.race, lap)).state_at(lap)
    state = atlanta.state_at(lap)
    assert state.fastest_laps == changed.fastest_laps
    assert [(r.entry.key, r.lap_time, r.best_lap) for r in state.leaderboard] == [
        (r.entry.key, r.lap_time, r.best_lap) for r in changed.leaderboard]
    assert [(u.entry.key, u.best_lap) for u in state.unplaced] == [(u.entry.key, u.best_lap) for u in changed.unplaced]


def test_a_race_without_lap_times_has_none():
    state = Timeline(load_race(HOMESTEAD)).state_at(50)
    assert state.fastest_laps == () and all(r.lap_time is None and r.best_lap is None for r in state.leaderboard)


def test_lap_time_labels():
    assert [lap_time_label(t) for t in (None, 30.91, 99.9996, 130.1234, 1834.2)] == [
        "", "30.910", "100.00", "130.12", "1834"]  # six cells each


def test_lap_time_columns_come_with_lap_times_and_go_before_laps_led_and_the_gap():
    """At the board of a 120-cell screen: gap, last and best lap, and whole names; at 80 cells the gap."""
    assert {"Last", "Best"} <= {c.title for c in columns_for(80, True)}
    assert [c.title for c in columns_for(53, True)][-2:] == ["Gap", "Status"]  # the board of an 80-cell screen
    assert not {"Last", "Best"} & {c.title for c in columns_for(120, False)}
    assert DROPPED_FIRST.index("Last") < DROPPED_FIRST.index("Best") < DROPPED_FIRST.index("Led")
    widths = {c.title: c.width for c in columns_for(78, True)}  # the board of a 120-cell screen
    assert {"Led", "Gap", "Last", "Best", "Status"} <= set(widths) and widths["Driver"] >= len("John Hunter Nemechek")
    assert "Int" not in widths and "Int" in {c.title for c in columns_for(93, True)}  # it goes before a name is cut
    assert widths["Last"] == widths["Best"] == len("130.12")  # a road course's lap fits


async def test_the_board_draws_last_and_best_laps_and_marks_the_races_fastest():
    app = ReplayApp(Timeline(load_race(ATLANTA)), lap=99, transient=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right")
        lines = screen_text(app).splitlines()
        board = app.screen.query_one("Leaderboard")
        columns = [c.title for c in columns_for(board.size.width, True)]
        row = next(i for i, line in enumerate(lines) if " 16 " in line and "Smith (R)" in line)
        cells = board.render_row(row - 2, board.size.width)  # below the header's two lines; 0 is the titles
    assert "Last" in lines[2] and "Best" in lines[2]
    assert "31.325" in lines[row] and "30.910" in lines[row]  # his lap-100 time and his best, set on lap 99
    best = cells[1 + columns.index("Best")]
    assert best[0].strip() == "30.910" and best[1].bold  # the race's fastest lap so far
