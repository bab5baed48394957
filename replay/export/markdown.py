"""A Markdown prep sheet of the race at one lap: the race, the leaderboard as a table, the stage
results and key events so far (a pit cycle is one line with a count), the quotes with who said
them, the statistics, the user's notes up to the lap and a section for each driver asked for.

Everything comes from the lap's state, the flags up to the lap and the notes up to it: nothing
known only later.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..core.labels import (
    NO_LAPS_YET,
    flag_label,
    gap_label,
    interval_label,
    laps_so_far_label,
    laps_to_go_label,
    other_entrants_line,
    quote_when_label,
)
from ..core.model import Entry, Event, Quote
from ..core.notes import Note, car_label, notes_at
from ..core.pits import PitCycle, group_cycles, stop_test
from ..core.state import RaceState, Row

if TYPE_CHECKING:
    from ..core.stats import RaceStats
    from . import ExportRequest

NAMED_IN_CYCLE = 8  # cars named in a pit cycle's line; the rest are counted
MOVERS = 5  # gainers, and as many losers
SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def to_markdown(request: ExportRequest) -> str:
    """The prep sheet of ``request.state.lap``."""
    state = request.state
    notes = notes_at(request.notes, state.lap)
    sections = [_heading(state), _board(state, request.drivers), _stages(state), _key_events(request),
                _quotes(state), _statistics(request), _notes(notes, state)]
    bests = request.timeline.lap_times.bests(state.lap) if request.timeline is not None else {}
    sections += [_driver(state, car, notes, bests) for car in dict.fromkeys(request.drivers) if car in state.entries]
    return "\n\n".join(section for section in sections if section) + "\n"


def inline(text: str) -> str:
    """``text`` on one line, with Markdown's special characters escaped."""
    return SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _heading(state: RaceState) -> str:
    info = state.info
    at = "the finish" if state.finished else f"lap {state.lap}"
    ends = ", ".join("?" if end is None else str(end) for end in state.stage_ends)
    facts = [info.series, info.track, info.date_label, f"{info.laps} laps scheduled" + (f" (stages end {ends})" if ends else "")]
    if info.track_length_miles:
        facts.append(f"{info.track_length_miles:g} mi {info.track_type or 'track'}")
    to_go = f" ({label})" if (label := laps_to_go_label(state)) else ""
    flag = flag_label(state) + (f" ({state.flag_reason})" if state.flag_reason else "")
    return "\n\n".join([
        f"# {inline(info.name)}: prep sheet at {at}",
        inline(" · ".join(facts)),
        f"**{inline(state.lap_label)}**{to_go} · {inline(flag)} · Stage {state.stage_label} · "
        f"Cautions {state.count_label('cautions')} · Lead changes {state.count_label('lead_changes')}",
    ])


def _board(state: RaceState, drivers: Sequence[str]) -> str:
    timed = any(row.lap_time is not None for row in state.leaderboard)
    titles = ["Pos", "Car", "Driver", "Team / make", "Led"] + (["Gap", "Int"] if timed else []) + ["Status", "Known"]
    right = {"Pos", "Led", "Gap", "Int"}
    lines = ["## Leaderboard", "", _row(titles), _row(["--:" if t in right else "---" for t in titles])]
    lines += [_row(_cells(row, state.lap, timed, row.entry.key in drivers)) for row in state.leaderboard]
    if not state.leaderboard:
        lines = ["## Leaderboard", "", "No source gives a position yet."]
    if state.unplaced:
        lines += ["", "Position unknown: " + ", ".join(
            inline(u.entry.label) + (f" ({inline(u.detail or u.status)})" if u.status != "running" else "")
            for u in state.unplaced)]
    if state.other_entrants:
        lines += ["", other_entrants_line(state.other_entrants)]
    return "\n".join(lines)


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _cells(row: Row, lap: int, timed: bool, bold: bool) -> list[str]:
    led = "-" if row.laps_led is None else str(row.laps_led)
    known = row.certainty if row.as_of == lap else f"{row.certainty} (lap {row.as_of})"
    status = row.status + (f": {row.detail}" if row.detail else "")
    driver = inline(row.entry.driver)
    gaps = [gap_label(row, marked=True) or " ", interval_label(row, marked=True) or " "] if timed else []
    return [str(row.pos), inline(row.entry.number or "?"), f"**{driver}**" if bold else driver,
            inline(row.entry.team_and_make or "-"), led, *gaps, inline(status), known]


