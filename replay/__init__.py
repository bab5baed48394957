"""race-replay core: the race model, the loader and the lap-state engine. Never imports Textual.

Names are imported on first use (PEP 562), so ``import replay.cli`` costs nothing it does not use:
the viewer's process never loads the YAML reader or the checker (a child process loads the race).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_HOMES = {
    "Timeline": "engine", "RaceFileError": "errors", "Report": "loader", "check_file": "loader",
    "load_race": "loader", "Entry": "model", "Event": "model", "Quote": "model", "Race": "model",
    "RaceInfo": "model", "RaceState": "state", "Row": "state",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'replay' has no attribute {name!r}")
    value = getattr(import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value
    return value
