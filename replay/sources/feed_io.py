"""Reading timing-feed JSON files: byte-order marks, size caps, and one-line errors that name the
file and the place inside it (``lap-times.json: laps[3].Laps[5].RunningPos: should be a whole number``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

from .base import FeedError

MAX_FEED_BYTES = 64 * 1024 * 1024


def read_json(path: Path) -> Any:
    """Parse a feed file (UTF-8, with or without a byte-order mark)."""
    return parse_json(path.name, read_bytes(path))


def read_bytes(path: Path) -> bytes:
    """A feed file's bytes; FeedError (naming the file by its path) when it cannot be read or is too big."""
    try:
        size = path.stat().st_size
        if size > MAX_FEED_BYTES:
            raise FeedError(f"{path}: {size:,} bytes is more than a feed file can be ({MAX_FEED_BYTES:,})")
        return path.read_bytes()
    except OSError as error:
        raise FeedError(f"{path}: cannot read: {error.strerror or error}") from None


def in_folder(message: str, names: Iterable[str], folder: str) -> str:
    """An error about the files ``names`` of ``folder`` (a path as given), which names them as the
    files' own names do, with the names it starts with (``a.json:3:1: ...``, ``a.json and b.json
    are ...``, ``a.json, b.json: ...``) given as paths; one that starts with no file's name is about
    the folder's files together, and is put under the folder."""
    known = sorted(names, key=len, reverse=True)  # a longer name first: "x-lap-times.json" before "lap-times.json"
    out, rest = "", message
    while True:
        name = next((n for n in known if rest.startswith(n) and rest[len(n):len(n) + 1] in (":", " ", ",", "")), None)
        if name is None:
            break
        out += str(Path(folder) / name)
        rest = rest[len(name):]
        joint = next((j for j in (", ", " and ") if rest.startswith(j)), None)
        if joint is None:
            break
        out, rest = out + joint, rest[len(joint):]
    if not out and not message.startswith(folder):
        return f"{folder}: {message}"
    return out + rest


def parse_json(name: str, body: bytes) -> Any:
    """Parse the contents of the feed file ``name`` (UTF-8, with or without a byte-order mark)."""
    if len(body) > MAX_FEED_BYTES:
        raise FeedError(f"{name}: {len(body):,} bytes is more than a feed file can be ({MAX_FEED_BYTES:,})")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FeedError(f"{name}: not UTF-8 text (bad byte at offset {error.start})") from None
    if not text.strip():
        raise FeedError(f"{name}: the file is empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FeedError(f"{name}:{error.lineno}:{error.colno}: not valid JSON: {_json_problem(error, text)}") from None


def _json_problem(error: json.JSONDecodeError, text: str) -> str:
    """The json module's words, made to stand alone ("Unterminated string starting at" points at
    the place given before it), and whether the file looks cut short."""
    problem = error.msg.removesuffix(" at") + (" here" if error.msg.endswith(" at") else "")
    return problem + (" (the file looks cut short)" if looks_cut(error, text) else "")


def looks_cut(error: json.JSONDecodeError, text: str) -> bool:
    """Whether ``text`` fails to parse because it stops short: at its end, or inside a string begun
    on its last line (json places that error at the string's start)."""
    return error.pos >= len(text.rstrip()) or (error.msg.startswith("Unterminated") and "\n" not in text[error.pos:].strip())


KIND_NAMES = {int: "a whole number", float: "a number", str: "text", list: "a list", dict: "an object",
              bool: "true or false"}


class Shape:
    """Type checks for one feed file; every failure raises a FeedError naming file and place."""

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, where: str, message: str) -> NoReturn:
        raise FeedError(f"{self.name}: {where}: {message}" if where else f"{self.name}: {message}")

    def kind(self, value: Any, kinds: tuple[type, ...], where: str, nullable: bool = False) -> Any:
        if value is None and nullable:
            return None
        if isinstance(value, bool) and bool not in kinds:
            ok = False
        else:
            ok = isinstance(value, kinds) or (float in kinds and isinstance(value, int))
        if not ok:
            wanted = " or ".join(KIND_NAMES[k] for k in kinds)
            self.fail(where, f"should be {wanted}, not {type(value).__name__} {value!r:.40}")
        return value

    def field(self, obj: dict, key: str, kinds: tuple[type, ...], where: str, *, required: bool = True,
              nullable: bool = False) -> Any:
        if key not in obj:
            if required:
                self.fail(where, f"missing `{key}`")
            return None
        return self.kind(obj[key], kinds, f"{where}.{key}" if where else key, nullable)

    def optional(self, obj: dict, key: str, kinds: tuple[type, ...], where: str) -> Any:
        """A field that may be absent or null."""
        return self.field(obj, key, kinds, where, required=False, nullable=True)

    def objects(self, value: Any, where: str) -> list[dict]:
        """A list of objects."""
        self.kind(value, (list,), where)
        for i, item in enumerate(value):
            self.kind(item, (dict,), f"{where}[{i}]")
        return value

    def number_text(self, value: Any, where: str) -> float | None:
        """Feeds send some numbers as text (``"LapSpeed": "155.142"``)."""
        if value is None or value == "":
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        try:
            return float(self.kind(value, (str,), where))
        except ValueError:
            self.fail(where, f"should be a number, not {value!r:.40}")


def car_number(shape: Shape, value: Any, where: str) -> str:
    """Car numbers are text ("07" is not "7"); a bare integer is taken as written."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    number = shape.kind(value, (str,), where).strip()
    if not number:
        shape.fail(where, "empty car number")
    return number
