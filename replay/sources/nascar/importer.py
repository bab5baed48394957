"""``race-replay import nascar``: NASCAR's public feed files -> a race timeline.

Any subset of the files with lap times or a weekend feed works (without either there is nothing to
replay: one line says so). Where several say the same thing the most detailed one is used and
a disagreement becomes a warning. The output is rendered deterministically (the same files give
the same bytes), validated like any race file, and only then written, atomically.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, TypedDict

from ...racefile.loader import check_text
from ..base import FeedError, Imported, ImportOptions, Notice, Warn, audit_notices, collect
from ..feed_io import in_folder
from ..render import PerLap, render
from .feeds import PARSERS, Feeds, named, parse_feeds
from .files import Driver, FlagChange, LapTimes, Note
from .folder import read_folder, recognise
from .laps import caution_reasons, codes_from_changes, compare_flags, flag_periods, leader_laps
from .leads import lead_change_events, white_with_one_to_go
from .reconcile import stage_wins_at_their_end
from .season import NAME as SEASON
from .season import listed_lengths, race_id, season_list
from .series import NAMES
from .stages import Listed, ends_from_lengths
from .stated import laps_led_by_position_disputes, stage_winner_disputes, weekend_checks
from .story import (
    events_from_notes,
    events_from_pits,
    results_and_stages,
    stage_ends_from_notes,
)
from .weekend import Weekend, finishing_order
from .weekend_race import grid, leader_spans, stated_segments, weekend_events, weekend_flags, weekend_info
from .weekend_race import stage_ends as weekend_stage_ends

LAPS_ESTIMATED = ("No file gives the race's scheduled distance: taken as the laps the timing runs to, so a race "
                  "still running, or gone to overtime, does not show as such (give --laps).")


def import_nascar(source: Path, options: ImportOptions) -> Imported:
    """Read the feed files in ``source`` and return the race file text (nothing is written)."""
    if not source.is_dir():
        raise FeedError(f"{source}: not a folder of feed files")
    return import_folder(read_folder(source), options, source.name, str(source))


def import_folder(files: Mapping[str, bytes], options: ImportOptions, folder_name: str, where: str) -> Imported:
    """``import_files`` of the files of the folder ``where`` (the path as given): an error names
    each file by its path in it, one about them all the folder."""
    try:
        return import_files(files, options, folder_name, where)
    except FeedError as error:
        raise FeedError(in_folder(str(error), files, where)) from None


def import_files(files: Mapping[str, bytes], options: ImportOptions, folder_name: str, where: str,
                 parsed: Mapping[str, Any] | None = None, listed: Listed | None = None) -> Imported:
    """The race file text from the feed files' contents by file name (``parsed``: those already
    parsed, by fetch). ``folder_name`` is what the race file's sources cite them under; ``where``
    names them in errors (a folder or a URL). ``listed``: the race's stage lengths in the season
    list fetch read (else a season list among the files gives them)."""
    folder = recognise(files, where, parsed)
    kinds = [kind for kind in PARSERS if kind in folder.found]
    names = [folder.found[kind][0] for kind in kinds]
    renamed = {kind: name for kind, name in zip(kinds, names, strict=True) if kind != name}
    feeds = parse_feeds(folder.found, renamed)
    weekend = feeds.weekend
    # a skipped row names its place in the race's record (a caution, a result): of the race
    notices = [Notice(f"weekend-feed.json: {why}", spoiler=True) for why in weekend.skipped] if weekend else []
    warn = collect(notices)
    # a season list gives the race's stage lengths where neither --stage-ends nor a weekend feed does
    wanted = bool(feeds.lap_times or weekend) and not options.stage_ends and not (weekend and weekend.stage_lengths)
    season = season_list(folder) if wanted and listed is None else None
    if season:
        listed = listed_lengths(season, race_id(folder.found, weekend), warn)
    notices[:0] = [Notice(f"{why}; left out") for why in folder.left_out
                   if not (listed and why.startswith(f"{listed.file}:"))]
    feeds.listed = listed if wanted else None
    race = _build(feeds, options, folder_name, names, warn)
    if feeds.listed:
        race["sources"][SEASON.removesuffix(".json")] = {
            "title": f"NASCAR season race list: {SEASON} (its stage lengths only)",
            "file": f"{folder_name}/{feeds.listed.file}", "spoiler_free": True}
    text = _render(race, folder_name, names + ([feeds.listed.file] if feeds.listed else []))
    report = check_text(text, "imported race")
    if report.errors:
        raise FeedError(f"{where}: the feeds do not make a valid race: {report.errors[0].split(': ', 1)[1]}")
    notices += audit_notices(report.warnings)
    return Imported(text, [n._replace(text=named(n.text, renamed)) for n in notices], names,
                    bool(race["race"].get("in_progress")))


def _build(feeds: Feeds, options: ImportOptions, folder: str, names: list[str], warn: Warn) -> dict[str, Any]:
    times, weekend, stats = feeds.lap_times, feeds.weekend, feeds.driver_stats
    changes = feeds.flag_changes or []
    if not times and not weekend:
        raise FeedError(f"{', '.join(names)}: nothing to replay: neither lap-times.json (each lap's running order) "
                        "nor weekend-feed.json (the race's record) is here")
    drivers = _drivers(feeds, warn)
    if not drivers:
        raise FeedError(f"{', '.join(names)}: no car of the race is named (no result, lap or stage place gives "
                        "a car number with its driver)")
    ids = dict(times.driver_ids) if times else {}
    ids.update({p.driver_id: p.number for p in feeds.stage_points or [] if p.driver_id})
    race = _race_info(feeds, options, warn)
    final = race.get("actual_laps", race["laps"])
    running = race.get("in_progress", False)
    out: dict[str, Any] = {"format": 1, "race": race, "sources": _sources(feeds, folder, names)}
    out["entries"] = [_entry(d) for d in drivers.values()]
    orders: dict[int, list[str]] = {}
    if times:
        per_lap = leader_laps(times, final, not running, warn)
        orders = per_lap.orders
        # one space-separated scalar per lap: a tenth of the YAML values of flow lists, as fast to read
        out["running_order"] = PerLap({lap: " ".join(cars) for lap, cars in orders.items()})
        for key in ("lap_times", "laps_down", "race_times"):
            out[key] = PerLap({lap: " ".join("~" if v is None else repr(v) for v in row)
                               for lap, row in getattr(per_lap, key).items()})
    elif weekend:
        start = grid(weekend, warn)
        out["running_order"] = {0: start} if start else {}
        out["leaders"] = leader_spans(weekend, final, warn)
    out["flags"] = _flags(times, changes, weekend, final, warn)
    notes = feeds.lap_notes or []
    results, stages = results_and_stages(feeds, ids, drivers, final, warn)
    out["stage_results"] = stages
    cautions = {lap for p in out["flags"] if p["flag"] in ("caution", "red") for lap in range(p["from"], p["to"] + 1)}
    out["events"] = events_from_notes(notes, ids, drivers, cautions, final, warn, running) + events_from_pits(
        feeds.pits or [], drivers, orders, cautions, final, warn, running)
    if times:
        out["events"] += lead_change_events(orders, out["events"], drivers, final)
    if weekend:
        events, all_changes = weekend_events(weekend, out["flags"], out.get("leaders", []), drivers, final, bool(notes))
        out["events"] += events
        if not all_changes:
            race["partial"] = sorted({*race.get("partial", []), "lead_changes"})
    out["results"] = [] if running else results  # a race still running has no result
    if stats and not running:
        loop = {ids[i]: v for i, v in stats.by_driver_id.items() if i in ids and ids[i] in drivers}
        if len(loop) < len(stats.by_driver_id):
            warn(f"live-driver-stats.json: {len(stats.by_driver_id) - len(loop)} driver(s) not matched to a car; left out")
        # whole numbers (places, counts) as the feed gives them, 53 not 53.0; averages and rating as given
        out["loop_data"] = {car: {key: int(v) if v.is_integer() else v for key, v in loop[car].items()}
                            for car in drivers if car in loop}
    if not race["stage_ends"]:
        race["stage_ends"] = _stage_ends_from_notes(notes, stages, race["laps"] if running else final, race, cautions, warn)
    out["disputes"] = stage_winner_disputes(out["events"], stages, drivers, warn)
    stage_wins_at_their_end(out["events"], race["stage_ends"])
    if running:  # an event shown from the end of its window (``lap: [from, to]``): not known yet past the last lap
        out["events"] = [e for e in out["events"] if not (isinstance(e.get("lap"), list) and e["lap"][1] > final)]
    if times:
        out["disputes"] += laps_led_by_position_disputes(orders, out["results"], drivers, final, warn)
    if weekend:
        out["disputes"] += weekend_checks(weekend, out, orders, final, drivers, warn)
    return {key: value for key, value in out.items() if value not in ({}, [], None)}


def _drivers(feeds: Feeds, warn: Warn) -> dict[str, Driver]:
    """Every car, in finishing order where known; the weekend feed (with teams) wins on names."""
    merged: dict[str, Driver] = {}
    weekend, times = feeds.weekend, feeds.lap_times
    for source_name, cars in (("weekend-feed.json", weekend.drivers if weekend else {}),
                              ("lap-times.json", times.drivers if times else {})):
        for number, driver in cars.items():
            known = merged.get(number)
            if known is None:
                merged[number] = driver
                continue
            if known.driver != driver.driver:
                warn(f"car {number}: {source_name} names {driver.driver!r}, another file {known.driver!r}; "
                     f"using {known.driver!r}", spoiler=True)  # in finishing order: of the race
            # a marker any file gives holds: the weekend feed names drivers without lap-times.json's
            # suffixes ("Tyler Reddick #" a rookie, "JJ Yeley(i)" not eligible for points)
            merged[number] = replace(known, rookie=known.rookie or driver.rookie,
                                     ineligible=known.ineligible or driver.ineligible,
                                     starred=known.starred or driver.starred, make=known.make or driver.make)
    for place in feeds.stage_points or []:
        merged.setdefault(place.number, Driver(place.number, place.driver))
    for stop in feeds.pits or []:
        if stop.number not in merged:
            warn(f"live-pit-data.json: car {stop.number} is in no other file; its stops are left out", spoiler=True)
    order = (weekend and finishing_order(weekend)) or (times and times.final_order) or []
    rank = {number: i for i, number in enumerate(order)}
    return dict(sorted(merged.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))


def _entry(driver: Driver) -> dict[str, Any]:
    entry: dict[str, Any] = {"number": driver.number, "driver": driver.driver}
    for key in ("team", "make"):
        if getattr(driver, key):
            entry[key] = getattr(driver, key)
    if driver.rookie:
        entry["rookie"] = True
    if driver.ineligible:
        entry["points_eligible"] = False
    if driver.starred:
        entry["notes"] = "The feed marks this driver's name with *."
    return entry


def _race_info(feeds: Feeds, options: ImportOptions, warn: Warn) -> dict[str, Any]:
    weekend, stats, times = feeds.weekend, feeds.driver_stats, feeds.lap_times
    changes = feeds.flag_changes or []
    timed_laps = max((lap for laps in times.laps.values() for lap, _, _ in laps), default=None) if times else None
    pick = lambda *values: next((v for v in values if v), None)  # noqa: E731
    info: dict[str, Any] = {
        "series": pick(options.series, weekend and weekend.series, stats and stats.series_id and NAMES.get(stats.series_id)),
        "name": pick(options.name, weekend and weekend.name, stats and stats.race_name),
        "track": pick(options.track, weekend and weekend.track),
        "date": pick(options.date, weekend and weekend.date, next((c.date for c in changes if c.date), None)),
        "laps": pick(options.laps, weekend and weekend.scheduled_laps, stats and stats.scheduled_laps,
                     feeds.listed and feeds.listed.scheduled),
    }
    if not info["laps"] and timed_laps:  # the distance the timing runs to: a guess, marked
        info["laps"] = timed_laps
        info["estimated"] = {"laps": LAPS_ESTIMATED}
        warn("no file gives the race's scheduled distance: give --laps (taken as the laps the timing runs to, "
             "marked estimated)")
    missing = [key for key in ("series", "name", "track", "laps") if not info[key]]
    if missing:
        flags = " ".join(f"--{key}" for key in missing if key != "laps")
        hint = f"; give {flags}" if flags else " (the laps come from the feed files themselves)"
        raise FeedError(f"the feeds do not give the race's {', '.join(missing)}{hint}")
    stated = pick(weekend and weekend.actual_laps, stats and stats.actual_laps)
    actual = stated or timed_laps
    if timed_laps and actual and timed_laps != actual:
        warn(f"lap-times.json runs to lap {timed_laps}, the race summary says {actual} laps; using {actual}", spoiler=True)
    if not stated and actual and actual < info["laps"]:
        # no summary of the race, and the laps stop short of its distance: it is still running
        # (no real lap-times file ends on a checkered flag code, so the distance decides). Its last
        # lap is complete only once the leader has completed the next (``laps.leader_laps``).
        info["in_progress"] = True
        actual -= 1
        warn(f"the feeds run to lap {actual + 1} of {info['laps']}: imported as a race in progress, to lap "
             f"{actual}, the last every car on the lead lap has completed", spoiler=True)
    if actual is not None and actual != info["laps"]:
        info["actual_laps"] = actual
    if not info["date"]:
        del info["date"]
    info["stage_ends"], why = _stage_ends(options, weekend, feeds.listed, info, warn)
    if why:
        info.setdefault("estimated", {})["stage_ends"] = why
    if weekend:
        weekend_info(weekend, info)
    partial = [name for name, known in (("cautions", times or changes or weekend),
                                        ("lead_changes", times or (weekend and weekend.leaders))) if not known]
    if partial:
        info["partial"] = partial
    return info


def _stage_ends(options: ImportOptions, weekend: Weekend | None, listed: Listed | None, info: dict[str, Any],
                warn: Warn) -> tuple[list[int | None], str | None]:
    """Stage end laps from the stage lengths: given (``--stage-ends``), the weekend feed's, or the
    season list's, in that order (before the notes, which ``_stage_ends_from_notes`` reads)."""
    if options.stage_ends:
        return list(options.stage_ends), None
    if listed:
        return ends_from_lengths(listed.lengths, listed.scheduled or info["laps"], info.get("actual_laps", info["laps"]),
                                 SEASON, warn)
    return weekend_stage_ends(weekend, warn) if weekend else ([], None)


