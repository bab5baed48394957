"""The seed races against their source articles, and their texts against the lap they are shown at.

Each test guards one kind of mistake the bundled races have had: a quote cut at the front, a text at
lap N that tells what happened later, a car in a crash it was only in contact with (or avoided), a
retirement given a cause nobody reported, a pass the running order contradicts, a source dated by a
tweet embedded in it, a race length taken from an article the race does not cite, a caution the
finish does not count, a photo caption naming another winner and no dispute saying so, a driver
out injured recorded as a car that did not start, and SOURCES.md naming events the file does not
have. The checks are generic: they read every bundled race (the article checks, every race built
from articles in ``shared/sources/``).
"""

from __future__ import annotations

import re

import pytest

from replay.core.engine import Timeline
from replay.core.model import Race
from replay.racefile.loader import load_race
from tests.seed_articles import (
    ARTICLE_RACES,
    RACES,
    clauses,
    ids,
    mentions,
    paragraphs,
    race_events,
    readable,
    squash,
    stage_end_at,
)

# -- quotes: whole sentences, whole quotations --------------------------------------------------

OPENING = "“\"‘"
CLOSING = "”\"’"
ENDS = ".!?…"


def quote_spans(race: Race, source: str) -> dict[int, list[tuple[int, int, str]]]:
    """Paragraph index -> spans of the race's quotes from ``source`` that start at a sentence start
    and end at a sentence end (or where the quotation closes, as in '"Yeah, it stinks," Heim said')."""
    paras = paragraphs(race, source)
    spans: dict[int, list[tuple[int, int, str]]] = {}
    assert race.sources[source].file, f"{source} is a web page: its text is not in the archive"
    for quote in race.quotes:
        if quote.source != source:
            continue
        text = squash(quote.text)
        placed = False
        for index, para in enumerate(paras):
            for match in re.finditer(re.escape(text), para):
                before, after = para[: match.start()].rstrip(), para[match.end():].lstrip()
                starts = not before or before[-1] in OPENING + ENDS
                ends = text[-1] in ENDS or not after or after[0] in CLOSING
                if starts and ends:
                    spans.setdefault(index, []).append((match.start(), match.end(), text))
                    placed = True
        assert placed, f"quote is not whole sentences of {source} as the article gives them: {text[:70]!r}"
    return spans


@pytest.mark.parametrize("path", ARTICLE_RACES, ids=ids)
def test_quotes_are_whole_sentences_and_whole_quotations(path, articles):
    """A quote starts where a sentence of the article starts and ends where one ends; and where the
    article splits a quotation around its attribution ('"I don't know," Larson said. "I felt ..."'),
    every part is stored: no quotation of a quoted paragraph is left out."""
    race = load_race(path)
    for source in readable(race, sorted({q.source for q in race.quotes})):
        paras = paragraphs(race, source)
        for index, spans in quote_spans(race, source).items():
            for segment in re.finditer(r"“([^”]*)(?:”|$)", paras[index]):
                start, end = segment.span(1)
                if not segment.group(1).strip():
                    continue
                assert any(s < end and start < e for s, e, _ in spans), (
                    f"{source}: the quotation {segment.group(1)[:60]!r} is part of a quoted passage that is stored, "
                    "but it is not stored itself (a quote cut at the front or back)")


# -- texts tell nothing later than their lap ----------------------------------------------------

NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
NUMBER = r"(\d+|" + "|".join(NUMBER_WORDS) + r")"
HINDSIGHT = [  # phrases that announce an outcome not known at the event's lap
    r"\bon the way to\b", r"\ben route to\b", r"\bgo(?:es)? on to\b", r"\bwould go on\b", r"\beventually\b",
    r"\blater in the (?:race|run|stage|day|night)\b", r"\bfor the rest of the\b", r"\bthe rest of the (?:race|day|night)\b",
    r"\b(?:cannot|can't|could not|couldn't) be repaired\b", r"\bbeyond repair\b", r"\bunrepairable\b",
    r"\bfinish(?:es|ed)? (?:in |at )?(?:\d+(?:st|nd|rd|th)|first|second|third)\b", r"\bfinal result\b",
]


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]


