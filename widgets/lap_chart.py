"""The lap chart, drawn with the line API: positions (or lap times) by lap on a grid of text cells.

Each column is a lap, or a few laps where the race is longer than the chart is wide (a column shows
the latest lap of its laps, up to the current one). Each followed driver has a letter and a colour:
a reported position is the letter in bold, a carried one a dim dot (the trace's head, at the current
lap, is always the letter), an estimated one the letter in lower case, dim italic. Unknown laps
are left blank. Caution laps are shaded (and drawn on the axis, so that they read without colour);
the current lap is a line down the chart and a mark on the axis; columns after it are empty.
The lines are drawn once per chart, size and palette, and only then handed to Textual.
Where rows share positions a driver's marks can all lie under another's: the legend calls it
hidden. Below ``MIN_PLOT_ROWS`` rows beside the legend (or ``MIN_WIDTH`` cells) the chart says it
is too small instead of drawing one row that a legend of cars it does not show would mislabel.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from rich.style import Style
from textual.strip import Strip

from replay.core.chart import LapChart, Trace

from . import glyphs
from .event_log import short_name
from .palette import Themed
from .runs import Runs, strip_of

POSITIONS, LAP_TIMES = "positions", "lap times"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
DRIVER_COLOURS = ("race-lead", "race-good", "race-incident", "race-service", "race-penalty", "race-danger",
                  "race-fastest", "banner-text")  # not the caution yellow: that is the shading
BOLD, DIM, DIM_ITALIC = Style(bold=True), Style(dim=True), Style(dim=True, italic=True)
CERTAINTY = {"reported": BOLD, "carried": DIM, "estimated": DIM_ITALIC}
PLACED_KEPT = 256  # layouts of cars kept placed (a resize or a rescaled axis starts new ones)
SYMBOL_KEY_HEIGHT = 20  # from this height the legend also says what the symbols mean
MIN_PLOT_ROWS = 4  # fewer rows cannot tell positions apart: the chart says to enlarge the terminal instead
MIN_WIDTH = 24  # nor can fewer cells tell laps apart beside the axis labels
HIDDEN = " (hidden)"  # a followed car every mark of which lies under another's
TICK_SPACING = 6  # cells at least between lap numbers under the axis
TICK_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)


@dataclass(frozen=True)
class ChartGlyphs:
    carried: str
    cursor: str  # the current lap's column
    axis: str  # a green-flag lap on the axis
    caution: str
    red: str
    now: str  # the current lap on the axis
    future: str  # a lap still to come on the axis
    corner: str
    side: str
    off_top: str  # a lap time above the axis (a caution lap)


CHART_GLYPHS = {
    "unicode": ChartGlyphs("·", "│", "─", "▒", "█", "▲", "·", "└", "│", "↑"),
    "console": ChartGlyphs("·", "│", "─", "▒", "█", "▲", "·", "└", "│", "↑"),  # all in the VGA font
    "ascii": ChartGlyphs(".", "|", "-", "~", "#", "^", ".", "+", "|", "^"),
}


def chart_glyphs() -> ChartGlyphs:
    return CHART_GLYPHS.get(glyphs.GLYPHS.name, CHART_GLYPHS["ascii"])


def letter(index: int) -> str:
    """The marker of the ``index``-th driver of the chart (by car number)."""
    return LETTERS[index] if index < len(LETTERS) else "+"


def columns(span: int, width: int) -> list[tuple[int, int]]:
    """The laps (first, last) of each column, for laps 0..``span`` on at most ``width`` columns."""
    laps = span + 1
    count = max(1, min(width, laps))
    return [((c * laps + count - 1) // count, ((c + 1) * laps + count - 1) // count - 1) for c in range(count)]


def column_of(lap: int, span: int, width: int) -> int:
    laps = span + 1
    return lap * max(1, min(width, laps)) // laps


class LapChartView(Themed):
    """A title line, the plot with its axes, the lap numbers and a legend: what ``show`` was given."""

    DEFAULT_CSS = """
    LapChartView { height: 1fr; }
    """
    PALETTE = {
        **{f"chart--driver-{i}": f"color: ${name}" for i, name in enumerate(DRIVER_COLOURS)},
        "chart--caution": "background: $flag-yellow-muted", "chart--red": "background: $flag-red-muted",
        "chart--flag-yellow": "color: $flag-yellow", "chart--flag-red": "color: $flag-red",
        "chart--cursor": "color: $race-cursor; text-style: bold",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.chart: LapChart | None = None
        self.mode = POSITIONS
        self.title = ""
        self._strips: list[Strip] = []
        self._drawn: tuple | None = None  # what the strips were drawn for
        self._placed: dict[tuple, list] = {}  # (car, letter, layout) -> where it is in each column before the current
        self._mark_styles: dict[tuple[int, Style], Style] = {}

    def show(self, chart: LapChart, mode: str = POSITIONS, title: str = "") -> None:
        """Draw ``chart`` (``mode``: positions or lap times) under ``title``."""
        self.chart, self.mode, self.title = chart, mode, title
        self._drawn = None
        self.refresh()

    def palette_changed(self) -> None:
        self._drawn = None
        self._mark_styles = {}
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width, height = self.size
        key = (self.chart, self.mode, self.title, width, height)
        if self._drawn != key:
            base = self.rich_style
            self._strips = [strip_of(runs, width, base) for runs in self.lines(width, height)]
            self._drawn = key
        return self._strips[y] if y < len(self._strips) else Strip.blank(width, self.rich_style)

    # -- drawing -------------------------------------------------------------------------

    def driver_style(self, index: int) -> Style:
        return self.palette[f"chart--driver-{index % len(DRIVER_COLOURS)}"]

    def lines(self, width: int, height: int) -> list[Runs]:
        """Every line of the chart as ``(text, style)`` runs."""
        chart = self.chart
        title: Runs = [(" " + self.title, BOLD)]
        if chart is None:
            return [title]
        hidden: frozenset[int] = frozenset()
        for _ in range(len(chart.traces) + 1):  # a legend that grows for "(hidden)" leaves fewer rows
            legend = self._legend(chart, width, height, hidden)
            rows = height - 3 - len(legend)
            if rows < MIN_PLOT_ROWS or width < MIN_WIDTH:  # the plain legend's rows: the least it needs
                return [title] + _too_small(width, height - 3 - len(self._legend(chart, width, height)), rows)
            if not chart.traces:
                message = f"No position is known at lap {chart.lap}: f follows a driver."
                said: list[Runs] = [title, [(" " + message, DIM)]]
                return said + [[]] * (rows - 1) + [[], []] + legend
            timed = self.mode == LAP_TIMES and chart.time_axis() is not None
            labels, place, scale = _time_axis(chart, rows) if timed else _position_axis(chart, rows)
            label_width = max(len(text) for text in labels.values()) + 1
            cells = columns(chart.span, max(1, width - label_width - 1))
            marks, drawn = self._marks(chart, cells, place, (scale, chart.span, len(cells), glyphs.GLYPHS.name))
            if hidden == (now_hidden := frozenset(range(len(chart.traces))) - drawn):
                break
            hidden = now_hidden
        background, axis = self._background(chart, cells)
        shape = chart_glyphs()
        plot = [[(labels.get(row, "").rjust(label_width - 1) + " ", DIM), (shape.side, DIM)]
                + _overlay(background, marks.get(row, {})) for row in range(rows)]
        return ([title] + plot + [[(" " * label_width, None), (shape.corner, DIM)] + axis]
                + [[(" " * (label_width + 1), None), (_ticks(chart.span, cells, width - label_width - 1), DIM)]] + legend)

    def _marks(self, chart: LapChart, cells: list[tuple[int, int]], place,
               layout: tuple) -> tuple[dict[int, dict], frozenset[int]]:
        """Each row's marks by column, and the traces (by index) whose letter is drawn somewhere:
        ``place(trace, first, last, letter, head)`` says where a trace is in a column (row, glyph,
        certainty style), or None. The first driver placed in a cell keeps it.

        A column before the current lap's holds only laps up to it, so where a car is in it does
        not change as the chart steps on: those are kept per car, letter and ``layout`` (the axis
        and the columns), and a step places the new columns alone. (Kept columns past the current
        lap, from before a step back, are never drawn.)"""
        now = column_of(chart.lap, chart.span, len(cells))
        if len(self._placed) > PLACED_KEPT:
            self._placed.clear()
        marks: dict[int, dict[int, tuple[str, Style]]] = {}
        drawn: set[int] = set()
        styles = self._mark_styles
        for index, trace in enumerate(chart.traces):
            mark = letter(index)
            done = self._placed.setdefault((trace.entry.key, index, layout), [])
            while len(done) < now:
                done.append(place(trace, *cells[len(done)], mark, False))
            for column, placed in enumerate([*done[:now], place(trace, *cells[now], mark, True)]):
                if placed is not None:
                    row, glyph, certainty = placed
                    style = styles.get((index, certainty))
                    if style is None:
                        style = styles[index, certainty] = self.driver_style(index) + certainty
                    in_row = marks.setdefault(row, {})
                    if column not in in_row:
                        in_row[column] = (glyph, style)
                        if glyph.upper() == mark:
                            drawn.add(index)
        return marks, frozenset(drawn)

    def _background(self, chart: LapChart, cells: list[tuple[int, int]]) -> tuple[list, Runs]:
        """The plot's cells where no driver is, as runs of columns ``(start, end, text, style, shade)``
        (caution shading, the current lap, the future; a mark is drawn on ``shade``), and the axis line's runs."""
        palette, shape = self.palette, chart_glyphs()
        now = column_of(chart.lap, chart.span, len(cells))
        shades = {"yellow": palette["chart--caution"], "red": palette["chart--red"], None: None}
        flag_styles = {"yellow": palette["chart--flag-yellow"], "red": palette["chart--flag-red"], None: DIM}
        flag_glyphs = {"yellow": shape.caution, "red": shape.red, None: shape.axis}
        background: list[list] = []
        axis: Runs = []
        for column, (first, last) in enumerate(cells):
            if column > now:
                text, style, shade, axis_text, axis_style = " ", None, None, shape.future, DIM
            else:
                flag = chart.caution(first, last)
                shade = shades[flag]
                text, style = (shape.cursor, (shade or Style()) + DIM) if column == now else (" ", shade)
                axis_text, axis_style = ((shape.now, palette["chart--cursor"]) if column == now
                                         else (flag_glyphs[flag], flag_styles[flag]))
            if background and background[-1][2:] == [text, style, shade]:
                background[-1][1] = column + 1
            else:
                background.append([column, column + 1, text, style, shade])
            axis.append((axis_text, axis_style))
        return [tuple(run) for run in background], axis

    def _legend(self, chart: LapChart, width: int, height: int, hidden: frozenset[int] = frozenset()) -> list[Runs]:
        """The drivers (letter, name, position or lap time now; ``hidden``: drawn nowhere, every
        mark under another driver's) packed into lines, and from ``SYMBOL_KEY_HEIGHT`` rows a line
        saying what the symbols mean."""
        for short in (False, True):
            lines = _pack([self._legend_entry(chart, index, trace, short) + ([(HIDDEN, DIM)] if index in hidden else [])
                           for index, trace in enumerate(chart.traces)], width)
            if len(lines) <= 2:
                break
        if height >= SYMBOL_KEY_HEIGHT:
            lines += _pack(self._symbol_key(chart), width)
        return lines

    def _legend_entry(self, chart: LapChart, index: int, trace: Trace, short: bool) -> Runs:
        entry = trace.entry
        name = short_name(entry.driver) if short else entry.label
        if self.mode == LAP_TIMES:
            time = trace.times[-1]
            value, style = (glyphs.GLYPHS.dash if time is None else f"{time:.3f}"), None
        else:
            pos = trace.position
            value = f"P{pos}" if pos is not None else "P?"
            style = DIM if pos is None else CERTAINTY[trace.certainty[-1]]  # type: ignore[index]
        return [(letter(index), self.driver_style(index) + BOLD), (f" {name} ", None), (value, style)]

    def _symbol_key(self, chart: LapChart) -> list[Runs]:
        shape, palette = chart_glyphs(), self.palette
        parts: list[Runs] = [[("A", BOLD), (" reported", DIM)], [(shape.carried, DIM), (" carried", DIM)],
                             [("a", DIM_ITALIC), (" estimated", DIM)]]
        if self.mode == LAP_TIMES:
            parts = [[(shape.off_top, DIM), (" off the scale", DIM)]]
        return parts + [[(shape.caution, palette["chart--flag-yellow"]), (" caution", DIM)],
                        [(shape.now, palette["chart--cursor"]), (f" lap {chart.lap}", DIM)]]


