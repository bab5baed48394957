"""Fetchers: download a race's timing-feed files from their public server, then import them.

A source is a module here exposing ``command(options, import_options) -> int`` (the command
line's ``fetch SOURCE``) beside its own functions; adding one is that module plus one line in
``FETCHERS``. Nothing loads until used: the HTTP client is imported only by a fetch.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

FETCHERS: dict[str, str] = {
    "nascar": "NASCAR's public timing feed (Cup, Xfinity and Truck races, from cf.nascar.com)",
}


def fetcher(name: str) -> ModuleType:
    """The command module of the source ``name`` (a key of ``FETCHERS``)."""
    return import_module(f"{__name__}.{name}_command")
