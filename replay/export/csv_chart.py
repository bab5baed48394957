"""The lap chart's data as CSV (RFC 4180): one row per lap from 0 to the lap asked for, one column
per car, the car's position at that lap or empty where no source gives it.

Columns are by car number (``Entry.neutral_key``): a race file's own order of entries is often the
finish. A column's header is the car number and the driver (``21 Austin Hill``), or the driver alone
where the number is not known. A position is the one the board shows at that lap: reported, carried
from an earlier report, or estimated (the chart draws which); nothing after the lap is read.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from ..core.chart import positions_by_lap
from ..core.engine import Timeline

if TYPE_CHECKING:
    from . import ExportRequest


def render_csv(timeline: Timeline, lap: int) -> str:
    """Laps 0..``lap`` of ``timeline`` as CSV text, lines ending in CRLF."""
    entries, laps = positions_by_lap(timeline, lap)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180: CRLF, fields quoted only when they must be
    writer.writerow(["lap", *(f"{e.number} {e.driver}" if e.number else e.driver for e in entries)])
    for at, positions in enumerate(laps):
        writer.writerow([at, *("" if pos is None else pos for pos in positions)])
    return out.getvalue()


def render_request(request: ExportRequest) -> str:
    """The registry's entry: the chart of laps 0 to the request's lap."""
    if request.timeline is None:
        raise ValueError("the CSV lap chart needs the race's timeline, not a lap's state alone")
    return render_csv(request.timeline, request.lap)
