"""Stage end laps from stage lengths, one rule for whoever gives the lengths: the weekend feed, or
the season's race list (beside the files for ``import``, or as ``fetch`` reads it from the server)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

from ..base import Warn


@dataclass(frozen=True)
class Listed:
    """A season list's stage lengths and scheduled laps for the race, and where the list is (``file``,
    as the race file's source cites it)."""

    lengths: tuple[int, ...]
    scheduled: int | None
    file: str


def stage_lengths(values: Iterable[object]) -> tuple[int, ...]:
    """``stage_N_laps`` up to the first absent or zero one (``stage_4_laps: 0``: no fourth stage)."""
    lengths = []
    for value in values:
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            break
        lengths.append(value)
    return tuple(lengths)


def ends_from_lengths(lengths: tuple[int, ...] | list[int], scheduled: int | None, actual: int | None, name: str,
                      warn: Warn) -> tuple[list[int | None], str | None]:
    """End laps from stage lengths (``stage_N_laps`` are lengths: the ends are their sums), and
    why they are estimated, if they are. After the race the last length counts the laps the race
    really ran: an overtime finish is written as the scheduled end (the last stage ends at the
    finish, however long), so the grid does not show that the race runs long."""
    sums = list(accumulate(lengths))
    ends: list[int | None] = list(sums)
    if not sums or not scheduled or sums[-1] == scheduled:
        return ends, None
    ran = actual or scheduled
    joined = "+".join(map(str, lengths))
    if sums[-1] == ran and ran > scheduled:
        return ends[:-1] + [scheduled], None
    if sums[-1] == ran:
        warn(f"{name}: the race ran {ran} of {scheduled} laps; the last stage's end is left unknown, "
             "so that the early finish does not show before it comes", spoiler=True)
        return ends[:-1] + [None], None
    if sums[-1] < min(scheduled, ran):
        why = (f"The feed's stage lengths ({joined}) cover {sums[-1]} of the race's {scheduled} laps; "
               "the stage after them is taken to end at the finish.")
        warn(f"{name}: {why}", spoiler=True)
        return ends + [scheduled], why
    warn(f"{name}: the stage lengths ({joined}) add up to {sums[-1]}, past the race's {ran} laps; "
         "the stage ends past the race are left out and the last stage ends at the finish", spoiler=True)
    return [end for end in sums if end < min(scheduled, ran)] + [None], None
