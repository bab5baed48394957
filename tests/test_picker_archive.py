"""The picker on an archive: it fills from the index or in the background, counts right, filters and
orders by keys, pauses while a race is open, and shows nothing known only after a race."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from replay.racefile import index
from replay.racefile.catalog import SMALL
from replay.racefile.catalog import catalog as catalog_of
from replay.viewer.app import ReplayApp
from replay.viewer.screens import PickerScreen, ReplayScreen
from replay.viewer.screens import picker as picker_module
from replay.viewer.screens.picker import FacetChooser, RaceList
from tests.conftest import MINIMAL, screen_text
from tests.test_catalog_index import SPOILED, race_text

SIZE = (120, 40)
COUNT = 50
SERIES = ("Cup Series", "Truck Series")
TRACKS = ("Dover", "Bristol", "Phoenix")


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch) -> Path:
    """A cache folder of the test's own; files written a moment ago may be kept in the index."""
    monkeypatch.setenv("RACE_REPLAY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(index, "RACY_NS", 0)
    return tmp_path / "cache"


def archive(folder: Path, base: str = MINIMAL, broken: int = 2) -> Path:
    """COUNT - broken small races, seasons 2022-2024, two series, three tracks; and broken files."""
    folder.mkdir()
    for i in range(COUNT - broken):
        text = race_text(SERIES[i % 2], f"Race {i:02d}", TRACKS[i % 3], f"{2022 + i // 6 % 3}-0{1 + i % 9}-{10 + i % 17}", base)
        (folder / f"race-{i:02d}.yaml").write_text(text, encoding="utf-8")
    for i in range(broken):
        (folder / f"zz-broken-{i}.yaml").write_text("race: [\n", encoding="utf-8")
    return folder


def expected(season: str | None = None, series: str | None = None, track: str | None = None) -> int:
    return sum(1 for i in range(COUNT - 2) if season in (None, str(2022 + i // 6 % 3)) and series in (None, SERIES[i % 2])
               and track in (None, TRACKS[i % 3]))


async def filled(app: ReplayApp, pilot) -> PickerScreen:
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, PickerScreen) and app.screen.unread == 0
    return app.screen


async def choose(pilot, key: str, value: str) -> None:
    """Open a facet chooser and move to ``value`` (by pressing down) and take it."""
    await pilot.press(key)
    chooser = pilot.app.screen
    assert isinstance(chooser, FacetChooser)
    values = [""] + [v for v, _ in chooser.counts]
    steps = values.index(value) - values.index(chooser.current or "")
    await pilot.press(*["down" if steps > 0 else "up"] * abs(steps), "enter")


async def test_the_picker_lists_an_archive_in_the_background_then_from_the_index(tmp_path, cache):
    folder = archive(tmp_path / "races")
    app = ReplayApp(race_folders=[folder], transient=False)
    async with app.run_test(size=SIZE) as pilot:
        assert COUNT >= SMALL and app.screen._fill_started, "more than a few: read in the background"
        screen = await filled(app, pilot)
        text = screen_text(app)
        assert f"Choose a race ({COUNT - 2} races; 2 files cannot be opened)" in text
        assert f"{COUNT - 2} of {COUNT - 2} races: every season, every series, every track; by date, oldest first" in text
        assert len(screen.query_one(RaceList).options) == COUNT and len(screen.races) == COUNT
        dates = [race.info.date for race in screen.races if race.info]
        assert dates == sorted(dates) and [race.path.name for race in screen.races[-2:]] == ["zz-broken-0.yaml",
                                                                                             "zz-broken-1.yaml"]
    assert index.index_path(cache, folder.resolve()).is_file()
    again = ReplayApp(race_folders=[folder], transient=False)
    async with again.run_test(size=SIZE) as pilot:
        assert again.screen.unread == 0 and not again.screen._fill_started, "all from the index: nothing to read"
        assert screen_text(again) == text


async def test_filters_by_season_series_and_track_with_keys(tmp_path):
    app = ReplayApp(race_folders=[archive(tmp_path / "races")], transient=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await filled(app, pilot)
        assert screen.check_action("every_race", ()) is None, "nothing to clear yet: greyed out"
        await choose(pilot, "y", "2023")
        assert {race.season for race in screen.races} == {"2023"} and len(screen.races) == expected("2023")
        await choose(pilot, "s", "Truck Series")
        await choose(pilot, "t", "Phoenix")
        wanted = expected("2023", "Truck Series", "Phoenix")
        assert wanted and len(screen.races) == wanted
        assert all((r.season, r.info.series, r.info.track) == ("2023", "Truck Series", "Phoenix") for r in screen.races)
        assert (f"{wanted} of {COUNT - 2} races: season 2023, series Truck Series, track Phoenix; by date, oldest first"
                in screen_text(app))
        await choose(pilot, "y", "")  # every season again
        assert len(screen.races) == expected(None, "Truck Series", "Phoenix")
        await pilot.press("escape")
        assert len(screen.races) == COUNT and not screen.choice.filtered
        await pilot.press("s", "escape")  # a chooser closed without choosing changes nothing
        assert isinstance(app.screen, PickerScreen) and len(screen.races) == COUNT


async def test_the_choosers_count_what_the_other_filters_let_through(tmp_path):
    app = ReplayApp(race_folders=[archive(tmp_path / "races")], transient=False)
    async with app.run_test(size=SIZE) as pilot:
        await filled(app, pilot)
        await choose(pilot, "s", "Cup Series")
        await pilot.press("y")
        assert app.screen.counts == [(season, expected(season, "Cup Series")) for season in ("2024", "2023", "2022")]
        assert "Every season (" + str(expected(None, "Cup Series")) + ")" in screen_text(app)


async def test_o_changes_the_order(tmp_path):
    app = ReplayApp(race_folders=[archive(tmp_path / "races")], transient=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await filled(app, pilot)
        keys = {"newest": lambda r: r.info.date, "series": lambda r: (r.info.series, r.info.date),
                "track": lambda r: (r.info.track, r.info.date), "name": lambda r: r.info.name, "date": lambda r: r.info.date}
        for sort in ("newest", "series", "track", "name", "date"):
            await pilot.press("o")
            races = [race for race in screen.races if race.info]
            assert screen.choice.sort == sort
            assert races == sorted(races, key=keys[sort], reverse=sort == "newest")
        assert "by date, oldest first" in screen_text(app)


async def test_the_highlighted_race_stays_highlighted_through_a_filter(tmp_path):
    app = ReplayApp(race_folders=[archive(tmp_path / "races")], transient=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await filled(app, pilot)
        await pilot.press(*["down"] * 7)
        chosen = screen.races[screen.query_one(RaceList).highlighted]
        await choose(pilot, "t", chosen.info.track)
        assert screen.races[screen.query_one(RaceList).highlighted] == chosen


async def test_the_list_scrolls_to_its_end_and_opens_a_race(tmp_path):
    app = ReplayApp(race_folders=[archive(tmp_path / "races")], transient=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await filled(app, pilot)
        await pilot.press("end")
        race_list = screen.query_one(RaceList)
        last = max(i for i, race in enumerate(screen.races) if race.info)  # broken files cannot be highlighted
        assert race_list.highlighted == last and race_list.scroll_y > 0
        assert screen.races[last].info.name in screen_text(app)
        await pilot.press("enter")
        assert isinstance(app.screen, ReplayScreen) and app.screen.timeline.race.info.name == screen.races[last].info.name
        await pilot.press("escape")
        assert app.screen is screen and screen.query_one(RaceList).highlighted == last


async def test_the_reading_pauses_while_a_race_is_open(tmp_path, monkeypatch):
    monkeypatch.setattr(picker_module, "FILL_SLICE", 0)  # give way after every file
    folder = archive(tmp_path / "races")
    app = ReplayApp(race_folders=[folder], transient=False)
    async with app.run_test(size=SIZE) as pilot:
        picker = app.screen
        app.open_race(folder / "race-00.yaml")
        assert isinstance(app.screen, ReplayScreen)
        await pilot.pause(0.05)
        paused = picker.catalog.unread
        assert paused, "the reading had not finished"
        await pilot.pause(0.2)
        assert picker.catalog.unread == paused
        await pilot.press("escape")
        await filled(app, pilot)
        assert picker.catalog.unread == []


async def test_a_race_whose_problem_is_past_its_header_is_marked_when_opened(tmp_path):
    folder = archive(tmp_path / "races", broken=0)
    bad = folder / "race-00.yaml"
    bad.write_text(bad.read_text() + "events:\n  - {lap: 1, kind: nonsense, text: x, sources: [s1]}\n")
    app = ReplayApp(race_folders=[folder], transient=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await filled(app, pilot)
        assert "Choose a race (50 races)" in screen_text(app)
        assert screen.races[screen.query_one(RaceList).highlighted].path == bad, "the earliest race"
        await pilot.press("enter")
        assert app.screen is screen and "Choose a race (49 races; 1 file cannot be opened)" in screen_text(app)
        assert "cannot open: " in screen_text(app) and "nonsense" in screen_text(app)


async def test_at_80_by_24_the_picker_fits(tmp_path):
    app = ReplayApp(race_folders=[archive(tmp_path / "races")], transient=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await filled(app, pilot)
        lines = screen_text(app).splitlines()
        assert len(lines) <= 24 and max(map(len, lines)) <= 80
        assert any("y Season" in line and "o Order" in line for line in lines)


def views(app: ReplayApp) -> str:
    return re.sub(r"terminal-\d+", "terminal", app.export_screenshot())


async def picker_views(folder: Path) -> list[str]:
    """Every view of the picker: each order, each chooser, a filter of each facet."""
    shown = []
    app = ReplayApp(race_folders=[folder], transient=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await filled(app, pilot)
        for _ in range(5):
            await pilot.press("o")
            shown.append(views(app))
        for key in "yst":
            await pilot.press(key)
            shown.append(views(app))
            await pilot.press("down", "enter")
            shown.append(views(app) + repr([race.path.name for race in screen.races]))
    return shown


async def test_nothing_in_the_picker_depends_on_what_was_known_after_the_race(tmp_path):
    """The same archive twice, once with results, laps run past the schedule, a margin, post-race
    notes, quotes and headline titles: every view of the picker is the same."""
    plain = await picker_views(archive(tmp_path / "plain", broken=0))
    spoiled_base = SPOILED.replace("s1: {title: A report}", "s1: {title: Seven Oh wins in overtime}")
    spoiled = await picker_views(archive(tmp_path / "spoiled", base=spoiled_base, broken=0))
    assert spoiled == plain
    assert all(word not in view for view in spoiled for word in ("wins", "overtime", "0.071", "12 laps", "Unbelievable"))


def test_the_benchmarks_archive_and_child_work(tmp_path):
    """The picker benchmark's archive varies what the filters use, and its child reports (no timing judged)."""
    from tests.benchmarks import picker as bench
    from tests.benchmarks.run import bytecode_env

    folder = bench.generate(tmp_path / "archive", count=SMALL + 2)
    found = catalog_of([folder])
    assert len(found) == SMALL + 2 and all(entry.info for entry in found)
    assert all(len({getattr(e.info, name) for e in found}) > 1 for name in ("series", "track", "date"))
    measured = bench.picker_run(folder, tmp_path / "cache", bytecode_env(tmp_path / "bytecode"))
    assert 0 < measured["first"] <= measured["listed"] < 120 and measured["open"] > 0 and measured["rss_mb"] > 10


async def test_while_files_are_read_the_counts_say_they_are_of_those_read_so_far(tmp_path, cache, monkeypatch):
    """A folder's first listing: the rows say "reading…" and the counts above them are of the races
    read so far, not a bare "0 of 0 races" (as if the folder held none)."""
    monkeypatch.setattr(picker_module, "FILL_SLICE", 0)  # give way after every file
    folder = archive(tmp_path / "races")
    app = ReplayApp(race_folders=[folder], transient=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, PickerScreen) and screen.unread == COUNT, "none read yet"
        assert f"0 of 0 races read so far ({COUNT} files still being read): every season" in screen_text(app)
        await filled(app, pilot)
        text = screen_text(app)
        assert f"{COUNT - 2} of {COUNT - 2} races: every season" in text and "read so far" not in text
