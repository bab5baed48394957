"""A race imported from its feed files as they stood when the leader completed lap N + 1 (a race
in progress) shows at lap N exactly what the whole race shows at lap N: the board, the header, the
events, the statistics and every export format (issue 19 §4), at every fourth lap of Atlanta and
every 17th of Martinsville, and around the stage ends. (Run once over every lap of Atlanta and every
third of Martinsville: equal at all of them.) Nothing at lap N may depend on anything later, by
construction: this is the test that proves it for what the feeds derive.

Left out of the comparison: ``info``, since the race in progress says so (``in_progress``, and
``actual_laps`` is its laps so far); the header's " · in progress" and the json export's
``race.in_progress`` are taken out, nothing else. (The statistics' pit stops before the first stop
were left out too, until the race file could say its pit file is a complete record: ``pit_record``.)

The pit stops themselves are cut whole (each stop with its out figures, at the lap it began): when
each figure is known is issue 19 §2's (and issue 20's) pit-stop rule, not tested here.
"""

from __future__ import annotations

import dataclasses
import json
import shutil

import pytest

from replay.core.engine import Timeline
from replay.core.stats import stats_at
from replay.export import FORMATS, ExportRequest
from replay.racefile.loader import load_race
from replay.sources.base import ImportOptions
from replay.sources.nascar.importer import import_nascar
from tests.conftest import ROOT
from tests.feed_cut import cut_feeds

FEEDS = ROOT / "tests" / "data" / "feeds"
RACES = {
    "atlanta": (FEEDS / "nascar-xfinity-2023-atlanta-5314", 163, [40, 80, 163],
                ("NASCAR Xfinity Series", "RAPTOR King of Tough 250", "Atlanta Motor Speedway", "2023-03-18"),
                sorted({*range(1, 162, 4), 39, 40, 41, 61, 62, 79, 80, 81, 161})),
    "martinsville": (FEEDS / "nascar-cup-2020-martinsville-4973", 500, [130, 260, 500],
                     ("NASCAR Cup Series", "Blue-Emu Maximum Pain Relief 500", "Martinsville Speedway", "2020-06-10"),
                     sorted({*range(1, 499, 17), 129, 130, 131, 259, 260, 261, 447, 450, 498})),
}
WHOLE_FILES = ("lap-times.json", "lap-notes.json", "live-flag-data.json", "live-pit-data.json",
               "live-stage-points.json", "live-driver-stats.json")


def imported(folder, options: ImportOptions, out) -> Timeline:
    out.write_text(import_nascar(folder, options).text, encoding="utf-8")
    return Timeline(load_race(out))


@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    """Each race whole, from the same kinds of files the cut ones have (and the loop data, a
    record of the whole race that is shown only at the finish)."""
    timelines = {}
    for name, (source, laps, ends, facts, _) in RACES.items():
        folder = tmp_path_factory.mktemp(name)
        for file in WHOLE_FILES:
            if (source / file).exists():
                shutil.copy(source / file, folder / file)
        timelines[name] = imported(folder, ImportOptions(*facts, ends, laps), folder / "race.yaml")
    return timelines


def cut(tmp_path, name: str, lap: int, when: str = "leader") -> Timeline:
    source, laps, ends, facts, _ = RACES[name]
    folder = cut_feeds(source, tmp_path / f"cut-{lap}-{when}", lap, ends, when)
    return imported(folder, ImportOptions(*facts, ends, laps), tmp_path / f"cut-{lap}-{when}.yaml")


def comparable(state):
    """The state without ``info`` (the race in progress says so)."""
    return {f.name: getattr(state, f.name) for f in dataclasses.fields(state) if f.name != "info"}


def exports(timeline: Timeline, lap: int) -> dict[str, str]:
    out = {}
    for name, export in FORMATS.items():
        text = export.render(ExportRequest.at(timeline, lap))
        if name == "json":
            data = json.loads(text)
            assert data["race"].pop("in_progress") is timeline.in_progress
            data["race"].pop("final_lap")  # null before the finish either way: checked below
            text = json.dumps(data, sort_keys=True)
        out[name] = text.replace(" · in progress", "")
    return out


