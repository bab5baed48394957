"""Textual's web driver, made to end its app when the server's pipe closes and to carry party news.

Textual's own ``WebDriver`` stops reading when its input closes but leaves the app running: an app
whose server is gone would live on, adopted by init, until the machine restarts.
"""

from __future__ import annotations

from textual.drivers.web_driver import WebDriver

from . import PARTY, News
from .child import end_soon
from .messages import PartyNews


class ServedDriver(WebDriver):
    def run_input_thread(self) -> None:
        super().run_input_thread()
        if not self.exit_event.is_set():  # the input closed, not the app: the server is gone
            end_soon(self._app)

    def on_meta(self, packet_type: str, payload: News) -> None:
        if packet_type == PARTY:
            self._app.post_message(PartyNews(payload))
        else:
            super().on_meta(packet_type, payload)

    def tell_party(self, news: News) -> None:
        """Send the server a party packet (from the app's thread, like every frame)."""
        self.write_meta({"type": PARTY, **news})
