"""Where NASCAR's own files contradict each other, say so: in the event a reader sees at the lap,
and as a dispute (shown at the finish) naming both versions and the one used."""

from __future__ import annotations

import re
from typing import Any

from ..base import Warn
from .files import Driver

STAGE_WIN = re.compile(r"#(\w+) wins stage (\d+)", re.IGNORECASE)


def stage_winner_disputes(events: list[dict[str, Any]], stages: dict[int, dict[str, Any]],
                          drivers: dict[str, Driver], warn: Warn) -> list[dict[str, Any]]:
    """A lap note "#2 wins stage 1" against stage points that give stage 1 to #21 (Atlanta 2023):
    the note gets a remark, and a dispute records both. The stage points are used."""
    disputes = []
    for event in events:
        match = STAGE_WIN.search(event["text"]) if event.get("sources") == ["lap-notes"] else None
        if not match:
            continue
        noted, stage = match[1], int(match[2])
        official = next((r["car"] for r in stages.get(stage, {}).get("results", []) if r["pos"] == 1), None)
        if official is None or official == noted or noted not in drivers or official not in drivers:
            continue
        event["text"] += f" (NASCAR's stage points give stage {stage} to #{official}; the replay uses them)"
        warn(f"stage {stage} winner: lap-notes.json says #{noted}, live-stage-points.json #{official}; "
             "using live-stage-points.json, both kept as a dispute")
        disputes.append({
            "topic": f"Stage {stage} winner",
            "versions": [{"says": f"{drivers[official].driver} (#{official}), NASCAR's stage points",
                          "sources": ["live-stage-points"]},
                         {"says": f"{drivers[noted].driver} (#{noted}), the lap note at lap {event['lap']}",
                          "sources": ["lap-notes"]}],
            "used": 1,
            "why": "The stage points are NASCAR's classification of the stage, with the points it awarded; "
                   "a lap note is written live during the race. The note is kept as written.",
        })
    return disputes


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