def _stages(state: RaceState) -> str:
    lines = ["## Stage results"]
    for stage in state.stage_results:
        lap = f"lap {stage.lap}" if stage.lap is not None else "end lap not reported"
        winner = f": won by {inline(stage.winner.label)}" if stage.winner else ""
        lines += ["", f"**Stage {stage.stage}** ({lap}){winner}"]
        lines += [f"- P{p.pos} {inline(p.entry.label)}" + (f" · {p.points} pts" if p.points is not None else "")
                  for p in stage.places] or ["- results not reported"]
    return "\n".join(lines if len(lines) > 1 else [*lines, "", "No stage has ended yet."])


def _key_events(request: ExportRequest) -> str:
    """Events oldest first; the pit stops of one lap or one caution, when there are many, on one line."""
    state, timeline = request.state, request.timeline
    flags = timeline.flags[: state.lap + 1] if timeline is not None else None
    is_stop = stop_test(timeline.race.events if timeline is not None else state.events)
    lines = [_pit_cycle(item, state) if isinstance(item, PitCycle) else _event_line(item, state)
             for item in group_cycles(state.events, flags, is_stop)]
    return "\n".join(["## Key events", "", *(lines or ["None yet."])])


def _pit_cycle(cycle: PitCycle, state: RaceState) -> str:
    cars = cycle.cars
    named = ", ".join(inline(f"#{state.entries[car].number}" if state.entries[car].number else state.entries[car].driver)
                      for car in cars[:NAMED_IN_CYCLE])
    more = f" and {len(cars) - NAMED_IN_CYCLE} more" if len(cars) > NAMED_IN_CYCLE else ""
    by = f" by {len(cars)} car{'s' if len(cars) != 1 else ''}" + (f" ({named}{more})" if cars else "")
    return f"- **{cycle.lap_label}** pit cycle{' under caution' if cycle.caution else ''}: {len(cycle.events)} stops{by}"


def _event_line(event: Event, state: RaceState) -> str:
    cars = ", ".join(inline(state.entries[car].label) for car in event.cars)
    return f"- **{inline(event.lap_label)}** {event.kind.replace('_', ' ')}" + (f" · {cars}" if cars else "") + \
        f": {inline(event.text)}"


def _quotes(state: RaceState) -> str:
    if not state.quotes:
        return ""
    return "\n\n".join(["## Quotes", *(_quote(quote, state.entries) for quote in state.quotes)])


def _quote(quote: Quote, entries: Mapping[str, Entry]) -> str:
    when = quote_when_label(quote)
    car = entries.get(quote.car) if quote.car else None
    who = inline(quote.speaker) + (f" ({inline(car.label)})" if car is not None and car.driver != quote.speaker else "")
    context = f" · {inline(quote.context)}" if quote.context else ""
    return f"> “{inline(quote.text)}”\n>\n> — **{who}**, {when}{context} · source: {inline(quote.source)}"


def _statistics(request: ExportRequest) -> str:
    """The race's statistics so far (``core.stats``); what the data cannot give reads unknown."""
    if request.timeline is None:
        return ""
    from ..core.stats import stats_index

    index, state = stats_index(request.timeline), request.state
    stats, entries = index.at(state.lap), state.entries
    if not state.lap:
        return f"## Statistics\n\n{NO_LAPS_YET}"
    so_far = laps_so_far_label(state)
    lines = ["## Statistics", "", f"{so_far[0].upper()}{so_far[1:]}."]
    if stats.leaders is not None:
        named = ", ".join(inline(entries[car].label) for car in stats.leaders)
        if stats.leader_count != len(stats.leaders):  # a stated total that the running order does not bear out
            lines.append(f"- Leaders: {stats.leader_count} stated; the running order has {len(stats.leaders)} leading, "
                         f"in the order they first led: {named}")
        else:
            lines.append(f"- Leaders: {stats.leader_count}" + (f", in the order they first led: {named}" if named else ""))
    else:
        known = ", ".join(inline(entries[car].label) for car in stats.known_leaders)
        lines.append("- Leaders: unknown (the leader of some laps is not reported)"
                     + (f"; reported leading: {known}" if known else ""))
    if stats.caution_laps is None:
        lines.append("- Caution laps and green laps: unknown (the race file does not give every caution's laps)")
    else:
        estimated = " (some cautions' laps are estimated)" if stats.flag_laps_estimated else ""
        lines.append(f"- Caution laps {stats.caution_laps} · green laps {stats.green_laps}{estimated}")
    lines += _per_car(stats, entries)
    movers = index.movers(state.lap, 0)
    gained = [m for m in movers if m.gained > 0][:MOVERS]
    lost = [m for m in reversed(movers) if m.gained < 0][:MOVERS]
    if gained or lost:
        lines += ["", "Biggest movers since the start:", ""]
        lines += [f"- {inline(entries[m.car].label)}: P{m.before} → P{m.now} ({m.gained:+d})" for m in gained + lost]
    return "\n".join(lines)


