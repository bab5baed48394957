"""The watch party's state on the server: who hosts, the host's lap and playback, who watches.

No Textual and no web server here: a page is anything with ``async tell(news)``. The host's page
reports every lap and change of playback; the party passes it on to every viewer's page.
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
from typing import Protocol

from . import News

HOST, VIEWER = "host", "viewer"


class Page(Protocol):
    async def tell(self, news: News) -> None: ...


class Party:
    """One race's watch party. ``token`` is the host's secret (in the host's URL only)."""

    def __init__(self, token: str | None = None) -> None:
        self.token = token or secrets.token_urlsafe(16)
        self.host: Page | None = None
        self.viewers: list[Page] = []
        self.lap, self.playing, self.speed = 0, False, 2

    def is_host_token(self, token: str) -> bool:
        return hmac.compare_digest(token.encode(), self.token.encode())

    def news(self) -> News:
        """What every page is told: the host's lap and playback, whether a host is here, how many watch."""
        return {"lap": self.lap, "playing": self.playing, "speed": self.speed, "host": self.host is not None,
                "watching": len(self.viewers) + (self.host is not None)}

    async def join(self, page: Page, role: str) -> None:
        """A page joins; a second host's page takes over, and the first becomes a viewer."""
        if role == HOST:
            old, self.host = self.host, page
            if old is not None:
                self.viewers.append(old)
                await old.tell({"role": VIEWER, **self.news()})
        else:
            self.viewers.append(page)
        await self._tell_all()

    async def leave(self, page: Page) -> None:
        """A page left. Without a host, viewers stay where they are (and are told the host left)."""
        if page is self.host:
            self.host, self.playing = None, False
        elif page in self.viewers:
            self.viewers.remove(page)
        else:
            return
        await self._tell_all()

    async def hear(self, page: Page, news: News) -> None:
        """The host's page reports its lap and playback; anything from another page is ignored."""
        if page is not self.host:
            return
        try:
            lap, playing, speed = int(news["lap"]), bool(news["playing"]), int(news["speed"])
        except (KeyError, TypeError, ValueError):
            return
        self.lap, self.playing, self.speed = lap, playing, speed
        await self._tell_all(host_too=False)

    async def _tell_all(self, host_too: bool = True) -> None:
        news = self.news()
        pages = self.viewers + ([self.host] if host_too and self.host is not None else [])
        await asyncio.gather(*(page.tell(news) for page in pages), return_exceptions=True)
