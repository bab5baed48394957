"""The Markdown prep sheet (``export --format md``): its sections, the leaderboard table, a pit
cycle on one line, quotes with who said them, statistics, notes up to the lap only, a section
per ``--driver``, and nothing from after the lap."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from replay.core.engine import Timeline
from replay.core.notes import Note
from replay.export import FORMATS, ExportRequest
from replay.export.json_contract import render_json
from replay.export.markdown import inline
from replay.export.text import to_text
from replay.racefile.bundled import bundled_races_dir, race_files
from replay.racefile.loader import load_race
from replay.racefile.notes import NotesBook
from replay.user.note_files import sidecar_path
from tests.conftest import HOMESTEAD, ROOT
from tests.spoilers import after

ATLANTA = ROOT / "races" / "2023-xfinity-atlanta.yaml"
NOTES = (Note(5, "early | *bold* note", "07"), Note(91, "at the spin"), Note(100, "LATER: Larson wins", "07"))


def sheet(path: Path, lap: int, notes=(), drivers=()) -> str:
    return FORMATS["md"].render(ExportRequest.at(Timeline(load_race(path)), lap, tuple(notes), tuple(drivers)))


def sections(text: str) -> list[str]:
    return re.findall(r"^## (.*)$", text, flags=re.MULTILINE)


def test_the_sheet_has_its_sections_in_order():
    text = sheet(HOMESTEAD, 91, NOTES, ("07", "Ben Rhodes"))
    assert text.startswith("# Baptist Health 200: prep sheet at lap 91\n\nNASCAR Craftsman Truck Series · Homestead")
    assert "**Lap 91 / 134** (43 to go) · YELLOW (Larson spins in turn 1) · Stage 3/3" in text
    assert sections(text) == ["Leaderboard", "Stage results", "Key events", "Quotes", "Statistics", "My notes",
                              "#07 Kyle Larson", "Ben Rhodes"]
    assert "**Stage 1** (lap 30): won by #11 Corey Heim\n- P1 #11 Corey Heim" in text


def test_the_leaderboard_is_a_table_with_a_row_per_place():
    timeline = Timeline(load_race(ATLANTA))
    text = FORMATS["md"].render(ExportRequest.at(timeline, 60, drivers=("9",)))
    table = [line for line in text.split("## Leaderboard\n\n", 1)[1].split("\n\n", 1)[0].splitlines()]
    assert table[0] == "| Pos | Car | Driver | Team / make | Led | Gap | Int | Status | Known |"
    assert table[1] == "| --: | --- | --- | --- | --: | --: | --: | --- | --- |"
    board = timeline.state_at(60).leaderboard
    assert len(table) == 2 + len(board)
    assert all(line.count(" | ") == 8 for line in table)
    assert table[2].startswith(f"| 1 | {board[0].entry.number} | {board[0].entry.driver} |")
    assert "| **Brandon Jones** |" in text, "a driver asked for stands out"


def test_a_pit_cycle_is_one_line_with_a_count():
    text = sheet(ATLANTA, 30)
    events = text.split("## Key events\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    cycle = [line for line in events if "pit cycle" in line]
    assert "- **L19–22** pit cycle under caution: 12 stops by 10 cars (#9, #78, #31, #24, #6, #07, #27, #92 and 2 more)" in cycle
    # #02 came in during the leader's lap 27, the caution's first: its stop joins the cycle
    assert "- **L27–29** pit cycle under caution: 9 stops by 9 cars (#02, #18, #1, #27, #10, #92, #38, #08 and 1 more)" in cycle
    assert not any(line.startswith(("- **L19** pit", "- **L20** pit", "- **L27** pit", "- **L29** pit ·")) and "Pit stop" in line
                   for line in events), "the feed's stops are in the cycles"
    assert "- **L19** pit · #9 Brandon Jones: #9 pits" in events, "a lap note is not one more stop: it stays a line"
    assert len(events) < len(Timeline(load_race(ATLANTA)).state_at(30).events)


def test_without_the_timeline_pit_stops_group_by_lap():
    state = Timeline(load_race(ATLANTA)).state_at(30)
    text = FORMATS["md"].render(state)
    assert "- **L20** pit cycle: 5 stops by 5 cars (#78, #31, #24, #6, #07)" in text and "## Statistics" not in text


def test_quotes_say_who_when_and_where_from():
    text = sheet(HOMESTEAD, 0)
    assert "> “I just love the opportunity to race." in text
    assert "> — **Kyle Larson**, before the race · On racing at Homestead this weekend. · source: qualifying" in text
    assert "## Key events\n\n- **pre** qualifying · #11 Corey Heim, Tanner Gray: Heim takes" in text


def test_statistics_come_from_the_stats_engine():
    text = sheet(ATLANTA, 60)
    stats = text.split("## Statistics\n\n", 1)[1].split("\n## ", 1)[0]
    assert stats.startswith("Laps 1–60, nothing after.\n- Leaders: 4, in the order they first led: #20 John Hunter Nemechek")
    assert "- Caution laps 37 · green laps 23" in stats
    assert "| #21 Austin Hill | 33 | 8 | 25 | 1 | 31.213 (L52) |" in stats
    assert "Biggest movers since the start:" in stats
    assert "## Statistics\n\nNo laps run yet." in sheet(ATLANTA, 0)


def test_notes_up_to_the_lap_only_escaped():
    text = sheet(HOMESTEAD, 91, NOTES, ("07",))
    mine = text.split("## My notes\n\n", 1)[1].split("\n\n", 1)[0]
    assert mine == "- **L5** · #07 Kyle Larson: early \\| \\*bold\\* note\n- **L91**: at the spin"
    assert "LATER" not in text
    assert "## My notes" not in sheet(HOMESTEAD, 4, NOTES)
    assert inline("a\nb | `c` [d](e) <f>") == "a b \\| \\`c\\` \\[d\\](e) \\<f\\>"


def test_a_driver_section_gives_place_stages_events_quotes_and_notes():
    text = sheet(HOMESTEAD, 91, NOTES, ("07",))
    larson = text.split("## #07 Kyle Larson\n\n", 1)[1]
    assert larson.startswith("Spire Motorsports Chevrolet\n\n- ")
    assert "Events:\n\n- **L7** restart · #11 Corey Heim, #07 Kyle Larson: Heim and Larson lead the restart." in larson
    assert "- **L91** spin" in larson
    assert "Quotes:\n\n> “Sure, yeah" in larson
    assert larson.rstrip().endswith("My notes:\n\n- **L5** · #07 Kyle Larson: early \\| \\*bold\\* note")
    heim = sheet(HOMESTEAD, 61, drivers=("11",)).split("## #11 Corey Heim\n\n", 1)[1]
    assert "- Stage 1: P1\n- Stage 2: P1" in heim


@pytest.mark.parametrize("path", race_files(bundled_races_dir()), ids=lambda p: p.stem)
def test_nothing_from_after_the_lap(path):
    """The sheet at N of the race and of the race changed in everything after N are the same.
    Where the lap's state itself differs (the text export does too), that is the engine's, and
    tests/test_spoilers.py reports it: the lap is left to it."""
    race = load_race(path)
    real = Timeline(race)
    checked = 0
    for lap in sorted({0, 1, real.final_lap // 3, real.final_lap // 2, real.final_lap - 1}):
        changed = Timeline(after(race, lap))
        if to_text(real.state_at(lap)) != to_text(changed.state_at(lap)):
            continue
        notes = (Note(lap, "now", next(iter(race.entries))), Note(lap + 1, "LATER"))
        drivers = tuple(race.entries)[:3]
        seen = FORMATS["md"].render(ExportRequest.at(real, lap, notes, drivers))
        other = FORMATS["md"].render(ExportRequest.at(changed, lap, notes, drivers))
        assert seen == other, f"lap {lap}"
        assert "LATER" not in seen and "CHANGED" not in other
        checked += 1
    assert checked >= 3


def test_text_renders_as_before_and_json_adds_the_statistics_and_notes_through_a_request():
    timeline = Timeline(load_race(HOMESTEAD))
    request = ExportRequest.at(timeline, 91, NOTES, ("07",))
    assert FORMATS["text"].render(request) == to_text(timeline.state_at(91)) == FORMATS["text"].render(request.state)
    data = json.loads(FORMATS["json"].render(request))
    bare = json.loads(render_json(timeline.state_at(91)))
    assert {key: value for key, value in data.items() if key not in ("stats", "notes", "battles")} == bare
    assert [note["lap"] for note in data["notes"]] == sorted(n.lap for n in NOTES if n.lap <= 91)
    assert data["battles"] == []  # no lap times at Homestead: no gaps, no battles
    assert data["stats"]["leaders"] is None and data["stats"]["known_leaders"]


def run(*args: str, data: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "RACE_REPLAY_DATA_DIR": str(data)}
    return subprocess.run([sys.executable, "-m", "replay", *args], capture_output=True, text=True, timeout=60, env=env)


def test_export_md_on_the_command_line(tmp_path, data_dir):
    race = Path(shutil.copy(HOMESTEAD, tmp_path / HOMESTEAD.name))
    NotesBook.open(race).add(Note(50, "from the sidecar"))
    NotesBook.open(race).add(Note(120, "after the lap"))
    out = tmp_path / "sheet.md"
    result = run("export", str(race), "--lap", "91", "--format", "md", "--driver", "07", "--driver", "Rhodes", "-o", str(out),
                 data=data_dir)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{out}: lap 91 as md\n", "")
    text = out.read_text(encoding="utf-8")
    assert sections(text)[-2:] == ["#07 Kyle Larson", "Ben Rhodes"]
    assert "- **L50**: from the sidecar" in text and "after the lap" not in text
    assert race.read_bytes() == HOMESTEAD.read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("args, says", [
    (["--format", "md", "--driver", "nobody"], "race-replay: {race}: --driver: no driver or car number 'nobody' in this race"),
    (["--driver", "07"], "race-replay: --driver: the text format has no driver sections (give --format md)"),
    (["--format", "md", "--lap", "135"], "race-replay: {race}: --lap: lap 135 is past the scheduled 134 laps"),
])
def test_export_md_errors_are_one_line(tmp_path, data_dir, args, says):
    lap = [] if "--lap" in args else ["--lap", "91"]
    result = run("export", str(HOMESTEAD), *lap, *args, data=data_dir)
    assert result.returncode == 2 and result.stdout == "" and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(says.format(race=HOMESTEAD))


@pytest.mark.parametrize("export_format", ["md", "json"])
def test_an_unreadable_notes_file_never_stops_an_export_it_says_so_and_is_left(tmp_path, data_dir, export_format):
    race = Path(shutil.copy(HOMESTEAD, tmp_path / HOMESTEAD.name))
    sidecar_path(race).write_text("notes: [\n")
    result = run("export", str(race), "--lap", "91", "--format", export_format, data=data_dir)
    assert result.returncode == 0 and len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"race-replay: exported without notes: {sidecar_path(race)}:")
    assert "YAML syntax" in result.stderr
    whole = run("export", str(HOMESTEAD), "--lap", "91", "--format", export_format, data=data_dir).stdout
    assert result.stdout == whole, "the export as without notes"
    assert run("export", str(race), "--lap", "91", data=data_dir).returncode == 0, "text has no notes: not its business"
    assert sidecar_path(race).read_text() == "notes: [\n"


def test_a_driver_section_gives_the_best_lap_outside_the_fastest_three():
    """Atlanta at lap 100: #66's best so far is nowhere near the race's fastest; it is its own."""
    timeline = Timeline(load_race(ATLANTA))
    best = timeline.lap_times.bests(100)["66"]
    assert "66" not in {f.entry.key for f in timeline.state_at(100).fastest_laps}
    section = sheet(ATLANTA, 100, drivers=("66",)).split("## #66 ", 1)[1]
    assert f"- Best lap: {best.time:.3f} s (lap {best.lap})" in section
