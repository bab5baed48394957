"""Load a race in a child process while the viewer's framework imports.

Opening a long race from the command line costs two things of about the same size: importing
Textual (~190 ms) and loading the race (~150 ms for 500 laps x 40 cars). Neither needs the other,
and the machines we run on have a second core, so the race is loaded in a forked child and
handed back pickled (unpickling takes ~15 ms). Where there is no ``fork`` (Windows), or the child
fails for any reason, the race is loaded here instead, so errors are reported exactly as they
would be without the child.

A race opened before starts faster still: the child also keeps the pickled timeline in the cache
folder (``timelines/``), named by the file's path, size and modification time and by the code that
built it (the core's and the race files' modules); the next start of that file reads it instead
of forking (~15 ms instead of ~150 ms of loading competing with Textual's import for the CPU). A
cache file that cannot be read or unpickled is ignored and the race loads as above.

A folder for the picker is listed the same way (``ListingPreload``: each file's ``stat`` and the
folder's index, ~200 ms for 10,000 races). And the whole start runs with Python's cycle collector
off (``without_collector``): nothing it allocates is garbage.
"""

from __future__ import annotations

import functools
import gc
import marshal
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

if TYPE_CHECKING:
    from ..core.engine import Timeline
    from ..racefile.catalog import Listed


def load_timeline(path: Path) -> Timeline:
    from ..core.engine import Timeline
    from ..racefile.loader import load_race

    return Timeline(load_race(path))


KEPT_TIMELINES = 16  # the cache keeps the timelines of this many race files, the most recently written


