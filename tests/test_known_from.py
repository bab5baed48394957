"""Issue 19 §2: each fact shows from the lap it is known from (docs/FORMAT.md, "Known from"),
tested on the leaks real use found in the bundled races."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from replay.core.engine import Timeline
from replay.export import FORMATS, ExportRequest
from replay.racefile.bundled import bundled_races_dir
from replay.racefile.loader import check_text, load_race
from replay.sources.base import ImportOptions
from replay.sources.nascar.importer import import_nascar
from replay.viewer.app import ReplayApp
from tests.conftest import MINIMAL, ROOT

RACES = bundled_races_dir()
FEEDS = ROOT / "tests" / "data" / "feeds" / "nascar-xfinity-2023-atlanta-5314"
README = Path(__file__).resolve().parent.parent / "README.md"


def race(name: str):
    return load_race(RACES / f"{name}.yaml")


def status_of(state, driver: str):
    """The car's status and why; None while no fact known yet names it."""
    return next(((r.status, r.detail) for r in (*state.leaderboard, *state.unplaced) if r.entry.driver == driver), None)


def test_the_roval_shows_rhodes_out_from_the_crash_that_ends_his_day_whatever_his_result():
    """His result once put him out from lap 4; now the lap-4 crash does (`ends_race`), so a
    result saying he finished leaves him out from there all the same. (Before it he runs: the grid
    names him, and his lap-2 crash does not end his day.)"""
    roval = race("2025-trucks-charlotte-roval")
    finished = replace(roval, results=tuple(replace(r, status="running", laps=70) if r.car == "Ben Rhodes" else r
                                            for r in roval.results))
    for timeline in (Timeline(roval), Timeline(finished)):
        assert status_of(timeline.state_at(3), "Ben Rhodes") == ("running", None)
        assert status_of(timeline.state_at(4), "Ben Rhodes") == ("out", "accident")


def test_drivers_named_only_by_the_result_appear_at_the_finish():
    """2025 Homestead listed 15 entries from lap 0, all ten top-ten finishers among them."""
    timeline = Timeline(race("2025-trucks-homestead"))
    grid, finish = timeline.state_at(0), timeline.state_at(timeline.final_lap)
    named_by_results_only = {"Tyler Ankrum", "Daniel Hemric", "Chandler Smith", "Grant Enfinger"}
    shown = {e.driver for e in grid.entries.values()}
    assert not shown & named_by_results_only and "Gio Ruggiero" in shown  # on the grid sheet: the top five
    assert grid.other_entrants == len(timeline.race.entries) - len(grid.entries) > 0
    assert {u.entry.driver for u in grid.unplaced} <= shown
    assert named_by_results_only <= {e.driver for e in finish.entries.values()} and finish.other_entrants == 0
    request = ExportRequest.at(timeline, 0, (), ())
    assert json.loads(FORMATS["json"].render(request))["other_entrants"] == grid.other_entrants
    assert f"Other entrants: {grid.other_entrants}," in FORMATS["text"].render(request)


def test_atlanta_json_gives_no_estimated_stage_end_before_the_race_gets_there(tmp_path):
    """`estimated.stage_ends` read "stage 1, lap 40; stage 2, lap 78" from the grid. The bundled
    Atlanta now has its stage lengths from the season list; without it the ends are estimated from
    the lap notes, and neither the ends nor the reason may show before the race gets there."""
    folder = tmp_path / "atlanta"
    shutil.copytree(FEEDS, folder, ignore=shutil.ignore_patterns("race_list_basic.json"))
    (tmp_path / "atlanta.yaml").write_text(import_nascar(folder, ImportOptions(track="Atlanta")).text, encoding="utf-8")
    timeline = Timeline(load_race(tmp_path / "atlanta.yaml"))
    assert timeline.race.info.stage_ends[:2] == (40, 78) and "stage_ends" in timeline.race.info.estimated

    def estimated(lap: int) -> str:
        data = json.loads(FORMATS["json"].render(ExportRequest.at(timeline, lap, (), ())))
        return json.dumps(data["race"]["estimated"]) + json.dumps(data["race"]["stage_ends"])

    assert all("78" not in estimated(lap) for lap in (0, 39, 40, 77))
    assert all("40" not in estimated(lap) for lap in (0, 39))
    assert "78" in estimated(78) and "78" in estimated(timeline.final_lap)


