"""`race-replay fetch nascar` against a loopback server serving recorded real files, with every
fault a real feed server has: 5xx and timeouts (retried), 404 (not published), 403, empty, cut-off
and non-JSON answers, an unknown race, no network. No test touches the internet."""

from __future__ import annotations

import json
import socket

import pytest
import yaml

from replay.cli import main
from replay.racefile.bundled import default_race_folders
from replay.sources.base import ImportOptions, Notice, collect
from replay.sources.cache import FeedCache
from replay.sources.http import Downloader, FetchError, OfflineError
from replay.sources.nascar.fetch import Listing, parse_season, race_paths
from replay.sources.nascar.importer import import_nascar
from replay.sources.nascar.stages import ends_from_lengths
from tests.feed_server import ATLANTA, MIRROR, SAMPLES, Fault, serving

SEASON_LIST = SAMPLES / "race_list_basic.json"
LAP_TIMES = "/cacher/2023/2/5314/lap-times.json"


@pytest.fixture
def places(tmp_path, monkeypatch):
    """The user's data and cache folders, in the test's own folder."""
    monkeypatch.setenv("RACE_REPLAY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RACE_REPLAY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("RACE_REPLAY_FEED_URL", raising=False)
    return tmp_path


def fetch(server, *args: str) -> int:
    return main(["fetch", "nascar", "--season", "2023", "--series", "xfinity", "--feed-url", server.url, *args])


def cached_files(places) -> list[str]:
    return sorted(str(p.relative_to(places / "cache" / "feeds")) for p in (places / "cache").rglob("*") if p.is_file())


# -- the season's list -------------------------------------------------------------------------

def test_the_list_shows_each_race_and_nothing_it_decided(places, capsys):
    with serving() as server:
        assert main(["fetch", "nascar", "--season", "2023", "--series", "cup", "--list",
                     "--feed-url", server.url]) == 0
    out = capsys.readouterr().out
    data = json.loads(SEASON_LIST.read_text(encoding="utf-8-sig"))["series_1"]
    assert len(out.splitlines()) == len(data)
    assert out.splitlines()[0].split() == ["5259", "2023-02-05", "Busch", "Light", "Clash", "at", "The", "Coliseum",
                                           "Los", "Angeles", "Memorial", "Coliseum", "150", "laps"]
    comments = [race["race_comments"] for race in data if race["race_comments"]]
    assert comments and "Martin Truex Jr. has won" in comments[0]
    assert "Truex" not in out and "won" not in out and "margin" not in out.lower()


def test_the_list_never_gives_the_distance_actually_run(places, capsys):
    """Race 5310 was scheduled for 120 laps and went to 125 in overtime."""
    with serving() as server:
        assert fetch(server, "--list") == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.split()[0] == "5310")
    assert line.endswith("120 laps") and "125" not in line


def test_the_list_is_in_date_order_not_result_order():
    listings = parse_season(SEASON_LIST.read_bytes(), 2023, "trucks", "list")
    assert [r.starts for r in listings] == sorted(r.starts for r in listings)
    assert all(set(vars(r)) == {"race_id", "season", "series", "date", "starts", "name", "track", "scheduled_laps",
                                "stage_lengths"} for r in listings)


def test_the_list_keeps_stage_lengths_up_to_the_first_zero():
    listings = {r.race_id: r for r in parse_season(SEASON_LIST.read_bytes(), 2023, "cup", "list")}
    assert listings[5268].stage_lengths == (65, 65, 82)  # written after the race: 212 laps run of 200
    assert listings[5259].stage_lengths == ()  # stage_N_laps 0: a race without stages


def test_stage_ends_from_lengths_are_one_rule_for_every_source_of_them():
    ends = ends_from_lengths
    said: list[Notice] = []
    assert ends((40, 40, 83), 163, 163, "list", collect(said)) == ([40, 80, 163], None)
    assert ends((65, 65, 82), 200, 212, "list", collect(said)) == ([65, 130, 200], None)  # overtime: ends at the distance
    assert ends((20, 20, 39), 100, 79, "list", collect(said)) == ([20, 40, None], None)  # cut short: the end is news
    short = ends((40, 40), 163, None, "list", collect(said))
    assert short[0] == [40, 80, 163] and short[1] and "cover 80 of the race's 163 laps" in short[1]  # marked estimated
    assert [n.spoiler for n in said] == [True, True]  # how far the race ran, and whether it ran short


# -- a race --------------------------------------------------------------------------------------

