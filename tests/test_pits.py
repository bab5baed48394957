"""Pit stops: the race file's ``pit`` figures (loader, schema, importer), a caution's pit cycle as
one row of the incident log, the log's kind filter, and the pit-stop table (``o``) up to the lap."""

from __future__ import annotations

import json

import pytest

from replay.core.engine import Timeline
from replay.core.log import KIND_FILTERS, log_items
from replay.core.model import EVENT_KINDS, PitStop
from replay.core.notes import Note
from replay.core.pits import PitCycle, group_cycles, stop_test, stops_newest_first
from replay.racefile.loader import check_file, load_race
from replay.viewer.app import ReplayApp
from replay.viewer.screens.pits import PitStopsScreen
from tests.conftest import HOMESTEAD, ROOT, screen_text
from widgets import EventDetail, EventLog
from widgets.event_log import detail_lines

ATLANTA = ROOT / "races" / "2023-xfinity-atlanta.yaml"
FEEDS = ROOT / "tests" / "data" / "feeds" / "nascar-xfinity-2023-atlanta-5314"
SIZE = (120, 40)


def raw_stops() -> list[dict]:
    return json.loads((FEEDS / "live-pit-data.json").read_text(encoding="utf-8-sig"))


@pytest.fixture(scope="module")
def atlanta() -> Timeline:
    return Timeline(load_race(ATLANTA))


def app_at(path, lap: int) -> ReplayApp:
    return ReplayApp(Timeline(load_race(path)), lap=lap, transient=False)


# -- the race file -------------------------------------------------------------------------


def test_the_loader_reads_a_pit_stop(write_race):
    race = load_race(write_race("""\
        events:
          - lap: 4
            kind: pit
            cars: ["07"]
            text: Four tires.
            pit: {service: four_tires, stopped_s: 12.3, road_s: 35.1, in_pos: 3, out_pos: 1, under_caution: true}
          - {lap: 5, kind: pit, cars: ["7"], text: Fuel, pit: {service: fuel_only}}
          - {lap: 6, kind: pit, cars: ["7"], text: In for repairs.}
        """))
    first, second, third = race.events
    assert first.pit == PitStop("four_tires", 12.3, 35.1, 3, 1, True) and first.pit.gained == 2
    assert second.pit == PitStop(service="fuel_only") and second.pit.gained is None
    assert third.pit is None


def errors_of(path) -> list[str]:
    report = check_file(path)
    assert report.race is None, "expected the file to be rejected"
    return [line.removeprefix(f"{path}:") for line in report.errors]


def test_the_loader_refuses_wrong_pit_stops_each_in_one_located_line(write_race):
    path = write_race("""\
        events:
          - {lap: 2, kind: pit, cars: ["07"], text: A, pit: {service: four_tire, stopped_s: 0, in_pos: 4, tires: 4}}
          - {lap: 2, kind: crash, cars: ["07"], text: B, pit: {service: other}}
          - {lap: 2, kind: pit, cars: ["07", "7"], text: C, pit: {service: other}}
          - {lap: 2, kind: pit, cars: ["07"], text: D, pit: {}}
          - {lap: 2, kind: pit, cars: ["07"], text: E, pit: {stopped_s: 40, road_s: 30, under_caution: "no"}}
          - {when: post-race, kind: pit, cars: ["07"], text: F, pit: {service: other}}
          - {lap: 2, kind: pit, cars: ["07"], text: G, pit: [four_tires]}
        """)
    assert errors_of(path) == [
        "15:63: pit service 'four_tire' is not known; did you mean 'four_tires'?",
        "15:85: a pit stop's `stopped_s` should be more than 0 seconds, not 0",
        "15:96: a pit stop's `in_pos` should be a position from 1 to 3, not 4",
        "15:99: unknown key `tires` in a pit stop; expected one of: service, stopped_s, road_s, in_pos, out_pos, "
        "under_caution, out_lap",
        "16:55: only a `pit` event has a `pit` stop; this event is a 'crash'",
        "17:58: a `pit` stop is one car's, in the race: give one car in `cars` and a `lap`",
        "18:53: a pit stop gives none of `service`, `stopped_s`, `road_s`, `in_pos`, `out_pos`, `under_caution`, "
        "`out_lap`",
        "19:65: 40 s stopped is longer than the 30 s on pit road",
        "19:96: a pit stop `under_caution` should be true or false, not the text 'no'",
        "20:62: a `pit` stop is one car's, in the race: give one car in `cars` and a `lap`",
        "21:53: an event `pit` should be a mapping, not a list",
    ]


def test_the_schema_knows_the_pit_fields():
    from replay.racefile.schema import race_schema

    pit = race_schema()["properties"]["events"]["items"]["properties"]["pit"]
    assert set(pit["properties"]) == {"service", "stopped_s", "road_s", "in_pos", "out_pos", "under_caution", "out_lap"}
    assert pit["additionalProperties"] is False and pit["minProperties"] == 1


def place(atlanta: Timeline, car: str, lap: int) -> int | None:
    cars = next(order.cars for order in atlanta.race.orders if order.lap == lap)
    return cars.index(car) + 1 if car in cars else None


def test_the_importer_writes_each_stop_from_the_feed(atlanta):
    """Checked against live-pit-data.json itself (the stop's car and leader lap, its type, the pit
    box and pit road times, 0: not recorded, the flag it came in under) and the running order: the
    places are the car's before the stop and after its out-lap, not the feed's pit-road ranks."""
    stops = [e for e in atlanta.race.events if e.pit is not None]
    feed = raw_stops()
    assert len(stops) == len(feed) and all(e.sources[0] == "live-pit-data" for e in stops)
    service = {"FOUR_WHEEL_CHANGE": "four_tires", "TWO_WHEEL_CHANGE_RIGHT": "right_side_tires",
               "TWO_WHEEL_CHANGE_LEFT": "left_side_tires", "OTHER": "other"}
    for item in (feed[0], feed[40], feed[100], next(i for i in feed if i["total_duration"] == 0),
                 next(i for i in feed if i["pit_in_flag_status"] == 1)):
        car, lap = item["vehicle_number"], item["leader_lap"]
        event = next(e for e in stops if e.cars == (car,) and e.lap == lap + 1)  # came in during the leader's next lap
        assert event.pit == PitStop(service[item["pit_stop_type"]], round(item["pit_stop_duration"], 2),
                                    round(item["total_duration"], 2) or None, place(atlanta, car, lap),
                                    place(atlanta, car, lap + 2), item["pit_in_flag_status"] == 2, lap + 2)
    first = next(e for e in stops if e.cars == ("18",) and e.lap == 29)
    assert (first.pit.in_pos, first.pit.out_pos) == (11, 24), "its own lap note: #18 pits from 11th"
    assert first.text == "Pit stop under caution: four tires, from P11"
    differ = sum(1 for e, item in zip(stops, feed, strict=True) if e.pit.in_pos != item["pit_in_rank"])
    assert differ > 90, "the feed's pit_in_rank is the order the cars came in, not their place"


@pytest.mark.parametrize("car, lap, waves", [("31", 61, 62), ("02", 26, 27)])
def test_under_caution_shows_from_the_lap_the_caution_waves(atlanta, car, lap, waves):
    """The car that brings out the caution came in (the feed's leader lap ``lap``) during the
    leader's next lap, the one the caution waves on: its stop shows from that lap, under caution,
    and not at ``lap``, which would tell the caution is coming."""
    def stops(at: int):
        return [e for e in atlanta.state_at(at).events if e.pit is not None and e.cars == (car,) and e.lap >= lap]
    assert atlanta.flags[lap] == "green" and atlanta.flags[waves] == "yellow"
    assert stops(lap) == []
    (stop,) = stops(waves)
    assert stop.lap == waves and stop.pit.under_caution is True and stop.text.startswith("Pit stop under caution")


