"""The lap-state engine: positions and their certainty, flags, stages, and spoiler safety."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from replay.core.engine import Timeline
from replay.core.model import FrozenMap
from replay.racefile.bundled import bundled_races_dir, race_files
from replay.racefile.loader import load_race
from tests.conftest import HOMESTEAD, MINIMAL


@pytest.fixture(scope="module")
def homestead() -> Timeline:
    return Timeline(load_race(HOMESTEAD))


def board(state) -> list[tuple[int, str, str]]:
    return [(row.pos, row.entry.driver, row.certainty) for row in state.leaderboard]


def test_grid(homestead):
    state = homestead.state_at(0)
    assert board(state) == [
        (1, "Corey Heim", "reported"), (2, "Tanner Gray", "reported"), (3, "Kyle Larson", "reported"),
        (4, "Layne Riggs", "reported"), (5, "Gio Ruggiero", "reported"), (10, "Ty Majeski", "reported"),
    ]  # not Garcia's 20th: only a post-race article naming him for his finish gives it (races/SOURCES.md)
    assert state.flag == "green" and state.stage == 1 and state.laps_to_go == 134
    assert [q.speaker for q in state.quotes] == ["Kyle Larson", "Kyle Larson", "Matt Weaver"]  # pre-race only
    assert [e.kind for e in state.events] == ["qualifying"]


def test_carried_positions_are_marked_and_incidents_clear_them(homestead):
    state = homestead.state_at(1)
    assert board(state)[:2] == [(1, "Corey Heim", "carried"), (2, "Tanner Gray", "carried")]
    assert all(row.as_of == 0 for row in state.leaderboard)
    unplaced = {u.entry.driver for u in state.unplaced}
    assert "Gio Ruggiero" in unplaced  # in the lap-1 crash: his grid slot says nothing any more
    assert state.flag == "yellow" and state.flag_reason == "Ruggiero and Rhodes crash in turn 1"


def test_estimated_positions(homestead):
    state = homestead.state_at(55)
    assert board(state)[:3] == [(1, "Corey Heim", "carried"), (2, "Kyle Larson", "estimated"),
                                (3, "Ty Majeski", "estimated")]
    assert board(homestead.state_at(57))[1] == (2, "Kyle Larson", "estimated")  # stays estimated when carried


def test_mid_race_at_the_spin(homestead):
    state = homestead.state_at(91)
    assert state.flag == "yellow" and state.stage == 3 and state.laps_to_go == 43
    spin = state.events[-1]
    assert (spin.lap, spin.kind, spin.cars) == (91, "spin", ("07", "34"))
    assert state.cautions == 4
    assert [s.winner.driver for s in state.stage_results] == ["Corey Heim", "Corey Heim"]


def test_position_change_since_previous_lap(homestead):
    state = homestead.state_at(94)  # Larson restarts 22nd after running 2nd at lap 90
    larson = next(row for row in state.leaderboard if row.entry.number == "07")
    assert (larson.pos, larson.change) == (22, None)  # unplaced at lap 93 (the spin): no change known
    larson = next(row for row in homestead.state_at(127).leaderboard if row.entry.number == "07")
    assert (larson.pos, larson.change) == (5, 17)  # fifth with seven to go, 22nd (carried) the lap before
    leader = homestead.state_at(132).leaderboard[0]
    assert (leader.entry.number, leader.change) == ("07", 1)


def test_finish(homestead):
    state = homestead.state_at(134)
    assert state.finished and state.flag == "checkered"
    top = [(row.pos, row.entry.driver) for row in state.leaderboard[:10]]
    assert [driver for _, driver in top] == [
        "Kyle Larson", "Layne Riggs", "Corey Heim", "Tyler Ankrum", "Daniel Hemric", "Ross Chastain",
        "Jake Garcia", "Chandler Smith", "Grant Enfinger", "Kaden Honeycutt",
    ]
    led = {row.entry.driver: row.laps_led for row in state.leaderboard}
    assert (led["Kyle Larson"], led["Layne Riggs"], led["Corey Heim"], led["Ross Chastain"]) == (20, 3, 78, None)
    rhodes = next(row for row in state.leaderboard if row.entry.driver == "Ben Rhodes")
    assert (rhodes.pos, rhodes.status, rhodes.detail) == (33, "out", "retired")
    assert [state.entries[s.car].driver for s in state.standings] == ["Corey Heim", "Ty Majeski"]
    assert state.lead_changes == 7


def test_laps_led_unknown_mid_race_when_leaders_are_not_all_known(homestead):
    assert all(row.laps_led is None for row in homestead.state_at(100).leaderboard)


def test_status_out_after_retirement(homestead):
    """Rhodes completed 83 laps; only his result and a retirement placed within laps 84-134 say
    so, both known at the finish: until then he shows as every truck no source says anything of
    (issue 19: he once turned `unknown` from lap 84, 50 laps before anything revealed it)."""
    def rhodes(lap):
        return [(u.status, u.detail) for u in homestead.state_at(lap).unplaced if u.entry.driver == "Ben Rhodes"]
    assert rhodes(83) == rhodes(84) == rhodes(133) == [("running", None)]
    assert [(r.status, r.detail) for r in homestead.state_at(134).leaderboard if r.entry.driver == "Ben Rhodes"] == [
        ("out", "retired")]


def test_a_retirement_known_to_a_lap_is_out_from_that_lap(write_race):
    timeline = Timeline(load_race(write_race("""\
        events:
          - {lap: 4, kind: retirement, cars: ["7"], text: Stops., sources: [s1]}
          - {lap: [5, 8], kind: retirement, cars: ["07"], text: Stops some time., sources: [s1]}
        """)))
    status = {lap: {u.entry.number: u.status for u in timeline.state_at(lap).unplaced} for lap in (3, 4, 5, 7, 8)}
    assert [(status[lap]["7"], status[lap]["07"]) for lap in (3, 4, 5, 7, 8)] == [
        ("running", "running"), ("out", "running"), ("out", "running"), ("out", "running"), ("out", "out")]


IMMUTABLE_VALUES = (str, int, float, bool, type(None))


def mutable_parts(value: object, path: str) -> list[str]:
    """Where in ``value`` something could be changed by a reader: lists, dicts, sets, unfrozen dataclasses."""
    if isinstance(value, IMMUTABLE_VALUES):
        return []
    if dataclasses.is_dataclass(value):
        found = [] if value.__dataclass_params__.frozen else [path]
        return found + [p for f in dataclasses.fields(value) for p in mutable_parts(getattr(value, f.name), f"{path}.{f.name}")]
    if isinstance(value, FrozenMap):
        return [p for key, item in value.items() for p in mutable_parts(item, f"{path}[{key!r}]")]
    if isinstance(value, (tuple, frozenset)):
        return [p for i, item in enumerate(value) for p in mutable_parts(item, f"{path}[{i}]")]
    return [f"{path} ({type(value).__name__})"]


@pytest.mark.parametrize("path", race_files(bundled_races_dir()), ids=lambda p: p.stem)
def test_every_state_is_immutable_all_the_way_down(path):
    """Every widget reads the same state and the same race: none of them may change what another sees."""
    timeline = Timeline(load_race(path))
    for lap in (0, 1, timeline.final_lap // 2, timeline.final_lap):
        state = timeline.state_at(lap)
        assert mutable_parts(state, "state") == [], lap
    with pytest.raises(TypeError):
        state.entries[next(iter(state.entries))] = None  # type: ignore[index]
    assert pickle.loads(pickle.dumps(timeline.race)) == timeline.race  # the preloading child hands it over so


def test_lap_outside_race_is_refused(homestead):
    with pytest.raises(ValueError):
        homestead.state_at(135)


def test_stage_of_each_lap(homestead):
    assert [homestead.stage_at(lap) for lap in (0, 1, 30, 31, 60, 61, 134)] == [1, 1, 1, 2, 2, 3, 3]


def test_white_and_checkered(homestead):
    assert (homestead.state_at(133).flag, homestead.state_at(134).flag) == ("white", "checkered")


# -- spoiler safety ---------------------------------------------------------------------

@pytest.mark.parametrize("path", race_files(bundled_races_dir()), ids=lambda p: p.stem)
def test_nothing_from_after_the_lap_appears(path):
    """Before the finish: no later event or quote (a quote given during the race shows from its
    lap), no result, standing or whole-race statistic, no stage result before its end, and no
    more laps led than laps run."""
    timeline = Timeline(load_race(path))
    for lap in range(timeline.final_lap):
        state = timeline.state_at(lap)
        assert all(e.lap is not None and e.lap <= lap for e in state.events), lap
        assert all(q.when == "pre-race" or (q.when == "race" and q.lap is not None and q.lap <= lap)
                   for q in state.quotes), lap
        assert (state.official, state.standings, dict(state.loop_data)) == ((), (), {}), lap
        assert all(s.lap is not None and s.lap <= lap for s in state.stage_results), lap
        led = [row.laps_led for row in state.leaderboard if row.laps_led is not None]
        assert all(0 <= n <= lap for n in led) and sum(led) <= lap, lap
    assert timeline.state_at(timeline.final_lap).official  # the finish does show them


def test_changing_the_result_changes_no_earlier_lap(homestead):
    """Spoiler-safe by construction: rewrite everything known only at the finish and no
    earlier state changes."""
    race = homestead.race
    reversed_results = tuple(
        dataclasses.replace(row, pos=len(race.results) - i, laps_led=None, points=None, note=None)
        for i, row in enumerate(race.results)
    )
    altered = dataclasses.replace(
        race, results=reversed_results, standings=(),
        quotes=tuple(q for q in race.quotes if q.when != "post-race"),
        events=tuple(e for e in race.events if e.when != "post-race"),
    )
    other = Timeline(altered)
    for lap in range(homestead.final_lap):
        assert other.state_at(lap) == homestead.state_at(lap), lap
    assert other.state_at(homestead.final_lap) != homestead.state_at(homestead.final_lap)


def test_jumping_equals_stepping(homestead):
    """state_at is computed from the index, not replayed: any order of calls gives the same state."""
    forward = [homestead.state_at(lap) for lap in range(homestead.final_lap + 1)]
    assert [homestead.state_at(lap) for lap in reversed(range(homestead.final_lap + 1))] == forward[::-1]


def test_post_race_disqualification_changes_only_the_official_order(write_race):
    timeline = Timeline(load_race(write_race("""\
        events:
          - {when: post-race, kind: disqualification, cars: ["07"], text: Failed inspection., sources: [s1]}
        results:
          - {pos: 1, car: "07", laps: 10}
          - {pos: 2, car: "7", laps: 10}
          - {pos: 3, car: No Number, laps: 10}
        """)))
    final = timeline.state_at(10)
    assert [row.entry.key for row in final.leaderboard] == ["07", "7", "No Number"]  # the line
    assert [(r.pos, r.entry.key, r.line_pos, r.status) for r in final.official] == [
        (1, "7", 2, None), (2, "No Number", 3, None), (None, "07", 1, "disqualified"),
    ]
    assert final.events[-1].kind == "disqualification"
    assert all(e.kind != "disqualification" for e in timeline.state_at(9).events)


def test_a_disqualified_car_that_did_not_start_has_no_row_in_the_official_result(write_race):
    """The official result lists the cars that took a place at the line: one that did not start has
    none to give (``line_pos`` is a place, never null), disqualified or not."""
    timeline = Timeline(load_race(write_race("""\
        events:
          - {when: post-race, kind: disqualification, cars: ["07"], text: Failed inspection., sources: [s1]}
        results:
          - {pos: 1, car: "7", laps: 10}
          - {pos: 2, car: No Number, laps: 10}
          - {car: "07", status: dns}
        """)))
    final = timeline.state_at(10)
    assert [(r.pos, r.entry.key, r.line_pos) for r in final.official] == [(1, "7", 1), (2, "No Number", 2)]
    assert final.events[-1].kind == "disqualification"


def test_complete_leader_data_gives_laps_led_every_lap(write_race):
    timeline = Timeline(load_race(write_race("""\
        leaders:
          - {car: "7", from: 1, to: 4}
          - {car: "07", from: 5, to: 10}
        events:
          - {lap: 5, kind: lead_change, cars: ["07"], text: Pass.}
        """)))
    state = timeline.state_at(6)
    assert [(row.entry.key, row.laps_led) for row in state.leaderboard] == [("07", 2)]
    assert {u.entry.key for u in state.unplaced} == {"7", "No Number"}
    assert state.lead_changes == 1


def test_lap_times_follow_positions(write_race):
    timeline = Timeline(load_race(write_race("""\
        running_order:
          1: ["7", "07", No Number]
          2: ["07", "7", No Number]
        lap_times:
          1: [30.5, 30.9, 31.2]
          2: [30.1, 30.7, ~]
        """)))
    state = timeline.state_at(2)
    assert [(row.entry.key, row.lap_time, row.change) for row in state.leaderboard] == [
        ("07", 30.1, 1), ("7", 30.7, -1), ("No Number", None, 0),
    ]


def test_official_places_keep_gaps_in_the_reported_results(write_race):
    """Only reported places are listed; a car reported 30th moves to 29th behind one DQ, not to 3rd."""
    timeline = Timeline(load_race(write_race("""\
        events:
          - {when: post-race, kind: disqualification, cars: ["7"], text: Failed inspection.}
        results:
          - {pos: 1, car: "07"}
          - {pos: 2, car: "7"}
          - {pos: 30, car: No Number}
        """)))
    official = timeline.state_at(10).official
    assert [(r.pos, r.entry.key) for r in official] == [(1, "07"), (29, "No Number"), (None, "7")]


def test_unknown_stage_ends_reveal_their_results_only_at_the_finish(write_race):
    from tests.conftest import MINIMAL

    timeline = Timeline(load_race(write_race("""\
        stage_results:
          1: {results: [{pos: 1, car: "7"}]}
        """, base=MINIMAL.replace("[3, 6, 10]", "[~, ~, 10]"))))
    assert [timeline.stage_at(lap) for lap in (0, 1, 9, 10)] == [1, 1, None, 3]  # lap 1 is in stage 1, the last in 3
    assert timeline.state_at(9).stage_results == ()
    final = timeline.state_at(10)
    assert [(s.stage, s.lap, s.winner.key if s.winner else None) for s in final.stage_results] == [
        (1, None, "7"), (2, None, None), (3, 10, None)]
    stage_event = next(e for e in final.events if e.kind == "stage_end" and e.cars == ("7",))
    assert (stage_event.lap, stage_event.estimated is not None) == (10, True)
    assert timeline.next_stage_end(0) == 10


def test_event_window_is_revealed_at_its_end(write_race):
    timeline = Timeline(load_race(write_race("""\
        events:
          - {lap: [4, 8], kind: pit, cars: ["7"], text: Pits under the last yellow.}
        """)))
    assert all(e.kind != "pit" for e in timeline.state_at(7).events)
    pit = next(e for e in timeline.state_at(8).events if e.kind == "pit")
    assert (pit.first_lap, pit.lap) == (4, 8)


OVERTIME = MINIMAL.replace("  laps: 10\n  stage_ends: [3, 6, 10]\n",
                           "  laps: 10\n  actual_laps: 12\n  stage_ends: [3, 6, 12]\n") + """\
