"""Pilot tests of the math views as a whole: their keys in the footer, the help and the
command palette, views computed only when something they show changed, small terminals,
a view following a run, and long computations cancelled by quitting or another view.

Keys are pressed on a paused session only (see test_app.py). Each view: the inspector
(test_math_inspector.py), the gradient check and finite-difference training
(test_math_gradient_check.py), the cost landscape (test_math_landscape.py); stepping inside
an epoch: test_step_through.py.
"""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from core.engine.finite_differences import ComputationCancelled
from tui.controls import CONTROLS, FOOTER_KEYS
from tui.screens.help import help_markdown

from .conftest import (
    inspector_text,
    run_from_palette,
    settle,
    training,
    view_of,
)


def test_the_math_keys_are_controls_with_help():
    keys = {c.display: c for c in CONTROLS}
    for key in ("i", "c", "L", "f", "B", "[", "]", "m", "F", "↑", "↓", "←", "→", "pgup",
                "pgdn"):
        assert key in keys, key
    assert "up" not in FOOTER_KEYS and "i" in FOOTER_KEYS
    text = help_markdown([(c.display, c.help) for c in CONTROLS])
    for panel in ("Inspector", "Gradient check", "Cost landscape"):
        assert f"**{panel}**" in text


async def test_the_math_keys_run_from_the_command_palette(make_app):
    """The palette's entries for the math keys run the math desk's actions, like the keys."""
    app = make_app("chain")
    async with app.run_test(size=(120, 40)) as pilot:
        await run_from_palette(pilot, "Cost landscape")
        assert view_of(app) == "landscape"
        await run_from_palette(pilot, "Next sample")
        assert training(app).sample_index == 1 and training(app).diagram.sample_index == 1


async def test_views_are_computed_only_when_something_they_show_changed(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        calls = []
        original = app.session.views.inspect_weight

        def counting(*args, **kwargs):
            calls.append(args)
            return original(*args, **kwargs)

        app.session.views.inspect_weight = counting
        await pilot.press("n")
        await settle(pilot)
        assert calls == []                      # closed: nothing computed
        await pilot.press("i")
        await settle(pilot)
        assert len(calls) == 1
        await pilot.press("g", "y")             # the weights, selection and sample stay
        await settle(pilot)
        training(app).draw_panels(app.controller.snapshot)
        await settle(pilot)
        assert len(calls) == 1
        await pilot.press("n")
        await settle(pilot)
        assert len(calls) == 2
        await pilot.press("down")
        await settle(pilot)
        assert len(calls) == 3


def assert_on_screen(app, size, *selectors: str) -> None:
    """The widgets are inside the terminal, none of them squeezed to nothing."""
    width, height = size
    for selector in selectors:
        region = training(app).query_one(selector).region
        assert region.height > 0 and region.bottom <= height and region.right <= width, \
            (selector, region)


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (40, 12)])
async def test_small_terminals_keep_the_math_views_working(make_app, size):
    app = make_app("xor")
    async with app.run_test(size=size) as pilot:
        await pilot.press("n", "i", "down", "right_square_bracket", "f", "f", "B")
        await settle(pilot)
        assert "computing..." not in inspector_text(app)
        assert_on_screen(app, size, "#diagram", "#inspector", "#status")
        await pilot.press("pagedown", "pageup", "L")
        await settle(pilot)
        assert training(app).query_one("#landscape").landscape is not None
        assert_on_screen(app, size, "#diagram", "#landscape", "#status")
        await pilot.press("c")
        await settle(pilot)
        assert training(app).query_one("#gradient-check").data.checks is not None
        assert_on_screen(app, size, "#diagram", "#gradient-check", "#status")
        await pilot.press("c")
        await settle(pilot)
        assert view_of(app) is None


async def test_a_view_open_while_training_runs_follows_it(make_app):
    app = make_app("spiral")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        training(app).math.action_math_view("inspector")
        app.action_run_pause()
        start = app.session.snapshot().epoch
        deadline = time.monotonic() + 10
        while ("computing..." in inspector_text(app)
               or app.session.snapshot().epoch < start + 5) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        first = inspector_text(app)
        while inspector_text(app) in (first, "") and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        app.action_run_pause()
        assert "computing..." not in first
        assert inspector_text(app) != first             # recomputed as the weights moved
        assert app.session.snapshot().epoch >= start + 5


def held(views, command: str, monkeypatch) -> tuple[threading.Event, threading.Event]:
    """Make the session's math ``command`` (gradient_check, cost_landscape) the engine's,
    held before its first parameter or point until it is cancelled. Returns (set once it
    waits there, set once it stopped with ComputationCancelled)."""
    engine_command = getattr(views, command)
    waiting, stopped = threading.Event(), threading.Event()

    def held_command(*args, cancelled, **options):
        def held_between_points() -> bool:
            waiting.set()
            for _ in range(3000):
                if cancelled():
                    break
                time.sleep(0.01)
            return cancelled()

        try:
            return engine_command(*args, cancelled=held_between_points, **options)
        except ComputationCancelled:
            stopped.set()
            raise

    monkeypatch.setattr(views, command, held_command)
    return waiting, stopped


@pytest.mark.parametrize("key,command", [("c", "gradient_check"), ("L", "cost_landscape")])
def test_quitting_cancels_a_long_computation(make_app, monkeypatch, key, command):
    """A gradient check or a landscape of a large network takes long; q while it computes
    cancels it: the engine stops at its next parameter or point (ComputationCancelled), and
    the app ends without it."""
    app = make_app("digits")
    computing, stopped = held(app.session.views, command, monkeypatch)

    async def quit_while_computing(pilot) -> None:
        await pilot.press(key)
        await asyncio.to_thread(computing.wait, 30)
        await pilot.press("q")

    app.run(headless=True, size=(120, 40), auto_pilot=quit_while_computing)
    assert stopped.is_set() and app.session_closed


async def test_another_view_cancels_a_gradient_check_still_computing(make_app, monkeypatch):
    """i while the check of digits computes: the check stops at its next parameter and the
    inspector is computed and shown without waiting for it."""
    app = make_app("digits")
    computing, stopped = held(app.session.views, "gradient_check", monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")
        await asyncio.to_thread(computing.wait, 30)
        await pilot.press("i")
        assert await asyncio.to_thread(stopped.wait, 30)
        await settle(pilot)
        assert view_of(app) == "inspector"
        text = inspector_text(app)
        assert text.startswith("weight w(") and "computing" not in text
