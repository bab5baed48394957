"""Moving through a race's laps, one definition for every screen that shows a lap (the replay
screen, the lap chart): the keys (``NAVIGATION``, listed first in each screen's bindings, so the
help and the footers show them alike) and ``LapScreen``, whose actions they call. A key changes
here. Also where the replay screen's "next" keys (stage end, event) lead: ``stage_move``, ``event_move``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from textual.actions import parse
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen, ScreenResultType

from ...core.engine import Timeline

NAVIGATION: tuple[Binding, ...] = (
    Binding("left", "step(-1)", "Lap -1", key_display="←", tooltip="One lap back"),
    Binding("right", "step(1)", "Lap +1", key_display="→", tooltip="One lap forward"),
    Binding("shift+left,pageup", "step(-10)", "-10", show=False, key_display="⇧← PgUp", tooltip="Ten laps back"),
    Binding("shift+right,pagedown", "step(10)", "+10", show=False, key_display="⇧→ PgDn", tooltip="Ten laps forward"),
    Binding("home", "jump(0)", "Grid", show=False, tooltip="The grid (lap 0)"),
    Binding("end", "jump_to_finish", "Finish", show=False, tooltip="The finish"),
)

FooterActions = tuple[tuple[str, tuple[object, ...]], ...]


def footer_actions(bindings: Iterable[Binding]) -> FooterActions:
    """The actions of the keys the footer shows, with their literal parameters (Textual's own
    parsing, e.g. ``step(-10)`` -> ``("step", (-10,))``): parsed once, re-checked every lap."""
    return tuple(parse(binding.action)[1:] for binding in bindings if binding.show)


def int_parameter(parameters: tuple[object, ...]) -> int:
    """The one whole-number parameter of an action such as ``step(-1)``."""
    value = parameters[0]
    if not isinstance(value, int):
        raise TypeError(f"expected a whole number of laps, got {value!r}")
    return value


@dataclass(frozen=True)
class Move:
    """Where a "next" or "previous" key goes (None: it stays), or why it goes nowhere (``refusal``,
    said under ``title``)."""

    lap: int | None
    refusal: str | None = None
    title: str = ""


def stage_move(timeline: Timeline, lap: int, direction: int) -> Move:
    """The next or previous stage end from ``lap``; where there is none to go to, why (the key
    once did nothing, silently, while the stage ends were unknown)."""
    end = (timeline.next_stage_end if direction > 0 else timeline.previous_stage_end)(lap)
    unknown = direction > 0 and (end is None or end == timeline.final_lap > lap)
    if end is None or (unknown and None in timeline.stage_ends):
        return Move(None, _no_stage_end(timeline, lap, direction), "No stage end to go to")
    return _short_of_the_finish(timeline, lap, end, "The last stage ends at the finish: End goes there.")


def _no_stage_end(timeline: Timeline, lap: int, direction: int) -> str:
    info = timeline.race.info
    if direction > 0 and "stage_ends" in info.estimated:
        return "This race's stage ends are estimated: each is shown when the race reaches it, not before."
    if direction > 0 and None in timeline.stage_ends:
        return "No source gives the laps the stages end on: they are known only at the finish (End goes there)."
    return f"No stage end {'after' if direction > 0 else 'before'} lap {lap}."


def event_move(timeline: Timeline, lap: int, direction: int) -> Move:
    """The lap of the next or previous event from ``lap``."""
    if direction < 0:
        return Move(timeline.previous_event_lap(lap))
    # Neutral short of the finish: with no event before it, "next" goes to the lap before the
    # finish as an event there would, and says nothing of what the last laps hold.
    last = timeline.final_lap - 1
    event = timeline.next_event_lap(lap)
    return _short_of_the_finish(timeline, lap, event if event is None or event < last or lap >= last else last,
                                "The finish is the next lap: End goes there.")


def _short_of_the_finish(timeline: Timeline, lap: int, to: int | None, refusal: str) -> Move:
    """To ``to``, but not to the finish: arriving there shows the result, which a fan who pressed
    "next" did not ask to see. End does go there."""
    if to is not None and to == timeline.final_lap and lap < to:
        return Move(None, refusal, "Not yet")
    return Move(to)


class LapScreen(Screen[ScreenResultType]):
    """A screen at one ``lap`` of ``timeline``, moved by the ``NAVIGATION`` keys. A subclass says
    how it goes to a lap (``go_to``), lists ``NAVIGATION`` first in its ``BINDINGS`` and sets
    ``FOOTER_ACTIONS = footer_actions(BINDINGS)``; ``check_action`` greys out the keys that would
    do nothing (a subclass adds its own and passes the rest here)."""

    FOOTER_ACTIONS: ClassVar[FooterActions] = ()

    # Watchers update only what changes; a repaint of the whole screen each lap would cost more.
    lap: reactive[int] = reactive(0, init=False, repaint=False)

    def __init__(self, timeline: Timeline) -> None:
        super().__init__()
        self.timeline = timeline
        self._enabled: tuple[bool | None, ...] = ()

    def go_to(self, lap: int | None) -> None:
        """Show ``lap`` (clamped to the race; None: stay)."""
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        final = self.timeline.final_lap
        if action == "step":
            return (self.lap > 0 if int_parameter(parameters) < 0 else self.lap < final) or None
        if action == "jump":
            return self.lap != int_parameter(parameters) or None
        if action == "jump_to_finish":
            return self.lap != final or None
        return True

    def action_step(self, laps: int) -> None:
        self.go_to(self.lap + laps)

    def action_jump(self, lap: int) -> None:
        self.go_to(lap)

    def action_jump_to_finish(self) -> None:
        self.go_to(self.timeline.final_lap)

    def _update_bindings(self) -> None:
        """Re-check which footer keys do something now; redraw the footer only if that changed
        (refreshing bindings recomposes the footer, which costs more than the lap itself).
        Keys not shown in the footer are still checked when pressed."""
        enabled = tuple(self.check_action(action, parameters) for action, parameters in self.FOOTER_ACTIONS)
        if enabled != self._enabled:
            self._enabled = enabled
            self.refresh_bindings()
