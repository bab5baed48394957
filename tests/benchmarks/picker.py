"""The race picker on a big archive: its first frame and memory with 1,000 races, against the bundled races.

    python -m tests.benchmarks.picker [--runs 5] [--count 1000] [--keep FOLDER]
    python -m tests.benchmarks.picker generate FOLDER [--count 1000]

The archive is 999 synthetic complete races (``synthetic_race``, fixed seeds; series, name, track and
date varied so that the filters mean something) and a copy of the bundled Atlanta race, which is the
race opened in every run. Each run is a child process running the command line's path
(``race-replay FOLDER``; no argument for the bundled races), as ``first_frame.py`` does, from bytecode.
Per round by turns: the bundled races, the archive with an empty index folder (cold: its first run
ever), with the index a run before left (warm), and cold with the race opened at the first frame
while the list still fills (filling). The child reports the picker's first frame (and its CPU time),
the frame that lists every race (later than the first only when cold: the list fills in the
background), its peak memory then, and the time from opening the Atlanta race to the replay's first
frame. ``measure`` gives the figures in ``run.judged``'s form and the memory, for ``run.py``.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
OPENED = "2023-xfinity-atlanta.yaml"  # a complete race, in the bundled races and in the archive
SERIES = ("NASCAR Cup Series", "NASCAR Xfinity Series", "NASCAR Craftsman Truck Series", "ARCA Menards Series")
TRACKS = ("Atlanta Motor Speedway", "Bristol Motor Speedway", "Charlotte Motor Speedway", "Darlington Raceway",
          "Daytona International Speedway", "Dover Motor Speedway", "Homestead-Miami Speedway", "Kansas Speedway",
          "Las Vegas Motor Speedway", "Martinsville Speedway", "Michigan International Speedway", "Nashville Superspeedway",
          "Phoenix Raceway", "Pocono Raceway", "Richmond Raceway", "Sonoma Raceway", "Talladega Superspeedway",
          "Texas Motor Speedway", "Watkins Glen International", "World Wide Technology Raceway")
WORDS = ("Pennzoil", "Coca-Cola", "Food City", "Goodyear", "United Rentals", "Ally", "Bank of America", "Cook Out",
         "Geico", "Quaker State", "Toyota", "Busch Light", "Sonoco", "Wurth", "DuraMAX", "Hy-Vee")


def generate(folder: Path, count: int = 1000, seed: int = 14) -> Path:
    """Write ``count`` complete races into ``folder``: ``count - 1`` synthetic ones and the Atlanta race."""
    from tests.benchmarks.synthetic import synthetic_race

    folder.mkdir(parents=True, exist_ok=True)
    bodies = {(200, 40): synthetic_race(200, 40, 200, 20), (150, 36): synthetic_race(150, 36, 150, 15, seed=7)}
    rng = random.Random(seed)
    for i in range(count - 1):
        laps, cars = rng.choice(sorted(bodies))
        series, track, season = rng.choice(SERIES), rng.choice(TRACKS), rng.randint(2016, 2025)
        date = f"{season}-{rng.randint(2, 11):02d}-{rng.randint(1, 28):02d}"
        name = f"{rng.choice(WORDS)} {laps * 2}"
        header = {"series": series, "name": name, "track": track, "date": date}
        text = bodies[laps, cars]
        for key, old in (("series", "Synthetic Series"), ("name", f"Benchmark {laps}x{cars}"), ("track", "Test Oval"),
                         ("date", "'2024-01-01'")):
            text = text.replace(f"\n  {key}: {old}\n", f"\n  {key}: {json.dumps(header[key])}\n", 1)
        slug = "-".join(series.lower().split()[1:2] + track.lower().split()[:1])
        (folder / f"{date}-{slug}-{i:04d}.yaml").write_text(text, encoding="utf-8")
    shutil.copyfile(ROOT / "races" / OPENED, folder / OPENED)
    return folder


# -- the child: one picker run -------------------------------------------------------------------

def child(target: str, opened: str, when: str = "listed") -> None:
    """Run the picker as ``race-replay [FOLDER]`` does and open ``opened`` once every race is listed
    (``when``: or at the first frame, while the list fills); print ``key value`` pairs (perf_counter times)."""
    from replay.cli import build_parser  # noqa: F401 - the command line's imports, as `race-replay` pays them
    from replay.racefile.bundled import default_race_folders, race_files
    from replay.viewer.app import ReplayApp
    from replay.viewer.screens import PickerScreen, ReplayScreen
    from tests.benchmarks.first_frame import peak_rss_kb

    folder = Path(target) if target != "-" else None
    if folder is not None:
        race_files(folder)  # the command checks the folder has race files
    app = ReplayApp(race_folders=[folder] if folder else default_race_folders(), transient=False)
    seen: dict[str, float] = {}
    original = app._display

    def open_race() -> None:
        seen["open"] = time.perf_counter()
        app.open_race(Path(opened))

    def display(screen, update) -> None:
        original(screen, update)
        if update is None:
            return
        now = time.perf_counter()
        if isinstance(app.screen, PickerScreen) and "open" not in seen:
            if "frame" not in seen:
                seen["frame"], seen["frame_cpu"] = now, time.process_time()
            if "listed" not in seen and (when == "first" or not getattr(app.screen, "unread", 0)):
                seen["listed"], seen["rss_kb"] = now, peak_rss_kb()
                app.call_later(open_race)
        elif isinstance(app.screen, ReplayScreen) and "opened" not in seen:
            seen["opened"], seen["open_rss_kb"] = now, peak_rss_kb()
            print(" ".join(f"{key} {value:.6f}" for key, value in seen.items()), flush=True)
            app.exit()

    app._display = display
    app.run(headless=True, size=(120, 40))


def picker_run(target: Path | None, cache: Path, env: dict[str, str], when: str = "listed") -> dict[str, float]:
    """One child: seconds from its start to the first frame, to every race listed, and to open a race."""
    opened = (target or ROOT / "races") / OPENED
    command = [sys.executable, "-m", "tests.benchmarks.picker", "child", str(target or "-"), str(opened), when]
    start = time.perf_counter()
    out = subprocess.run(command, capture_output=True, text=True, timeout=600, check=True, cwd=ROOT,
                         env={**env, "RACE_REPLAY_CACHE_DIR": str(cache),
                              "RACE_REPLAY_DATA_DIR": str(cache / "no-fetched-races")}).stdout.split()
    seen = {key: float(value) for key, value in zip(out[::2], out[1::2], strict=True)}
    return {"first": seen["frame"] - start, "first_cpu": seen["frame_cpu"], "listed": seen["listed"] - start,
            "open": seen["opened"] - seen["open"],
            "rss_mb": seen["rss_kb"] / 1024, "open_rss_mb": seen["open_rss_kb"] / 1024}


# -- the parent ----------------------------------------------------------------------------------

MODES = ("bundled", "cold", "warm", "filling")  # filling: cold, a race opened at the first frame


def measure_picker(archive: Path, runs: int, env: dict[str, str], scratch: Path) -> dict[str, dict[str, list[float]]]:
    """Every mode's samples, the modes run by turns (the first round, which writes bytecode, is not
    counted). Cold runs get a new, empty index folder; warm ones the folder a first run filled."""
    warm = scratch / "warm-index"
    picker_run(archive, warm, env)  # fills the warm index (and compiles)
    samples: dict[str, dict[str, list[float]]] = {mode: {} for mode in MODES}
    for run in range(runs + 1):
        for mode in MODES[run % len(MODES):] + MODES[:run % len(MODES)]:
            cache = warm if mode in ("bundled", "warm") else Path(tempfile.mkdtemp(prefix="cold-", dir=scratch))
            measured = picker_run(None if mode == "bundled" else archive, cache, env,
                                  "first" if mode == "filling" else "listed")
            for key, value in measured.items():
                if run:
                    samples[mode].setdefault(key, []).append(value)
    return samples


def figures(samples: dict[str, dict[str, list[float]]], count: int = 1000) -> list[tuple]:
    """The figures as ``run.judged`` takes them: (name, data, statistic, budget, base, text)."""
    from tests.benchmarks.run import summary

    first = {mode: summary(samples[mode]["first"]) for mode in MODES[:3]}
    base = first["bundled"]["median"]
    listed = summary(samples["cold"]["listed"])
    opens = {mode: summary(samples[mode]["open"]) for mode in MODES}
    return [
        ("picker, bundled races", first["bundled"], "median", None, None, "reference"),
        (f"picker, {count} cold", first["cold"], "median", 2.0 * base, base, "2 x bundled (first run: empty index)"),
        (f"picker, {count} warm", first["warm"], "median", 2.0 * base, base, "2 x bundled (index filled)"),
        (f"  {count} cold, all listed", listed, "median", None, base, "start to every race listed (read in the background)"),
        ("open from bundled", opens["bundled"], "median", None, None, "reference (Atlanta to its first frame)"),
        (f"open from {count} warm", opens["warm"], "median", 1.2 * opens["bundled"]["median"],
         opens["bundled"]["median"], "1.2 x from bundled"),
        (f"open from {count} cold", opens["cold"], "median", None, opens["bundled"]["median"], "vs bundled"),
        (f"open from {count}, filling", opens["filling"], "median", None, opens["bundled"]["median"],
         "vs bundled (cold, opened at the first frame)"),
    ]


def memory(samples: dict[str, dict[str, list[float]]], budget_mb: float = 100) -> dict[str, Any]:
    """The picker's peak resident memory with every race listed (the cold runs: the larger), and after opening."""
    peak = max(samples["cold"]["rss_mb"] + samples["warm"]["rss_mb"])
    return {"picker_peak_rss_mb": peak, "budget_mb": budget_mb, "met": peak <= budget_mb,
            "bundled_peak_rss_mb": max(samples["bundled"]["rss_mb"]),
            "after_open_rss_mb": {mode: max(samples[mode]["open_rss_mb"]) for mode in MODES}}


