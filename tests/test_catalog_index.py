"""The picker's catalog and its index: header reads agree with the loader, the index never serves a
changed file, survives any corruption, keeps nothing only known after a race; filters and orders."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from replay.racefile import catalog as catalog_module
from replay.racefile import index
from replay.racefile.bundled import bundled_races_dir, race_files
from replay.racefile.catalog import SMALL, Catalog, CatalogEntry, Choice, catalog, chosen, values
from replay.racefile.headers import header_text, read_header
from replay.racefile.loader import check_file, load_race
from tests.conftest import MINIMAL

LATER = 2**62  # a clock long after every file here was written: none is within the racy window
SPOILED = MINIMAL.replace("  laps: 10\n", "  laps: 10\n  actual_laps: 12\n  margin_of_victory: 0.071\n"
                          "  notes: [Seven Oh won in overtime]\n") + (
    "results:\n  - {pos: 1, car: \"07\", laps: 12, status: running}\n"
    "quotes:\n  - {speaker: Seven Oh, when: post-race, text: Unbelievable win, source: s1}\n")


def race_text(series: str = "Test Series", name: str = "Test 200", track: str = "Test Speedway",
              date: str = "2025-01-02", base: str = MINIMAL) -> str:
    return (base.replace("series: Test Series", f"series: {series}").replace("name: Test 200", f"name: {name}")
            .replace("track: Test Speedway", f"track: {track}").replace("date: 2025-01-02", f"date: {date}"))


def archive(folder: Path, count: int = SMALL + 8) -> Path:
    """``count`` small races: seasons 2021-2024, series A/B, tracks by name."""
    folder.mkdir(exist_ok=True)
    for i in range(count):
        text = race_text(f"Series {'AB'[i % 2]}", f"Race {i:02d}", f"Track {i % 5}", f"{2021 + i % 4}-0{1 + i % 9}-1{i % 10}")
        (folder / f"race-{i:02d}.yaml").write_text(text, encoding="utf-8")
    return folder


def listed(found: Catalog) -> dict[str, CatalogEntry]:
    return {path.name: entry for path, entry in found.entries.items()}


def read_all(folder: Path, cache: Path, now: int = LATER) -> Catalog:
    found = Catalog([folder], cache=cache, now_ns=lambda: now)
    for path in found.unread:
        found.read(path)
    found.save()
    return found


# -- the header read ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", race_files(bundled_races_dir()), ids=lambda path: path.stem)
def test_a_header_read_gives_what_loading_gives_of_a_bundled_race(path):
    race = load_race(path)
    assert header_text(path) is not None, "the bundled races keep their header first"
    assert read_header(path) == (index.picker_info(race.info), len(race.entries), None)


@pytest.mark.parametrize("text", [
    "race: [\n",  # not YAML
    "laps: lots\n",  # not a race file
    MINIMAL.replace("laps: 10", "laps: ten"),  # a bad header field
    MINIMAL.replace("  s1: {title: A report}", "  s1: {}"),  # a bad source
    "running_order:\n  0: [\"7\"]\n" + MINIMAL.replace("laps: 10", "laps: ten"),  # the header last
    MINIMAL + "race: {}\n",  # the header twice
    "\x00binary",
])
def test_a_broken_header_gives_the_loaders_first_error(tmp_path, text):
    path = tmp_path / "race.yaml"
    path.write_text(text, encoding="utf-8")
    first = check_file(path, audit=False).errors[0]
    assert read_header(path) == (None, 0, first.removeprefix(f"{path}:"))


def test_a_header_after_the_rest_is_read_with_the_whole_file(tmp_path):
    path = tmp_path / "race.yaml"
    path.write_text("running_order:\n  0: [\"7\"]\n" + MINIMAL, encoding="utf-8")
    assert header_text(path) is None
    assert read_header(path) == (index.picker_info(load_race(path).info), 3, None)


@pytest.mark.parametrize("extra", ["events:\n  - {lap: 1, kind: nonsense, text: x, sources: [s1]}\n", "evnts: []\n"])
def test_a_problem_past_the_header_is_found_on_opening_not_listing(tmp_path, extra):
    path = tmp_path / "race.yaml"
    path.write_text(MINIMAL + extra, encoding="utf-8")
    assert read_header(path)[2] is None
    info, entries, error = read_header(path, whole=True)
    assert info is None and error == check_file(path, audit=False).errors[0].removeprefix(f"{path}:")


def test_the_listing_keeps_nothing_known_only_after_the_race(tmp_path):
    folder = tmp_path / "races"
    archive(folder, SMALL)
    (folder / "spoiled.yaml").write_text(SPOILED, encoding="utf-8")
    read_all(folder, tmp_path / "cache")
    info = listed(Catalog([folder], cache=tmp_path / "cache"))["spoiled.yaml"].info
    assert (info.laps, info.actual_laps, info.margin_of_victory, info.notes, info.stage_ends) == (10, None, None, (), ())
    stored = index.index_path(tmp_path / "cache", folder.resolve()).read_text()
    for spoiler in ("12", "0.071", "won", "overtime", "Unbelievable", "running"):
        assert spoiler not in json.dumps(json.loads(stored)["files"]["spoiled.yaml"]["race"])


# -- the index -----------------------------------------------------------------------------------

def test_index_round_trip(tmp_path):
    folder, cache = archive(tmp_path / "races"), tmp_path / "cache"
    first = read_all(folder, cache)
    again = Catalog([folder], cache=cache)
    assert again.unread == [] and not again.changed
    assert listed(again) == listed(first) and len(listed(again)) == SMALL + 8
    assert listed(again)["race-03.yaml"].info.series == "Series B" and listed(again)["race-03.yaml"].entries == 3
    assert index.index_path(cache, folder.resolve()).parent == cache / "picker"


def test_the_cache_folder_is_the_environments(tmp_path, monkeypatch):
    monkeypatch.setenv("RACE_REPLAY_CACHE_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setattr(index, "RACY_NS", 0)  # the real clock: files written a moment ago may be kept
    folder = archive(tmp_path / "races")
    catalog([folder])
    assert index.index_path(tmp_path / "elsewhere", folder.resolve()).is_file()


def test_a_small_folder_keeps_no_index(tmp_path):
    folder, cache = archive(tmp_path / "races", SMALL - 1), tmp_path / "cache"
    read_all(folder, cache)
    assert not cache.exists() and len(Catalog([folder], cache=cache).unread) == SMALL - 1


@pytest.mark.parametrize("change", ["size", "mtime", "replaced"])
def test_a_changed_file_is_read_again(tmp_path, change):
    folder, cache = archive(tmp_path / "races"), tmp_path / "cache"
    read_all(folder, cache)
    path = folder / "race-05.yaml"
    stat = path.stat()
    if change == "size":
        path.write_text(race_text(name="Renamed 200"), encoding="utf-8")
    elif change == "mtime":  # same size, same name: the time alone tells
        path.write_text(race_text(name="Renamed 2XX"), encoding="utf-8")
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    else:  # written elsewhere, then moved over it with the old times: the inode tells
        other = folder / "other.txt"
        other.write_text(race_text(name="Renamed 2XX"), encoding="utf-8")
        os.utime(other, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        os.replace(other, path)
    again = Catalog([folder], cache=cache, now_ns=lambda: LATER)
    assert again.unread == [path] and again.changed
    assert again.read(path).info.name.startswith("Renamed")


def test_a_deleted_file_drops_out(tmp_path):
    folder, cache = archive(tmp_path / "races"), tmp_path / "cache"
    read_all(folder, cache)
    (folder / "race-07.yaml").unlink()
    again = Catalog([folder], cache=cache)
    assert "race-07.yaml" not in listed(again) and again.unread == [] and again.changed
    again.save()
    assert "race-07.yaml" not in json.loads(index.index_path(cache, folder.resolve()).read_text())["files"]


def test_a_file_changed_just_now_is_not_kept(tmp_path):
    """Changed within the racy window (here: files written a moment ago, the real clock), a file
    could change again in the same tick of its times, unseen: it is read again next time."""
    folder, cache = archive(tmp_path / "races"), tmp_path / "cache"
    read_all(folder, cache, now=os.stat(folder / "race-00.yaml").st_mtime_ns + 1)
    assert len(Catalog([folder], cache=cache).unread) == SMALL + 8


def entry_of(cache: Path, folder: Path, name: str) -> dict:
    return json.loads(index.index_path(cache, folder.resolve()).read_text())["files"][name]


@pytest.mark.parametrize("corrupt", [
    b"", b"\x00\xff\xfe not json", b"{", b"[]", b"null", b'"text"', b"[" * 100_000,
    b'{"version": 99, "folder": "?", "files": {}}', b'{"version": 1, "folder": "/elsewhere", "files": {}}',
    "files-not-a-mapping", "race-not-a-mapping", "laps-text", "laps-true", "key-short", "extra-field",
    "estimated-unknown", "miles-nan", "error-empty",
])
def test_a_corrupt_index_is_ignored_and_rebuilt(tmp_path, corrupt):
    folder, cache = archive(tmp_path / "races"), tmp_path / "cache"
    good = listed(read_all(folder, cache))
    stored = index.index_path(cache, folder.resolve())
    if isinstance(corrupt, bytes):
        stored.write_bytes(corrupt)
    else:
        data = json.loads(stored.read_text())
        entry = data["files"]["race-01.yaml"]
        edits = {"files-not-a-mapping": lambda: data.update(files=[]),
                 "race-not-a-mapping": lambda: entry.update(race="x"),
                 "laps-text": lambda: entry["race"].update(laps="10"), "laps-true": lambda: entry["race"].update(laps=True),
                 "key-short": lambda: entry.update(key=entry["key"][:3]), "extra-field": lambda: entry.update(winner="x"),
                 "estimated-unknown": lambda: entry["race"].update(estimated=["actual_laps"]),
                 "miles-nan": lambda: entry["race"].update(miles=float("nan")),
                 "error-empty": lambda: data["files"].update({"race-01.yaml": {"key": entry["key"], "error": ""}})}
        edits[corrupt]()
        stored.write_text(json.dumps(data))
    again = Catalog([folder], cache=cache, now_ns=lambda: LATER)
    assert (folder / "race-01.yaml") in again.unread
    for path in again.unread:
        again.read(path)
    again.save()
    assert listed(again) == good and listed(Catalog([folder], cache=cache)) == good, "rebuilt"


def test_an_unreadable_index_or_cache_is_no_crash(tmp_path):
    folder, cache = archive(tmp_path / "races"), tmp_path / "cache"
    index.index_path(cache, folder.resolve()).mkdir(parents=True)  # a folder where the index should be
    found = read_all(folder, cache)
    assert found.changed, "nothing could be written: still to save"
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    assert len(listed(read_all(folder, blocked))) == SMALL + 8


def test_index_writes_are_atomic(tmp_path, monkeypatch):
    folder, cache = archive(tmp_path / "races"), tmp_path / "cache"
    read_all(folder, cache)
    before = index.index_path(cache, folder.resolve()).read_bytes()

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    (folder / "race-02.yaml").unlink()
    Catalog([folder], cache=cache).save()
    assert index.index_path(cache, folder.resolve()).read_bytes() == before
    assert [p.name for p in (cache / "picker").iterdir()] == [index.index_path(cache, folder.resolve()).name]


# -- what the picker lists ---------------------------------------------------------------------

def entries_of(tmp_path: Path) -> list[CatalogEntry]:
    folder = archive(tmp_path / "races", 12)
    (folder / "broken.yaml").write_text("race: [\n")
    found = Catalog([folder], cache=tmp_path / "cache")
    for path in found.unread[:-1]:
        found.read(path)
    return list(found.entries.values())


def test_the_list_is_by_date_with_broken_then_unread_files_last(tmp_path):
    entries = entries_of(tmp_path)
    shown = chosen(entries, Choice())
    dates = [entry.info.date for entry in shown if entry.info]
    assert dates == sorted(dates) and len(dates) == 11
    assert [(entry.path.name, entry.unread) for entry in shown[-2:]] == [("broken.yaml", False), ("race-11.yaml", True)]
    assert catalog([tmp_path / "races"])[-1].path.name == "broken.yaml"


@pytest.mark.parametrize("sort, key", [
    ("newest", lambda e: tuple(-ord(c) for c in e.info.date)), ("series", lambda e: (e.info.series, e.info.date)),
    ("track", lambda e: (e.info.track, e.info.date)), ("name", lambda e: e.info.name),
])
def test_orders(tmp_path, sort, key):
    shown = [entry for entry in chosen(entries_of(tmp_path), Choice(sort=sort)) if entry.info]
    assert shown == sorted(shown, key=key) and len(shown) == 11


def test_filters_and_their_counts(tmp_path):
    entries = entries_of(tmp_path)
    choice = Choice(season="2022", series="Series B")
    shown = chosen(entries, choice)
    assert shown and all(e.season == "2022" and e.info.series == "Series B" for e in shown)
    assert len(shown) == sum(1 for e in entries if e.info and e.season == "2022" and e.info.series == "Series B")
    seasons = values(entries, "season", choice)  # among Series B, every season
    assert [season for season, _ in seasons] == sorted({e.season for e in entries if e.info and e.info.series == "Series B"},
                                                       reverse=True)
    assert sum(count for _, count in seasons) == sum(1 for e in entries if e.info and e.info.series == "Series B")
    tracks = [entry.info.track for entry in entries if entry.info]
    assert values(entries, "track", Choice()) == [(f"Track {i}", tracks.count(f"Track {i}")) for i in range(5)]
    assert Choice().next_sort().sort == "newest" and not Choice(sort="track").filtered and choice.filtered


def test_a_vanishing_folder_lists_nothing(tmp_path):
    assert Catalog([tmp_path / "gone"], cache=tmp_path).entries == {}
    assert catalog_module._race_files(tmp_path / "gone") == []