@pytest.mark.parametrize("later_event", [False, True])
async def test_next_event_near_the_finish_says_nothing_of_the_last_laps(later_event):
    """`n` at lap 132 of 134 said "The next event is at the finish": the last laps are clean.
    Now it goes to lap 133 with or without an event there, and says the same."""
    homestead = race("2025-trucks-homestead")
    if later_event:
        extra = replace(homestead.events[-4], lap=133, when="race", first_lap=None, text="A late event.")
        homestead = replace(homestead, events=(*homestead.events, extra))
    app = ReplayApp(Timeline(homestead), lap=132, transient=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        first = (app.screen.lap, [n.message for n in app._notifications])
        await pilot.press("n")
        await pilot.pause()
        second = (app.screen.lap, [n.message for n in app._notifications])
    assert first == (133, [])
    assert second == (133, ["The finish is the next lap: End goes there."])


def test_an_event_ends_only_the_race_of_its_own_cars_and_not_after_the_race():
    report = check_text(MINIMAL + """\
events:
  - {lap: 2, kind: crash, cars: ["7"], ends_race: ["07"], text: Crash., sources: [s1]}
  - {when: post-race, kind: note, cars: ["7"], ends_race: ["7"], text: Later., sources: [s1]}
""", "race.yaml", audit=False)
    assert [re.sub(r"^race.yaml:\d+:\d+: ", "", e) for e in report.errors] == [
        "`ends_race` names '07', which is not among the event's `cars`",
        "a post-race event cannot end a car's race; its result says how it finished",
    ]


def test_an_entry_is_known_from_its_first_fact_or_its_own_known_from():
    text = MINIMAL.replace(", known_from: 0}", "}").replace("{driver: No Number}", "{driver: No Number, known_from: 5}")
    timeline = Timeline(load_race_text(text + """\
events:
  - {lap: 3, kind: spin, cars: ["7"], text: Spins., sources: [s1]}
results:
  - {pos: 1, car: "07", laps: 10, sources: [s1]}
"""))
    known = {lap: sorted(timeline.state_at(lap).entries) for lap in (0, 3, 5, 9, 10)}
    assert known == {0: [], 3: ["7"], 5: ["7", "No Number"], 9: ["7", "No Number"], 10: ["07", "7", "No Number"]}
    assert [timeline.state_at(lap).other_entrants for lap in (0, 3, 5, 10)] == [3, 2, 1, 0]


def load_race_text(text: str):
    report = check_text(text, "race.yaml", audit=False)
    assert report.race is not None, report.errors
    return report.race


def test_the_readme_spoils_no_bundled_race():
    """The README, which a new user reads first, once gave Atlanta's laps led ("Hill 99 counted,
    103 official") and a post-race disqualification in the table of bundled races; docs/FORMAT.md,
    which it links, had "Where Larson passed Riggs for the win". Neither names a driver of a bundled
    race, and the README's table says nothing decided after the green flag."""
    readme = README.read_text(encoding="utf-8")
    for doc in (readme, (README.parent / "docs" / "FORMAT.md").read_text(encoding="utf-8")):
        for path in sorted(RACES.glob("*.yaml")):
            for entry in load_race(path).entries.values():
                family = entry.driver.split()[-1]
                assert not re.search(rf"\b{re.escape(family)}\b", doc), f"{entry.driver} ({path.name})"
    table = [line for line in readme.splitlines() if line.startswith("| `races/")]
    assert table and not any(re.search(r"disqualif|\bwins?\b|\bwon\b|retire|crash", line, re.I) for line in table)


def test_the_csv_chart_has_a_column_only_for_cars_named_by_the_lap():
    """Its header once named every entry from the grid, the top-ten finishers among them."""
    timeline = Timeline(race("2025-trucks-homestead"))
    request = ExportRequest.at(timeline, 10, (), ())
    header = FORMATS["csv"].render(request).splitlines()[0]
    assert "Ruggiero" in header and "Ankrum" not in header and "Hemric" not in header
    final = ExportRequest.at(timeline, timeline.final_lap, (), ())
    assert "Ankrum" in FORMATS["csv"].render(final).splitlines()[0]


def test_a_flag_estimate_says_nothing_of_how_the_flag_ends_while_it_flies():
    """The ROVAL's lap-65 caution carried its estimate into the JSON from lap 65: "the race ran 70
    laps, so the green came back for a two-lap overtime at lap 69" (2023 Homestead's likewise told
    when a caution would end). While a flag flies only that its laps are estimated is known."""
    for name, laps in (("2025-trucks-charlotte-roval", range(65, 69)), ("2023-trucks-homestead", range(1, 134))):
        timeline = Timeline(race(name))
        for lap in laps:
            state = timeline.state_at(lap)
            data = json.loads(FORMATS["json"].render(ExportRequest.at(timeline, lap, (), ())))
            assert data["flag_estimated"] in (None, "The laps of this flag are estimated from the sources.")
            assert bool(data["flag_estimated"]) == bool(state.flag_estimated)
    roval = Timeline(race("2025-trucks-charlotte-roval"))
    assert roval.state_at(66).flag == "yellow" and roval.state_at(66).flag_estimated
    assert "overtime" not in FORMATS["json"].render(ExportRequest.at(roval, 66, (), ())).lower()


def test_an_overtime_white_flag_is_never_implied_from_the_lap_the_race_ended(write_race):
    """The white flag at lap 12 once came from the race ending at 13: a race that ran on to 14 showed
    green there. Lap 12 must look the same whichever lap the race later ends at."""
    def ending_at(final: int) -> Timeline:
        base = MINIMAL.replace("  laps: 10\n  stage_ends: [3, 6, 10]\n",
                               f"  laps: 10\n  actual_laps: {final}\n  stage_ends: [3, 6, {final}]\n")
        return Timeline(load_race(write_race("""\
            flags:
              - {flag: caution, from: 10, to: 10, sources: [s1]}
            """, base=base, name=f"ot{final}.yaml")))

    assert ending_at(13).state_at(12).flag == ending_at(14).state_at(12).flag == "green"
    stated = MINIMAL.replace("  laps: 10\n  stage_ends: [3, 6, 10]\n",
                             "  laps: 10\n  actual_laps: 13\n  stage_ends: [3, 6, 13]\n")
    told = Timeline(load_race(write_race("""\
        flags:
          - {flag: caution, from: 10, to: 10, sources: [s1]}
          - {flag: white, from: 12, to: 12, sources: [s1]}
        """, base=stated, name="told.yaml")))
    assert told.state_at(12).flag == "white"
