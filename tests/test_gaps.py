"""Issue 22 §1: a gap for every timed car on the lead lap, from start offsets estimated on the laps
known so far; never contradicting the order; none under caution; `v` measures from a followed driver."""

from __future__ import annotations

import pytest
from rich.style import Style

from replay.core.engine import TIMED_FLAGS, Timeline
from replay.core.gap_estimates import GapEstimates
from replay.racefile.loader import load_race
from replay.viewer.app import ReplayApp
from tests.conftest import ROOT
from widgets import Leaderboard

ATLANTA = ROOT / "races" / "2023-xfinity-atlanta.yaml"
MARTINSVILLE = ROOT / "tests" / "data" / "martinsville-2020-cup.yaml"


def coverage(timeline: Timeline) -> tuple[int, int, int]:
    """Lead-lap rows on green laps, those with a gap, and gaps closer to the leader than the car ahead's."""
    rows = covered = contradictions = 0
    for lap in range(1, timeline.final_lap + 1):
        if timeline.flags[lap] not in TIMED_FLAGS:
            continue
        behind = 0.0
        for row in timeline.state_at(lap).leaderboard:
            if row.laps_down or row.status not in ("running", "pit"):
                continue
            rows += 1
            if row.gap is not None:
                covered += 1
                contradictions += row.gap < behind
                behind = row.gap
    return rows, covered, contradictions


@pytest.mark.parametrize("path", [ATLANTA, MARTINSVILLE], ids=["atlanta", "martinsville"])
def test_nearly_every_lead_lap_row_on_green_laps_has_a_gap_and_none_contradicts_the_order(path):
    """Summed lap times alone gave 30% (Atlanta) and 49% (Martinsville)."""
    rows, covered, contradictions = coverage(Timeline(load_race(path)))
    assert rows > 1000 and covered / rows >= 0.95 and contradictions == 0


def test_offsets_rise_with_the_grid_and_settle():
    timeline = Timeline(load_race(MARTINSVILLE))
    final = timeline.gap_estimates.offsets(timeline.final_lap)
    grid = [car for car in timeline.positions.at(0)[0] if car]
    assert min(final.values()) == 0.0 and 3.0 < max(final.values()) < 10.0
    rows = [final[car] for car in grid]
    assert rows[0] == 0.0 and rows[-1] > 4.0
    assert all(later >= ahead for ahead, later in zip(rows, rows[6:], strict=False))  # three rows back: later
    early, later = timeline.gap_estimates.offsets(30), timeline.gap_estimates.offsets(100)
    assert all(early[car] <= later[car] <= final[car] + 1e-9 for car in final)  # only ever raised
    assert max(final[car] - later[car] for car in final) < 0.5


def test_the_least_offsets_meet_every_order_and_leave_out_a_contradiction():
    """Three laps: A ahead of B at laps 1 and 2 though B's summed time is 2 s less (B started 2 s
    back); at lap 3 B is ahead by the order with a summed time only 1 s less, which no offsets can
    meet with laps 1-2: the offsets keep laps 1-2, lap 3's constraint is left out, and lap 3 shows
    no gap that contradicts its order (A's would put it ahead of B)."""
    orders = {1: (("A", "B"), {"A": 10.0, "B": 8.0}), 2: (("A", "B"), {"A": 10.0, "B": 10.0}),
              3: (("B", "A"), {"A": 10.0, "B": 11.0})}

    def order_at(lap):
        cars = orders[lap][0] if lap in orders else ()
        return cars, [True] * len(cars)

    def race_times(lap):  # each car's lap times summed to the lap, as the engine's positions give them
        return {car: sum(orders[n][1][car] for n in range(1, lap + 1)) for car in "AB"} if lap in orders else {}

    estimates = GapEstimates(3, order_at, [False, True, True, True], race_times)
    assert estimates.offsets(1) == {"A": 0.0, "B": 2.0}
    assert estimates.at(1).gap == {"A": 0.0, "B": 0.0} and estimates.at(1).estimated == {"B"}  # a tie, allowed
    assert estimates.at(2).gap == {"A": 0.0, "B": 0.0}
    assert estimates.dropped == 0
    assert estimates.offsets(3) == {"A": 0.0, "B": 2.0} and estimates.dropped == 1
    assert estimates.at(3).gap == {"B": 0.0}  # A: 30 s against B's 29 + 2: closer than the car ahead
    assert GapEstimates(3, order_at, [False, True, True, False], race_times).at(3).gap == {}  # caution: no gap


async def test_caution_laps_show_the_order_and_no_gap():
    timeline = Timeline(load_race(ATLANTA))
    caution = next(lap for lap in range(1, timeline.final_lap) if timeline.flags[lap] == "yellow")
    assert all(row.gap is None and row.interval is None for row in timeline.state_at(caution).leaderboard)


async def test_estimated_gaps_are_dim_italic_and_v_measures_from_the_first_followed_driver():
    timeline = Timeline(load_race(ATLANTA))
    state = timeline.state_at(50)
    estimated = next(row for row in state.leaderboard if row.gap_estimated)
    third = state.leaderboard[2]
    app = ReplayApp(timeline, lap=50, transient=False)
    async with app.run_test(size=(160, 40)) as pilot:
        board = app.screen.query_one(Leaderboard)
        cells = board.render_row(estimated.pos, board.size.width)
        gap = next(style for text, style in cells if text.strip() == f"{estimated.gap:+.3f}")
        assert gap.italic and gap.dim
        await pilot.press("v")
        assert "Follow a driver first" in "".join(n.message for n in app._notifications)
        app.screen.toggle_follow(third.entry.key)
        await pilot.pause()
        await pilot.press("v")
        header = board.render_line(0).text
        assert "to Truex" in header or f"to {third.entry.driver.split()[-1]}" in header
        first = board.render_row(1, board.size.width)
        assert any(text.strip() == f"{-third.gap:+.3f}" for text, _ in first)
        assert any(text.strip() == "—" for text, _ in board.render_row(3, board.size.width))
        await pilot.press("v")
        assert "Gap" in board.render_line(0).text


def test_a_tie_with_the_car_ahead_reads_as_a_gap_not_as_the_leader():
    from dataclasses import replace

    from replay.core.labels import gap_label

    row = Timeline(load_race(ATLANTA)).state_at(50).leaderboard[1]
    assert gap_label(replace(row, gap=0.0, laps_down=None)) == "+0.000"
    assert gap_label(replace(row, pos=1, gap=0.0, laps_down=None)) == "—"
    assert gap_label(replace(row, gap=1.5, laps_down=None, gap_estimated=True), marked=True) == "~+1.500"
    assert Style(dim=True, italic=True)  # the board's estimated style (as other estimates)


async def test_v_in_a_race_without_lap_times_says_there_is_no_gap_column():
    """Homestead 2025 has no lap times and no Gap column: ``v`` asked to follow a driver first, as if
    that would give one (a new user's trial)."""
    app = ReplayApp(Timeline(load_race(ROOT / "races" / "2025-trucks-homestead.yaml")), lap=50, transient=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v")
        said = "".join(n.message for n in app._notifications)
    assert "no Gap column" in said and "Follow a driver first" not in said
