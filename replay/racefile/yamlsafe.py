"""Safe, hostile-input-proof YAML reading.

PyYAML's own composers recurse (the C one segfaults on deeply nested input) and
expand aliases, so race files are read from libyaml's event stream instead:
iteratively, with a depth cap, with anchors/aliases and custom tags refused and
duplicate keys reported. Positions are not kept while reading (that would cost
memory per value); :func:`locate` re-scans the text for the few paths that have
problems.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import yaml
from yaml import events as ev

try:  # libyaml when present: same events, far faster
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64
_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}
_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = yaml.resolver.Resolver.yaml_implicit_resolvers
_SIMPLE_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_SIMPLE_FLOAT = re.compile(r"-?[0-9]+\.[0-9]+\Z")
_NUMBER_STARTS = frozenset("-0123456789")
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


class YamlProblem(Exception):  # noqa: N818 - a problem with the file, reported as a message, not a bug
    """The file cannot be read as race YAML. ``line``/``column`` are 1-based, 0 if unknown."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class KeyOf:
    """A path step that points at a mapping *key* rather than its value."""

    key: Any


def read_text(path: Path) -> str:
    """Read a race file as text, refusing directories, huge, binary and non-UTF-8 files."""
    if path.is_dir():
        raise YamlProblem("is a directory, not a race file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise YamlProblem(f"file is {size:,} bytes; race files are capped at {MAX_BYTES:,}")
        data = path.read_bytes()
    except FileNotFoundError:
        raise YamlProblem("no such file") from None
    except OSError as error:
        raise YamlProblem(f"cannot read file: {error.strerror or error}") from None
    if b"\x00" in data:
        raise YamlProblem("binary file (contains NUL bytes), not YAML text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise YamlProblem(f"not UTF-8 text (bad byte at offset {error.start})", line, 1) from None
    if not text.strip():
        raise YamlProblem("file is empty")
    return text


def parse(text: str) -> Any:
    """Parse one YAML document into plain dicts, lists and scalars."""
    stack: list[Any] = []  # open containers
    keys: list[Any] = []  # for each open container: its pending key (mappings) or _NO_KEY
    root: list[Any] = []
    scalar_event, mapping_start, sequence_start = ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent
    try:
        # One loop with the common cases inline: this runs once per value of the file.
        for event in yaml.parse(text, Loader=_Loader):
            kind = type(event)
            if kind is scalar_event:  # (`is` on the type: faster than isinstance, but mypy cannot follow it)
                value = _scalar(cast(ev.ScalarEvent, event))
            elif kind is mapping_start or kind is sequence_start:
                _check_tag(cast(ev.NodeEvent, event))
                if len(stack) >= MAX_DEPTH:
                    raise _at(event, f"nested more than {MAX_DEPTH} levels deep")
                value = {} if kind is mapping_start else []
            elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
                stack.pop()
                keys.pop()
                continue
            elif kind is ev.AliasEvent:
                raise _at(event, "YAML aliases (*name) are not allowed in race files; write the value out")
            else:
                if kind is ev.DocumentStartEvent and root:
                    raise _at(event, "file holds more than one YAML document")
                continue
            if not stack:
                root.append(value)
            elif type(stack[-1]) is list:
                stack[-1].append(value)
            elif keys[-1] is _NO_KEY:
                _set_key(stack[-1], keys, value, event)
            else:
                stack[-1][keys[-1]] = value
                keys[-1] = _NO_KEY
            if kind is not scalar_event:
                stack.append(value)
                keys.append(_NO_KEY)
    except yaml.YAMLError as error:
        raise _problem_from_yaml_error(error, text) from None
    if not root:
        raise YamlProblem("file holds no YAML document")
    return root[0]


_NO_KEY = object()


def _set_key(mapping: dict[Any, Any], keys: list[Any], key: Any, event: ev.Event) -> None:
    if isinstance(key, (dict, list)):
        raise _at(event, "a mapping key must be a plain value, not a list or mapping")
    if key in mapping:
        raise _at(event, f"duplicate key {key!r} (YAML would silently keep only the last)")
    keys[-1] = key


def _check_tag(event: ev.NodeEvent) -> None:
    tag = getattr(event, "tag", None)
    if tag and tag not in ("!", "?") and tag not in _ALLOWED_TAGS:
        raise _at(event, f"YAML tag {tag!r} is not allowed in race files")


def _scalar(event: ev.ScalarEvent) -> Any:
    """Resolve a scalar like PyYAML's SafeLoader, except timestamps stay strings."""
    value, tag = event.value, event.tag
    if tag:
        _check_tag(event)
        if tag == _CORE + "str" or tag == "!":
            return value
    elif not event.implicit[0]:
        return value  # quoted
    else:
        if value[:1] in _NUMBER_STARTS:  # fast path: plain decimal numbers, most of a long race
            if _SIMPLE_INT.match(value):
                return int(value)
            if _SIMPLE_FLOAT.match(value):
                return float(value)
        tag = _resolve_plain(value)
    if tag == _CORE + "str" or tag == _CORE + "timestamp":
        return value
    if tag == _CORE + "int" and _SIMPLE_INT.match(value):
        return int(value)
    if tag == _CORE + "float" and _SIMPLE_FLOAT.match(value):
        return float(value)
    node = yaml.ScalarNode(tag, value)
    if tag == _CORE + "null":
        return None
    if tag == _CORE + "bool":
        return _CONSTRUCTOR.construct_yaml_bool(node)
    if tag == _CORE + "int":
        return _CONSTRUCTOR.construct_yaml_int(node)
    if tag == _CORE + "float":
        return _CONSTRUCTOR.construct_yaml_float(node)
    return value  # merge keys, values and the like: plain text


def _resolve_plain(value: str) -> str:
    for tag, regexp in _RESOLVERS.get(value[:1] if value else "", ()):
        if regexp.match(value):
            return tag
    return _CORE + "str"


def _at(event: ev.Event, message: str) -> YamlProblem:
    mark = event.start_mark
    if mark is None:  # the parser marks every event; the stubs allow none
        return YamlProblem(message)
    return YamlProblem(message, mark.line + 1, mark.column + 1)


def _problem_from_yaml_error(error: yaml.YAMLError, text: str = "") -> YamlProblem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    context = getattr(error, "context", None)
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    if mark is None:
        return YamlProblem(message)
    if text.endswith("\n") and mark.column == 0 and mark.line == text.count("\n"):
        # past the last line (the end of the file): name the last line, not one that is not there
        last = text[:-1].rsplit("\n", 1)[-1]
        return YamlProblem(f"{message} at the end of the file", mark.line, len(last) + 1)
    return YamlProblem(message, mark.line + 1, mark.column + 1)


def locate(text: str, paths: Iterable[tuple[Any, ...]]) -> dict[tuple[Any, ...], tuple[int, int]]:
    """Find the 1-based (line, column) of each path; a missing path maps to its nearest parent."""
    wanted = set(paths)
    if not wanted:
        return {}  # the re-scan costs as much as the parse: only for files with problems
    ancestors = {path[:i] for path in wanted for i in range(len(path))}
    found: dict[tuple[Any, ...], tuple[int, int]] = {}
    for path, mark in _walk_marks(text):
        if (path in wanted or path in ancestors) and path not in found:
            found[path] = (mark.line + 1, mark.column + 1)
    for path in wanted - found.keys():
        parent = path
        while parent and parent not in found:
            parent = parent[:-1]
        found[path] = found.get(parent, (1, 1))
    return found


def _walk_marks(text: str) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Yield (path, start mark) for every key and value in a text that :func:`parse` accepted."""
    frames: list[list[Any]] = []  # [container kind, path, next index or pending key]
    path: tuple[Any, ...] = ()
    for event in yaml.parse(text, Loader=_Loader):
        kind = type(event)
        if kind in (ev.MappingEndEvent, ev.SequenceEndEvent):
            frames.pop()
            continue
        if not isinstance(event, (ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent)):
            continue
        if frames:
            frame = frames[-1]
            if frame[0] == "seq":
                path = frame[1] + (frame[2],)
                frame[2] += 1
            elif frame[2] is _NO_KEY:
                key = _scalar(cast(ev.ScalarEvent, event))  # a key is a scalar: parse() accepted the text
                frame[2] = key
                yield frame[1] + (KeyOf(key),), event.start_mark
                continue
            else:
                path = frame[1] + (frame[2],)
                frame[2] = _NO_KEY
        else:
            path = ()
        yield path, event.start_mark
        if kind is ev.MappingStartEvent:
            frames.append(["map", path, _NO_KEY])
        elif kind is ev.SequenceStartEvent:
            frames.append(["seq", path, 0])
