"""The watch party's capacity: memory per viewer, join to first frame, and host step to every viewer.

    python -m tests.benchmarks.serve [--viewers 20] [--steps 30] [--json serve-results.json]

Serves a copy of a bundled race with ``--party`` on loopback, opens the host's page and then
``--viewers`` viewers' pages one after another (websocket clients reading the frames, as a browser
would be sent them: not browsers), then steps the host ``--steps`` times. Figures:

- memory per viewer: each viewer's app process's resident memory (VmRSS), and the server's growth
  per viewer;
- join to first frame: from opening a viewer's websocket to its first frame showing a lap;
- step to every viewer: from the host's key press to the last viewer's frame showing the new lap
  (budget: p95 <= 1 s with 20 viewers).

Exits 1 when the step budget is missed. Everything stays on loopback; every process ends with it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from tests.benchmarks.run import summary
from tests.serving import GONE_SECONDS, Page, Served, processes_of, screen_text, wait_for_no_processes

RACE = Path(__file__).resolve().parents[2] / "races" / "2025-trucks-homestead.yaml"
STEP_BUDGET = 1.0  # seconds, p95, host's step to every viewer showing it
POLL = 0.005


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def shown(pages: list[Page], pattern: str, marks: list[int], since: float, seconds: float = 30.0) -> list[float]:
    """Seconds from ``since`` until each page's frames (after its mark) show ``pattern``."""
    arrived: list[float | None] = [None] * len(pages)
    regex = re.compile(pattern)
    deadline = time.monotonic() + seconds
    while None in arrived:
        now = time.monotonic()
        if now > deadline:
            raise AssertionError(f"{pattern!r} not shown by {arrived.count(None)} of {len(pages)} pages in {seconds} s")
        for i, page in enumerate(pages):
            if arrived[i] is None and regex.search(screen_text(page.frames[marks[i]:])):
                arrived[i] = now - since
        await asyncio.sleep(POLL)
    return arrived  # type: ignore[return-value]


async def measure(viewers: int, steps: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="race-replay-bench-"))
    race = folder / "race.yaml"
    shutil.copy(RACE, race)
    server = Served(str(race), "--party")
    try:
        async with aiohttp.ClientSession() as session:
            return await _measure(session, server, folder, viewers, steps)
    finally:
        server.close()
        left = wait_for_no_processes(str(folder), GONE_SECONDS)
        shutil.rmtree(folder, ignore_errors=True)
        if left:
            raise AssertionError(f"app processes left behind: {left}")


async def _measure(session: aiohttp.ClientSession, server: Served, folder: Path, viewers: int, steps: int) -> dict:
    host = await Page(session, server.ws(host=True)).open()
    await host.wait_for(r"hosting")
    server_before = rss_mb(server.process.pid)
    pages, joins = [], []
    for _ in range(viewers):
        page = Page(session, server.ws())
        start = time.monotonic()
        await page.open()
        joins.append((await shown([page], r"Lap \d+ / \d+", [0], start))[0])
        pages.append(page)
    await host.wait_for(rf"hosting · {viewers + 1} watching")
    apps = [pid for pid in processes_of(str(folder))]
    memory = sorted(rss_mb(pid) for pid in apps)
    server_after = rss_mb(server.process.pid)
    step_times = []
    for lap in range(1, steps + 1):
        marks = [len(page.frames) for page in pages]
        start = time.monotonic()
        await host.press("right")
        step_times.append(max(await shown(pages, rf"Lap {lap} / \d+", marks, start)))
        await asyncio.sleep(0.05)
    for page in [host, *pages]:
        await page.close()
    steps_summary = summary(step_times)
    return {
        "viewers": viewers,
        "app_rss_mb": {"median": memory[len(memory) // 2], "max": memory[-1], "processes": len(memory)},
        "server_growth_per_viewer_mb": (server_after - server_before) / max(1, viewers),
        "join_to_first_frame_s": summary(joins),
        "step_to_every_viewer_s": {**steps_summary, "budget_p95": STEP_BUDGET, "met": steps_summary["p95"] <= STEP_BUDGET},
    }


def table(results: dict) -> str:
    join, step, app = results["join_to_first_frame_s"], results["step_to_every_viewer_s"], results["app_rss_mb"]
    return "\n".join([
        f"watch party, {results['viewers']} viewers (websocket clients), loopback",
        f"  memory per viewer (app process RSS): median {app['median']:.0f} MB, max {app['max']:.0f} MB "
        f"({app['processes']} app processes)",
        f"  server growth per viewer: {results['server_growth_per_viewer_mb']:.2f} MB",
        f"  join to first frame: median {join['median'] * 1000:.0f} ms, p95 {join['p95'] * 1000:.0f} ms ({join['runs']} joins)",
        f"  host step to every viewer: median {step['median'] * 1000:.0f} ms, p95 {step['p95'] * 1000:.0f} ms "
        f"({step['runs']} steps; budget p95 <= {STEP_BUDGET * 1000:.0f} ms: {'met' if step['met'] else 'MISSED'})",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.serve")
    parser.add_argument("--viewers", type=int, default=20)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    options = parser.parse_args(argv)
    results = asyncio.run(measure(options.viewers, options.steps))
    print(table(results))
    if options.json:
        options.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0 if results["step_to_every_viewer_s"]["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
