"""Colours come from the theme: switching theme restyles the header, scrubber, board, banners and log,
and the viewer draws in every theme and without colour (NO_COLOR)."""

from __future__ import annotations

import pytest
from rich.color import Color as RichColor
from textual.color import Color
from textual.theme import BUILTIN_THEMES

from replay.core.engine import Timeline
from replay.racefile.loader import load_race
from replay.viewer.app import ReplayApp
from tests.conftest import HOMESTEAD, cells, screen_text
from widgets import EventLog, Leaderboard, RaceHeader, Scrubber
from widgets.palette import RACE_REPLAY_COLOURS, derived_colours

SIZE = (120, 40)
CAUTION_LAP = 92  # Homestead 2025: a yellow flag for Larson's spin


def app_at(lap: int) -> ReplayApp:
    return ReplayApp(Timeline(load_race(HOMESTEAD)), lap=lap, transient=False)


def rich(value: str) -> RichColor:
    return Color.parse(value).rich_color


def drawn_styles(app: ReplayApp) -> dict[str, list]:
    """The styles of what the themed widgets draw, line by line."""
    screen = app.screen
    return {
        "header": [s.style for s in screen.query_one(RaceHeader).render_line(1)],
        "scrubber": [s.style for y in (0, 1) for s in screen.query_one(Scrubber).render_line(y)],
        "board": [s.style for y in range(1, 6) for s in screen.query_one(Leaderboard).render_line(y)],
        "log": [s.style for s in screen.query_one(EventLog).render_line(0)],
    }


async def test_the_default_theme_draws_the_designed_colours():
    app = app_at(CAUTION_LAP)
    async with app.run_test(size=SIZE):
        assert app.theme == "race-replay"
        chip = app.screen.query_one(RaceHeader).palette["race-header--yellow"]
        assert chip.bgcolor == rich(RACE_REPLAY_COLOURS["flag-yellow"]) and chip.bold
        flag_cells = {style.color for text, style in cells(app.screen.query_one(Scrubber).render_line(0)) if text == "━"}
        assert rich(RACE_REPLAY_COLOURS["flag-yellow"]) in flag_cells


async def test_switching_theme_restyles_every_themed_widget():
    app = app_at(CAUTION_LAP)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right")  # lap 93: the banner of the restart, over the board
        before = drawn_styles(app)
        app.theme = "nord"
        await pilot.pause()
        after = drawn_styles(app)
        for part, styles in before.items():
            assert styles != after[part], f"the {part} kept its colours in another theme"
        nord = derived_colours(BUILTIN_THEMES["nord"])
        chip_colours = {style.bgcolor for style in after["header"] if style is not None}
        assert rich(nord[f"flag-{app.screen.query_one(RaceHeader).state.flag}"]) in chip_colours


@pytest.mark.parametrize("theme", sorted(BUILTIN_THEMES))
async def test_every_theme_draws(theme):
    app = app_at(CAUTION_LAP)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = theme
        await pilot.pause()
        assert "Lap 92 / 134" in screen_text(app)


def test_derived_colours_fill_every_variable_of_the_palette():
    for theme in BUILTIN_THEMES.values():
        assert derived_colours(theme).keys() == RACE_REPLAY_COLOURS.keys(), theme.name