def _per_car(stats: RaceStats, entries: Mapping[str, Entry]) -> list[str]:
    """A table of the cars that led, pitted or set a timed lap: laps led, pit stops, best lap."""
    led, pits, bests = stats.laps_led or {}, stats.pit_stops or {}, stats.best_laps or {}
    cars = [car for car in entries if car in led or pits.get(car) or car in bests]
    if not cars:
        return []
    cars.sort(key=lambda car: (-(led[car].total if car in led else 0), entries[car].neutral_key))
    titles = ["Driver", "Led", "Green", "Caution"] + (["Pit stops"] if stats.pit_stops is not None else []) + \
        (["Best lap"] if stats.best_laps is not None else [])
    rows = ["", _row(titles), _row(["---"] + ["--:"] * (len(titles) - 1))]
    for car in cars:
        laps = led.get(car)
        cells = [inline(entries[car].label)] + ([str(laps.total), str(laps.green), str(laps.caution)] if laps else
                                                 ["0" if stats.laps_led is not None else "-"] * 3)
        if stats.pit_stops is not None:
            cells.append(str(pits.get(car, 0)))
        if stats.best_laps is not None:
            best = bests.get(car)
            cells.append(f"{best.time:.3f} (L{best.lap})" if best else " ")
        rows.append(_row(cells))
    return rows


def _notes(notes: Sequence[Note], state: RaceState) -> str:
    if not notes:
        return ""
    return "\n".join(["## My notes", "", *(_note_line(note, state) for note in notes)])


def _note_line(note: Note, state: RaceState) -> str:
    about = car_label(note.car, state.entries)
    return f"- **{note.lap_label}**" + (f" · {inline(about)}" if about else "") + f": {inline(note.text)}"


def _driver(state: RaceState, car: str, notes: Sequence[Note], bests) -> str:
    """The driver's section; its best lap so far (``bests``: each car's) whether or not it is among
    the race's fastest."""
    entry = state.entries[car]
    lines = [f"## {inline(entry.label)}", ""]
    facts = [entry.team_and_make, "rookie" if entry.rookie else "",
             "not eligible for points" if entry.points_eligible is False else ""]
    if any(facts):
        lines += [inline(" · ".join(f for f in facts if f)), ""]
    lines.append(f"- {_standing(state, car)}")
    for stage in state.stage_results:
        place = next((p for p in stage.places if p.entry.key == car), None)
        if place is not None:
            lines.append(f"- Stage {stage.stage}: P{place.pos}" + (f", {place.points} pts" if place.points is not None else ""))
    best = bests.get(car) or next((f for f in state.fastest_laps if f.entry.key == car), None)
    if best is not None:
        lines.append(f"- Best lap: {best.time:.3f} s (lap {best.lap})")
    events = [e for e in state.events if car in e.cars]
    lines += ["", "Events:", "", *(_event_line(e, state) for e in events)] if events else ["", "No events so far."]
    quotes = [q for q in state.quotes if q.car == car or q.speaker == entry.driver]
    if quotes:
        lines += ["", "Quotes:", *(f"\n{_quote(q, state.entries)}" for q in quotes)]
    mine = [n for n in notes if n.car == car]
    if mine:
        lines += ["", "My notes:", "", *(_note_line(n, state) for n in mine)]
    return "\n".join(lines)


def _standing(state: RaceState, car: str) -> str:
    """Where the car is at the lap, and how that is known."""
    row = next((r for r in state.leaderboard if r.entry.key == car), None)
    if row is None:
        unplaced = next((u for u in state.unplaced if u.entry.key == car), None)
        status = f" ({inline(unplaced.detail or unplaced.status)})" if unplaced and unplaced.status != "running" else ""
        return f"Position unknown{status}"
    known = "reported" if row.certainty == "reported" and row.as_of == state.lap else (
        f"{row.certainty}, as of lap {row.as_of}" if row.as_of != state.lap else row.certainty)
    parts = [f"P{row.pos} ({known})", row.status + (f": {row.detail}" if row.detail else "")]
    if row.laps_led is not None:
        parts.append(f"{row.laps_led} laps led")
    if gap_label(row, marked=True):
        parts.append(f"gap {gap_label(row, marked=True)}")
    return inline(" · ".join(parts))
