"""The keys that work on this screen, on one line at the bottom; keys that would do nothing now are dim.

Textual's Footer is a widget per key and recomposes (a layout of the whole screen) whenever a key
is enabled or disabled: at the grid, at the finish, on every jump between them. This draws the
same line itself, so a change of keys is a repaint of one line.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from textual import events
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from . import glyphs
from .runs import Runs, strip_of

DIM = Style(dim=True)


@dataclass(frozen=True)
class Key:
    """One key as drawn: where it is on the line, what pressing it sends, and its tooltip."""

    key: str
    display: str
    description: str
    enabled: bool
    start: int = 0
    end: int = 0
    tooltip: str = ""
    more: bool = False  # a key of the wide bar only
    other: str | None = None  # a pair's second key (``← →``), pressed from column ``split`` on
    split: int = 0


class KeyBar(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-bar--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        & > .key-bar--description {
            color: $footer-description-foreground; background: $footer-description-background;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys: tuple[list[Key], list[Key], Key | None] | None = None
        self._lines: dict[tuple, Strip] = {}  # a line per width and state of the keys: there are only a few

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        self._keys = None
        self.refresh()

    @property
    def keys(self) -> tuple[list[Key], Key | None]:
        """The keys shown (one per action, in binding order) and the command palette's key."""
        if self._keys is None:
            self._keys = self._collect_keys()
        return self._keys[0], self._keys[2]

    def _collect_keys(self) -> tuple[list[Key], list[Key], Key | None]:
        """The keys of a bar (those shown, then the screen's ``KEY_BAR_MORE`` where they fit
        whole), the keys of a wide bar (pairs of ``KEY_BAR_PAIRS`` as one, then every key of
        ``KEY_BAR_MORE``) and the command palette's key."""
        app = self.app
        active = self.screen.active_bindings
        more = getattr(self.screen, "KEY_BAR_MORE", ())
        bindings = [(b, enabled) for _, b, enabled, _ in active.values() if b.show]
        extra = {b.action: (b, enabled) for _, b, enabled, _ in active.values() if not b.show and b.action in more}
        bindings += [extra[action] for action in more if action in extra]
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _, binding, enabled, _ = active[app.COMMAND_PALETTE_BINDING]
            palette = Key(binding.key, app.get_key_display(binding), binding.description, enabled,
                          tooltip=binding.tooltip or binding.description)
        pairs = getattr(self.screen, "KEY_BAR_PAIRS", {})
        return self._lay_out(bindings, {}), self._lay_out(bindings, pairs), palette

    def _lay_out(self, bindings: list, pairs: dict[str, tuple[str, str]]) -> list[Key]:
        """Keys placed on the line: two cells apart, one in a wide bar (``pairs`` given)."""
        app = self.app
        gap = 1 if pairs else 2
        by_action = {binding.action: (binding, enabled) for binding, enabled in bindings}
        paired = {second for second, _ in pairs.values()}
        keys: list[Key] = []
        actions: set[str] = set()
        position = 1
        for binding, enabled in bindings:
            if binding.action in actions or binding.action in paired and pairs:
                continue
            actions.add(binding.action)
            display, description, other, split = app.get_key_display(binding), binding.description, None, 0
            if binding.action in pairs and pairs[binding.action][0] in by_action:
                second, enabled_second = by_action[pairs[binding.action][0]]
                split = position + cell_len(display) + 1
                display = f"{display} {app.get_key_display(second)}"
                description, other, enabled = pairs[binding.action][1], second.key, enabled or enabled_second
            end = position + cell_len(display) + 1 + cell_len(description)
            keys.append(Key(binding.key, display, description, enabled, position, end,
                            binding.tooltip or description, more=not binding.show, other=other, split=split))
            position = end + gap
        return keys

    def fitting(self, width: int) -> tuple[list[Key], Key | None]:
        """The keys drawn at ``width``: the wide bar where all of it fits; else those always
        shown, and those of the wide bar that fit whole after them."""
        if self._keys is None:
            self._keys = self._collect_keys()
        keys, wide, palette = self._keys
        room = width - (cell_len(palette.display + palette.description) + 3 if palette is not None else 0)
        if wide != keys and wide and wide[-1].end < room:  # a space at least before the palette's key
            return wide, palette
        return [key for key in keys if key.end < room or not key.more], palette

    def render_line(self, y: int) -> Strip:
        width = self.content_region.width
        keys, palette = self.fitting(width)
        state = (width, *((key.key, key.description, key.enabled) for key in keys), palette and palette.enabled)
        line = self._lines.get(state)
        if line is None:
            if len(self._lines) > 64:
                self._lines.clear()
            styles = (self.get_component_rich_style("key-bar--key"),
                      self.get_component_rich_style("key-bar--description"))
            line = self._lines[state] = self._line(width, keys, palette, styles)
        return line

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()  # a new theme or stylesheet: draw the lines again

    def _line(self, width: int, keys: list[Key], palette: Key | None, styles: tuple[Style, Style]) -> Strip:
        runs: Runs = [(" ", None)]
        for key, after in zip(keys, keys[1:] + [None], strict=True):
            runs += _key_runs(key, *styles) + [(" " * (after.start - key.end if after else 0), None)]
        if palette is None:
            return strip_of(runs, width, self.rich_style)
        # The palette's key keeps its place at the right; the other keys are cut to make room.
        tail = [(glyphs.GLYPHS.separator, DIM)] + _key_runs(palette, *styles) + [(" ", None)]
        tail_width = sum(cell_len(text) for text, _ in tail)
        base = self.rich_style
        return Strip.join([strip_of(runs, max(0, width - tail_width), base), strip_of(tail, tail_width, base)])

    def key_at(self, x: int) -> Key | None:
        """The key drawn at column ``x``, if any."""
        keys, palette = self.fitting(self.content_region.width)
        if palette is not None and x >= self.content_region.width - cell_len(palette.display + palette.description) - 3:
            return palette
        key = next((key for key in keys if key.start <= x < key.end), None)
        if key is not None and key.other is not None and x >= key.split:
            return Key(key.other, key.display, key.description, key.enabled, key.split, key.end, key.tooltip)
        return key

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """The tooltip of the key under the pointer (Textual's footer had one per key)."""
        key = self.key_at(event.x)
        tooltip = key.tooltip if key is not None else None
        if self.tooltip != tooltip:
            self.tooltip = tooltip

    def on_click(self, event: events.Click) -> None:
        key = self.key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()


def _key_runs(key: Key, key_style: Style, description_style: Style) -> Runs:
    if not key.enabled:
        key_style, description_style = key_style + DIM, description_style + DIM
    return [(key.display, key_style), (" " + key.description, description_style)]
