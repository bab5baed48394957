"""A feed folder that gives no scheduled distance (lap-times.json alone, no --laps) imports with the
laps the timing runs to as the distance, marked estimated in the race file and shown "(est.)" at the
header and in the race list, and a warning that says so and tells nothing of the race (a new user's
trial: Atlanta's files cut at lap 60 became a finished 60-lap race, unmarked)."""

from __future__ import annotations

import shutil

from replay.cli import main
from replay.core.engine import Timeline
from replay.racefile.catalog import CatalogEntry
from replay.racefile.index import picker_info
from replay.racefile.loader import load_race
from replay.viewer.screens.picker import describe
from tests.conftest import ROOT
from tests.feed_cut import cut_feeds

ATLANTA = ROOT / "tests" / "data" / "feeds" / "nascar-xfinity-2023-atlanta-5314"
FACTS = ("--series", "NASCAR Xfinity Series", "--name", "RAPTOR King of Tough 250", "--track", "Atlanta Motor Speedway")
WARNING = ("warning: no file gives the race's scheduled distance: give --laps (taken as the laps the timing runs to, "
           "marked estimated)")


def lap_times_only(tmp_path, cut_at: int | None = None):
    folder = tmp_path / "feeds"
    if cut_at is None:
        folder.mkdir()
        shutil.copy(ATLANTA / "lap-times.json", folder)
    else:
        cut = cut_feeds(ATLANTA, tmp_path / "cut", cut_at, [40, 80, 163])
        folder.mkdir()
        shutil.copy(cut / "lap-times.json", folder)
    return folder


def test_lap_times_alone_give_an_estimated_distance(tmp_path, capsys):
    out = tmp_path / "race.yaml"
    assert main(["import", "nascar", str(lap_times_only(tmp_path)), *FACTS, "-o", str(out)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert WARNING in err
    info = load_race(out).info
    assert info.laps == 163 and "taken as the laps the timing runs to" in info.estimated["laps"]
    assert "no file gives the race's scheduled distance" in info.estimated["laps"].lower()
    assert Timeline(load_race(out)).state_at(5).lap_label.startswith("Lap 5 / 163 (est.)")
    entry = CatalogEntry(out, picker_info(info), None, 1)
    assert "163 laps (est.)" in describe(entry).plain


def test_a_cut_race_without_its_distance_is_not_shown_as_a_sure_finish(tmp_path, capsys):
    out = tmp_path / "race.yaml"
    assert main(["import", "nascar", str(lap_times_only(tmp_path, cut_at=60)), *FACTS, "-o", str(out)]) == 0
    assert WARNING in capsys.readouterr().err.splitlines()
    timeline = Timeline(load_race(out))
    assert "laps" in timeline.race.info.estimated
    assert "(est.)" in timeline.state_at(timeline.final_lap).lap_label


def test_a_distance_given_or_in_a_file_is_not_estimated(tmp_path, capsys):
    out = tmp_path / "race.yaml"
    assert main(["import", "nascar", str(lap_times_only(tmp_path, cut_at=60)), *FACTS, "--laps", "163",
                 "-o", str(out)]) == 0
    assert WARNING not in capsys.readouterr().err.splitlines()
    info = load_race(out).info
    assert info.in_progress and "laps" not in info.estimated
    assert main(["import", "nascar", str(ATLANTA), "--track", "Atlanta Motor Speedway", "-o", str(out)]) == 0
    assert WARNING not in capsys.readouterr().err.splitlines() and "laps" not in load_race(out).info.estimated
