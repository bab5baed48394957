"""Writing what the user keeps (race files, exports, notes) so that it is never half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class WriteError(OSError):
    """A file cannot be written; ``str()`` is one line: the path, then why (``strerror``)."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(problem)
        self.strerror = problem
        self.filename = str(path)

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


def output_problem(path: Path) -> str | None:
    """Why ``path`` cannot be written as a file, as far as can be told before trying (None: it
    may be): a folder, or a folder in its path that is a file or does not exist."""
    if path.is_dir():
        return "is a folder, not a file"
    folder = path.parent
    if folder.is_dir():
        return None
    blocking = next((above for above in (folder, *folder.parents) if above.exists() and not above.is_dir()), None)
    if blocking is not None:
        return f"{blocking} is a file, not a folder"
    return f"the folder {folder} does not exist"


def write_atomically(path: Path, text: str | bytes) -> None:
    """Write through a temporary file in the same folder, so a reader never sees half a file.
    Text is written as UTF-8 with ``\n`` line ends; bytes as they are. WriteError (an OSError)
    names the path and why it cannot be written; nothing is left behind."""
    problem = output_problem(path)
    if problem:
        raise WriteError(path, problem)
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise WriteError(path, f"cannot be written: {error.strerror or error}") from None
    try:
        if isinstance(text, bytes):
            with os.fdopen(handle, "wb") as binary:
                binary.write(text)
        else:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
                out.write(text)
        os.chmod(temporary, _mode_for(path))  # mkstemp makes it private; a race file is not
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise WriteError(path, f"cannot be written: {error.strerror or error}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """An existing file keeps its mode; a new one gets what the umask allows."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
