"""Settings (``user.settings``) in the config folder: typed get and set with defaults, per race
under its identity, written atomically under a lock to what the file holds then (several viewers
at once), a broken file said in one line and never written over; and the viewer resuming a race
where it was left."""

from __future__ import annotations

import json
import multiprocessing
import shutil
from pathlib import Path

import pytest

from replay.core.engine import Timeline
from replay.racefile.loader import load_race
from replay.user import settings as core_settings
from replay.user.places import config_dir
from replay.user.settings import (
    ANIMATION,
    FOLLOWED,
    LAP,
    SECONDS_PER_LAP,
    THEME,
    Settings,
    race_identity,
    settings_path,
)
from replay.viewer.app import ReplayApp
from replay.viewer.screens import ReplayScreen
from replay.viewer.screens.replay import SPEEDS
from tests.conftest import HOMESTEAD, ROOT
from tests.terminal import viewer_in_terminal

SIZE = (120, 40)
HOMESTEAD_ID = "NASCAR Craftsman Truck Series|2025-03-21|Baptist Health 200|Homestead-Miami Speedway"
ATLANTA = ROOT / "races" / "2023-xfinity-atlanta.yaml"
ATLANTA_ID = "NASCAR Xfinity Series|2023-03-18|RAPTOR King of Tough 250|Atlanta Motor Speedway"


def test_the_settings_live_in_the_config_folder_the_tests_move(own_user_folders):
    assert settings_path() == config_dir() / "settings.json" == own_user_folders / "config" / "settings.json"


def test_defaults_then_what_was_set_typed_and_per_race():
    settings = Settings.load()
    assert (settings.get(THEME), settings.get(SECONDS_PER_LAP), settings.get(ANIMATION)) == ("race-replay", 1.0, "full")
    assert settings.get(LAP, "a race") == 0 and settings.get(FOLLOWED, "a race") == []
    assert not settings_path().exists(), "reading writes nothing"
    assert settings.set(THEME, "nord") is None
    assert settings.set_many({LAP: 57, FOLLOWED: ["07"], SECONDS_PER_LAP: 0.5}, "a race") is None
    again = Settings.load()
    assert (again.get(THEME), again.get(SECONDS_PER_LAP), again.get(LAP, "a race"), again.get(LAP, "another")) == (
        "nord", 0.5, 57, 0)
    assert json.loads(settings_path().read_text())["races"] == {"a race": {"lap": 57, "followed": ["07"]}}
    with pytest.raises(ValueError, match="kept per race"):
        again.get(LAP)
    with pytest.raises(ValueError, match="not a valid lap"):
        again.set(LAP, -1, "a race")


def test_a_new_setting_is_one_line_and_values_not_valid_read_as_the_default(monkeypatch):
    monkeypatch.setattr(core_settings, "SETTINGS", dict(core_settings.SETTINGS))
    columns = core_settings.setting("example_column", "leader", core_settings.one_of("leader", "followed"))
    with pytest.raises(ValueError, match="taken"):
        core_settings.setting("theme", "x", core_settings.is_text)
    settings_path().parent.mkdir(parents=True)
    settings_path().write_text('{"example_column": "sideways", "seconds_per_lap": "fast", "newer": [1]}')
    settings = Settings.load()
    assert settings.problem is None and settings.get(columns) == "leader" and settings.get(SECONDS_PER_LAP) == 1.0
    settings.set(columns, "followed")
    assert json.loads(settings_path().read_text()) == {"format": 1, "example_column": "followed",
                                                       "seconds_per_lap": "fast", "newer": [1]}, "the rest as it was"


def test_a_change_is_made_to_the_file_as_it_is_then():
    first, second = Settings.load(), Settings.load()
    first.set(THEME, "nord")
    second.set(LAP, 5, "a race")
    assert Settings.load().get(THEME) == "nord" and Settings.load().get(LAP, "a race") == 5


@pytest.mark.parametrize("content, says", [
    ('{"theme": ', ":1:11: not JSON: Expecting value"),
    ("[1, 2]", ": settings are a JSON object"),
    ('{"races": []}', ": settings are a JSON object (with `races` an object of races)"),
    ('{"format": 2}', ": settings format 2 is not supported"),
])
def test_a_broken_settings_file_is_one_line_and_never_written_over(content, says):
    settings_path().parent.mkdir(parents=True)
    settings_path().write_text(content)
    settings = Settings.load()
    assert settings.problem.startswith(f"{settings_path()}{says}") and "\n" not in settings.problem
    assert settings.get(THEME) == "race-replay"
    assert settings.set(THEME, "nord") == settings.problem and settings.get(THEME) == "nord", "for this run only"
    assert settings_path().read_text() == content


def keep_lap(race: str, lap: int, start) -> None:
    start.wait()
    for step in range(5):
        Settings.load().set(LAP, lap + step, race)


