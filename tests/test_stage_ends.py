"""Stage ends from stage lengths wherever a source gives them (--stage-ends, a weekend feed, the
season's race list beside the files); a lap note's estimate only as the last resort, checked against
the flags; and import and fetch of the same files give the same timeline (Atlanta 2023: stage 2 ended
at lap 80, stage lengths 40/40/83; the notes' estimate said 78)."""

from __future__ import annotations

import json
import shutil

import pytest

from replay.cli import main
from replay.core.engine import Timeline
from replay.racefile.loader import load_race
from replay.sources.base import ImportOptions
from replay.sources.nascar.importer import import_nascar
from tests.conftest import ROOT
from tests.feed_server import serving

ATLANTA = ROOT / "tests" / "data" / "feeds" / "nascar-xfinity-2023-atlanta-5314"
OPTIONS = ImportOptions(track="Atlanta Motor Speedway")


def timeline_of(tmp_path, names, options=OPTIONS, notes=None) -> tuple[Timeline, list[str]]:
    folder = tmp_path / ATLANTA.name
    folder.mkdir()
    for name in names:
        shutil.copy(ATLANTA / name, folder)
    if notes is not None:
        (folder / "lap-notes.json").write_text(json.dumps(notes), encoding="utf-8")
    imported = import_nascar(folder, options)
    (tmp_path / "race.yaml").write_text(imported.text, encoding="utf-8")
    return Timeline(load_race(tmp_path / "race.yaml")), imported.warnings


RACE_FILES = ["lap-times.json", "lap-notes.json", "live-flag-data.json", "live-pit-data.json",
              "live-stage-points.json", "live-driver-stats.json"]


def test_the_season_list_beside_the_files_gives_the_stage_ends(tmp_path):
    timeline, warnings = timeline_of(tmp_path, RACE_FILES + ["race_list_basic.json"])
    info = timeline.race.info
    assert info.stage_ends == (40, 80, 163) and "stage_ends" not in info.estimated
    assert "race_list_basic" in timeline.race.sources
    assert not any("race_list_basic.json" in w for w in warnings), "used, not left out"
    assert [timeline.stage_at(lap) for lap in (78, 79, 80, 81)] == [2, 2, 2, 3]


def test_the_bundled_race_has_the_listed_stage_ends():
    assert load_race(ROOT / "races" / "2023-xfinity-atlanta.yaml").info.stage_ends == (40, 80, 163)


def test_import_and_fetch_of_the_same_files_give_the_same_timeline(tmp_path, monkeypatch):
    monkeypatch.setenv("RACE_REPLAY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RACE_REPLAY_CACHE_DIR", str(tmp_path / "cache"))
    with serving() as server:
        assert main(["fetch", "nascar", "--season", "2023", "--series", "xfinity", "--feed-url", server.url,
                     "--race", "5314", "-o", str(tmp_path / "fetched.yaml")]) == 0
    fetched = Timeline(load_race(tmp_path / "fetched.yaml"))
    (tmp_path / "import").mkdir()
    imported, _ = timeline_of(tmp_path / "import", RACE_FILES + ["race_list_basic.json"])
    assert imported.race.info.stage_ends == fetched.race.info.stage_ends == (40, 80, 163)
    for lap in range(fetched.final_lap + 1):
        a, b = fetched.state_at(lap), imported.state_at(lap)
        assert (a.stage, a.flag, [(s.stage, s.lap) for s in a.stage_results],
                [(e.lap, e.kind, e.text) for e in a.events]) == (
                b.stage, b.flag, [(s.stage, s.lap) for s in b.stage_results],
                [(e.lap, e.kind, e.text) for e in b.events]), lap


def test_without_stage_lengths_the_notes_estimate_is_marked(tmp_path):
    timeline, warnings = timeline_of(tmp_path, RACE_FILES)
    said = [w for w in warnings if "stage" in w and "estimate" in w]  # how to give them; then their laps
    assert len(said) == 2 and "--stage-ends" in said[0] and "40, 78" in said[1], warnings
    assert not any("\n" in w for w in said)
    assert timeline.race.info.stage_ends == (40, 78, 163) and "stage_ends" in timeline.race.info.estimated
    assert "78" not in timeline.race.info.estimated["stage_ends"], "the reason names no lap: it shows from the grid"


@pytest.mark.parametrize("lap, kept", [(78, True), (100, False)])
def test_a_notes_estimate_is_checked_against_the_flags(tmp_path, lap, kept):
    """A stage ends with a caution: "#48 wins the stage" at a green lap with green after it is no
    stage end (Atlanta is green at laps 100 and 101)."""
    notes = json.loads((ATLANTA / "lap-notes.json").read_text(encoding="utf-8-sig"))
    moved = notes["laps"].pop("78")
    notes["laps"].setdefault(str(lap), []).extend(moved)
    timeline, warnings = timeline_of(tmp_path, [n for n in RACE_FILES if n != "lap-notes.json"], notes=notes)
    assert timeline.race.info.stage_ends[:2] == (40, lap if kept else None)
    assert any("stage 2's winner is announced at lap 100, but no caution follows it" in w for w in warnings) != kept
