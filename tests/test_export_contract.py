"""The JSON export against its published schema (written from docs/FORMAT.md) and against the race
files themselves: every key and type at several laps of every bundled race, and the values that a
schema cannot check (laps to go, the official order beside the order at the line)."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import jsonschema
import pytest
import yaml

from replay.core.engine import Timeline
from replay.core.notes import Note
from replay.export import FORMATS, ExportRequest, export_schema_text
from replay.racefile.bundled import bundled_races_dir, race_files
from replay.racefile.loader import load_race
from tests.conftest import ROOT
from tests.test_engine import OVERTIME

RACES = race_files(bundled_races_dir())
NOTES = (Note(0, "Grid thoughts"), Note(5, "Watch the leader"))  # a note about nobody: number and driver null
FINISH_ONLY = {"margin_of_victory", "next_race", "race_notes", "official_results", "loop_data", "standings"}


@cache
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(export_schema_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def laps_to_check(raw: dict) -> list[int]:
    """The grid, the first lap, each stage end and the lap after it, the middle, the last two laps."""
    race = raw["race"]
    final = race.get("actual_laps", race["laps"])
    ends = [end for end in race.get("stage_ends", []) if isinstance(end, int)]
    laps = {0, 1, final // 2, final - 1, final, *ends, *(end + 1 for end in ends if end < final)}
    return sorted(lap for lap in laps if 0 <= lap <= final)


def export_at(path: Path, lap: int, timeline: Timeline | None = None) -> dict:
    """The export as the command line writes it (statistics and notes included), read back."""
    timeline = timeline or Timeline(load_race(path))
    return json.loads(FORMATS["json"].render(ExportRequest.at(timeline, lap, NOTES)))


def exports(path: Path) -> list[tuple[int, dict, dict]]:
    """(lap, export, the race file as YAML) at each lap worth checking."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    timeline = Timeline(load_race(path))
    return [(lap, export_at(path, lap, timeline), raw) for lap in laps_to_check(raw)]


def assert_follows_schema(data: dict, where: str) -> None:
    errors = [f"{where}: /{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator().iter_errors(data)]
    assert not errors, "\n".join(errors[:10])


def test_the_schema_is_published_by_the_command_and_is_a_valid_schema():
    result = subprocess.run([sys.executable, "-m", "replay", "schema", "--export"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == validator().schema


def schema_keys(node: object) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        found |= set(node.get("properties", {}))
        for value in node.values():
            found |= schema_keys(value)
    elif isinstance(node, list):
        for value in node:
            found |= schema_keys(value)
    return found


def test_the_schema_and_the_documented_contract_name_the_same_keys():
    """The schema is written from docs/FORMAT.md: a key in one and not the other is a mistake in one."""
    doc = (ROOT / "docs" / "FORMAT.md").read_text(encoding="utf-8")
    contract = doc.split("## The export contract", 1)[1].split("```", 2)[1]
    # a key opens an object or follows a comma; a value follows a colon, a bar or a bracket
    documented = set(re.findall(r'(?:^|[{,])\s*"([a-z_]+)"', contract, flags=re.MULTILINE))
    assert schema_keys(validator().schema) == documented


@pytest.mark.parametrize("path", RACES, ids=lambda p: p.stem)
def test_every_bundled_race_follows_the_schema_at_every_lap_checked(path):
    for lap, data, _ in exports(path):
        assert_follows_schema(data, f"{path.name} lap {lap}")


def test_a_race_that_went_to_overtime_follows_the_schema(write_race):
    path = write_race(base=OVERTIME)
    for lap in range(13):
        assert_follows_schema(export_at(path, lap), f"lap {lap}")


@pytest.mark.parametrize("path", RACES, ids=lambda p: p.stem)
def test_the_exported_values_agree_with_the_race_file(path):
    for lap, data, raw in exports(path):
        where = f"{path.name} lap {lap}"
        scheduled = raw["race"]["laps"]
        final = raw["race"].get("actual_laps", scheduled)
        assert data["lap"] == lap, where
        expected_to_go = 0 if lap == final else (scheduled - lap if lap <= scheduled else None)
        assert data["laps_to_go"] == expected_to_go, where
        assert data["race"]["laps"] == scheduled, where
        assert data["race"]["final_lap"] == (final if lap == final else None), where
        positions = [row["pos"] for row in data["leaderboard"]]
        assert positions == sorted(set(positions)), where  # a sparse race may know P1, P2 and P14 only
        if raw.get("lap_times"):  # a complete race knows every place
            assert positions == list(range(1, len(positions) + 1)), where
        assert all(row["as_of"] <= lap for row in data["leaderboard"]), where
        assert all(e["lap"] is not None and e["lap"] <= lap for e in data["events"] if lap < final), where
        assert all(q["when"] != "post-race" and (q["lap"] or 0) <= lap for q in data["quotes"] if lap < final), where
        assert (FINISH_ONLY <= set(data)) == (lap == final) and (FINISH_ONLY & set(data)) in (set(), FINISH_ONLY), where


@pytest.mark.parametrize("path", RACES, ids=lambda p: p.stem)
def test_official_results_keep_the_order_at_the_line_beside_the_official_one(path):
    """``line_pos`` is the race file's place at the line; ``pos`` the official place after any
    disqualification (which has none and goes last)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    data = export_at(path, raw["race"].get("actual_laps", raw["race"]["laps"]))
    driver = {str(e.get("number") or e["driver"]): e["driver"] for e in raw["entries"]}  # cars are keyed so
    line = {driver[str(r["car"])]: r["pos"] for r in raw.get("results", []) if r.get("pos")}
    official = data["official_results"]
    assert {r["driver"]: r["line_pos"] for r in official} == line
    disqualified = [r for r in official if r["status"] == "disqualified"]
    assert all(r["pos"] is None for r in disqualified)
    placed = [r for r in official if r["pos"] is not None]
    assert [r["line_pos"] for r in placed] == sorted(r["line_pos"] for r in placed)
    for row in placed:  # each car moves up one place for each car disqualified ahead of it at the line
        assert row["pos"] == row["line_pos"] - sum(d["line_pos"] < row["line_pos"] for d in disqualified)
    assert official[len(placed):] == disqualified


def test_the_disqualified_winner_of_the_line_is_second_at_the_line_and_has_no_official_place():
    data = export_at(ROOT / "races" / "2023-trucks-homestead.yaml", 134)
    by_number = {r["number"]: (r["pos"], r["line_pos"], r["status"]) for r in data["official_results"]}
    assert by_number["38"] == (None, 2, "disqualified")
    assert by_number["99"][:2] == (2, 3)


@pytest.mark.parametrize("change", [
    lambda d: d["leaderboard"][0].update(asof=d["leaderboard"][0].pop("as_of")),
    lambda d: d.update(laps_to_go=-1),
    lambda d: d["leaderboard"][0].update(certainty="guessed"),
    lambda d: d["leaderboard"][0].update(number=7),
    lambda d: d.pop("flag"),
    lambda d: d.update(margin_of_victory=1.3),
], ids=["renamed-key", "negative-laps-to-go", "unknown-certainty", "number-as-int", "missing-key", "finish-key-alone"])
def test_the_schema_refuses_a_changed_contract(change):
    data = export_at(ROOT / "races" / "2023-xfinity-atlanta.yaml", 100)
    assert_follows_schema(data, "unchanged")
    changed = copy.deepcopy(data)
    change(changed)
    assert list(validator().iter_errors(changed))