def test_a_race_is_fetched_imported_by_the_same_code_and_written_to_the_data_folder(places, capsys, tmp_path):
    with serving() as server:
        assert fetch(server, "--race", "5314") == 0
        agents = {agent for _, agent in server.requests}
    written = places / "data" / "races" / "2023-03-18-xfinity-atlanta-motor-speedway-5314.yaml"
    out, err = capsys.readouterr()
    assert out.startswith(f"{written}: RAPTOR King of Tough 250 (Atlanta Motor Speedway, 2023-03-18)")
    assert "not published for race 5314: weekend-feed.json" in err
    assert len(agents) == 1 and next(iter(agents)).startswith("race-replay/")
    same_files = tmp_path / "5314"
    same_files.mkdir()
    for name in ("lap-times.json", "lap-notes.json", "live-pit-data.json", "live-flag-data.json",
                 "live-stage-points.json", "live-driver-stats.json"):
        (same_files / name).write_bytes((ATLANTA / name).read_bytes())
    (same_files / "race_list_basic.json").write_bytes(SEASON_LIST.read_bytes())  # its stage lengths, as fetch reads them
    options = ImportOptions("NASCAR Xfinity Series", "RAPTOR King of Tough 250", "Atlanta Motor Speedway", "2023-03-18")
    assert written.read_text(encoding="utf-8") == import_nascar(same_files, options).text
    assert written in default_race_folders()[-1].iterdir()  # the race list shows it beside the bundled races


def test_an_overtime_race_without_its_weekend_feed_takes_its_stage_ends_from_the_list(places, tmp_path):
    """After a race the list's stage lengths count the laps run (5268: 65+65+82 of 200 scheduled). Fetch
    once dropped such lengths (they do not add up to the distance) and estimated the ends from the lap
    notes; now the importer reads them as it does a list beside the files. Atlanta's files, listed as
    if scheduled for 160 laps, are such a race: 163 run."""
    season = json.loads(SEASON_LIST.read_text(encoding="utf-8-sig"))
    next(r for r in season["series_2"] if r["race_id"] == 5314)["scheduled_laps"] = 160
    listed = tmp_path / "race_list_basic.json"
    listed.write_text(json.dumps(season), encoding="utf-8")
    with serving({**MIRROR, "/cacher/2023/race_list_basic.json": listed}) as server:
        assert fetch(server, "--race", "5314", "-o", str(places / "r.yaml")) == 0
    written = (places / "r.yaml").read_text(encoding="utf-8")
    race = yaml.safe_load(written)["race"]
    assert (race["laps"], race["actual_laps"], race["stage_ends"]) == (160, 163, [40, 80, 160])
    assert "estimated" not in race
    same_files = tmp_path / "5314"
    same_files.mkdir()
    for name in ("lap-times.json", "lap-notes.json", "live-pit-data.json", "live-flag-data.json",
                 "live-stage-points.json", "live-driver-stats.json"):
        (same_files / name).write_bytes((ATLANTA / name).read_bytes())
    (same_files / "race_list_basic.json").write_bytes(listed.read_bytes())
    options = ImportOptions("NASCAR Xfinity Series", "RAPTOR King of Tough 250", "Atlanta Motor Speedway", "2023-03-18",
                            laps=160)
    assert written == import_nascar(same_files, options).text


def test_a_second_fetch_of_a_finished_race_asks_the_server_nothing(places):
    with serving() as server:
        assert fetch(server, "--race", "5314", "-o", str(places / "one.yaml")) == 0
        asked = len(server.requests)
        assert fetch(server, "--race", "5314", "-o", str(places / "two.yaml")) == 0
        assert len(server.requests) == asked
    assert (places / "one.yaml").read_bytes() == (places / "two.yaml").read_bytes()
    assert "cacher/2023/2/5314/weekend-feed.json.missing" in cached_files(places)


def test_cache_folder_option(places):
    with serving() as server:
        assert fetch(server, "--race", "5314", "-o", str(places / "r.yaml"), "--cache", str(places / "mine")) == 0
    assert (places / "mine" / "cacher/2023/2/5314/lap-times.json").is_file()
    assert not (places / "cache").exists()


def test_the_feed_host_comes_from_the_environment(places, monkeypatch, capsys):
    with serving() as server:
        monkeypatch.setenv("RACE_REPLAY_FEED_URL", server.url)
        assert main(["fetch", "nascar", "--season", "2023", "--series", "trucks", "--list"]) == 0
        assert server.requests
    assert capsys.readouterr().out


def test_a_file_not_published_is_skipped_and_named(places, capsys):
    with serving() as server:
        del server.files["/cacher/2023/2/5314/lap-notes.json"]
        assert fetch(server, "--race", "5314", "-o", str(places / "r.yaml")) == 0
    assert "not published for race 5314: lap-notes.json, weekend-feed.json" in capsys.readouterr().err


