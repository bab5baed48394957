"""The race-replay command: exit codes, one-line errors, and the JSON export contract."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest
import yaml

from replay.racefile.bundled import bundled_races_dir, race_files
from tests.conftest import HOMESTEAD, MINIMAL, ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "replay", *args], capture_output=True, text=True, timeout=60)


def export_json(lap: str) -> dict:
    result = run("export", str(HOMESTEAD), "--lap", lap, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_validate_ok():
    result = run("validate", str(HOMESTEAD))
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{HOMESTEAD}: ok\n", "")


def test_validate_without_files_checks_the_bundled_races():
    result = run("validate")
    assert result.returncode == 0
    assert result.stdout.count(": ok") == len(race_files(bundled_races_dir())) >= 1


def test_validate_bad_file_exits_2_with_one_line_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("race: {series: S, name: N, track: T, laps: 5, stage_ends: [9]}\nsources: {}\nentries: []\nfoo: 1\n")
    result = run("validate", str(HOMESTEAD), str(bad))
    assert result.returncode == 2
    assert result.stdout == f"{HOMESTEAD}: ok\n"
    assert result.stderr.splitlines() == [
        f"{bad}:1:60: stage end 9 is past the race length (5 laps)",
        f"{bad}:4:1: unknown key `foo` in the race file; expected one of: "
        "format, race, sources, entries, running_order, lap_times, laps_down, race_times, leaders, flags, stage_results, "
        "events, quotes, results, standings, disputes, loop_data",
    ]


@pytest.mark.parametrize("content", [b"", b"\x00\x01", b"[" * 5000, b"a: *x\n"])
def test_hostile_files_never_print_a_traceback(tmp_path, content):
    path = tmp_path / "hostile.yaml"
    path.write_bytes(content)
    for args in (("validate", str(path)), ("export", str(path), "--lap", "1"), (str(path),)):
        result = run(*args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr
        prefix = "" if args[0] == "validate" else "race-replay: "  # validate lists as compilers do
        assert result.stderr.startswith(prefix + str(path)) and len(result.stderr.splitlines()) == 1


def test_export_json_contract_at_lap_91():
    data = export_json("91")
    assert data["race"] == {
        "series": "NASCAR Craftsman Truck Series", "name": "Baptist Health 200",
        "track": "Homestead-Miami Speedway", "date": "2025-03-21", "laps": 134, "stage_ends": [30, 60, 134],
        "final_lap": None, "track_type": "oval", "estimated": {}, "partial": ["lead_changes"], "in_progress": False,
    }  # final_lap: the distance actually run is known at the finish
    assert (data["lap"], data["flag"], data["stage"], data["laps_to_go"]) == (91, "yellow", 3, 43)
    spin = [e for e in data["events"] if e["kind"] == "spin"]
    assert spin == [{
        "lap": 91, "when": "race", "kind": "spin", "drivers": ["Kyle Larson", "Layne Riggs"],
        "numbers": ["07", "34"], "sources": ["report", "engle"], "estimated": None,
        "text": "Diving under Riggs into turn 1, Larson makes contact, gets loose and spins. No damage. "
                "(Racing for the lead or for second: see disputes.)",
        "window": None, "time": None, "speed_mph": None,
    }]
    assert all(q["when"] == "pre-race" or (q["when"] == "race" and q["lap"] <= 91) for q in data["quotes"])
    assert "official_results" not in data and "standings" not in data


def test_export_final_shows_the_winner_top_ten_and_laps_led():
    data = export_json("final")
    top = [(r["pos"], r["number"], r["driver"], r["laps_led"]) for r in data["leaderboard"][:3]]
    assert top == [(1, "07", "Kyle Larson", 20), (2, "34", "Layne Riggs", 3), (3, "11", "Corey Heim", 78)]
    assert [r["driver"] for r in data["leaderboard"][3:10]] == [
        "Tyler Ankrum", "Daniel Hemric", "Ross Chastain", "Jake Garcia", "Chandler Smith", "Grant Enfinger",
        "Kaden Honeycutt",
    ]
    assert [s["winner"]["driver"] for s in data["stage_results"]] == ["Corey Heim", "Corey Heim", "Kyle Larson"]
    assert any(q["when"] == "post-race" and q["driver"] == "Kyle Larson" for q in data["quotes"])


def test_export_text_is_readable():
    result = run("export", str(HOMESTEAD), "--lap", "91")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[1] == ("Lap 91 / 134 (43 to go) · YELLOW (Larson spins in turn 1) · Stage 3/3 · Cautions 4"
                        " · Lead changes 3+")
    assert any("spin" in line and "Larson makes contact" in line for line in lines)


@pytest.mark.parametrize("lap", ["135", "-1", "ten", "200 to go"])
def test_export_bad_lap(lap):
    result = run("export", str(HOMESTEAD), "--lap", lap)
    assert result.returncode == 2 and result.stdout == ""
    line = result.stderr.removesuffix("\n")
    assert line.startswith(f"race-replay: {HOMESTEAD}: --lap: ") and "\n" not in line
    assert "134" in line, "says what the race's laps are"


@pytest.mark.parametrize("lap, expected", [("final", 134), ("end", 134), ("10 to go", 124), ("0", 0), ("grid", 0)])
def test_export_takes_the_viewers_lap_words(lap, expected):
    data = export_json(lap)
    assert data["lap"] == expected
    assert data["race"]["final_lap"] == (134 if expected == 134 else None)


def test_schema_is_valid_and_accepts_every_bundled_race():
    result = run("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in race_files(bundled_races_dir()):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = json.loads(json.dumps(data, default=str))  # YAML dates and int keys as JSON sees them
        jsonschema.validate(data, schema)


def test_schema_rejects_a_typo():
    schema = json.loads(run("schema").stdout)
    data = yaml.safe_load(HOMESTEAD.read_text(encoding="utf-8"))
    data = json.loads(json.dumps(data, default=str))
    data["evnts"] = []
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_text_export_shows_gaps_and_laps_down_for_timed_races():
    result = run("export", str(HOMESTEAD.parent / "2023-xfinity-atlanta.yaml"), "--lap", "140")
    lines = result.stdout.splitlines()
    assert "Gap" in lines[3] and "Int" in lines[3]
    creed = next(line for line in lines if "Sheldon Creed" in line)
    assert "+1 lap" in creed
    assert "Gap" not in run("export", str(HOMESTEAD), "--lap", "91").stdout.splitlines()[3]


def test_a_crash_in_the_viewer_exits_non_zero(capsys):
    """Textual prints the traceback and returns; the command must not then exit 0."""
    from replay.cli import run_app
    from replay.viewer.app import ReplayApp

    class Crashing(ReplayApp):
        def on_mount(self) -> None:
            raise RuntimeError("a drawing bug")

    assert run_app(Crashing(), headless=True) == 1
    assert "a drawing bug" in capsys.readouterr().err


def test_an_empty_folder_says_there_is_no_race_and_what_to_do(tmp_path):
    result = run(str(tmp_path))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"race-replay: {tmp_path}: no race files") and "import nascar" in result.stderr


def test_a_folder_of_notes_and_folders_has_no_race(tmp_path):
    """Race files are YAML files (``x.yaml``, ``x.yml``), not notes, folders or a bare ``.yaml``."""
    (tmp_path / "race.notes.yaml").write_text("notes: []\n", encoding="utf-8")
    (tmp_path / "folder.yaml").mkdir()
    (tmp_path / ".yaml").write_text("race: {}\n", encoding="utf-8")
    result = run(str(tmp_path))
    assert result.returncode == 2 and result.stderr.startswith(f"race-replay: {tmp_path}: no race files")


def test_the_viewer_command_turns_the_collector_back_on(tmp_path):
    """The viewer starts without the cycle collector (cli._view); however the command ends, it is on after."""
    import gc

    from replay.cli import main

    assert gc.isenabled()
    assert main([str(tmp_path)]) == 2  # no race here: the command stops before any frame
    assert gc.isenabled()


def test_a_mistyped_command_gets_a_suggestion():
    result = run("exprt", str(HOMESTEAD), "--lap", "5")
    assert result.returncode == 2 and "did you mean 'export'?" in result.stderr


def test_version():
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("race-replay ")


def test_validate_takes_a_folder(tmp_path):
    (tmp_path / "good.yaml").write_text(MINIMAL)
    result = run("validate", str(tmp_path))
    assert result.returncode == 0 and result.stdout == f"{tmp_path / 'good.yaml'}: ok\n"


def test_export_writes_a_file_atomically_with_o(tmp_path):
    out = tmp_path / "sheet.txt"
    result = run("export", str(HOMESTEAD), "--lap", "91", "-o", str(out))
    assert result.returncode == 0 and out.read_text().splitlines()[1].startswith("Lap 91 / 134")
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.txt"]


def test_text_export_names_the_cars_and_reads_kinds_as_words():
    lines = run("export", str(ROOT / "races" / "2023-xfinity-atlanta.yaml"), "--lap", "final").stdout.splitlines()
    pit = next(line for line in lines if "Pit stop under caution" in line)
    assert "pit" in pit and "#" in pit.split(": Pit stop")[0], "the car is named"
    assert not any("stage_end" in line or "lead_change" in line for line in lines)
    header = next(i for i, line in enumerate(lines) if line.lstrip().startswith("Pos"))
    rows = lines[header:header + 39]
    status_columns = {next(row.index(word) for word in (" running", " unknown", " out") if word in row) for row in rows[1:]}
    assert len(status_columns) == 1, "the status column does not shift after '+120 laps'"


def test_text_export_has_the_quotes_so_far():
    text = run("export", str(HOMESTEAD), "--lap", "0").stdout
    assert "Quotes" in text and "— Kyle Larson (before the race" in text


def test_the_viewer_shows_the_first_errors_of_a_bad_file_and_how_to_see_the_rest(tmp_path):
    """Forty errors once scrolled the first ones off the screen."""
    path = tmp_path / "many.yaml"
    path.write_text(MINIMAL + "".join(f'  - {{number: "{i}", driver: D{i}, bogus: 1}}\n' for i in range(20, 60)))
    lines = run(str(path)).stderr.splitlines()
    assert len(lines) == 9 and lines[0].startswith(f"race-replay: {path}:") and "bogus" in lines[0]
    assert lines[-1] == f"race-replay: ... and 32 more: race-replay validate {path} lists them all"
    assert len(run("validate", str(path)).stderr.splitlines()) == 40


def test_export_help_describes_its_arguments():
    out = run("export", "--help").stdout
    assert "--lap LAP" in out and "'N to go'" in out and "text: " in out and "json: " in out and "--output" in out


def test_json_gives_the_margin_and_next_race_at_the_finish_only():
    assert "margin_of_victory" not in export_json("133")
    final = export_json("final")
    assert {"margin_of_victory", "next_race", "race_notes"} <= final.keys()
