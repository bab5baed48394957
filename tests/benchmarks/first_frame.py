"""Child process for the benchmark: start, load, render the first frame, report, exit.

``python -m tests.benchmarks.first_frame replay RACE.yaml`` or ``... bare``. Prints one line,
``frame <seconds since this process's interpreter started> rss_kb <peak resident memory>``.
"""

from __future__ import annotations

import resource
import sys
import time


def main() -> None:
    mode = sys.argv[1]
    from textual.app import App
    from textual.widgets import Static

    if mode == "replay":
        from replay import Timeline, load_race
        from replay.app import ReplayApp
        from replay.screens import ReplayScreen

        app: App = ReplayApp(Timeline(load_race(sys.argv[2])), transient=False)
        ready = lambda: isinstance(app.screen, ReplayScreen)  # noqa: E731
    else:
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
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(f"frame {time.perf_counter():.6f} rss_kb {rss}", flush=True)
            app.exit()

    app._display = display
    app.run(headless=True, size=(120, 40))


if __name__ == "__main__":
    main()
