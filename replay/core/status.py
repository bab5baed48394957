"""A car's status at a lap, as a value: what the engine knows, not words (core/labels.py makes those)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class StatusKind(str, Enum):
    """What a car is doing at a lap, as far as the sources say."""

    RUNNING = "running"
    PIT = "pit"
    OUT = "out"
    UNKNOWN = "unknown"  # the timing data no longer places it: stopped, or laps behind
    DISQUALIFIED = "disqualified"


@dataclass(frozen=True)
class CarStatus:
    """A car's status at a lap, as known then: its kind, and what goes with it."""

    kind: StatusKind
    reason: str | None = None  # out: why ("accident", "did not start"); disqualified: when ("after the race")
    since: int | None = None  # out: the lap from which it is known to be out (None: known only at the finish)
    last_seen: int | None = None  # unknown: the last lap the timing data placed it (None: not said)


RUNNING = CarStatus(StatusKind.RUNNING)
PIT = CarStatus(StatusKind.PIT)
UNKNOWN = CarStatus(StatusKind.UNKNOWN)