def test_the_place_out_and_the_times_show_from_the_out_lap(atlanta):
    def stop(at: int):
        return next(e for e in atlanta.state_at(at).events if e.cars == ("18",) and e.lap == 29 and e.pit)
    assert not [e for e in atlanta.state_at(28).events if e.cars == ("18",) and e.pit and e.lap >= 28]
    for lap in (29,):
        early = stop(lap)
        assert (early.pit.in_pos, early.pit.out_pos, early.pit.road_s, early.pit.stopped_s) == (11, None, None, None)
        assert "out P" not in early.text and "pit road" not in early.text
    late = stop(30)
    assert (late.pit.out_pos, late.pit.road_s, late.pit.stopped_s) == (24, 80.04, 20.45)
    assert late.text == "Pit stop under caution: four tires, from P11; out P24 (-13), 20.45 s stopped, 80.04 s on pit road"
    assert stop(atlanta.final_lap) == late


# -- which events are stops; pit cycles ---------------------------------------------------


def test_a_lap_note_is_not_a_stop_where_the_race_has_a_pit_record(atlanta):
    is_stop = stop_test(atlanta.race.events)
    notes = [e for e in atlanta.race.events if e.kind == "pit" and e.pit is None]
    assert notes and not any(is_stop(e) for e in notes), "'#9 pits', '… stay out' are lap notes"
    sparse = load_race(HOMESTEAD)
    assert all(stop_test(sparse.events)(e) for e in sparse.events if e.kind == "pit" and e.when == "race")


def feed_stops(first: int, last: int) -> list[dict]:
    return [s for s in raw_stops() if first <= s["leader_lap"] <= last]


@pytest.mark.parametrize("lap, label, count", [(120, "L118–120", 22), (121, "L118–121", 25), (125, "L118–121", 25)])
def test_a_cautions_stops_are_one_item_counting_only_those_so_far(atlanta, lap, label, count):
    """The caution of laps 117–122: at each lap its cycle counts the feed's stops from leader lap 117
    to the lap before (a stop at the feed's leader lap L came in during the leader's lap L + 1)."""
    state = atlanta.state_at(lap)
    items = log_items(state, atlanta.flags, (), stop_test(atlanta.race.events))
    cycle = next(i for i in items if isinstance(i, PitCycle) and i.start == 117)
    assert (cycle.lap_label, len(cycle.events), cycle.caution) == (label, count, True)
    assert count == len(feed_stops(117, lap - 1))
    place = items.index(cycle)
    assert all(i.lap <= cycle.lap for i in items[:place]) and all(i.lap >= cycle.lap for i in items[place + 1:]), \
        "it stands where its latest stop does"
    assert (place == len(items) - 1) == (lap <= 121), "while it grows, it is the newest item"
    assert not any(isinstance(i, PitCycle) and i.lap > lap for i in items)


def test_the_prep_sheet_and_the_log_group_the_same_stops(atlanta):
    state = atlanta.state_at(30)
    is_stop = stop_test(atlanta.race.events)
    sheet = [i for i in group_cycles(state.events, atlanta.flags[:31], is_stop) if isinstance(i, PitCycle)]
    log = [i for i in log_items(state, atlanta.flags, (), is_stop) if isinstance(i, PitCycle)]
    assert sheet == log and [c.lap_label for c in log] == ["L3–6", "L19–22", "L27–29"]


def test_every_kind_has_one_filter_and_notes_have_theirs(atlanta):
    named = [f for f in KIND_FILTERS if f.kinds is not None]
    assert KIND_FILTERS[0].kinds is None and KIND_FILTERS[0].notes
    assert sorted(k for f in named for k in f.kinds) == sorted(EVENT_KINDS)
    state = atlanta.state_at(125)
    is_stop = stop_test(atlanta.race.events)
    notes = (Note(100, "mine"), Note(124, "about Hill", "21"))
    mine = next(f for f in KIND_FILTERS if f.name == "my notes")
    assert log_items(state, atlanta.flags, notes, is_stop, kinds=mine) == notes
    assert log_items(state, atlanta.flags, notes, is_stop, car="21", kinds=mine) == notes[1:]
    pits = next(f for f in KIND_FILTERS if f.name == "pit stops")
    shown = log_items(state, atlanta.flags, notes, is_stop, kinds=pits)
    assert shown and all(i.kind == "pit" for i in shown) and not any(isinstance(i, Note) for i in shown)


# -- the viewer ----------------------------------------------------------------------------


