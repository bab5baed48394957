"""``race-replay import csv``: a lap chart (what ``export --format csv`` writes) -> a race file,
through the same registry and command as ``import nascar``. A round trip keeps every lap's running
order; bad input is one line naming the file, the row and the column, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from replay.cli import main
from replay.core.chart import positions_by_lap
from replay.core.engine import Timeline
from replay.racefile.loader import load_race
from tests.conftest import ROOT

ATLANTA = ROOT / "races" / "2023-xfinity-atlanta.yaml"
FACTS = ["--series", "NASCAR Xfinity Series", "--name", "RAPTOR King of Tough 250", "--track", "Atlanta Motor Speedway"]


def orders(path: Path) -> list[dict[str, int | None]]:
    """Each lap's position of every car, by car number."""
    timeline = Timeline(load_race(path))
    entries, laps = positions_by_lap(timeline, timeline.race.info.final_lap)
    return [{entry.number or entry.driver: pos for entry, pos in zip(entries, row, strict=True)} for row in laps]


def test_a_complete_race_round_trips_through_its_csv_chart(tmp_path, capsys):
    chart, race = tmp_path / "atlanta.csv", tmp_path / "atlanta.yaml"
    assert main(["export", str(ATLANTA), "--lap", "final", "--format", "csv", "-o", str(chart)]) == 0
    assert main(["import", "csv", str(chart), "-o", str(race), *FACTS, "--date", "2023-03-18", "--laps", "163",
                 "--stage-ends", "40,80,163"]) == 0
    assert f"{race}: imported from atlanta.csv" in capsys.readouterr().out
    before, after = orders(ATLANTA), orders(race)
    assert len(after) == 164 and len(after[1]) == 38
    assert after == before  # every lap, every car
    again = tmp_path / "again.csv"
    assert main(["export", str(race), "--lap", "final", "--format", "csv", "-o", str(again)]) == 0
    assert again.read_bytes() == chart.read_bytes()
    info = load_race(race).info
    assert (info.name, info.track, info.date, info.laps, info.stage_ends) == (
        "RAPTOR King of Tough 250", "Atlanta Motor Speedway", "2023-03-18", 163, (40, 80, 163))


def test_unknown_places_stay_unknown_and_a_chart_short_of_its_laps_is_in_progress(tmp_path):
    chart, race = tmp_path / "local.csv", tmp_path / "local.yaml"
    chart.write_text("lap,7 Ann Lee,07 Bo Diaz,Cy Ray\n0,1,2,3\n1,2,,1\n\n2,1,3,\n", encoding="utf-8")
    assert main(["import", "csv", str(chart), "-o", str(race), "--series", "Local", "--name", "Spring 50",
                 "--track", "Oval", "--laps", "50"]) == 0
    loaded = load_race(race)
    assert loaded.info.in_progress and loaded.info.final_lap == 2
    assert orders(race) == [{"7": 1, "07": 2, "Cy Ray": 3}, {"7": 2, "07": None, "Cy Ray": 1},
                            {"7": 1, "07": 3, "Cy Ray": None}]  # the blank row is skipped, "07" is not "7"


def test_a_chart_makes_no_caution_count(tmp_path, capsys):
    """A second trial: a chart's race said "Cautions 0" and "Caution laps 0 · green laps 50", figures
    a chart cannot give."""
    chart, race = tmp_path / "local.csv", tmp_path / "local.yaml"
    chart.write_text("lap,7 Ann Lee,07 Bo Diaz\n0,1,2\n1,2,1\n2,1,2\n", encoding="utf-8")
    assert main(["import", "csv", str(chart), "-o", str(race), "--series", "Local", "--name", "Spring 50",
                 "--track", "Oval"]) == 0
    capsys.readouterr()
    assert main(["export", str(race), "--lap", "1", "--format", "json"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["cautions"] == 0 and "cautions" in exported["race"]["partial"]
    assert exported["stats"]["caution_laps"] is None and exported["stats"]["green_laps"] is None
    assert main(["export", str(race), "--lap", "1"]) == 0
    assert "Cautions 0+" in capsys.readouterr().out


@pytest.mark.parametrize(("text", "where", "problem"), [
    ("car,21 Austin Hill\n0,1\n", "row 1, column 1", "the first column should be the lap"),
    ("lap,21 Austin Hill,11 Daniel Hemric\n0,1,2\n1,2,2\n", "row 3, column 3",
     "position 2 at lap 1 is also given to 21 Austin Hill (column 2)"),
    ("lap,21 Austin Hill,11 Daniel Hemric\n0,1,second\n", "row 2, column 3", "not 'second'"),
    ("lap,21 Austin Hill,11 Daniel Hemric\n0,1,2\n1,1,2\n1,2,1\n", "row 4, column 1", "lap 1 comes after lap 1"),
    ("lap,21 Austin Hill,11 Daniel Hemric\n0,1,2\nfive,2,1\n", "row 3, column 1", "the lap should be a whole number"),
    ("lap,21 Austin Hill,21 Austin Hill\n0,1,2\n", "row 1, column 3", "the same car as column 2"),
])
def test_bad_input_is_one_line_naming_file_row_and_column(tmp_path, capsys, text, where, problem):
    chart, race = tmp_path / "chart.csv", tmp_path / "race.yaml"
    chart.write_text(text, encoding="utf-8")
    assert main(["import", "csv", str(chart), "-o", str(race), *FACTS]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"race-replay: {chart}: {where}: ") and problem in err
    assert not race.exists()


def test_the_race_facts_no_chart_gives_are_asked_for(tmp_path, capsys):
    chart = tmp_path / "chart.csv"
    chart.write_text("lap,21 Austin Hill\n0,1\n", encoding="utf-8")
    assert main(["import", "csv", str(chart), "-o", str(tmp_path / "race.yaml"), "--series", "Local"]) == 2
    assert capsys.readouterr().err == (f"race-replay: {chart}: a lap chart does not give the race's name, track; "
                                       "give --name --track\n")
