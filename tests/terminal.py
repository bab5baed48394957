"""The real ``race-replay`` command in a pseudo-terminal, for tests of what only a real run shows
(a note outliving ``kill -9``, a race resuming after ``q``)."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tests.conftest import ROOT


class Terminal:
    """The viewer's terminal: what it drew so far (``seen``), and keys typed into it."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self.fd, self.seen = pid, fd, bytearray()
        self.status: int | None = None
        self.closed = False  # its end of the terminal

    def plain(self) -> bytes:
        """What was drawn, without the escape sequences (colours, cursor moves) between its runs."""
        return re.sub(rb"\x1b\[[0-9;?<>=$]*[a-zA-Z~]", b"", bytes(self.seen))

    def write(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def wait_for(self, until: Callable[[], bool] | bytes, timeout: float = 30.0) -> bool:
        """Read the output (the app blocks if nobody does) until ``until`` (output holding those
        bytes, or a condition) or the timeout; whether it came."""
        done = (lambda: until in self.seen) if isinstance(until, bytes) else until
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if done():
                return True
            if self.closed:  # the app has gone: what is left to wait for is its exit
                time.sleep(0.05)
                continue
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    self.seen.extend(os.read(self.fd, 65536))
                except OSError:
                    self.closed = True
        return done()

    def exited(self) -> bool:
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            self.status = os.waitstatus_to_exitcode(status) if pid else None
        return self.status is not None


@contextmanager
def viewer_in_terminal(*args: str, env: dict[str, str] | None = None, rows: int = 40, columns: int = 120) -> Iterator[Terminal]:
    """``race-replay ARGS`` running in a ``columns`` x ``rows`` terminal; killed at the end if it still runs."""
    env = {**os.environ, **(env or {}), "TERM": "xterm-256color", "PYTHONPATH": str(ROOT)}
    pid, fd = pty.fork()
    if pid == 0:  # the child
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
            os.execve(sys.executable, [sys.executable, "-m", "replay", *args], env)
        finally:
            os._exit(127)
    terminal = Terminal(pid, fd)
    try:
        yield terminal
    finally:
        if not terminal.exited():
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
