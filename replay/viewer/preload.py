"""Load a race in a child process while the viewer's framework imports.

Opening a long race from the command line costs two things of about the same size: importing
Textual (~190 ms) and loading the race (~150 ms for 500 laps x 40 cars). Neither needs the other,
and the machines we run on have a second core, so the race is loaded in a forked child and
handed back pickled (unpickling takes ~15 ms). Where there is no ``fork`` (Windows), or the child
fails for any reason, the race is loaded here instead, so errors are reported exactly as they
would be without the child.
"""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..core.engine import Timeline


def load_timeline(path: Path) -> Timeline:
    from ..core.engine import Timeline
    from ..racefile.loader import load_race

    return Timeline(load_race(path))


class Preload:
    """A race being loaded; ``result()`` waits for it."""

    def __init__(self, path: Path, pid: int | None = None, pipe: int | None = None) -> None:
        self.path = path
        self._pid = pid
        self._pipe = pipe

    @property
    def in_child(self) -> bool:
        """Whether a child process is loading the race (else ``result()`` loads it here)."""
        return self._pid is not None

    @classmethod
    def start(cls, path: Path) -> Preload:
        if not hasattr(os, "fork"):
            return cls(path)
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            read, write = os.pipe()
        except OSError:  # out of descriptors: load here instead
            return cls(path)
        try:
            pid = os.fork()
        except OSError:  # out of processes
            os.close(read)
            os.close(write)
            return cls(path)
        if pid == 0:  # the child: load, send, and leave without running the parent's exit handlers
            os.close(read)
            os._exit(_send(path, write))
        os.close(write)
        return cls(path, pid, read)

    def result(self) -> Timeline:
        """The loaded race; raises ``RaceFileError`` for a bad file, like ``load_race``."""
        if self._pipe is None or self._pid is None:  # no child (both are given together)
            return load_timeline(self.path)
        with os.fdopen(self._pipe, "rb") as pipe:
            data = pipe.read()
        os.waitpid(self._pid, 0)
        self._pipe = None
        if data:
            try:
                return pickle.loads(data)
            except Exception:  # a truncated or foreign payload: load it here
                pass
        return load_timeline(self.path)


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
    return 0
