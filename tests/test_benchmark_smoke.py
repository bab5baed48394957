"""The benchmark keeps working: its races are valid and a quick run reports every figure.
(No timing is asserted here: speed is read from the benchmark's printed figures.)"""

from __future__ import annotations

import json

from replay.racefile.loader import check_text
from tests.benchmarks import run
from tests.benchmarks.synthetic import synthetic_race


def test_synthetic_races_are_valid_and_complete():
    text = synthetic_race(30, 8, events=40, quotes=10)
    report = check_text(text, "synthetic")
    assert report.errors == [] and report.warnings == []
    race = report.race
    assert race.complete and len(race.events) == 40 and len(race.quotes) == 10
    assert synthetic_race(30, 8, events=40, quotes=10) == text  # fixed seed


def test_quick_run_reports_every_figure(tmp_path):
    out = tmp_path / "bench.json"
    assert run.main(["--quick", "--json", str(out)]) == 0
    results = json.loads(out.read_text())
    names = [figure["name"] for figure in results["figures"]]
    assert names == ["load 60x40", "load 60x200", "state_at per call", "first frame", "step, 40 cars",
                     "step, 200 cars", "jump Home<->End", "floor: bare label step"]
    assert all(figure["median"] > 0 and figure["p95"] >= figure["median"] for figure in results["figures"])
    assert results["memory"]["peak_rss_mb"] > 0
