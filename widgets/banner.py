"""Stage-end and flag banners, drawn over the leaderboard's rows below the leader's.

A banner is not a widget of its own: showing, moving or hiding a widget re-lays-out the whole
screen, which costs several frames. Drawn as overlay lines of the leaderboard, a banner is a
repaint of a few lines, and its slide-in is a few more.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from rich.cells import cell_len, set_cell_size
from rich.style import Style

from replay.core.banners import Banner as BannerData

from . import glyphs
from .runs import fit

Run = tuple[str, Style | None]


class Clock(Protocol):
    """Sets timers: a Textual widget or screen, or a test's clock moved by hand. Returns timers
    with ``stop``, ``pause`` and ``resume``, as Textual's do."""

    def set_timer(self, delay: float, callback: Callable[[], Any]) -> Any: ...
    def set_interval(self, interval: float, callback: Callable[[], Any], *, repeat: int = 0,
                     pause: bool = False) -> Any: ...


class BannerHost(Protocol):
    """What a banner needs of the list it is drawn over (the leaderboard)."""

    @property
    def palette(self) -> dict[str, Style]: ...  # read only: the leaderboard's is a property
    def set_overlay(self, lines: Callable[[int], list[list[Run]]] | None) -> None: ...
    def refresh(self) -> Any: ...


# The host (the leaderboard) carries these styles: a banner's edge in its flag's colour on a dark
# shade of it, and its text.
BANNER_PALETTE = {
    **{f"banner--{flag}": f"color: $flag-{flag}; background: $flag-{flag}-muted; text-style: bold"
       for flag in ("green", "yellow", "red", "white")},
    "banner--stage-end": "color: $race-lead; background: $race-lead-muted; text-style: bold",
    "banner--text": "color: $banner-text",
}
EDGE_CLASS = {"green": "banner--green", "yellow": "banner--yellow", "red": "banner--red", "white": "banner--white",
              "checkered": "banner--white", "stage_end": "banner--stage-end"}
BOLD = Style(bold=True)
SLIDE_FRAMES, SLIDE_SECONDS = 8, 0.03


class Banner:
    """The banner shown over a row list, if any; ``current`` is what is announced now."""

    def __init__(self, host: BannerHost, clock: Clock) -> None:
        self.host = host
        self.clock = clock  # times the slide in
        self.current: BannerData | None = None
        self.compact = False
        self._shift = 0.0  # 1.0 = just off the right edge, 0.0 = in place
        self._slide = None

    def announce(self, banner: BannerData, animate: bool = True, compact: bool = False) -> None:
        """Show ``banner``; ``compact`` (fast playback) draws its title alone, on one line."""
        self._stop_slide()
        self.current = banner
        self.compact = compact
        self._shift = 1.0 if animate else 0.0
        if animate:
            self._slide = self.clock.set_interval(SLIDE_SECONDS, self._step, repeat=SLIDE_FRAMES)
        self.host.set_overlay(self.lines)

    def dismiss(self) -> None:
        if self.current is not None:
            self._stop_slide()
            self.current = None
            self.host.set_overlay(None)

    def _step(self) -> None:
        self._shift = max(0.0, self._shift - 1 / SLIDE_FRAMES)
        self.host.refresh()

    def _stop_slide(self) -> None:
        if self._slide is not None:
            self._slide.stop()
            self._slide = None

    def lines(self, width: int) -> list[list[Run]]:
        """The banner as a box two cells in from each side, slid right by the current shift."""
        banner = self.current
        if banner is None:
            return []
        inner = max(10, width - 6)
        palette = self.host.palette
        edge = palette[EDGE_CLASS[banner.kind]]
        fill = Style(color=palette["banner--text"].color, bgcolor=edge.bgcolor)
        texts = [(banner.title, fill + BOLD)] + [(line, fill) for line in banner.lines]
        if self.compact:
            left, right = tuple(glyphs.GLYPHS.compact_edges)  # a string of two glyphs
            box: list[list[Run]] = [[(left, edge), (_centre(banner.title, inner), fill + BOLD), (right, edge)]]
        else:
            top_left, top, top_right, side, bottom_left, bottom_right = tuple(glyphs.GLYPHS.box)  # six glyphs
            box = [[(top_left + top * inner + top_right, edge)]]
            box += [[(side, edge), (_centre(text, inner), style), (side, edge)] for text, style in texts]
            box.append([(bottom_left + top * inner + bottom_right, edge)])
        indent = 2 + round(self._shift * (width - 2))
        return [_slide(line, indent, width) for line in box]


def _centre(text: str, width: int) -> str:
    text = fit(text, width) if cell_len(text) > width else text
    left = (width - cell_len(text)) // 2
    return " " * left + text + " " * (width - left - cell_len(text))


def _slide(line: list[Run], indent: int, width: int) -> list[Run]:
    """Put ``line`` ``indent`` cells in and cut it at ``width`` (None style: the list shows through):
    cut as by the edge of the screen while it slides in, with no ellipsis (nothing is left out)."""
    out: list[Run] = [(" " * indent, None)] if indent else []
    room = width - indent
    for text, style in line:
        if room <= 0:
            break
        text = set_cell_size(text, room) if cell_len(text) > room else text
        out.append((text, style))
        room -= cell_len(text)
    return out
