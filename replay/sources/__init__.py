"""Sources: where races come from (timing feeds, lap charts) -> race files. Never imports the viewer.

One registry: each source is named by the module path of its ``Source`` (the module's ``SOURCE``),
loaded only when asked for, so that nothing outside a source's package imports it. The command
line builds ``import`` and ``fetch`` from it, the viewer its archive menus. A new source is its
package plus one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the registry is read in the viewer's process too: import nothing until used
    from .base import Source


@dataclass(frozen=True)
class Registered:
    """A source as the registry knows it before loading it: enough for help texts and menus."""

    module: str  # the module whose SOURCE is the source
    about: str  # what `import NAME` reads
    fetch: str | None = None  # what `fetch NAME` downloads, if the source can fetch
    archive: tuple[str, str] | None = None  # the viewer's menu entry and its help, if it has an archive


SOURCES: dict[str, Registered] = {
    "nascar": Registered(
        "replay.sources.nascar.source",
        "NASCAR's public timing feed files (lap-times.json, weekend-feed.json, ...)",
        fetch="NASCAR's public timing feed (Cup, Xfinity and Truck races, from cf.nascar.com)",
        archive=("Browse the NASCAR archive…", "A season's Cup, Xfinity or Truck races from NASCAR's public feed")),
    "csv": Registered(
        "replay.sources.csv.source",
        "a lap chart: a row per lap (lap first), a column per car, the position or empty "
        "(what `export --format csv` writes)"),
}


def source(name: str) -> Source:
    """The source registered as ``name`` (a key of ``SOURCES``), loaded now."""
    return import_module(SOURCES[name].module).SOURCE


def fetching() -> dict[str, str]:
    """The sources ``fetch`` offers, with what each downloads."""
    return {name: entry.fetch for name, entry in SOURCES.items() if entry.fetch}


def archives() -> dict[str, tuple[str, str]]:
    """The sources with an archive the viewer browses: their menu entry and its help."""
    return {name: entry.archive for name, entry in SOURCES.items() if entry.archive}
