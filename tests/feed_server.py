"""A loopback HTTP server that serves recorded feed files under NASCAR's paths, with faults on
demand: the tests' stand-in for cf.nascar.com (no test touches the internet)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.conftest import ROOT

FEEDS = ROOT / "tests" / "data" / "feeds"
ATLANTA = FEEDS / "nascar-xfinity-2023-atlanta-5314"
SAMPLES = FEEDS / "nascar-2023-samples"

# Race 5314 (Xfinity, 2023) as the feed serves it: the recorded files under their server paths.
MIRROR = {
    "/cacher/2023/race_list_basic.json": SAMPLES / "race_list_basic.json",
    "/cacher/2023/2/5314/lap-times.json": ATLANTA / "lap-times.json",
    "/cacher/2023/2/5314/lap-notes.json": ATLANTA / "lap-notes.json",
    "/cacher/live/series_2/5314/live-pit-data.json": ATLANTA / "live-pit-data.json",
    "/cacher/live/series_2/5314/live-flag-data.json": ATLANTA / "live-flag-data.json",
    "/cacher/live/series_2/5314/live-stage-points.json": ATLANTA / "live-stage-points.json",
    "/loopstats/prod/2023/2/5314.json": ATLANTA / "live-driver-stats.json",
    "/cacher/2023/1/5274/weekend-feed.json": SAMPLES / "weekend-feed-cup-5274.json",
}


@dataclass
class Fault:
    """What the server does instead of answering well, for the first ``times`` requests (0: always).
    ``kind``: ``status`` (answer ``status``), ``empty`` (200, no body), ``cut`` (close half way
    through the promised body), ``half`` (half the JSON, its length announced honestly), ``html``
    (a web page), ``slow`` (wait ``seconds`` first)."""

    kind: str
    status: int = 200
    times: int = 0
    seconds: float = 0.0
    served: int = 0


@dataclass
class FeedServer:
    url: str
    files: dict[str, Path]
    faults: dict[str, Fault] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, User-Agent)

    def paths_asked(self) -> list[str]:
        return [path for path, _ in self.requests]


def _handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 (the http.server name)
            path = self.path.split("?", 1)[0]
            server.requests.append((path, self.headers.get("User-Agent", "")))
            fault = server.faults.get(path)
            if fault is not None and (fault.times == 0 or fault.served < fault.times):
                fault.served += 1
                if self._fault(fault, path):
                    return
            file = server.files.get(path)
            if file is None:
                self._answer(404, b"<html>Not Found</html>", "text/html")
            else:
                self._answer(200, file.read_bytes())

        def _fault(self, fault: Fault, path: str) -> bool:
            """Act out ``fault``; False when the request should then be answered normally."""
            body = server.files[path].read_bytes() if path in server.files else b"{}"
            if fault.kind == "slow":
                time.sleep(fault.seconds)
                return False
            if fault.kind == "status":
                self._answer(fault.status, b"<html>error</html>", "text/html")
            elif fault.kind == "empty":
                self._answer(200, b"")
            elif fault.kind == "html":
                self._answer(200, b"<!DOCTYPE html><html><body>Service unavailable</body></html>", "text/html")
            elif fault.kind == "half":
                self._answer(200, body[: len(body) // 2])
            elif fault.kind == "cut":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
            return True

        def _answer(self, status: int, body: bytes, kind: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that gave up (a timeout test) leaves a broken pipe: not the test's concern."""


@contextmanager
def serving(files: dict[str, Path] | None = None) -> Iterator[FeedServer]:
    """A server on 127.0.0.1 (a free port) for the ``with`` block."""
    state = FeedServer("", dict(MIRROR if files is None else files))
    httpd = _QuietServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
