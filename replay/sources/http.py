"""Downloads from a timing feed's web server, as real servers answer: slow, failing, refusing.

The client is httpx: one pooled connection for a race's five files, separate connect and read
timeouts, and streamed bodies (for the progress bar and to notice a body cut short against its
Content-Length). 5xx answers and timeouts are retried with backoff; a 404 means the file was not
published; everything else that is not a whole JSON document is one line naming the URL.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from .feed_io import looks_cut

Progress = Callable[[str, int, "int | None"], None]  # (what, bytes so far, bytes in all if known)


def user_agent() -> str:
    """Names race-replay and its version: the feed is reported to refuse requests without one."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("race-replay")
    except PackageNotFoundError:
        found = "0+unknown"
    return f"race-replay/{found} (terminal race replay viewer; httpx/{httpx.__version__})"


class FetchError(Exception):
    """One line for the user: the URL and what went wrong with it."""


class OfflineError(FetchError):
    """The server could not be reached at all (no network, wrong host)."""


@dataclass
class Downloader:
    """GETs paths under ``base_url``; ``backoff`` seconds doubles after each failed try."""

    base_url: str
    tries: int = 3
    backoff: float = 0.5
    timeout: float = 20.0
    sleep: Callable[[float], None] = time.sleep

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        self.requests = 0  # counted, so that a cached fetch can be shown to make none
        # A plain-HTTP host (a local mirror) needs no TLS: not loading the CA bundle saves ~50 ms a
        # fetch, and following no redirects keeps an https hop from going unverified.
        plain = self.base_url.startswith("http://")
        self._client = httpx.Client(headers={"User-Agent": user_agent()}, follow_redirects=not plain,
                                    verify=not plain,
                                    timeout=httpx.Timeout(self.timeout, connect=min(10.0, self.timeout)))

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Downloader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def get_json(self, path: str, progress: Progress | None = None) -> bytes | None:
        """The body at ``path``, checked to be one whole JSON document; None when it is not
        published (404). Raises FetchError (OfflineError when the host cannot be reached)."""
        got = self.get_parsed(path, progress)
        return None if got is None else got[0]

    def get_parsed(self, path: str, progress: Progress | None = None) -> tuple[bytes, Any] | None:
        """The body at ``path`` and its parsed JSON (parsed once, to check it: the importer takes it
        as it is); None when it is not published (404)."""
        url = self.url(path)
        body = self._get(url, progress)
        return None if body is None else (body, check_json(url, body))

    def _get(self, url: str, progress: Progress | None) -> bytes | None:
        problem = ""
        for attempt in range(self.tries):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                return self._once(url, progress)
            except _RetryableError as retry:
                problem = str(retry)
        raise FetchError(f"{url}: {problem} ({self.tries} tries)")

    def _once(self, url: str, progress: Progress | None) -> bytes | None:
        self.requests += 1
        try:
            with self._client.stream("GET", url) as response:
                if response.status_code == 404:
                    return None
                if response.status_code >= 500:
                    raise _RetryableError(f"the server failed (HTTP {response.status_code})")
                if response.status_code != 200:
                    raise FetchError(f"{url}: the server refused the request "
                                     f"(HTTP {response.status_code} {response.reason_phrase})")
                return _read(response, url, progress)
        except httpx.TimeoutException as error:
            raise _RetryableError("no answer in time") from error
        except httpx.ConnectError as error:
            raise OfflineError(f"{url}: cannot reach the server ({_reason(error)}); are you offline?") from error
        except httpx.RemoteProtocolError as error:
            raise FetchError(f"{url}: the answer was cut off before its end") from error
        except httpx.HTTPError as error:
            raise FetchError(f"{url}: {_reason(error)}") from error


class _RetryableError(Exception):
    """A failure worth another try: a 5xx answer or a timeout."""


def _read(response: httpx.Response, url: str, progress: Progress | None) -> bytes:
    """The decoded body; progress counts the bytes on the wire against Content-Length (a body
    shorter than that raises RemoteProtocolError in httpx, reported as cut off)."""
    total = response.headers.get("Content-Length")
    expected = int(total) if total and total.isdigit() else None
    chunks = []
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        if progress is not None:
            progress(url, response.num_bytes_downloaded, expected)
    return b"".join(chunks)


def _reason(error: Exception) -> str:
    return str(error).split("\n")[0] or type(error).__name__


UNPARSED = object()  # a body the importer parses itself


def check_json(url: str, body: bytes) -> Any:
    """``body`` parsed; FetchError unless it is one whole JSON document (idle feeds answer 200 with nothing)."""
    try:
        text, strict = body.decode("utf-8-sig").strip(), True
    except UnicodeDecodeError:  # the importer names the bad byte: it parses such a body itself
        text, strict = body.decode("utf-8-sig", errors="replace").strip(), False
    if not text:
        raise FetchError(f"{url}: the server answered with an empty body (the feed has nothing there yet)")
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as error:
        if text.startswith("<"):
            raise FetchError(f"{url}: the server answered with a web page, not JSON") from None
        if error.pos >= len(text) - 1 or looks_cut(error, text):
            raise FetchError(f"{url}: the answer is cut short (its JSON does not end)") from None
        raise FetchError(f"{url}: the answer is not JSON (line {error.lineno}, column {error.colno})") from None
    return parsed if strict else UNPARSED
