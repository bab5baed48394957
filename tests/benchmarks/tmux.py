"""First frame in a real terminal: tmux, from the command to the race on screen (issue 22, Speed).

The headless benchmark leaves out the terminal (its size query, escape sequences, the pane's own
drawing); this starts each command in a new detached tmux session and polls the pane every 5 ms
until the expected text shows. The race and a bare Textual app are timed by turns; medians are
compared. Needs tmux on PATH (none: no figure). Each run has its own tmux server and session, named
``race-replay-bench-…`` (or ``$RACE_REPLAY_TMUX_PREFIX-…``), ended after the run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = ("from textual.app import App\nfrom textual.widgets import Static\n"
        "class Bare(App):\n    def compose(self):\n        yield Static('one static')\nBare().run()\n")


def available() -> bool:
    return shutil.which("tmux") is not None


def first_frame(command: list[str], expect: str, env: dict[str, str], timeout: float = 30.0) -> float:
    """Seconds from starting ``command`` in a 120x40 tmux pane until ``expect`` shows in it.

    Each run has a tmux server of its own (``-S``, no configuration file), started with ``env``: a
    session opened on a server already running (another user's) gets that server's environment,
    not the caller's, and would run with other settings (bytecode, folders) than asked."""
    return first_frames(command, [expect], env, timeout)[0]


def first_frames(command: list[str], expects: list[str], env: dict[str, str], timeout: float = 30.0) -> list[float]:
    """``first_frame`` for each text of ``expects``: seconds until each first shows (polled together)."""
    name = f"{os.environ.get('RACE_REPLAY_TMUX_PREFIX', 'race-replay-bench')}-{os.getpid()}-{time.monotonic_ns()}"
    socket = Path(tempfile.gettempdir()) / f"{name}.socket"
    tmux = ["tmux", "-S", str(socket), "-f", os.devnull]
    start = time.perf_counter()
    subprocess.run([*tmux, "new-session", "-d", "-s", name, "-x", "120", "-y", "40", *command], env=env, check=True)
    seen: dict[str, float] = {}
    try:
        while time.perf_counter() - start < timeout:
            shown = subprocess.run([*tmux, "capture-pane", "-p", "-t", name], capture_output=True, text=True).stdout
            for expect in expects:
                if expect not in seen and expect in shown:
                    seen[expect] = time.perf_counter() - start
            if len(seen) == len(expects):
                return [seen[expect] for expect in expects]
            time.sleep(0.005)
        missing = [expect for expect in expects if expect not in seen]
        raise RuntimeError(f"tmux: {missing[0]!r} did not show within {timeout:.0f} s")
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
        socket.unlink(missing_ok=True)


def measure(race: Path, runs: int, env: dict[str, str]) -> tuple[list[float], list[float], list[float]]:
    """The race's first frames in tmux opened before (its timeline kept in the cache, see
    ``viewer.preload``) and never opened before (an empty cache folder each time), and the bare
    app's, by turns; the first of each (bytecode, the cache) not counted."""
    replay, new, bare = [], [], []
    command = [sys.executable, "-m", "replay", str(race)]
    for run in range(runs + 1):
        seconds = first_frame(command, "Lap 0 /", env)
        with tempfile.TemporaryDirectory(prefix="race-replay-cold-") as empty:
            new_seconds = first_frame(command, "Lap 0 /", {**env, "RACE_REPLAY_CACHE_DIR": empty})
        bare_seconds = first_frame([sys.executable, "-c", BARE], "one static", env)
        if run:
            replay.append(seconds)
            new.append(new_seconds)
            bare.append(bare_seconds)
    return replay, new, bare