def measure(runs: int, env: dict[str, str], count: int = 1000) -> tuple[list[tuple], dict[str, Any]]:
    """Generate the archive in a temporary folder, measure, clean up: the figures and the memory."""
    scratch = Path(tempfile.mkdtemp(prefix="race-replay-picker-"))
    try:
        samples = measure_picker(generate(scratch / "archive", count), runs, env, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return figures(samples, count), memory(samples)


# -- in a real terminal --------------------------------------------------------------------------

SHOWN = "Choose a race"  # the picker's heading: on screen with its first frame


def measure_tmux(runs: int, env: dict[str, str], count: int = 10_000) -> list[tuple]:
    """The picker's first frame in tmux (``tmux.first_frame``: command to the picker on screen) on
    ``count`` races, with their index filled by a run before (warm) and with none (cold: an empty
    cache folder each run), against the bundled races; by turns, the first round not counted. Also
    reported: when the list itself shows (its heading counts every race: ``4 races``, ``10,000
    races``; the first frame may say it is still listing them), bundled and warm. The figures in
    ``run.judged``'s form; none without tmux."""
    from replay.racefile.bundled import bundled_races_dir, race_files
    from tests.benchmarks import tmux
    from tests.benchmarks.run import summary

    if not tmux.available():
        return []
    scratch = Path(tempfile.mkdtemp(prefix="race-replay-picker-tmux-"))
    listed = {"bundled": f"({len(race_files(bundled_races_dir())):,} races", "warm": f"({count:,} races"}
    try:
        archive = generate(scratch / "archive", count)
        warm = scratch / "warm-index"
        picker_run(archive, warm, env)  # every race read once: the index filled
        command = [sys.executable, "-m", "replay"]
        samples: dict[str, list[float]] = {"bundled": [], "warm": [], "cold": [], "bundled listed": [], "warm listed": []}
        for run in range(runs + 1):
            for mode in ("bundled", "warm", "cold"):
                cache = warm if mode != "cold" else Path(tempfile.mkdtemp(prefix="cold-", dir=scratch))
                seconds = tmux.first_frames(command + ([] if mode == "bundled" else [str(archive)]),
                                            [SHOWN] + ([listed[mode]] if mode in listed else []),
                                            {**env, "RACE_REPLAY_CACHE_DIR": str(cache),
                                             "RACE_REPLAY_DATA_DIR": str(cache / "no-fetched-races")})
                if run:
                    samples[mode].append(seconds[0])
                    if mode in listed:
                        samples[f"{mode} listed"].append(seconds[1])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    bundled, warm_figure, cold, bundled_listed, warm_listed = (summary(samples[mode]) for mode in samples)
    base = bundled["median"]
    return [("picker, tmux, bundled", bundled, "median", None, None, "reference (the four bundled races)"),
            (f"picker, tmux, {count} warm", warm_figure, "median", 1.5 * base, base,
             f"1.5 x bundled in tmux (medians of {runs}, by turns; index filled)"),
            (f"picker, tmux, {count} cold", cold, "median", 1.5 * base, base,
             "1.5 x bundled in tmux (the folder's first open: empty index)"),
            ("  tmux, bundled, list shown", bundled_listed, "median", None, base, "vs bundled's first frame"),
            (f"  tmux, {count} warm, list shown", warm_listed, "median", None, base,
             "vs bundled's first frame (every race listed, from the index)")]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["child"]:
        child(*argv[1:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("generate", nargs="?", help="only write an archive into this folder")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="use (or make) the archive in this folder")
    options = parser.parse_args(argv[1:] if argv[:1] == ["generate"] else argv)
    if argv[:1] == ["generate"]:
        generate(Path(options.generate), options.count)
        return 0
    from tests.benchmarks.run import bytecode_env, judged, table

    scratch = Path(tempfile.mkdtemp(prefix="race-replay-picker-"))
    archive = options.keep or scratch / "archive"
    if not archive.is_dir() or not any(archive.iterdir()):
        generate(archive, options.count)
    samples = measure_picker(archive, options.runs, bytecode_env(scratch / "bytecode"), scratch)
    results = {"figures": [judged(*figure) for figure in figures(samples, options.count)], "laps": "-",
               "machine": {"python": sys.version.split()[0]}, "memory": {"peak_rss_mb": 0, "met": True,
                                                                          "loader_peak_rss_mb": 0}}
    print("\n".join(table(results).splitlines()[:len(results["figures"]) + 1]))
    mem = memory(samples)
    print(f"picker peak RSS, {options.count} races: {mem['picker_peak_rss_mb']:.1f} MB (budget {mem['budget_mb']} MB: "
          f"{'ok' if mem['met'] else 'MISSED'}); bundled {mem['bundled_peak_rss_mb']:.1f} MB; after opening "
          + ", ".join(f"{mode} {mb:.1f} MB" for mode, mb in mem["after_open_rss_mb"].items()))
    print(json.dumps({"samples": samples, "memory": mem}))
    shutil.rmtree(scratch, ignore_errors=True)  # (an archive given with --keep stays)
    missed = [f["name"] for f in results["figures"] if f["met"] is False] + ([] if mem["met"] else ["memory"])
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
