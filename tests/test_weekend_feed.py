"""`import nascar` of real feed files as they are served: the Cup weekend feed of race 5274
(Richmond, 2023-04-02), and NASCAR files that are not a race's record (a live snapshot, the points
table, a season's race list). Copies in tests/data/feeds/nascar-2023-samples/ (see its README).

Every fact of the imported race is checked against the field it comes from.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from replay.core.engine import Timeline
from replay.core.stats import stats_at
from replay.export.json_contract import to_json
from replay.racefile.audit import audit
from replay.racefile.loader import load_race
from replay.sources.base import FeedError, ImportOptions
from replay.sources.nascar.importer import import_nascar
from tests.conftest import ROOT, screen_text
from tests.spoilers import after

SAMPLES = ROOT / "tests" / "data" / "feeds" / "nascar-2023-samples"
WEEKEND = "weekend-feed-cup-5274.json"
NOT_RACES = {  # file -> what it is, word for word as the import says it
    "live-feed-cup-5272-lap233.json": "a live snapshot (live-feed.json) of Ambetter Health 400, Atlanta Motor Speedway "
                                      "(race 5272): one moment of a race, not the laps before it "
                                      "or its finish",
    "live-points-cup.json": "a points table (live_points.json) of 48 drivers, not a race's record",
    "race_list_basic.json": "a season's list of races (race_list_basic.json): 97 races of 2023 in 3 series, "
                            "not one race's record",
}
WARNINGS_5274 = [
    f"{WEEKEND} states 22 lead changes, the timeline counts 21: NASCAR's total also counts the car that started "
    "first (#48) losing the lead on lap 1; the replay counts changes of the leader from lap 1 on; the finish shows 22",
    f"{WEEKEND}: the caution for stage 1's end (weekend_race[0].caution_segments[2]) starts at lap 72, but stage 1 "
    "ends at lap 70 (stage lengths); both are kept as the feed gives them",
    f"{WEEKEND}: the caution for stage 2's end (weekend_race[0].caution_segments[4]) starts at lap 232, but stage 2 "
    "ends at lap 230 (stage lengths); both are kept as the feed gives them",
]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "replay", *args], capture_output=True, text=True, timeout=120)


def feed() -> dict:
    """The real file, parsed."""
    return json.loads((SAMPLES / WEEKEND).read_text(encoding="utf-8-sig"))


def race_of(data: dict) -> dict:
    return data["weekend_race"][0]


def folder_with(tmp_path: Path, files: dict[str, object]) -> Path:
    """A feed folder holding ``files``: a name -> a sample's name (copied as it is) or JSON data."""
    folder = tmp_path / "feeds"
    folder.mkdir(exist_ok=True)
    for name, content in files.items():
        if isinstance(content, str):
            shutil.copy(SAMPLES / content, folder / name)
        else:
            (folder / name).write_text(json.dumps(content), encoding="utf-8")
    return folder


def imported(tmp_path: Path, data: object = WEEKEND, options: ImportOptions | None = None,
             name: str = WEEKEND) -> tuple[Timeline, list[str]]:
    result = import_nascar(folder_with(tmp_path, {name: data}), options or ImportOptions())
    path = tmp_path / "race.yaml"
    path.write_text(result.text, encoding="utf-8")
    return Timeline(load_race(path)), result.warnings


