"""Load and validate a race timeline file, reporting every problem as ``file:line:col: message``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

from ..core.errors import RaceFileError
from ..core.model import Race
from .checks import Checker, Problem
from .context import Context
from .header import parse_entries, parse_race, parse_sources
from .laps import (
    parse_flags,
    parse_leaders,
    parse_loop_data,
    parse_running_order,
    parse_stage_results,
)
from .story import parse_disputes, parse_events, parse_quotes, parse_results, parse_standings
from .yamlsafe import YamlProblem, locate, parse, read_text

FORMAT_VERSION = 1
TOP_LEVEL = (
    "format", "race", "sources", "entries", "running_order", "lap_times", "laps_down", "race_times", "leaders", "flags",
    "stage_results", "events", "quotes", "results", "standings", "disputes", "loop_data",
)
REQUIRED = ("race", "sources", "entries")


@dataclass
class Report:
    """The outcome of checking one file: the race (if it loaded) and every message about it."""

    race: Race | None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def load_race(path: str | FilePath) -> Race:
    """Load a race file, raising :class:`RaceFileError` listing all its errors."""
    report = check_file(path, audit=False)
    if report.race is None:
        raise RaceFileError(report.errors)
    return report.race


def check_file(path: str | FilePath, audit: bool = True) -> Report:
    """Read, parse and validate a race file; with ``audit``, also cross-check it (warnings)."""
    path = FilePath(path)
    try:
        text = read_text(path)
    except YamlProblem as problem:
        where = f"{path}:{problem.line}:{problem.column}" if problem.line else str(path)
        return Report(None, [f"{where}: {problem.message}"])
    return check_text(text, str(path), audit)


def check_text(text: str, name: str, audit: bool = True) -> Report:
    """Validate race YAML held in memory (``name`` labels the messages)."""
    try:
        data = parse(text)
    except YamlProblem as problem:
        where = f"{name}:{problem.line}:{problem.column}" if problem.line else name
        return Report(None, [f"{where}: {problem.message}"])
    check = Checker()
    race = build_race(data, check, name)
    if race is not None and audit and not any(not p.warning for p in check.problems):
        from ..core.engine import Timeline  # the audit needs the per-lap index
        from .audit import audit as audit_timeline

        check.problems.extend(audit_timeline(Timeline(race)))
    errors, warnings = _format(name, text, check.problems)
    return Report(None if errors else race, errors, warnings)


def build_race(data: Any, check: Checker, path: str = "") -> Race | None:
    """Turn parsed YAML into a :class:`Race`, recording problems in ``check``."""
    if not isinstance(data, dict):
        check.error((), "a race file is a mapping with `race`, `sources` and `entries` at the top")
        return None
    for key in data:
        if key not in TOP_LEVEL:
            check.unknown_key((), key, TOP_LEVEL, "the race file")
    for key in REQUIRED:
        if key not in data:
            check.error((), f"the race file is missing its `{key}` section")
    if data.get("format", FORMAT_VERSION) != FORMAT_VERSION:
        check.error(("format",), f"format {data['format']!r} is not supported; this version reads format 1")
    ctx = Context(check)
    info = parse_race(ctx, data.get("race"))
    if info is None:
        return None
    ctx.final_lap = info.final_lap
    sources = parse_sources(ctx, data.get("sources"))
    entries = parse_entries(ctx, data.get("entries"))
    race = Race(
        info=info,
        sources=sources,
        entries=entries,
        orders=parse_running_order(ctx, data.get("running_order"), data.get("lap_times"),
                                   data.get("laps_down"), data.get("race_times")),
        leaders=parse_leaders(ctx, data.get("leaders")),
        flags=parse_flags(ctx, data.get("flags")),
        stage_results=parse_stage_results(ctx, data.get("stage_results"), len(info.stage_ends)),
        events=parse_events(ctx, data.get("events")),
        quotes=parse_quotes(ctx, data.get("quotes")),
        results=parse_results(ctx, data.get("results")),
        standings=parse_standings(ctx, data.get("standings")),
        disputes=parse_disputes(ctx, data.get("disputes")),
        loop_data=parse_loop_data(ctx, data.get("loop_data")),
        path=path,
    )
    return None if any(not p.warning for p in check.problems) else race


def _format(path: str, text: str, problems: list[Problem]) -> tuple[list[str], list[str]]:
    places = locate(text, (p.path for p in problems))
    errors, warnings = [], []
    for problem in sorted(problems, key=lambda p: places[p.path]):
        line, column = places[problem.path]
        if problem.warning:
            warnings.append(f"{path}:{line}:{column}: warning: {problem.message}")
        else:
            errors.append(f"{path}:{line}:{column}: {problem.message}")
    return errors, warnings
