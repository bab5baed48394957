"""The text export, whole, on a race made to have every part of it: carried rows with their lap,
an unplaced car with its status, events and quotes so far, and the official result after a
disqualification. (The bundled races check it in part through the command line.)"""

from __future__ import annotations

import json

from replay.core.engine import Timeline
from replay.export.json_contract import render_json, to_json
from replay.export.text import to_text
from replay.racefile.loader import load_race

RACE = """\
running_order:
  0: ["07", "7"]
  5: ["7", "07"]
events:
  - {lap: 4, kind: retirement, cars: [No Number], text: Stops on track., sources: [s1]}
  - {when: post-race, kind: disqualification, cars: ["7"], text: Too low., sources: [s1]}
quotes:
  - {speaker: Seven, car: "7", when: pre-race, text: Ready., source: s1}
  - {speaker: Seven Oh, car: "07", when: race, lap: 6, text: Go!, source: s1}
results:
  - {pos: 1, car: "7", laps: 10, sources: [s1]}
  - {pos: 2, car: "07", laps: 10, sources: [s1]}
  - {pos: 3, car: No Number, laps: 3, status: engine, sources: [s1]}
loop_data:
  No Number: {average: 3.0}
"""

AT_LAP_7 = (
    'Test Series · Test 200 · Test Speedway · 2025-01-02\n'
    'Lap 7 / 10 (3 to go) · GREEN · Stage 3/3 · Cautions 0 · Lead changes 0\n'
    '\n'
    'Pos  Car  Driver    Team / make  Led  Status   Known\n'
    '  1  7    Seven     -              -  running  carried (lap 5)\n'
    '  2  07   Seven Oh  -              -  running  carried (lap 5)\n'
    '\n'
    'Position unknown: No Number (retired)\n'  # the event's word: "engine" is the result's, known at the finish
    '\n'
    'Events\n'
    '  L3  stage end   End of stage 1\n'
    '  L4  retirement  No Number: Stops on track.\n'
    '  L6  stage end   End of stage 2\n'
    '\n'
    'Quotes\n'
    '  “Ready.” — Seven (before the race; s1)\n'
    '  “Go!” — Seven Oh (lap 6; s1)\n'
)

AT_THE_FINISH = (
    'Test Series · Test 200 · Test Speedway · 2025-01-02\n'
    'Lap 10 / 10 (0 to go) · CHECKERED · Stage 3/3 · Cautions 0 · Lead changes 0\n'
    '\n'
    'Pos  Car  Driver     Team / make  Led  Status                        Known\n'
    '  1  7    Seven      -              -  disqualified: after the race  reported\n'
    '  2  07   Seven Oh   -              -  running                       reported\n'
    '  3  ?    No Number  -              -  out: engine                   reported\n'
    '\n'
    'Events\n'
    '  L3    stage end         End of stage 1\n'
    '  L4    retirement        No Number: Stops on track.\n'
    '  L6    stage end         End of stage 2\n'
    '  L10   stage end         #7 Seven: End of stage 3: Seven wins\n'
    '  post  disqualification  #7 Seven: Too low.\n'
    '\n'
    'Quotes\n'
    '  “Ready.” — Seven (before the race; s1)\n'
    '  “Go!” — Seven Oh (lap 6; s1)\n'
    '\n'
    'Official result after post-race changes\n'
    '    1  Seven Oh\n'
    '    2  No Number\n'
    '   DQ  Seven (crossed the line P1)\n'
)


def test_mid_race_text(write_race):
    assert to_text(Timeline(load_race(write_race(RACE))).state_at(7)) == AT_LAP_7


def test_finish_text_with_the_official_result_after_a_disqualification(write_race):
    assert to_text(Timeline(load_race(write_race(RACE))).state_at(10)) == AT_THE_FINISH


def test_loop_data_of_a_car_without_a_number_is_keyed_by_its_driver(write_race):
    assert to_json(Timeline(load_race(write_race(RACE))).state_at(10))["loop_data"] == {"No Number": {"average": 3.0}}


def test_json_text_keeps_its_characters(write_race):
    text = render_json(Timeline(load_race(write_race(RACE.replace("Ready.", "Ready – “go”.")))).state_at(0))
    assert "Ready – “go”." in text and text.endswith("}\n") and json.loads(text)["quotes"][0]["text"] == "Ready – “go”."


def test_a_finish_without_post_race_changes_has_no_official_result_section(write_race):
    text = to_text(Timeline(load_race(write_race(RACE.replace('cars: ["7"], text: Too low.', 'cars: ["7"], text: Fine.')
                                                 .replace("kind: disqualification", "kind: note")))).state_at(10))
    assert "Too low." not in text and "Fine." in text
    assert "Official result" not in text
