"""Command palette: jump to a lap or an event so far, follow a driver, open another race.

Only events up to the current lap are listed: a list of later ones, even without their text,
would tell when the late drama comes. "Next event" jumps ahead without saying where.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..core.model import Entry
from ..sources import archives
from .host import viewer

FOLLOW_WORDS = ("follow ", "unfollow ")
NAME_MATCH = 1_000_000.0  # above any score of Textual's fuzzy matcher


@dataclass(frozen=True)
class Command:
    """One palette entry; ``entry`` is set for follow commands, which match on the driver."""

    text: str
    callback: Callable[[], object]
    help: str
    entry: Entry | None = None


class ReplayCommands(Provider):
    async def startup(self) -> None:
        # Once per opening of the palette: listing the races loads every race file.
        self._listed = self.commands()

    def commands(self) -> list[Command]:
        """What the palette offers on the current screen, in the order it lists them."""
        from ..racefile.catalog import catalog  # loads the YAML reader: not before the palette opens
        from .screens.replay import ReplayScreen

        screen = self.screen
        commands: list[Command] = []
        if isinstance(screen, ReplayScreen):
            commands += _replay_commands(screen)
        app = viewer(self.app)
        for name, (text, about) in archives().items():
            commands.append(Command(text, partial(app.action_archive, name), about))
        for race in catalog(app.race_folders):
            if race.info is not None:
                commands.append(Command(f"Open race: {race.info.name} ({race.info.date or race.path.name})",
                                        partial(app.open_race, race.path), str(race.path)))
        return commands

    async def discover(self) -> Hits:
        for command in self._listed[:12]:
            yield DiscoveryHit(command.text, command.callback, help=command.help)

    async def search(self, query: str) -> Hits:
        lap = _lap_command(self.screen, query)
        if lap is not None:
            yield Hit(NAME_MATCH + 1, lap.text, lap.callback, help=lap.help)
        matcher = self.matcher(query)
        for command in self._listed:
            score = _name_score(query, command) or matcher.match(command.text)
            if score > 0:
                yield Hit(score, matcher.highlight(command.text), command.callback, help=command.help)


def _replay_commands(screen) -> list[Command]:
    lap = screen.lap
    commands = [Command("Go to lap…", screen.action_go_to_lap, "Type a lap number"),
                Command("Next event", partial(screen.action_event, 1), "Jump to the next event (where: not shown)"),
                Command("Previous event", partial(screen.action_event, -1), "Jump back to the event before"),
                Command("Pit stops so far", screen.action_pit_stops,
                        "A table: lap, car, service, time on pit road, places gained or lost")]
    # as known at this lap (a pit stop's place out and times only from its out-lap)
    so_far = [event for event in screen.timeline.state_at(lap).events if event.lap is not None and event.when == "race"]
    entries_by_key = screen.timeline.race.entries
    for event in reversed(so_far):  # the latest first: the palette opens on its first dozen
        cars = ", ".join(entries_by_key[car].label for car in event.cars if car in entries_by_key)
        named = f"{cars} · " if event.kind == "pit" and cars else ""  # a stop's text does not name its car
        commands.append(Command(f"Lap {event.lap}: {event.kind.replace('_', ' ')} · {named}{event.text}",
                                partial(screen.go_to, event.lap), "Jump to this event"))
    entries = sorted(screen.timeline.entries_at(lap).items(), key=lambda item: item[1].neutral_key)
    for key, entry in entries:
        verb = "Unfollow" if key in screen.followed else "Follow"
        commands.append(Command(f"{verb} {entry.driver}", partial(screen.toggle_follow, key),
                                "Highlight and keep in view", entry=entry))
    return commands


LAP_WORDS = ("go to lap ", "go to ", "lap ")


def _lap_command(screen, query: str) -> Command | None:
    """"lap 50", "50", "10 to go" or "final" typed in a race: a command going there, named by what
    was typed (the lap it leads to is not shown: a race cut short ends before its schedule, and
    "final" would name the last lap). Text that is not a lap of the race: a command saying why."""
    from ..user.lap_input import TO_GO, LapInputError, parse_lap
    from .screens.replay import ReplayScreen

    if not isinstance(screen, ReplayScreen):
        return None
    typed = " ".join(query.lower().split())
    worded = next((typed[len(word):] for word in LAP_WORDS if typed.startswith(word)), None)
    typed = worded if worded is not None else typed
    if not typed or (worded is None and not (typed[0].isdigit() or typed in ("final", "finish", "grid"))):
        return None
    info = screen.timeline.race.info
    try:
        lap = parse_lap(typed, info.laps, info.final_lap, screen.timeline.state_at(screen.lap).span, info.in_progress)
    except LapInputError as error:  # a lap this race does not have; other text ("91 spin") finds events
        said = typed.isdigit() or TO_GO.fullmatch(typed) is not None
        return Command(f"Go to lap: {error}", lambda: None, "Not a lap of this race") if said else None
    return Command(f"Go to lap {typed}" if typed.isdigit() else f"Go to {typed}", partial(screen.go_to, lap),
                   "Jump there")


def _name_score(query: str, command: Command) -> float:
    """"follow lar" finds Kyle Larson first: a follow command whose driver matches what was typed
    after "follow" (see ``match_rank``) ranks above any fuzzy match of Textual's matcher, whose
    scores favour scattered letters ("Follow LAyne Riggs")."""
    from .screens.dialogs import match_rank

    if command.entry is None:
        return 0
    typed = query.lower().strip()
    for word in FOLLOW_WORDS:
        if typed.startswith(word):
            typed = typed[len(word):]
            break
    rank = match_rank(command.entry, typed) if typed.strip() else None
    return 0 if rank is None else NAME_MATCH - rank
