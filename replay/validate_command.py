"""``race-replay validate``: check race files; exit 2 if any has errors (or, ``--strict``, warnings)."""

from __future__ import annotations

import argparse
import sys

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def validate(options: argparse.Namespace) -> int:
    """Each file's errors as ``file:line:column: message`` lines (as compilers list them, for
    editors). Its warnings cross-check the race's course (laps led, places at a lap): spoilers,
    counted unless ``--spoilers``."""
    from .racefile.bundled import bundled_races_dir, race_files
    from .racefile.loader import check_file

    files = [found for path in options.files or [bundled_races_dir()]
             for found in (race_files(path) if path.is_dir() else [path])]
    if not files:
        print(f"race-replay: no race files (*.yaml) in {', '.join(map(str, options.files))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    failed = False
    for path in files:
        report = check_file(path)
        for line in report.errors + (report.warnings if options.spoilers else []):
            print(line, file=sys.stderr)
        bad = bool(report.errors) or (options.strict and bool(report.warnings))
        failed |= bad
        hidden = len(report.warnings) if report.warnings and not options.spoilers else 0
        if hidden:
            print(f"race-replay: {path}: {hidden} warning{'s' if hidden != 1 else ''} tell{'s' if hidden == 1 else ''} "
                  "of the race itself; add --spoilers to read them", file=sys.stderr)
        if not bad:
            print(f"{path}: ok" + (f" ({len(report.warnings)} warnings)" if report.warnings else ""))
    return EXIT_BAD_INPUT if failed else EXIT_OK
