"""What a person may type for a lap, in the viewer's Go-to-lap box and after ``--lap``.

``91``; ``10 to go`` (counted from the scheduled distance); ``final``, ``finish`` or ``end`` (the
checkered flag); ``grid`` or ``0``. One grammar for the command line and the viewer.
"""

from __future__ import annotations

import re

FINISH_WORDS = ("final", "finish", "end", "checkered")
TO_GO = re.compile(r"(\d+)\s*(?:laps?\s*)?to\s*go", re.IGNORECASE)


class LapInputError(ValueError):
    """The text is not a lap of this race; the message says what is accepted."""


def parse_lap(text: str, scheduled: int, final_lap: int, known: int | None = None, in_progress: bool = False) -> int:
    """The lap ``text`` names in a race scheduled for ``scheduled`` laps that ended at ``final_lap``.

    A number past ``known`` (the length known so far: the schedule, or the laps reached in
    overtime) is refused whether or not the race got there: accepting it would tell. A lap past
    the end of a race cut short goes to its finish; one past the last complete lap of a race still
    running is refused, naming that lap (it is not complete yet).
    """
    known = max(scheduled, known or 0)
    typed = text.strip().lower()
    if typed in FINISH_WORDS:
        return final_lap
    if typed == "grid":
        return 0
    to_go = TO_GO.fullmatch(typed)
    if to_go:
        lap = scheduled - int(to_go[1])
        if lap < 0:
            raise LapInputError(f"{typed!r}: the race is scheduled for {scheduled} laps")
        return _run(lap, final_lap, in_progress)
    if typed.isdigit():
        lap = int(typed)
        if lap > known:
            raise LapInputError(f"lap {lap} is past the scheduled {scheduled} laps: give 0 to {scheduled}, "
                                "'N to go' or 'final'")
        return _run(lap, final_lap, in_progress)  # a race cut short ends before its schedule
    raise LapInputError(f"{text.strip()!r} is not a lap: give a number from 0 to {scheduled}, 'N to go' or 'final'")


def _run(lap: int, final_lap: int, in_progress: bool) -> int:
    if in_progress and lap > final_lap:
        raise LapInputError(f"lap {lap} is not complete yet: the race is in progress, its last complete lap is {final_lap}")
    return min(lap, final_lap)
