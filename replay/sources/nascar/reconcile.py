"""A lap note that announces a stage win early is revealed at the stage's end. (Where the files
contradict each other, see ``stated``.)"""

from __future__ import annotations

import re
from typing import Any

STAGE_WON = re.compile(r"\bwins (?:stage (\d+)|the stage)", re.IGNORECASE)


def stage_wins_at_their_end(events: list[dict[str, Any]], ends: list[int | None]) -> None:
    """A lap note that announces a stage win before the stage ends (Atlanta 2023, lap 78: "#7 spun
    ..., #48 wins the stage", where the stage ended under that caution at lap 80) tells the winner
    early: it is revealed at the stage's end, as a window from its lap (``lap: [78, 80]``)."""
    known = [end for end in ends if end is not None]
    for event in events:
        match = STAGE_WON.search(event["text"]) if event.get("sources") == ["lap-notes"] else None
        lap = event.get("lap")
        if not match or not isinstance(lap, int):
            continue
        stage = int(match[1]) if match[1] else None
        end = (ends[stage - 1] if stage is not None and stage <= len(ends) else
               next((end for end in known if end >= lap), None) if stage is None else None)
        if end is not None and end > lap:
            event["lap"] = [lap, end]
