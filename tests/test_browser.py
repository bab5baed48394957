"""``race-replay serve`` in a real browser: Debian's Chromium, driven by Playwright.

Deselected by default (pyproject's addopts: ``-m 'not browser'``); ``.ci/run`` installs Chromium
and the ``browser`` extra and runs them with ``pytest -m browser``. Every request that is not to
loopback is blocked (the page links web fonts). The screen is read from the page's websocket frames.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.serving import GONE_SECONDS, processes_of, screen_text, wait_for_no_processes

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("RACE_REPLAY_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DRAW_SECONDS = 30.0  # a cold browser on a busy 2-core machine


class Tab:
    """A page in the browser, and the text its websocket has drawn."""

    def __init__(self, page) -> None:
        self.page, self.frames = page, ""
        page.on("websocket", self._watch)

    def _watch(self, websocket) -> None:
        websocket.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            self.frames += payload.decode("utf-8", "replace")

    @property
    def text(self) -> str:
        return screen_text(self.frames)

    async def open(self, url: str) -> Tab:
        await self.page.goto(url)
        await self.wait_for(r"Lap \d+ / 134")
        await self.page.mouse.click(400, 300)  # the terminal takes keys once clicked into
        return self

    async def wait_for(self, pattern: str, seconds: float = DRAW_SECONDS, since: int = 0) -> None:
        deadline = time.monotonic() + seconds
        while not re.search(pattern, screen_text(self.frames[since:])):
            if time.monotonic() > deadline:
                raise AssertionError(f"{pattern!r} not drawn in {seconds} s: {self.text[-500:]!r}")
            await asyncio.sleep(0.05)

    async def press(self, *keys: str) -> None:
        for key in keys:
            await self.page.keyboard.press(key)


async def _loopback_only(route) -> None:
    if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost", "::1"):
        await route.continue_()
    else:
        await route.abort()


@pytest.fixture
async def browser(tmp_path):
    """A fresh Chromium (its own profile folder, which also marks its processes)."""
    from playwright.async_api import async_playwright

    profile = tmp_path / "profile"
    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 1280, "height": 800})
        await context.route("**/*", _loopback_only)
        context.profile = profile
        try:
            yield context
        finally:
            try:
                await context.close()
            except Exception:  # the test killed it
                pass


async def new_tab(browser, url: str) -> Tab:
    return await Tab(await browser.new_page()).open(url)


def browser_pids(profile: Path) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if entry.name.isdigit() and str(profile).encode() in cmdline:
            pids.append(int(entry.name))
    return pids


async def test_the_page_draws_the_replay_and_takes_keys(served, browser, tmp_path):
    server = served()
    tab = await new_tab(browser, server.base + "/")
    await tab.press("ArrowRight", "ArrowRight")
    await tab.wait_for(r"Lap 2 / 134")
    await tab.page.screenshot(path=str(tmp_path / "page.png"))
    assert (tmp_path / "page.png").stat().st_size > 10_000


async def test_a_host_and_viewers_follow_and_a_viewer_never_passes_the_host(served, browser):
    server = served("--party")
    host = await new_tab(browser, server.urls["host"])
    viewers = [await new_tab(browser, server.urls["join"]) for _ in range(3)]
    await host.wait_for(r"hosting · 4 watching")
    await host.page.bring_to_front()
    await host.press(*["ArrowRight"] * 4)
    for viewer in viewers:
        await viewer.wait_for(r"Lap 4 / 134 .*following the host")
    one = viewers[0]
    await one.page.bring_to_front()
    mark = len(one.frames)
    await one.press("ArrowLeft", "ArrowLeft")
    await one.wait_for(r"Lap 2 / 134 .*host at lap 4 · j rejoins", since=mark)
    await one.press("ArrowRight", "End", "ArrowRight")
    await one.wait_for(r"Lap 3 / 134", since=mark)
    await one.wait_for(r"Lap 4 / 134", since=mark)  # End goes as far as the host's lap, no further
    await asyncio.sleep(0.5)  # every key above drawn (at the host's lap the viewer follows again)
    mark = len(one.frames)
    await one.press("ArrowLeft")
    await one.wait_for(r"Lap 3 / 134 .*j rejoins", since=mark)
    mark = len(one.frames)
    await one.press("j")
    await one.wait_for(r"Lap 4 / 134 .*following the host", since=mark)
    await asyncio.sleep(0.5)
    assert not any(f"Lap {lap} / 134" in viewer.text for viewer in viewers for lap in range(5, 135))


async def test_pages_that_vanish_and_a_killed_browser_leave_nothing(served, browser, race):
    server = served()
    tabs = [await new_tab(browser, server.base + "/") for _ in range(3)]
    assert len(processes_of(str(race.parent))) == 3
    await tabs[0].page.close()
    deadline = time.monotonic() + GONE_SECONDS
    while len(processes_of(str(race.parent))) > 2 and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert len(processes_of(str(race.parent))) == 2
    for pid in browser_pids(browser.profile):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert await asyncio.to_thread(wait_for_no_processes, str(race.parent), GONE_SECONDS) == []
    assert server.process.poll() is None  # the server itself goes on serving


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "killed"])
async def test_a_server_stopped_or_killed_under_open_pages_leaves_nothing(served, browser, race, sig):
    server = served("--party")
    await new_tab(browser, server.urls["host"])
    await new_tab(browser, server.urls["join"])
    assert len(processes_of(str(race.parent))) == 2
    await asyncio.to_thread(server.signal, sig)
    assert await asyncio.to_thread(wait_for_no_processes, str(race.parent), GONE_SECONDS) == []


async def test_a_prep_sheet_written_in_the_browser_arrives_as_a_download(served, browser, race):
    server = served()
    tab = await new_tab(browser, server.base + "/")
    await tab.press("ArrowRight")
    await tab.wait_for(r"Lap 1 / 134")
    async with tab.page.expect_download(timeout=DRAW_SECONDS * 1000) as info:
        await tab.press("e")
    download = await info.value
    text = Path(await download.path()).read_text()
    written = list(race.parent.glob("*.md"))
    assert len(written) == 1 and download.suggested_filename == written[0].name
    assert text == written[0].read_text() and "lap 1" in text.lower()