flags:
  - {flag: caution, from: 9, to: 10, sources: [s1]}
"""
assert "actual_laps" in OVERTIME


def test_overtime_shows_the_schedule_until_the_race_runs_past_it(write_race):
    """A race that went to overtime (``actual_laps``) must not show its final length early."""
    timeline = Timeline(load_race(write_race(base=OVERTIME)))
    labels = {lap: (timeline.state_at(lap).lap_label, timeline.state_at(lap).laps_to_go,
                    timeline.state_at(lap).span, timeline.state_at(lap).stage_ends) for lap in (5, 10, 11, 12)}
    assert labels[5] == ("Lap 5 / 10", 5, 10, (3, 6))
    assert labels[10] == ("Lap 10 / 10", 0, 10, (3, 6))
    assert labels[11] == ("Lap 11 / 10 · overtime", None, 11, (3, 6))
    assert labels[12] == ("Lap 12 / 10 · overtime", 0, 12, (3, 6, 12))
    assert [timeline.state_at(lap).stage for lap in (6, 7, 11, 12)] == [2, 3, 3, 3]
    # no white flag at 11 unless the file states one: implied from the finish, it would tell of it
    assert [timeline.state_at(lap).flag for lap in (10, 11, 12)] == ["yellow", "green", "checkered"]


def test_unplaced_cars_are_listed_by_number_never_in_the_files_order(write_race):
    """The file's entry order is often the finishing order."""
    path = write_race(base=MINIMAL + '  - {number: "3", driver: Three, known_from: 0}\n'
                                     '  - {number: "12", driver: Twelve, known_from: 0}\n')
    state = Timeline(load_race(path)).state_at(2)
    assert [u.entry.driver for u in state.unplaced] == ["Three", "Seven Oh", "Seven", "Twelve", "No Number"]


