"""Nothing a person sees at lap N depends on what was only known after it, held by construction.

For every bundled race and several laps N: render every screen, dialog, palette list and export
format at N; then do the same for the race changed in everything known only after N
(``tests/spoilers.py``); the two must be identical. A new screen or format belongs in
``views_at`` or ``EXPORTS`` below.
"""

from __future__ import annotations

import difflib
import re

import pytest

from replay.core.engine import Timeline
from replay.core.notes import Note
from replay.export import FORMATS, ExportRequest
from replay.racefile.bundled import bundled_races_dir, race_files
from replay.racefile.loader import load_race
from replay.viewer.app import ReplayApp
from replay.viewer.commands import ReplayCommands
from tests.spoilers import after

SIZES = ((120, 40), (80, 24))
RACES = {path.stem: load_race(path) for path in race_files(bundled_races_dir())}
DIALOG_KEYS = {"sources": "s", "help": "question_mark", "follow": "f", "incidents of": "l", "go to lap": "g",
               "results": "r", "statistics": "i", "lap chart": "c", "note": "a", "pit stops": "o"}


def laps_to_check(timeline: Timeline) -> list[int]:
    """The grid, the first lap, halfway, the first stage end and the lap before it, the middle
    event, and the last lap before the finish."""
    final = timeline.final_lap
    laps = {0, 1, final // 2, final - 1}
    ends = [end for end in timeline.race.info.stage_ends if end is not None and end < final]
    if ends:
        laps |= {ends[0] - 1, ends[0]}
    events = [e.lap for e in timeline.all_events() if e.lap is not None and e.lap < final]
    if events:
        laps.add(events[len(events) // 2])
    return sorted(lap for lap in laps if 0 <= lap < final)


CASES = [(name, lap) for name, race in RACES.items() for lap in laps_to_check(Timeline(race))]


def svg(app: ReplayApp) -> str:
    """The screen as drawn, colours included (the SVG's id prefix is a hash of the content)."""
    return re.sub(r"terminal-\d+", "terminal", app.export_screenshot())


async def views_at(timeline: Timeline, lap: int, size: tuple[int, int], dialogs: tuple[str, ...]) -> dict[str, str]:
    """What the viewer shows at ``lap``: arriving there (with its banner), the screen, the
    ``dialogs`` named (keys of DIALOG_KEYS) and, with all of them, the command palette's list."""
    views: dict[str, str] = {}
    app = ReplayApp(timeline, lap=max(0, lap - 1), transient=False)
    async with app.run_test(size=size) as pilot:
        if lap:
            await pilot.press("right")
        views["arriving"] = svg(app)
        for name in dialogs:
            await pilot.press(DIALOG_KEYS[name])
            views[name] = svg(app)
            await pilot.press("escape")
        await pilot.press("f5")  # no binding: sends any banner away
        views["screen"] = svg(app)
        if len(dialogs) == len(DIALOG_KEYS):
            views["palette"] = "\n".join(f"{c.text} · {c.help}" for c in ReplayCommands(app.screen).commands())
    return views


def exports_at(timeline: Timeline, lap: int, later_note: bool = False) -> dict[str, str]:
    """Every format as the command line renders it, with a note at the grid (and, if asked, one
    after the lap, which no format may show) and a section for the first driver."""
    notes = (Note(0, "A grid note"),) + ((Note(lap + 1, "LATER note"),) if later_note else ())
    first = min(timeline.race.entries.values(), key=lambda entry: entry.neutral_key)  # by number: says nothing
    request = ExportRequest.at(timeline, lap, notes, (first.key,))
    return {f"export {name}": fmt.render(request) for name, fmt in FORMATS.items()}


@pytest.mark.parametrize("name, lap", CASES, ids=[f"{name}-lap{lap}" for name, lap in CASES])
async def test_nothing_from_after_the_lap_shows(name, lap):
    race = RACES[name]
    real, changed = Timeline(race), Timeline(after(race, lap))
    assert changed.final_lap > real.final_lap, "the changed race goes to overtime"
    same(exports_at(real, lap, later_note=True), exports_at(changed, lap), f"lap {lap}")
    for size in SIZES:
        # the dialogs once; the small screen lays out the board differently
        dialogs = tuple(DIALOG_KEYS) if size == SIZES[0] else ()
        seen, other = await views_at(real, lap, size, dialogs), await views_at(changed, lap, size, dialogs)
        same(seen, other, f"lap {lap} ({size[0]}x{size[1]})")
    quiet = Timeline(after(race, lap, later_events=False))  # whether anything is still to come is news too
    seen, other = await views_at(real, lap, SIZES[0], ("help",)), await views_at(quiet, lap, SIZES[0], ("help",))
    same(seen, other, f"lap {lap}, with no event after it")


def same(seen: dict[str, str], other: dict[str, str], where: str) -> None:
    """Each view identical; else the lines that differ (SVG text runs made readable)."""
    for view, shown in seen.items():
        if shown != other[view]:
            lines = [_readable(x) for x in (shown, other[view])]
            diff = difflib.unified_diff(lines[0], lines[1], "real race", "changed after the lap", lineterm="", n=0)
            pytest.fail(f"{view} at {where} shows something from later:\n" + "\n".join(list(diff)[:40]))


def _readable(text: str) -> list[str]:
    if not text.startswith("<svg"):
        return text.splitlines()
    return [re.sub(r"&#160;", " ", line) for line in re.split(r"(?=<text )|(?=\.terminal-r)", text)]


def test_the_check_covers_each_race_at_several_laps():
    assert {name for name, _ in CASES} == set(RACES) and len(RACES) >= 4
    assert all(sum(1 for n, _ in CASES if n == name) >= 3 for name in RACES)


@pytest.mark.parametrize("name", ["2023-xfinity-atlanta"])
def test_gap_estimates_use_nothing_after_the_lap(name):
    """The start offsets behind every gap are fitted on laps 1..N only: a race changed after N
    gives the same offsets and gaps at N, at every tenth lap."""
    race = RACES[name]
    real = Timeline(race)
    for lap in range(1, real.final_lap, 10):
        changed = Timeline(after(race, lap))
        assert real.gap_estimates.offsets(lap) == changed.gap_estimates.offsets(lap), lap
        assert real.gap_estimates.at(lap) == changed.gap_estimates.at(lap), lap


@pytest.mark.parametrize("lap", [9, 30, 81])
async def test_the_gap_to_a_followed_driver_shows_nothing_from_later(lap, monkeypatch, tmp_path):
    """The board with v (gaps to a followed driver) at lap N, for the race and the race changed after N.
    (Each in its own config folder: the first would otherwise leave its followed driver to the second.)"""
    race = RACES["2023-xfinity-atlanta"]
    views = []
    for index, timeline in enumerate((Timeline(race), Timeline(after(race, lap)))):
        monkeypatch.setenv("RACE_REPLAY_CONFIG_DIR", str(tmp_path / f"config{index}"))
        app = ReplayApp(timeline, lap=lap, transient=False)
        async with app.run_test(size=(160, 40)) as pilot:
            app.screen.toggle_follow(min(race.entries))  # says nothing of the race: the smallest key
            await pilot.press("v")
            views.append({"gap to": svg(app)})
    same(*views, f"lap {lap}")


@pytest.mark.parametrize("lap", [9, 30, 81])
async def test_a_glide_shows_nothing_from_later(lap):
    """Each frame of the glide into lap N (rows moving from their places at N - 1), for the race
    and the race changed after N. (Not at laps where a lapped car's row holds its own lap N, timed
    after the leader's later laps, e.g. Atlanta's lap 50: core/positions.py, which the "known when"
    work replaces.)"""
    from replay.viewer.screens.tower import GLIDE_FRAMES, GLIDE_SECONDS
    from tests.clock import HandClock

    race = RACES["2023-xfinity-atlanta"]
    views = []
    for timeline in (Timeline(race), Timeline(after(race, lap))):
        clock = HandClock()
        app = ReplayApp(timeline, lap=lap - 1, clock=clock)
        app.animation_level = "full"
        frames = {}
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("right")
            for frame in range(GLIDE_FRAMES + 1):
                await pilot.pause()
                frames[f"frame {frame}"] = svg(app)
                clock.advance(GLIDE_SECONDS / GLIDE_FRAMES)
        views.append(frames)
    same(*views, f"lap {lap}")


def test_battles_use_nothing_after_the_lap():
    """Battles so far and going on at lap N: the same for the race changed after N (a battle going
    on at N is open, its end unknown)."""
    race = RACES["2023-xfinity-atlanta"]
    real = Timeline(race)
    for lap in range(1, real.final_lap, 10):
        changed = Timeline(after(race, lap))
        assert real.battles.so_far(lap) == changed.battles.so_far(lap), lap
        assert real.state_at(lap).battles == changed.state_at(lap).battles, lap
