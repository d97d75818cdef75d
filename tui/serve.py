"""``python -m tui --serve``: the app in a browser, for a classroom.

``textual-serve`` (Textual's own web server) runs one app process per browser tab and relays
its screen and keys over a websocket. This module adds what a classroom needs on top:

- each tab runs ``python -m tui`` with the same arguments, started from a list of arguments
  (no shell in between; ``tab_command`` shows it quoted);
- each tab is confined to one folder (``--files DIR``, or a new folder per tab that is removed
  when the tab closes): the tab's app starts there with ``--files-root`` naming it;
- the page's websocket address follows the address the browser used, so ``--host 0.0.0.0``
  works from other machines, and the page asks nothing of any other host (its template,
  ``tui/classroom/templates``, takes the font from textual-serve's own files);
- ctrl+c (or SIGTERM, or closing the terminal) ends every app the server started, then the
  server; a server killed outright leaves nothing either: each app quits when its server
  is gone and removes its own folder (``tui.serve_tab``);
- a warm process forks each tab's app (``tui.serve_spawn``, ``tui.serve_service``), the
  tabs share the machine (``tui.serve_share``), and ``/teacher?token=...`` shows the class
  (``tui.classroom.teacher``, from each tab's status: ``tui.serve_status``).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import secrets
import signal
import socket
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

from core.text import excerpt

from .classroom import TEMPLATES
from .classroom.teacher import read_status, row, teacher_page
from .serve_service import QUIT_WAIT, TabService, tab_command, tab_environment
from .serve_share import Share, machine_cores, share_packet
from .serve_spawn import Spawner

log = logging.getLogger("backprop-tui.serve")

TITLE = "backprop-tui"
SHARE_EVERY = 2.0      # seconds between two counts of the tabs that train
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                     if hasattr(signal, name))


@dataclass(frozen=True)
class Address:
    """Where the server listens: ``host`` as given (what it binds), ``url_host`` as a browser
    is told it (an IPv6 address in brackets), and whether that is every network interface
    (the host is, or resolves to, an unspecified address such as 0.0.0.0 or ::)."""

    host: str
    url_host: str
    every_interface: bool


def serve_address(host: str, port: int = DEFAULT_PORT) -> Address:
    """The address ``--host host`` serves on, resolved as the server will bind it; a host
    that is empty, invalid or does not resolve raises ``ValueError`` with one line."""
    if not host.strip():
        raise ValueError("--host: expected a host name or an address, got ''")
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
        addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in found]
    except UnicodeError:        # the idna codec: an empty label, one over 63 characters
        raise ValueError(f"--host: {excerpt(host)!r} is not a valid host name") from None
    except (OSError, ValueError) as error:
        reason = " ".join(str(getattr(error, "strerror", None) or error).split())
        raise ValueError(f"--host: cannot serve on {excerpt(host)!r}: {reason}") from None
    if any(address.is_unspecified for address in addresses):
        return Address(host, _machine_name(), True)
    if _is_numeric(host, port):
        first = addresses[0]
        return Address(host, f"[{first}]" if first.version == 6 else str(first), False)
    return Address(host, host, False)


def _is_numeric(host: str, port: int) -> bool:
    """Whether ``host`` is an address written in numbers (not a name to look up)."""
    try:
        socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    except (OSError, UnicodeError, ValueError):
        return False
    return True


def files_folder(text: str) -> Path:
    """The folder ``--files text`` names, resolved, once it is known to be a folder the
    server can list and write in; else ``ValueError`` with one line."""
    shown = excerpt(text, 80)
    try:
        path = Path(text).expanduser().resolve()
        if not path.is_dir():
            raise ValueError(f"--files: {shown}: "
                             f"{'not a folder' if path.exists() else 'no such folder'}")
        os.listdir(path)
        with tempfile.TemporaryFile(dir=path):
            pass
    except (OSError, RuntimeError) as error:
        reason = " ".join(str(getattr(error, "strerror", None) or error).split())
        raise ValueError(f"--files: {shown}: expected a folder this server can read and "
                         f"write in ({reason})") from None
    return path


class ClassroomServer(Server):
    """textual-serve's server, with a ``TabService`` per websocket, the page's addresses taken
    from the request, and every tab ended on shutdown."""

    def __init__(self, app_args: Sequence[str], *, address: Address, port: int,
                 files: Path | None) -> None:
        self.app_args = list(app_args)
        self.address = address
        self.files = files
        self.tabs: dict[TabService, web.WebSocketResponse] = {}
        self.spawner: Spawner | None = None
        self.opened = 0                       # tabs opened so far
        self.shared_among = 0                 # the running tabs the last shares counted
        self._sharing: asyncio.Future[None] | None = None
        self.token = secrets.token_urlsafe(12)
        """The teacher's token: ``/?teacher=TOKEN`` opens the teacher's tab."""
        self.cores = machine_cores()
        super().__init__(tab_command(self.app_args, files or "NEW-FOLDER"),
                         host=address.host, port=port, title=TITLE,
                         public_url=f"http://{address.url_host}:{port}",
                         templates_path=TEMPLATES)

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page; its script and websocket addresses use the address the browser used."""
        origin = str(request.url.origin())
        websocket = ("wss:" if origin.startswith("https:") else "ws:") + origin.split(":", 1)[1]
        websocket += str(request.app.router["websocket"].url_for())
        query = {key: request.query[key] for key in ("teacher", "name")
                 if request.query.get(key)}
        if query.get("teacher") and not self.is_teacher(request):
            del query["teacher"]
        if query:
            websocket += "?" + urlencode(query)
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": websocket,
            "config": {"static": {"url": origin + "/static/"}},
            "application": {"name": self.title},
        }

    async def _make_app(self) -> web.Application:
        """textual-serve's routes and the teacher's view (``/teacher?token=TOKEN``)."""
        app = await super()._make_app()
        app.router.add_get("/teacher", self.handle_teacher, name="teacher")
        return app

    async def handle_teacher(self, request: web.Request) -> web.Response:
        """The teacher's view: a row a tab, from each tab's status file; 403 without the
        teacher's token."""
        if not secrets.compare_digest(request.query.get("token", ""), self.token):
            raise web.HTTPForbidden(text="The teacher's view needs the token the server "
                                         "printed when it started: /teacher?token=...")
        rows = [row(service.name, read_status(service.status_file))
                for service in sorted(self.tabs, key=lambda tab: tab.number)]
        return web.Response(text=teacher_page(rows), content_type="text/html",
                            headers={"Cache-Control": "no-store"})

    def is_teacher(self, request: web.Request) -> bool:
        """Whether ``request`` carries the teacher's token (``?teacher=TOKEN``)."""
        return secrets.compare_digest(request.query.get("teacher", ""), self.token)

    def running_tabs(self) -> int:
        """How many tabs train now (their status says running), at least one."""
        return max(1, sum(read_status(service.status_file).get("state") == "running"
                          for service in self.tabs))

    async def share_out(self) -> None:
        """Tell every started tab its share of the machine (``tui.serve_share``), from the
        number of tabs that train now."""
        self.shared_among = running = self.running_tabs()
        for service in list(self.tabs):
            if service.pid is not None:         # else it is told once started
                await service.send_meta(share_packet(Share(running, self.cores,
                                                           service.teacher)))

    async def follow_shares(self) -> None:
        """Every ``SHARE_EVERY`` seconds: when the number of tabs that train changed, tell
        every tab its new share."""
        while True:
            await asyncio.sleep(SHARE_EVERY)
            if self.running_tabs() != self.shared_among:
                await self.share_out()

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab: start its app, relay its keys and screen, end it when the tab closes.
        The teacher's tab is the one opened with the teacher's token, or the first one
        while no teacher's tab is open."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        service: TabService | None = None
        try:
            await websocket.prepare(request)
            teacher = self.is_teacher(request) or not any(tab.teacher for tab in self.tabs)
            self.opened += 1
            service = TabService(
                self.app_args, self.files, spawner=self.spawner, teacher=teacher,
                number=self.opened,
                name=request.query.get("name") or ("teacher" if self.is_teacher(request)
                                                   else None),
                write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                close=websocket.close, download_manager=self.download_manager,
                debug=self.debug)
            self.tabs[service] = websocket
            await service.start(width, height)
            log.info("tab opened: app %s in %s", service.pid, service.files_root)
            await self.share_out()
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:      # one tab's failure must not stop the server
            log.warning("tab failed: %s: %s", type(error).__name__, error)
        finally:
            if service is not None:
                await service.stop()
                self.tabs.pop(service, None)
                log.info("tab closed: app %s ended", service.pid)
                await self.share_out()
        return websocket

    async def on_startup(self, app: web.Application) -> None:
        """Start the warm process that forks the tabs' apps (where processes fork); the
        address is printed once the port is open."""
        if hasattr(os, "fork") and hasattr(socket, "send_fds"):
            self.spawner = Spawner(tab_environment())
            await self.spawner.start()
        self._sharing = asyncio.ensure_future(self.follow_shares())

    async def on_shutdown(self, app: web.Application) -> None:
        """End every tab's app and close its websocket."""
        if self._sharing is not None:
            self._sharing.cancel()
        tabs = list(self.tabs.items())
        await asyncio.gather(*(service.stop() for service, _ in tabs), return_exceptions=True)
        await asyncio.gather(*(websocket.close() for _, websocket in tabs),
                             return_exceptions=True)
        if self.spawner is not None:
            await self.spawner.stop()

    async def run(self) -> None:
        """Serve until SIGINT, SIGTERM or SIGHUP (the terminal closed), then end every tab
        and stop."""
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signal_number in STOP_SIGNALS:
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signal_number, stop.set)
        runner = web.AppRunner(await self._make_app(), access_log=None,
                               handle_signals=False, shutdown_timeout=QUIT_WAIT)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
            self.announce()
            await stop.wait()
            print("Stopping: ending every tab's app...", flush=True)
        finally:
            await runner.cleanup()

    def announce(self) -> None:
        """Print where to open the app and how to stop it."""
        if self.address.every_interface:
            print("Serving on every network interface: anyone who can reach this machine "
                  "can use the app.")
        print(f"backprop-tui is served at {self.public_url}  (open it in a browser; each "
              "tab gets its own app)")
        if self.files is None:
            print("Files: each tab has its own new folder, removed when the tab closes.")
        else:
            print(f"Files: every tab opens, saves and exports in {self.files}")
        print("Each tab runs: " + self.command)
        print(f"Teacher's view of the class: {self.public_url}/teacher?token={self.token}")
        print(f"Teacher's own tab (served first): {self.public_url}/?teacher={self.token}")
        print("Press ctrl+c to stop.", flush=True)