async def test_no_color_draws_without_crashing(monkeypatch):
    """NO_COLOR=1 once crashed the scrubber: a segment without a style reached Textual's monochrome filter."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_at(CAUTION_LAP)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right", "left")
        text = screen_text(app)
        assert "Lap 92 / 134" in text and "YELLOW" in text
    assert app.return_code in (0, None)


async def test_no_color_draws_the_lists_scrollbars_in_greys(monkeypatch):
    """The lists' scrollbars are drawn past Textual's line cache: they missed its filters, and kept
    their colours under NO_COLOR (a new user's trial)."""
    from textual.geometry import Region

    monkeypatch.setenv("NO_COLOR", "1")
    app = app_at(CAUTION_LAP)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(EventLog).vertical_scrollbar  # always shown
        strips = bar.render_lines(Region(0, 0, *bar.size))
    colours = [colour for strip in strips for segment in strip for colour in (segment.style.color, segment.style.bgcolor)
               if segment.style is not None and colour is not None and colour.triplet is not None]
    assert colours and all(c.triplet.red == c.triplet.green == c.triplet.blue for c in colours), colours


async def test_no_color_draws_text_colours_light_enough_to_read(monkeypatch):
    """Without colour the terminal shows each colour as a grey of its brightness: the log's crash
    label and the board's lost places (a dark red) came out grey 237 on 233, nearly invisible (a new
    user's trial). Every text colour on no background of its own now reads at least mid-grey; the
    scrubber keeps its flags' greys, which are what tells them apart."""
    from textual.color import Color
    from textual.filter import monochrome_style

    from widgets.palette import LEGIBLE, Themed

    monkeypatch.setenv("NO_COLOR", "1")
    app = app_at(CAUTION_LAP)
    async with app.run_test(size=SIZE):
        widgets = [w for w in app.screen.walk_children() if isinstance(w, Themed) and w.LIGHTEN_WITHOUT_COLOUR]
        shown = {(type(w).__name__, name): monochrome_style(style) for w in widgets for name, style in w.palette.items()
                 if style.color is not None and style.bgcolor is None}
    assert ("EventLog", "crash") in shown and ("Leaderboard", "leaderboard--lost") in shown
    dark = {key: Color.from_rich_color(style.color).brightness for key, style in shown.items()
            if Color.from_rich_color(style.color).brightness < LEGIBLE - 0.01}
    assert not dark, dark


@pytest.mark.parametrize("environ, expected", [
    ({"LANG": "en_US.UTF-8", "TERM": "xterm-256color"}, "unicode"), ({}, "unicode"),
    ({"LANG": "C"}, "ascii"), ({"LANG": "en_US.UTF-8", "LC_ALL": "POSIX"}, "ascii"),
    ({"LANG": "C", "LC_CTYPE": "C.UTF-8"}, "ascii"),  # Python's own coercion of LANG=C (PEP 538)
    ({"LC_CTYPE": "C.UTF-8"}, "unicode"), ({"LANG": "en_US.UTF-8", "LC_CTYPE": "C.UTF-8"}, "unicode"),
    ({"LANG": "C.UTF-8", "TERM": "linux"}, "console"), ({"LANG": "C", "RACE_REPLAY_GLYPHS": "unicode"}, "unicode"),
])
def test_the_glyphs_suit_the_terminal(environ, expected):
    from widgets.glyphs import choose

    assert choose(environ).name == expected


async def test_in_a_plain_locale_the_widgets_draw_ascii(monkeypatch):
    """LANG=C: a terminal that cannot draw ━ ▚▞ ▲ … gets = ## ^ ~ instead."""
    import widgets.glyphs
    from widgets import KeyBar

    monkeypatch.setattr(widgets.glyphs, "GLYPHS", widgets.glyphs.ASCII)
    atlanta = ReplayApp(Timeline(load_race(HOMESTEAD.parent / "2023-xfinity-atlanta.yaml")), lap=162,
                        transient=False)
    async with atlanta.run_test(size=(80, 24)) as pilot:
        await pilot.press("right")  # the checkered banner
        screen = atlanta.screen
        drawn = [screen.query_one(RaceHeader).render_line(y).text for y in (0, 1)]
        drawn += [screen.query_one(Scrubber).render_line(y).text for y in (0, 1)]
        drawn += [screen.query_one(Leaderboard).render_line(y).text for y in range(10)]
        drawn += [screen.query_one(EventLog).render_line(y).text for y in range(5)]
        drawn.append(screen.query_one(KeyBar).render_line(0).text)
    assert "CHECKERED ##" in drawn[1] and "+" in drawn[6]
    assert all(text.isascii() for text in drawn), [t for t in drawn if not t.isascii()]
