"""The minimal viewer: keys move the lap; what is drawn comes from the engine; data is not markup."""

from __future__ import annotations

import pytest
from rich.console import Console

from replay import Timeline, load_race
from replay.app import ReplayApp
from tests.conftest import HOMESTEAD, MINIMAL

SIZE = (110, 36)


def homestead_app(lap: int = 0) -> ReplayApp:
    return ReplayApp(Timeline(load_race(HOMESTEAD)), lap=lap)


def drawn_text(app: ReplayApp, widget: str) -> str:
    """What a widget renders, as plain text."""
    console = Console(width=SIZE[0], record=True, file=open("/dev/null", "w"), color_system=None)
    console.print(app.query_one(widget).render())
    return console.export_text()


@pytest.mark.parametrize("keys, lap", [
    (["right"], 1), (["right", "right", "left"], 1), (["left"], 0), (["end"], 134), (["end", "right"], 134),
    (["end", "home"], 0), (["shift+right"], 10), (["pagedown", "pageup", "pagedown"], 10),
])
async def test_keys_move_the_lap(keys, lap):
    app = homestead_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*keys)
        assert app.lap == lap


async def test_widgets_show_the_state_of_the_lap():
    app = homestead_app(lap=50)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right")
        header = drawn_text(app, "RaceHeader")
        assert "Lap 51 / 134" in header and "83 to go" in header and "GREEN" in header
        board = drawn_text(app, "Leaderboard").splitlines()
        assert [line.split()[:3] for line in board[1:4]] == [["1", "11", "Corey"], ["2", "98", "Ty"],
                                                              ["3–12", "unknown"]]
        assert "carried, lap 50" in board[1] and "estimated, lap 50" in board[2]
        assert "estimated, lap 31" in board[4]  # Riggs, 13th after his pit-road error
        assert board[-2].startswith("Position unknown: Tanner Gray, Kyle Larson")


async def test_driver_names_are_not_markup(write_race):
    base = MINIMAL.replace("driver: Seven}", 'driver: "[b]Smith[/b] [red"}')
    app = ReplayApp(Timeline(load_race(write_race('running_order:\n  0: ["7"]\n', base=base))))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "[b]Smith[/b] [red" in drawn_text(app, "Leaderboard")
