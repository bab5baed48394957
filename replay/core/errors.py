"""The error a bad race file raises; apart from the loader so the command line can catch it
without loading the YAML reader and the checker."""

from __future__ import annotations


class RaceFileError(Exception):
    """A race file has errors; ``lines`` holds one ``file:line:col: message`` per problem."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines
