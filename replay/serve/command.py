"""``race-replay serve``: check what is to be served, listen, print the addresses, serve until Ctrl+C."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def fail(message: str) -> int:
    print(f"race-replay: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def add_serve_parser(sub: argparse._SubParsersAction) -> None:
    """The ``serve`` command's arguments (the command line's parser calls this)."""
    serve = sub.add_parser("serve", help="serve the viewer to web browsers (or, with --party, a watch party)",
                           description="Serve the viewer to web browsers: each page gets its own replay. "
                                       "With --party, every page follows the host's lap and playback.")
    serve.add_argument("target", nargs="?", help="a race file or a folder of them (default: the bundled races)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="the port to listen on (default: 8000; 0: any free port)")
    serve.add_argument("--party", action="store_true",
                       help="a watch party of one race: prints the host's address (with a secret) and the viewers'")


def serve(options: argparse.Namespace) -> int:
    """Serve until Ctrl+C; every app process the server started ends with it."""
    import asyncio

    target = Path(options.target) if options.target else None
    problem = _serve_problem(target, options.party)
    if problem:
        return fail(problem)
    from .party import Party
    from .server import ReplayServer

    party = Party() if options.party else None
    server = ReplayServer(target, options.host, options.port, party)
    if not _is_loopback(options.host):
        print(f"race-replay: warning: listening on {options.host}: anyone who can reach this machine on that "
              "network can open the replay", file=sys.stderr)

    def started(port: int) -> None:
        base = f"http://{_url_host(options.host)}:{port}"
        if party is None:
            print(f"serving: {base}/")
        else:
            print(f"host: {base}/host/{party.token}  (yours: keep it secret)")
            print(f"join: {base}/  (for everyone watching)")
        print("Ctrl+C stops the server and every replay it serves.", flush=True)

    try:
        asyncio.run(server.run(started))
    except OSError as error:
        reason = error.strerror or str(error).rsplit(": ", 1)[-1]
        return fail(f"cannot listen on {options.host} port {options.port}: {reason}")
    return EXIT_OK


def _serve_problem(target: Path | None, party: bool) -> str | None:
    """Why ``serve`` cannot serve ``target``, if it cannot; a race file's errors raise RaceFileError."""
    if target is not None and not target.exists():
        return f"{target}: no such file or folder"
    if party and (target is None or target.is_dir()):
        return "--party serves one race: give a race file"
    if target is not None and target.is_dir():
        from ..racefile.bundled import race_files

        if not race_files(target):
            return f"{target}: no race files (*.yaml) here"
    elif target is not None:
        from ..racefile.loader import load_race

        load_race(target)  # a bad file is reported here, once, not in every browser page
    return None


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    """``host`` as written in a URL: the machine's name for any-address, brackets for IPv6."""
    import socket

    if host in ("", "0.0.0.0", "::"):
        return socket.gethostname()
    return f"[{host}]" if ":" in host else host
