"""The web server: one app process per page (``service``), and the watch party's routes.

Routes: ``/`` the page (in a party: a viewer's), ``/host/TOKEN`` the party host's page, and their
websockets ``/ws`` and ``/ws/host/TOKEN``; textual-serve's ``/static`` and ``/download/KEY``.
The page's own URL never reaches the app (its websocket URL carries only the size), so the role is
in the websocket's path, which the page is given by the route it was opened at.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server

from . import News
from .party import HOST, VIEWER, Party
from .service import BoundedAppService

HEARTBEAT_SECONDS = 15
TEMPLATES = Path(__file__).parent / "templates"  # textual-serve's page without its web font (see the file)
log = logging.getLogger("race-replay.serve")


class ReplayServer(Server):
    """Serve ``target`` (a race file, a folder, or None: the bundled races); with ``party``, as a watch party."""

    def __init__(self, target: Path | None, host: str, port: int, party: Party | None = None) -> None:
        super().__init__("race-replay", host=host, port=port, title="race-replay", templates_path=TEMPLATES)
        self.target = target.resolve() if target is not None else None
        self.party = party
        self.services: set[BoundedAppService] = set()
        self.port_bound: int | None = None

    def initialize_logging(self) -> None:
        logging.basicConfig(level=logging.WARNING, format="race-replay serve: %(message)s")

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.router.add_get("/host/{token}", self.handle_host_index)
        app.router.add_get("/ws/host/{token}", self.handle_host_websocket)
        return app

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints its logo here; the command line prints the URLs instead."""

    # -- pages ---------------------------------------------------------------------------

    def _page(self, request: web.Request, websocket_path: str) -> web.Response:
        base = f"{request.scheme}://{request.host}"
        ws_scheme = "wss" if request.scheme == "https" else "ws"
        context = {
            "font_size": _int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{ws_scheme}://{request.host}{websocket_path}",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_index(self, request: web.Request) -> web.Response:
        return self._page(request, "/ws")

    async def handle_host_index(self, request: web.Request) -> web.Response:
        self._check_host(request)
        return self._page(request, f"/ws/host/{request.match_info['token']}")

    def _check_host(self, request: web.Request) -> None:
        if self.party is None or not self.party.is_host_token(request.match_info["token"]):
            raise web.HTTPNotFound(text="No such page: the host's address is the one `race-replay serve --party` printed")

    # -- app processes -------------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        return await self._run_page(request, VIEWER if self.party is not None else None)

    async def handle_host_websocket(self, request: web.Request) -> web.WebSocketResponse:
        self._check_host(request)
        return await self._run_page(request, HOST)

    def argv(self, role: str | None) -> list[str]:
        """The command of one page's app process."""
        argv = [sys.executable, "-m", "replay.serve.child"]
        if self.target is not None:
            argv.append(str(self.target))
        if role is not None and self.party is not None:
            argv += ["--role", role, "--lap", str(self.party.lap)]
        return argv

    async def _run_page(self, request: web.Request, role: str | None) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT_SECONDS)
        width, height = _int(request.query.get("width", "80"), 80), _int(request.query.get("height", "24"), 24)
        own_folder = tempfile.mkdtemp(prefix="race-replay-viewer-") if role == VIEWER else None
        service: BoundedAppService | None = None
        try:
            await websocket.prepare(request)
            service = BoundedAppService(
                self.argv(role), env=_viewer_env(own_folder) if own_folder else None,
                write_bytes=websocket.send_bytes, write_str=websocket.send_str, close=websocket.close,
                download_manager=self.download_manager)
            if role is not None and self.party is not None:
                service.on_party = _hearer(self.party, service)
            self.services.add(service)
            await service.start(width, height)
            if role is not None and self.party is not None:
                await self.party.join(service, role)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                await websocket.close()
        except Exception as error:  # one page's failure is logged; the server goes on
            log.warning("a page's app failed: %s", error)
        finally:
            if service is not None:
                await self._end(service)
            if own_folder:
                shutil.rmtree(own_folder, ignore_errors=True)
        return websocket

    async def _end(self, service: BoundedAppService) -> None:
        if self.party is not None:
            await self.party.leave(service)
        await service.stop()
        self.services.discard(service)

    async def stop_all(self) -> None:
        """End every page's app (bounded: see ``BoundedAppService.stop``)."""
        await asyncio.gather(*(self._end(service) for service in list(self.services)), return_exceptions=True)

    # -- running -------------------------------------------------------------------------

    async def run(self, started: Callable[[int], None]) -> None:
        """Listen, call ``started(port)``, and serve until SIGINT, SIGTERM or SIGHUP; then end every app."""
        self.initialize_logging()
        runner = web.AppRunner(await self._make_app(), handle_signals=False)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
            self.port_bound = runner.addresses[0][1]
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for name in ("SIGINT", "SIGTERM", "SIGHUP"):
                with contextlib.suppress(AttributeError, NotImplementedError):  # Windows: Ctrl+C raises instead
                    loop.add_signal_handler(getattr(signal, name), stop.set)
            started(self.port_bound)
            await stop.wait()
            await self.stop_all()
        finally:
            await runner.cleanup()


def _hearer(party: Party, service: BoundedAppService):
    async def hear(news: News) -> None:
        await party.hear(service, news)
    return hear


def _viewer_env(folder: str) -> dict[str, str]:
    """A viewer's own empty folders: it neither reads nor writes the user's settings or notes."""
    return {"RACE_REPLAY_CONFIG_DIR": f"{folder}/config", "RACE_REPLAY_DATA_DIR": f"{folder}/data",
            "XDG_CONFIG_HOME": f"{folder}/xdg-config", "XDG_DATA_HOME": f"{folder}/xdg-data"}


def _int(value: str, default: int) -> int:
    try:
        return int(value)
    except ValueError:
        return default
