"""A race's results are the finish's news: changing any of them changes nothing before the finish.

Beside tests/test_spoilers.py, which changes everything after a lap but keeps what a lap already
shows of a result (a car out before it), this test changes only the results, and all of them: the
finishing order, every car's laps, status, laps led, points and note, a retired car that instead
finishes running (and a running one that instead retires early), and an extra row for an entrant the
results did not list. For every bundled race written from reports, the state and every export format
must be the same at every lap before the finish (docs/FORMAT.md, "Known from"), and differ at the finish.
The race imported from timing feeds (Atlanta) is held to it too, beside the cut-at-N feed test.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from replay.core.engine import Timeline
from replay.core.model import Race, ResultRow
from replay.racefile.bundled import bundled_races_dir, race_files
from replay.racefile.loader import load_race
from tests.test_spoilers import exports_at

RACES = {path.stem: load_race(path) for path in race_files(bundled_races_dir())}


def changed_results(race: Race) -> Race:
    """Every result changed: the order reversed, each running car retired after lap 1 and each car
    that stopped now running the full distance, other figures shifted, and a row added for an
    entrant (that did start) the results do not list."""
    final = race.info.final_lap
    rows = [row for row in race.results if row.status != "dns"]  # a car that does not start is seen not to
    places = sorted(row.pos for row in rows if row.pos is not None)
    reversed_places = dict(zip(places, reversed(places), strict=True))
    changed = []
    for row in rows:
        stopped = row.status not in (None, "running")
        changed.append(replace(
            row, pos=None if row.pos is None else reversed_places[row.pos],
            laps=final if stopped else 1, status="running" if stopped else "engine",
            laps_led=(row.laps_led or 0) + 2, points=(row.points or 0) + 5, note="CHANGED"))
    listed = {row.car for row in race.results}
    extra = next((car for car in sorted(race.entries) if car not in listed), None)
    if extra is not None:
        changed.append(ResultRow(max(places, default=0) + 1, extra, 1, "accident", 3, 4, "CHANGED extra"))
    kept = [row for row in race.results if row.status == "dns"]
    return replace(race, results=tuple(changed + kept))


def state_fields(timeline: Timeline, lap: int) -> dict:
    """The state at ``lap``, as comparable values (the race info is the same object)."""
    state = timeline.state_at(lap)
    return {name: getattr(state, name) for name in state.__dataclass_fields__ if name != "info"}


@pytest.mark.parametrize("name", sorted(RACES))
def test_changing_the_results_changes_nothing_before_the_finish(name):
    race = RACES[name]
    real, other = Timeline(race), Timeline(changed_results(race))
    final = real.final_lap
    for lap in range(final):
        assert state_fields(other, lap) == state_fields(real, lap), f"{name}: the state at lap {lap}"
    step = max(1, final // 12)
    for lap in sorted({0, 1, *range(0, final, step), final - 1}):
        seen, changed = exports_at(real, lap), exports_at(other, lap)
        for fmt, text in seen.items():
            assert changed[fmt] == text, f"{name}: {fmt} at lap {lap}"
    assert exports_at(real, final) != exports_at(other, final), "the finish does show the results"


def test_the_change_reaches_what_the_rule_hides():
    """The changed races do change what the old rules read early: a retired car's status (Rhodes
    in both 2025 races) and the rows that alone name a driver."""
    for name in ("2025-trucks-homestead", "2025-trucks-charlotte-roval"):
        race = RACES[name]
        before = {race.entries[row.car].driver: row.status for row in race.results}
        after = {race.entries[row.car].driver: row.status for row in changed_results(race).results}
        assert before["Ben Rhodes"] not in (None, "running") and after["Ben Rhodes"] == "running"
        assert len(after) == len(before) + 1
