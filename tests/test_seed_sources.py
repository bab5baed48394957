"""The seed races' facts about their sources: a source dated by a tweet embedded in it, a race length
taken from an article the race does not cite, an unstated track type, a photo caption naming
another winner with no dispute saying so, a caution the finish does not count, and SOURCES.md
naming events the file does not have. Generic checks over every bundled race."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from replay.core.engine import Timeline
from replay.core.model import EVENT_KINDS
from replay.racefile.loader import load_race
from tests.seed_articles import (
    ARTICLE_RACES,
    RACES,
    SHARED,
    SOURCES_MD,
    article_text,
    ids,
    is_article_race,
    race_events,
    squash,
)

# -- sources: dates, the race length, the track type ---------------------------------------------

@pytest.mark.parametrize("path", ARTICLE_RACES, ids=ids)
def test_source_dates_are_the_articles_own(path, articles):
    """A source's date is its article's date line ('date 2025-03-21'); an article without one has no
    date recorded (a date quoted inside it, as an embedded tweet's, is not the article's)."""
    race = load_race(path)
    for source_id, source in race.sources.items():
        if not source.date or not source.file:
            continue
        line = re.search(r"^\s*date (\d{4}-\d{2}-\d{2})\b", article_text(race, source_id), re.M)
        assert line, f"{source_id}: dated {source.date}, but the article has no date line"
        assert line[1] == source.date, f"{source_id}: dated {source.date}, the article {line[1]}"


@pytest.mark.parametrize("path", ARTICLE_RACES, ids=ids)
def test_race_length_is_stated_by_the_races_own_sources(path, articles):
    """The race's length is in one of the sources it lists ('134 laps long', a feed's
    '"scheduled_laps": 134'), or, where only web pages give it, a dispute records which of them say
    it; where it is estimated, the estimate names a source that states it."""
    race = load_race(path)
    laps = race.info.laps
    stating = [s for s in race.sources if race.sources[s].file
               and re.search(rf"\b{laps} laps\b|\"scheduled_laps\": {laps}\b", squash(article_text(race, s)))]
    stating += [s for d in race.disputes for v in d.versions if re.search(rf"\b{laps} laps\b", v.says)
                for s in v.sources if not race.sources[s].file]
    assert stating, f"no source of this race states its length, {laps} laps"
    if "laps" in race.info.estimated:
        assert any(re.search(rf"\b{re.escape(s)}\b", race.info.estimated["laps"]) for s in stating), (
            f"the estimated length names none of the sources that state it: {stating}")


TRACK_WORDS = {"oval": r"\boval\b|\bintermediate\b|\bsuperspeedway\b|\bshort track\b",
               "road": r"\broad course\b|\bROVAL\b", "street": r"\bstreet (?:course|circuit)\b", "dirt": r"\bdirt track\b"}


@pytest.mark.parametrize("path", ARTICLE_RACES, ids=ids)
def test_track_type_is_stated_by_a_source(path, articles):
    race = load_race(path)
    if race.info.track_type is None:
        return
    text = " ".join(article_text(race, s) for s in race.sources if race.sources[s].file)
    assert re.search(TRACK_WORDS[race.info.track_type], text), f"no source says the track is {race.info.track_type!r}"


@pytest.mark.parametrize("path", ARTICLE_RACES, ids=ids)
def test_a_caption_naming_another_winner_is_a_dispute(path, articles):
    """Where an article names a 'race winner' other than the car first at the line (a photo
    caption), a dispute records it."""
    race = load_race(path)
    winner = next(race.entries[r.car].driver for r in race.results if r.pos == 1)
    said = " ".join(v.says for d in race.disputes for v in d.versions)
    for source in race.sources:
        if not race.sources[source].file:
            continue
        for m in re.finditer(r"[Rr]ace winner ([A-Z][\w’'-]+ [A-Z][\w’'-]+)", article_text(race, source)):
            if m[1] != winner:
                assert m[1] in said, f"{source} calls {m[1]} the race winner; no dispute records it"


# -- cautions -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", RACES, ids=ids)
def test_cautions_at_the_finish_count_every_caution_in_the_file(path):
    """The finish counts each caution flag period and each caution event no period covers (a caution
    known only from an article, in a lap window); and where an article mentions a caution or a
    yellow, the finish counts at least one."""
    race = load_race(path)
    timeline = Timeline(race)
    final = timeline.state_at(race.info.final_lap)
    periods = [p for p in race.flags if p.flag == "caution"]
    events = [e for e in race_events(race) if e.kind == "caution"
              and not any(p.first <= e.lap and (e.first_lap or e.lap) <= p.last for p in periods)]
    for lap in sorted({race.info.final_lap, *(p.first for p in periods), *(e.lap for e in events)}):
        expected = sum(p.first <= lap for p in periods) + sum(e.lap <= lap for e in events)
        assert timeline.state_at(lap).cautions == expected, f"lap {lap}: {expected} cautions in the file"
    if is_article_race(path) and SHARED.is_dir():
        text = " ".join(article_text(race, s) for s in race.sources if race.sources[s].file)
        if re.search(r"\bcaution\b|\byellow\b", text, re.I):
            assert final.cautions >= 1, "an article mentions a caution; the finish counts none"
    if final.cautions and not race.complete and not periods:
        assert "cautions" in race.info.partial, "cautions known only from articles are a partial count"


# -- SOURCES.md names what the file has ----------------------------------------------------------

KIND = "|".join(sorted(set(EVENT_KINDS) - {"stage_end"}, key=len, reverse=True))
LAPS = r"(\d+(?:-\d+)?(?:(?:, | and )\d+(?:-\d+)?)*)"
EVENT_REF = re.compile(rf"`({KIND})`(?: and `({KIND})`)?(?: events?)?(?: (?:lap|at|in the window))? {LAPS}")


def sources_md_rows(path: Path) -> list[tuple[str, str]]:
    """The (fact, in the race file) rows of the race's section of SOURCES.md."""
    text = SOURCES_MD.read_text(encoding="utf-8")
    section = re.search(rf"^## .*\(`{re.escape(path.name)}`\)\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert section, f"SOURCES.md has no section for {path.name}"
    rows = []
    for line in section[1].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 2 and not set(cells[1]) <= {"-"} and cells[0] != "fact":
            rows.append((cells[0], cells[1]))
    return rows


@pytest.mark.parametrize("path", ARTICLE_RACES, ids=ids)
def test_sources_md_names_events_the_file_has(path):
    """Every event SOURCES.md points to ('`pass` 55', '`note` event in the window 95-132') is in the
    file, a text it quotes is that event's, and where a row points only to events, the drivers its
    fact names are in them ('Larson and Majeski worked through the field' is not Larson's alone)."""
    race = load_race(path)
    events = race_events(race)
    surnames = {e.driver.split()[-1]: key for key, e in race.entries.items()}
    for fact, where in sources_md_rows(path):
        found = []
        for ref in EVENT_REF.finditer(where):
            kinds = [k for k in ref.groups()[:2] if k]
            for token in re.split(r", | and ", ref[3]):
                first, _, last = token.partition("-")
                matching = [e for e in events if e.kind in kinds and (
                    (e.first_lap, e.lap) == (int(first), int(last)) if last
                    else int(first) in (e.lap, e.first_lap))]
                assert matching, f"SOURCES.md: {fact[:50]!r} points to {'/'.join(kinds)} {token}; the file has none"
                found += matching
        for quoted in re.findall(r'text \("([^"]+)"\)', where):
            assert any(quoted in e.text for e in found), f"SOURCES.md: no event it names says {quoted!r}"
        references = re.findall(r"`(\w+)`", where)
        if found and all(r in EVENT_KINDS for r in references):
            cars = {car for e in found for car in e.cars}
            named = {key for surname, key in surnames.items() if re.search(rf"\b{surname}\b", fact)}
            assert named <= cars, f"SOURCES.md: {fact[:50]!r}: {sorted(named - cars)} in none of the events it names"
