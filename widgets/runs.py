"""Lines drawn from ``(text, style)`` runs: wrapped, fitted, joined and made into strips, without Rich
markup or layout (the lists, the header, the key bar and the scrubber draw with them)."""

from __future__ import annotations

from collections.abc import Collection

from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from . import glyphs

Runs = list[tuple[str, Style | None]]
Drawing = tuple[tuple[str, Style | None], ...]  # a row's runs, kept and compared
# Only measures and wraps text (never prints): rows are drawn by Textual.
WRAP_CONSOLE = Console(width=200, color_system=None, legacy_windows=False)


def wrapped_runs(text: Text, width: int) -> list[Runs]:
    """``text`` wrapped to ``width`` cells, each line as ``(text, style)`` runs."""
    return [[(segment.text, segment.style) for segment in line.render(WRAP_CONSOLE) if segment.text]
            for line in text.wrap(WRAP_CONSOLE, max(1, width))]


def fit(text: str, width: int, right: bool = False) -> str:
    """``text`` padded or cut (with an ellipsis) to exactly ``width`` cells."""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + glyphs.GLYPHS.ellipsis if width > 0 else ""
    return " " * (width - length) + text if right else text + " " * (width - length)


def joined(segments: list[Segment]) -> list[Segment]:
    """Neighbouring segments of one style as one: fewer segments for every later stage of a frame
    (filters, cropping, the compositor's cutting, the terminal output) to walk. One style is one
    object here (a widget's palette entry; Rich keeps each sum of two styles), so it is compared by
    identity: an equal style in another object left apart costs a segment, never a wrong line."""
    out: list[Segment] = []
    for segment in segments:
        if out and out[-1].style is segment.style:
            out[-1] = Segment(out[-1].text + segment.text, segment.style)
        elif segment.text:
            out.append(segment)
    return out


def refresh_lines(widget: Widget, changed: Collection[int], height: int) -> None:
    """Refresh the ``changed`` lines of ``widget`` (of ``height`` lines): each alone, or the whole
    widget when every line changed. A widget that compares its lines with what it painted repaints
    only what a step changed."""
    if len(changed) >= height:
        widget.refresh()
    elif changed:
        width = widget.size.width
        widget.refresh(*(Region(0, y, width, 1) for y in changed))


def strip_of(runs: Runs, width: int, base: Style, over: Style | None = None) -> Strip:
    """One line of exactly ``width`` cells from ``(text, style)`` runs, each style laid on
    ``base`` (and ``over`` on top); a line too long ends in an ellipsis. Builds one Strip only:
    strips are the most numerous objects of a frame."""
    return Strip(segments_of(runs, width, base, over), width)


def segments_of(runs: Runs, width: int, base: Style, over: Style | None = None) -> list[Segment]:
    """``strip_of``'s segments."""
    texts: list[str] = []
    styles: list[Style] = []
    length = 0
    plain = glyphs.GLYPHS.plain
    for text, style in runs:  # joined as they come (as ``joined`` does), each line's segments made once
        if not text:
            continue
        if plain:
            text = text.translate(plain)
        style = base + style if style else base
        if over:
            style = style + over
        if styles and styles[-1] is style:
            texts[-1] += text
        else:
            texts.append(text)
            styles.append(style)
        length += cell_len(text)
    segments = [Segment(text, style) for text, style in zip(texts, styles, strict=True)]
    if length > width:
        return (list(Strip(segments).crop(0, max(0, width - 1)))
                + ([Segment(glyphs.GLYPHS.ellipsis, segments[-1].style)] if width else []))
    if length < width:
        segments.append(Segment(" " * (width - length), base + over if over else base))
    return segments
