"""``race-replay serve`` without a browser: pages are websocket clients reading the frames.
Every app process must end with its page, its input, or its server (checked in /proc)."""

from __future__ import annotations

import asyncio
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from replay.cli import main
from replay.serve.party import HOST, VIEWER, Party
from tests.serving import GONE_SECONDS, Page, Served, processes_of, wait_for_no_processes


async def open_pages(session: aiohttp.ClientSession, server: Served, count: int) -> list[Page]:
    pages = [await Page(session, server.ws()).open() for _ in range(count)]
    for page in pages:
        await page.wait_for(r"Lap 0 / 134")
    return pages


async def host_and_viewer(session: aiohttp.ClientSession, server: Served) -> tuple[Page, Page]:
    """A party's host page, then a viewer's, both drawn."""
    host = await Page(session, server.ws(host=True)).open()
    await host.wait_for(r"hosting")
    viewer = await Page(session, server.ws()).open()
    await viewer.wait_for(r"following the host")
    return host, viewer


async def test_a_page_draws_the_replay_and_takes_keys(served):
    server = served()
    async with aiohttp.ClientSession() as session:
        page = await Page(session, server.ws()).open()
        await page.wait_for(r"Lap 0 / 134")
        await page.press("right", "right")
        await page.wait_for(r"Lap 2 / 134")
        await page.close()


async def test_a_folder_is_served_as_the_race_list(race):
    server = Served(str(race.parent))
    try:
        async with aiohttp.ClientSession() as session:
            page = await Page(session, server.ws()).open()
            await page.wait_for(r"Baptist Health 200")
            await page.press("\r")
            await page.wait_for(r"Lap 0 / 134")
            await page.close()
    finally:
        server.close()
    assert wait_for_no_processes(str(race.parent), GONE_SECONDS) == []


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
    assert lines[2].startswith(f"race-replay: {bad}:") and len(lines) == 3


def test_serve_warns_before_listening_beyond_this_machine(race, capsys):
    # 192.0.2.1 is documentation's own address (TEST-NET-1): no machine has it, so listening fails
    assert main(["serve", str(race), "--host", "192.0.2.1", "--port", "0"]) == 2
    warning, failure = capsys.readouterr().err.splitlines()
    assert warning == ("race-replay: warning: listening on 192.0.2.1: anyone who can reach this machine on that "
                       "network can open the replay")
    assert failure.startswith("race-replay: cannot listen on 192.0.2.1 port 0: ")
    assert main(["serve", str(race), "--host", "::2", "--port", "0"]) == 2
    assert "warning" in capsys.readouterr().err


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


# -- the party, with pages ---------------------------------------------------------------------

async def test_viewers_follow_the_host_never_pass_it_and_rejoin(served):
    server = served("--party")
    async with aiohttp.ClientSession() as session:
        host = await Page(session, server.ws(host=True)).open()
        await host.wait_for(r"hosting · 1 watching")
        viewers = [await Page(session, server.ws()).open() for _ in range(3)]
        for viewer in viewers:
            await viewer.wait_for(r"following the host")
        await host.wait_for(r"hosting · 4 watching")
        await host.press(*["right"] * 5)
        for viewer in viewers:
            await viewer.wait_for(r"Lap 5 / 134")
        one = viewers[0]
        mark = len(one.frames)
        await one.press("left", "left")
        await one.wait_for(r"Lap 3 / 134 .*host at lap 5 · j rejoins", since=mark)
        mark = len(one.frames)
        await one.press(*["right"] * 6, "end")  # two to the host's lap; four steps and the finish do nothing
        await one.wait_for(r"Lap 5 / 134 .*following the host", since=mark)
        mark = len(one.frames)  # (the steps to lap 5 drew lap 4 already: only what the host's step draws counts)
        await host.press("left")
        await one.wait_for(r"Lap 4 / 134 .*following the host", since=mark)
        await one.press("left")
        await one.wait_for(r"Lap 3 / 134", since=mark)
        mark = len(one.frames)
        await one.press("j")
        await one.wait_for(r"Lap 4 / 134 .*following the host", since=mark)
        assert not any(f"Lap {lap} / 134" in viewer.text for viewer in viewers for lap in range(6, 135))


async def test_the_host_leaves_and_a_second_host_page_takes_over(served):
    server = served("--party")
    async with aiohttp.ClientSession() as session:
        viewer = await Page(session, server.ws()).open()
        await viewer.wait_for(r"Lap 0 / 134 .*waiting for the host · 1 watching")
        first = await Page(session, server.ws(host=True)).open()
        await first.wait_for(r"hosting · 2 watching")
        await first.press("right", "right")
        await viewer.wait_for(r"Lap 2 / 134")
        second = await Page(session, server.ws(host=True)).open()
        await second.wait_for(r"Lap 2 / 134 .*hosting · 3 watching")
        await first.wait_for(r"following the host")
        mark = len(first.frames)
        await second.press("right")
        await first.wait_for(r"Lap 3 / 134", since=mark)
        await viewer.wait_for(r"Lap 3 / 134")
        await second.close()
        await viewer.wait_for(r"Lap 3 / 134 .*the host left · 2 watching")
        await first.wait_for(r"the host left · 2 watching")


async def test_viewers_neither_read_nor_write_the_hosts_notes(served, race):
    assert main(["note", str(race), "--lap", "1", "Only", "for", "the", "host"]) == 0
    notes = race.with_name("race.notes.yaml").read_text()
    server = served("--party")
    async with aiohttp.ClientSession() as session:
        host = await Page(session, server.ws(host=True)).open()
        viewer = await Page(session, server.ws()).open()
        await host.press("right")
        await host.wait_for(r"Only for the host")
        await viewer.wait_for(r"Lap 1 / 134")
        await viewer.press("a")
        await viewer.wait_for(r"keeps no notes")
        assert "Only for the host" not in viewer.text
    assert race.with_name("race.notes.yaml").read_text() == notes


