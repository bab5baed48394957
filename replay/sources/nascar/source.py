"""NASCAR as a ``Source``: ``import nascar FOLDER``, ``fetch nascar`` and the viewer's archive.
Light to load (the command line builds its parser from it): the importer, the HTTP client and
YAML load only when a command runs."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ..base import FeedError, Imported, ImportOptions, Input
from . import series

if TYPE_CHECKING:
    from ..base import Archive



class NascarSource:
    name = "nascar"

    def add_import_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("source", type=Path, help="a folder holding the feed's JSON files")

    def read_input(self, options: argparse.Namespace) -> Input:
        from .folder import read_folder

        folder: Path = options.source
        if not folder.is_dir():
            raise FeedError(f"{folder}: not a folder of feed files")
        return Input(read_folder(folder), folder.name, str(folder))

    def import_files(self, given: Input, options: ImportOptions) -> Imported:
        from .importer import import_folder

        return import_folder(given.files, options, given.folder, given.where)

    def add_fetch_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--season", type=int, required=True, help="the season, e.g. 2023")
        parser.add_argument("--series", choices=series.KEYS, required=True)
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--list", action="store_true", help="list the season's races: id, date, name, track, laps")
        which.add_argument("--race", type=int, help="the race id (from --list) to fetch")
        parser.add_argument("--output", "-o", type=Path,
                            help="the race file to write (default: the races folder of your data folder, "
                                 "which the race list shows)")
        parser.add_argument("--cache", type=Path, help="keep downloaded feed files here (default: your cache folder)")
        parser.add_argument("--feed-url", help="the feed's host (default: $RACE_REPLAY_FEED_URL or https://cf.nascar.com)")
        # --verbose: the old name of --spoilers
        parser.add_argument("--verbose", "-v", action="store_true", dest="spoilers", help=argparse.SUPPRESS)

    def fetch(self, options: argparse.Namespace, import_options: ImportOptions) -> int:
        from .command import command

        return command(options, import_options)

    def archive(self) -> Archive:
        from .archive import NascarArchive

        return NascarArchive()


SOURCE = NascarSource()
