"""The archive screen against the loopback feed server: the season's list without spoilers, Enter
fetches and opens, failures and being offline shown on the screen."""

from __future__ import annotations

import pytest

from replay.viewer.app import ReplayApp
from replay.viewer.screens import ReplayScreen
from replay.viewer.screens.archive import ArchiveScreen
from tests.conftest import screen_text
from tests.feed_server import Fault, serving
from tests.test_fetch import LAP_TIMES, free_port

SIZE = (120, 40)


@pytest.fixture
def places(tmp_path, monkeypatch):
    monkeypatch.setenv("RACE_REPLAY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RACE_REPLAY_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


async def settle(app, pilot) -> None:
    """Until the screen's workers have finished and their results are on the screen."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def open_archive(app, pilot, series: str = "xfinity") -> ArchiveScreen:
    screen = ArchiveScreen(season=2023, series=series)
    await app.push_screen(screen)
    await settle(app, pilot)
    return screen


async def fetch_race(screen: ArchiveScreen, pilot, race_id: int) -> None:
    """Highlight the race in the list and press Enter."""
    screen.query_one("OptionList").highlighted = next(
        i for i, listing in enumerate(screen.listings) if listing.race_id == race_id)
    await pilot.press("enter")


async def test_the_list_shows_the_races_and_nothing_they_decided(places, monkeypatch):
    with serving() as server:
        monkeypatch.setenv("RACE_REPLAY_FEED_URL", server.url)
        app = ReplayApp(race_folders=[places], transient=False)
        async with app.run_test(size=SIZE) as pilot:
            await open_archive(app, pilot, "cup")
            text = screen_text(app)
            assert "NASCAR archive · 2023 · Cup" in text and "41 races" in text
            assert "Busch Light Clash at The Coliseum" in text and "150 laps" in text
            assert "Truex" not in text and " won" not in text
            await pilot.press("x")
            await settle(app, pilot)
            assert "NASCAR archive · 2023 · Xfinity" in screen_text(app) and "33 races" in screen_text(app)


async def test_enter_fetches_the_race_and_opens_it_at_the_grid(places, monkeypatch):
    with serving() as server:
        monkeypatch.setenv("RACE_REPLAY_FEED_URL", server.url)
        app = ReplayApp(race_folders=[places], transient=False)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_archive(app, pilot)
            await fetch_race(screen, pilot, 5314)
            await settle(app, pilot)
            assert isinstance(app.screen, ReplayScreen) and app.screen.lap == 0
            assert "RAPTOR King of Tough 250" in screen_text(app)
    assert (places / "data" / "races" / "2023-03-18-xfinity-atlanta-motor-speedway-5314.yaml").is_file()


async def test_a_failed_fetch_is_shown_on_the_screen_and_nothing_is_written(places, monkeypatch):
    with serving() as server:
        monkeypatch.setenv("RACE_REPLAY_FEED_URL", server.url)
        server.faults[LAP_TIMES] = Fault("status", 403)
        app = ReplayApp(race_folders=[places], transient=False)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_archive(app, pilot)
            await fetch_race(screen, pilot, 5314)
            await settle(app, pilot)
            assert app.screen is screen
            assert "Could not fetch: " in screen_text(app) and "HTTP 403" in screen_text(app)
    assert not (places / "data" / "races").exists()


async def test_offline_the_screen_says_so_and_lists_what_is_stored(places, monkeypatch):
    with serving() as server:
        monkeypatch.setenv("RACE_REPLAY_FEED_URL", server.url)
        app = ReplayApp(race_folders=[places], transient=False)
        async with app.run_test(size=SIZE) as pilot:
            await open_archive(app, pilot)  # stores the 2023 list
    monkeypatch.setenv("RACE_REPLAY_FEED_URL", f"http://127.0.0.1:{free_port()}")
    app = ReplayApp(race_folders=[places], transient=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_archive(app, pilot)
        assert "33 races" in screen_text(app)  # 2023 is over: the stored list is final
        await pilot.press("left")  # 2022: never stored
        await settle(app, pilot)
        assert screen.season == 2022
        assert "cannot reach the server" in screen_text(app) and "offline" in screen_text(app)


async def test_the_picker_opens_the_archive(places, monkeypatch):
    with serving() as server:
        monkeypatch.setenv("RACE_REPLAY_FEED_URL", server.url)
        app = ReplayApp(transient=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("b")
            await settle(app, pilot)
            assert isinstance(app.screen, ArchiveScreen)