def laps_mentioned(race: Race, text: str, lap: int) -> list[tuple[int, str]]:
    """The laps a text refers to, as (lap, the words): 'lap 91', 'lap-1 crash', 'after 83 laps',
    'with 39 to go' (the race's laps - 39), '10 to go in the stage' (the stage end - 10)."""
    found = [(int(m[1]), m[0]) for m in re.finditer(r"\blaps?[ -](\d+)\b", text, re.I)]
    found += [(int(m[1]), m[0]) for m in re.finditer(r"\b(?:after|through|until|by) (\d+) laps\b", text, re.I)]
    for m in re.finditer(rf"\b{NUMBER} (?:laps? )?(?:to go|remaining|left)( in the (?:stage|segment))?", text, re.I):
        end = stage_end_at(race, lap) if m[2] else race.info.laps
        if end is not None:
            found.append((end - _number(m[1]), m[0]))
    return found


def outcome_words(race: Race, text: str, lap: int) -> list[str]:
    """Words at ``lap`` that tell a later outcome: a win (other than a pole, or a stage already
    ended), and the HINDSIGHT phrases."""
    found = []
    for m in re.finditer(r"\b(wins?|won|winning|winner|victory)\b(\W+\w+){0,3}", text, re.I):
        stage = re.search(r"\bstage (\d)|\bthe stage\b", m[0], re.I)
        ends = race.info.stage_ends
        if "pole" in m[0].lower():
            continue
        if stage:  # a stage win is known once the stage has ended: 'stage 1', or 'the stage' ending here
            end = (ends[int(stage[1]) - 1] if int(stage[1]) <= len(ends) else None) if stage[1] else \
                (lap if lap in ends else None)
            if end is not None and lap >= end:
                continue
        found.append(m[0])
    found += [m[0] for pattern in HINDSIGHT for m in re.finditer(pattern, text, re.I)]
    return found


@pytest.mark.parametrize("path", RACES, ids=ids)
def test_no_event_text_tells_a_later_lap(path):
    """An event shown at lap N (a window: at its last lap) names no later lap, and before the
    finish announces no outcome ('on the way to the stage 1 win'); an event under caution says
    nothing of the restart that has not happened ('he restarts 22nd' at the spin)."""
    race = load_race(path)
    timeline = Timeline(race)
    final = race.info.final_lap
    for event in race.events:
        if event.when == "post-race":
            continue
        lap = 0 if event.when == "pre-race" else event.lap
        where = f"{event.lap_label} {event.kind}: {event.text}"
        for later, words in laps_mentioned(race, event.text, lap):
            assert later <= lap, f"{where!r} mentions lap {later} ({words!r})"
        if lap < final:
            assert not outcome_words(race, event.text, lap), f"{where!r} tells a later outcome"
        if event.kind != "restart" and lap and timeline.state_at(lap).flag in ("yellow", "red"):
            assert not re.search(r"\brestart", event.text, re.I), f"{where!r}: the restart is still to come"


# -- cars in incidents ----------------------------------------------------------------------------

CRASH_WORDS = r"\b(crash\w*|wreck\w*|wall|spun|spins?|spinning|collect\w*|damag\w*|hit|hits|accident)\b"
NOT_IN_IT = {  # kind -> what a text says of a car that was not in the incident
    "crash": [r"(?:contact|touched|tapped|bumped|nudged) (?:\w+ )?(?:from|by) (?:the )?{name}",
              r"{name},? (?:lightly |slightly )?(?:touches|taps|bumps)", r"{name} makes (?:\w+ )?contact",
              r"{name} (?:squeezes|squeezed|slips|slipped|gets|got) through",
              r"{name} (?:avoids|avoided|escapes|escaped|misses|missed)"],
    "pit": [r"{name} (?:stays|stayed|stay) out"],
}


@pytest.mark.parametrize("path", ARTICLE_RACES, ids=ids)
def test_cars_in_crashes_crashed(path, articles):
    """A car listed in a crash is named in the event's text, not only as the one who gave contact or
    got through; and a cited article says it crashed: a clause naming it has a crash word ('The No. 17
    hit the outside wall before collecting Ben Rhodes'). 'Slight contact from the No. 44' is not one."""
    race = load_race(path)
    for event in race_events(race):
        if event.kind != "crash":
            continue
        parts = clauses(race, event.sources)
        for car in event.cars:
            where = f"{event.lap_label} crash, {car!r}"
            assert mentions(event.text, race, car), f"{where}: the text does not name the car"
            if not readable(race, event.sources):
                continue  # cited by web pages only: what they say cannot be read offline
            assert any(mentions(part, race, car) and re.search(CRASH_WORDS, part, re.I) for part in parts), (
                f"{where}: no cited article says this car crashed")


