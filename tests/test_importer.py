"""`race-replay import nascar` on real feed files, a weekend feed, and broken files."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from replay.core.engine import Timeline
from replay.racefile.audit import audit
from replay.racefile.loader import load_race
from replay.sources.base import FeedError, ImportOptions
from replay.sources.nascar.files import split_name
from replay.sources.nascar.importer import import_nascar
from tests.conftest import ROOT

FEEDS = ROOT / "tests" / "data" / "feeds" / "nascar-xfinity-2023-atlanta-5314"
BUNDLED = ROOT / "races" / "2023-xfinity-atlanta.yaml"
OPTIONS = ImportOptions(track="Atlanta Motor Speedway")
LABELS = {1: "green", 2: "yellow", 3: "red", 4: "white"}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "replay", *args], capture_output=True, text=True, timeout=120)


def raw(name: str):
    return json.loads((FEEDS / name).read_text(encoding="utf-8-sig"))


@pytest.fixture(scope="module")
def atlanta() -> Timeline:
    return Timeline(load_race(BUNDLED))


def test_import_is_reproducible_and_matches_the_bundled_race():
    first = import_nascar(FEEDS, OPTIONS).text
    assert import_nascar(FEEDS, OPTIONS).text == first
    assert BUNDLED.read_text(encoding="utf-8") == first, "re-import races/2023-xfinity-atlanta.yaml (see README)"


def own_laps() -> dict[str, list[tuple[float, int]]]:
    """Car -> (race time, running position) at each of its own laps, from lap-times.json."""
    laps: dict[str, list[tuple[float, int]]] = {}
    for car in raw("lap-times.json")["laps"]:
        elapsed = 0.0
        for lap in sorted(car["Laps"], key=lambda lap: lap["Lap"]):
            elapsed += lap["LapTime"] or 0.0
            laps.setdefault(car["Number"], []).append((elapsed, lap["RunningPos"]))
    return laps


def crossed(laps: dict[str, list[tuple[float, int]]]) -> dict[str, list[tuple[float, int]]]:
    """``laps`` with each race time made no later than that of any car the feed places behind
    the car on the lap (the running order on a lap is the order of crossing; summed times lack
    each car's start offset)."""
    out = {car: list(rows) for car, rows in laps.items()}
    for lap in range(max(len(rows) for rows in laps.values())):
        earliest = float("inf")
        for time, pos, car in sorted(((*rows[lap], car) for car, rows in laps.items() if len(rows) > lap), reverse=True):
            earliest = min(earliest, time)
            out[car][lap] = (earliest, pos)
    return out


def test_each_lap_shows_every_car_at_its_latest_crossing_before_the_leaders_next(atlanta):
    """Lap N is the leader's lap N: a car d laps down is at its own lap N - d, the last it had
    completed before the leader completed lap N + 1 (never a later one), with that lap's time."""
    laps = crossed(own_laps())
    leader_at = [min(cars[lap][0] for cars in laps.values() if len(cars) > lap) for lap in range(atlanta.final_lap + 1)]
    lapped = 0
    for lap in range(1, atlanta.final_lap):
        rows = atlanta.state_at(lap).leaderboard
        assert {row.entry.number for row in rows} == set(laps), lap  # every car, every lap
        for row in rows:
            own = lap - (row.laps_down or 0)
            crossings = laps[row.entry.number]
            assert crossings[own][0] < leader_at[lap + 1], (lap, row.entry.number)  # known by then
            assert own == lap or len(crossings) == own + 1 or crossings[own + 1][0] >= leader_at[lap + 1]
            lapped += own < lap
        positions = [laps[row.entry.number][lap][1] for row in rows if not row.laps_down]
        if lap in (40, 41, 42, 43):  # under caution the leader second at the line keeps the lead (test_stats)
            positions[:2] = positions[1::-1]
        assert positions == sorted(positions), lap  # on the lead lap, the feed's order on the lap
    assert lapped > 500  # lapped cars are shown at their own laps, not the leader's
    final = sorted(raw("lap-times.json")["laps"], key=lambda car: car["RunningPos"])
    assert [row.entry.number for row in atlanta.state_at(atlanta.final_lap).leaderboard] == [c["Number"] for c in final]


def test_a_car_not_across_the_line_since_the_lap_before_is_unknown_at_its_last_lap(atlanta):
    """Joey Gase's race ended on lap 2 (a crash): he stays on the board at his last lap, laps down,
    and whether he is pitting or out the timing does not say (the race file gives no status)."""
    gase = [next(row for row in atlanta.state_at(lap).leaderboard if row.entry.number == "53") for lap in (1, 2, 140)]
    assert [(row.status, row.detail, row.laps_down) for row in gase] == [
        ("running", None, None), ("unknown", "last lap 1", 1), ("unknown", "last lap 1", 139)]
    from replay.core.chart import chart_index

    times = chart_index(atlanta).times["53"]  # the lap chart draws his one lap, not a line of it
    assert [lap for lap, time in enumerate(times) if time is not None] == [1]


def test_flag_at_every_lap_matches_lap_times(atlanta):
    final = atlanta.final_lap
    for flag in raw("lap-times.json")["flags"]:
        lap, code = flag["LapsCompleted"], flag["FlagState"]
        if 1 <= lap < final - 1:
            assert atlanta.state_at(lap).flag == LABELS[code], lap
    # the final lap ran under the white flag (code 4, kept beside the label): it is shown as the
    # leader takes it, with one to go; at the final lap's end, the checkered
    assert [(p.flag, p.first, p.code) for p in atlanta.race.flags if p.flag == "white"] == [("white", final - 1, 4)]
    assert atlanta.state_at(final).flag == "checkered"


def test_stage_winners_match_stage_points(atlanta):
    final = atlanta.state_at(atlanta.final_lap)
    winners = {s["stage_number"]: next(r["vehicle_number"] for r in s["results"] if r["position"] == 1)
               for s in raw("live-stage-points.json")}
    assert {s.stage: s.winner.number for s in final.stage_results if s.stage in winners} == winners
    points = {(s["stage_number"], r["vehicle_number"]): r["stage_points"]
              for s in raw("live-stage-points.json") for r in s["results"]}
    assert {(s.stage, p.entry.number): p.points for s in final.stage_results for p in s.places
            if (s.stage, p.entry.number) in points} == points


def test_every_lap_note_is_an_event(atlanta):
    notes = [n["Note"].strip() for notes in raw("lap-notes.json")["laps"].values() for n in notes]
    remark = re.compile(r" \(NASCAR's stage points give stage \d+ to #\w+; the replay uses them\)$")
    events = [remark.sub("", e.text) for e in atlanta.race.events if "lap-notes" in e.sources]
    assert len(notes) == 48 and sorted(events) == sorted(notes)  # word for word, less our remark
    kind_of = {e.text: e.kind for e in atlanta.race.events if "lap-notes" in e.sources}
    assert kind_of["#26, #4, #44 wreck in turn 3 around 27th bringing out the caution"] == "crash"
    assert kind_of["#28, #38 to the rear for Unapproved Adjustments"] == "penalty"
    assert kind_of["#9 pits"] == "pit"


def test_pit_stops_and_loop_data(atlanta):
    pits = [e for e in atlanta.race.events if e.kind == "pit" and "live-pit-data" in e.sources]
    assert len(pits) == len(raw("live-pit-data.json"))
    first = raw("live-pit-data.json")[0]
    assert any(e.cars == (first["vehicle_number"],) and e.lap == first["leader_lap"] + 1 for e in pits)
    assert atlanta.state_at(100).loop_data == {}  # whole-race statistics would spoil
    final = atlanta.state_at(atlanta.final_lap)
    assert final.loop_data["21"]["rating"] == 141.29 and final.loop_data["21"]["laps_led"] == 103


def test_name_suffixes_become_markers(atlanta):
    assert split_name("Sammy Smith #") == ("Sammy Smith", True, False, False)
    assert split_name("Justin Haley(i)") == ("Justin Haley", False, True, False)
    assert split_name("A Driver * #") == ("A Driver", True, False, True)
    assert split_name("* Daniel Suarez") == ("Daniel Suarez", False, False, True)  # Martinsville's lap-times.json
    entries = {e.number: e for e in atlanta.race.entries.values()}
    assert entries["18"].rookie and entries["10"].points_eligible is False and entries["10"].driver == "Justin Haley"
    assert entries["07"].number == "07" and entries["00"].number == "00"


def test_gaps_never_contradict_the_order_and_lapped_cars_show_laps_down(atlanta):
    for lap in range(1, atlanta.final_lap + 1):
        rows = atlanta.state_at(lap).leaderboard
        known = [row.gap for row in rows if row.gap is not None]
        assert known == sorted(known), lap
        assert all(row.interval is None or row.interval >= 0 for row in rows), lap
    final = atlanta.state_at(atlanta.final_lap)
    kyle_sieg = next(row for row in final.leaderboard if row.entry.number == "28")
    assert (kyle_sieg.pos, kyle_sieg.laps_down) == (26, 2)


def test_laps_led_agree_with_the_loop_data_so_no_dispute(atlanta):
    """Hill led laps 40-43 under caution, second at the line behind Creed (NASCAR: 103 laps led,
    stage 1 won): the running order counted 99 and recorded a dispute before no one passed under caution."""
    assert not [d for d in atlanta.race.disputes if d.topic.startswith("Laps led")]
    assert audit(atlanta) == []
    board = atlanta.state_at(atlanta.final_lap - 1).leaderboard
    assert next(row for row in board if row.entry.number == "21").laps_led == 102  # and lap 163


def test_flag_data_is_accepted_bare_or_wrapped(tmp_path):
    folder = tmp_path / FEEDS.name
    shutil.copytree(FEEDS, folder)
    wrapped = import_nascar(folder, OPTIONS).text
    bare = raw("live-flag-data.json")["FlagStates"]
    (folder / "live-flag-data.json").write_text(json.dumps(bare))
    assert import_nascar(folder, OPTIONS).text == wrapped


def weekend_feed() -> dict:
    """A weekend feed written from the documented fields (stage_N_laps are stage lengths)."""
    results = [
        {"finishing_position": 1, "starting_position": 2, "car_number": "7", "driver_fullname": "Ann Winner",
         "team_name": "Team A", "car_make": "Chevrolet", "laps_completed": 20, "laps_led": 15,
         "finishing_status": "Running", "points_earned": 55, "disqualified": False},
        {"finishing_position": 2, "starting_position": 1, "car_number": "07", "driver_fullname": "Bo Second #",
         "team_name": "Team B", "car_make": "Ford", "laps_completed": 20, "laps_led": 5,
         "finishing_status": "Running", "points_earned": 40, "disqualified": True},
        {"finishing_position": 3, "starting_position": 3, "car_number": "00", "driver_fullname": "Cy Third(i)",
         "team_name": "Team C", "car_make": "Toyota", "laps_completed": 12, "laps_led": 0,
         "finishing_status": "Accident", "points_earned": 0, "disqualified": False},
    ]
    return {"weekend_race": [{
        "race_name": "Test 20", "track_name": "Test Speedway", "race_date": "2024-05-04T19:00:00",
        "scheduled_laps": 20, "actual_laps": 20, "stage_1_laps": 5, "stage_2_laps": 5, "stage_3_laps": 10,
        "number_of_cautions": 1, "number_of_lead_changes": 1, "margin_of_victory": "0.512",
        "results": results,
        "caution_segments": [{"start_lap": 12, "end_lap": 14, "reason": "Accident", "comment": "No. 00 Incident Turn 2",
                              "flag_state": 2}],
        "race_leaders": [{"start_lap": 1, "end_lap": 5, "car_number": "07"},
                         {"start_lap": 6, "end_lap": 20, "car_number": "7"}],
        "stage_results": [{"stage_number": 1, "results": [
            {"finishing_position": 1, "car_number": "07", "driver_fullname": "Bo Second", "stage_points": 10}]}],
        "infractions": [],
    }]}


def test_weekend_feed_alone_gives_a_sparse_timeline(tmp_path):
    (tmp_path / "weekend-feed.json").write_text(json.dumps(weekend_feed()))
    out = tmp_path / "race.yaml"
    result = run("import", "nascar", str(tmp_path), "--series", "Test Series", "-o", str(out))
    assert result.returncode == 0, result.stderr
    timeline = Timeline(load_race(out))
    info = timeline.race.info
    assert (info.name, info.track, info.date, info.stage_ends, info.margin_of_victory) == (
        "Test 20", "Test Speedway", "2024-05-04", (5, 10, 20), 0.512)
    assert [timeline.state_at(lap).leaderboard[0].entry.number for lap in (0, 1, 5, 6, 20)] == ["07", "07", "07", "7", "7"]
    assert [timeline.state_at(lap).flag for lap in (11, 12, 14, 15)] == ["green", "yellow", "yellow", "green"]
    assert timeline.state_at(12).flag_reason == "Accident: No. 00 Incident Turn 2"  # reason, then the comment
    final = timeline.state_at(20)
    assert [(r.pos, r.entry.number, r.laps_led) for r in final.leaderboard] == [(1, "7", 15), (2, "07", 5), (3, "00", 0)]
    assert [(r.pos, r.entry.number) for r in final.official] == [(1, "7"), (2, "00"), (None, "07")]
    at_13 = {**{r.entry.number: (r.status, r.detail) for r in timeline.state_at(13).leaderboard},
             **{u.entry.number: (u.status, u.detail) for u in timeline.state_at(13).unplaced}}
    assert at_13["00"] == ("out", "retired") and at_13["7"][0] == "running"  # the caution ends its race
    assert [e.ends_race for e in timeline.race.events if e.kind == "caution"] == [("00",)]
    entries = timeline.race.entries
    assert entries["07"].rookie and entries["00"].points_eligible is False and entries["7"].team == "Team A"
    assert final.stage_results[0].winner.number == "07" and final.lead_changes == 1


JSON_WORDS = "<the json module's own words>"  # its wording is not ours to assert; the place and our notes are


def matches(message: str, expected: str) -> bool:
    """``expected`` word for word, except that JSON_WORDS stands for any text on the line."""
    pattern = ".+".join(re.escape(part) for part in expected.split(JSON_WORDS))
    return re.fullmatch(pattern, message) is not None


BROKEN = {
    "lap-times.json": [
        ('{"laps": [', f"lap-times.json:1:11: not valid JSON: {JSON_WORDS} (the file looks cut short)"),
        ('{"laps": [}', f"lap-times.json:1:11: not valid JSON: {JSON_WORDS}"),
        # cut inside a string: once "... Unterminated string starting at (the file looks cut short)"
        ('{"laps": [{"Number": "7', f"lap-times.json:1:22: not valid JSON: {JSON_WORDS} here (the file looks cut short)"),
        ("", "lap-times.json: the file is empty"),
        ('[1, 2]', "lap-times.json: should be an object, not list [1, 2]"),
        ('{"flags": []}', "lap-times.json: missing `laps`"),
        ('{"laps": [{"Number": "7", "FullName": "A", "RunningPos": 1, "Laps": [{"Lap": "one"}]}]}',
         "lap-times.json: laps[0].Laps[0].Lap: should be a whole number, not str 'one'"),
    ],
    "lap-notes.json": [('{"laps": {"x": []}}', "lap-notes.json: laps.x: lap keys should be lap numbers")],
    "live-pit-data.json": [('{"a": 1}', "live-pit-data.json: pit stops: should be a list, not dict {'a': 1}")],
    "live-stage-points.json": [('[{"stage_number": 1}]', "live-stage-points.json: [0]: missing `results`")],
}


@pytest.mark.parametrize("name, content, message",
                         [(name, content, message) for name, cases in BROKEN.items() for content, message in cases])
def test_bad_feed_files_fail_cleanly_and_write_nothing(tmp_path, name, content, message):
    folder = tmp_path / "feed"
    shutil.copytree(FEEDS, folder)
    (folder / name).write_bytes(b"\xef\xbb\xbf" + content.encode())  # with a byte-order mark, as real files
    out = tmp_path / "race.yaml"
    out.write_text("the user's old file\n")
    result = run("import", "nascar", str(folder), "--track", "T", "-o", str(out))
    assert result.returncode == 2 and matches(result.stderr, f"race-replay: {folder}/{message}\n"), result.stderr
    assert out.read_text() == "the user's old file\n"
    assert [p.name for p in tmp_path.iterdir()] == ["feed", "race.yaml"]  # no temporary file left


MARTINSVILLE = ROOT / "tests" / "data" / "feeds" / "nascar-cup-2020-martinsville-4973"


@pytest.mark.parametrize("source, name", [(source, path.name) for source in (FEEDS, MARTINSVILLE)
                                          for path in sorted(source.glob("*.json"))])
def test_a_file_cut_off_in_the_middle_is_one_line_naming_its_path_in_the_folder(tmp_path, capsys, source, name):
    """Every file the importer reads, the race's and those it names and leaves out: the error
    names the folder as given with the file, so that a user with many folders knows which."""
    from replay.cli import main

    folder = tmp_path / "feed"
    shutil.copytree(source, folder)
    body = (source / name).read_bytes()
    (folder / name).write_bytes(body[: len(body) // 2])
    assert main(["import", "nascar", str(folder), "--track", "T", "-o", str(tmp_path / "race.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"race-replay: {folder / name}:") and "not valid JSON" in err and err.count("\n") == 1, err
    assert not (tmp_path / "race.yaml").exists()


def test_two_files_of_a_kind_are_named_by_their_paths(tmp_path, capsys):
    from replay.cli import main

    folder = tmp_path / "feed"
    folder.mkdir()
    shutil.copy(FEEDS / "lap-times.json", folder / "lap-times.json")
    shutil.copy(FEEDS / "lap-times.json", folder / "lap-times-5314.json")
    assert main(["import", "nascar", str(folder), "--track", "T", "-o", str(tmp_path / "race.yaml")]) == 2
    assert capsys.readouterr().err == (f"race-replay: {folder}/lap-times.json and {folder}/lap-times-5314.json "
                                       "are both lap-times.json files; keep one\n")


@pytest.mark.parametrize("setup, message", [
    (lambda folder: folder.rmdir(), "not a folder of feed files"),
    (lambda folder: None, "no NASCAR feed files here"),
])
def test_bad_source_folder(tmp_path, setup, message):
    folder = tmp_path / "feed"
    folder.mkdir()
    setup(folder)
    result = run("import", "nascar", str(folder), "-o", str(tmp_path / "race.yaml"))
    assert result.returncode == 2 and message in result.stderr and not (tmp_path / "race.yaml").exists()


def test_missing_metadata_asks_for_the_option(tmp_path):
    folder = tmp_path / "feed"
    folder.mkdir()
    shutil.copy(FEEDS / "lap-times.json", folder)
    result = run("import", "nascar", str(folder), "-o", str(tmp_path / "race.yaml"))
    assert result.returncode == 2
    assert result.stderr == (f"race-replay: {folder}: the feeds do not give the race's series, name, track; "
                             "give --series --name --track\n")
    result = run("import", "nascar", str(folder), "-o", str(tmp_path / "race.yaml"), "--track", "T", "--series", "S")
    assert result.stderr == f"race-replay: {folder}: the feeds do not give the race's name; give --name\n"
    result = run("import", "nascar", str(folder), "-o", str(tmp_path / "race.yaml"), "--series", "S", "--name", "N",
                 "--track", "T", "--stage-ends", "40,80,163")
    assert result.returncode == 0, result.stderr
    assert load_race(tmp_path / "race.yaml").info.stage_ends == (40, 80, 163)


def test_feed_error_type():
    with pytest.raises(FeedError):
        import_nascar(FEEDS / "nope", OPTIONS)


def test_at_the_finish_a_car_far_behind_is_not_called_running(atlanta):
    """The feeds give no finishing status: a car 152 laps down once read "+152 laps running"."""
    final = atlanta.state_at(atlanta.final_lap)
    far_behind = [row for row in final.leaderboard if row.laps_down and row.laps_down > 100]
    # unknown, or out where a lap note sent the car to the garage (#92, parked at lap 35)
    assert far_behind and all(row.status in ("unknown", "out") for row in far_behind)
    assert {row.entry.key for row in far_behind if row.status == "out"} == {"92"}
    assert all(row.status == "running" for row in final.leaderboard if not row.laps_down)


def test_a_lap_note_contradicting_the_stage_points_is_marked_and_disputed(atlanta):
    """Lap 40 showed "#2 wins stage 1" beside "End of stage 1: Austin Hill wins" without comment."""
    note = next(e for e in atlanta.race.events if e.text.startswith("#2 wins stage 1"))
    assert "stage points give stage 1 to #21" in note.text
    dispute = next(d for d in atlanta.race.disputes if d.topic == "Stage 1 winner")
    assert dispute.versions[dispute.used - 1].sources == ("live-stage-points",)
    assert atlanta.state_at(40).stage_results[0].winner.driver == "Austin Hill"


def tied_feed() -> dict:
    """Three cars over three laps. On lap 2 the feed gives P2 to cars 2 and 3 (3 is ahead on race
    time); on the last lap P1 to cars 1 and 2 (1 is ahead on race time, 2 in the finishing order)."""
    def car(number: str, name: str, final_pos: int, laps: list[tuple[float | None, int]]) -> dict:
        return {"Number": number, "FullName": name, "Manufacturer": "Chv", "RunningPos": final_pos,
                "Laps": [{"Lap": lap, "LapTime": time, "RunningPos": pos} for lap, (time, pos) in enumerate(laps)]}
    return {"laps": [
        car("1", "Alpha One", 2, [(None, 1), (30.0, 1), (30.4, 1), (29.0, 1)]),    # race time 89.4
        car("2", "Bravo Two", 1, [(None, 2), (30.5, 2), (31.0, 2), (29.0, 1)]),    # race time 90.5
        car("3", "Charlie Three", 3, [(None, 3), (31.0, 3), (30.2, 2), (31.0, 3)]),  # 61.2 after lap 2
    ], "flags": [{"LapsCompleted": 0, "FlagState": 8}, {"LapsCompleted": 1, "FlagState": 1}]}


def test_a_shared_position_is_broken_by_race_time_and_at_the_line_by_the_finishing_order(tmp_path):
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "lap-times.json").write_text(json.dumps(tied_feed()), encoding="utf-8")
    imported = import_nascar(feeds, ImportOptions("Test Series", "Tie 3", "Test Oval", "2024-01-02", [1, 2, 3]))
    out = tmp_path / "race.yaml"
    out.write_text(imported.text, encoding="utf-8")
    timeline = Timeline(load_race(out))
    order = {lap: [row.entry.number for row in timeline.state_at(lap).leaderboard] for lap in range(4)}
    assert order == {0: ["1", "2", "3"], 1: ["1", "2", "3"], 2: ["1", "3", "2"], 3: ["2", "1", "3"]}
    written = yaml.safe_load(imported.text)  # the file itself, where the results cannot mask the last lap
    assert written["running_order"] == {0: "1 2 3", 1: "1 2 3", 2: "1 3 2", 3: "2 1 3"}
    assert written["lap_times"][2] == "30.4 30.2 31.0"  # each time stays with its car
    assert [w for w in imported.warnings if "more than one car" in w] == [
        "lap-times.json: lap 2 gives position(s) [2] to more than one car (or skips some); ordered by race time",
        "lap-times.json: lap 3 gives position(s) [1] to more than one car (or skips some); ordered by the finishing order",
    ]
