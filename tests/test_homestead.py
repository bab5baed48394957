"""The 2025 Homestead truck race: headline facts through the public API, and fidelity to its sources."""

from __future__ import annotations

import os
import re

import pytest

from replay.core.engine import Timeline
from replay.racefile.loader import load_race
from tests.conftest import HOMESTEAD, ROOT

SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="module")
def race():
    return load_race(HOMESTEAD)


def test_headline_facts(race):
    timeline = Timeline(race)
    info = race.info
    assert (info.laps, info.stage_ends, info.purse, info.margin_of_victory) == (134, (30, 60, 134), 782900, 1.34)
    final = timeline.state_at(info.final_lap)
    assert final.leaderboard[0].entry.driver == "Kyle Larson"
    assert [s.winner.driver for s in final.stage_results[:2]] == ["Corey Heim", "Corey Heim"]
    assert timeline.state_at(114).leaderboard[0].entry.driver == "Ross Chastain"  # leader mid-race
    assert timeline.state_at(0).leaderboard[0].entry.driver == "Corey Heim"  # pole


def test_every_dispute_uses_a_version_and_cites_sources(race):
    topics = [d.topic for d in race.disputes]
    assert "What Larson was racing Riggs for when he spun on lap 91" in topics
    assert "Where Larson passed Riggs for the win" in topics
    for dispute in race.disputes:
        assert all(version.sources for version in dispute.versions)


def test_every_event_cites_a_source(race):
    assert all(event.sources for event in race.events)


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_quotes_are_verbatim_from_their_sources(race):
    """Each quote's text appears word for word in the article it cites."""
    if not SHARED.is_dir():
        if os.environ.get("CI"):
            pytest.fail("CI must have ../shared/ beside the project to check quotes against their sources")
        pytest.skip("../shared/ (the source articles) is not beside this checkout")
    for quote in race.quotes:
        if not race.sources[quote.source].file:
            continue  # a web page cited by address: its text is not in the archive
        article = _normalise((SHARED / race.sources[quote.source].file.removeprefix("shared/")).read_text())
        assert _normalise(quote.text) in article, (quote.speaker, quote.text[:60])
