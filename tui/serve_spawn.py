"""Fast starts for served tabs, the server's side: ``Spawner`` starts the warm process
(``tui.serve_warm``, which has loaded the app once) and asks it to fork each tab's app on
the pipes the server made for it; ``ForkedApp`` stands for one tab's app as asyncio's
``Process`` does for a child started the usual way.

Most of what a tab's app costs to start is loading Python modules (Textual, numpy, the
app's screens: about 0.4 CPU-seconds of 0.45); a fork costs a few milliseconds and shares
the loaded modules' memory with the warm process until either writes to it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import sys
from collections.abc import Mapping, Sequence

MAX_REQUEST = 64 * 1024   # bytes of a request or of the notices read at once, at the most


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
            sys.executable, "-m", "tui.serve_warm", str(theirs.fileno()),
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


