"""Every bundled race: headline facts through the public API, so a careless edit fails CI; and
fidelity to the source articles (quotes verbatim, every event cited)."""

from __future__ import annotations

import os
import re

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Static

from replay.core.engine import Timeline
from replay.racefile.audit import audit
from replay.racefile.bundled import bundled_races_dir, race_files
from replay.racefile.loader import load_race
from replay.viewer.app import ReplayApp
from replay.viewer.screens import SourcesScreen
from tests.conftest import ROOT, screen_text

SHARED = ROOT.parent / "shared"
RACES = race_files(bundled_races_dir())


def timeline(name: str) -> Timeline:
    return Timeline(load_race(ROOT / "races" / name))


def drivers(rows) -> list[str]:
    return [row.entry.driver for row in rows]


def test_homestead_2023_line_order_disqualification_and_playoffs():
    race = timeline("2023-trucks-homestead.yaml")
    info = race.race.info
    assert (info.name, info.date, info.laps, info.stage_ends) == ("Baptist Health Cancer Care 200", "2023-10-21",
                                                                  134, (30, 60, 134))
    assert "laps" not in info.estimated  # the race list and the reports give it
    final = race.state_at(race.final_lap)
    assert drivers(final.leaderboard[:5]) == ["Carson Hocevar", "Zane Smith", "Ben Rhodes", "Corey Heim",
                                              "Grant Enfinger"]  # at the line
    official = [(r.pos, r.entry.driver) for r in final.official]
    assert official[:3] == [(1, "Carson Hocevar"), (2, "Ben Rhodes"), (3, "Corey Heim")]
    assert official[-1] == (None, "Zane Smith")
    dq = next(e for e in final.events if e.kind == "disqualification")
    assert "14.4.7.I" in dq.text and dq.cars == ("38",)
    assert [s.winner.driver for s in final.stage_results[:2]] == ["Corey Heim", "Corey Heim"]
    advanced = [final.entries[s.car].driver for s in final.standings if s.playoff == "advanced"]
    assert sorted(advanced) == ["Ben Rhodes", "Carson Hocevar", "Corey Heim", "Grant Enfinger"]
    assert {final.entries[s.car].driver: s.cutoff for s in final.standings if s.cutoff} == {
        "Ben Rhodes": 1, "Nick Sanchez": -1}
    assert final.cautions == 5 and race.state_at(79).cautions == 4  # the final caution flies on lap 80
    assert race.state_at(80).flag == "yellow" and race.state_at(100).flag == "green"
    assert race.state_at(123).leaderboard[0].entry.driver == "Ben Rhodes"
    assert race.state_at(124).leaderboard[0].entry.driver == "Carson Hocevar"
    mid = race.state_at(100)
    assert mid.stage == 3 and mid.official == ()


def test_roval_2025_facts():
    race = timeline("2025-trucks-charlotte-roval.yaml")
    info = race.race.info
    assert (info.track_type, info.name, info.date, info.estimated) == ("road", "EcoSave 250", "2025-10-03", {})
    assert (info.laps, info.stage_ends, race.final_lap) == (67, (20, 40, 67), 70)  # scheduled 67, run 70
    assert race.state_at(0).leaderboard[0].entry.driver == "Corey Heim"  # pole
    assert race.state_at(64).laps_to_go == 3 and race.state_at(68).laps_to_go is None  # overtime, not before
    assert race.state_at(64).cautions == 0 and race.state_at(65).flag == "yellow"
    assert race.state_at(68).leaderboard[0].entry.driver == "Corey Heim"
    final = race.state_at(70)
    assert drivers(final.leaderboard[:7]) == ["Corey Heim", "Brent Crews", "Gio Ruggiero", "Rajah Caruth",
                                              "Connor Zilisch", "Josh Bilicki", "Grant Enfinger"]
    crews = final.leaderboard[1]
    assert crews.laps_led == 55 and crews.entry.rookie
    fastest = next(e for e in final.events if e.kind == "fastest_lap")
    assert (fastest.time, fastest.speed_mph, fastest.cars) == (86.666, 94.708, ("1",))
    assert [s.winner.driver for s in final.stage_results[:2]] == ["Kaden Honeycutt", "Kaden Honeycutt"]
    assert {u.entry.driver: u.detail for u in final.unplaced}["Frankie Muniz"] == "did not start"
    lap1 = [e for e in race.state_at(1).events if e.lap == 1]
    assert lap1[0].kind == "crash" and set(lap1[0].cars) == {"11", "9", "34"}
    dispute = race.race.disputes[0]
    assert dispute.topic == "Connor Zilisch's finishing place" and len(dispute.versions) == 2


def test_homestead_2025_facts():
    race = timeline("2025-trucks-homestead.yaml")
    final = race.state_at(134)
    assert final.leaderboard[0].entry.driver == "Kyle Larson"
    assert race.state_at(123).leaderboard[0].entry.driver == "Corey Heim"


@pytest.mark.parametrize("path", RACES, ids=lambda p: p.name)
def test_every_race_replays_from_grid_to_finish_with_every_event_cited(path):
    race = Timeline(load_race(path))
    for lap in range(race.final_lap + 1):
        race.state_at(lap)
    assert all(e.sources for e in race.race.events), "every event cites a source"
    assert audit(race) == [], "no warnings"


@pytest.mark.parametrize("path", RACES, ids=lambda p: p.name)
def test_quotes_are_verbatim_from_their_sources(path):
    if not SHARED.is_dir():
        if os.environ.get("CI"):
            pytest.fail("CI must have ../shared/ beside the project to check quotes against their sources")
        pytest.skip("../shared/ (the source articles) is not beside this checkout")
    race = load_race(path)
    squash = lambda text: re.sub(r"\s+", " ", text).strip()  # noqa: E731
    for quote in race.quotes:
        if not race.sources[quote.source].file:
            continue  # a web page cited by address: its text is not in the archive
        article = squash((SHARED / race.sources[quote.source].file.removeprefix("shared/")).read_text())
        assert squash(quote.text) in article, (quote.speaker, quote.text[:60])


async def test_disputes_are_shown_at_the_finish_only():
    app = ReplayApp(timeline("2025-trucks-charlotte-roval.yaml"), lap=69, transient=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SourcesScreen)
        assert "Shown at the finish" in screen_text(app) and "1 dispute" not in screen_text(app)  # not even how many
        assert "finishing place" not in screen_text(app)
        await pilot.press("escape", "right", "s")
        await pilot.pause()
        scroll = app.screen.query_one(VerticalScroll)  # the disputes follow the list of sources
        scroll.scroll_to_widget(app.screen.query(Static).last(), animate=False, top=True)
        await pilot.pause()
        text = screen_text(app)
    assert "Connor Zilisch's finishing place" in text and "✓ Fifth" in text
