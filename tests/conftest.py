"""Shared helpers: a minimal valid race, and a way to write variations of it."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

# The glyph set follows the terminal's locale (widgets/glyphs.py): fix it, so that no test (the
# snapshots above all) depends on the machine's LANG. Tests of the other sets choose them themselves.
os.environ["RACE_REPLAY_GLYPHS"] = "unicode"

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
entries:  # known from the grid: no other fact names them (docs/FORMAT.md, "Known from")
  - {number: "07", driver: Seven Oh, known_from: 0}
  - {number: "7", driver: Seven, known_from: 0}
  - {driver: No Number, known_from: 0}
"""


@pytest.fixture(autouse=True)
def own_user_folders(tmp_path_factory, monkeypatch) -> Path:
    """No test reads or writes the user's own folders (notes, fetched races, the picker's index,
    downloaded feeds), nor asks a real feed server: each test has its own."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("RACE_REPLAY_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("RACE_REPLAY_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("RACE_REPLAY_CONFIG_DIR", str(base / "config"))  # the settings
    monkeypatch.setenv("RACE_REPLAY_FEED_URL", "http://127.0.0.1:9")  # the discard port: nothing answers
    return base


@pytest.fixture
def data_dir(own_user_folders: Path) -> Path:
    """The test's own data folder (notes, fetched races, prep sheets): RACE_REPLAY_DATA_DIR."""
    return own_user_folders / "data"


@pytest.fixture
def articles():
    """For tests that read the source articles in ``../shared/`` beside the checkout: they skip
    without it, except under CI, which must have it."""
    if not (ROOT.parent / "shared").is_dir():
        if os.environ.get("CI"):
            pytest.fail("CI must have ../shared/ beside the project to check races against their sources")
        pytest.skip("../shared/ (the source articles) is not beside this checkout")


@pytest.fixture
def write_race(tmp_path: Path):
    """Write MINIMAL plus extra YAML (dedented) to a file and return its path."""

    def write(extra: str = "", base: str = MINIMAL, name: str = "race.yaml") -> Path:
        path = tmp_path / name
        path.write_text(base + textwrap.dedent(extra), encoding="utf-8")
        return path

    return write


def cells(strip) -> list[tuple[str, object]]:
    """A drawn line cell by cell, each with its style: widgets join neighbouring cells of one
    style into one segment, so a test that counts segments would count how they were joined."""
    return [(cell, segment.style) for segment in strip for cell in segment.text]


def screen_text(app) -> str:
    """Everything on screen as plain text, read back from Textual's own screenshot (each run of
    text is placed at its column: the SVG leaves out blank runs)."""
    import html
    import re

    cell = 12.2  # width of one terminal cell in Textual's SVG export
    rows: dict[float, dict[int, str]] = {}
    for match in re.finditer(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', app.export_screenshot()):
        rows.setdefault(float(match[2]), {})[round(float(match[1]) / cell)] = html.unescape(match[3])
    lines = []
    for _, runs in sorted(rows.items()):
        line = ""
        for column, text in sorted(runs.items()):
            line = line.ljust(column) + text.replace("\xa0", " ")
        lines.append(line.rstrip())
    return "\n".join(lines)


@pytest.fixture
def race(tmp_path: Path) -> Path:
    """A copy of a race in the test's own folder: for ``served``, whose app processes its path marks."""
    copy = tmp_path / "race.yaml"
    copy.write_bytes(HOMESTEAD.read_bytes())
    return copy


@pytest.fixture
def served(race: Path):
    """``race-replay serve RACE OPTIONS`` in a subprocess; afterwards, no app process of it may be left."""
    from tests.serving import GONE_SECONDS, Served, wait_for_no_processes

    servers: list[Served] = []

    def serve(*options: str) -> Served:
        servers.append(Served(str(race), *options))
        return servers[-1]

    yield serve
    for server in servers:
        server.close()
    assert wait_for_no_processes(str(race.parent), GONE_SECONDS) == []
