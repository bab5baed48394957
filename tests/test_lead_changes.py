"""Every lead change of an imported race is an event, from the running order, in a lap note's words
where one tells it: the header's count, the incident log (and its kind filter) and the JSON export
agree at every lap (Atlanta 2023: 12 lead changes by lap 100, where the notes tell 4; Hill keeps
the lead under caution at laps 40-43, second at the line behind Creed, as NASCAR scores it)."""

from __future__ import annotations

import pytest

from replay.core.engine import Timeline
from replay.core.log import KIND_FILTERS, log_items
from replay.core.pits import stop_test
from replay.export.json_contract import to_json
from replay.racefile.loader import load_race
from tests.conftest import ROOT

ATLANTA = ROOT / "races" / "2023-xfinity-atlanta.yaml"


@pytest.fixture(scope="module")
def atlanta() -> Timeline:
    return Timeline(load_race(ATLANTA))


def leader_changes(timeline: Timeline, lap: int) -> list[int]:
    """Laps 2..lap whose running order's first car is not the lap before's: counted by hand."""
    first = {order.lap: order.cars[0] for order in timeline.race.orders}
    return [at for at in range(2, lap + 1) if first[at] != first[at - 1]]


@pytest.mark.parametrize("lap", [10, 11, 50, 100, 163])
def test_header_log_filter_and_json_hold_the_same_lead_changes(atlanta, lap):
    state = atlanta.state_at(lap)
    events = [e.lap for e in state.events if e.kind == "lead_change"]
    assert events == leader_changes(atlanta, lap) and state.lead_changes == len(events)
    kinds = next(f for f in KIND_FILTERS if f.name == "lead changes")
    logged = [item for item in log_items(state, atlanta.flags, (), stop_test(atlanta.race.events), kinds=kinds)
              if item.kind == "lead_change"]
    assert len(logged) == len(events)
    exported = to_json(state)
    assert exported["lead_changes"] == sum(1 for e in exported["events"] if e["kind"] == "lead_change") == len(events)


def test_at_lap_100_all_twelve(atlanta):
    assert atlanta.state_at(100).lead_changes == 12
    assert sum(1 for e in atlanta.state_at(100).events if e.kind == "lead_change") == 12


def test_a_note_that_tells_the_change_gives_its_words_once(atlanta):
    at_50 = [e for e in atlanta.race.events if e.lap == 50 and e.kind == "lead_change"]
    assert [(e.text.split(",")[0], e.cars[:2], e.sources) for e in at_50] == [
        ("#78 gets the lead", ("78", "10"), ("lap-notes", "lap-times"))]
    # the stage points have Hill winning stage 1 and the loop data Creed leading no lap: no change at 40
    assert not [e for e in atlanta.race.events if e.lap == 40 and e.kind == "lead_change"]
