"""The message the served app gets when the server passes on party news."""

from __future__ import annotations

from textual.message import Message

from . import News


class PartyNews(Message):
    """What the server says of the party: this page's role, the host's lap and playback, how many watch."""

    def __init__(self, news: News) -> None:
        super().__init__()
        self.news = news
