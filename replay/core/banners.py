"""What to announce when the replay reaches a lap: stage ends and flag changes."""

from __future__ import annotations

from dataclasses import dataclass

from .state import RaceState

FLAG_TITLES = {"yellow": "CAUTION", "red": "RED FLAG", "white": "WHITE FLAG", "green": "GREEN FLAG"}


@dataclass(frozen=True)
class Banner:
    kind: str  # "stage_end", "checkered", or the new flag: "green", "yellow", "red", "white"
    title: str
    lines: tuple[str, ...] = ()


def banner_at(state: RaceState) -> Banner | None:
    """The banner for arriving at ``state.lap``, if anything is announced there.

    Only the state at that lap is used, so a banner can never spoil what comes later.
    """
    lap = state.lap
    if lap == 0:
        return None
    if state.finished:
        return _finish(state)
    stage = next((s for s in state.stage_results if s.lap == lap), None)
    if stage is not None:
        title = f"END OF STAGE {stage.stage}" + (f" · {stage.winner.driver} wins" if stage.winner else "")
        lines = tuple(
            f"{p.pos}. {p.entry.driver}" + (f"  {p.points} pts" if p.points is not None else "")
            for p in stage.places[:5]
        )
        return Banner("stage_end", title, lines or ("Stage results not reported",))
    if state.flag == state.previous_flag and lap != 1:
        return None
    if state.flag == "green" and lap == 1:
        return Banner("green", "GREEN FLAG · the race is on")
    if state.flag == "green":
        return Banner("green", "GREEN FLAG · restart")
    reason = state.flag_reason or ""
    if state.flag_estimated:
        reason += " (laps estimated)"
    if state.flag == "white":
        return Banner("white", "WHITE FLAG · one lap to go")
    return Banner(state.flag, FLAG_TITLES[state.flag] + (f" · {reason.strip()}" if reason.strip() else ""))


def _finish(state: RaceState) -> Banner:
    winner = state.leaderboard[0].entry.driver if state.leaderboard and state.leaderboard[0].pos == 1 else None
    lines = tuple(f"{row.pos}. {row.entry.driver}" for row in state.leaderboard[:3])
    changed = [r for r in state.official if r.status == "disqualified"]
    if changed:
        lines += tuple(f"{r.entry.driver} disqualified after the race" for r in changed)
    return Banner("checkered", "CHECKERED FLAG" + (f" · {winner} wins" if winner else ""), lines)