async def test_the_log_shows_a_pit_cycle_as_one_row_and_enter_opens_its_stops():
    app = app_at(ATLANTA, 125)
    async with app.run_test(size=SIZE) as pilot:
        log = app.screen.query_one(EventLog)
        index = next(i for i, e in enumerate(log.events) if isinstance(e, PitCycle) and e.start == 117)
        row = "".join(text for text, _ in log.render_row(index, 60))
        assert row.split() == ["L118–121", "pit", "cycle", "25", "stops", "under", "caution"]
        assert sum(1 for e in log.events if e.kind == "pit" and e.lap in range(117, 123)) == 3, "the cycle and two notes"
        log.focus()
        for _ in range(index):
            await pilot.press("down")
        detail = app.screen.query_one(EventDetail)
        assert detail.event is log.events[index]
        assert "".join(text for line in detail_lines(detail.event, 200) for text, _ in line).startswith(
            "25 pit stops under the caution from lap 117, by 24 cars, up to now  [Enter or d: the stops]")
        await pilot.press("enter")
        assert isinstance(app.screen, PitStopsScreen) and len(app.screen.stops) == 25
        text = screen_text(app)
        assert "Pit cycle L118–121, under the caution from lap 117 · Lap 125 / 163" in text
        assert "25 stops by 24 cars" in text and "L112" not in text
        await pilot.press("escape")
        assert app.screen.lap == 125, "Enter on a cycle opens its stops; it does not jump"
        await pilot.press("d")
        assert isinstance(app.screen, PitStopsScreen) and app.screen.cycle is not None


async def test_the_pit_table_lists_the_stops_so_far_newest_first():
    app = app_at(ATLANTA, 125)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        screen = app.screen
        assert isinstance(screen, PitStopsScreen)
        assert len(screen.stops) == len(feed_stops(0, 124)) == 139  # those that came in by the leader's lap 125
        text = screen_text(app)
    assert "Pit stops · Lap 125 / 163" in text and "139 stops by 34 cars · laps 1–125, nothing after" in text
    lines = [line.split("█")[1].strip() for line in text.splitlines() if line.count("█") >= 2]
    header = next(i for i, line in enumerate(lines) if line.startswith("Lap  Car"))
    assert lines[header].split() == ["Lap", "Car", "Service", "Pit", "road", "Stopped", "In", "→", "out", "+/-", "Caution"]
    assert lines[header + 1].split() == ["L121", "#08", "Gray", "Gaulding", "four", "tires", "114.41", "52.62", "P5", "→",
                                         "P26", "-21", "yes"]
    assert "L158" not in text


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_the_pit_table_fits_small_terminals(size):
    app = app_at(ATLANTA, 125)
    async with app.run_test(size=size) as pilot:
        await pilot.press("o")
        text = screen_text(app)
    assert all(len(line) <= size[0] for line in text.splitlines())
    row = next(line for line in text.splitlines() if "L121 #08" in line)
    assert "114.41" in row and "-21" in row, "the time on pit road and the places stay"


async def test_the_pit_table_hides_what_is_known_from_the_out_lap():
    app = app_at(ATLANTA, 121)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        text = screen_text(app)
    row = next(line for line in text.splitlines() if "L121 #08" in line)
    assert "P5 → …" in row and "114.41" not in row and "52.62" not in row and "P26" not in row


async def test_a_race_from_reports_shows_its_pit_stories():
    app = app_at(HOMESTEAD, 134)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        text = screen_text(app)
    assert "3 stops by 3 cars" in text and "Times, service and places unknown" in text
    assert "Riggs overshoots his pit stall and rejoins 13th." in text