def _stage_ends_from_notes(notes: list[Note], stages: dict[int, dict[str, Any]], final: int, race: dict[str, Any],
                           cautions: set[int], warn: Warn) -> list[int | None]:
    """The last resort, where no file gives the stage lengths: stage end laps from the notes that
    announce stage winners, marked estimated, each checked against the flags (a stage ends with a
    caution: at the note's lap or the next); else unknown."""
    # stage points list the stages before the last: the last one ends with the race
    count = max([s + 1 for s in stages] + [len(race["stage_ends"])] + [1])
    from_notes, _ = stage_ends_from_notes(notes, count, final)
    for stage, end in enumerate(from_notes[:-1], start=1):
        if end is not None and not {end, end + 1} & cautions:
            warn(f"lap-notes.json: stage {stage}'s winner is announced at lap {end}, but no caution follows it; "
                 "its end is left unknown", spoiler=True)
            from_notes[stage - 1] = None
    if any(end is not None for end in from_notes[:-1]):
        laps = ", ".join("?" if end is None else str(end) for end in from_notes[:-1])
        # said by default (the import's stage ends are a guess the user can correct), its laps only
        # with --spoilers (where the notes announce stage winners tells how the race went)
        warn("no file gives the stage lengths: stage ends estimated from the lap notes (an estimate; "
             "give the real ends as --stage-ends END1,END2,...,LAST, or put the season's "
             "race_list_basic.json beside the files)")
        warn(f"the stage ends estimated from the lap notes: lap(s) {laps}", spoiler=True)
        race.setdefault("estimated", {})["stage_ends"] = (
            "From the laps of the lap notes that announce stage winners (no file gives the stage lengths: "
            "give --stage-ends, or put the season's race_list_basic.json beside the files).")
    else:
        warn("no file gives the stage end laps (give --stage-ends); they are left unknown")
    return from_notes


