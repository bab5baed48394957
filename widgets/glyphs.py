"""The symbols the widgets draw, with fallbacks for terminals that cannot draw them.

A UTF-8 terminal gets the full set. The Linux console (``TERM=linux``) has only its VGA font's
symbols (box drawing, blocks, a few arrows): heavy lines and quadrants fall back to what it has.
A terminal whose locale is not UTF-8 (``LANG=C``) gets plain ASCII. ``RACE_REPLAY_GLYPHS`` set
to ``unicode``, ``console`` or ``ascii`` chooses one by hand.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from replay.core.plain import TO_ASCII


@dataclass(frozen=True)
class Glyphs:
    name: str
    flag_bar: str  # a lap of the scrubber so far
    future: str  # a lap still to come
    cursor: str
    incident: str
    stage_many: str  # a stage tick past stage 9
    checkered: str
    gained: str
    lost: str
    dash: str  # laps led not known; a run of places ("3–12")
    ellipsis: str
    separator: str  # before the key bar's palette key
    open_quote: str
    close_quote: str
    box: str  # corners and edges of a banner: top-left, top, top-right, side, bottom-left, bottom-right
    compact_edges: str  # the two ends of a one-line banner
    plain: dict[int, str] = field(default_factory=dict)  # text drawn is translated through this


CONSOLE_SAFE = str.maketrans({"…": "~", "▏": "|", "⇧": "^", "⏸": "||", "▶": ">", "—": "-", "–": "-",
                              "‘": "'", "’": "'", "“": '"', "”": '"'})


UNICODE = Glyphs("unicode", "━", "─", "█", "•", "┃", "▚▞", "▲", "▼", "–", "…", "▏", "“", "”", "┏━┓┃┗┛", "▌▐")
CONSOLE = Glyphs("console", "═", "─", "█", "•", "║", "##", "▲", "▼", "-", "~", "│", '"', '"', "╔═╗║╚╝", "▌▐",
                 CONSOLE_SAFE)
ASCII = Glyphs("ascii", "=", "-", "#", "*", "|", "##", "^", "v", "-", "~", "|", '"', '"', "+-+|++", "[]", TO_ASCII)
# a browser page (``serve``): its fonts often lack ⏸ (a box in Chromium's monospace fallback)
BROWSER = replace(UNICODE, name="browser", plain=str.maketrans({"⏸": "||"}))
SETS = {glyphs.name: glyphs for glyphs in (UNICODE, CONSOLE, ASCII, BROWSER)}


def choose(environ: Mapping[str, str]) -> Glyphs:
    """The set this terminal can draw, from its environment."""
    asked = environ.get("RACE_REPLAY_GLYPHS", "").lower()
    if asked in SETS:
        return SETS[asked]
    locale = environ.get("LC_ALL") or environ.get("LC_CTYPE") or environ.get("LANG") or ""
    if environ.get("LC_CTYPE") == "C.UTF-8" and not environ.get("LC_ALL") and environ.get("LANG") in ("C", "POSIX"):
        locale = environ["LANG"]  # Python coerced the C locale to C.UTF-8 (PEP 538); the terminal's is LANG's
    if locale and "utf-8" not in locale.lower() and "utf8" not in locale.lower():
        return ASCII
    if environ.get("TERM") == "linux":
        return CONSOLE
    return UNICODE


GLYPHS = choose(os.environ)
