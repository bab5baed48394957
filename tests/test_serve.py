"""``race-replay serve`` without a browser: pages are websocket clients reading the frames.
Every app process must end with its page, its input, or its server (checked in /proc)."""

from __future__ import annotations

import asyncio
import shutil
import signal
import subprocess
import sys

import aiohttp
import pytest

from replay.cli import main
from replay.serve.party import HOST, VIEWER, Party
from tests.conftest import HOMESTEAD
from tests.serving import Page, Served, processes_of, wait_for_no_processes

GONE_SECONDS = 5.0  # "no app process survives more than a few seconds"


@pytest.fixture
def race(tmp_path):
    """A copy of a race in the test's own folder: its path marks the test's own app processes."""
    copy = tmp_path / "race.yaml"
    shutil.copy(HOMESTEAD, copy)
    return copy


@pytest.fixture
def served(race):
    servers: list[Served] = []

    def serve(*args: str) -> Served:
        servers.append(Served(str(race), *args))
        return servers[-1]

    yield serve
    for server in servers:
        server.close()
    assert wait_for_no_processes(str(race.parent), GONE_SECONDS) == []


async def open_pages(session: aiohttp.ClientSession, server: Served, count: int) -> list[Page]:
    pages = [await Page(session, server.ws()).open() for _ in range(count)]
    for page in pages:
        await page.wait_for(r"Lap 0 / 134")
    return pages


async def test_a_page_draws_the_replay_and_takes_keys(served):
    server = served()
    async with aiohttp.ClientSession() as session:
        page = await Page(session, server.ws()).open()
        await page.wait_for(r"Lap 0 / 134")
        await page.press("right", "right")
        await page.wait_for(r"Lap 2 / 134")
        await page.close()


async def test_a_page_that_goes_away_takes_its_app_with_it(served, race):
    server = served()
    async with aiohttp.ClientSession() as session:
        pages = await open_pages(session, server, 2)
        assert len(processes_of(str(race.parent))) == 2
        await pages[0].close()
        await asyncio.sleep(0)
        left = await asyncio.to_thread(wait_for_no_processes, str(race.parent), GONE_SECONDS)
        # the other page's app is still there, and only it
        assert len(left) == 1
        await pages[1].wait_for(r"Lap 0 / 134")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "killed"])
async def test_the_server_stopped_or_killed_leaves_no_app_process(served, race, sig):
    server = served()
    async with aiohttp.ClientSession() as session:
        await open_pages(session, server, 3)
        assert len(processes_of(str(race.parent))) == 3
        status = await asyncio.to_thread(server.signal, sig)
        assert status == (0 if sig == signal.SIGINT else -signal.SIGKILL)
        assert await asyncio.to_thread(wait_for_no_processes, str(race.parent), GONE_SECONDS) == []


def test_an_app_ends_when_its_input_closes(race):
    """Textual's web driver alone would keep running, adopted by init, once its server is gone."""
    child = subprocess.Popen([sys.executable, "-m", "replay.serve.child", str(race)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert child.stdout.readline() == b"__GANGLION__\n"
        child.stdin.close()
        assert child.wait(GONE_SECONDS) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()


def test_serve_reports_bad_input_in_one_line(tmp_path, capsys):
    assert main(["serve", str(tmp_path / "missing.yaml")]) == 2
    assert main(["serve", str(tmp_path), "--party"]) == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("race: [\n")
    assert main(["serve", str(bad)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == f"race-replay: {tmp_path / 'missing.yaml'}: no such file or folder"
    assert lines[1] == "race-replay: --party serves one race: give a race file"
    assert lines[2].startswith(f"{bad}:") and len(lines) == 3


# -- the party's state on the server, alone -------------------------------------------------

class FakePage:
    def __init__(self) -> None:
        self.heard: list[dict] = []

    async def tell(self, news: dict) -> None:
        self.heard.append(news)


async def test_the_party_passes_on_the_hosts_lap_and_nobody_elses():
    party, host, viewer = Party("secret"), FakePage(), FakePage()
    await party.join(host, HOST)
    await party.join(viewer, VIEWER)
    assert viewer.heard[-1] == {"lap": 0, "playing": False, "speed": 2, "host": True, "watching": 2}
    await party.hear(viewer, {"lap": 50, "playing": True, "speed": 2})
    assert party.lap == 0
    await party.hear(host, {"lap": 7, "playing": True, "speed": 3})
    assert viewer.heard[-1]["lap"] == 7 and viewer.heard[-1]["playing"] is True
    assert party.is_host_token("secret") and not party.is_host_token("secreT")


async def test_a_second_host_takes_over_and_a_host_who_leaves_leaves_the_viewers_be():
    party, first, second = Party(), FakePage(), FakePage()
    await party.join(first, HOST)
    await party.hear(first, {"lap": 12, "playing": True, "speed": 2})
    await party.join(second, HOST)
    assert any(news.get("role") == VIEWER for news in first.heard) and party.host is second and party.viewers == [first]
    await party.leave(second)
    assert first.heard[-1] == {"lap": 12, "playing": False, "speed": 2, "host": False, "watching": 1}