def test_a_server_error_is_tried_again(places):
    with serving() as server:
        server.faults[LAP_TIMES] = Fault("status", 503, times=1)
        assert fetch(server, "--race", "5314", "-o", str(places / "r.yaml")) == 0
        assert server.paths_asked().count(LAP_TIMES) == 2


def test_retries_back_off_and_give_up_with_the_url():
    waits = []
    with serving() as server, Downloader(server.url, sleep=waits.append) as downloader:
        server.faults[LAP_TIMES] = Fault("status", 502)
        with pytest.raises(FetchError) as caught:
            downloader.get_json(LAP_TIMES)
    assert str(caught.value) == f"{server.url}{LAP_TIMES}: the server failed (HTTP 502) (3 tries)"
    assert waits == [0.5, 1.0]


def test_a_timeout_is_tried_again_then_reported():
    with serving() as server, Downloader(server.url, timeout=0.2, sleep=lambda s: None) as downloader:
        server.faults[LAP_TIMES] = Fault("slow", seconds=1.0, times=1)
        assert json.loads(downloader.get_json(LAP_TIMES))["laps"]  # the second try is answered
        server.faults[LAP_TIMES] = Fault("slow", seconds=1.0)
        with pytest.raises(FetchError, match=r"lap-times.json: no answer in time \(3 tries\)$"):
            downloader.get_json(LAP_TIMES)


BAD_ANSWERS = [
    (Fault("status", 403), "the server refused the request (HTTP 403 Forbidden)"),
    (Fault("status", 500), "the server failed (HTTP 500) (3 tries)"),
    (Fault("empty"), "the server answered with an empty body (the feed has nothing there yet)"),
    (Fault("cut"), "the answer was cut off before its end"),
    (Fault("half"), "the answer is cut short (its JSON does not end)"),
    (Fault("html"), "the server answered with a web page, not JSON"),
]


@pytest.mark.parametrize("fault, message", BAD_ANSWERS, ids=[f.kind + str(f.status) for f, _ in BAD_ANSWERS])
def test_a_bad_answer_is_one_line_naming_the_url_and_leaves_nothing(places, capsys, monkeypatch, fault, message):
    monkeypatch.setattr(Downloader, "backoff", 0.0)
    output = places / "r.yaml"
    with serving() as server:
        server.faults[LAP_TIMES] = fault
        assert fetch(server, "--race", "5314", "-o", str(output)) == 2
    assert capsys.readouterr().err == f"race-replay: {server.url}{LAP_TIMES}: {message}\n"
    assert not output.exists()
    assert cached_files(places) == ["cacher/2023/race_list_basic.json"]  # no file of the race


def test_a_race_not_in_the_season_is_named_with_the_list_to_look_at(places, capsys):
    with serving() as server:
        assert fetch(server, "--race", "9999") == 2
    assert capsys.readouterr().err == (
        f"race-replay: {server.url}/cacher/2023/race_list_basic.json: race 9999 is not a 2023 xfinity race "
        "(`race-replay fetch nascar --season 2023 --series xfinity --list` lists them)\n")


def test_a_race_with_no_published_files_is_refused(places, capsys):
    with serving() as server:
        for path in race_paths(2023, 2, 5314).values():
            server.files.pop(path, None)
        assert fetch(server, "--race", "5314") == 2
    assert "race 5314 has no published feed files" in capsys.readouterr().err


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_offline_says_so_and_the_stored_list_still_serves(places, capsys):
    with serving() as server:
        assert fetch(server, "--list") == 0
    capsys.readouterr()
    closed = f"http://127.0.0.1:{free_port()}"
    assert main(["fetch", "nascar", "--season", "2023", "--series", "cup", "--list", "--feed-url", closed]) == 0
    out, err = capsys.readouterr()
    assert "Toyota Owners 400" in out and err == ""  # the season is over: its stored list is final, nothing asked
    assert main(["fetch", "nascar", "--season", "2023", "--series", "cup", "--race", "5274", "--feed-url", closed]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"race-replay: {closed}/cacher/2023/1/5274/") and "cannot reach the server" in err
    assert err.rstrip().endswith("are you offline?") and len(err.splitlines()) == 1


def test_without_network_and_nothing_stored_the_list_fails_cleanly(places):
    with pytest.raises(OfflineError), Downloader(f"http://127.0.0.1:{free_port()}") as downloader:
        from replay.sources.nascar.fetch import season_list

        season_list(2023, "cup", downloader, FeedCache(places / "cache"))


def test_a_race_not_yet_over_is_never_stored():
    from datetime import datetime, timezone

    listing = Listing(1, 2026, "cup", "2026-12-01", "2026-12-01T18:00:00", "R", "T", 200)
    assert not listing.finished(datetime(2026, 12, 1, 20, tzinfo=timezone.utc))
    assert listing.finished(datetime(2026, 12, 3, tzinfo=timezone.utc))
    assert not Listing(1, 2026, "cup", None, None, "R", "T", 200).finished()