async def test_a_race_without_a_complete_pit_record_never_counts_no_stop_as_none():
    """Homestead's stops come from reports: before the first one the table said "0 stops" and "No pit
    stops yet", where the statistics say the count is unknown (a new user's trial, on Martinsville)."""
    app = app_at(HOMESTEAD, 1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        text = screen_text(app)
    assert "Pit stops unknown" in text and "No pit stop named by the sources so far." in text
    assert "No pit stops yet." not in text


async def test_no_stop_after_the_lap_shows_in_the_table():
    app = app_at(ATLANTA, 0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        assert "No pit stops yet." in screen_text(app)


async def test_k_cycles_the_kinds_the_log_shows_with_the_driver_filter():
    app = app_at(HOMESTEAD, 134)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        log = app.screen.query_one(EventLog)
        assert "Incidents · crashes & trouble" in screen_text(app)
        assert log.events and all(e.kind in KIND_FILTERS[1].kinds for e in log.events)
        await pilot.press("k", "k")
        assert "Incidents · pit stops" in screen_text(app)
        assert {e.text for e in log.events} == {"Riggs overshoots his pit stall and rejoins 13th.",
                                                "Majeski comes back down pit road for repairs and gives up his track position.",
                                                "Larson pits for new tires."}
        await pilot.press("l", *"riggs", "enter")
        assert "Incidents · Layne Riggs · pit stops" in screen_text(app)
        assert [e.cars for e in log.events] == [("34",)]
        for _ in range(len(KIND_FILTERS) - 3):
            await pilot.press("k")
        title = next(line for line in screen_text(app).splitlines() if "Incidents" in line)
        assert title.rstrip().endswith("Incidents · Layne Riggs")


def test_the_table_orders_a_laps_stops_by_where_they_came_in(atlanta):
    stops = stops_newest_first(atlanta.state_at(119).events, stop_test(atlanta.race.events))
    laps = [s.lap for s in stops]
    assert laps == sorted(laps, reverse=True)
    at_119 = [s.pit.in_pos for s in stops if s.lap == 119]
    assert at_119 == sorted(at_119)


async def test_the_palette_names_the_stopping_car_and_shows_the_stop_as_known():
    from replay.viewer.commands import ReplayCommands

    app = app_at(ATLANTA, 29)
    async with app.run_test(size=SIZE):
        titles = [command.text for command in ReplayCommands(app.screen).commands()]
    row = next(t for t in titles if t.startswith("Lap 29: pit · #18 Sammy Smith"))
    assert row.endswith("Pit stop under caution: four tires, from P11"), "its place out shows from lap 30"


async def test_a_place_out_after_the_out_lap_is_not_pending():
    """#02 pits at lap 27 (the feed's leader lap 26) and does not return: from its out-lap its place out is its place in the
    running order (where it was last across the line), not '…'."""
    app = app_at(ATLANTA, 29)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        text = screen_text(app)
    assert "P15 → P33" in next(line for line in text.splitlines() if "L27 #02" in line)
    assert "P11 → …" in next(line for line in text.splitlines() if "L29 #18" in line)


def test_came_in_under_green_is_hidden_as_long_as_under_caution_would_be(atlanta):
    """A 'no' shown at once beside a hidden 'yes' would tell the caution: both wait alike."""
    green = next(e for e in atlanta.race.events if e.pit and e.pit.under_caution is False and e.pit.out_lap)
    at_stop = next(e for e in atlanta.state_at(green.lap).events if e.pit and e.cars == green.cars and e.lap == green.lap)
    waves = next((lap for lap in range(green.lap, green.pit.out_lap) if atlanta.flags[lap] == "yellow"), None)
    assert at_stop.pit.under_caution is (False if waves == green.lap else None)
    out = next(e for e in atlanta.state_at(green.pit.out_lap).events if e.pit and e.cars == green.cars and e.lap == green.lap)
    assert out.pit.under_caution is False


def test_a_stop_shows_from_the_lap_during_which_the_car_came_in(atlanta):
    """Creed crossed the line for lap 112 at 7535.0 s (summed lap times) and came onto pit road at
    7559.8 s, during the leader's lap 113 (the feed's leader lap 112 is the laps the leader had
    completed then): nothing of the stop, its service neither, shows at lap 112."""
    item = next(i for i in raw_stops() if i["vehicle_number"] == "2" and i["leader_lap"] == 112)
    assert (item["pit_in_race_time"], item["pit_stop_type"]) == (7559.764, "FOUR_WHEEL_CHANGE")

    def creed(lap: int):
        row = next(r for r in atlanta.state_at(lap).leaderboard if r.entry.number == "2")
        stops = [e for e in atlanta.state_at(lap).events if e.pit and e.cars == ("2",) and e.lap >= 112]
        return row.status, [(e.lap, e.pit.service) for e in stops]
    assert creed(112) == ("running", [])
    assert creed(113) == ("pit", [(113, "four_tires")])
