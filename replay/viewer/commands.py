"""Command palette: jump to a lap or an event, follow a driver, open another race.

Events after the current lap are offered without their text: the palette must not spoil them.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class ReplayCommands(Provider):
    async def startup(self) -> None:
        # Once per opening of the palette: listing the races loads every race file.
        self._listed = self._commands()

    def _commands(self) -> list[tuple[str, object, str]]:
        from ..racefile.catalog import catalog  # loads the YAML reader: not before the palette opens
        from .screens.replay import ReplayScreen

        screen = self.screen
        commands: list[tuple[str, object, str]] = []
        if isinstance(screen, ReplayScreen):
            lap = screen.lap
            commands.append(("Go to lap…", screen.action_go_to_lap, "Type a lap number"))
            for event in screen.timeline.all_events():
                if event.lap <= lap:
                    commands.append((f"Lap {event.lap}: {event.kind.replace('_', ' ')} · {event.text}",
                                     partial(screen.go_to, event.lap), "Jump to this event"))
                else:
                    commands.append((f"Lap {event.lap}: event ahead", partial(screen.go_to, event.lap),
                                     "Jump ahead (details hidden until then)"))
            for key, entry in screen.timeline.race.entries.items():
                verb = "Unfollow" if key in screen.followed else "Follow"
                commands.append((f"{verb} {entry.driver}", partial(screen.toggle_follow, key),
                                 "Highlight and keep in view"))
        for race in catalog(self.app.race_folders):
            if race.info is not None:
                commands.append((f"Open race: {race.info.name} ({race.info.date or race.path.name})",
                                 partial(self.app.open_race, race.path), str(race.path)))
        return commands

    async def discover(self) -> Hits:
        for text, callback, help_text in self._listed[:12]:
            yield DiscoveryHit(text, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, callback, help_text in self._listed:
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), callback, help=help_text)
