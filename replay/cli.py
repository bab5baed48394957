"""The ``race-replay`` command: view, validate, export, note, schema, import, fetch, serve.

Bad input never prints a traceback: every problem is one line naming the file
(and line and column where known), and the exit status is 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .core.errors import RaceFileError
from .export import FORMATS
from .serve.command import add_serve_parser
from .sources import SOURCES, fetching, source
from .sources.errors import FeedError
from .user.files import WriteError, output_problem
from .user.lap_input import LapInputError, parse_lap
from .version import VersionAction
from .viewer.preload import Preload, without_collector

if TYPE_CHECKING:
    from .core.engine import Timeline
    from .sources.base import ImportOptions
    from .viewer.app import ReplayApp

EXIT_OK, EXIT_BAD_INPUT = 0, 2
LAP_HELP = "a lap: a number, 'N to go' (from the scheduled distance) or 'final'"
COMMANDS = ("view", "validate", "export", "note", "schema", "import", "fetch", "serve")
DRIVER_FORMATS = ("md",)  # the formats with a section per --driver
MAX_ERRORS_SHOWN = 8


def build_parser(sources: bool = True) -> argparse.ArgumentParser:
    """The parser; without ``sources`` the commands of ``import`` and ``fetch`` are left out (each
    source's arguments load its module: the viewer's start does without)."""
    parser = argparse.ArgumentParser(prog="race-replay", description="Replay a race lap by lap in the terminal.",
                                     epilog="With no command, race-replay [FILE_OR_DIR] [--lap LAP] opens the viewer.")
    parser.add_argument("--version", action=VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    view = sub.add_parser("view", help="open the viewer (the default command)")
    view.add_argument("target", nargs="?", help="a race file or a folder of them (default: the bundled races)")
    view.add_argument("--lap", help=LAP_HELP + " (default: where you left the race; at first the grid, 0)")
    view.add_argument("--real-time", action="store_true",
                      help="play at the race's own pace (each lap as long as the leader took), to follow a broadcast")
    view.add_argument("--speed", type=float, metavar="X", help="with --real-time: that pace times X (0.5 to 16)")
    validate = sub.add_parser("validate", help="check race files; exit 2 if any has errors")
    validate.add_argument("files", nargs="*", type=Path,
                          help="race files or folders of them (default: the bundled races)")
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    validate.add_argument("--spoilers", action="store_true",
                          help="print the warnings (sections that disagree: laps led, places at a lap); they tell "
                               "of the race, so by default they are counted, not shown")
    export = sub.add_parser("export", help="the race as it stood at one lap: text, JSON, a Markdown prep sheet or CSV",
                            description="Print (or write) the race as it stood at one lap: nothing from after it.")
    export.add_argument("file", type=Path, help="the race file")
    export.add_argument("--lap", required=True, help=LAP_HELP + "; required: a default would be a spoiler")
    export.add_argument("--format", choices=tuple(FORMATS), default="text",
                        help="; ".join(f"{f.name}: {f.description}" for f in FORMATS.values()) + " (default: text)")
    export.add_argument("--output", "-o", type=Path, help="write to this file (atomically) instead of printing")
    export.add_argument("--driver", action="append", default=[], metavar="NAME",
                        help="md only: a section for this driver (name or car number); repeat for more")
    note = sub.add_parser("note", help="add a note at a lap of a race (kept beside it in RACE.notes.yaml)",
                          description="Add a note at one lap; the viewer shows it in the log from that lap on. "
                                      "Notes are kept beside the race (the race file is never changed), or in "
                                      "your data folder where the race's folder cannot be written.")
    note.add_argument("file", type=Path, help="the race file")
    note.add_argument("--lap", required=True, help=LAP_HELP)
    note.add_argument("text", nargs="+", help="the note (several words are joined with spaces)")
    note.add_argument("--driver", metavar="NAME", help="the driver the note is about (name or car number)")
    schema = sub.add_parser("schema", help="print the JSON Schema of race files (or, with --export, of the JSON export)")
    schema.add_argument("--export", action="store_true", help="the schema of `export --format json` instead")
    _add_import(sub, sources)
    _add_fetch(sub, sources)
    add_serve_parser(sub)
    return parser


def _add_race_facts(command: argparse.ArgumentParser) -> None:
    for name in ("name", "track"):
        command.add_argument(f"--{name}", help=f"the race's {name}, where no feed file gives it")
    command.add_argument("--date", help="the race date, YYYY-MM-DD, where no feed file gives it")
    command.add_argument("--stage-ends", help="stage end laps, e.g. 40,80,163, where no feed file gives them")
    command.add_argument("--laps", type=_laps_option, help="the scheduled distance, where no feed file gives it; "
                         "feeds short of it are a race in progress")


def add_spoilers_option(command: argparse.ArgumentParser, *aliases: str) -> None:
    command.add_argument("--spoilers", *aliases, action="store_true",
                         help="also print the warnings that tell of the race itself (its cautions, lead changes, "
                              "finish); by default they are counted, not shown")


def _laps_option(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a number of laps, 1 or more, not {text!r}")
    return int(text)


def _add_import(sub: argparse._SubParsersAction, sources: bool) -> None:
    """``import SOURCE ...``: one command per registered source, its arguments its own."""
    importer = sub.add_parser("import", help="make a race file from timing feed files or a lap chart")
    kinds = importer.add_subparsers(dest="feed", metavar="SOURCE", required=True, help="where the race comes from")
    for name, entry in SOURCES.items() if sources else ():
        command = kinds.add_parser(name, help=entry.about, description=f"Import {entry.about}.")
        source(name).add_import_arguments(command)
        command.add_argument("--output", "-o", type=Path, required=True, help="the race file to write")
        command.add_argument("--series", help="the race's series, where no feed file gives it")
        _add_race_facts(command)
        add_spoilers_option(command)


def _add_fetch(sub: argparse._SubParsersAction, sources: bool) -> None:
    fetch = sub.add_parser("fetch", help="download a race from a public timing feed and import it",
                           description="List a season's races (nothing they decided), or download one race's "
                                       "feed files, import them as `import` does and write the race file.")
    kinds = fetch.add_subparsers(dest="feed", metavar="SOURCE", required=True, help="the feed to fetch from")
    for name, what in fetching().items() if sources else ():
        command = kinds.add_parser(name, help=what, description=f"Fetch from {what}.")
        source(name).add_fetch_arguments(command)
        _add_race_facts(command)
        add_spoilers_option(command)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] not in COMMANDS and not args[0].startswith("-") and not Path(args[0]).exists():
        close = _close_command(args[0])
        if close:
            return _fail(f"no command or file {args[0]!r}: did you mean {close!r}? (race-replay --help lists them)")
    if not args or (args[0] not in COMMANDS and not args[0].startswith("-")):
        args.insert(0, "view")
    options = build_parser(sources=args[0] in ("import", "fetch")).parse_args(args)
    if options.command is None:
        options = build_parser(sources=False).parse_args(["view", *args])
    try:
        commands = {"view": _view, "validate": _validate, "export": _export, "note": _note, "schema": _schema,
                    "import": _import, "fetch": _fetch, "serve": _serve}
        return commands[options.command](options)
    except RaceFileError as error:
        _print_errors(error.lines, all_of_them=options.command == "validate")
        return EXIT_BAD_INPUT
    except (FeedError, WriteError) as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader stopped reading (``| head``): nothing more to say
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def _print(text: str) -> None:
    """Standard output in what it can encode (``PYTHONIOENCODING=ascii``, a C locale)."""
    from .core.plain import to_plain

    sys.stdout.write(to_plain(text, sys.stdout.encoding or "utf-8"))


def _print_errors(lines: list[str], all_of_them: bool) -> None:
    """A race file's errors; outside ``validate`` the first few, so that the first one is still on
    the screen afterwards, and how to see the rest."""
    shown = lines if all_of_them or len(lines) <= MAX_ERRORS_SHOWN else lines[:MAX_ERRORS_SHOWN]
    prefix = "" if all_of_them else "race-replay: "  # validate lists them as compilers do, for editors
    for line in shown:
        print(prefix + line, file=sys.stderr)
    if len(shown) < len(lines):
        path = lines[0].split(":", 1)[0]
        print(f"{prefix}... and {len(lines) - len(shown)} more: race-replay validate {path} lists them all",
              file=sys.stderr)


def _close_command(typed: str) -> str | None:
    """The command ``typed`` looks like a typo of ("exprt" -> "export"), if any."""
    import difflib

    close = difflib.get_close_matches(typed, COMMANDS, n=1, cutoff=0.7)
    return close[0] if close else None


def _fail(message: str) -> int:
    print(f"race-replay: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _validate(options: argparse.Namespace) -> int:
    from .validate_command import validate

    return validate(options)


def _export(options: argparse.Namespace) -> int:
    from .core.engine import Timeline
    from .export import ExportRequest
    from .racefile.loader import load_race
    from .user.files import write_atomically

    export_format = FORMATS[options.format]
    if options.output is not None and (problem := output_problem(options.output)):
        return _fail(f"{options.output}: {problem}")
    if options.driver and options.format not in DRIVER_FORMATS:
        return _fail(f"--driver: the {options.format} format has no driver sections (give --format md)")
    timeline = Timeline(load_race(options.file))
    try:
        lap = _lap_of(timeline, options.lap)
    except LapInputError as error:
        return _fail(f"{options.file}: --lap: {error}")
    drivers = _drivers(timeline, options.file, options.driver)
    if isinstance(drivers, int):
        return drivers
    notes = _notes(options.file) if export_format.whole else ()
    text = export_format.render(ExportRequest.at(timeline, lap, notes, drivers))
    if options.output is None:
        _print(text)
        return EXIT_OK
    write_atomically(options.output, text)
    print(f"{options.output}: lap {lap} as {options.format}")
    return EXIT_OK


def _drivers(timeline: Timeline, path: Path, names: Sequence[str]) -> tuple[str, ...] | int:
    """The entry keys ``--driver`` names, or the exit status of a name that is no driver of the race."""
    from .core.notes import NoteInputError, find_driver

    try:
        return tuple(dict.fromkeys(find_driver(timeline.race.entries, name) for name in names))
    except NoteInputError as error:
        return _fail(f"{path}: --driver: {error}")


def _notes(race: Path) -> tuple:
    """The notes kept for ``race``; none, said in one line, if its notes file cannot be read (the
    export goes on: the notes are the user's, the race is not; the file is left as it is)."""
    from .racefile.notes import NotesBook, NotesError

    try:
        return NotesBook.open(race).notes
    except NotesError as error:
        print(f"race-replay: exported without notes: {error}", file=sys.stderr)
        return ()


def _note(options: argparse.Namespace) -> int:
    """Add one note, written at once (atomically) beside the race or in the data folder."""
    from .core.engine import Timeline
    from .core.notes import Note
    from .racefile.loader import load_race
    from .racefile.notes import NotesBook, NotesError

    timeline = Timeline(load_race(options.file))
    try:
        lap = _lap_of(timeline, options.lap)
    except LapInputError as error:
        return _fail(f"{options.file}: --lap: {error}")
    text = " ".join(options.text).strip()
    if not text:
        return _fail(f"{options.file}: the note has no text")
    cars = _drivers(timeline, options.file, [options.driver] if options.driver is not None else [])
    if isinstance(cars, int):
        return cars
    try:
        book = NotesBook.open(options.file)
        path = book.add(Note(lap, text, cars[0] if cars else None))
    except NotesError as error:
        return _fail(f"{options.file}: {error}" if error.unsaved else str(error))
    about = f" about {timeline.race.entries[cars[0]].label}" if cars else ""
    print(f"{path}: note at lap {lap}{about} ({len(book.notes)} note{'s' if len(book.notes) != 1 else ''})")
    return EXIT_OK


def _import_options(options: argparse.Namespace, series: str | None = None) -> ImportOptions:
    """The race facts given on the command line; FeedError for a malformed one."""
    from .sources.base import ImportOptions

    stage_ends = None
    if options.stage_ends:
        try:
            stage_ends = [int(part) for part in options.stage_ends.split(",")]
        except ValueError:
            raise FeedError(f"--stage-ends takes lap numbers separated by commas, not {options.stage_ends!r}") from None
    if options.date:
        try:
            dt.date.fromisoformat(options.date)
        except ValueError:
            raise FeedError(f"--date takes YYYY-MM-DD, not {options.date!r}") from None
    return ImportOptions(series, options.name, options.track, options.date, stage_ends, options.laps)


def _fetch(options: argparse.Namespace) -> int:
    return source(options.feed).fetch(options, _import_options(options))


def _import(options: argparse.Namespace) -> int:
    """Import, validate, then write atomically: a failed import leaves no file (and an old one untouched)."""
    from .sources.base import print_notices, write_atomically

    import_options = _import_options(options, options.series)
    if problem := output_problem(options.output):
        return _fail(f"{options.output}: {problem}")
    chosen = source(options.feed)
    imported = chosen.import_files(chosen.read_input(options), import_options)
    write_atomically(options.output, imported.text)  # the warnings after: none if it cannot be written
    print_notices(imported.notices, options.spoilers)
    print(f"{options.output}: imported from {', '.join(imported.files)}")
    return EXIT_OK


def _schema(options: argparse.Namespace) -> int:
    if options.export:
        from .export import export_schema_text

        _print(export_schema_text())
        return EXIT_OK
    from .racefile.schema import race_schema

    _print(json.dumps(race_schema(), indent=2) + "\n")
    return EXIT_OK


@without_collector  # until the viewer's first frame: see ``ReplayApp.on_mount``
def _view(options: argparse.Namespace) -> int:
    """A file opens straight at the replay; a folder (or nothing: the bundled races) opens the picker."""
    target = Path(options.target) if options.target else None
    if target is not None and target.is_dir():
        from .racefile.bundled import has_race_files

        if not has_race_files(target):
            return _fail(f"{target}: no race files (*.yaml) here. Make one with `race-replay import nascar FEED_FOLDER "
                         f"-o {target}/RACE.yaml`, or run `race-replay` for the bundled races")
    if target is None or target.is_dir():
        from .racefile.bundled import default_race_folders
        from .viewer.preload import ListingPreload

        folders = [target] if target else default_race_folders()
        listing = ListingPreload.start(folders)  # listed in a child while Textual imports and the picker first shows
        from .viewer.app import ReplayApp  # Textual loads only when the viewer opens

        return run_app(ReplayApp(race_folders=folders, listed=listing.result))
    pace = _pace(options)
    if isinstance(pace, int):
        return pace
    app = viewer_app(target, options.lap, pace=pace)
    if isinstance(app, str):
        return _fail(app)
    return run_app(app)


def _serve(options: argparse.Namespace) -> int:
    from .serve.command import serve

    return serve(options)


def _pace(options: argparse.Namespace) -> float | None | int:
    """``--real-time [--speed X]`` as the pace to play at, or the exit status of a wrong one."""
    if options.speed is not None and not options.real_time:
        return _fail("--speed: give --real-time too (--speed scales the race's own pace)")
    if options.speed is not None and not 0.5 <= options.speed <= 16:
        return _fail(f"--speed: {options.speed:g} is outside 0.5 to 16")
    return (options.speed or 1.0) if options.real_time else None


def run_app(app: ReplayApp, headless: bool = False) -> int:
    """Run the viewer; a crash (Textual prints its traceback) exits non-zero, never 0."""
    app.run(headless=headless)
    return app.return_code or EXIT_OK


def viewer_app(target: Path, lap: int | str | None = 0, transient: bool = True,
               app_class: type[ReplayApp] | None = None, pace: float | None = None) -> ReplayApp | str:
    """The viewer (``app_class``: the served one) opened at ``lap`` of the race in ``target`` (None:
    where it was left), at race pace (``pace``: --real-time) if asked, or why it cannot open (a message).
    The race loads in a child process while Textual imports here (see ``preload``)."""
    pending = Preload.start(target)
    from .viewer.app import ReplayApp

    timeline = pending.result()
    try:
        start = None if lap is None else _lap_of(timeline, str(lap))
    except LapInputError as error:
        return f"{target}: --lap: {error}"
    return (app_class or ReplayApp)(timeline, lap=start, race_folders=[target.parent], transient=transient, pace=pace)


def _lap_of(timeline: Timeline, text: str) -> int:
    """``--lap``'s text as a lap of the race: the viewer's Go-to-lap grammar, the schedule known."""
    info = timeline.race.info
    return parse_lap(text, info.laps, info.final_lap, in_progress=info.in_progress)
