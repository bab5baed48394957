"""One page's app process: ``python -m replay.serve.child [--role host|viewer] [--lap LAP] [TARGET]``.

The server starts it without a shell, in a session of its own, with pipes for its input and
output. It must not outlive its page or its server: it ends when told to quit, when its input
closes (``driver.ServedDriver``), and when its parent is gone (on Linux the kernel sends it
SIGTERM; everywhere a watchdog thread sees its parent change). Whatever holds up a clean exit,
it is gone ``GRACE`` seconds later.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from . import SERVER_PID

if TYPE_CHECKING:
    from textual.app import App

GRACE = 2.0  # seconds a clean exit may take before the process leaves regardless
WATCH_SECONDS = 0.25  # how often the watchdog checks that the server is still there
PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Linux: have the kernel send SIGTERM when the server dies, even by SIGKILL."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # no libc to ask: the watchdog still notices
        pass


def end_soon(app: App, grace: float = GRACE) -> None:
    """Ask ``app`` to exit (from any thread), and leave outright if it has not in ``grace`` seconds."""
    from textual import messages

    if app._loop is not None:
        app.post_message(messages.ExitApp())
    timer = threading.Timer(grace, os._exit, (0,))
    timer.daemon = True
    timer.start()


def watch_parent(app: App, parent: int) -> None:
    """A daemon thread that ends ``app`` once its parent process is gone (it is adopted)."""
    def watch() -> None:
        stop = threading.Event()
        while not stop.wait(WATCH_SECONDS):
            if os.getppid() != parent:
                end_soon(app)
                return

    threading.Thread(target=watch, name="serve-watchdog", daemon=True).start()


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m replay.serve.child")
    parser.add_argument("target", nargs="?", type=Path)
    parser.add_argument("--lap", default=None, help="the lap to open at (default: where the user left the race)")
    parser.add_argument("--role", choices=("host", "viewer"))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    parent = int(os.environ.get(SERVER_PID, os.getppid()))  # the server may be pid 1 (a container)
    die_with_parent()
    if os.getppid() != parent:  # the server died before we could ask
        return 1
    options = parse(sys.argv[1:] if argv is None else argv)
    from .app import served_app

    app = served_app(options.target, options.lap, options.role)
    if isinstance(app, str):
        print(f"race-replay: {app}", file=sys.stderr)
        return 2
    watch_parent(app, parent)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
