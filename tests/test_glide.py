"""Issue 22 §3: rows glide to their new places when a lap is stepped to or played, in eased frames
on the controlled clock; not on a jump, not at laps shorter than the glide, not without animations;
the leader's line never moves."""

from __future__ import annotations

import pytest

from replay.core.engine import Timeline
from replay.racefile.loader import load_race
from replay.viewer.app import ReplayApp
from replay.viewer.screens.tower import GLIDE_FRAMES, GLIDE_SECONDS
from tests.clock import HandClock
from tests.conftest import ROOT
from widgets import Leaderboard

ATLANTA = ROOT / "races" / "2023-xfinity-atlanta.yaml"
SIZE = (120, 40)
LAP = 50  # lap 50 changes the lead and moves most of the field


def drivers(board: Leaderboard) -> list[str]:
    """The drivers on the board's lines, top to bottom (the leader's line first)."""
    width = board.size.width
    names = []
    for line in range(1, board.size.height):
        row = board.render_row(line, width) if line < board.row_count else None
        if row:
            names.append("".join(text for text, _ in row)[16:38].strip())
    return names


def glide_app(lap: int, clock: HandClock, animations: str = "full") -> ReplayApp:
    app = ReplayApp(Timeline(load_race(ATLANTA)), lap=lap, clock=clock)
    app.animation_level = animations
    return app


async def board_at(lap: int) -> list[str]:
    app = ReplayApp(Timeline(load_race(ATLANTA)), lap=lap, transient=False)
    async with app.run_test(size=SIZE):
        return drivers(app.screen.query_one(Leaderboard))


async def test_a_step_glides_from_the_old_places_to_the_new_and_the_leader_stays_put():
    before, after = await board_at(LAP - 1), await board_at(LAP)
    assert before[0] != after[0] and before[1:] != after[1:]
    clock = HandClock()
    app = glide_app(LAP - 1, clock)
    async with app.run_test(size=SIZE) as pilot:
        board = app.screen.query_one(Leaderboard)
        await pilot.press("right")
        assert board.gliding
        shown = []
        for _ in range(GLIDE_FRAMES):
            shown.append(drivers(board))
            clock.advance(GLIDE_SECONDS / GLIDE_FRAMES)
        assert not board.gliding and drivers(board) == after
    assert all(lines[0] == after[0] for lines in shown)  # the leader's line: the new leader, at once
    assert shown[0][1:] == [name for name in before if name != after[0]]  # frame 0: the old places
    assert len({tuple(lines) for lines in shown}) >= 3  # frames in between
    assert all(sorted(lines) == sorted(after) for lines in shown)  # each row once in every frame


@pytest.mark.parametrize("keys", [["shift+right"], ["end"], ["home"]])
async def test_a_jump_does_not_glide(keys):
    clock = HandClock()
    app = glide_app(LAP - 1, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*keys)
        assert not app.screen.query_one(Leaderboard).gliding


async def test_no_glide_without_animations_or_at_laps_shorter_than_the_glide():
    clock = HandClock()
    app = glide_app(LAP - 1, clock, animations="none")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right")
        assert not app.screen.query_one(Leaderboard).gliding
    clock = HandClock()
    app = glide_app(LAP - 2, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*["plus"] * 4, "space")  # 10 laps a second: 0.1 s a lap
        clock.advance(0.1)
        assert app.screen.lap == LAP - 1 and not app.screen.query_one(Leaderboard).gliding
        await pilot.press("minus", "minus")  # 2 laps a second: 0.5 s a lap
        clock.advance(0.5)
        assert app.screen.lap == LAP and app.screen.query_one(Leaderboard).gliding


async def still(board: Leaderboard, pilot, seconds: float = 10.0) -> None:
    """Wait (on real time, at most ``seconds``) until the board's glide has ended."""
    for _ in range(int(seconds / 0.05)):
        if not board.gliding:
            return
        await pilot.pause(0.05)


async def test_a_glide_on_textuals_own_timers_ends_cleanly(monkeypatch):
    """Textual's interval came round once more than its repeat count, and the glide's frame counter
    raised StopIteration: the viewer crashed after the first glide in a real terminal. Real timers run
    here, so the test records the frames drawn rather than when it looks (a loaded machine may end a
    0.2 s glide before the test looks)."""
    drawn: list[float] = []
    draw = Leaderboard.glide

    def recording(board: Leaderboard, progress: float) -> None:
        drawn.append(progress)
        draw(board, progress)

    monkeypatch.setattr(Leaderboard, "glide", recording)
    app = ReplayApp(Timeline(load_race(ATLANTA)), lap=LAP - 1)
    app.animation_level = "full"
    async with app.run_test(size=SIZE) as pilot:
        board = app.screen.query_one(Leaderboard)
        for lap in (LAP, LAP + 1):
            drawn.clear()
            await pilot.press("right")
            await still(board, pilot)
            assert app.screen.lap == lap and not board.gliding and app.is_running
            assert drawn[0] == 0.0 and drawn[-1] == 1.0 and drawn.count(1.0) == 1
            assert drawn == sorted(drawn) and len(drawn) == GLIDE_FRAMES + 1
    assert app.return_code in (None, 0)
