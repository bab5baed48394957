"""NASCAR's public timing feeds: lap times, lap notes, flags, pits, stages, results."""

from __future__ import annotations

from .importer import import_nascar as import_feeds

__all__ = ["import_feeds"]
