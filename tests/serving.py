"""Helpers for the tests of ``race-replay serve``: a server in a subprocess, pages as websocket
clients that read the screen from the frames (escape codes stripped), and a /proc scan for any
process left behind."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

ESCAPES = re.compile(r"\x1b\[[0-9;?<>=$]*[A-Za-z~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b[=>78]")
GONE_SECONDS = 5.0  # "no app process survives more than a few seconds"
KEYS = {"right": "\x1b[C", "left": "\x1b[D", "end": "\x1b[F"}


def screen_text(frames: str) -> str:
    """What the frames write, without their escape codes (cursor moves become nothing)."""
    return ESCAPES.sub("", frames)


class Served:
    """``race-replay serve ARGS --port 0`` in its own process; ``urls`` are the lines it printed."""

    def __init__(self, *args: str, env: dict[str, str] | None = None, unset: tuple[str, ...] = ()) -> None:
        environment = {key: value for key, value in {**os.environ, **(env or {})}.items() if key not in unset}
        self.process = subprocess.Popen([sys.executable, "-m", "replay", "serve", *args, "--port", "0"],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
        self.urls: dict[str, str] = {}
        while not self.urls.get("serving") and not self.urls.get("join"):
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"serve did not start: {self.process.stderr.read()}")
            if ": http" in line:
                name, url = line.split(": ", 1)
                self.urls[name] = url.split()[0]
        self.base = (self.urls.get("serving") or self.urls["join"]).rstrip("/")

    def ws(self, host: bool = False) -> str:
        url = self.urls["host"].replace("/host/", "/ws/host/") if host else self.base + "/ws"
        return url.replace("http://", "ws://")

    def signal(self, sig: int) -> int:
        self.process.send_signal(sig)
        return self.process.wait(10)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()


def processes_of(marker: str, what: str = "replay.serve.child") -> list[int]:
    """The processes (app processes, or ``what``) whose command line holds ``marker`` (a test's own
    folder): what it left running."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if marker in cmdline and what in cmdline:
            found.append(int(entry.name))
    return found


def wait_for_no_processes(marker: str, seconds: float, what: str = "replay.serve.child") -> list[int]:
    """Wait up to ``seconds`` for every app process (or ``what``) of ``marker`` to be gone; those still there."""
    deadline = time.monotonic() + seconds
    while (left := processes_of(marker, what)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


class Page:
    """One page as a websocket client: what it has drawn, and keys to send."""

    def __init__(self, session: aiohttp.ClientSession, url: str, width: int = 120, height: int = 40) -> None:
        self.session, self.url, self.size = session, url, (width, height)
        self.frames = ""
        self.messages: list[list] = []  # the server's text messages: downloads, links
        self.first_frame: float | None = None
        self._reader: asyncio.Task | None = None

    async def open(self) -> Page:
        width, height = self.size
        self.opened = time.monotonic()
        self.ws = await self.session.ws_connect(f"{self.url}?width={width}&height={height}")
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                if self.first_frame is None:
                    self.first_frame = time.monotonic()
                self.frames += message.data.decode("utf-8", "replace")
            elif message.type == aiohttp.WSMsgType.TEXT:
                self.messages.append(json.loads(message.data))

    @property
    def text(self) -> str:
        return screen_text(self.frames)

    async def wait_for(self, pattern: str, seconds: float = 30.0, since: int = 0) -> re.Match:
        """The first match of ``pattern`` in what was drawn after character ``since`` of the frames."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = re.search(pattern, screen_text(self.frames[since:]))
            if found:
                return found
            await asyncio.sleep(0.02)
        raise AssertionError(f"{pattern!r} not drawn in {seconds} s; the screen's end: {self.text[-600:]!r}")

    async def press(self, *keys: str) -> None:
        for key in keys:
            await self.ws.send_str(json.dumps(["stdin", KEYS.get(key, key)]))

    async def close(self) -> None:
        await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()
