"""How widgets draw: lines from runs, the key bar, the event detail, and scrollbars that skip redraws."""

from __future__ import annotations

import pytest
from rich.style import Style
from textual.geometry import Region
from textual.scrollbar import ScrollBar

from replay.core.engine import Timeline
from replay.racefile.loader import load_race
from replay.viewer.app import ReplayApp
from tests.conftest import HOMESTEAD, ROOT
from tests.conftest import cells as styled_cells
from widgets import EventDetail, EventLog, KeyBar
from widgets.runs import strip_of

SIZE = (120, 40)
ATLANTA = ROOT / "races" / "2023-xfinity-atlanta.yaml"
BASE, BOLD = Style(color="white"), Style(bold=True)


def test_a_line_is_padded_to_its_width_with_runs_of_one_style_joined():
    strip = strip_of([("ab", None), ("cd", None), ("ef", BOLD)], 10, BASE)
    assert strip.text == "abcdef    " and strip.cell_length == 10
    assert [segment.text for segment in strip] == ["abcd", "ef", "    "]
    assert list(strip)[1].style == BASE + BOLD


def test_a_line_too_long_ends_in_an_ellipsis_and_an_over_style_covers_all_of_it():
    assert strip_of([("abcdefgh", None)], 5, BASE).text == "abcd…"
    assert strip_of([("漢字漢字", None)], 5, BASE).cell_length == 5
    reversed_line = strip_of([("ab", None)], 4, BASE, Style(reverse=True))
    assert all(segment.style.reverse for segment in reversed_line)


def app_at(path, lap: int) -> ReplayApp:
    return ReplayApp(Timeline(load_race(path)), lap=lap, transient=False)


def key_bar_text(app) -> dict[str, bool]:
    keys, _ = app.screen.query_one(KeyBar).keys
    return {key.description: key.enabled for key in keys}


async def test_key_bar_dims_keys_that_would_do_nothing_and_brightens_them_when_they_would():
    app = app_at(HOMESTEAD, 0)
    async with app.run_test(size=SIZE) as pilot:
        bar = app.screen.query_one(KeyBar)
        assert key_bar_text(app)["Lap -1"] is False and key_bar_text(app)["Lap +1"] is True
        line = bar.render_line(0)
        assert "← Lap -1" in line.text and line.text.rstrip().endswith("^p palette")
        dim = [segment for segment in line if "Lap -1" in segment.text]
        assert dim and dim[0].style.dim
        await pilot.press("right")
        assert key_bar_text(app)["Lap -1"] is True
        assert not [segment for segment in bar.render_line(0) if "Lap -1" in segment.text][0].style.dim


async def test_clicking_a_key_presses_it_and_a_dim_key_does_nothing():
    app = app_at(HOMESTEAD, 0)
    async with app.run_test(size=SIZE) as pilot:
        keys, _ = app.screen.query_one(KeyBar).keys
        forward = next(key for key in keys if key.description == "Lap +1")
        back = next(key for key in keys if key.description == "Lap -1")
        await pilot.click(KeyBar, offset=(back.start, 0))
        assert app.screen.lap == 0
        await pilot.click(KeyBar, offset=(forward.start + 2, 0))
        assert app.screen.lap == 1


async def test_a_narrow_key_bar_keeps_the_palette_key_at_the_right():
    app = app_at(HOMESTEAD, 0)
    async with app.run_test(size=(60, 30)):
        text = app.screen.query_one(KeyBar).render_line(0).text
        assert len(text) == 60 and text.rstrip().endswith("▏^p palette") and "…" in text


async def test_the_event_detail_follows_the_log_cursor():
    app = app_at(HOMESTEAD, 100)
    async with app.run_test(size=SIZE) as pilot:
        log, detail = app.screen.query_one(EventLog), app.screen.query_one(EventDetail)
        assert detail.event is log.events[0]
        log.focus()
        await pilot.press("down")
        assert detail.event is log.events[1]
        await pilot.press("right")  # lap 101 brings no event: the cursor keeps its place
        assert app.screen.lap == 101 and detail.event is log.events[1]
        await pilot.press("n")  # the next lap with an event: the newest is highlighted
        assert detail.event is log.events[0] and detail.event.lap == app.screen.lap


def scrollbar_lines(app) -> list[list]:
    bar = app.screen.query_one(EventLog).vertical_scrollbar
    return [list(strip) for strip in bar.render_lines(Region(0, 0, bar.size.width, bar.size.height))]


async def test_a_scrollbar_not_redrawn_as_the_log_grows_still_matches_a_fresh_one():
    """Stepping skips scrollbar redraws whose thumb would not change: at every lap the log's
    scrollbar must look as it does in a viewer opened at that lap."""
    stepped = app_at(ATLANTA, 0)
    async with stepped.run_test(size=SIZE) as pilot:
        for lap in range(1, 41):
            await pilot.press("right")
            if lap % 8:
                continue
            fresh = app_at(ATLANTA, lap)
            async with fresh.run_test(size=SIZE):
                assert scrollbar_lines(stepped) == scrollbar_lines(fresh), f"lap {lap}"


def cells(strips) -> list[list[tuple]]:
    """Each cell of each line as it shows: its character, background, and foreground where a
    glyph shows it (a reversed style swaps them)."""
    def shown(char, style):
        background, foreground = (style.color, style.bgcolor) if style.reverse else (style.bgcolor, style.color)
        return char, background, foreground if char.strip() else None
    return [[shown(char, segment.style) for segment in strip for char in segment.text] for strip in strips]


