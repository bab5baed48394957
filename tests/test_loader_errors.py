"""Every kind of mistake in a race file is reported, all at once, as file:line:col: message."""

from __future__ import annotations

import pytest

from replay.core.errors import RaceFileError
from replay.racefile.loader import check_file, load_race
from tests.conftest import MINIMAL


def errors_of(path) -> list[str]:
    report = check_file(path)
    assert report.race is None, "expected the file to be rejected"
    return [line.removeprefix(f"{path}:") for line in report.errors]


def test_minimal_race_loads(write_race):
    race = load_race(write_race())
    assert race.info.final_lap == 10
    assert list(race.entries) == ["07", "7", "No Number"]  # numbers are text: "07" is not "7"


def test_unknown_key_suggests_the_right_one(write_race):
    path = write_race("evnts: []\n")
    assert errors_of(path) == ["14:1: unknown key `evnts` in the race file; did you mean `events`?"]


def test_unknown_nested_key_suggests(write_race):
    path = write_race("""\
        events:
          - {lap: 2, kind: crash, txt: Boom}
        """)
    assert errors_of(path) == [
        "15:5: an event is missing `text`",
        "15:27: unknown key `txt` in an event; did you mean `text`?",
    ]


def test_wrong_types(write_race):
    path = write_race("""\
        flags:
          - {flag: caution, from: two, to: 3}
        """, base=MINIMAL.replace("laps: 10", "laps: ten"))
    assert errors_of(path) == ["6:9: `race` `laps` should be a whole number, 0 or more, not the text 'ten'"]


def test_unquoted_car_number_explains_quoting(write_race):
    path = write_race("running_order:\n  0: [07, \"7\"]\n")
    assert errors_of(path) == [
        '15:7: P1 at lap 0 should be a car number in quotes, like "07" (unquoted, 07 and 7 both read as 7), not the number 7',
    ]


def test_duplicate_car_numbers(write_race):
    path = write_race(base=MINIMAL + '  - {number: "07", driver: Somebody Else}\n')
    assert errors_of(path) == ["14:14: duplicate number '07': already used by another entry"]


def test_events_and_quotes_naming_unknown_cars(write_race):
    path = write_race("""\
        events:
          - {lap: 2, kind: crash, cars: ["7", "99"], text: Crash, sources: [s1]}
        quotes:
          - {speaker: Nobody, car: "88", when: post-race, text: Hi, source: s1}
        """)
    assert errors_of(path) == [
        "15:39: cars entry '99' is not in `entries` (give its number or driver name)",
        "17:28: car '88' is not in `entries` (give its number or driver name)",
    ]


def test_laps_out_of_range(write_race):
    path = write_race("""\
        events:
          - {lap: 11, kind: crash, text: Late}
        flags:
          - {flag: caution, from: 0, to: 12}
        running_order:
          12: ["7"]
        """)
    assert errors_of(path) == [
        "15:11: lap 11 is outside the race (laps 0 to 10)",
        "17:27: `from` lap 0 is outside the race (laps 1 to 10)",
        "17:34: `to` lap 12 is outside the race (laps 1 to 10)",
        "19:3: running order lap 12 is outside the race (laps 0 to 10)",
    ]


@pytest.mark.parametrize("ends, message", [
    ("[3, 3, 10]", "7:19: stage ends must ascend: 3 comes after 3"),
    ("[6, 3, 10]", "7:19: stage ends must ascend: 3 comes after 6"),
    ("[3, 6, 12]", "7:22: stage end 12 is past the race length (10 laps)"),
])
def test_stage_ends(write_race, ends, message):
    path = write_race(base=MINIMAL.replace("[3, 6, 10]", ends))
    assert errors_of(path) == [message]


def test_position_listed_twice(write_race):
    path = write_race('running_order:\n  5: ["7", "07", "7"]\n')
    assert errors_of(path) == ["15:18: '7' is listed twice at lap 5 (P1 and P3)"]


def test_stage_result_listing_a_position_twice(write_race):
    path = write_race("""\
        stage_results:
          1: {results: [{pos: 1, car: "7"}, {pos: 1, car: "07"}]}
        """)
    assert errors_of(path) == ["15:37: stage results list P1 or '07' twice"]


