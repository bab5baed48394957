"""What a terminal shows is the sum of the updates the app sent it: widgets repaint only the lines
that changed (``RowList.repaint``, the header's and scrubber's lines), so a line they forget to
repaint would stay on screen as it was. Here every update is applied to a copy of the terminal, as
a terminal would apply it, and after each key the copy must equal the screen drawn whole."""

from __future__ import annotations

import pytest
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.app import App, ComposeResult
from textual.geometry import Region

from replay.core.engine import Timeline
from replay.racefile.loader import load_race
from replay.viewer.app import ReplayApp
from tests.clock import HandClock
from tests.conftest import ROOT
from widgets.rowlist import RowList

ATLANTA = ROOT / "races" / "2023-xfinity-atlanta.yaml"
Cell = tuple[str, object]


class TerminalCopy:
    """The screen as the app's updates left it, cell by cell (character and style)."""

    def __init__(self, width: int, height: int) -> None:
        self.lines: list[list[Cell]] = [[(" ", None)] * width for _ in range(height)]
        self.updates = 0

    def apply(self, update: object) -> None:
        if isinstance(update, LayoutUpdate):
            for y, strips in enumerate(update.strips):
                self._write(y, 0, [cell for strip in strips for cell in _cells(strip)])
        elif isinstance(update, ChopsUpdate):  # as ChopsUpdate.render_segments writes it
            for y, x1, x2 in update.spans:
                for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items(), strict=False):
                    if strip is None or x > x2 or end <= x1:
                        continue
                    self._write(y, x, _cells(strip)[: min(end, x2) - x])
        self.updates += 1

    def _write(self, y: int, x: int, cells: list[Cell]) -> None:
        line = self.lines[y]
        line[x: x + len(cells)] = cells
        del line[len(self.lines[0]) if y else len(line):]


def _cells(strip) -> list[Cell]:
    return [(character, segment.style) for segment in strip for character in segment.text]


def copy_terminal(app: ReplayApp, size: tuple[int, int]) -> TerminalCopy:
    terminal = TerminalCopy(*size)
    display = app._display

    def shown(screen, update) -> None:
        if update is not None:
            terminal.apply(update)
        display(screen, update)

    app._display = shown
    return terminal


def whole_screen(app: ReplayApp) -> list[list[Cell]]:
    """The screen drawn whole, now, every line drawn anew (none from Textual's cache of lines)."""
    for widget in app.screen.walk_children(with_self=True):
        widget._styles_cache.clear()
    update = app.screen._compositor.render_update(full=True)
    return [[cell for strip in strips for cell in _cells(strip)] for strips in update.strips]


def differences(app: ReplayApp, terminal: TerminalCopy) -> list[str]:
    whole = whole_screen(app)
    return [f"line {y}: shown {''.join(c for c, _ in shown)!r}\n        whole {''.join(c for c, _ in drawn)!r}"
            for y, (shown, drawn) in enumerate(zip(terminal.lines, whole, strict=True)) if shown != drawn]


KEYS = (["right"] * 12 + ["left"] * 3 + ["end", "home", "n", "n", "right", "tab", "down", "down", "up", "tab"]
        + ["right"] * 30 + ["f", "enter", "right", "right", "v", "right", "left", "]", "["] + ["right"] * 8)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_what_the_terminal_shows_after_each_key_is_the_screen_drawn_whole(size):
    """Steps across cautions (banners over the board), back steps, jumps, the log's cursor, a
    followed driver, the gap column, stage jumps and the glide's frames on the test clock."""
    clock = HandClock()
    app = ReplayApp(Timeline(load_race(ATLANTA)), lap=0, clock=clock)
    app.animation_level = "full"
    terminal = copy_terminal(app, size)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for number, key in enumerate(KEYS):
            await pilot.press(key)
            for _ in range(8):  # the glide's frames and a banner's time, each drawn
                clock.advance(0.05)
                await pilot.pause()
            assert not differences(app, terminal), f"after key {number} ({key!r}):\n" + "\n".join(differences(app, terminal))
        clock.advance(10)  # banners and flashes gone
        await pilot.pause()
        assert not differences(app, terminal)
    assert terminal.updates > len(KEYS)


class Numbers(RowList):
    """A list of one number per row, changed from outside."""

    def __init__(self) -> None:
        super().__init__()
        self.numbers = list(range(10))

    def render_row(self, index: int, width: int) -> list:
        return [(f"row {self.numbers[index]}", None)]

    def row_key(self, index: int) -> int:
        return index


class NumbersApp(App):
    def compose(self) -> ComposeResult:
        yield Numbers()


@pytest.mark.parametrize("tell", ["refresh", "forget_rows", "set_row_count", "repaint"])
async def test_a_list_changed_after_its_repaint_shows_the_change(tell):
    """``repaint`` works out which lines changed and how to draw them for the next paint; rows
    changed after it, and told by any of the list's ways (or Textual's refresh), are drawn anew."""
    app = NumbersApp()
    terminal = copy_terminal(app, (30, 12))
    async with app.run_test(size=(30, 12)) as pilot:
        numbers = app.query_one(Numbers)
        numbers.set_row_count(10)
        await pilot.pause()
        numbers.numbers[3] = 30
        numbers.repaint()  # works out row 3's new line ...
        numbers.numbers[3], numbers.numbers[5] = 33, 55  # ... which changes before it is painted
        if tell == "refresh":
            numbers.forget_rows()
            numbers.refresh()
        elif tell == "forget_rows":
            numbers.forget_rows()
            numbers.refresh(Region(0, 3, 30, 1), Region(0, 5, 30, 1))
        elif tell == "set_row_count":
            numbers.set_row_count(10)
        else:
            numbers.forget_rows()
            numbers.repaint()
        await pilot.pause()
        shown = ["".join(c for c, _ in line).strip() for line in terminal.lines]
        assert shown[3] == "row 33" and shown[5] == "row 55"
        assert not differences(app, terminal)
