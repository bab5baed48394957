"""Downloaded feed files kept on disk, so that fetching a finished race again asks the server nothing.

A finished race's files never change. Each is stored whole (written atomically) under its path
on the server; a file the server does not publish (404) is stored as ``<name>.missing``. A fetch
stores its files only once it has all of them: a failed fetch leaves nothing behind.
"""

from __future__ import annotations

import time
from pathlib import Path

from ..user.files import write_atomically

MISSING = object()  # the server answered 404 for this file


class FeedCache:
    """Files by their path on the feed's server, under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _file(self, path: str) -> Path:
        return self.root / path.strip("/")

    def get(self, path: str, max_age: float | None = None) -> bytes | object | None:
        """The stored body, MISSING for a stored 404, None when not stored (or older than ``max_age`` s)."""
        for file, stored in ((self._file(path), None), (self._marker(path), MISSING)):
            try:
                if max_age is not None and time.time() - file.stat().st_mtime > max_age:
                    continue
                return file.read_bytes() if stored is None else (MISSING if file.is_file() else None)
            except OSError:
                continue
        return None

    def put(self, path: str, body: bytes | None) -> None:
        """Store ``body`` (None: not published) atomically."""
        target = self._file(path) if body is not None else self._marker(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, body if body is not None else b"")

    def _marker(self, path: str) -> Path:
        file = self._file(path)
        return file.with_name(file.name + ".missing")
