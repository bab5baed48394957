"""Cross-checks of a race file that are warnings, not errors: sections that disagree.

They need the per-lap index (``Timeline``), so they run after the file has loaded cleanly.
"""

from __future__ import annotations

from ..core.engine import Timeline
from .checks import Problem


def audit(timeline: Timeline) -> list[Problem]:
    """Every disagreement between sections of the file, less those a dispute entry settles."""
    problems = [Problem(path, message, warning=True) for path, message in timeline.positions.conflicts]
    problems += _laps_led(timeline)
    settled = {check for dispute in timeline.race.disputes for check in dispute.settles}
    return [p for p in problems if not p.check or p.check not in settled]


def _laps_led(timeline: Timeline) -> list[Problem]:
    """Laps led in the results against what the leader data gives (or already gives, if partial)."""
    problems = []
    derived = timeline.positions.laps_led(timeline.final_lap)
    known = timeline.positions.known_laps_led()
    for row in timeline.race.results:
        if row.laps_led is None:
            continue
        driver = timeline.race.entries[row.car].driver
        if derived is not None and derived.get(row.car, 0) != row.laps_led:
            problems.append(Problem(("results",), f"{driver}: results say {row.laps_led} laps led, "
                                                  f"the leader data gives {derived.get(row.car, 0)}", True,
                                    f"laps_led {row.car}"))
        elif known.get(row.car, 0) > row.laps_led:
            problems.append(Problem(("results",), f"{driver}: results say {row.laps_led} laps led, but the "
                                                  f"leader data already has {known[row.car]}", True,
                                    f"laps_led {row.car}"))
    return problems