def stats_diff(a, b):
    return {f.name: (getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a)
            if getattr(a, f.name) != getattr(b, f.name)}


CASES = [(name, lap) for name, (*_, laps) in RACES.items() for lap in laps]


@pytest.mark.parametrize(("name", "lap"), CASES)
def test_the_race_cut_at_lap_n_plus_one_shows_at_lap_n_what_the_whole_race_does(whole, tmp_path, name, lap):
    running, complete = cut(tmp_path, name, lap), whole[name]
    assert running.in_progress and running.final_lap == lap  # lap N + 1 is not complete: not shown
    now, then = running.state_at(lap), complete.state_at(lap)
    assert now.lap_label == then.lap_label + " · in progress"
    # what the scrubber draws, the parts made from ``info`` too (the fields are compared below)
    assert (now.span, now.stage_ends, now.incident_laps) == (then.span, then.stage_ends, then.incident_laps)
    assert not now.finished and now.flag != "checkered" and now.official == ()
    mine, theirs = comparable(now), comparable(then)
    for key in theirs:
        assert mine[key] == theirs[key], key
    mine, theirs = stats_at(running, lap), stats_at(complete, lap)
    assert mine == theirs, stats_diff(mine, theirs)
    assert exports(running, lap) == exports(complete, lap)


def test_the_last_lap_of_a_race_in_progress_is_its_last_complete_lap(tmp_path):
    """Martinsville cut when Logano completed lap 201: lap 201 is not complete (cars on the lead lap have
    yet to cross), so the race runs to lap 200; no finish, no result, stage 2 still running; #66 (out at
    105) unknown. Before, lap 201 showed the moment the leader completed it: no gaps, each car on the lead
    lap at its lap 200, unlike the whole race at 201."""
    from replay.user.lap_input import LapInputError, parse_lap

    running = cut(tmp_path, "martinsville", 200)
    assert parse_lap("final", running.race.info.laps, running.final_lap) == 200
    with pytest.raises(LapInputError, match="201 is not complete yet"):
        parse_lap("201", running.race.info.laps, running.final_lap, in_progress=True)
    state = running.state_at(200)
    assert (state.flag, state.finished, state.laps_to_go, state.stage, state.official) == ("green", False, 300, 2, ())
    assert [s.stage for s in state.stage_results] == [1] and running.race.results == ()
    rows = {row.entry.number: row for row in state.leaderboard}
    assert (rows["22"].pos, rows["22"].laps_down, rows["48"].laps_down, rows["48"].status) == (1, None, None, "running")
    assert rows["66"].status == "unknown" and rows["66"].detail == "last lap 105"
    assert all(row.gap is not None for row in state.leaderboard if row.laps_down is None)  # every lead-lap car
    assert all(flag != "checkered" for flag in running.flags)


@pytest.mark.parametrize(("name", "lap"), [("atlanta", 60), ("atlanta", 120), ("martinsville", 100),
                                           ("martinsville", 250), ("martinsville", 447)])
@pytest.mark.parametrize("when", ["leader", "late", "own"])
def test_files_taken_at_any_moment_of_the_leaders_next_lap_show_the_same_last_lap(whole, tmp_path, name, lap, when):
    """Files taken just before the leader completes lap N + 2, or cut by each car's own laps to N + 1 (a
    car laps down then holds laps it ran after the leader's N + 1, found by a new user's trial: lap N +
    1 then showed stale lap times, gaps for 1 car of 39, #7 and #66 swapped), run to lap N and show
    there what the whole race does."""
    running, complete = cut(tmp_path, name, lap, when), whole[name]
    assert running.in_progress and running.final_lap == lap
    mine, theirs = comparable(running.state_at(lap)), comparable(complete.state_at(lap))
    for key in theirs:
        assert mine[key] == theirs[key], key
    assert exports(running, lap) == exports(complete, lap)
