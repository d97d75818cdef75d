"""``python -m tui.bench --classroom N``: a class of N students on this machine.

Starts ``python -m tui --serve xor --pace 50`` (or other ``served`` arguments) and N
websocket clients (what a browser's page
sends and receives, without a browser; each named in its address, so no tab asks for a name)
joining at once, then measures, for each N:

- the time from joining to the app on screen (``epoch 0`` in the tab's stream), median and
  max over the tabs;
- the memory of the server, its warm process and every tab's app (proportional set size:
  pages the forks share are counted once);
- with every tab running (space) at its pace, the epochs a second each tab's screen shows
  (the epoch counter's advance over ``WINDOW`` seconds), the slowest tab and the median;
- the key latency of a paused student's tab while the others run: ``n`` until the next
  epoch shows, median and max of ``KEYS`` presses.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ESCAPES = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")
EPOCH = re.compile(r"(?:running|stepping|paused|diverged)[^\d\n]{0,8}epoch (\d+)")
"""The status bar's epoch (not a notice's "at epoch 289")."""
WARM_UP = 2.0      # seconds every tab runs before epochs are counted
WINDOW = 5.0       # seconds over which the epochs on screen are counted
KEYS = 10          # presses of n in the paused tab
SERVED = ["xor", "--pace", "50"]     # the arguments the tabs' apps get, unless told others


@dataclass
class Tab:
    """One student's tab: its websocket and the highest epoch its screen showed, when."""

    ws: aiohttp.ClientWebSocketResponse
    joined: float = 0.0
    shown: float | None = None          # seconds from joining to the app on screen
    epochs: list[tuple[float, int]] = field(default_factory=list)
    text: str = ""

    async def read(self) -> None:
        """Follow the tab's stream until it closes."""
        async for message in self.ws:
            if message.type != aiohttp.WSMsgType.BINARY:
                continue
            now = time.perf_counter()
            self.text = (self.text + ESCAPES.sub("", message.data.decode("utf-8", "replace"))
                         )[-4000:]
            found = EPOCH.findall(self.text)
            if found:
                if self.shown is None:
                    self.shown = now - self.joined
                epoch = int(found[-1])
                if not self.epochs or epoch != self.epochs[-1][1]:
                    self.epochs.append((now, epoch))

    def epoch_rate(self, start: float, end: float) -> float:
        """Epochs a second the screen advanced between ``start`` and ``end``."""
        inside = [(t, e) for t, e in self.epochs if start <= t <= end]
        if len(inside) < 2:
            return 0.0
        (t0, e0), (t1, e1) = inside[0], inside[-1]
        return (e1 - e0) / (t1 - t0)

    async def until_epoch_after(self, epoch: int, timeout: float = 10.0) -> float:
        """Seconds until the screen shows an epoch past ``epoch``."""
        start = time.perf_counter()
        while not self.epochs or self.epochs[-1][1] <= epoch:
            if time.perf_counter() - start > timeout:
                return float("inf")
            await asyncio.sleep(0.002)
        return time.perf_counter() - start


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (read from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(
                int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(parents.get(current, []))
    return found


def memory_mib(pid: int) -> float:
    """The proportional set size of ``pid`` and its descendants, in MiB."""
    total = 0
    for process in descendants(pid):
        try:
            rollup = Path(f"/proc/{process}/smaps_rollup").read_text()
        except OSError:
            continue
        total += int(re.search(r"^Pss:\s+(\d+)", rollup, re.M).group(1))
    return total / 1024


async def classroom(students: int, served: Sequence[str]) -> dict[str, float]:
    """Serve ``served`` (the apps' arguments), let ``students`` join at once and measure
    (see the module's docstring)."""
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        server = subprocess.Popen(
            [sys.executable, "-m", "tui", "--serve", "--port", str(port), *served],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=folder)
        try:
            for line in server.stdout:
                if "ctrl+c to stop" in line:
                    break
            await asyncio.sleep(1.0)      # the warm process loads the app
            return await _measure(f"http://127.0.0.1:{port}", students, server.pid)
        finally:
            server.send_signal(2)
            server.wait(timeout=30)


async def _measure(url: str, students: int, server: int) -> dict[str, float]:
    """The measurements on a running server at ``url``."""
    async with aiohttp.ClientSession() as http:
        tabs: list[Tab] = []

        async def join(number: int) -> None:
            started = time.perf_counter()
            ws = await http.ws_connect(f"{url}/ws?width=120&height=40&name=student+{number}",
                                       max_msg_size=0)
            tab = Tab(ws, joined=started)
            tabs.append(tab)
            await tab.read()

        readers = [asyncio.ensure_future(join(number)) for number in range(1, students + 1)]
        deadline = time.perf_counter() + 60
        while (len(tabs) < students or any(tab.shown is None for tab in tabs)) \
                and time.perf_counter() < deadline:
            await asyncio.sleep(0.02)
        shown = [tab.shown if tab.shown is not None else float("inf") for tab in tabs]
        memory = memory_mib(server)
        for tab in tabs:
            await tab.ws.send_json(["stdin", " "])
        await asyncio.sleep(WARM_UP)
        start = time.perf_counter()
        await asyncio.sleep(WINDOW)
        rates = [tab.epoch_rate(start, time.perf_counter()) for tab in tabs]
        paused = max(tabs, key=lambda tab: tab.joined)     # a student's (the last to join)
        await paused.ws.send_json(["stdin", " "])
        await asyncio.sleep(1.0)
        latencies = []
        for _ in range(KEYS):
            epoch = paused.epochs[-1][1]
            await paused.ws.send_json(["stdin", "n"])
            latencies.append(await paused.until_epoch_after(epoch))
            await asyncio.sleep(0.3)
        running = memory_mib(server)
        for tab in tabs:
            await tab.ws.close()
        await asyncio.gather(*readers, return_exceptions=True)
    return {"students": students, "shown_median": statistics.median(shown),
            "shown_max": max(shown), "memory": memory, "memory_running": running,
            "rate_min": min(rates), "rate_median": statistics.median(rates),
            "key_median": statistics.median(latencies), "key_max": max(latencies)}


def report(rows: Sequence[dict[str, float]], served: Sequence[str]) -> str:
    """The measurements as a Markdown table."""
    lines = [f"{os.cpu_count()} cores; every tab runs {' '.join(served)}", "",
             "| students | time to the app (median / max) | memory (server + apps) | "
             "epochs/s on screen (slowest / median) | paused tab's key (median / max) |",
             "| --- | --- | --- | --- | --- |"]
    for row in rows:
        lines.append(
            f"| {row['students']} | {row['shown_median']:.2f} / {row['shown_max']:.2f} s | "
            f"{row['memory_running']:.0f} MiB | {row['rate_min']:.0f} / "
            f"{row['rate_median']:.0f} | {row['key_median']:.3f} / {row['key_max']:.3f} s |")
    return "\n".join(lines)


def main(sizes: Sequence[int], served: Sequence[str] = SERVED) -> int:
    """Measure a class of each size in ``sizes`` in turn, every tab's app started with
    ``served``, and print the table."""
    rows = []
    for students in sizes:
        rows.append(asyncio.run(classroom(students, served)))
        print(f"{students} students measured", file=sys.stderr, flush=True)
    print(report(rows, served))
    return 0
