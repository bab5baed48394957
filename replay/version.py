"""``race-replay --version``."""

from __future__ import annotations

import argparse


class VersionAction(argparse.Action):
    """``--version``: the installed version, looked up only when asked (the lookup costs startup time)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("race-replay")
        except PackageNotFoundError:
            found = "(not installed)"
        print(f"race-replay {found}")
        parser.exit()
