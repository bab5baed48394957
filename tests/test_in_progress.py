"""A race file of a race still running (``in_progress``): what the loader accepts and refuses, and
what the engine shows at its last lap (no finish)."""

from __future__ import annotations

import json

import pytest

from replay.core.engine import Timeline
from replay.export import FORMATS
from replay.racefile.index import decode, encode, picker_info
from replay.racefile.loader import check_file, load_race
from tests.conftest import MINIMAL

RUNNING = MINIMAL.replace("  laps: 10\n", "  laps: 10\n  actual_laps: 4\n  in_progress: true\n") + """\
running_order:
  0: "07 7"
  1: "07 7"
  2: "7 07"
  3: "7 07"
  4: "7 07"
laps_down:
  1: "0 0"
  2: "0 0"
  3: "0 1"
  4: "0 0"
race_times:
  1: "30.5 30.9"
  2: "61.0 61.2"
  3: "91.4 61.2"
  4: "121.9 92.0"
results:
  - {pos: 1, car: "07", laps: 4}
"""


def test_a_race_in_progress_has_no_finish(tmp_path):
    path = tmp_path / "live.yaml"
    path.write_text(RUNNING, encoding="utf-8")
    timeline = Timeline(load_race(path))
    last = timeline.state_at(4)
    assert (last.finished, last.flag, last.laps_to_go, last.official, last.stage) == (False, "green", 6, (), 2)
    assert [s.stage for s in last.stage_results] == [1]  # stage 2 ends at lap 6, not yet run
    assert last.lap_label == "Lap 4 / 10 · in progress"
    assert "in progress" in FORMATS["text"].render(last)
    assert json.loads(FORMATS["json"].render(last))["race"]["in_progress"] is True
    assert [row.entry.number for row in last.leaderboard] == ["7", "07"]  # a result's line order is no finish yet
    board = {row.entry.number: row for row in timeline.state_at(3).leaderboard}
    assert (board["07"].laps_down, board["07"].status, board["07"].detail) == (1, "unknown", "last lap 2")
    assert (board["7"].gap, board["07"].gap) == (0.0, None)  # a car laps down has no gap in seconds


def test_the_picker_says_in_progress(tmp_path):
    path = tmp_path / "live.yaml"
    path.write_text(RUNNING, encoding="utf-8")
    info = picker_info(load_race(path).info)
    key, back, _, _ = decode(encode((1, 2, 3, 4), info, 3, None))
    assert back.in_progress and back == info
    from replay.racefile.catalog import CatalogEntry
    from replay.viewer.screens.picker import describe

    assert "10 laps · in progress · 3 entries" in describe(CatalogEntry(path, back, None, 3)).plain


@pytest.mark.parametrize(("change", "message"), [
    (("  actual_laps: 4\n", "  actual_laps: 10\n"), "a race in progress has run fewer laps than its 10"),
    (('  3: "0 1"\n', '  3: "0 1 2"\n'), "lap 3 has 3 laps_down for 2 positions"),
    (('  3: "0 1"\n', '  3: "0 x"\n'), "laps down"),
    (('  4: "121.9 92.0"\n', '  5: "121.9 92.0"\n'), "race_times at lap 5, which has no running order"),
])
def test_bad_in_progress_files_are_refused_with_the_place(tmp_path, change, message):
    path = tmp_path / "bad.yaml"
    path.write_text(RUNNING.replace(*change), encoding="utf-8")
    report = check_file(path)
    assert report.race is None and any(message in error for error in report.errors), report.errors


def test_stage_ends_may_lie_past_the_laps_run_only_in_progress(tmp_path):
    path = tmp_path / "done.yaml"
    path.write_text(RUNNING.replace("  in_progress: true\n", ""), encoding="utf-8")
    assert any("stage end 6 is past the race length (4 laps)" in e for e in check_file(path).errors)


async def test_a_race_in_progress_offers_no_results_at_its_last_lap(tmp_path):
    """A second trial: ``r`` at the last lap of a race in progress was offered, and crashed the viewer
    (results exist only at the finish)."""
    from replay.viewer.app import ReplayApp

    path = tmp_path / "live.yaml"
    path.write_text(RUNNING, encoding="utf-8")
    app = ReplayApp(Timeline(load_race(path)), lap=4, transient=False)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.screen.check_action("results", ()) is False
        await pilot.press("r")
        assert app.is_running and app.screen.lap == 4
    assert app.return_code in (None, 0)