def _too_small(width: int, least_rows: int, rows: int) -> list[Runs]:
    """What the chart says where it has no room to tell positions or laps apart (``rows``: the
    plot's rows beside its legend; ``least_rows``: beside a legend that hides no one), and the
    least it needs more."""
    more = []
    if rows < MIN_PLOT_ROWS:
        need = max(1, MIN_PLOT_ROWS - least_rows)
        more.append(f"{need} more row{'s' if need != 1 else ''}")
    if width < MIN_WIDTH:
        more.append(f"{MIN_WIDTH - width} more column{'s' if MIN_WIDTH - width != 1 else ''}")
    words = f"Too small to draw the lap chart: enlarge the terminal (at least {' and '.join(more)}) to see it."
    return [[(" " + line, DIM)] for line in textwrap.wrap(words, max(8, width - 1))]


def _position_axis(chart: LapChart, rows: int):
    """Row labels (P1, P5, P10 …) and where a trace is in a column, for positions: with room,
    the positions are spread over the rows; without, rows share positions."""
    last = chart.position_axis()
    spread = last <= rows
    carried = chart_glyphs().carried

    def row_of(pos: int) -> int:
        return round((pos - 1) * (rows - 1) / max(1, last - 1)) if spread else (pos - 1) * rows // last

    def place(trace: Trace, first: int, final: int, mark: str, head: bool):
        known = trace.position_in(first, final)
        if known is None:
            return None
        pos, certainty = known
        glyph = mark.lower() if certainty == "estimated" else mark if certainty == "reported" or head else carried
        return row_of(pos), glyph, CERTAINTY[certainty]

    labels: dict[int, str] = {}
    if spread:  # P1, P5, P10 … (every position where there is room for all)
        every = rows >= 2 * last
        for pos in range(1, last + 1):
            if every or pos == 1 or pos % 5 == 0:
                labels.setdefault(row_of(pos), f"P{pos}")
    else:  # a row of several positions is labelled with its first, where it holds P1 or a fifth
        for pos in range(1, last + 1):
            if pos == 1 or pos % 5 == 0:
                row = row_of(pos)
                labels.setdefault(row, f"P{next(p for p in range(1, last + 1) if row_of(p) == row)}")
    return labels, place, ("positions", last, rows)


