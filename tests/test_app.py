"""The viewer driven by Pilot: every key, jumps, the scrubber, playback by ticks, spoilers, markup."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from replay.core.engine import Timeline
from replay.racefile.loader import load_race
from replay.viewer.app import ReplayApp
from replay.viewer.screens import DriverChooser, GoToLap, HelpScreen, PickerScreen, ReplayScreen
from tests.conftest import HOMESTEAD, MINIMAL, ROOT, screen_text
from widgets import EventLog, Leaderboard, Scrubber

SIZE = (120, 40)


def homestead_app(lap: int = 0) -> ReplayApp:
    return ReplayApp(Timeline(load_race(HOMESTEAD)), lap=lap, transient=False)


@pytest.mark.parametrize("start, keys, lap", [
    (0, ["right"], 1), (0, ["right", "right", "left"], 1), (0, ["left"], 0), (0, ["end"], 134),
    (134, ["right"], 134), (134, ["home"], 0), (0, ["shift+right"], 10), (20, ["shift+left"], 10),
    (0, ["pagedown", "pageup", "pagedown"], 10), (0, ["right_square_bracket"], 30), (45, ["left_square_bracket"], 30),
    (30, ["right_square_bracket", "right_square_bracket"], 60), (0, ["n"], 1), (1, ["n"], 7), (91, ["p"], 90),
])
async def test_navigation_keys(start, keys, lap):
    app = homestead_app(start)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*keys)
        assert app.screen.lap == lap


async def test_keys_that_would_do_nothing_are_greyed_out():
    app = homestead_app(0)
    async with app.run_test(size=SIZE):
        screen = app.screen
        assert screen.check_action("step", (-1,)) is None
        assert screen.check_action("event", (-1,)) is None  # [ ] stay on: pressed, they say why they cannot go
        assert screen.check_action("step", (1,)) is True
        screen.lap = 134
        assert screen.check_action("play", ()) is None
        screen.speed = 5
        assert screen.check_action("speed", (1,)) is None and screen.check_action("speed", (-1,)) is True


async def test_go_to_lap():
    app = homestead_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        assert isinstance(app.screen, GoToLap)
        await pilot.press("9", "1", "enter")
        assert isinstance(app.screen, ReplayScreen) and app.screen.lap == 91
        await pilot.press("g", "9", "9", "9", "enter")
        assert isinstance(app.screen, GoToLap)  # out of range: stays open and says why
        assert "lap 999 is past the scheduled 134 laps" in screen_text(app)
        await pilot.press("escape")
        assert app.screen.lap == 91
        await pilot.press("g", *"10 to go", "enter")
        assert isinstance(app.screen, ReplayScreen) and app.screen.lap == 124
        await pilot.press("g", *"final", "enter")
        assert app.screen.lap == 134


async def test_follow_chooser_searches_by_name_and_number():
    """Typing "lar" and Enter once followed Ben Rhodes (the first name in the list)."""
    app = homestead_app(94)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f", *"lar", "enter")
        assert isinstance(app.screen, ReplayScreen) and app.screen.followed == {"07"}
        await pilot.press("f", *"34", "enter")
        assert app.screen.followed == {"07", "34"}


async def palette_texts(app: ReplayApp, *queries: str) -> list[list[str]]:
    """What the palette lists for each query on the app's screen, best first."""
    from replay.viewer.commands import ReplayCommands

    provider = ReplayCommands(app.screen)
    await provider.startup()
    texts = []
    for query in queries:
        hits = [hit async for hit in provider.search(query)]
        texts.append([str(hit.text) for hit in sorted(hits, key=lambda hit: -hit.score)])
    return texts


async def test_palette_ranks_the_driver_whose_name_starts_with_the_words_first():
    """"follow lar" once ranked Layne Riggs above Kyle Larson."""
    app = homestead_app(10)
    async with app.run_test(size=SIZE):
        [hits] = await palette_texts(app, "follow lar")
    assert hits[0] == "Follow Kyle Larson"