def _flags(times: LapTimes | None, changes: list[FlagChange], weekend: Weekend | None, final: int,
           warn: Warn) -> list[dict[str, Any]]:
    reasons = caution_reasons(changes)
    from_changes = codes_from_changes(changes, final) if changes else {}
    if times and times.flags:
        codes = {lap: code for lap, code in times.flags.items() if 1 <= lap <= final}
        if from_changes:
            compare_flags(codes, from_changes, final, ("lap-times.json", "live-flag-data.json"), warn)
        periods = flag_periods(codes, final, reasons, "lap-times.json", warn)
    elif from_changes:
        periods = flag_periods(from_changes, final, reasons, "live-flag-data.json", warn)
    elif weekend:
        periods = weekend_flags(weekend, final, warn)
    else:
        periods = []
    if weekend and periods and (times and times.flags or from_changes):
        stated_segments(weekend, periods, final)
    return white_with_one_to_go(periods)


class _Source(TypedDict, total=False):
    """A race file's ``sources`` entry for one feed file."""

    title: str
    file: str
    spoiler_free: bool
    pit_record: bool  # the pit file: every stop of the race, even before the first


def _sources(feeds: Feeds, folder: str, names: list[str]) -> dict[str, _Source]:
    """One source per file, by the name NASCAR serves it under; ``file`` is the file as found."""
    return {kind.removesuffix(".json"): {"title": f"NASCAR timing feed: {kind}", "file": f"{folder}/{name}",
                                         "spoiler_free": True, **({"pit_record": True} if kind == "live-pit-data.json" else {})}
            for kind, name in zip(feeds.kinds, names, strict=True)}


def _render(race: dict[str, Any], folder: str, files: list[str]) -> str:
    return render(race, f"# Imported by `race-replay import nascar` from {folder}/ ({', '.join(files)}).\n"
                  "# Re-running the import on the same files gives this file byte for byte; edit the feeds'\n"
                  "# import, not this file.\n")
