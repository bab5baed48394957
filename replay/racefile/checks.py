"""Collect every problem in a race file, each tied to a path inside the document."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from .yamlsafe import KeyOf

Path = tuple[Any, ...]
Kind = Callable[[Any], tuple[bool, Any, str]]  # a field's kind: (ok, cleaned value, what is wanted)
Choice = TypeVar("Choice", bound=str)


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str
    warning: bool = False
    check: str = ""  # names an audit check, so a dispute can say it settles it


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: Any) -> tuple[bool, Any, str]:
    return isinstance(value, str) and value.strip() != "", value, "text"


def _integer(value: Any) -> tuple[bool, Any, str]:
    return _is_int(value), value, "a whole number"


def _count(value: Any) -> tuple[bool, Any, str]:
    return _is_int(value) and value >= 0, value, "a whole number, 0 or more"


def _number(value: Any) -> tuple[bool, Any, str]:
    ok = (_is_int(value) or isinstance(value, float)) and value == value
    return ok, float(value) if ok else value, "a number"


def _boolean(value: Any) -> tuple[bool, Any, str]:
    return isinstance(value, bool), value, "true or false"


def _date(value: Any) -> tuple[bool, Any, str]:
    try:
        return True, dt.date.fromisoformat(str(value)).isoformat(), ""
    except ValueError:
        return False, value, "a date written YYYY-MM-DD"


def _text_list(value: Any) -> tuple[bool, Any, str]:
    ok = isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
    return ok, tuple(value) if ok else value, "a list of texts"


def _car(value: Any) -> tuple[bool, Any, str]:
    if _is_int(value):
        return False, value, 'a car number in quotes, like "07" (unquoted, 07 and 7 both read as 7)'
    return _text(value)[0], value, "a car number or driver name"


def _any(kind: type) -> Kind:
    names: dict[type, str] = {list: "a list", dict: "a mapping"}
    name = names[kind]
    return lambda value: (isinstance(value, kind), value, name)


TEXT, INT, COUNT, NUMBER, BOOL, DATE = _text, _integer, _count, _number, _boolean, _date
TEXTS, CAR, LIST, MAP = _text_list, _car, _any(list), _any(dict)


class Checker:
    """Gathers problems; the type helpers return the cleaned value or None."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, path: Path, message: str) -> None:
        self.problems.append(Problem(path, message))

    def warn(self, path: Path, message: str) -> None:
        self.problems.append(Problem(path, message, warning=True))

    def value(self, value: Any, path: Path, kind: Kind, what: str) -> Any:
        ok, cleaned, wanted = kind(value)
        if ok:
            return cleaned
        self.error(path, f"{what} should be {wanted}, not {_describe(value)}")
        return None

    def fields(
        self,
        value: Any,
        path: Path,
        what: str,
        required: Mapping[str, Kind],
        optional: Mapping[str, Kind] | None = None,
    ) -> dict[str, Any] | None:
        """Check a mapping's keys and value types; return the well-typed fields."""
        if not isinstance(value, dict):
            self.error(path, f"{what} should be a mapping of fields, not {_describe(value)}")
            return None
        optional = optional or {}
        known = {**required, **optional}
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key not in known:
                self.unknown_key(path, key, known, what)
                continue
            if item is None and key in optional:
                continue
            cleaned = self.value(item, path + (key,), known[key], f"{what} `{key}`")
            if cleaned is not None:
                out[key] = cleaned
        for key in required:
            if key not in value:
                self.error(path, f"{what} is missing `{key}`")
        return out

    def unknown_key(self, path: Path, key: Any, known: Iterable[str], what: str) -> None:
        close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
        hint = f"; did you mean `{close[0]}`?" if close else f"; expected one of: {', '.join(known)}"
        self.error(path + (KeyOf(key),), f"unknown key `{key}` in {what}{hint}")

    def one_of(self, value: Any, path: Path, choices: Iterable[Choice], what: str) -> Choice | None:
        choices = tuple(choices)
        if value in choices:
            return cast(Choice, value)  # equal to one of them
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else f"expected one of: {', '.join(choices)}"
        self.error(path, f"{what} {value!r} is not known; {hint}")
        return None