async def test_sources_hide_headlines_until_the_finish():
    app = homestead_app(0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        before = screen_text(app)
        await pilot.press("escape", "end", "s")
        at_finish = screen_text(app)
    assert "Triumph" not in before and "hidden until the finish" in before
    assert "Triumph" in at_finish


async def test_playback_advances_by_ticks_and_announces_stage_ends_and_the_finish():
    app = homestead_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("space")
        assert screen.playing
        banners = {}
        while screen.playing:
            screen.playback_tick()
            current = screen.banner.current
            if current is not None and current.kind in ("stage_end", "checkered"):
                banners[screen.lap] = current.title
        assert screen.lap == 134
        assert banners == {30: "END OF STAGE 1 · Corey Heim wins", 60: "END OF STAGE 2 · Corey Heim wins",
                           134: "CHECKERED FLAG · Kyle Larson wins"}


async def test_space_pauses_and_speed_keys_change_the_interval():
    app = homestead_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("space", "plus", "plus")
        assert screen.playing and screen.speed == 4
        await pilot.press("space", "minus")
        assert not screen.playing and screen.speed == 3
        assert "⏸ 2 laps/s" in screen_text(app)


async def test_banner_leaves_at_the_next_key():
    app = homestead_app(29)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right")
        assert app.screen.banner.current.kind == "stage_end"
        assert "END OF STAGE 1" in screen_text(app)
        await pilot.press("right")  # lap 31: a caution banner replaces it
        assert app.screen.banner.current.title == "CAUTION · End of stage 1 (laps estimated)"
        await pilot.press("right")
        assert app.screen.banner.current is None


async def test_any_key_sends_the_banner_away_and_a_step_can_announce_the_next():
    app = homestead_app(29)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right")
        assert app.screen.banner.current.kind == "stage_end"
        await pilot.press("plus")  # not a lap key: the banner still goes
        assert app.screen.banner.current is None and app.screen.speed == 3
        await pilot.press("left", "right")  # back to 29, then 30 again: announced again
        assert app.screen.banner.current.kind == "stage_end"


async def test_choosing_an_event_jumps_to_its_lap():
    app = homestead_app(100)
    async with app.run_test(size=SIZE) as pilot:
        log = app.screen.query_one(EventLog)
        log.focus()
        target = next(i for i, e in enumerate(log.events) if e.kind == "spin")
        for _ in range(target):
            await pilot.press("down")
        await pilot.press("enter")
        assert app.screen.lap == 91


async def test_filter_log_to_one_driver():
    app = homestead_app(134)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        assert isinstance(app.screen, DriverChooser)
        app.screen.dismiss("34")
        await pilot.pause()
        log = app.screen.query_one(EventLog)
        assert log.events and all("34" in e.cars for e in log.events)
        assert "Incidents · Layne Riggs" in screen_text(app)


async def test_follow_a_driver_keeps_the_row_highlighted():
    app = homestead_app(94)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        assert isinstance(app.screen, DriverChooser)
        app.screen.dismiss("07")
        await pilot.pause()
        assert app.screen.followed == {"07"}
        assert app.screen.query_one(Leaderboard).followed == {"07"}


async def test_scrubber_click_jumps():
    app = homestead_app()
    async with app.run_test(size=SIZE) as pilot:
        scrubber = app.screen.query_one(Scrubber)
        width = scrubber.size.width
        x = round(91 * (width - 1) / 134)  # the cell of lap 91, computed here, not by the scrubber
        await pilot.click(Scrubber, offset=(x, 0))
        assert app.screen.lap == round(x * 134 / (width - 1))
        assert abs(app.screen.lap - 91) <= 1


async def test_help_screen():
    app = homestead_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "Go to a lap" in screen_text(app) and "carried" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, ReplayScreen)


async def test_quit():
    app = homestead_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
    assert app.return_code == 0


async def test_no_spoilers_on_screen_mid_race():
    app = homestead_app(50)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
    assert "Lap 50 / 134" in text
    for spoiler in ("pretty unbelievable", "Kyle Larson wins", "CHECKERED", "78", "Heim leads Majeski"):
        assert spoiler not in text