def test_a_caution_known_only_as_an_event_counts_once_it_is_revealed(write_race):
    """A sparse race's 'final yellow' (an event in a lap window) once left 'Cautions 0+' at the finish."""
    path = write_race("""\
        flags:
          - {flag: caution, from: 2, to: 3, sources: [s1]}
        events:
          - {lap: [5, 8], kind: caution, text: A caution somewhere in these laps., sources: [s1]}
          - {lap: 3, kind: caution, text: The flagged one again as an event., sources: [s1]}
        """)
    timeline = Timeline(load_race(path))
    assert [timeline.state_at(lap).cautions for lap in (1, 2, 7, 8, 10)] == [0, 1, 1, 2, 2]


def test_the_first_lap_is_in_stage_one_and_the_last_in_the_last_even_with_unknown_ends(write_race):
    path = write_race(base=MINIMAL.replace("stage_ends: [3, 6, 10]", "stage_ends: [~, ~, 10]"))
    timeline = Timeline(load_race(path))
    assert [timeline.state_at(lap).stage_label for lap in (0, 1, 2, 9, 10)] == ["1/3", "1/3", "?/3", "?/3", "3/3"]


def test_the_white_flag_at_the_scheduled_last_but_one_lap_does_not_depend_on_overtime(write_race):
    """A race that ran long once showed GREEN at '1 to go' where one that did not showed WHITE."""
    scheduled = Timeline(load_race(write_race(base=MINIMAL, name="a.yaml")))
    long = MINIMAL.replace("  laps: 10\n  stage_ends: [3, 6, 10]\n", "  laps: 10\n  actual_laps: 13\n  stage_ends: [3, 6, 13]\n")
    overtime = Timeline(load_race(write_race("""\
        flags:
          - {flag: caution, from: 10, to: 10, sources: [s1]}
        """, base=long, name="b.yaml")))
    assert scheduled.state_at(9).flag == overtime.state_at(9).flag == "white"
    assert [overtime.state_at(lap).flag for lap in (10, 11, 12, 13)] == ["yellow", "green", "green", "checkered"]