async def test_line_scrollbars_draw_what_textual_scrollbars_draw():
    app = app_at(ATLANTA, 163)
    async with app.run_test(size=SIZE) as pilot:
        log = app.screen.query_one(EventLog)
        bar = log.vertical_scrollbar
        crop = Region(0, 0, bar.size.width, bar.size.height)
        glyphs = 0
        for _ in range(4):
            ours, textuals = bar.render_lines(crop), ScrollBar.render_lines(bar, crop)
            assert cells(ours) == cells(textuals)
            glyphs += sum(1 for line in cells(ours) for char, _, _ in line if char.strip())
            log.scroll_to(y=log.scroll_y + 7, animate=False, immediate=True)
            bar._styles_cache.clear()
            await pilot.pause()
        assert glyphs  # the thumb's partial blocks were compared too, not only blank cells


async def test_key_bar_is_drawn_again_in_a_new_theme():
    app = app_at(HOMESTEAD, 0)
    async with app.run_test(size=SIZE) as pilot:
        bar = app.screen.query_one(KeyBar)
        dark = bar.render_line(0)
        app.theme = "textual-light"
        await pilot.pause()
        light = bar.render_line(0)
        assert light.text == dark.text and [s.style for s in light] != [s.style for s in dark]


async def test_a_line_scrollbar_still_scrolls_its_list_when_clicked():
    app = app_at(ATLANTA, 163)
    async with app.run_test(size=SIZE) as pilot:
        log = app.screen.query_one(EventLog)
        bar = log.vertical_scrollbar.region
        await pilot.click(offset=(bar.x, bar.bottom - 2))  # the track below the thumb: a page down
        await pilot.pause()
        assert log.scroll_y > 0


async def test_key_bar_shows_the_tooltip_of_the_key_under_the_pointer():
    app = app_at(HOMESTEAD, 0)
    async with app.run_test(size=SIZE) as pilot:
        bar = app.screen.query_one(KeyBar)
        keys, _ = bar.keys
        go_to = next(key for key in keys if key.description == "Go to lap")
        await pilot.hover(KeyBar, offset=(go_to.start + 1, 0))
        assert bar.tooltip == "Go to a lap"
        await pilot.hover(KeyBar, offset=(0, 0))  # the margin before the first key
        assert bar.tooltip is None


async def test_key_bar_says_pause_while_playing_and_play_when_paused():
    """Play and Pause share the space key: the drawn line once stayed "Play" while playing."""
    app = app_at(HOMESTEAD, 0)
    async with app.run_test(size=SIZE) as pilot:
        bar = app.screen.query_one(KeyBar)
        assert "Play" in bar.render_line(0).text and "Pause" not in bar.render_line(0).text
        await pilot.press("space")
        await pilot.pause()
        assert app.screen.playing and "Pause" in bar.render_line(0).text
        await pilot.press("space")
        await pilot.pause()
        assert not app.screen.playing and "Play" in bar.render_line(0).text


def _name_style(app, driver: str) -> Style:
    """The style the driver's name is drawn in on the board."""
    from widgets import Leaderboard

    board = app.screen.query_one(Leaderboard)
    for y in range(board.size.height):
        for segment in board.render_line(y):
            if driver in segment.text:
                return segment.style
    raise AssertionError(f"{driver} is not on the board")


async def test_carried_rows_are_dim_and_estimated_rows_dim_italic():
    """Drawn styles, not only snapshots: a carried row drawn bright once passed every test."""
    app = app_at(HOMESTEAD, 50)  # Heim reported at lap 50, carried at 51; Majeski estimated
    async with app.run_test(size=SIZE) as pilot:
        reported = _name_style(app, "Corey Heim")
        await pilot.press("right")
        heim, majeski = _name_style(app, "Corey Heim"), _name_style(app, "Ty Majeski")
        known = {row.entry.driver: row.certainty for row in app.screen.timeline.state_at(51).leaderboard}
    assert (known["Corey Heim"], known["Ty Majeski"]) == ("carried", "estimated")
    assert heim.dim and not heim.italic
    assert majeski.dim and majeski.italic
    assert not reported.dim and not reported.italic


async def test_nothing_right_of_the_scrubber_cursor_is_coloured_or_marked():
    """For every lap: cells after the cursor are the plain future line, stage numbers or blank."""
    from widgets import Scrubber

    app = app_at(ATLANTA, 0)
    async with app.run_test(size=SIZE) as pilot:
        scrubber = app.screen.query_one(Scrubber)
        future_style = scrubber.palette["scrubber--future"]
        for lap in range(0, scrubber.span + 1, 3):
            app.screen.go_to(lap)
            await pilot.pause()
            # cell by cell: neighbouring cells of one style are drawn as one segment
            bar, marks = styled_cells(scrubber.render_line(0)), [cell for cell, _ in styled_cells(scrubber.render_line(1))]
            cursor = next(i for i, (cell, _) in enumerate(bar) if cell == "█")
            assert all(cell == "─" and style == future_style for cell, style in bar[cursor + 1:]), lap
            assert all(cell == " " or cell.isdigit() for cell in marks[cursor + 1:]), lap


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_log_row_cut_short_always_ends_in_an_ellipsis(size):
    """A row whose drivers' names filled it lost its text with no mark (Atlanta at lap 93:
    ``L87 restart     Herbst, Moffitt:``, read as complete; a new user's trial): every row either
    shows its text whole or ends in the ellipsis."""
    from widgets import glyphs

    app = app_at(ATLANTA, 0)
    async with app.run_test(size=size) as pilot:
        log = app.screen.query_one(EventLog)
        for lap in (30, 93, 140, 163):
            app.screen.go_to(lap)
            await pilot.pause()
            width = log.scrollable_content_region.width
            for index, event in enumerate(log.events):
                row = "".join(text for text, _ in log.render_row(index, width)).rstrip()
                text = " ".join(event.text.split())
                assert row.endswith(text) or row.endswith(glyphs.GLYPHS.ellipsis), (lap, row)
