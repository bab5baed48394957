"""The two lines above the leaderboard: race, lap, laps to go, flag, stage, counts, playback.

Drawn with the line API from plain runs: it changes every lap, and building Rich text for two
lines cost more than drawing the leaderboard's thirty.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from textual.strip import Strip

from replay.core.battles import Battle, featured
from replay.core.labels import flag_label, laps_to_go_label, leader_label
from replay.core.state import RaceState

from . import glyphs
from .event_log import short_name
from .palette import FLAGS, Themed
from .runs import Drawing, Runs, refresh_lines, strip_of

BOLD, DIM, ITALIC = Style(bold=True), Style(dim=True), Style(italic=True)


def title_runs(state: RaceState, width: int = 10**6, battle: Battle | None = None) -> Runs:
    """Race and leader first, then the ``battle`` to name, series and track; where the line is too
    long the series goes first, so that the track shows whole, then the track, so that the battle does
    (a narrow screen then cuts the end)."""
    info = state.info
    runs: Runs = [(info.name, BOLD), ("  ·  Leader ", DIM), (leader_label(state), BOLD)]
    if battle is not None:
        runs.append((f"  ·  {battle_label(battle, state)}", BOLD))
    for tail in (f"  ·  {info.series} · {info.track}", f"  ·  {info.track}"):
        if sum(cell_len(text) for text, _ in runs) + cell_len(tail) <= width:
            return runs + [(tail, None)]
    return runs if battle is not None else runs + [(f"  ·  {info.track}", None)]


def status_runs(state: RaceState, playback: str, flag_style: Style) -> Runs:
    """The status line: flag, lap, playback, then stage and counts; ``flag_style`` is the current
    flag's colours."""
    flag = flag_label(state, checkered_mark=glyphs.GLYPHS.checkered)
    to_go = laps_to_go_label(state)
    runs: Runs = [
        (f" {flag} ", flag_style),
        (f"  {state.lap_label}", BOLD),
        (f"  {to_go}" if to_go else "", None),
        (f"  · {playback}", DIM),  # before the counts: a narrow screen cuts the end
        (f"  · Stage {state.stage_label}", None),
        (f"  · Cautions {state.count_label('cautions')} · Lead changes {state.count_label('lead_changes')}", None),
    ]
    if state.flag_reason and state.flag in ("yellow", "red"):
        runs.append((f"  · {state.flag_reason}" + (" (est.)" if state.flag_estimated else ""), ITALIC))
    return runs


def battle_label(battle: Battle, state: RaceState) -> str:
    """``Battle P1: Haley +0.182, 3 laps`` (the car behind, seconds behind the car in that place)."""
    place = next((row.pos for row in state.leaderboard if row.entry.key == battle.ahead), None)
    laps = f"{battle.laps} lap{'s' if battle.laps != 1 else ''}"
    return f"Battle P{place}: {short_name(state.entries[battle.behind].driver)} +{battle.interval:.3f}, {laps}"


class RaceHeader(Themed):
    """Race, track, then lap, flag, stage and counts; the flag chip in the flag's colours."""

    PALETTE = {f"race-header--{flag}": f"color: $flag-{flag}-text; background: $flag-{flag}; text-style: bold"
               for flag in FLAGS}
    DEFAULT_CSS = """
    RaceHeader { height: 2; padding: 0 1; background: $panel; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state: RaceState | None = None
        self.playback = ""
        self.followed: frozenset[str] = frozenset()
        self._drawn: dict[int, tuple[Drawing, int]] = {}  # each line's runs and width when last painted

    def show(self, state: RaceState, playback: str) -> None:
        self.state, self.playback = state, playback
        self._repaint()

    def set_followed(self, followed: frozenset[str]) -> None:
        """Name the closest battle of these drivers (or for the lead)."""
        self.followed = followed
        self._repaint()

    def set_playback(self, playback: str) -> None:
        """Playing or paused, and the speed: the only part that changes without the lap."""
        self.playback = playback
        self._repaint()

    def _repaint(self) -> None:
        """Repaint the lines that changed: a step changes the status line, rarely the title."""
        width = self.content_region.width
        lines = self._lines(width)
        refresh_lines(self, [y for y, runs in enumerate(lines) if self._drawn.get(y) != (runs, width)], len(lines))

    def _lines(self, width: int) -> tuple[Drawing, Drawing]:
        return self._line(0, width), self._line(1, width)

    def _line(self, y: int, width: int) -> Drawing:
        if self.state is None:
            return ()
        if y == 0:
            leader = self.state.leader
            battle = featured(self.state.battles, leader.entry.key if leader else None, self.followed)
            return tuple(title_runs(self.state, width, battle))
        flag = "white" if self.state.flag == "checkered" else self.state.flag
        return tuple(status_runs(self.state, self.playback, self.palette[f"race-header--{flag}"]))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn.clear()

    def render_line(self, y: int) -> Strip:
        width = self.content_region.width
        if y > 1:
            return Strip.blank(width, self.rich_style)
        runs = self._line(y, width)
        self._drawn[y] = (runs, width)
        return strip_of(list(runs), width, self.rich_style)