async def test_picker_lists_races_without_results_and_opens_one():
    app = ReplayApp(race_folders=[ROOT / "races"], transient=False)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, PickerScreen)
        text = screen_text(app)
        assert "Baptist Health 200" in text and "2025-03-21" in text and "134 laps" in text
        assert "Larson" not in text and "win" not in text.lower()
        await pilot.press("enter")
        assert isinstance(app.screen, ReplayScreen) and app.screen.lap == 0


async def test_picker_shows_a_broken_file_without_crashing(tmp_path):
    (tmp_path / "broken.yaml").write_text("race: [\n")
    app = ReplayApp(race_folders=[tmp_path], transient=False)
    async with app.run_test(size=SIZE):
        text = screen_text(app)
    assert "cannot open" in text and "No race to open here (0 races; 1 file cannot be opened)" in text


async def test_picker_counts_races_apart_from_broken_files(tmp_path):
    """Two broken files and a good one once read "3 found"."""
    (tmp_path / "a.yaml").write_text("race: [\n")
    (tmp_path / "b.yaml").write_text("laps: lots\n")
    (tmp_path / "good.yaml").write_text(MINIMAL)
    app = ReplayApp(race_folders=[tmp_path], transient=False)
    async with app.run_test(size=SIZE):
        assert "Choose a race (1 race; 2 files cannot be opened)" in screen_text(app)


async def test_escape_goes_back_to_the_race_list():
    app = ReplayApp(race_folders=[ROOT / "races"], transient=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, ReplayScreen)
        await pilot.press("right", "escape")
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("down", "enter")
        assert isinstance(app.screen, ReplayScreen) and len(app.screen_stack) == 3


async def test_escape_from_a_race_opened_directly_lists_its_folder():
    app = homestead_app(5)
    app.race_folders = [ROOT / "races"]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        assert isinstance(app.screen, PickerScreen) and len(app.screen_stack) == 2
        assert "Baptist Health 200" in screen_text(app)
        highlighted = app.screen.races[app.screen.query_one(OptionList).highlighted]
        assert highlighted.path.name == HOMESTEAD.name, "the race just left is the one highlighted"


async def test_data_is_never_markup(write_race):
    base = MINIMAL.replace("driver: Seven,", 'driver: "[b]Smith[/b] [red",')
    extra = 'running_order:\n  0: ["7"]\nevents:\n  - {lap: 1, kind: note, cars: ["7"], text: "a [bold]note[/] ["}\n'
    app = ReplayApp(Timeline(load_race(write_race(extra, base=base))), lap=1, transient=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
    assert "[b]Smith[/b] [red" in text and "a [bold]note[/] [" in text


async def test_command_palette_offers_events_without_spoiling_future_ones():
    from replay.viewer.commands import ReplayCommands

    app = homestead_app(91)
    async with app.run_test(size=SIZE):
        titles = [command.text for command in ReplayCommands(app.screen).commands()]
    assert any(t.startswith("Lap 91: spin · Diving under Riggs") for t in titles)
    laps = [int(t.split(":")[0].removeprefix("Lap ")) for t in titles if t.startswith("Lap ")]
    assert laps and max(laps) == 91, "no event after the current lap is listed, not even its lap"
    assert "Next event" in titles and not any("ahead" in t for t in titles)
    events = [t for t in titles if t.startswith("Lap ")]
    assert events[0].startswith("Lap 91: spin"), "the latest event first: the palette opens on its first dozen"
    assert not any("Larson passes Riggs" in t for t in titles)
    assert "Follow Kyle Larson" in titles and "Go to lap…" in titles
    assert any(t.startswith("Open race: Baptist Health 200") for t in titles)


def test_leaderboard_columns_fit_every_width():
    """Down to 40 cells (57 with gap columns) every column fits; wider screens fill the width."""
    from widgets.leaderboard import columns_for

    for timed, narrowest in ((False, 40), (True, 57)):
        for width in range(narrowest, 200):
            used = 1 + sum(c.width + 1 for c in columns_for(width, timed))
            assert used == width, (width, timed, used)


async def test_board_says_how_and_as_of_when_each_position_is_known():
    app = homestead_app(50)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right")
        lines = screen_text(app).splitlines()[2:]  # below the header, which names the leader
    heim = next(line for line in lines if "Corey Heim" in line)
    majeski = next(line for line in lines if "Ty Majeski" in line)
    riggs = next(line for line in lines if "Layne Riggs" in line)
    assert "TRICON Garage" in heim and "as of L50" in heim  # carried from lap 50
    assert "est. L50" in majeski and "est. L31" in riggs
    assert any(line.split()[:2] == ["3–12", "unknown"] for line in lines)


async def test_command_palette_jumps_to_an_event():
    app = homestead_app(100)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"lap", "space", *"91", "space", *"spin")
        await app.workers.wait_for_complete()  # the palette searches in a worker: wait for it to finish
        await pilot.pause()  # and for its hits to reach the list
        hits = app.screen.query_one(OptionList)
        assert "Lap 91: spin" in str(hits.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReplayScreen) and app.screen.lap == 91