@pytest.fixture(scope="module")
def richmond(tmp_path_factory) -> tuple[Timeline, list[str], Path]:
    folder = folder_with(tmp_path_factory.mktemp("richmond"), {WEEKEND: WEEKEND})
    out = folder.parent / "race.yaml"
    result = run("import", "nascar", str(folder), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ("race-replay: 3 notes tell of the race itself (its cautions, lead changes, finish); "
                             "add --spoilers to read them\n")  # every warning tells of the race: counted
    result = run("import", "nascar", str(folder), "-o", str(out), "--spoilers")
    warnings = [line.removeprefix("warning: ") for line in result.stderr.splitlines()]
    return Timeline(load_race(out)), warnings, out


def test_the_real_file_imports_as_it_is_and_validates_strictly(richmond):
    timeline, warnings, out = richmond
    assert warnings == WARNINGS_5274
    result = run("validate", "--strict", str(out))
    assert result.returncode == 0 and result.stdout == f"{out}: ok\n", result.stdout + result.stderr
    assert audit(timeline) == []


def test_served_and_saved_names_give_the_same_race(tmp_path, richmond):
    served, _ = imported(tmp_path, name="weekend-feed.json")
    assert served.race.info == richmond[0].race.info and served.race.leaders == richmond[0].race.leaders
    assert richmond[0].race.sources["weekend-feed"].file == f"feeds/{WEEKEND}"


def test_race_facts_come_from_their_fields(richmond):
    info, race = richmond[0].race.info, race_of(feed())
    assert race["series_id"] == 1 and info.series == "NASCAR Cup Series"
    assert (info.name, info.track, info.date) == (race["race_name"], race["track_name"], race["race_date"][:10])
    assert info.laps == race["scheduled_laps"] == race["actual_laps"] and info.actual_laps is None
    lengths = [race["stage_1_laps"], race["stage_2_laps"], race["stage_3_laps"]]  # stage_4_laps is 0: no stage 4
    assert race["stage_4_laps"] == 0 and info.stage_ends == (lengths[0], lengths[0] + lengths[1], sum(lengths))
    assert info.margin_of_victory == float(race["margin_of_victory"])
    assert info.notes == ("The feed states 22 lead changes among 11 leaders, and 8 cautions for 54 laps.",
                          f"NASCAR's race comments: {race['race_comments'].strip()}")


def test_the_grid_and_the_leader_of_every_lap_come_from_the_results_and_race_leaders(richmond):
    timeline, race = richmond[0], race_of(feed())
    grid = [row.entry.number for row in timeline.state_at(0).leaderboard]
    assert grid == [r["car_number"] for r in sorted(race["results"], key=lambda r: r["starting_position"])]
    spans = race["race_leaders"]
    assert (spans[0]["start_lap"], spans[0]["end_lap"], spans[0]["car_number"]) == (0, 0, grid[0])  # the pole
    for span in spans[1:]:
        for lap in (span["start_lap"], span["end_lap"]):
            assert timeline.state_at(lap).leaderboard[0].entry.number == span["car_number"], lap
    final = timeline.state_at(timeline.final_lap)
    led = {row.entry.number: row.laps_led for row in final.leaderboard}
    assert led == {r["car_number"]: r["laps_led"] for r in race["results"]}
    assert timeline.positions.laps_led(timeline.final_lap) == {c: n for c, n in led.items() if n}  # no dispute needed


def test_cautions_are_flag_periods_with_their_reasons_and_events(richmond):
    timeline, race = richmond[0], race_of(feed())
    segments = race["caution_segments"]
    assert [(p.flag, p.first, p.last, p.code) for p in timeline.race.flags] == [
        ("caution", s["start_lap"], s["end_lap"], s["flag_state"]) for s in segments]
    assert [timeline.state_at(lap).flag for lap in (45, 46, 50, 51)] == ["green", "yellow", "yellow", "green"]
    assert timeline.state_at(46).flag_reason == "Accident: #11, 15 Incident Turn 1"
    assert timeline.state_at(32).flag_reason == "Competition Caution"  # the comment repeats the reason
    cautions = [e for e in timeline.race.events if e.kind == "caution"]
    assert [e.lap for e in cautions] == [s["start_lap"] for s in segments]
    assert cautions[7].cars == ("20", "24", "4") and "beneficiary: #7" in cautions[7].text
    final = timeline.state_at(timeline.final_lap)
    assert final.cautions == race["number_of_cautions"] == 8
    assert sum(p.last - p.first + 1 for p in timeline.race.flags) == race["number_of_caution_laps"] == 54


def test_stated_totals_against_what_the_timeline_derives(richmond):
    """Lead changes 22 stated, 21 counted (NASCAR counts the pole-sitter's loss of the lead on lap 1):
    the count until the finish, NASCAR's total at it, as laps led; leaders 11 = 11; cautions 8 = 8;
    caution laps 54 = 54."""
    timeline, race = richmond[0], race_of(feed())
    final = timeline.state_at(timeline.final_lap)
    leaders = {timeline.positions.leader(lap) for lap in range(1, timeline.final_lap + 1)}
    assert (race["number_of_lead_changes"], final.lead_changes) == (22, 22)
    assert final.count_label("lead_changes") == "22"
    assert timeline.state_at(timeline.final_lap - 1).lead_changes == 21
    assert len(leaders) == race["number_of_leaders"] == 11
    [dispute] = timeline.race.disputes
    assert dispute.topic == "Number of lead changes" and dispute.used == 1
    assert [v.says for v in dispute.versions] == ["22 (the race's stated total, weekend-feed.json)",
                                                  "21, counted from the leader of each lap over laps 1-400"]


def test_each_change_of_leader_is_an_event_and_a_gap_in_the_leaders_makes_the_count_partial(richmond, tmp_path):
    timeline = richmond[0]
    changes = [e for e in timeline.race.events if e.kind == "lead_change"]
    assert len(changes) == timeline.state_at(timeline.final_lap - 1).lead_changes == 21  # at the finish, NASCAR's 22
    assert (changes[0].lap, changes[0].cars, changes[0].text) == (2, ("48", "8"), "Alex Bowman takes the lead from Kyle Busch")
    data = feed()
    del race_of(data)["race_leaders"][5]  # #24's laps 50-123: who led them is now unknown
    gapped, _ = imported(tmp_path, data)
    assert gapped.race.info.partial == ("lead_changes",) and gapped.positions.leader(60) is None
    assert gapped.state_at(200).count_label("lead_changes") == "6+"  # the changes at known laps: 2, 10, 34, 161, 167, 197
    assert gapped.state_at(gapped.final_lap).leaderboard[0].laps_led == 93  # the results' total at the finish
    assert gapped.race.disputes == () and audit(gapped) == []  # laps whose leader is unknown contradict nothing


def test_results_statuses_and_stage_results(richmond):
    timeline, race = richmond[0], race_of(feed())
    assert [(r.pos, r.car, r.laps, r.laps_led, r.points, r.status) for r in timeline.race.results] == [
        (r["finishing_position"], r["car_number"], r["laps_completed"], r["laps_led"], r["points_earned"],
         r["finishing_status"].lower()) for r in race["results"]]
    gragson = timeline.race.entries["42"]
    assert (gragson.driver, gragson.team) == ("Noah Gragson", "Legacy Motor Club")
    at_350 = timeline.state_at(350)
    status = {car.entry.number: (car.status, car.detail) for car in (*at_350.leaderboard, *at_350.unplaced)}
    # 303 laps completed, "Accident": out from the caution that names him (ends_race); the result's
    # word is the finish's
    assert status["42"] == ("out", "retired")
    final = timeline.state_at(timeline.final_lap)
    assert next((r.status, r.detail) for r in final.leaderboard if r.entry.number == "42") == ("out", "accident")
    assert {s.stage: s.winner.number for s in final.stage_results} == {1: "24", 2: "11", 3: "5"}
    assert [(p.pos, p.entry.number, p.points) for p in final.stage_results[0].places] == [
        (r["finishing_position"], r["car_number"], r["stage_points"]) for r in race["stage_results"][0]["results"]]


@pytest.mark.parametrize("lap", [0, 1, 70, 71, 200, 307, 399])
def test_nothing_after_the_lap_shows_at_it(richmond, lap):
    """The export at ``lap`` is the same for the race changed in everything after it (tests/spoilers.py)."""
    timeline = richmond[0]
    assert to_json(timeline.state_at(lap)) == to_json(Timeline(after(timeline.race, lap)).state_at(lap))
    state = timeline.state_at(lap)
    assert state.official == () and "Kyle Larson won" not in json.dumps(to_json(state))


async def test_it_opens_in_the_viewer_without_the_result_before_the_finish(richmond):
    from replay.viewer.app import ReplayApp

    app = ReplayApp(richmond[0], lap=199, transient=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right")
        mid = screen_text(app)
        await pilot.press("end")
        finish = screen_text(app)
    assert "Lap 200 / 400" in mid and "Leader #24 William Byron" in mid and "wins" not in mid.split("Incidents")[0]
    assert "CHECKERED" in finish and "Kyle Larson wins" in finish


def test_overtime_keeps_the_scheduled_distance_until_the_race_gets_past_it(tmp_path):
    """After the race stage_N_laps count the laps run: the last stage of an overtime finish is
    written as ending with the race, so the grid does not show that the race runs long."""
    data = feed()
    race = race_of(data)
    race["scheduled_laps"] = 395  # the real race as if scheduled for 395 laps and finished in overtime at 400
    timeline, warnings = imported(tmp_path, data, name="weekend-feed.json")
    info = timeline.race.info
    assert (info.laps, info.actual_laps, info.stage_ends) == (395, 400, (70, 230, 395))
    assert timeline.state_at(200).stage_ends == (70, 230, 395) and timeline.state_at(394).laps_to_go == 1
    assert not timeline.state_at(395).overtime and timeline.state_at(396).overtime
    assert timeline.state_at(400).finished and timeline.stage_at(398) == 3
    assert not [w for w in warnings if "left unknown" in w or "the stage lengths (" in w]


def test_a_shortened_race_leaves_its_last_stage_end_unknown(tmp_path):
    data = feed()
    race_of(data)["scheduled_laps"] = 500  # as if scheduled for 500 and stopped at 400
    timeline, warnings = imported(tmp_path, data, name="weekend-feed.json")
    assert timeline.race.info.stage_ends == (70, 230, None) and timeline.race.info.actual_laps == 400
    assert "weekend-feed.json: the race ran 400 of 500 laps; the last stage's end is left unknown, so that the early " \
           "finish does not show before it comes" in warnings


def test_stage_lengths_short_of_the_race_add_a_last_stage_marked_estimated(tmp_path):
    data = feed()
    race_of(data)["stage_3_laps"] = 100  # 70 + 160 + 100 = 330 of 400: a stage is missing from the fields
    timeline, _ = imported(tmp_path, data, name="weekend-feed.json")
    assert timeline.race.info.stage_ends == (70, 230, 330, 400)
    assert "cover 330 of the race's 400 laps" in timeline.race.info.estimated["stage_ends"]


def test_a_margin_in_words_is_kept_as_words(tmp_path):
    data = feed()
    race_of(data)["margin_of_victory"] = "Under Caution"
    timeline, _ = imported(tmp_path, data)
    assert timeline.race.info.margin_of_victory is None
    assert 'The feed gives the margin of victory as "Under Caution".' in timeline.race.info.notes


def test_a_stated_total_the_laps_contradict_is_a_dispute(tmp_path):
    data = feed()
    race_of(data)["number_of_cautions"] = 9
    race_of(data)["number_of_caution_laps"] = 50
    race_of(data)["number_of_leaders"] = 12
    timeline, warnings = imported(tmp_path, data)
    final = timeline.final_lap
    assert (timeline.state_at(final - 1).cautions, timeline.state_at(final).cautions) == (8, 9)
    counted, stated = stats_at(timeline, final - 1), stats_at(timeline, final)
    assert (counted.caution_laps, counted.leader_count) == (54, 11)
    assert (stated.caution_laps, stated.green_laps, stated.leader_count) == (50, final - 50, 12)
    dispute = next(d for d in timeline.race.disputes if d.topic == "Number of cautions")
    assert [v.says for v in dispute.versions] == ["9 (the race's stated total, weekend-feed.json)",
                                                  "8, counted from the flag periods over laps 1-400"]
    assert any(w.startswith(f"{WEEKEND} states 9 cautions, the timeline counts 8") for w in warnings)


def test_without_starting_positions_the_lap_zero_leader_is_the_grid(tmp_path):
    data = feed()
    for result in race_of(data)["results"]:
        del result["starting_position"]
    timeline, _ = imported(tmp_path, data)
    assert [row.entry.number for row in timeline.state_at(0).leaderboard] == ["48"]


def test_infractions_become_penalty_events(tmp_path):
    data = feed()
    race_of(data)["infractions"] = [{"lap": 120, "car_number": "5", "infraction": "Speeding on pit road"},
                                    {"car_number": "9", "penalty": "Loose lug nut"}, {"code": 7}]
    timeline, warnings = imported(tmp_path, data)
    penalties = [e for e in timeline.race.events if e.kind == "penalty"]
    assert [(e.lap, e.when, e.cars, e.text) for e in penalties] == [
        (120, "race", ("5",), "Speeding on pit road"), (None, "post-race", ("9",), "Loose lug nut")]
    assert f"{WEEKEND}: weekend_race[0].infractions[2]: an infraction with no description in a field we know " \
           "(code); left out" in warnings


RACE_KEYS = sorted(race_of(feed()))
ROW_KEYS = [(section, key) for section in ("results", "caution_segments", "race_leaders", "stage_results")
            for key in sorted({k for row in race_of(feed())[section] for k in row})]


@pytest.mark.parametrize("key", RACE_KEYS)
def test_every_race_field_is_optional(tmp_path, key):
    data = feed()
    del race_of(data)[key]
    if key == "scheduled_laps":
        with pytest.raises(FeedError, match=r"/feeds: the feeds do not give the race's laps"):
            imported(tmp_path, data, ImportOptions("S", "N", "T"))
    elif key == "results":
        with pytest.raises(FeedError, match=rf"/feeds/{WEEKEND}: no car of the race is named"):
            imported(tmp_path, data, ImportOptions("S", "N", "T"))
    else:
        timeline, _ = imported(tmp_path, data, ImportOptions("S", "N", "T"))
        assert timeline.state_at(timeline.final_lap).finished


@pytest.mark.parametrize("section, key", ROW_KEYS)
def test_every_field_of_a_row_is_optional(tmp_path, section, key):
    data = feed()
    for row in race_of(data)[section]:
        row.pop(key, None)
    if (section, key) in (("results", "car_number"), ("results", "driver_fullname")):
        with pytest.raises(FeedError, match="no car of the race is named"):
            imported(tmp_path, data)
        return
    timeline, warnings = imported(tmp_path, data)
    assert timeline.state_at(timeline.final_lap).finished
    if (section, key) in (("caution_segments", "start_lap"), ("race_leaders", "car_number")):
        assert any("left out" in w for w in warnings)


def test_the_series_comes_from_series_id_and_without_it_is_asked_for(tmp_path):
    data = feed()
    del race_of(data)["series_id"]
    with pytest.raises(FeedError) as error:
        imported(tmp_path, data)
    assert str(error.value) == f"{tmp_path / 'feeds'}: the feeds do not give the race's series; give --series"


def test_a_wrong_type_is_one_line_naming_the_file_as_it_is_called(tmp_path):
    data = feed()
    race_of(data)["scheduled_laps"] = "four hundred"
    folder = folder_with(tmp_path, {WEEKEND: data})
    result = run("import", "nascar", str(folder), "-o", str(tmp_path / "race.yaml"))
    assert result.returncode == 2 and not (tmp_path / "race.yaml").exists()
    assert result.stderr == (f"race-replay: {folder / WEEKEND}: weekend_race[0].scheduled_laps: should be a whole number, "
                             "not str 'four hundred'\n")


@pytest.mark.parametrize("name", sorted(NOT_RACES))
def test_a_file_that_is_not_a_race_is_refused_with_what_it_is(tmp_path, name):
    folder = folder_with(tmp_path, {name: name})
    result = run("import", "nascar", str(folder), "-o", str(tmp_path / "race.yaml"))
    assert result.returncode == 2 and not (tmp_path / "race.yaml").exists()
    assert result.stderr == f"race-replay: {folder / name}: {NOT_RACES[name]}; nothing here to import\n"


def test_beside_a_race_they_are_left_out_and_named(tmp_path):
    """The samples folder as the archive holds it: the weekend feed imports, the rest is named."""
    result = import_nascar(folder_with(tmp_path, {name: name for name in [WEEKEND, *NOT_RACES]}), ImportOptions())
    assert result.files == [WEEKEND]
    assert [w for w in result.warnings if w.endswith("; left out")] == [
        f"{name}: {what}; left out" for name, what in sorted(NOT_RACES.items())]


def test_a_served_name_holding_another_file_is_refused(tmp_path):
    folder = folder_with(tmp_path, {"weekend-feed.json": "race_list_basic.json"})
    with pytest.raises(FeedError) as error:
        import_nascar(folder, ImportOptions())
    assert str(error.value) == (f"{folder}/weekend-feed.json: holds a season's list of races (race_list_basic.json), "
                                "not a weekend feed (weekend-feed.json)")


def test_two_weekend_feeds_are_one_too_many(tmp_path):
    folder = folder_with(tmp_path, {"weekend-feed.json": WEEKEND, WEEKEND: WEEKEND})
    with pytest.raises(FeedError) as error:
        import_nascar(folder, ImportOptions())
    assert str(error.value) == f"{folder}/weekend-feed.json and {folder}/{WEEKEND} are both weekend-feed.json files; keep one"


def test_the_import_is_reproducible(tmp_path):
    folder = folder_with(tmp_path, {WEEKEND: WEEKEND})
    first = import_nascar(folder, ImportOptions()).text
    assert import_nascar(folder, ImportOptions()).text == first
    assert yaml.safe_load(first)["race"]["series"] == "NASCAR Cup Series"