def test_at_the_grid_nobody_has_led_a_lap(homestead):
    """Lap 0 once showed 0 for the five cars on the reported grid and '–' for the rest."""
    assert {row.laps_led for row in homestead.state_at(0).leaderboard} == {0}


def test_a_result_short_of_the_distance_is_the_finishs_news_unless_an_event_ends_the_race(write_race):
    """A result is known at the finish: before it, a car is out only from an event that ends its
    race (`ends_race`), with the event's word for why; a crash that does not say so ends nothing.
    At the finish the result's status is the reason."""
    timeline = Timeline(load_race(write_race("""\
        events:
          - {lap: 6, kind: crash, cars: ["7"], ends_race: ["7"], text: Crashes out., sources: [s1]}
          - {lap: 3, kind: crash, cars: ["07"], text: Crashes and goes on., sources: [s1]}
        results:
          - {pos: 1, car: No Number, laps: 10, sources: [s1]}
          - {pos: 2, car: "7", laps: 4, status: accident, sources: [s1]}
          - {pos: 3, car: "07", laps: 4, status: engine, sources: [s1]}
        """)))
    def status(lap):
        return {u.entry.number: (u.status, u.detail) for u in timeline.state_at(lap).unplaced}
    assert [(status(lap)["7"], status(lap)["07"]) for lap in (4, 5, 6, 9)] == [
        (("running", None), ("running", None)), (("running", None), ("running", None)),
        (("out", "accident"), ("running", None)), (("out", "accident"), ("running", None))]
    final = {r.entry.number: (r.status, r.detail) for r in timeline.state_at(10).leaderboard}
    assert final["7"] == ("out", "accident") and final["07"] == ("out", "engine")