@pytest.mark.parametrize("path", ARTICLE_RACES, ids=ids)
def test_cars_in_incidents_are_not_described_as_out_of_them(path):
    """A car listed in a crash is not one the text says only gave the contact or got through; a car
    listed in a pit stop is not one the text says stayed out."""
    race = load_race(path)
    for event in race_events(race):
        for car in event.cars:
            hits = mentions(event.text, race, car)
            if not hits or event.kind not in NOT_IN_IT:
                continue
            outside = 0
            for hit in hits:
                name = re.escape(hit[0])
                if any(re.search(p.format(name=name), event.text) for p in NOT_IN_IT[event.kind]):
                    outside += 1
            assert outside < len(hits), f"{event.lap_label} {event.kind}: {car!r} is described as not in it: {event.text!r}"


# -- retirements ----------------------------------------------------------------------------------

CAUSES = (r"\b(damag\w*|crash\w*|wreck\w*|accident|engine|mechanical|electrical|transmission|overheat\w*|"
          r"brakes?|suspension|fuel|tires?|because|due to|caused)\b")


@pytest.mark.parametrize("path", RACES, ids=ids)
def test_retirements_say_no_more_than_the_results(path):
    """A retirement's text gives no cause where the car's result says the reason is not reported;
    an estimated retirement is a lap window (the laps completed say only the earliest lap); and the
    event that ends a car's race is not before the lap it is out from (laps completed + 1)."""
    race = load_race(path)
    results = {row.car: row for row in race.results}
    for event in race_events(race):
        if event.kind != "retirement":
            continue
        for car in event.cars:
            note = (results[car].note or "") if car in results else ""
            if re.search(r"not reported|not given|unknown", note, re.I):
                assert not re.search(CAUSES, event.text, re.I), (
                    f"{event.lap_label}: {event.text!r} gives a cause; the result says {note!r}")
        if event.estimated:
            assert event.first_lap is not None, f"{event.lap_label} retirement: an estimated lap is a window"
    for row in race.results:
        if row.laps is None or row.status in (None, "running", "dns") or row.laps >= race.info.final_lap:
            continue
        kinds = ("retirement", "crash") if row.status == "accident" else ("retirement",)
        ending = [e for e in race_events(race) if e.kind in kinds and row.car in e.cars]
        if ending:
            last = max(ending, key=lambda e: e.lap)
            first = last.first_lap if last.first_lap is not None else last.lap
            assert first >= row.laps + 1, (
                f"{row.car!r} completed {row.laps} laps, so the {last.kind} that ends his race is at lap "
                f"{row.laps + 1} or later, not {last.lap_label}")


@pytest.mark.parametrize("path", ARTICLE_RACES, ids=ids)
def test_did_not_start_is_what_the_article_says(path, articles):
    """A car recorded as not starting is one the article says did not start; a driver out injured
    says nothing of whether his truck started (the entry then has no number)."""
    race = load_race(path)
    for row in race.results:
        if row.status != "dns" or race.entries[row.car].number is None:
            continue
        parts = clauses(race, row.sources)
        said = [p for p in parts if mentions(p, race, row.car)]
        assert any(re.search(r"did not start|\bDNS\b|withdr[ae]w|never started|did not take the green", p, re.I)
                   for p in said), f"{row.car!r} is dns, but no cited article says the car did not start"


# -- passes and the running order -----------------------------------------------------------------

@pytest.mark.parametrize("path", RACES, ids=ids)
def test_passes_agree_with_the_running_order(path):
    """Where A passes B at lap N (a pass or lead change), B is not left placed with A behind him or
    unplaced: if the order at N places B, it places A ahead."""
    race = load_race(path)
    timeline = Timeline(race)
    for event in race_events(race):
        if event.kind not in ("pass", "lead_change") or event.first_lap is not None or len(event.cars) < 2:
            continue
        board = {row.entry.key: row.pos for row in timeline.state_at(event.lap).leaderboard}
        first, *passed = event.cars
        for car in passed:
            if car in board:
                ahead = f"P{board[first]}" if first in board else "unplaced"
                assert first in board and board[first] < board[car], (
                    f"L{event.lap} {event.kind}: {first!r} passes {car!r}, but the order at lap {event.lap} "
                    f"has {car!r} P{board[car]} and {first!r} {ahead}")
