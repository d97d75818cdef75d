"""Helpers for the tests of ``python -m tui --serve``: a server on a free port in a subprocess,
the app processes it started, and the text of a terminal stream."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def screen_text(data: bytes) -> str:
    """The characters in a stream of terminal output, escape sequences removed."""
    return ANSI.sub("", data.decode("utf-8", "replace"))


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie counts as ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_until(condition, timeout: float, what: str) -> None:
    """Poll ``condition()`` until it is true; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting until {what}")
        time.sleep(0.05)


@dataclass
class Served:
    """A running ``python -m tui --serve``: its process, its URL and what it printed."""

    process: subprocess.Popen
    url: str
    output: list[str] = field(default_factory=list)
    apps_seen: set[int] = field(default_factory=set)
    ended: bool = False

    def apps(self) -> list[int]:
        """The app processes the server runs now (one per open tab): forked by its warm
        process (``tui.serve_spawn``), the server's one child."""
        warm = children(self.process.pid)
        pids = [pid for parent in warm for pid in children(parent)]
        self.apps_seen.update(warm, pids)
        return pids

    def end(self, signal_number: int) -> None:
        """End the server with ``signal_number`` (as a closed terminal or ``kill`` would)
        and wait for it; leaving ``served`` then only checks that no app is left."""
        self.apps()
        self.ended = True
        self.process.send_signal(signal_number)
        self.process.wait(timeout=15)


@contextlib.contextmanager
def served(args: Sequence[str], *, cwd: Path | None = None,
           timeout: float = 20.0) -> Iterator[Served]:
    """Start ``python -m tui --serve --port FREE *args``; on leaving, stop it with SIGINT (as
    ctrl+c does) and check that it exits with 0 and leaves no app process behind."""
    if not Path("/proc/self/stat").exists():
        pytest.skip("these tests read processes from /proc (Linux)")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "--serve", "--port", str(port), *args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=cwd,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    server = Served(process, f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + timeout
        while not any("ctrl+c to stop" in line for line in server.output):
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail("the server did not print its URL:\n" + "".join(server.output))
            if line is None:
                pytest.fail("the server stopped:\n" + "".join(server.output))
            server.output.append(line)
        assert server.url in "".join(server.output)
        yield server
        if not server.ended:
            server.apps()
            process.send_signal(signal.SIGINT)
            try:
                code = process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pytest.fail("the server did not stop within 15 s of ctrl+c")
            assert code == 0, "".join(server.output)
        left = [pid for pid in server.apps_seen if alive(pid)]
        assert not left, f"app processes left running after the server stopped: {left}"
    finally:
        if process.poll() is None:      # a test failed: still let the server end its apps
            server.apps()
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
