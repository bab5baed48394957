"""The benchmark keeps working and judges what it measures: its races are valid, its statistics
and verdicts are right, a timed step fails when the screen does not show the lap it should, and the
first-frame child reports. No timing is asserted here: speed is read from the benchmark's figures."""

from __future__ import annotations

import asyncio
import json

import pytest

from replay.core.engine import Timeline
from replay.racefile.loader import check_text, load_race
from replay.viewer.app import ReplayApp
from tests.benchmarks import run
from tests.benchmarks.synthetic import synthetic_race


def test_synthetic_races_are_valid_and_complete():
    text = synthetic_race(30, 8, events=40, quotes=10)
    report = check_text(text, "synthetic")
    assert report.errors == [] and report.warnings == []
    race = report.race
    assert race.complete and len(race.events) == 40 and len(race.quotes) == 10
    assert synthetic_race(30, 8, events=40, quotes=10) == text  # fixed seed


def test_summary_and_best_round():
    assert run.summary([float(n) for n in range(20, 0, -1)]) == {"median": 10.5, "p95": 20.0, "runs": 20}
    rounds = [{"median": 3.0}, {"median": 2.0}, {"median": 4.0}]
    assert run.best_round(rounds) == {"median": 2.0, "round_medians": [3.0, 2.0, 4.0]}


def results_with(step_p95: float, memory_mb: float) -> dict:
    figures = [run.judged("step, 40 cars", {"median": 0.010, "p95": step_p95}, "p95", 1 / 60, 0.004, "16.7 ms"),
               run.judged("floor: bare label step", {"median": 0.004, "p95": 0.005}, "median", None, None, "reference")]
    return {"figures": figures, "laps": 60, "machine": {"python": "3"},
            "memory": {"peak_rss_mb": memory_mb, "budget_mb": 150, "met": memory_mb <= 150, "loader_peak_rss_mb": 1.0}}


@pytest.mark.parametrize("step_p95, memory_mb, over", [
    (0.016, 40, []), (0.017, 40, ["step, 40 cars"]), (0.016, 151, ["peak RSS"]),
])
def test_a_figure_over_its_budget_is_reported_and_fails_the_run(monkeypatch, tmp_path, capsys, step_p95, memory_mb, over):
    results = results_with(step_p95, memory_mb)
    assert results["figures"][0]["ratio"] == pytest.approx(step_p95 / 0.004)
    monkeypatch.setattr(run, "run", lambda quick: results)
    assert run.main(["--quick", "--json", str(tmp_path / "bench.json")]) == (1 if over else 0)
    out = capsys.readouterr()
    assert ("MISSED" in out.out) == bool(over) and json.loads((tmp_path / "bench.json").read_text())["figures"]
    assert out.err == (f"over budget: {', '.join(over)}\n" if over else "")


def test_a_timed_step_checks_that_the_screen_shows_the_lap(tmp_path):
    path = tmp_path / "race.yaml"
    path.write_text(synthetic_race(12, 6, events=4, quotes=2))
    timeline = Timeline(load_race(path))
    assert len(asyncio.run(run._timed_keys(ReplayApp(timeline, transient=False), ["right"], lambda i: i + 1, 3))) == 3
    with pytest.raises(RuntimeError, match="step 0: the header does not show lap 2"):
        asyncio.run(run._timed_keys(ReplayApp(timeline, transient=False), ["right"], lambda i: i + 2, 3))


def test_the_first_frame_child_reports_its_time_and_memory(tmp_path):
    path = tmp_path / "race.yaml"
    path.write_text(synthetic_race(12, 6, events=4, quotes=2))
    seconds, (viewer_kb, loader_kb) = run.first_frame_run("replay", path, run.bytecode_env(tmp_path / "bytecode"))
    assert 0 < seconds < 60 and viewer_kb > 10_000 and loader_kb > 0
