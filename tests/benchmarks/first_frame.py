"""Child process for the benchmark: start, load, render the first frame, report, exit.

``python -m tests.benchmarks.first_frame replay RACE.yaml`` or ``... bare``. Prints one line,
``frame <perf_counter at the first frame> rss_kb <peak resident memory> loader_rss_kb <the same, of the
child that loaded the race>``.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path


def peak_rss_kb() -> int:
    """This process's own peak resident memory. Linux carries ``ru_maxrss`` across fork and exec,
    so it would include whatever the benchmark process held when it started this one; VmHWM is
    this program's alone."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    mode = sys.argv[1]
    if mode == "replay":  # the path `race-replay RACE.yaml` takes: the race loads while Textual imports
        from replay.cli import viewer_app

        app = viewer_app(Path(sys.argv[2]), transient=False)
        from replay.viewer.screens import ReplayScreen  # after: importing it first would import Textual before the fork
        ready = lambda: isinstance(app.screen, ReplayScreen)  # noqa: E731
    else:
        from textual.app import App
        from textual.widgets import Static

        class Bare(App):
            def compose(self):
                yield Static("one static")

        app = Bare()
        ready = lambda: True  # noqa: E731

    original = app._display

    def display(screen, update) -> None:  # the first frame that shows the screen we want
        original(screen, update)
        if update is not None and ready() and not getattr(app, "_bench_done", False):
            app._bench_done = True
            rss = peak_rss_kb()
            loader_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the preloading child
            print(f"frame {time.perf_counter():.6f} rss_kb {rss} loader_rss_kb {loader_rss}", flush=True)
            app.exit()

    app._display = display
    app.run(headless=True, size=(120, 40))


if __name__ == "__main__":
    main()
