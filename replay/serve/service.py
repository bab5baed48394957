"""One page's app process, as textual-serve runs it but bounded in life.

textual-serve starts ``sh -c COMMAND`` in the server's own session and, when the page goes, asks
the app to quit and waits for it without a timeout; nothing ends the apps when the server stops.
Here the app is started without a shell, in a session of its own, and stopping it is bounded: quit,
close its input, then SIGTERM and SIGKILL to its whole process group.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
from collections.abc import Awaitable, Callable
from typing import Any

from textual_serve.app_service import AppService

from . import PARTY, SERVER_PID, News

QUIT_SECONDS = 2.0  # a quitting app may take this long before it is terminated
TERM_SECONDS = 1.0  # and this long after SIGTERM before it is killed
DRIVER = "replay.serve.driver:ServedDriver"


class BoundedAppService(AppService):
    """``argv`` is run as it is (no shell); ``env`` is added to the server's environment;
    ``on_party`` gets the app's party packets."""

    def __init__(self, argv: list[str], *, env: dict[str, str] | None = None,
                 on_party: Callable[[News], Awaitable[None]] | None = None, **kwargs: Any) -> None:
        super().__init__(" ".join(argv), **kwargs)
        self.argv, self.extra_env, self.on_party = argv, env or {}, on_party

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        environment.setdefault("RACE_REPLAY_GLYPHS", "browser")  # widgets.glyphs: what a browser's fonts draw
        return {**environment, "TEXTUAL_DRIVER": DRIVER, SERVER_PID: str(os.getpid()), **self.extra_env}

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=self._build_environment(width, height), start_new_session=True)
        self._stdin = process.stdin
        return process

    async def tell(self, news: News) -> None:
        """Pass party news to the app (it arrives on its input, as a meta packet)."""
        if self._task is not None:
            await self.send_meta({"type": PARTY, **news})

    async def on_meta(self, data: bytes) -> None:
        try:
            meta = json.loads(data)
        except ValueError:
            return
        if isinstance(meta, dict) and meta.get("type") == PARTY:
            if self.on_party is not None:
                await self.on_party(meta)
            return
        await super().on_meta(data)

    async def stop(self) -> None:
        """Ask the app to quit, close its input, and end its process group if it is still there
        after ``QUIT_SECONDS`` (then ``TERM_SECONDS``). Safe to call more than once."""
        task, self._task = self._task, None
        if task is None:
            return
        with contextlib.suppress(Exception):
            await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.send_meta({"type": "quit"}), QUIT_SECONDS)
        with contextlib.suppress(Exception):
            self.stdin.close()
        await self._end_process()
        task.cancel()
        with contextlib.suppress(BaseException):
            await task

    async def _end_process(self) -> None:
        process = self._process
        if process is None:
            return
        for sig, seconds in ((None, QUIT_SECONDS), (signal.SIGTERM, TERM_SECONDS), (KILL, None)):
            if sig is not None:
                _signal_group(process, sig)
            try:
                await asyncio.wait_for(process.wait(), seconds)
            except asyncio.TimeoutError:
                continue
            break
        _signal_group(process, KILL)  # the app is gone: anything it started in its session goes with it


KILL = getattr(signal, "SIGKILL", signal.SIGTERM)


def _signal_group(process: asyncio.subprocess.Process, sig: int) -> None:
    """Signal the app's whole session (its process group); where there are none (Windows), the app."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if hasattr(os, "killpg"):
            os.killpg(process.pid, sig)
        elif process.returncode is None:
            process.send_signal(sig)
