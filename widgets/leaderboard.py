"""The running order at the current lap, drawn line by line.

Rows are the placed cars, a dim "unknown" row for each run of positions no source gives, and
the cars whose position is unknown. Carried rows are dim, estimated rows dim and italic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from rich.cells import cell_len
from rich.style import Style

from replay.core.labels import LAP_TIME_CELLS, gap_label, interval_label, lap_time_label, relative_gap_label, status_label
from replay.core.model import Entry
from replay.core.state import FastestLap, RaceState, Row, Unplaced
from replay.core.status import CarStatus, StatusKind

from . import glyphs
from .banner import BANNER_PALETTE
from .event_log import short_name
from .palette import Themed
from .rowlist import RowList
from .runs import fit

Cell = tuple[str, Style | None]

CERTAINTY = {"reported": None, "carried": Style(dim=True), "estimated": Style(dim=True, italic=True)}
DIM = Style(dim=True)
ESTIMATED = CERTAINTY["estimated"]  # a gap from an estimated start offset, as other estimates
BOLD = Style(bold=True)
STATUS_CLASSES = {StatusKind.OUT: "leaderboard--out", StatusKind.DISQUALIFIED: "leaderboard--out",
                  StatusKind.PIT: "leaderboard--pit"}


@dataclass(frozen=True)
class Column:
    title: str
    width: int
    right: bool = False


DRIVER_MIN = 13  # "P. Kligerman" and a space: below this, less important columns go
DRIVER_FULL = 21  # "John Hunter Nemechek" and a space: the interval goes before a full name is cut
DRIVER_ROOMY = 26  # past this, the status column gets the room first
DROPPED_FIRST = ("Known", "Int", "Last", "Best", "Led", "Gap")  # as the board narrows; Status always stays
MAKE = 10  # "Chevrolet" and a space
STATUS = 10  # "out (acc.)"
KEEPS_FULL_NAMES = {"Known": DRIVER_FULL, "Int": DRIVER_FULL}  # with lap times: kept only while names stay whole


@lru_cache(maxsize=32)
def columns_for(width: int, timed: bool, teams: bool = True, makes: bool = False) -> tuple[Column, ...]:
    """Fixed columns first; driver and team share what is left. How a position is known matters
    more than the team, so Known comes before Team as the screen narrows; narrower still, the
    columns of ``DROPPED_FIRST`` go in that order so that a driver stays recognisable (with lap times,
    Known and the interval, mostly blank where lap times disagree with the order, already so that a
    name stays whole)."""
    fixed = [Column("Pos", 5, True), Column("+/-", 3, True), Column("Car", 4)]
    tail = [Column("Led", 4, True)]
    if timed:  # "+152 laps" fits the gap
        tail += [Column("Gap", 9, True), Column("Int", 7, True), Column("Last", LAP_TIME_CELLS, True),
                 Column("Best", LAP_TIME_CELLS, True)]
    tail.append(Column("Status", 9))
    if width >= (80 if timed else 60):
        tail.append(Column("Known", 10))
    for title in DROPPED_FIRST:
        need = KEEPS_FULL_NAMES.get(title, DRIVER_MIN) if timed else DRIVER_MIN
        if _spare(width, fixed + tail) - 1 < need:
            tail = [column for column in tail if column.title != title]
    spare = _spare(width, fixed + tail)
    status = STATUS if spare > DRIVER_FULL else 9  # "out (acc.)": a status with its short detail
    spare -= status - 9
    team, make = _team_and_make(spare * 2 // 5 if spare >= 34 else 0, teams, makes)
    driver = max(8, spare - 1 - (team + 1 if team else 0) - (make + 1 if make else 0))
    if driver > DRIVER_ROOMY:  # a wide board: room for "out (did not start)" before a longer name
        extra = min(driver - DRIVER_ROOMY, 5)
        driver -= extra
        status += extra
    tail = [Column("Status", status) if c.title == "Status" else c for c in tail]
    middle = [Column("Driver", driver)] + ([Column("Team", team)] if team else []) + ([Column("Make", make)] if make else [])
    return tuple(fixed + middle + tail)


def _team_and_make(room: int, teams: bool, makes: bool) -> tuple[int, int]:
    """The widths of the Team and Make columns in ``room`` cells: each shows only what it says
    (the team column once showed makes), a make needs ten cells ("Chevrolet")."""
    if not room:
        return 0, 0
    if teams and makes:
        return (room - MAKE - 1, MAKE) if room >= 2 * MAKE + 2 else (room, 0)
    return (room, 0) if teams else (0, min(room, MAKE) if makes else 0)


def _spare(width: int, columns: list[Column]) -> int:
    return width - 1 - sum(c.width + 1 for c in columns)  # a row is " " + each cell and a space


def fit_name(text: str, width: int) -> str:
    """A driver to ``width`` cells, recognisable: "Parker Kligerman (R)" -> "P. Kligerman (R)" ->
    "Kligerman (R)", and only then cut."""
    if cell_len(text) <= width:
        return fit(text, width)
    name, marks = text, ""
    while name.endswith((" (R)", " (i)")):
        name, marks = name[:-4], name[-4:] + marks
    words = name.split()
    family = short_name(name)
    given = words[: len(words) - len(family.split())]
    for shorter in (f"{given[0][0]}. {family}" if given else family, family):
        if cell_len(shorter + marks) <= width:
            return fit(shorter + marks, width)
    return fit(family + marks, width)


# Shorter words for a status's detail, where the whole does not fit its column.
SHORT_DETAILS = {"did not start": "DNS", "after the race": "post", "accident": "acc.", "transmission": "trns",
                 "overheating": "heat", "electrical": "elec", "suspension": "susp", "mechanical": "mech",
                 "engine": "eng.", "retired": "ret.", "parked": "park", "brakes": "brk.", "tires": "tire"}
SHORT_STATUSES = {"disqualified": "DQ"}


def fit_status(text: str, width: int) -> str:
    """A status to ``width`` cells, readable: "out (did not start)" -> "out (DNS)" -> "DNS", only then cut."""
    if cell_len(text) <= width or " (" not in text:
        return fit(text, width)
    status, _, detail = text.partition(" (")
    detail = detail.removesuffix(")")
    short = SHORT_DETAILS.get(detail, detail)
    for shorter in (f"{status} ({short})", f"{SHORT_STATUSES.get(status, status)} ({short})", short):
        if cell_len(shorter) <= width:
            return fit(shorter, width)
    return fit(text, width)


class Leaderboard(RowList, Themed, inherit_bindings=False):
    """Position, change, car, driver, team, make, laps led, gap, lap times, status and how sure we are.

    It has no keys of its own: ↑ ↓ Enter belong to the incident log, wherever the focus is.

    With lap times, Last is the car's time on this lap and Best its best so far; the race's fastest
    lap so far is drawn bold in the fastest-lap colour, the next fastest (of other cars) in that colour."""

    OVERLAY_TOP = 2  # banners cover the rows below the leader's: who leads always shows
    PINNED_ROWS = 2  # the column titles and the leader stay when a followed car scrolls the board

    PALETTE = {
        "leaderboard--fastest": "color: $race-fastest; text-style: bold", "leaderboard--fast": "color: $race-fastest",
        "leaderboard--followed": "background: $followed-background; text-style: bold",
        "leaderboard--moved": "background: $moved-background",
        "leaderboard--gained": "color: $race-good", "leaderboard--lost": "color: $race-danger",
        "leaderboard--out": "color: $race-danger", "leaderboard--pit": "color: $race-caution",
        # a car within a second of the car ahead under green: its gap and interval, underlined too (NO_COLOR)
        "leaderboard--battle": "color: $race-lead; text-style: underline",
        **BANNER_PALETTE,
    }
    DEFAULT_CSS = """
    Leaderboard { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state: RaceState | None = None
        self.timed = False
        self.teams, self.makes = True, False  # which of the entries' team and make the race gives
        self.followed: frozenset[str] = frozenset()
        self.moved: frozenset[str] = frozenset()
        self.gap_to: str | None = None  # the car the Gap column measures from (None: the leader)
        self._reference: Row | None = None
        self._rows: list[tuple] = []
        self._battling: frozenset[str] = frozenset()  # cars within a second of the car ahead
        self._keys: list[tuple] = []  # each row's identity (a car, or a run of unknown places), in order
        self._glide_from: dict[tuple, int] = {}  # during a glide: each row's index before the lap
        self._order: list[int] | None = None  # during a glide: the row drawn at each line below the leader's

    def show(self, state: RaceState, followed: frozenset[str] = frozenset(),
             moved: frozenset[str] = frozenset(), glide: bool = False) -> None:
        """Display ``state``; ``followed`` rows stay highlighted and in view, ``moved`` flash;
        ``glide``: rows start where they were on the board before and move with ``glide``."""
        self.state, self.followed, self.moved = state, followed, moved
        before = self._keys
        self._rows = _rows_of(state)
        self._keys = [_row_key(row) for row in self._rows]
        self._battling = frozenset(battle.behind for battle in state.battles)
        self._glide_from, self._order = {}, None
        self._reference = next((row for row in state.leaderboard if row.entry.key == self.gap_to), None)
        self.forget_rows()
        self.set_row_count(len(self._rows) + 1, repaint=not (glide and before))  # +1: the header line
        if glide and before:
            self._glide_from = {key: index for index, key in enumerate(before)}
            self.glide(0.0)
        self._keep_followed_in_view()

    def glide(self, progress: float) -> None:
        """Draw the rows ``progress`` (0 to 1, eased here) of the way from their places before the
        lap to their places now: each line shows the row whose place in between comes next, so
        rows slide past each other and none is drawn twice. The leader's line never moves. The
        rows themselves are the same all through a glide, so a frame repaints only the lines that move."""
        if self._glide_from:
            self._order = self._glide_order(progress)
            self.repaint()

    def _glide_order(self, progress: float) -> list[int] | None:
        """The row drawn at each line, ``progress`` of the way through a glide (None: at its end)."""
        if progress >= 1.0:
            self._glide_from = {}
            return None
        eased = 1 - (1 - progress) ** 3  # ease-out: fast, then settling
        places = []
        for new, key in enumerate(self._keys[1:], start=1):
            old = max(1, self._glide_from.get(key, new))
            places.append((old + (new - old) * eased, new))
        return [0] + [new for _, new in sorted(places)]

    @property
    def gliding(self) -> bool:
        return self._order is not None

    def set_gap_to(self, car: str | None) -> None:
        """Measure the Gap column from ``car`` (a followed driver), or from the leader (None)."""
        self.gap_to = car
        if self.state is not None:
            self._reference = next((row for row in self.state.leaderboard if row.entry.key == car), None)
        self.forget_rows()
        self.repaint()

    def set_highlights(self, followed: frozenset[str], moved: frozenset[str]) -> None:
        self.followed, self.moved = followed, moved
        self.forget_rows()
        self.repaint()
        self._keep_followed_in_view()

    def on_resize(self) -> None:
        """A new size can leave the board scrolled with room to spare: show the top again, or the
        followed car."""
        self.scroll_to(y=0, animate=False, immediate=True)
        self._keep_followed_in_view()

    def _keep_followed_in_view(self) -> None:
        for index, row in enumerate(self._rows):
            if row[0] in ("row", "unplaced") and row[1].entry.key in self.followed:
                self.scroll_row_into_view(index + 1)
                return

    def row_key(self, index: int) -> int:
        """The row drawn at line ``index`` (during a glide, not the line's own): rows only change with
        ``show``, ``set_gap_to`` and ``set_highlights``, which forget the runs kept."""
        return index if index == 0 or self._order is None else self._order[index - 1] + 1

    def render_row(self, index: int, width: int) -> list[Cell]:
        columns = columns_for(width, self.timed, self.teams, self.makes)
        if index == 0:
            titles = {c.title: (c.title if c.title != "+/-" else "", BOLD) for c in columns}
            if self.gap_to is not None and self.state is not None:
                titles["Gap"] = ("to " + short_name(self.state.entries[self.gap_to].driver), BOLD)
            return _line(titles, columns)
        kind, item, *rest = self._rows[index - 1 if self._order is None else self._order[index - 1]]
        if kind == "gap":
            span = f"{item}{glyphs.GLYPHS.dash}{rest[0]}" if rest[0] > item else str(item)
            return _line({"Pos": (span, DIM), "Driver": ("unknown", DIM)}, columns)
        if kind == "others":  # entrants no fact known yet names (core/known.py)
            return _line({"Pos": (f"+{item}", DIM), "Driver": ("others", DIM), "Team": ("not named yet", DIM)}, columns)
        state, palette = self.state, self.palette
        if state is None:  # rows come only with a state (``show``)
            return []
        cells = _row_cells(item, state.lap, palette) if kind == "row" else _unplaced_cells(item, palette)
        if kind == "row" and self.gap_to is not None:
            reference = self._reference
            estimated = item.gap_estimated or (reference is not None and reference.gap_estimated)
            cells["Gap"] = (relative_gap_label(item, reference),
                            DIM if item.laps_down else ESTIMATED if estimated else None)
        if kind == "row" and item.entry.key in self._battling:
            battle = palette["leaderboard--battle"]
            cells.update({name: (cells[name][0], (cells[name][1] or Style()) + battle) for name in ("Gap", "Int")})
        if "Best" in cells:
            cells["Best"] = (cells["Best"][0], _fast_style(item.entry.key, state.fastest_laps, palette)
                             or cells["Best"][1])
        key = item.entry.key
        highlight = (palette["leaderboard--followed"] if key in self.followed
                     else palette["leaderboard--moved"] if key in self.moved else None)
        return _line(cells, columns, highlight)


def _rows_of(state: RaceState) -> list[tuple]:
    rows: list[tuple] = []
    expected = 1
    for row in state.leaderboard:
        if row.pos > expected:
            rows.append(("gap", expected, row.pos - 1))
        rows.append(("row", row))
        expected = row.pos + 1
    rows += [("unplaced", u) for u in state.unplaced]
    if state.other_entrants:
        rows.append(("others", state.other_entrants))
    return rows


def _row_key(row: tuple) -> tuple:
    """What a board row stands for across laps: its car, or for a run of unknown places, its first place
    (the line counting the entrants not named yet: itself)."""
    return ("others",) if row[0] == "others" else (row[0], row[1]) if row[0] == "gap" else ("car", row[1].entry.key)


def _line(cells: Mapping[str, Cell], columns: tuple[Column, ...], highlight: Style | None = None) -> list[Cell]:
    line: list[Cell] = [(" ", highlight)]
    for column in columns:
        text, style = cells.get(column.title, ("", None))
        if highlight is not None:
            style = style + highlight if style else highlight
        line.append((_cell_text(text, column.title, column.width, column.right, glyphs.GLYPHS.ellipsis), style))
    return line


@lru_cache(maxsize=8192)
def _cell_text(text: str, title: str, width: int, right: bool, ellipsis: str) -> str:
    """A cell's text fitted to its column, and the space after it: the same few thousand texts
    come back lap after lap (names, numbers, lap times), so each is fitted once (per glyph set)."""
    shown = (fit_name(text, width) if title == "Driver"
             else fit_status(text, width) if title == "Status" else fit(text, width, right))
    return shown + " "


def _row_cells(row: Row, lap: int, palette: dict[str, Style]) -> dict[str, Cell]:
    style = CERTAINTY[row.certainty]
    change: Cell = ("", None)
    if row.change:
        change = ((f"{glyphs.GLYPHS.gained}{row.change}", palette["leaderboard--gained"]) if row.change > 0
                  else (f"{glyphs.GLYPHS.lost}{-row.change}", palette["leaderboard--lost"]))
    known = _known(row, lap)
    status = status_label(row.car_status)
    return {
        "Pos": (str(row.pos), style), "+/-": change, "Car": (row.entry.number or "?", style),
        "Driver": (_driver(row.entry), style), "Team": (row.entry.team or "", style), "Make": (row.entry.make or "", style),
        "Led": (glyphs.GLYPHS.dash if row.laps_led is None else str(row.laps_led), style),
        "Gap": (gap_label(row), DIM if row.laps_down else ESTIMATED if row.gap_estimated else None),
        "Int": (interval_label(row), ESTIMATED if row.gap_estimated else None),
        "Last": (lap_time_label(row.lap_time), None), "Best": (lap_time_label(row.best_lap), None),
        "Status": (status, _status_style(row.car_status, palette, style)), "Known": (known, DIM),
    }


def _fast_style(key: str, fastest: tuple[FastestLap, ...], palette: dict[str, Style]) -> Style | None:
    """The style of a Best cell whose lap is one of the race's fastest so far."""
    rank = next((i for i, lap in enumerate(fastest) if lap.entry.key == key), None)
    return None if rank is None else palette["leaderboard--fastest" if rank == 0 else "leaderboard--fast"]


def _status_style(status: CarStatus, palette: dict[str, Style], otherwise: Style | None) -> Style | None:
    name = STATUS_CLASSES.get(status.kind)
    return palette[name] if name else otherwise


def _unplaced_cells(unplaced: Unplaced, palette: dict[str, Style]) -> dict[str, Cell]:
    status = status_label(unplaced.car_status)
    return {
        "Pos": ("?", DIM), "Car": (unplaced.entry.number or "?", DIM), "Driver": (_driver(unplaced.entry), DIM),
        "Team": (unplaced.entry.team or "", DIM), "Make": (unplaced.entry.make or "", DIM), "Led": (glyphs.GLYPHS.dash, DIM),
        "Best": (lap_time_label(unplaced.best_lap), DIM),
        "Status": (status, _status_style(unplaced.car_status, palette, DIM)), "Known": ("unknown", DIM),
    }


def _known(row: Row, lap: int) -> str:
    """Blank when reported at this lap; else how and as of when."""
    if row.certainty == "estimated":
        return "est." if row.as_of == lap else f"est. L{row.as_of}"
    return "" if row.as_of == lap else f"as of L{row.as_of}"


def _driver(entry: Entry) -> str:
    return entry.driver + (" (R)" if entry.rookie else "") + (" (i)" if entry.points_eligible is False else "")
