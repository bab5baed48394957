"""Sources: timing-feed files of a series -> a race file, and downloading them. Never imports the viewer.

A source is a subpackage exposing ``import_feeds(folder, options) -> Imported`` and a ``command``
module for ``fetch``; adding one is that subpackage plus one line in ``IMPORTERS`` (and ``FETCHERS``).
Subpackages load only when used (they read YAML; fetching loads the HTTP client).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the registry is read in the viewer's process too: import nothing until used
    from .base import Imported, ImportOptions

IMPORTERS: dict[str, str] = {
    "nascar": "NASCAR's public timing feed files (lap-times.json, weekend-feed.json, ...)",
}
FETCHERS: dict[str, str] = {
    "nascar": "NASCAR's public timing feed (Cup, Xfinity and Truck races, from cf.nascar.com)",
}


def importer(name: str) -> Callable[[Path, ImportOptions], Imported]:
    """The ``import_feeds`` function of the source ``name`` (a key of ``IMPORTERS``)."""
    return import_module(f"{__name__}.{name}").import_feeds


def fetcher(name: str) -> ModuleType:
    """The command module of the source ``name`` (a key of ``FETCHERS``)."""
    return import_module(f"{__name__}.{name}.command")