async def test_the_page_asks_nothing_of_any_other_host(served):
    """textual-serve's page loads a web font from fonts.googleapis.com: a render-blocking stylesheet that
    holds a second screen on a network without the internet. Ours names no other host."""
    server = served()
    async with aiohttp.ClientSession() as session:
        async with session.get(server.base + "/") as answer:
            page = await answer.text()
    assert answer.status == 200 and "/ws" in page
    hosts = set(re.findall(r"(?:src|href)=\"(?:https?:)?//([^/\"]+)", page))
    assert hosts == {server.base.split("//", 1)[1]}, hosts  # the static files: from this server only


async def test_a_page_draws_what_a_browsers_fonts_have(race):
    """A new user's trial: Chromium's monospace fallback has no ⏸, drawn as a box in the header."""
    server = Served(str(race), unset=("RACE_REPLAY_GLYPHS",))
    try:
        async with aiohttp.ClientSession() as session:
            page = await Page(session, server.ws()).open()
            await page.wait_for(r"Lap 0 / 134.*\|\| ")
            assert "─" in page.text and "▏" in page.text  # the rest: the unicode set
            assert "⏸" not in page.text
            await page.close()
    finally:
        server.close()


async def test_the_hosts_page_needs_the_secret(served):
    server = served("--party")
    async with aiohttp.ClientSession() as session:
        wrong = server.urls["host"].rsplit("/", 1)[0] + "/not-the-token"
        async with session.get(wrong) as answer:
            assert answer.status == 404
        async with session.get(server.urls["host"]) as answer:
            assert answer.status == 200 and "/ws/host/" in await answer.text()


async def test_viewers_follow_the_hosts_playback(served):
    server = served("--party")
    async with aiohttp.ClientSession() as session:
        host, viewer = await host_and_viewer(session, server)
        await viewer.wait_for(r"following the host ⏸")
        await host.press("+", "+", " ")  # 4 laps/s
        await viewer.wait_for(r"following the host ▶ 4 laps/s")
        await viewer.wait_for(r"Lap 3 / 134")
        await host.press(" ")
        await viewer.wait_for(r"following the host ⏸ 4 laps/s")


async def test_the_capacity_benchmark_measures_each_figure():
    from tests.benchmarks.serve import measure, table

    results = await measure(viewers=2, steps=2)
    assert results["app_rss_mb"]["processes"] == 3  # the host's page and two viewers'
    assert results["join_to_first_frame_s"]["runs"] == 2 and results["step_to_every_viewer_s"]["runs"] == 2
    assert 0 < results["step_to_every_viewer_s"]["median"] < 30
    assert "host step to every viewer" in table(results)


async def test_a_viewers_prep_sheet_goes_to_its_browser_only(served, race):
    server = served("--party")
    async with aiohttp.ClientSession() as session:
        host, viewer = await host_and_viewer(session, server)
        await viewer.press("e")
        await viewer.wait_for(r"sent to the browser")
        deliveries = [message for message in viewer.messages if message[0] == "deliver_file_start"]
        assert len(deliveries) == 1
        async with session.get(f"{server.base}/download/{deliveries[0][1]}") as answer:
            assert "prep sheet at lap 0" in await answer.text()
    assert list(race.parent.glob("*.md")) == []


async def test_viewers_run_with_folders_of_their_own(served, race, own_user_folders):
    server = served("--party")
    async with aiohttp.ClientSession() as session:
        host, viewer = await host_and_viewer(session, server)
        folders = {}
        for pid in processes_of(str(race.parent)):
            environ = dict(item.split("=", 1) for item in
                           Path(f"/proc/{pid}/environ").read_text().split("\0") if "=" in item)
            folders[environ["RACE_REPLAY_DATA_DIR"]] = environ.get("RACE_REPLAY_CONFIG_DIR")
        assert str(own_user_folders / "data") in folders  # the host: the user's own
        (viewers_data, viewers_config), = [(data, config) for data, config in folders.items()
                                           if data != str(own_user_folders / "data")]
        assert "race-replay-viewer-" in viewers_data and viewers_config.startswith(str(Path(viewers_data).parent))
        await viewer.close()
        await host.wait_for(r"hosting · 1 watching")
    deadline = time.monotonic() + GONE_SECONDS
    while Path(viewers_data).parent.exists() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert not Path(viewers_data).parent.exists()  # removed once the viewer's app has ended


async def test_an_app_that_ignores_quit_and_sigterm_is_killed_with_its_children_within_the_bound(tmp_path):
    from textual_serve.download_manager import DownloadManager

    from replay.serve.service import QUIT_SECONDS, TERM_SECONDS, BoundedAppService

    stubborn = ("import signal, subprocess, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)', {str(tmp_path)!r}]); "
                "print('__GANGLION__', flush=True); time.sleep(60)")

    async def nothing(*args: object) -> None:
        pass

    service = BoundedAppService([sys.executable, "-c", stubborn, str(tmp_path)], write_bytes=nothing,
                                write_str=nothing, close=nothing, download_manager=DownloadManager())
    await service.start(80, 24)
    while len(processes_of(str(tmp_path), what="time.sleep(60)")) < 2:
        await asyncio.sleep(0.05)
    started = time.monotonic()
    await service.stop()
    assert time.monotonic() - started < QUIT_SECONDS + TERM_SECONDS + 1
    assert service._process.returncode == -signal.SIGKILL
    assert await asyncio.to_thread(wait_for_no_processes, str(tmp_path), GONE_SECONDS, "time.sleep(60)") == []
