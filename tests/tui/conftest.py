"""Fixtures and helpers for the app's tests: an app on a real session from a fixed seed (on
the training screen or on a lesson), and ways to read what the user sees."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import numpy as np
import pytest
from textual import events
from textual.pilot import Pilot

from core.explain.notes import load_lesson
from core.session import Session
from tui.app import BackpropApp
from tui.screens.session_screen import SessionScreen
from tui.screens.training import TrainingScreen
from tui.widgets.status_bar import StatusBar

SEED = 3


@pytest.fixture
def make_app() -> Callable[..., BackpropApp]:
    """``make_app(preset="xor", seed=SEED, **session_options)``; sessions closed afterwards."""
    apps: list[BackpropApp] = []

    def make(preset: str = "xor", seed: int = SEED, **options) -> BackpropApp:
        app = BackpropApp(Session(preset, seed=seed, **options))
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close_session()


@pytest.fixture
def lesson_app() -> Callable[..., BackpropApp]:
    """``lesson_app(section, preset=None)``: an app on the lesson's preset (or ``preset``),
    seed SEED, starting on that lesson; sessions closed afterwards."""
    apps: list[BackpropApp] = []

    def make(section: str, preset: str | None = None) -> BackpropApp:
        lesson = load_lesson(section)
        app = BackpropApp(Session(preset or lesson.preset, seed=SEED), lesson=lesson)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close_session()


def training(app: BackpropApp) -> TrainingScreen:
    """The app's training screen."""
    return app.training_screen


def shown_screen(app: BackpropApp) -> SessionScreen:
    """The screen over the session that the user sees (the training screen or a lesson; a
    dialog may be open over it)."""
    return next(screen for screen in reversed(app.screen_stack)
                if isinstance(screen, SessionScreen))


async def settle(pilot: Pilot, timeout: float = 30.0) -> None:
    """Wait until the steps asked for are trained and shown, and the open math view is
    computed and drawn (a dialog may stay open)."""
    app = pilot.app
    deadline = time.monotonic() + timeout

    def idle(screen: SessionScreen) -> bool:
        return not screen.busy and (not isinstance(screen, TrainingScreen)
                                        or screen.math.idle)

    while time.monotonic() < deadline:
        working = [w for w in app.workers if w.group in ("step", "math")]
        if working:         # (dialogs and the file tree's loader run on; [] waits for all)
            await app.workers.wait_for_complete(working)
        await pilot.pause()
        screen = shown_screen(app)
        shown = screen.snapshot
        if (not app.session_closed and not app.session.running and idle(screen)
                and shown is not None and shown.epoch == app.session.epoch):
            await pilot.pause()
            if idle(screen):
                return
        await asyncio.sleep(0.01)
    raise TimeoutError("the app did not settle")


def pressing(*keys: str):
    """A snapshot test's ``run_before``: press ``keys`` one by one, each settled."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await settle(pilot)

    return run_before


async def paste(pilot: Pilot, text: str) -> None:
    """Paste ``text`` into the focused box (over its selection), as a terminal hands a paste
    to the app: the box gets the same text as typed key by key, in one event rather than a
    screen update a key."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


def status_text(app: BackpropApp) -> str:
    """The status bar as the user reads it."""
    return str(shown_screen(app).query_one(StatusBar).render())


def text_of(app: BackpropApp, selector: str) -> str:
    """The plain text of a text panel of the training screen (inspector, gradient check)."""
    return training(app).query_one(selector).text


def record_notes(app: BackpropApp) -> list[tuple[str, str]]:
    """(message, severity) of every notification from now on."""
    notes: list[tuple[str, str]] = []
    original = app.notify

    def record(message, *args, **kwargs):
        notes.append((str(message), kwargs.get("severity", "information")))
        return original(message, *args, **kwargs)

    app.notify = record
    return notes


def view_of(app) -> str | None:
    """The math view on screen ("inspector", "gradient-check", "landscape") or None."""
    shown = [w.id for w in training(app).query(".math-view") if w.display]
    return shown[0] if shown else None


def inspector_text(app) -> str:
    """The inspector's text as shown."""
    return training(app).query_one("#inspector").text


def same_parameters(a, b) -> bool:
    """Whether two snapshots hold bitwise the same weights and biases."""
    return all(np.array_equal(x, y) for x, y in zip(a.weights + a.biases, b.weights + b.biases))


def rendered(app: BackpropApp, selector: str) -> str:
    """The text a panel of the training screen shows."""
    widget = training(app).query_one(selector)
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


async def run_from_palette(pilot, query: str) -> None:
    """Open the command palette, paste ``query`` (a search a key when typed) and run the
    first hit."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await paste(pilot, query)
    hits = pilot.app.screen.query_one(CommandList)
    deadline = time.monotonic() + 5
    while hits.option_count == 0 and time.monotonic() < deadline:
        await pilot.pause(0.05)
    await pilot.pause(0.1)
    await pilot.press("enter")
    await settle(pilot)
