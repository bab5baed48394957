"""One writer at a time for files several processes change (a race's notes, the settings).

A change is read, merge, write under the lock (``locked``): two viewers and a command line
adding notes at once each see the others' notes before writing theirs. The lock is an advisory
lock on a lock file of its own (the file it guards is replaced at every write, so it cannot hold
a lock itself): ``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows, and where neither
exists a lock file created exclusively (taken over once it is older than ``STALE_SECONDS``: its
holder died). Lock files are left in place: deleting one while another process waits on it
would let a third take a second lock.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

TIMEOUT_SECONDS = 10.0  # a holder writes one small file: this long means it is stuck
POLL_SECONDS = 0.005
STALE_SECONDS = 30.0

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
try:
    import msvcrt
except ImportError:
    msvcrt = None  # type: ignore[assignment]


class LockTimeoutError(OSError):
    """Another process held the lock for longer than ``TIMEOUT_SECONDS``."""


@contextmanager
def locked(lock_file: Path, timeout: float = TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the lock of ``lock_file`` (made, with its folder, if missing) while the block runs;
    LockTimeoutError if it cannot be had within ``timeout`` seconds, OSError if it cannot be made."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    if fcntl is None and msvcrt is None:  # pragma: no cover - neither POSIX nor Windows
        with _exclusive_file(lock_file, timeout):
            yield
        return
    with open(lock_file, "a+b") as handle:
        _wait(lambda: _try_lock(handle), lock_file, timeout)
        try:
            yield
        finally:
            _unlock(handle)


def _try_lock(handle: IO[bytes]) -> bool:
    try:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # per open file: threads too
        else:  # pragma: no cover - Windows
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    except (BlockingIOError, PermissionError):
        return False
    except OSError as error:  # pragma: no cover - msvcrt says "deadlock avoided" for a held lock
        if getattr(error, "errno", None) == 36:
            return False
        raise
    return True


def _unlock(handle: IO[bytes]) -> None:
    if fcntl is not None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    else:  # pragma: no cover - Windows
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)


@contextmanager
def _exclusive_file(lock_file: Path, timeout: float) -> Iterator[None]:
    """The fallback: whoever creates ``lock_file.held`` holds the lock."""
    held = lock_file.with_name(lock_file.name + ".held")

    def take() -> bool:
        try:
            os.close(os.open(held, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            try:
                if time.time() - held.stat().st_mtime > STALE_SECONDS:
                    held.unlink(missing_ok=True)  # its holder died; the next try takes it
            except FileNotFoundError:
                pass
            return False
        return True

    _wait(take, lock_file, timeout)
    try:
        yield
    finally:
        held.unlink(missing_ok=True)


def _wait(attempt: Callable[[], bool], lock_file: Path, timeout: float) -> None:
    """Call ``attempt`` until it succeeds; LockTimeoutError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not attempt():
        if time.monotonic() > deadline:
            raise LockTimeoutError(f"{lock_file}: another race-replay has held this lock for over {timeout:.0f} s")
        time.sleep(POLL_SECONDS)
