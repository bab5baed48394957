"""When each car leaves the race, from what is known at each lap (core/known.py).

Before the finish a car is out only where something known by then says so: an event that ends its
race (a ``retirement``, or one naming it in ``ends_race``), or a result's ``dns`` (at the grid). A
result's other statuses are the finish's news: a car whose result says it retired after 83 laps
shows running, like every car no source says anything of, until the finish reveals it. (A result's
laps are the car's own, not the leader's, so they would not even say when it stopped.)
"""

from __future__ import annotations

from .known import race_ends
from .model import Race


def out_before_finish(race: Race) -> dict[str, tuple[int, str]]:
    """Car -> (the first lap it is known to be out, why)."""
    return race_ends(race)


def out_at_finish(race: Race, final_lap: int) -> dict[str, str]:
    """Car -> why it is out at the finish: what ended its race in the race, or its result (a status
    other than running with fewer laps than the race, or ``dns``); the result's word wins."""
    out = {car: why for car, (_, why) in race_ends(race).items()}
    for row in race.results:
        if row.status == "dns":
            out[row.car] = "did not start"
        elif row.status not in (None, "running") and row.laps is not None and row.laps < final_lap:
            out[row.car] = row.status
    return out
