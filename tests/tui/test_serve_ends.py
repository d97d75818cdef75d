"""``python -m tui --serve`` ends clean however it ends: a closed terminal (SIGHUP) or a server
killed outright (SIGKILL) leaves no tab's app running and no tab's folder on disk."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest

from .serving import alive, served, wait_until
from .test_serve import read_until

aiohttp = pytest.importorskip("aiohttp", reason="aiohttp comes with textual-serve")

DEADLINE = 2.0     # seconds the apps have to end and remove their folders


async def open_tabs(url: str, count: int, stack) -> None:
    """Open ``count`` tabs (websockets) and wait until each shows its app."""
    http = await stack.enter_async_context(aiohttp.ClientSession())
    sockets = [await stack.enter_async_context(
                   http.ws_connect(url + "/ws?width=100&height=30&name=Lin"))
               for _ in range(count)]
    await asyncio.gather(*(read_until(ws, "epoch 0") for ws in sockets))


@pytest.mark.parametrize("signal_number", [signal.SIGHUP, signal.SIGKILL])
async def test_no_app_and_no_folder_outlive_the_server(tmp_path: Path, signal_number) -> None:
    """Two tabs open; the server ends by ``signal_number`` while they are still open: within
    two seconds neither app runs and neither tab's folder exists."""
    from contextlib import AsyncExitStack

    with served(["xor"], cwd=tmp_path) as server:
        async with AsyncExitStack() as stack:
            await open_tabs(server.url, 2, stack)
            apps = server.apps()
            folders = [Path(os.readlink(f"/proc/{app}/cwd")) for app in apps]
            assert len(apps) == 2 and all(folder.is_dir() for folder in folders)
            server.end(signal_number)
            wait_until(lambda: not any(alive(app) for app in apps)
                       and not any(folder.exists() for folder in folders),
                       DEADLINE, "every app ended and removed its folder")
