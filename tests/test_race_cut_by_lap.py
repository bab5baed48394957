"""Martinsville's lap-times.json cut lap by lap after lap 251 (each car's own laps 0 to 251, as a
user cutting the file would), imported as a race in progress: its last lap is 250, the last every
car has completed before the leader's 251 (a car laps down holds laps it ran later, which are left
for later), so a car 42 laps down is 42 laps down there, not 1,213 seconds behind; and a lap not
complete yet is refused by name."""

from __future__ import annotations

import json

import pytest

from replay.cli import main
from replay.core.engine import Timeline
from replay.racefile.loader import load_race
from replay.sources.base import ImportOptions
from replay.sources.nascar.importer import import_nascar
from replay.user.lap_input import LapInputError, parse_lap
from tests.conftest import ROOT

FEEDS = ROOT / "tests" / "data" / "feeds" / "nascar-cup-2020-martinsville-4973"
OPTIONS = ImportOptions("NASCAR Cup Series", "Blue-Emu Maximum Pain Relief 500", "Martinsville Speedway",
                        "2020-06-10", [130, 260, 500], 500)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cut-by-lap")
    times = json.loads((FEEDS / "lap-times.json").read_text(encoding="utf-8"))
    for car in times["laps"]:
        car["Laps"] = [lap for lap in car["Laps"] if lap["Lap"] <= 251]
        car["RunningPos"] = car["Laps"][-1]["RunningPos"]
    times["flags"] = [flag for flag in times["flags"] if flag["LapsCompleted"] <= 251]
    (folder / "lap-times.json").write_text(json.dumps(times), encoding="utf-8")
    out = folder / "live.yaml"
    out.write_text(import_nascar(folder, OPTIONS).text, encoding="utf-8")
    return out


def test_lapped_cars_show_laps_down_at_the_last_lap_of_a_race_in_progress(live):
    timeline = Timeline(load_race(live))
    assert timeline.in_progress and timeline.final_lap == 250
    rows = {row.entry.number: row for row in timeline.state_at(250).leaderboard}
    assert [(rows[car].laps_down, rows[car].gap) for car in ("77", "00")] == [(42, None), (11, None)]
    lap_time = 30.0  # no lap at Martinsville under green takes longer: a gap past it is a lap down
    assert {car: row.gap for car, row in rows.items() if row.gap is not None and row.gap > lap_time} == {}


@pytest.mark.parametrize("lap", ["251", "10 to go"])
def test_a_lap_not_yet_run_is_refused_naming_the_last_lap_run(live, capsys, lap):
    assert main(["export", str(live), "--lap", lap]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "its last complete lap is 250" in err and str(live) in err
    assert main(["export", str(live), "--lap", "250"]) == 0  # the last complete lap, and "final", still work
    assert main(["export", str(live), "--lap", "final"]) == 0


def test_the_go_to_lap_box_refuses_it_too():
    with pytest.raises(LapInputError, match="last complete lap is 250"):
        parse_lap("251", 500, 250, 500, in_progress=True)
    assert parse_lap("251", 500, 250, 500) == 250  # a race cut short (finished) goes to its finish
