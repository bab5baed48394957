"""A step with the lap chart open (``c``), timed as ``run.py`` times a step of the replay screen.

    python -m tests.benchmarks.chart [--laps 500] [--cars 40] [--steps 200] [--rounds 3]

``measure_chart_steps(path, n)`` opens the race at the grid, opens the chart and presses → ``n``
times: process CPU time from the key press until its frame has been turned into terminal output,
each step checked to have drawn a frame and to show the next lap (see ``run._timed_keys``). Run as a
module it measures the chart's steps against the replay's own (``run.measure_steps``) on a synthetic
race, with the bare app's floor beside them, in interleaved rounds (``run.best_round``); the chart's
steps are judged against the 40-car step budget (16.7 ms at p95).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from replay.core.engine import Timeline
from replay.racefile.loader import load_race
from replay.viewer.app import ReplayApp
from tests.benchmarks.run import SIZE, best_round, count_frames, measure_floor, measure_steps, summary, until_drawn
from tests.benchmarks.synthetic import synthetic_race

BUDGET = 1 / 60  # the 40-car step's budget in run.py


async def _timed_chart_steps(app: ReplayApp, n: int, opening: tuple[str, ...] = ("c",)) -> list[float]:
    """CPU time from each → on the open chart (opened by the keys ``opening``) to its frame on the display."""
    from replay.viewer.screens.chart import LapChartScreen
    from widgets.lap_chart import LapChartView

    frames = count_frames(app)
    samples = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*opening)
        await pilot.pause()
        screen = app.screen
        if not isinstance(screen, LapChartScreen):
            raise RuntimeError("c did not open the lap chart")
        start_lap = screen.lap
        for i in range(n):
            before = frames[0]
            start = time.process_time()
            await pilot.press("right")
            await until_drawn(frames, before, f"step {i}")
            samples.append(time.process_time() - start)
            chart = screen.query_one(LapChartView).chart
            if chart is None or chart.lap != start_lap + i + 1:
                raise RuntimeError(f"step {i}: the chart does not show lap {start_lap + i + 1}")
    return samples


def measure_chart_steps(path: Path, n: int, lap_times: bool = False) -> dict:
    """Median and p95 of ``n`` steps forward with the chart open (``lap_times``: its lap-time view)."""
    app = ReplayApp(Timeline(load_race(path)), transient=False)
    return summary(asyncio.run(_timed_chart_steps(app, n, ("c", "t") if lap_times else ("c",))))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--laps", type=int, default=500)
    parser.add_argument("--cars", type=int, default=40)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args(argv)
    path = Path(tempfile.mkdtemp(prefix="race-replay-chart-")) / "race.yaml"
    path.write_text(synthetic_race(options.laps, options.cars, 2000, 200))
    rounds: dict[str, list[dict]] = {"floor: bare label step": [], "replay step": [], "chart step": [],
                                     "chart step, lap times": []}
    for _ in range(options.rounds):
        rounds["floor: bare label step"].append(measure_floor(options.steps))
        rounds["replay step"].append(measure_steps(path, options.steps))
        rounds["chart step"].append(measure_chart_steps(path, options.steps))
        rounds["chart step, lap times"].append(measure_chart_steps(path, options.steps, lap_times=True))
    print(f"{options.laps} laps x {options.cars} cars, {options.steps} steps, best of {options.rounds} rounds (ms)")
    over = False
    for name, figures in rounds.items():
        best = best_round(figures)
        over |= name.startswith("chart") and best["p95"] > BUDGET
        print(f"{name:<24}median {best['median'] * 1000:6.2f}  p95 {best['p95'] * 1000:6.2f}  "
              f"rounds {' '.join(f'{m * 1000:.2f}' for m in best['round_medians'])}")
    print(f"chart steps, budget p95 <= {BUDGET * 1000:.1f} ms: {'MISSED' if over else 'ok'}")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
