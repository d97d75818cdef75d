"""Keys typed fast reach a served tab whole and in order, and a dialog closed before it was
mounted (keys typed ahead of it) does not crash the app."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.explain.notes import load_lessons
from tui.screens.lesson_picker import LessonPicker
from tui.screens.training import TrainingScreen

from .serving import served, wait_until
from .test_serve import read_until

aiohttp = pytest.importorskip("aiohttp", reason="aiohttp comes with textual-serve")

NAMES = ["escape-abcdefghijklmnopqrstuvwxyz.npz", "second-0123456789.npz"]


async def test_keys_sent_with_no_gap_arrive_whole(tmp_path: Path) -> None:
    """``s``, a file name and enter, twice, each key its own message sent with no gap (as a
    browser sends a fast typist's keys, ahead of each dialog): both sessions are saved under
    the names as typed, and nothing else is written."""
    with served(["xor"], cwd=tmp_path) as server:
        async with (aiohttp.ClientSession() as http,
                    http.ws_connect(server.url + "/ws?width=120&height=40&name=Lin") as ws):
            await read_until(ws, "epoch 0")
            [app] = server.apps()
            folder = Path(os.readlink(f"/proc/{app}/cwd"))
            await ws.send_json(["stdin", "n"])
            await read_until(ws, "epoch 1")
            for key in [character for name in NAMES for character in ["s", *name, "\r"]]:
                await ws.send_json(["stdin", key])
            def saved() -> list[str]:      # the tab's status for the teacher is hidden
                return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))

            wait_until(lambda: len(saved()) >= 2, 20, "two files were saved")
            assert saved() == sorted(NAMES)


async def test_a_picker_closed_before_it_is_mounted_does_not_crash(make_app) -> None:
    """The lesson list pushed and closed at once (a key typed ahead closed it before it was
    mounted): the app runs on, on the training screen."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(LessonPicker(load_lessons(), app.answers))
        app.pop_screen()
        await pilot.pause(0.2)
        assert app.is_running and isinstance(app.screen, TrainingScreen)
    assert app.return_code in (None, 0)
