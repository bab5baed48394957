"""``race-replay import csv``: a lap chart -> a race file.

The chart is what ``export --format csv`` writes: a header row (``lap``, then a column per car,
``21 Austin Hill``, or the driver alone where the number is unknown), then a row per lap in order
(lap 0 is the grid), each car's position at that lap or empty where unknown. Each row becomes the
running order at its lap, as reported; nothing else is made up. A problem is one line naming the
file, the row and the column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from ...racefile.loader import check_text
from ..base import FeedError, Imported, ImportOptions, audit_notices
from ..render import PerLap, render

NUMBER = re.compile(r"\d[0-9A-Za-z]*")  # a car number: digits first ("07", "21", "1A")


@dataclass(frozen=True)
class Car:
    number: str | None
    driver: str


class Chart:
    """The rows of one chart file; every failure raises a FeedError naming file, row and column."""

    def __init__(self, name: str, body: bytes) -> None:
        self.name = name
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise FeedError(f"{name}: not UTF-8 text (bad byte at offset {error.start})") from None
        try:
            # (row number as a spreadsheet shows it, cells); blank rows are skipped, not renumbered
            self.rows = [(number, row) for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
                         if any(cell.strip() for cell in row)]
        except csv.Error as error:
            raise FeedError(f"{name}: not a CSV lap chart ({error})") from None
        if not self.rows:
            raise FeedError(f"{name}: the file is empty (a lap chart has a header row: lap, then a column per car)")

    def fail(self, row: int, column: int, message: str) -> FeedError:
        return FeedError(f"{self.name}: row {row}, column {column}: {message}")

    def cars(self) -> list[Car]:
        first, header = self.rows[0]
        if header[0].strip().lower() != "lap":
            raise self.fail(first, 1, f"the first column should be the lap ('lap'), not {header[0].strip()!r:.40}")
        if len(header) < 2:
            raise self.fail(first, 2, "no car columns (a column per car: '21 Austin Hill')")
        cars: list[Car] = []
        for column, cell in enumerate(header[1:], start=2):
            car = _car(cell)
            if not car.driver and not car.number:
                raise self.fail(first, column, "a car column needs a header ('21 Austin Hill', or the driver's name)")
            for other, known in enumerate(cars, start=2):
                if (car.number and car.number == known.number) or (not car.number and car.driver == known.driver):
                    raise self.fail(first, column, f"{cell.strip()!r} is the same car as column {other}")
            cars.append(car)
        return cars

    def orders(self, cars: list[Car]) -> dict[int, list[str | None]]:
        """Lap -> the running order (P1 first, None where no car is given the place)."""
        orders: dict[int, list[str | None]] = {}
        for row, cells in self.rows[1:]:
            lap = self._lap(row, cells[0], orders)
            if len(cells) > len(cars) + 1:
                raise self.fail(row, len(cars) + 2, f"{len(cells) - 1} positions for {len(cars)} car columns")
            places: dict[int, int] = {}  # position -> its column
            for column, cell in enumerate(cells[1:], start=2):
                position = self._position(row, column, cell)
                if position is None:
                    continue
                if position in places:
                    raise self.fail(row, column, f"position {position} at lap {lap} is also given to "
                                                 f"{_label(cars[places[position] - 2])} (column {places[position]})")
                places[position] = column
            order: list[str | None] = [None] * max(places, default=0)
            for position, column in places.items():
                order[position - 1] = _ref(cars[column - 2])
            orders[lap] = order
        if not orders:
            raise FeedError(f"{self.name}: no laps (a row per lap after the header)")
        return orders

    def _lap(self, row: int, cell: str, orders: dict[int, Any]) -> int:
        text = cell.strip()
        if not text.isdigit():
            raise self.fail(row, 1, f"the lap should be a whole number (0 is the grid), not {text!r:.40}")
        lap = int(text)
        last = max(orders, default=-1)
        if lap <= last:
            raise self.fail(row, 1, f"lap {lap} comes after lap {last}: laps go in order, each once")
        return lap

    def _position(self, row: int, column: int, cell: str) -> int | None:
        text = cell.strip()
        if not text:
            return None
        if not text.isdigit() or int(text) < 1:
            raise self.fail(row, column, f"a position should be a whole number from 1 (or empty), not {text!r:.40}")
        return int(text)


def _car(cell: str) -> Car:
    """``21 Austin Hill`` -> number 21, driver Austin Hill; ``Austin Hill`` -> the driver alone."""
    words = cell.split()
    if words and NUMBER.fullmatch(words[0]):
        return Car(words[0], " ".join(words[1:]))
    return Car(None, " ".join(words))


def _ref(car: Car) -> str:
    return car.number or car.driver


def _label(car: Car) -> str:
    return " ".join(part for part in (car.number, car.driver) if part)


def import_chart(name: str, body: bytes, options: ImportOptions, where: str) -> Imported:
    """The race file text from one lap chart (nothing is written)."""
    chart = Chart(where, body)
    cars = chart.cars()
    orders = chart.orders(cars)
    race = _race(options, max(orders), where)
    named = any(car.number is None for car in cars)  # a driver's name has spaces: the list form then
    out: dict[str, Any] = {
        "format": 1,
        "race": race,
        "sources": {"chart": {"title": f"Lap chart: {name}", "file": name}},
        "entries": [{"number": car.number, "driver": car.driver} if car.number and car.driver
                    else {"number": car.number} if car.number else {"driver": car.driver} for car in cars],
        "running_order": PerLap({lap: order if named
                                 else " ".join("~" if c is None else c for c in order)
                                 for lap, order in orders.items()}),
    }
    text = render(out, f"# Imported by `race-replay import csv` from {name}.\n"
                       "# Re-running the import on the same chart gives this file byte for byte.\n")
    report = check_text(text, "imported race")
    if report.errors:
        raise FeedError(f"{where}: the chart does not make a valid race: {report.errors[0].split(': ', 1)[1]}")
    return Imported(text, audit_notices(report.warnings), [name], bool(race.get("in_progress")))


def _race(options: ImportOptions, last: int, where: str) -> dict[str, Any]:
    """The race facts given on the command line; the laps run to the chart's last lap unless
    ``--laps`` says more were scheduled (the race is then in progress)."""
    missing = [f"--{key}" for key in ("series", "name", "track") if not getattr(options, key)]
    if missing:
        raise FeedError(f"{where}: a lap chart does not give the race's {', '.join(k[2:] for k in missing)}; "
                        f"give {' '.join(missing)}")
    race: dict[str, Any] = {"series": options.series, "name": options.name, "track": options.track}
    if options.date:
        race["date"] = options.date
    race["laps"] = options.laps or last
    race["stage_ends"] = list(options.stage_ends or [])
    if last != race["laps"]:
        race["actual_laps"] = last
    if last < race["laps"]:
        race["in_progress"] = True
    race["partial"] = ["cautions"]  # a chart says nothing of them: not "0 cautions", no caution laps counted
    return race
