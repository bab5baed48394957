"""Shared helpers: a minimal valid race, and a way to write variations of it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HOMESTEAD = ROOT / "races" / "2025-trucks-homestead.yaml"

MINIMAL = """\
race:
  series: Test Series
  name: Test 200
  track: Test Speedway
  date: 2025-01-02
  laps: 10
  stage_ends: [3, 6, 10]
sources:
  s1: {title: A report}
entries:
  - {number: "07", driver: Seven Oh}
  - {number: "7", driver: Seven}
  - {driver: No Number}
"""


@pytest.fixture
def write_race(tmp_path: Path):
    """Write MINIMAL plus extra YAML (dedented) to a file and return its path."""

    def write(extra: str = "", base: str = MINIMAL, name: str = "race.yaml") -> Path:
        path = tmp_path / name
        path.write_text(base + textwrap.dedent(extra), encoding="utf-8")
        return path

    return write