def test_a_stale_list_of_a_season_still_running_serves_offline_and_says_so(places, capsys):
    import os

    from replay.sources.nascar.fetch import season_list

    cache = FeedCache(places / "cache" / "feeds")
    cache.put("/cacher/2026/race_list_basic.json", SEASON_LIST.read_bytes())
    old = (places / "cache" / "feeds" / "cacher/2026/race_list_basic.json")
    os.utime(old, (1, 1))  # stored long ago: a season still running would be asked for again
    with Downloader(f"http://127.0.0.1:{free_port()}") as downloader:
        season = season_list(2026, "cup", downloader, cache)
    assert season.offline and season.listings
    assert main(["fetch", "nascar", "--season", "2026", "--series", "cup", "--list",
                 "--feed-url", f"http://127.0.0.1:{free_port()}"]) == 0
    assert "offline:" in capsys.readouterr().err


def test_the_import_warnings_which_can_tell_the_result_are_shown_only_when_asked(places, capsys):
    with serving() as server:
        assert fetch(server, "--race", "5314", "-o", str(places / "r.yaml")) == 0
        quiet = capsys.readouterr().err
        assert fetch(server, "--race", "5314", "-o", str(places / "r.yaml"), "--spoilers") == 0
        loud = capsys.readouterr().err
        assert fetch(server, "--race", "5314", "-o", str(places / "r.yaml"), "--verbose") == 0  # its old name
        assert capsys.readouterr().err == loud
    # (the laps-led warning for Hill is gone: no one passes the leader under caution, so the
    # running order counts NASCAR's 103)
    assert "warning:" not in quiet and "stage 1 winner" not in quiet and "163" not in quiet
    assert "race-replay: 4 notes tell of the race itself (its cautions, lead changes, finish); " \
           "add --spoilers to read them\n" in quiet
    assert "stage 1 winner: lap-notes.json says #2, live-stage-points.json #21" in loud
    assert "lap 163 gives position(s) [3]" in loud and "--spoilers" not in loud


# -- a race still running ----------------------------------------------------------------------

def serving_cut(tmp_path, lap: int):
    """Race 5314's files as they stood when its leader completed lap ``lap`` + 1 (no loop data yet)."""
    from tests.feed_cut import cut_feeds

    folder = cut_feeds(ATLANTA, tmp_path / "cut", lap, [40, 80, 163])
    files = {path: folder / name for name, path in race_paths(2023, 2, 5314).items() if (folder / name).exists()}
    return serving({"/cacher/2023/race_list_basic.json": SEASON_LIST, **files})


def test_a_race_still_running_is_fetched_as_in_progress_and_not_stored(places, capsys, tmp_path):
    output = places / "live.yaml"
    with serving_cut(tmp_path, 60) as server:
        assert fetch(server, "--race", "5314", "-o", str(output)) == 0
        asked = len(server.requests)
        assert fetch(server, "--race", "5314", "-o", str(output)) == 0
        assert len(server.requests) > asked  # asked again: its files are not final
    assert "in progress" in capsys.readouterr().out
    race = yaml.safe_load(output.read_text(encoding="utf-8"))["race"]
    assert (race["laps"], race["actual_laps"], race["in_progress"]) == (163, 60, True)  # lap 61: not complete
    assert race["stage_ends"] == [40, 80, 163]  # from the list: the last is past the laps run
    assert cached_files(places) == ["cacher/2023/race_list_basic.json"]


def test_an_import_error_of_a_fetched_race_names_the_url_not_a_temporary_folder(places, capsys, tmp_path):
    bad = tmp_path / "lap-times.json"
    bad.write_text('{"laps": [{"Number": "1"}]}', encoding="utf-8")
    with serving({**MIRROR, LAP_TIMES: bad}) as server:
        assert fetch(server, "--race", "5314", "-o", str(places / "r.yaml")) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"race-replay: {server.url}{LAP_TIMES}: ") and "race-replay-fetch-" not in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("path", [p for p in race_paths(2023, 2, 5314).values() if p in MIRROR])
def test_any_file_of_the_race_cut_short_is_one_line_naming_its_url(places, capsys, monkeypatch, path):
    """As ``import nascar`` names the file in its folder, ``fetch`` names it by its URL."""
    monkeypatch.setattr(Downloader, "backoff", 0.0)
    with serving() as server:
        server.faults[path] = Fault("half")
        assert fetch(server, "--race", "5314", "-o", str(places / "r.yaml")) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"race-replay: {server.url}{path}: ") and "cut short" in err and err.count("\n") == 1, err
