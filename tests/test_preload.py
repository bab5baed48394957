"""Loading a race in a child process while Textual imports: same race, same errors, and a fallback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from replay.core.engine import Timeline
from replay.core.errors import RaceFileError
from replay.export.json_contract import to_json
from replay.racefile.loader import load_race
from replay.viewer.preload import Preload
from tests.conftest import HOMESTEAD, ROOT

ATLANTA = ROOT / "races" / "2023-xfinity-atlanta.yaml"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="this system has no fork: races load in the viewer's process")
@pytest.mark.parametrize("path", [HOMESTEAD, ATLANTA], ids=["homestead", "atlanta"])
def test_the_child_hands_over_the_race_the_parent_would_have_loaded(path):
    pending = Preload.start(path)
    assert pending.in_child  # a child process really loaded it
    direct, handed = Timeline(load_race(path)), pending.result()
    assert handed.final_lap == direct.final_lap
    for lap in sorted({0, 1, direct.final_lap // 2, direct.final_lap}):
        assert to_json(handed.state_at(lap)) == to_json(direct.state_at(lap))


def test_a_bad_file_raises_the_errors_load_race_raises(write_race):
    path = write_race("laps: lots\n")
    with pytest.raises(RaceFileError) as direct:
        load_race(path)
    with pytest.raises(RaceFileError) as handed:
        Preload.start(path).result()
    assert handed.value.lines == direct.value.lines


def test_without_fork_the_race_loads_in_this_process(monkeypatch):
    monkeypatch.delattr(os, "fork")
    pending = Preload.start(HOMESTEAD)
    assert not pending.in_child and pending.result().final_lap == 134


def run_viewer(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "replay", *args], capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)


def test_viewer_on_a_bad_file_prints_one_line_and_exits_2(write_race):
    path = write_race("laps: lots\n")
    result = run_viewer(str(path))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"race-replay: {path}:")
    assert "Traceback" not in result.stderr


def test_viewer_refuses_a_lap_outside_the_race():
    result = run_viewer(str(HOMESTEAD), "--lap", "999")
    assert result.returncode == 2 and result.stderr.startswith(f"race-replay: {HOMESTEAD}: --lap: lap 999 ")
    assert result.stderr.count("\n") == 1


def test_viewer_opens_at_the_lap_words_the_export_takes():
    """``--lap final`` was refused by the viewer although ``export`` took it."""
    from replay.cli import viewer_app

    app = viewer_app(HOMESTEAD, "final", transient=False)
    assert not isinstance(app, str) and app.start_lap == 134
    app = viewer_app(HOMESTEAD, "10 to go", transient=False)
    assert not isinstance(app, str) and app.start_lap == 124


def _same_race(handed: Timeline, path) -> None:
    direct = Timeline(load_race(path))
    for lap in sorted({0, 1, direct.final_lap // 2, direct.final_lap}):
        assert to_json(handed.state_at(lap)) == to_json(direct.state_at(lap))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the child keeps the timeline; without fork nothing is kept")
def test_a_race_opened_before_comes_from_the_cache_unchanged(tmp_path):
    path = tmp_path / "atlanta.yaml"
    path.write_bytes(ATLANTA.read_bytes())
    first = Preload.start(path)
    assert first.in_child and not first.from_cache
    first.result()
    again = Preload.start(path)
    assert again.from_cache and not again.in_child  # no child: read from the cache
    _same_race(again.result(), path)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the child keeps the timeline; without fork nothing is kept")
def test_a_changed_race_file_is_loaded_again_not_read_from_the_cache(tmp_path, write_race):
    path = tmp_path / "race.yaml"
    path.write_bytes(HOMESTEAD.read_bytes())
    Preload.start(path).result()
    path.write_bytes(ATLANTA.read_bytes())  # another race under the same name
    os.utime(path, ns=(1, 1))  # whatever the clock says
    pending = Preload.start(path)
    assert not pending.from_cache
    _same_race(pending.result(), path)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the child keeps the timeline; without fork nothing is kept")
def test_a_broken_cache_file_is_ignored(tmp_path):
    from replay.viewer.preload import cache_file, cache_key

    path = tmp_path / "homestead.yaml"
    path.write_bytes(HOMESTEAD.read_bytes())
    Preload.start(path).result()
    kept = cache_file(cache_key(path))
    kept.write_bytes(kept.read_bytes()[:len(cache_key(path)) + 1000])  # cut short
    pending = Preload.start(path)
    assert pending.from_cache  # its head still names the file: unpickling fails, the race loads
    assert pending.result().final_lap == 134
    kept.write_bytes(b"another file\n" + kept.read_bytes().partition(b"\n")[2])
    assert not Preload.start(path).from_cache
