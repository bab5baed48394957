"""The engine's answers that the viewer asks for (navigation, counts, laps down, statuses),
tested against a small race whose every answer is known by construction. Written for the
survivors of the engine's mutation run (tests/mutation/run.py), which had only the viewer's
tests to catch them."""

from __future__ import annotations

import pytest

from replay.core.engine import Timeline
from replay.racefile.loader import load_race
from tests.conftest import ROOT

RACE = """\
running_order:
  0: ["07", "7", No Number]
  2: ["7", "07", No Number]
flags:
  - {flag: caution, from: 4, to: 5, sources: [s1]}
events:
  - {lap: 2, kind: lead_change, cars: ["7", "07"], text: Seven leads., sources: [s1]}
  - {lap: 4, kind: crash, cars: [No Number], ends_race: [No Number], text: Crash., sources: [s1]}
  - {lap: 4, kind: pit, cars: ["07"], text: Pits., sources: [s1]}
  - {lap: 8, kind: caution, text: A caution the flags do not have., sources: [s1]}
quotes:
  - {speaker: Seven, car: "7", when: pre-race, text: Before., source: s1}
  - {speaker: Seven, car: "7", when: race, lap: 5, text: During., source: s1}
  - {speaker: Seven, car: "7", when: post-race, text: After., source: s1}
results:
  - {pos: 1, car: "7", laps: 10, sources: [s1]}
  - {pos: 2, car: "07", laps: 9, sources: [s1]}
  - {pos: 3, car: No Number, laps: 3, status: accident, sources: [s1]}
"""


@pytest.fixture
def timeline(write_race) -> Timeline:
    return Timeline(load_race(write_race(RACE)))


def test_next_and_previous_event_and_stage_end(timeline):
    """Events at 2, 3 (stage end), 4, 6 (stage end), 8 and 10 (the last stage end)."""
    assert [timeline.next_event_lap(lap) for lap in (0, 2, 4, 8, 10)] == [2, 3, 6, 10, None]
    assert [timeline.previous_event_lap(lap) for lap in (0, 2, 3, 5, 10)] == [None, None, 2, 4, 8]
    assert [timeline.next_stage_end(lap) for lap in (0, 3, 6, 10)] == [3, 6, 10, None]
    assert [timeline.previous_stage_end(lap) for lap in (0, 3, 4, 7)] == [None, None, 3, 6]


def test_flags_and_white_flag(timeline):
    assert timeline.flags == ("green", "green", "green", "green", "yellow", "yellow",
                              "green", "green", "green", "white", "checkered")
    assert [timeline.state_at(lap).previous_flag for lap in (0, 1, 4, 6)] == [None, "green", "green", "yellow"]


def test_cautions_counted_when_known(timeline):
    """The flag period's caution from lap 4; the event-only caution at its lap, 8."""
    assert [timeline.state_at(lap).cautions for lap in (3, 4, 7, 8, 10)] == [0, 1, 1, 2, 2]


def test_lead_changes_and_statuses(timeline):
    assert [timeline.state_at(lap).lead_changes for lap in (1, 2, 10)] == [0, 1, 1]
    def status(lap, car):
        state = timeline.state_at(lap)
        return next((r.status, r.detail) for r in (*state.leaderboard, *state.unplaced) if r.entry.key == car)
    assert status(4, "07") == ("pit", None) and status(5, "07") == ("running", None)
    assert status(3, "No Number") == ("running", None) and status(4, "No Number") == ("out", "accident")


def test_quotes_by_when(timeline):
    texts = {lap: [q.text for q in timeline.state_at(lap).quotes] for lap in (0, 4, 5, 9, 10)}
    assert texts == {0: ["Before."], 4: ["Before."], 5: ["Before.", "During."], 9: ["Before.", "During."],
                     10: ["Before.", "During.", "After."]}


def test_at_the_finish_laps_down_come_from_the_results(timeline):
    final = {row.entry.key: row.laps_down for row in timeline.state_at(10).leaderboard}
    assert final == {"7": None, "07": 1, "No Number": 7}


def test_the_last_stage_is_won_by_the_winner_at_the_line(timeline):
    stages = timeline.state_at(10).stage_results
    assert [(s.stage, s.lap, s.winner.key if s.winner else None) for s in stages] == [(1, 3, None), (2, 6, None), (3, 10, "7")]
    assert [(p.pos, p.entry.key) for p in stages[-1].places] == [(1, "7")]


def test_estimated_stage_ends_are_unknown_until_reached(write_race):
    """An importer estimates stage ends from the notes that announce a stage's winner: before that
    lap, showing the end (a scrubber tick, a jump) would tell when the note comes."""
    from tests.conftest import MINIMAL

    base = MINIMAL.replace("  stage_ends: [3, 6, 10]\n",
                           "  stage_ends: [3, 6, 10]\n  estimated: {stage_ends: From the notes naming stage winners.}\n")
    timeline = Timeline(load_race(write_race(base=base)))
    assert [timeline.state_at(lap).stage_ends for lap in (0, 3, 5, 6, 10)] == [
        (None, None, 10), (3, None, 10), (3, None, 10), (3, 6, 10), (3, 6, 10)]
    assert timeline.next_stage_end(0) is None and timeline.previous_stage_end(7) == 6


def test_last_is_blank_for_a_car_out_or_no_longer_placed():
    """Last is a car's time on the current lap: a car out, or last placed laps ago, has none (Atlanta
    at its finish showed Karam, seen at lap 43, with a lap time; a new user's trial)."""
    from replay.core.status import StatusKind

    timeline = Timeline(load_race(ROOT / "races" / "2023-xfinity-atlanta.yaml"))
    for lap in (60, 120, timeline.final_lap):
        rows = timeline.state_at(lap).leaderboard
        stopped = [row for row in rows if row.car_status.kind not in (StatusKind.RUNNING, StatusKind.PIT)]
        assert stopped and all(row.lap_time is None for row in stopped), lap
        assert any(row.lap_time is not None for row in rows), lap