def test_unknown_sources(write_race):
    path = write_race("""\
        events:
          - {lap: 2, kind: note, text: Hi, sources: [s1, s9]}
        quotes:
          - {speaker: Seven, when: pre-race, text: Hi, source: s8}
        """)
    assert errors_of(path) == [
        "15:50: source 's9' is not listed under `sources`",
        "17:56: source 's8' is not listed under `sources`",
    ]


def test_race_quote_needs_a_lap_and_post_race_has_none(write_race):
    path = write_race("""\
        quotes:
          - {speaker: Seven, when: race, text: Hi, source: s1}
          - {speaker: Seven, when: post-race, lap: 4, text: Hi, source: s1}
        """)
    assert errors_of(path) == [
        "15:5: quote needs a `lap` (or `when: pre-race` / `when: post-race`)",
        "16:44: a post-race quote has no `lap`",
    ]


def test_missing_sections_and_bad_top_level(write_race, tmp_path):
    path = tmp_path / "bare.yaml"
    path.write_text("- just a list\n")
    assert errors_of(path) == ["1:1: a race file is a mapping with `race`, `sources` and `entries` at the top"]
    path.write_text("race: {series: S, name: N, track: T, laps: 5, stage_ends: []}\n")
    assert errors_of(path) == [
        "1:1: the race file is missing its `sources` section",
        "1:1: the race file is missing its `entries` section",
    ]


def test_all_problems_reported_at_once(write_race):
    path = write_race("""\
        evnts: []
        events:
          - {lap: 99, kind: crsh, cars: ["42"], text: X}
        """)
    messages = errors_of(path)
    assert len(messages) == 4
    assert any("did you mean `events`" in m for m in messages)
    assert any("event kind 'crsh' is not known; did you mean 'crash'?" in m for m in messages)
    assert any("lap 99 is outside the race" in m for m in messages)
    assert any("'42' is not in `entries`" in m for m in messages)


def test_load_race_raises_with_every_line(write_race):
    path = write_race("evnts: []\nflgs: []\n")
    with pytest.raises(RaceFileError) as caught:
        load_race(path)
    assert len(caught.value.lines) == 2
    assert all(line.startswith(f"{path}:") for line in caught.value.lines)


def test_stage_end_events_are_not_written_by_hand(write_race):
    path = write_race("events:\n  - {lap: 3, kind: stage_end, text: End}\n")
    assert errors_of(path) == ["15:20: stage-end events are made from `stage_results`; write the results there"]


def test_overlapping_flag_periods(write_race):
    path = write_race("""\
        flags:
          - {flag: caution, from: 2, to: 4}
          - {flag: red, from: 4, to: 5}
        """)
    assert errors_of(path) == ["16:5: flag periods laps 2-4 and 4-5 overlap"]


def test_laps_led_warning_when_leader_data_disagrees(write_race):
    path = write_race("""\
        leaders:
          - {car: "7", from: 1, to: 10}
        results:
          - {pos: 1, car: "7", laps: 10, laps_led: 8}
        """)
    report = check_file(path)
    assert report.errors == []
    assert report.warnings == [f"{path}:17:3: warning: Seven: results say 8 laps led, the leader data gives 10"]


def test_sections_of_the_wrong_shape(write_race):
    path = write_race("running_order: [1, 2]\nevents: {a: 1}\nstage_results: 3\n")
    assert errors_of(path) == [
        "14:16: `running_order` should be a mapping, not a list",
        "15:9: `events` should be a list, not a mapping",
        "16:16: `stage_results` should be a mapping, not the number 3",
    ]


def test_space_separated_orders_and_lap_times(write_race):
    """The compact form imports write: one string per lap; errors point at that lap's line."""
    from replay.core.engine import Timeline

    race = load_race(write_race('running_order:\n  1: 07 7 ~\nlap_times:\n  1: 30.5 31.0 ~\n'))
    state = Timeline(race).state_at(1)
    assert [(r.pos, r.entry.key, r.lap_time) for r in state.leaderboard] == [(1, "07", 30.5), (2, "7", 31.0)]
    path = write_race('running_order:\n  1: 07 99 07\nlap_times:\n  1: 30.5 fast 2\n')
    assert errors_of(path) == [
        "15:6: P2 at lap 1 '99' is not in `entries` (give its number or driver name)",
        "15:6: '07' is listed twice at lap 1 (P1 and P3)",
        "17:6: a lap time should be a number, not the text 'fast'",
    ]