def _time_axis(chart: LapChart, rows: int):
    """Row labels (seconds) and where a trace is in a column, for lap times: slower higher; a
    time above the axis (a caution lap) is an arrow on the top row."""
    fastest, slowest = chart.time_axis()  # type: ignore[misc]
    scale = (rows - 1) / (slowest - fastest)
    off_top = chart_glyphs().off_top

    def place(trace: Trace, first: int, final: int, mark: str, head: bool):
        time = trace.time_in(first, final)
        if time is None:
            return None
        if time > slowest:
            return 0, off_top, DIM
        return round((slowest - time) * scale), mark, BOLD

    labels = {row: f"{slowest - row / scale:.1f}" if scale else f"{fastest:.1f}" for row in range(0, rows, 4)}
    labels[rows - 1] = f"{fastest:.1f}"
    return labels, place, ("lap times", fastest, slowest, rows)


def _overlay(background: list[tuple[int, int, str, Style | None, Style | None]],
             marks: dict[int, tuple[str, Style]]) -> Runs:
    """A plot row: the background runs with the row's marks laid over their columns (on the
    column's shading)."""
    runs: Runs = []
    wanted = sorted(marks)
    i = 0
    for start, end, text, style, shade in background:
        at = start
        while i < len(wanted) and wanted[i] < end:
            column = wanted[i]
            if column > at:
                runs.append((text * (column - at), style))
            glyph, mark_style = marks[column]
            runs.append((glyph, shade + mark_style if shade else mark_style))
            at, i = column + 1, i + 1
        if end > at:
            runs.append((text * (end - at), style))
    return runs


def _ticks(span: int, cells: list[tuple[int, int]], width: int) -> str:
    """Lap numbers under the axis (``width`` cells), at a round step that leaves room between them."""
    count = len(cells)
    step = next((s for s in TICK_STEPS if s * count / (span + 1) >= TICK_SPACING), TICK_STEPS[-1])
    line = [" "] * width
    free = 0
    for lap in range(0, span + 1, step):
        text = str(lap)
        column = column_of(lap, span, count)
        if column >= free and column + len(text) <= len(line):
            line[column: column + len(text)] = text
            free = column + len(text) + 1
    return "".join(line).rstrip()


def _pack(entries: list[Runs], width: int) -> list[Runs]:
    """Entries on lines of ``width`` cells, two spaces apart."""
    lines: list[Runs] = []
    used = width
    for entry in entries:
        size = sum(len(text) for text, _ in entry)
        if lines and used + 2 + size <= width:
            lines[-1] += [("  ", None)] + entry
            used += 2 + size
        else:
            lines.append([(" ", None)] + entry)
            used = 1 + size
    return lines
