"""Export formats: a race as it stood at one lap, rendered for people or programs.

A new format is one module with a ``render(state) -> str`` function and one line in ``FORMATS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..core.state import RaceState
from .json_contract import render_json
from .text import to_text


@dataclass(frozen=True)
class ExportFormat:
    """One ``--format`` choice of ``race-replay export``."""

    name: str
    description: str
    render: Callable[[RaceState], str]


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("text", "a readable leaderboard and the events so far", to_text),
        ExportFormat("json", "the stable contract of docs/FORMAT.md", render_json),
    )
}
