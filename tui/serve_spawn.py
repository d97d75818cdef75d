"""Fast starts for served tabs: one warm process that has loaded the app forks each tab's.

Most of what a tab's app costs to start is loading Python modules (Textual, numpy, the
app's screens: about 0.4 CPU-seconds of 0.45). ``python -m tui.serve_spawn`` loads them
once, then waits on a socket; for each tab the server sends it the tab's arguments, folder,
environment and priority with the three pipe ends the app is to use as its standard input,
output and error, and it forks: the child takes the pipes, its own session, folder and
priority and runs ``python -m tui``'s ``main`` with the arguments. The fork shares the
loaded modules' memory with the warm process until either writes to it.

The warm process ends with the server (``PR_SET_PDEATHSIG`` on Linux, and the socket
closing everywhere), and tells the server when a tab's app has ended (it is its parent).
``Spawner`` is the server's side; ``ForkedApp`` stands for one tab's app as asyncio's
``Process`` does for a child started the usual way.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import selectors
import shutil
import signal
import socket
import sys
import traceback
from collections.abc import Mapping, Sequence
from typing import Any

WARM_MODULES = (
    "numpy", "textual.app", "textual.drivers.web_driver", "tui.__main__", "tui.app",
    "tui.serve_tab", "tui.screens.training", "tui.screens.lesson", "tui.math.desk",
    "tui.widgets.loss_plot", "tui.widgets.gradients", "tui.widgets.output_view",
    "tui.file_flows", "core.session", "core.explain.notes",
)
"""What the warm process loads before it forks any app (what every tab's start loads)."""
REAP_EVERY = 0.1     # seconds between two looks for ended apps
MAX_REQUEST = 64 * 1024
FOLDER_VARIABLE = "BACKPROP_TUI_TAB_FOLDER"     # tui.serve_tab's: the tab's own folder


# -- the warm process ---------------------------------------------------------------------


def main(argv: Sequence[str]) -> int:
    """``python -m tui.serve_spawn FD``: load the app, then fork a tab's app for each
    request on the socket ``FD`` until it closes."""
    from .serve_tab import signal_on_parent_death

    signal_on_parent_death(signal.SIGKILL)
    control = socket.socket(fileno=int(argv[0]))
    import importlib

    for name in WARM_MODULES:
        importlib.import_module(name)
    import gc

    gc.collect()
    gc.freeze()          # the forks share what was loaded: collections skip it
    selector = selectors.DefaultSelector()
    selector.register(control, selectors.EVENT_READ)
    while True:
        for _ in selector.select(REAP_EVERY):
            message, fds, _flags, _address = socket.recv_fds(control, MAX_REQUEST, 3)
            if not message:
                return 0
            pid = _fork_app(json.loads(message), fds, control)
            for fd in fds:
                os.close(fd)
            control.sendall(json.dumps({"started": pid}).encode() + b"\n")
        for pid, code in _reap():
            control.sendall(json.dumps({"ended": pid, "code": code}).encode() + b"\n")


def _reap() -> list[tuple[int, int]]:
    """The apps that ended since the last look, with their exit codes."""
    ended = []
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return ended
        if pid == 0:
            return ended
        ended.append((pid, os.waitstatus_to_exitcode(status)))


def _fork_app(request: dict[str, Any], fds: list[int], control: socket.socket) -> int:
    """Fork, and in the child run the app ``request`` asks for on the pipes ``fds``; the
    child's process id."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        control.close()
        os.setsid()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.update(request["env"])
        if request["niceness"]:
            os.nice(request["niceness"])
        signal.signal(signal.SIGINT, signal.default_int_handler)
        from .__main__ import main as tui_main

        sys.argv = ["tui", *request["argv"]]
        code = tui_main(request["argv"])
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        folder = request.get("env", {}).get(FOLDER_VARIABLE)
        if folder:                  # the tab's own folder goes with its app
            shutil.rmtree(folder, ignore_errors=True)
        os._exit(code)


# -- the server's side --------------------------------------------------------------------


class ForkedApp:
    """One tab's app, forked by the warm process: its id, its pipes as asyncio streams and
    its exit code once it ended (what textual-serve uses of asyncio's ``Process``)."""

    def __init__(self, pid: int, stdin: asyncio.StreamWriter, stdout: asyncio.StreamReader,
                 stderr: asyncio.StreamReader, ended: asyncio.Future[int]) -> None:
        self.pid = pid
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self._ended = ended

    @property
    def returncode(self) -> int | None:
        """The exit code once the app ended, else None."""
        return self._ended.result() if self._ended.done() else None

    async def wait(self) -> int:
        """Wait until the app ends; its exit code."""
        return await asyncio.shield(self._ended)

    def send_signal(self, signal_number: int) -> None:
        """Send the app ``signal_number`` (ProcessLookupError once it ended)."""
        if self._ended.done():
            raise ProcessLookupError(self.pid)
        os.kill(self.pid, signal_number)

    def terminate(self) -> None:
        """SIGTERM."""
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL."""
        self.send_signal(signal.SIGKILL)


class Spawner:
    """The server's link to the warm process: ``start`` it once, ``spawn`` each tab's app."""

    def __init__(self, environment: Mapping[str, str]) -> None:
        self.environment = dict(environment)
        self.process: asyncio.subprocess.Process | None = None
        self._control: socket.socket | None = None
        self._started: asyncio.Queue[int] = asyncio.Queue()
        self._ended: dict[int, asyncio.Future[int]] = {}
        self._lock = asyncio.Lock()
        self._buffer = b""

    async def start(self) -> None:
        """Start the warm process (it loads the app in the background)."""
        ours, theirs = socket.socketpair()
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tui.serve_spawn", str(theirs.fileno()),
            pass_fds=(theirs.fileno(),), env=self.environment,
            stdin=asyncio.subprocess.DEVNULL, start_new_session=True)
        theirs.close()
        ours.setblocking(False)
        self._control = ours
        asyncio.get_running_loop().add_reader(ours.fileno(), self._read)

    @property
    def running(self) -> bool:
        """Whether the warm process is there to fork apps."""
        return self.process is not None and self.process.returncode is None

    def _read(self) -> None:
        """Notices from the warm process: an app started, an app ended."""
        try:
            data = self._control.recv(MAX_REQUEST)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            asyncio.get_running_loop().remove_reader(self._control.fileno())
            for pid, ended in self._ended.items():     # the warm process is gone
                if not ended.done():
                    ended.set_result(_gone(pid))
            return
        self._buffer += data
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            notice = json.loads(line)
            if "started" in notice:
                self._started.put_nowait(notice["started"])
            else:
                ended = self._ended.setdefault(
                    notice["ended"], asyncio.get_running_loop().create_future())
                if not ended.done():
                    ended.set_result(notice["code"])

    async def spawn(self, argv: Sequence[str], *, cwd: str, env: Mapping[str, str],
                    niceness: int) -> ForkedApp:
        """Fork an app running ``python -m tui argv`` in ``cwd`` with ``env`` added to the
        warm process's environment, ``niceness`` lower in priority."""
        loop = asyncio.get_running_loop()
        stdin_read, stdin_write = os.pipe()
        stdout_read, stdout_write = os.pipe()
        stderr_read, stderr_write = os.pipe()
        request = json.dumps({"argv": list(argv), "cwd": cwd, "env": dict(env),
                              "niceness": niceness}).encode()
        try:
            async with self._lock:
                socket.send_fds(self._control, [request],
                                [stdin_read, stdout_write, stderr_write])
                pid = await self._started.get()
        finally:
            for fd in (stdin_read, stdout_write, stderr_write):
                os.close(fd)
        ended = self._ended.setdefault(pid, loop.create_future())
        stdout = await _reader(loop, stdout_read)
        stderr = await _reader(loop, stderr_read)
        transport, protocol = await loop.connect_write_pipe(
            asyncio.streams.FlowControlMixin, os.fdopen(stdin_write, "wb", 0))
        stdin = asyncio.StreamWriter(transport, protocol, None, loop)
        return ForkedApp(pid, stdin, stdout, stderr, ended)

    async def stop(self) -> None:
        """End the warm process (the apps it forked end with their tabs)."""
        if self._control is not None:
            with contextlib.suppress(OSError, ValueError):
                asyncio.get_running_loop().remove_reader(self._control.fileno())
            self._control.close()
        if self.process is not None and self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            await self.process.wait()


async def _reader(loop: asyncio.AbstractEventLoop, fd: int) -> asyncio.StreamReader:
    """An asyncio stream reading the pipe end ``fd``."""
    reader = asyncio.StreamReader(limit=2 ** 22)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader),
                                 os.fdopen(fd, "rb", 0))
    return reader


def _gone(pid: int) -> int:
    """The exit code to report for an app whose warm parent is gone (it ends by itself)."""
    return -signal.SIGKILL


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