def test_processes_writing_settings_at_once_keep_every_change():
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(8)
    writers = [context.Process(target=keep_lap, args=(f"race {n}", 10 * n, start)) for n in range(8)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(60)
    assert [process.exitcode for process in writers] == [0] * 8
    settings = Settings.load()
    assert [settings.get(LAP, f"race {n}") for n in range(8)] == [10 * n + 4 for n in range(8)]


def test_a_race_is_known_by_series_date_name_and_track():
    info = load_race(HOMESTEAD).info
    assert race_identity(info.series, info.date, info.name, info.track) == HOMESTEAD_ID


# -- the viewer ------------------------------------------------------------------------------


@pytest.fixture
def race(tmp_path) -> Path:
    folder = tmp_path / "races"
    folder.mkdir()
    return Path(shutil.copy(HOMESTEAD, folder / HOMESTEAD.name))


@pytest.fixture
def timed_race(tmp_path) -> Path:
    """A race with lap times (the Gap column, and ``v``, need them)."""
    folder = tmp_path / "timed"
    folder.mkdir()
    return Path(shutil.copy(ATLANTA, folder / ATLANTA.name))


def viewer(race: Path, lap: int | None) -> ReplayApp:
    return ReplayApp(Timeline(load_race(race)), lap=lap, transient=False)


async def test_a_race_reopens_where_it_was_left_with_its_followed_drivers_and_the_speed(race, tmp_path):
    app = viewer(race, None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert app.screen.lap == 0 and not app._notifications, "the first time: the grid"
        await pilot.press("g", *"57", "enter", "f", *"lar", "enter", "plus", "plus")
        assert (app.screen.lap, app.screen.followed, SPEEDS[app.screen.speed]) == (57, {"07"}, 0.25)
        await pilot.press("q")
    kept = Settings.load()
    assert (kept.get(LAP, HOMESTEAD_ID), kept.get(FOLLOWED, HOMESTEAD_ID), kept.get(SECONDS_PER_LAP)) == (57, ["07"], 0.25)
    elsewhere = tmp_path / "moved" / "renamed.yaml"  # the same race, somewhere else
    elsewhere.parent.mkdir()
    shutil.copy(race, elsewhere)
    app = viewer(elsewhere, None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = app.screen
        assert (screen.lap, screen.followed, SPEEDS[screen.speed]) == (57, {"07"}, 0.25)
        assert [n.message for n in app._notifications] == ["Lap 57, where you left this race. Home: the grid."]
        await pilot.press("home")
        assert screen.lap == 0
    app = viewer(race, 12)  # --lap
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.lap == 12 and app.screen.followed == {"07"}


async def test_the_gap_column_measures_from_the_first_driver_followed_after_reopening(timed_race):
    """A second trial: the followed drivers were kept sorted, so after reopening the Gap column measured
    from another driver than the first followed."""
    race = timed_race
    app = viewer(race, 20)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.followed = frozenset({"98"})
        app.screen.followed = frozenset({"98", "07"})  # "07" sorts first
        await pilot.press("v")
        assert app.screen.board.gap_to == "98"
        await pilot.press("q")
    assert Settings.load().get(FOLLOWED, ATLANTA_ID) == ["98", "07"]
    app = viewer(race, None)
    async with app.run_test(size=SIZE):
        assert app.screen.followed == {"98", "07"} and app.screen.board.gap_to == "98"


async def test_escape_to_the_list_and_back_resumes(race):
    app = ReplayApp(race_folders=[race.parent], transient=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, ReplayScreen) and app.screen.lap == 0
        await pilot.press("right", "right", "right", "escape")
        assert not isinstance(app.screen, ReplayScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, ReplayScreen) and app.screen.lap == 3


async def test_a_broken_settings_file_opens_the_viewer_with_defaults_and_is_left(race):
    settings_path().parent.mkdir(parents=True)
    settings_path().write_text('{"theme": "nord",')
    app = viewer(race, None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert app.theme == "race-replay" and app.screen.lap == 0
        [told] = app._notifications
        assert told.message.startswith(f"{settings_path()}:1:") and "\n" not in told.message
        await pilot.press("right", "q")
    assert settings_path().read_text() == '{"theme": "nord",'


async def test_values_the_viewer_cannot_use_are_said_and_kept_until_the_user_sets_them(race):
    """A new user's trial: values not valid were used as their defaults silently, and quitting wrote
    the default over the user's "fast"."""
    settings_path().parent.mkdir(parents=True)
    settings_path().write_text('{"format": 1, "seconds_per_lap": "fast", "theme": 42, "animation": "wild", '
                               '"races": {"x": {"lap": -5}}}')
    app = viewer(race, None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert app.theme == "race-replay"
        [told] = app._notifications
        assert told.message.startswith("theme 42, seconds_per_lap 'fast'") and "\n" not in told.message
        assert f"not usable, so the defaults are used ({settings_path()} keeps them)" in told.message
        assert all(f"{key} {value!r}" in told.message for key, value in
                   (("seconds_per_lap", "fast"), ("theme", 42), ("animation", "wild"), ("lap", -5)))
        await pilot.press("right", "q")
    kept = json.loads(settings_path().read_text())
    assert (kept["seconds_per_lap"], kept["theme"], kept["animation"]) == ("fast", 42, "wild")


async def test_the_theme_chosen_is_kept_and_used_next_time(race):
    app = viewer(race, 0)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert Settings.load().get(THEME) == "nord"
    app = viewer(race, 0)
    async with app.run_test(size=SIZE):
        assert app.theme == "nord"


def test_the_real_command_quit_and_reopened_resumes_and_lap_overrides(race):
    """In a terminal, as a user: go to lap 57, quit with q; the same command opens at lap 57."""
    with viewer_in_terminal(str(race), rows=24, columns=80) as terminal:
        assert terminal.wait_for(b"Lap 0 /"), terminal.seen[-2000:]
        terminal.write(b"g")
        assert terminal.wait_for(b"Go to lap: 0 to 134"), terminal.seen[-2000:]
        terminal.write(b"57\r")
        assert terminal.wait_for(b"57 / 134"), terminal.seen[-2000:]  # only what changed is drawn
        terminal.write(b"q")
        assert terminal.wait_for(terminal.exited) and terminal.status == 0
    assert Settings.load().get(LAP, HOMESTEAD_ID) == 57
    with viewer_in_terminal(str(race), rows=24, columns=80) as terminal:
        assert terminal.wait_for(lambda: b"Lap 57 /" in terminal.plain() and b"Resumed" in terminal.seen), terminal.seen[-2000:]
        assert b"Lap 0 /" not in terminal.plain()
    with viewer_in_terminal(str(race), "--lap", "0", rows=24, columns=80) as terminal:
        assert terminal.wait_for(b"Lap 0 /"), terminal.seen[-2000:]


async def test_a_served_page_opens_the_race_where_it_was_left_and_keeps_that_lap(race):
    """`serve` once opened every page at the grid, and closing it saved lap 0 over the lap the user
    had left the race at in the terminal."""
    from replay.serve.app import served_app
    from replay.serve.child import parse

    app = viewer(race, 0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*["right"] * 5)
    options = parse([str(race)])
    assert options.lap is None
    served = served_app(options.target, options.lap, options.role)
    async with served.run_test(size=SIZE) as pilot:
        assert served.screen.lap == 5
        await pilot.press("right")
    again = viewer(race, None)
    async with again.run_test(size=SIZE):
        assert again.screen.lap == 6


async def test_the_gap_column_measured_from_a_followed_driver_is_kept_per_race(timed_race):
    """`v` was kept in memory only: reopened, the race measured gaps from the leader again (and,
    with the followed drivers restored, `v` said to follow a driver first)."""
    from widgets import Leaderboard

    race = timed_race
    app = viewer(race, 3)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.toggle_follow("07")
        await pilot.press("v")
        assert app.screen.gap_to_followed
    again = viewer(race, None)
    async with again.run_test(size=SIZE) as pilot:
        assert again.screen.gap_to_followed and again.screen.query_one(Leaderboard).gap_to == "07"
        await pilot.press("v")
        assert not again.screen.gap_to_followed
    third = viewer(race, None)
    async with third.run_test(size=SIZE):
        assert not third.screen.gap_to_followed and third.screen.query_one(Leaderboard).gap_to is None


async def test_a_theme_the_viewer_does_not_have_is_said_too(race):
    """A theme named in the settings that no longer exists (or was mistyped) was replaced silently."""
    settings_path().parent.mkdir(parents=True)
    settings_path().write_text('{"format": 1, "theme": "no-such-theme", "animation": 7}')
    app = viewer(race, None)
    async with app.run_test(size=SIZE, notifications=True):
        assert app.theme == "race-replay"
        [told] = app._notifications
        assert "theme 'no-such-theme' (no such theme)" in told.message and "animation 7" in told.message
    assert json.loads(settings_path().read_text())["theme"] == "no-such-theme"


async def test_a_shorter_copy_of_a_race_opens_at_its_last_lap_and_keeps_the_lap_left(tmp_path):
    """A copy of a race still running (its feeds cut at lap 40) is the same race: left at lap 102 in
    the whole race, it opened at 40 saying "where you left this race", and leaving it there wrote
    40 over 102 (a new user's trial)."""
    from tests.test_cut_at_lap import cut

    Settings.load().set(LAP, 102, ATLANTA_ID)
    copy = cut(tmp_path, "atlanta", 40)
    assert copy.final_lap == 40 and copy.in_progress
    app = ReplayApp(copy, lap=None, transient=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert app.screen.lap == 40
        assert [n.message for n in app._notifications] == [
            "Lap 40, the last this file has (you left this race at lap 102). Home: the grid."]
        await pilot.press("q")
    assert Settings.load().get(LAP, ATLANTA_ID) == 102
    app = ReplayApp(copy, lap=None, transient=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("left", "q")  # a lap this file has, chosen: it is the lap left at now
    assert Settings.load().get(LAP, ATLANTA_ID) == 39
