"""A lap chart as a ``Source``: ``import csv FILE``. No fetch, no archive."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..base import Archive, FeedError, Imported, ImportOptions, Input
from ..feed_io import read_bytes


class CsvSource:
    name = "csv"

    def add_import_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("source", type=Path, help="the lap chart (CSV): a row per lap, a column per car")

    def read_input(self, options: argparse.Namespace) -> Input:
        path: Path = options.source
        if not path.is_file():
            raise FeedError(f"{path}: not a file" + ("" if path.exists() else " (it does not exist)"))
        return Input({path.name: read_bytes(path)}, path.parent.name, str(path))

    def import_files(self, given: Input, options: ImportOptions) -> Imported:
        from .chart import import_chart

        if len(given.files) != 1:
            raise FeedError(f"{given.where}: a lap chart is one file, not {len(given.files)}")
        [(name, body)] = given.files.items()
        return import_chart(name, body, options, given.where)

    def add_fetch_arguments(self, parser: argparse.ArgumentParser) -> None:
        raise NotImplementedError("a lap chart is not fetched")

    def fetch(self, options: argparse.Namespace, import_options: ImportOptions) -> int:
        raise NotImplementedError("a lap chart is not fetched")

    def archive(self) -> Archive:
        raise NotImplementedError("a lap chart has no archive")


SOURCE = CsvSource()
