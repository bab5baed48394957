"""What the seed-race tests share: the bundled races, those built from articles in ``shared/sources/``,
and ways to read the articles (tests/test_seed_facts.py, tests/test_seed_sources.py)."""

from __future__ import annotations

import re
from pathlib import Path

from replay.core.model import Race
from replay.racefile.bundled import bundled_races_dir, race_files
from replay.racefile.loader import load_race
from tests.conftest import ROOT

SHARED = ROOT.parent / "shared"
SOURCES_MD = ROOT / "races" / "SOURCES.md"
RACES = race_files(bundled_races_dir())


def is_article_race(path: Path) -> bool:
    """A race written from reports: its sources are articles in ``shared/sources/`` (and files in
    ``shared/feeds/``) or web pages, cited by address (which the tests cannot read offline)."""
    race = load_race(path)
    return all(_report(s.file) if s.file else bool(s.url) for s in race.sources.values())


def _report(file: str) -> bool:
    return file.removeprefix("shared/").startswith(("sources/", "feeds/"))


def readable(race: Race, sources) -> list[str]:
    """The sources among ``sources`` whose text is in the shared archive (not web-only pages)."""
    return [s for s in sources if race.sources[s].file]


ARTICLE_RACES = [path for path in RACES if is_article_race(path)]
ids = lambda p: p.name  # noqa: E731


# -- reading the articles ------------------------------------------------------------------------------------

def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def article_text(race: Race, source: str) -> str:
    return (SHARED / (race.sources[source].file or "").removeprefix("shared/")).read_text(encoding="utf-8")


def paragraphs(race: Race, source: str) -> list[str]:
    return [squash(line) for line in article_text(race, source).splitlines() if line.strip()]


def clauses(race: Race, sources) -> list[str]:
    """The cited articles cut at sentence and clause punctuation."""
    text = " \n ".join(article_text(race, s) for s in sources if race.sources[s].file)
    return [c.strip() for c in re.split(r"[,;:.!?—\n]+", text) if c.strip()]


def names(race: Race, car: str) -> list[str]:
    """How a text may name a car: its driver's full name and surname, and its number."""
    entry = race.entries[car]
    found = [entry.driver, entry.driver.split()[-1]]
    if entry.number:
        found += [f"No. {entry.number}", f"#{entry.number}"]
    return found


def mentions(text: str, race: Race, car: str) -> list[re.Match]:
    pattern = "|".join(re.escape(n) + (r"\b" if n[-1].isalnum() else "") for n in names(race, car))
    return list(re.finditer(rf"(?<![\w#.])(?:{pattern})", text))


def stage_end_at(race: Race, lap: int) -> int | None:
    """The end lap of the stage being run at ``lap`` (None where no source gives it)."""
    for end in race.info.stage_ends:
        if end is None:
            return None
        if lap <= end:
            return end
    return race.info.laps


def race_events(race: Race):
    return [e for e in race.events if e.when == "race" and e.lap is not None]