def _code_stamp() -> str:
    """What changes when the code that builds or defines a timeline changes: its modules' names,
    sizes and modification times (a few dozen ``stat`` calls)."""
    root = Path(__file__).resolve().parents[1]
    parts = [sys.version]
    for folder in ("core", "racefile"):
        for module in sorted((root / folder).glob("*.py")):
            stat = module.stat()
            parts.append(f"{module.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)


def cache_key(path: Path) -> bytes | None:
    """What the kept timeline of the race file ``path`` must have been made from (None: no file)."""
    try:
        stat = path.stat()
        return f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{_code_stamp()}".encode()
    except OSError:
        return None


def cache_file(key: bytes) -> Path:
    """Where the timeline made from ``key`` is kept: named by its 64-bit FNV-1a hash (hashlib's
    import costs more than the hash); the key itself heads the file and is checked on reading."""
    from ..user.places import cache_dir

    digest = 0xCBF29CE484222325
    for byte in key:
        digest = ((digest ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return cache_dir() / "timelines" / f"{digest:016x}.pickle"


def _read_kept(path: Path) -> bytes | None:
    """The pickled timeline kept for ``path``, if it was made from this file and this code."""
    key = cache_key(path)
    try:
        data = cache_file(key).read_bytes() if key is not None else b""
    except OSError:
        return None
    head, _, pickled = data.partition(b"\n")
    return pickled if key is not None and head == key and pickled else None


def _keep(path: Path, data: bytes) -> None:
    """Keep a timeline for the next start; the oldest beyond ``KEPT_TIMELINES`` go. Never fails."""
    from ..user.files import write_atomically

    key = cache_key(path)
    if key is None or b"\n" in key:
        return
    kept = cache_file(key)
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(kept, key + b"\n" + data)
        others = sorted(kept.parent.glob("*.pickle"), key=lambda file: file.stat().st_mtime_ns, reverse=True)
        for old in others[KEPT_TIMELINES:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


class Preload:
    """A race being loaded; ``result()`` waits for it."""

    def __init__(self, path: Path, pid: int | None = None, pipe: int | None = None, kept: bytes | None = None) -> None:
        self.path = path
        self._pid = pid
        self._pipe = pipe
        self._kept = kept  # the pickled timeline, read from the cache

    @property
    def from_cache(self) -> bool:
        """Whether the race comes from the cache (a file opened before, unchanged)."""
        return self._kept is not None

    @property
    def in_child(self) -> bool:
        """Whether a child process is loading the race (else ``result()`` loads it here)."""
        return self._pid is not None

    @classmethod
    def start(cls, path: Path) -> Preload:
        kept = _read_kept(path)
        if kept is not None:
            return cls(path, kept=kept)
        forked = fork_child(lambda pipe: _send(path, pipe))
        return cls(path, *forked) if forked is not None else cls(path)

    def result(self) -> Timeline:
        """The loaded race; raises ``RaceFileError`` for a bad file, like ``load_race``."""
        if self._kept is not None:
            try:
                return pickle.loads(self._kept)
            except Exception:  # a cache file from elsewhere, or cut short: load the race
                self._kept = None
        if self._pipe is None or self._pid is None:  # no child (both are given together)
            return load_timeline(self.path)
        data = receive(self._pid, self._pipe, wait=False)
        self._pipe = None
        timeline = None
        if data:
            try:
                timeline = pickle.loads(data)  # while the child keeps it in the cache
            except Exception:  # a truncated or foreign payload: load it here
                pass
        os.waitpid(self._pid, 0)
        return timeline if timeline is not None else load_timeline(self.path)


def without_collector(start: Callable[P, R]) -> Callable[P, R]:
    """``start`` run with Python's cycle collector off, and on again however it ends: the viewer's
    start allocates a few hundred thousand objects that all live on (``ReplayApp.on_mount`` turns it
    back on after the first frame)."""

    @functools.wraps(start)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        gc.disable()
        try:
            return start(*args, **kwargs)
        finally:
            gc.enable()

    return run


def fork_child(work: Callable[[int], int]) -> tuple[int, int] | None:
    """Run ``work`` (given the write end of a pipe; it returns the exit status) in a forked child:
    the child's pid and the pipe's read end, or None where no child can be had (no ``fork``, out
    of descriptors or processes): the caller then does the work itself."""
    if not hasattr(os, "fork"):
        return None
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        read, write = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: work, send, and leave without running the parent's exit handlers
        os.close(read)
        try:
            status = work(write)
        except BaseException:
            status = 1
        os._exit(status)
    os.close(write)
    return pid, read


def receive(pid: int, pipe: int, wait: bool = True) -> bytes:
    """All that ``fork_child``'s child sent (empty: nothing, it failed); ``wait``: and its end."""
    with os.fdopen(pipe, "rb") as reading:
        data = reading.read()
    if wait:
        os.waitpid(pid, 0)
    return data


def _send(path: Path, pipe: int) -> int:
    """In the child: the timeline, pickled into ``pipe``; nothing (exit status 1) if loading failed,
    so that the parent loads the file itself and reports its errors."""
    try:
        data = pickle.dumps(load_timeline(path), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:
        return 1
    try:
        with os.fdopen(pipe, "wb") as out:
            out.write(data)
    except OSError:  # the parent is gone
        return 1
    _keep(path, data)  # after the hand-over: the parent unpickles meanwhile
    return 0


class ListingPreload:
    """The picker's folders listed (``racefile.catalog.list_folders``: each race file's ``stat`` and
    the folder's index read and checked, ~200 ms for 10,000 races) in a forked child while Textual
    imports and the picker first shows, handed back as marshal (plain values: ~15 ms to read).
    ``result()`` waits for it; None where no child could list them: the catalog lists them itself."""

    def __init__(self, forked: tuple[int, int] | None) -> None:
        self._forked = forked

    @classmethod
    def start(cls, folders: list[Path]) -> ListingPreload:
        from ..racefile import catalog  # noqa: F401 - imported before the fork: the child lists at once

        return cls(fork_child(lambda pipe: _send_listing(folders, pipe)))

    def result(self) -> Listed | None:
        if self._forked is None:
            return None
        data = receive(*self._forked)
        self._forked = None
        try:
            return marshal.loads(data) if data else None
        except Exception:  # cut short: list them here
            return None


def _send_listing(folders: list[Path], pipe: int) -> int:
    from ..racefile.catalog import list_folders

    data = marshal.dumps(list_folders(folders))
    with os.fdopen(pipe, "wb") as out:
        out.write(data)
    return 0
