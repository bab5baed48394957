"""JSON numbers at the feed's precision: gaps and intervals are sums of lap times timed to the
thousandth, so no 0.26300000000446744; loop data in one number format (counts and places whole, as
the feed gives them: 53, not 53.0)."""

from __future__ import annotations

import json
import re

from replay.core.engine import Timeline
from replay.export.json_contract import render_json
from replay.racefile.loader import load_race
from tests.conftest import ROOT

ATLANTA = ROOT / "races" / "2023-xfinity-atlanta.yaml"
NOISE = re.compile(r"\d\.\d{4,}")


def test_no_float_noise_in_the_export_at_any_lap():
    timeline = Timeline(load_race(ATLANTA))
    for lap in range(0, timeline.final_lap + 1, 3):
        text = render_json(timeline.state_at(lap))
        assert not NOISE.search(text), (lap, NOISE.search(text))
    rows = json.loads(render_json(timeline.state_at(100)))["leaderboard"]
    assert any(row["gap"] for row in rows), "the gaps are there, rounded, not dropped"


def test_loop_data_is_in_one_number_format():
    timeline = Timeline(load_race(ATLANTA))
    loop = json.loads(render_json(timeline.state_at(timeline.final_lap)))["loop_data"]["21"]
    assert (loop["green_flag_passes"], loop["laps_led"], loop["average"], loop["rating"]) == (53, 103, 4.29, 141.29)
    assert all(isinstance(value, int) for key, value in loop.items() if key not in ("average", "rating"))
    assert "53.0" not in ATLANTA.read_text(encoding="utf-8").split("\nloop_data:", 1)[1]
