"""What every section parser shares: the checker, and the cars, sources and laps already read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.model import Entry
from .checks import CAR, INT, LIST, MAP, TEXTS, Checker, Path


@dataclass
class Context:
    """What later sections need to check references: cars, sources, the lap range."""

    check: Checker
    final_lap: int = 0
    sources: set[str] = field(default_factory=set)
    refs: dict[str, str] = field(default_factory=dict)  # number or driver name -> entry key
    entries: dict[str, Entry] = field(default_factory=dict)

    def car(self, value: Any, path: Path, what: str = "car") -> str | None:
        """Resolve a car reference (number or driver name) to its entry key."""
        name = self.check.value(value, path, CAR, what)
        if name is None:
            return None
        key = self.refs.get(name)
        if key is None:
            self.check.error(path, f"{what} {name!r} is not in `entries` (give its number or driver name)")
        return key

    def cars(self, value: Any, path: Path, what: str = "cars") -> tuple[str, ...]:
        if not isinstance(value, list):
            self.check.value(value, path, LIST, what)
            return ()
        keys = (self.car(item, path + (i,), f"{what} entry") for i, item in enumerate(value))
        return tuple(k for k in keys if k is not None)

    def source_ids(self, value: Any, path: Path) -> tuple[str, ...]:
        ids = self.check.value(value, path, TEXTS, "`sources`")
        for i, source in enumerate(ids or ()):
            if source not in self.sources:
                self.check.error(path + (i,), f"source {source!r} is not listed under `sources`")
        return ids or ()

    def sources_in(self, fields: dict[str, Any], path: Path) -> tuple[str, ...]:
        """The checked ``sources`` of an item, or () when it cites none."""
        return self.source_ids(fields["sources"], path + ("sources",)) if "sources" in fields else ()

    def items(self, raw: Any, name: str) -> list[Any]:
        """A top-level list section; absent is empty."""
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.check.value(raw, (name,), LIST, f"`{name}`")
            return []
        return raw

    def mapping(self, raw: Any, name: str) -> dict[Any, Any]:
        """A top-level mapping section; absent is empty."""
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.check.value(raw, (name,), MAP, f"`{name}`")
            return {}
        return raw

    def lap(self, value: Any, path: Path, what: str = "lap", lowest: int = 0) -> int | None:
        lap: int | None = self.check.value(value, path, INT, what)
        if lap is None:
            return None
        if not lowest <= lap <= self.final_lap:
            self.check.error(path, f"{what} {lap} is outside the race (laps {lowest} to {self.final_lap})")
            return None
        return lap
