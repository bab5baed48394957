"""Issue 22 §2: battles (a car within 1.0 s of the car right ahead under green), built from the laps
so far; marked on the board, named in the header, exported, counted in the statistics."""

from __future__ import annotations

import json

from replay.core.battles import BATTLE_SECONDS, Battle, BattleIndex, featured
from replay.core.engine import TIMED_FLAGS, Timeline
from replay.export import FORMATS, ExportRequest
from replay.racefile.loader import load_race
from replay.viewer.app import ReplayApp
from tests.conftest import ROOT, screen_text
from widgets import Leaderboard, RaceHeader

ATLANTA = ROOT / "races" / "2023-xfinity-atlanta.yaml"


def synthetic() -> BattleIndex:
    """A within 0.5 s ahead of B at laps 1-3 (0.3 at lap 2), 1.5 s at lap 4; C 0.9 s behind B at 3-4."""
    laps = {1: [("A", "B", 0.5)], 2: [("A", "B", 0.3)], 3: [("A", "B", 0.8), ("B", "C", 0.9)],
            4: [("A", "B", 1.5), ("B", "C", 0.9)]}
    return BattleIndex(lambda lap: laps.get(lap, []))


def test_a_battle_lasts_while_the_pair_stays_within_a_second_and_nothing_later_is_known():
    battles = synthetic()
    assert battles.at(2) == (Battle("A", "B", 1, 2, 0.3, 0.3, open=True),)
    assert battles.so_far(2) == (Battle("A", "B", 1, 2, 0.3, 0.3, open=True),)  # its end is not known at lap 2
    assert battles.at(3) == (Battle("A", "B", 1, 3, 0.3, 0.8, open=True), Battle("B", "C", 3, 3, 0.9, 0.9, open=True))
    assert battles.so_far(5) == (Battle("A", "B", 1, 3, 0.3, 0.8), Battle("B", "C", 3, 4, 0.9, 0.9))
    assert battles.at(5) == ()
    assert featured(battles.at(3), "A", frozenset()) == Battle("A", "B", 1, 3, 0.3, 0.8, open=True)
    assert featured(battles.at(3), "X", frozenset({"C"})).behind == "C"
    assert featured(battles.at(3), "X", frozenset()) is None


def test_atlanta_battles_are_adjacent_timed_cars_within_a_second_on_green_laps():
    timeline = Timeline(load_race(ATLANTA))
    seen = 0
    for lap in range(1, timeline.final_lap + 1, 3):
        state = timeline.state_at(lap)
        if timeline.flags[lap] not in TIMED_FLAGS:
            assert state.battles == ()
            continue
        rows = {row.entry.key: row for row in state.leaderboard}
        for battle in state.battles:
            ahead, behind = rows[battle.ahead], rows[battle.behind]
            assert behind.pos == ahead.pos + 1 and not behind.laps_down
            assert abs(behind.gap - ahead.gap - battle.interval) < 1e-9 and battle.interval <= BATTLE_SECONDS
            assert battle.last == lap and battle.first <= lap and battle.open
            seen += 1
    assert seen > 100


async def test_the_board_marks_a_battle_and_the_header_names_the_one_for_the_lead_or_a_followed_driver():
    timeline = Timeline(load_race(ATLANTA))
    def closer_elsewhere(lap: int) -> bool:  # a battle for the lead, and a closer one behind
        state = timeline.state_at(lap)
        lead = [b for b in state.battles if b.ahead == state.leader.entry.key]
        return bool(lead) and any(b.interval < lead[0].interval for b in state.battles)

    lap = next(lap for lap in range(2, timeline.final_lap) if closer_elsewhere(lap))
    state = timeline.state_at(lap)
    lead = next(b for b in state.battles if b.ahead == state.leader.entry.key)
    app = ReplayApp(timeline, lap=lap, transient=False)
    async with app.run_test(size=(120, 40)) as pilot:
        header = app.screen.query_one(RaceHeader).render_line(0).text
        second = state.entries[lead.behind].driver.split()[-1]
        assert f"Battle P1: {second} +{lead.interval:.3f}, {lead.laps} lap" in header
        board = app.screen.query_one(Leaderboard)
        gap = next(style for text, style in board.render_row(2, board.size.width) if text.strip().startswith("+0."))
        assert gap.underline
        other = min((b for b in state.battles if b is not lead), key=lambda b: b.interval)
        assert other.interval < lead.interval  # a closer battle elsewhere: named once its driver is followed
        app.screen.toggle_follow(other.behind)
        await pilot.pause()
        header = app.screen.query_one(RaceHeader).render_line(0).text
        assert f"+{other.interval:.3f}" in header and state.entries[other.behind].driver.split()[-1] in header


def test_the_json_export_carries_the_battles_so_far():
    timeline = Timeline(load_race(ATLANTA))
    data = json.loads(FORMATS["json"].render(ExportRequest.at(timeline, 60)))
    battles = data["battles"]
    assert battles and all(b["last_lap"] <= 60 and b["laps"] == b["last_lap"] - b["first_lap"] + 1 for b in battles)
    assert any(b["going_on"] for b in battles) and all(b["last_lap"] == 60 for b in battles if b["going_on"])
    assert len(battles) == len(timeline.battles.so_far(60))


async def test_the_statistics_count_the_battles():
    timeline = Timeline(load_race(ATLANTA))
    count = len(timeline.battles.so_far(60))
    app = ReplayApp(timeline, lap=60, transient=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        assert f"Battles (within 1.0 s under green) {count}," in screen_text(app)
