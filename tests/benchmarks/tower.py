"""The timing tower's motion and race-pace playback, for ``run.py``.

``measure_glide_frames(path, n)``: CPU time of each frame of the board's glide (issue 22 §3), from
the clock moving it on until the frame is turned into terminal output, over ``n`` frames (the glides
of successive → presses, on the tests' hand-moved clock so that only the frames themselves are timed;
frames in which no row changed line repaint nothing and are not counted).
``measure_pace_drift(path, laps)``: plays ``laps`` laps at race pace on the real clock (the pace sped
up so that they take about three seconds) and returns how late the last of them appeared against the
time it was due, in seconds.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from replay.core.engine import Timeline
from replay.racefile.loader import load_race
from replay.viewer.app import ReplayApp
from tests.benchmarks.run import SIZE, count_frames, until_drawn
from tests.clock import HandClock
from widgets import Leaderboard


async def _glide_frames(path: Path, n: int) -> list[float]:
    from replay.viewer.screens.tower import GLIDE_FRAMES, GLIDE_SECONDS

    clock = HandClock()
    app = ReplayApp(Timeline(load_race(path)), clock=clock)
    app.animation_level = "full"
    frames = count_frames(app)
    samples: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board = app.screen.query_one(Leaderboard)
        while len(samples) < n:
            await pilot.press("right")
            await pilot.pause()
            for _ in range(GLIDE_FRAMES):
                before = frames[0]
                start = time.process_time()
                clock.advance(GLIDE_SECONDS / GLIDE_FRAMES)
                if not board._repaint_required:  # no row changed line in this frame: nothing to draw, not counted
                    continue
                await until_drawn(frames, before, "a glide frame")
                samples.append(time.process_time() - start)
    return samples[:n]


def measure_glide_frames(path: Path, n: int) -> list[float]:
    return asyncio.run(_glide_frames(path, n))


async def _pace_drift(path: Path, laps: int) -> float:
    timeline = Timeline(load_race(path))
    if laps > timeline.final_lap:
        raise ValueError(f"{path}: {laps} laps of race pace asked of a race of {timeline.final_lap}")
    app = ReplayApp(timeline, transient=False, pace=1.0)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.pacer.speed = (screen.pacer.pace.time_of(laps) / 3.0)  # about three seconds for them all
        screen.pacer.start(0.0)
        due = time.monotonic() + screen.pacer.pace.time_of(laps) / screen.pacer.speed
        while screen.lap < laps:
            if time.monotonic() > due + 30:
                raise RuntimeError(f"race pace reached lap {screen.lap} of {laps}, 30 s after the last was due")
            await asyncio.sleep(0.001)
        late = time.monotonic() - due
        await pilot.pause()
    return late


def measure_pace_drift(path: Path, laps: int = 100) -> float:
    return asyncio.run(_pace_drift(path, laps))
