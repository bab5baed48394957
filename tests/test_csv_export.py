"""The lap chart's data as CSV: header by car number, a row per lap 0..N, empties, RFC 4180 quoting."""

from __future__ import annotations

import csv
import io

import pytest

from replay.core.engine import Timeline
from replay.export.csv_chart import render_csv
from replay.racefile.loader import load_race
from tests.conftest import HOMESTEAD, ROOT
from tests.spoilers import after

ATLANTA = ROOT / "races" / "2023-xfinity-atlanta.yaml"


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.fixture(scope="module")
def atlanta() -> Timeline:
    return Timeline(load_race(ATLANTA))


def test_header_is_lap_then_cars_by_number_not_by_result(atlanta):
    header = rows(render_csv(atlanta, 10))[0]
    assert header[:6] == ["lap", "00 Cole Custer", "1 Sam Mayer", "02 Kyle Weatherman", "2 Sheldon Creed", "4 Garrett Smithley"]
    assert "21 Austin Hill" in header and len(header) == len(atlanta.race.entries) + 1
    entries = sorted(atlanta.race.entries.values(), key=lambda e: e.neutral_key)
    assert header[1:] == [f"{e.number} {e.driver}" for e in entries]


@pytest.mark.parametrize("lap", [0, 1, 90, 163])
def test_a_row_per_lap_with_the_running_order(atlanta, lap):
    table = rows(render_csv(atlanta, lap))
    assert [row[0] for row in table[1:]] == [str(n) for n in range(lap + 1)]
    keys = [key for key, _ in sorted(atlanta.race.entries.items(), key=lambda item: item[1].neutral_key)]
    orders = {order.lap: order.cars for order in atlanta.race.orders}
    for at in {0, lap}:
        placed = dict(zip(keys, table[at + 1][1:], strict=True))
        for index, car in enumerate(orders[at]):
            assert placed[car] == str(index + 1)
        if at < atlanta.final_lap:  # before the finish, a car not in the order is unknown
            assert all(value == "" for car, value in placed.items() if car not in orders[at])


def test_unknown_positions_are_empty_and_a_car_without_a_number_is_its_driver():
    table = rows(render_csv(Timeline(load_race(HOMESTEAD)), 7))
    header = table[0]
    assert header[:7] == ["lap", "07 Kyle Larson", "11 Corey Heim", "17 Gio Ruggiero", "34 Layne Riggs",
                          "44 Ross Chastain", "98 Ty Majeski"]  # not Honeycutt: only the result names him
    assert "Ben Rhodes" in header  # no number in the file
    lap7 = dict(zip(header, table[8], strict=True))
    assert (lap7["lap"], lap7["07 Kyle Larson"], lap7["11 Corey Heim"], lap7["Ben Rhodes"]) == ("7", "2", "1", "")


def test_quoting_and_line_ends_are_rfc_4180(write_race):
    path = write_race("""\
      - {number: "5", driver: "Smith, Jr."}
      - {number: "8", driver: 'Dale "Ironhead" Doe'}
    running_order:
      0: {order: ["5", "No Number", "8"], sources: [s1]}
    """)
    text = render_csv(Timeline(load_race(path)), 1)
    assert text.split("\r\n")[0] == 'lap,"5 Smith, Jr.",07 Seven Oh,7 Seven,"8 Dale ""Ironhead"" Doe",No Number'
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert rows(text) == [["lap", "5 Smith, Jr.", "07 Seven Oh", "7 Seven", '8 Dale "Ironhead" Doe', "No Number"],
                          ["0", "1", "", "", "3", "2"], ["1", "1", "", "", "3", "2"]]


@pytest.mark.parametrize("lap", [0, 45, 120])
def test_nothing_after_the_lap_is_exported(atlanta, lap):
    assert render_csv(atlanta, lap) == render_csv(Timeline(after(atlanta.race, lap)), lap)
    assert len(rows(render_csv(atlanta, lap))) == lap + 2


def test_a_lap_outside_the_race_is_refused(atlanta):
    with pytest.raises(ValueError, match="outside the race"):
        render_csv(atlanta, 164)


def test_the_command_line_exports_the_chart_as_csv():
    import subprocess
    import sys

    from tests.conftest import ROOT

    result = subprocess.run([sys.executable, "-m", "replay", "export", str(ROOT / "races" / "2023-xfinity-atlanta.yaml"),
                             "--lap", "3", "--format", "csv"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][0] == "lap" and [row[0] for row in rows[1:]] == ["0", "1", "2", "3"]
