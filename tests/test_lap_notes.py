"""What the Atlanta 2023 lap notes are, as the importer reads them, and the white flag where the
leader takes it (the feed codes the lap run under it, the last, 4)."""

from __future__ import annotations

import pytest

from replay.core.engine import Timeline
from replay.racefile.loader import load_race
from replay.sources.nascar.story import note_kind
from tests.conftest import ROOT

ATLANTA = ROOT / "races" / "2023-xfinity-atlanta.yaml"


@pytest.fixture(scope="module")
def atlanta() -> Timeline:
    return Timeline(load_race(ATLANTA))


def note_at(timeline: Timeline, lap: int):
    return next(e for e in timeline.race.events if e.lap == lap and e.sources[0] == "lap-notes")


@pytest.mark.parametrize("lap, kind", [
    (1, "note"),  # the start: "#18 leads the field to the green" before any caution is no restart
    (8, "restart"),
    (25, "restart"),  # "leads the field too the green"
    (61, "restart"),  # "#78 leads the field to the green ..., #78 is having a radio issue"
    (15, "mechanical"),  # "#21 is concerned with a power steering issue"
    (58, "pit"), (64, "pit"), (72, "pit"),  # "#25, #27, #43, #08, #07 pit, free pass is #35"
    (141, "note"),  # "#48 moves into a battle for the lead after pitting on lap 120"
])
def test_lap_note_kinds(atlanta, lap, kind):
    assert note_at(atlanta, lap).kind == kind, note_at(atlanta, lap).text


def test_a_note_names_every_car_it_names(atlanta):
    """Its driver ids hold a null where #91 is: the #numbers of its words count too."""
    note = note_at(atlanta, 82)
    assert note.text.startswith("#08, #35, #91 stay out")
    assert note.cars == ("08", "35", "91", "78", "18")


def test_restart_needs_a_caution_before():
    assert note_kind("#21 leads the field to the green", restart=False) == "note"
    assert note_kind("#21 leads the field to the green") == "restart"


def test_the_white_flag_waves_with_one_to_go(atlanta):
    final = atlanta.final_lap
    assert [p.first for p in atlanta.race.flags if p.flag == "white"] == [final - 1]
    assert atlanta.state_at(final - 1).flag == "white" and atlanta.state_at(final).flag == "checkered"
    assert atlanta.state_at(final - 2).flag == "green"


def test_a_note_announcing_a_stage_win_early_shows_at_the_stage_end(atlanta):
    """Lap 78: "#7 spun ..., #48 wins the stage"; stage 2 ended under that caution at lap 80: the
    note is shown from lap 80 (a window from 78), not two laps before the stage is won."""
    note = next(e for e in atlanta.race.events if "#48 wins the stage" in e.text)
    assert (note.first_lap, note.lap, note.lap_label) == (78, 80, "L78–80")
    assert note not in atlanta.state_at(79).events and note in atlanta.state_at(80).events


@pytest.mark.parametrize("car, lap", [("16", 128), ("92", 35)])
def test_a_note_sending_a_car_to_the_garage_ends_its_race_from_that_lap(atlanta, car, lap):
    """"#16 has an issue from 7th and comes to pit road and heads to the garage" (L128): the board
    said only that #16 had not crossed the line since, until its result at the finish; the note is
    what a commentator knows then. Out from the note's lap with its reason, never before."""
    def status(at: int):
        state = atlanta.state_at(at)
        return next((r.status, r.detail) for r in (*state.leaderboard, *state.unplaced) if r.entry.key == car)

    [note] = [e for e in atlanta.race.events if e.ends_race == (car,)]
    assert note.lap == lap and e_garage_or_parked(note.text)
    assert status(lap - 1)[0] != "out"
    assert status(lap) == ("out", "mechanical")


def e_garage_or_parked(text: str) -> bool:
    return "garage" in text or "parked" in text


def test_laps_down_go_back_only_under_caution(atlanta):
    """#28's laps down once went 2 -> 1 -> 2 over the last three laps. A car gets a lap back only under
    caution (the free pass, a wave-around): never on a green lap."""
    previous: dict[str, int] = {}
    back = []
    for lap in range(1, atlanta.final_lap + 1):
        state = atlanta.state_at(lap)
        for row in state.leaderboard:
            down = row.laps_down or 0
            if down < previous.get(row.entry.key, 0):
                back.append((row.entry.key, lap, state.flag))
            previous[row.entry.key] = down
    assert back and all(flag == "yellow" for _, _, flag in back), back
    assert [lap for car, lap, _ in back if car == "28"] == []