def _machine_name() -> str:
    """This machine's name on the network, for the address to give students."""
    return socket.getfqdn() or socket.gethostname() or "THIS-MACHINE"


def serve(app_args: Sequence[str], *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          files: Path | None = None) -> int:
    """Serve the app started with ``app_args`` on ``host:port`` until ctrl+c; returns the
    exit code (2 when the host does not resolve or the port cannot be opened)."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        address = serve_address(host, port)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    server = ClassroomServer(app_args, address=address, port=port, files=files)
    try:
        asyncio.run(server.run())
    except OSError as error:
        reason = error.strerror or str(error)
        print(f"error: cannot serve on {host}:{port}: {reason}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:       # a second ctrl+c while stopping
        return 130
    return 0


def app_arguments(preset: str | None, *, lr: float | None, seed: int | None,
                  optimizer: str | None, lesson: str | None = None,
                  pace: int | str | None = None, stop_at_target: bool = False) -> list[str]:
    """The app's arguments for each tab: the options given, then ``--`` and the preset (a
    path made absolute, since each tab starts in its own folder); without a preset, the
    tabs start where the app does without one."""
    if preset is not None and (preset.lower().endswith((".toml", ".npz")) or "/" in preset
                               or os.sep in preset):
        preset = os.path.abspath(preset)
    args: list[str] = []
    if lr is not None:
        args += ["--lr", repr(lr)]
    if seed is not None:
        args += ["--seed", str(seed)]
    if optimizer is not None:
        args += ["--optimizer", optimizer]
    if lesson is not None:
        args += ["--lesson", lesson]
    if pace is not None:
        args += ["--pace", str(pace)]
    if stop_at_target:
        args.append("--stop-at-target")
    return args if preset is None else [*args, "--", preset]
