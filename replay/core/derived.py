"""Indexes built from a timeline on first use (the lap chart's, the statistics'), each kept as long
as the timeline lives: a view opened twice, or an export after a view, builds nothing again."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from .engine import Timeline

T = TypeVar("T")

_BUILT: WeakKeyDictionary[Timeline, dict[Callable[[Timeline], object], object]] = WeakKeyDictionary()


def derived(timeline: Timeline, build: Callable[[Timeline], T]) -> T:
    """``build(timeline)``, made once per timeline and ``build``."""
    built = _BUILT.setdefault(timeline, {})
    if build not in built:
        built[build] = build(timeline)
    return cast(T, built[build])  # what ``build`` made
