"""The race's own pace: when, from the green flag, the leader completed each lap.

Playback at race pace shows lap N + 1 as long after lap N as the leader took to run lap N + 1
(caution laps included), so that the viewer can follow a recorded broadcast. The leader's race
time at lap N is the sum of the lap times of the car leading each lap; a lap whose leader has no
time takes the fastest time given at that lap, or failing that the lap before's.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence


class RacePace:
    """``times[n]``: seconds from the start to the leader's completion of lap n (``times[0]`` = 0)."""

    def __init__(self, leaders: Sequence[str | None], lap_times: Sequence[dict[str, float]]) -> None:
        times, total, last = [0.0], 0.0, None
        self.available = any(lap_times[1:]) if len(lap_times) > 1 else False
        for lap in range(1, len(leaders)):
            given = lap_times[lap] if lap < len(lap_times) else {}
            leader = leaders[lap]
            seconds = given.get(leader) if leader is not None else None
            if seconds is None:
                seconds = min(given.values()) if given else last
            last = seconds if seconds is not None else last
            total += seconds or 0.0
            times.append(total)
        self.times = times

    def time_of(self, lap: int) -> float:
        return self.times[max(0, min(lap, len(self.times) - 1))]

    def lap_at(self, seconds: float) -> int:
        """The last lap the leader had completed ``seconds`` after the start (never one after)."""
        return max(0, bisect_right(self.times, seconds + 1e-9) - 1)
