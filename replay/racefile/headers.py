"""Read what the picker shows of a race file without reading all of it: its header sections.

Race files, hand-written and imported alike, begin with ``format``, ``race``, ``sources`` and
``entries``. Only those are read: the file up to the next top-level key, parsed by the safe
reader and checked as the loader checks them. A file laid out otherwise, or one with a problem
there, is read and checked in full, so that a broken file shows the loader's own first error.
A problem further on is found when the race is opened.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..core.model import RaceInfo
from .checks import Checker
from .index import picker_info
from .loader import build_race, check_file
from .yamlsafe import MAX_BYTES, YamlProblem, parse

HEADER_KEYS = (b"format", b"race", b"sources", b"entries")
REQUIRED = {b"race", b"sources", b"entries"}
CHUNK = 16 * 1024
MAX_HEADER = 1024 * 1024  # a header longer than this is read with the rest of the file
_TOP_KEY = re.compile(rb"^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?=[ \t\r\n]|$)", re.MULTILINE)


def read_header(path: Path, whole: bool = False) -> tuple[RaceInfo | None, int, str | None]:
    """``path``'s picker info and number of entries, or ``(None, 0, its first error)``; the error
    without the path (``14:1: unknown key ...``). ``whole``: check all of the file."""
    text = None if whole else header_text(path)
    if text is not None:
        try:
            data = parse(text)
        except YamlProblem:
            data = None
        race = build_race(data, Checker(), str(path)) if data is not None else None
        if race is not None:
            return picker_info(race.info), len(race.entries), None
    report = check_file(path, audit=False)
    if report.race is None:
        first = report.errors[0] if report.errors else "cannot be read"
        return None, 0, first.removeprefix(f"{path}:")
    return picker_info(report.race.info), len(report.race.entries), None


def header_text(path: Path) -> str | None:
    """The file up to its first top-level key after the header sections, or None where that is not
    simply so (the sections missing, repeated or elsewhere; not UTF-8 text; too big)."""
    try:
        with path.open("rb") as stream:
            if os.fstat(stream.fileno()).st_size > MAX_BYTES:
                return None
            data = b""
            while len(data) <= MAX_HEADER:
                chunk = stream.read(CHUNK)
                data += chunk
                end = _header_end(data, complete=not chunk)
                if end == -1:
                    return None
                if end is not None:
                    head = data[:end]
                    return None if b"\x00" in head else head.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    return None


def _header_end(data: bytes, complete: bool) -> int | None:
    """Where the header sections end in ``data``; -1 where they are not all first; None when more
    of the file is needed (unless ``complete``: then the whole file is header)."""
    seen: set[bytes] = set()
    for match in _TOP_KEY.finditer(data):
        key = match[1]
        if key in seen:
            return -1
        if key in HEADER_KEYS:
            seen.add(key)
            continue
        return match.start() if REQUIRED <= seen else -1
    return len(data) if complete else None