async def test_a_broken_files_error_lines_sit_indented_under_its_name(tmp_path):
    """A long error wraps over several lines, each indented under the file's name as a race's
    second line is (a wrapped line at the margin read as another file)."""
    (tmp_path / "broken.yaml").write_text("race: [\n" + "x" * 300 + "\n")
    app = ReplayApp(race_folders=[tmp_path], transient=False)
    async with app.run_test(size=(60, 20)):
        lines = [line.split("▊", 1)[-1] for line in screen_text(app).splitlines()]  # inside the list's box
    name = next(i for i, line in enumerate(lines) if "broken.yaml" in line)
    margin = len(lines[name]) - len(lines[name].lstrip())
    error = [line for line in lines[name + 1: name + 4] if line.strip()]
    assert len(error) >= 2 and "cannot open" in error[0], lines
    assert all(len(line) - len(line.lstrip()) >= margin + 2 for line in error), lines


@pytest.mark.parametrize("typed, shown, lap", [("lap 50", "Go to lap 50", 50), ("50", "Go to lap 50", 50),
                                               ("go to lap 120", "Go to lap 120", 120),
                                               ("10 to go", "Go to 10 to go", 124), ("final", "Go to final", 134)])
async def test_the_palette_goes_to_a_lap_typed_in_it(typed, shown, lap):
    """"lap 50" in the palette found nothing (a new user's trial): it offers to go there, named by
    what was typed (the lap "final" leads to is not shown before it is chosen)."""
    app = homestead_app(10)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *typed)
        await app.workers.wait_for_complete()
        await pilot.pause()
        first = str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert first.startswith(shown) and str(lap) not in first.removeprefix(shown)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReplayScreen) and app.screen.lap == lap


async def test_the_palette_says_why_a_lap_typed_is_not_one_of_the_race():
    app = homestead_app(10)
    async with app.run_test(size=SIZE):
        hits, events = await palette_texts(app, "lap 500", "lap 9 spin")
    assert hits[0].startswith("Go to lap: lap 500 is past the scheduled 134 laps")
    assert not any(text.startswith("Go to lap") for text in events)


async def test_the_palette_says_a_lap_not_run_yet_of_a_race_in_progress_is_not_complete(tmp_path):
    """"10 to go" in a race still running found nothing (a second trial)."""
    from tests.test_cut_at_lap import cut

    app = ReplayApp(cut(tmp_path, "atlanta", 40), lap=10, transient=False)
    async with app.run_test(size=SIZE):
        for typed, hits in zip(("10 to go", "lap 120"), await palette_texts(app, "10 to go", "lap 120"), strict=True):
            assert hits[0].startswith("Go to lap: lap ") and "not complete yet" in hits[0], typed
