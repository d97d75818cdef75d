"""Pilot tests of the math views: the inspector, the gradient check, the cost
landscape, sample cycling and finite-difference training (stepping inside an epoch:
test_step_through.py).

Keys are pressed on a paused session only (see test_app.py). The numbers the views show are
compared with the engine's: the snapshot's gradients and activations, a separate session
stepped with ``step_batch``.
"""

from __future__ import annotations

import asyncio
import threading
import time

import numpy as np
import pytest

from core.engine.finite_differences import ComputationCancelled, LayerCheck
from core.session.session import Session
from tui.controls import CONTROLS, FOOTER_KEYS
from tui.math import selection as selecting
from tui.math.gradient_check import GradientCheckData, check_lines
from tui.screens.help import help_markdown

from .conftest import (
    SEED,
    inspector_text,
    rendered,
    run_from_palette,
    same_parameters,
    settle,
    training,
    view_of,
)

# --- keys and help ---------------------------------------------------------------------

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


def test_arrows_walk_along_the_network():
    sizes = (2, 2, 1)
    assert selecting.moved(None, "up", sizes) == ("weight", 0, 0, 0)
    walk = [("weight", 0, 0, 0)]
    for key in ("right", "down", "right", "right", "left", "left", "left", "up", "left", "left"):
        walk.append(selecting.moved(walk[-1], key, sizes))
    assert walk[1:] == [("node", 1, 0), ("node", 1, 1), ("weight", 1, 1, 0), ("node", 2, 0),
                        ("weight", 1, 0, 0), ("node", 1, 0), ("weight", 0, 0, 0),
                        ("weight", 0, 1, 1), ("node", 0, 1), ("node", 0, 1)]
    assert selecting.moved(("node", 2, 0), "right", sizes) == ("node", 2, 0)
    assert selecting.parameter(("node", 1, 1), True) == ("b", 1, 1)
    assert selecting.parameter(("node", 1, 1), False) is None
    assert selecting.parameter(("node", 0, 1), True) is None
    assert selecting.selection_of(("w", 2, 1, 0)) == ("weight", 1, 1, 0)


def test_the_gradient_check_marks_disagreement_clearly(make_app):
    session = Session("xor", seed=SEED)
    try:
        snapshot = session.snapshot()
    finally:
        session.close()
    checks = (LayerCheck(0, 3e-4, 1e-9), LayerCheck(1, 1e-11, 1e-12))
    text = "\n".join(c.plain for c in check_lines(
        GradientCheckData(snapshot, checks, "backprop", 9)))
    first, second = [line for line in text.splitlines() if line.strip().startswith("w(")]
    assert "✗ ABOVE 1e-05" in first and "3.0e-04" in first
    assert "✓ agree" in second and "ABOVE" not in second


# --- the inspector ---------------------------------------------------------------------

async def test_i_opens_the_inspector_in_place_of_loss_and_gradients(make_app):
    app = make_app("chain")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", "i")
        await settle(pilot)
        inspector = training(app).query_one("#inspector")
        assert view_of(app) == "inspector" and inspector.display
        assert str(inspector.border_title) == "Inspector"
        screen = training(app)
        assert not screen.query_one("#bottom").display or not screen.query_one("#loss").region
        assert inspector_text(app).startswith("weight w(1)[1,1] · ")
        text = inspector.text
        for label in ("(1.6.1)", "(1.2.3)", "(1.6.2)", "(1.6.4)"):
            assert label in text, label
        for label in ("(1.7.2", "(1.5.6", "(1.5.3)", "(1.5.2)", "(1.0.1)"):
            assert label not in text, label          # none of them is what its line says
        assert ("The notes' 1.5.12 and 1.7.2 omit the σ' factor (and 1.7.2 writes x_i where "
                "a_i(l−1) belongs); it is included here.") in text
        assert "relative error" in text and "✓" in text
        await pilot.press("i")
        await settle(pilot)
        assert view_of(app) is None and not inspector.display
        assert screen.query_one("#loss").display


@pytest.mark.parametrize("preset", ["chain", "xor"])
async def test_the_inspectors_numbers_are_the_engines(make_app, preset):
    app = make_app(preset)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", "n", "i")
        await settle(pilot)
        snapshot = app.session.snapshot()
        seen = set()
        for key in ("right", "down", "right", "right", "left", "left", "left", "up", "left",
                    "right_square_bracket"):
            await pilot.press(key)
            await settle(pilot)
            selection, sample = training(app).selected, training(app).sample_index
            seen.add(selection)
            panel = training(app).query_one("#inspector")
            neuron, gradient = panel.data.neuron, panel.data.gradient
            assert (panel.data.selection, panel.data.sample) == (selection, sample)
            text = panel.text
            assert "computing..." not in text
            if selection[0] == "weight":
                _, l, i, j = selection
                engine = snapshot.gradients_w[l][i, j]
                assert (gradient.i, gradient.j, gradient.layer) == (i, j, l + 1)
                assert neuron.a == snapshot.activations[l + 1][sample, j]
            elif selection[1] > 0:
                _, k, j = selection
                engine = snapshot.gradients_b[k - 1][j]
                assert neuron.a == snapshot.activations[k][sample, j]
            else:
                assert "an input: nothing to compute" in text
                continue
            assert gradient.gradient == engine                  # bitwise the engine's
            assert gradient.relative_error < 1e-6
            assert f"= {engine + 0.0:.4g}" in text
            assert f"sample {sample + 1}/" in text
        assert len(seen) >= 5


async def test_brackets_cycle_the_sample_everywhere(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i", "right_square_bracket")
        await settle(pilot)
        assert "sample 2/4" in inspector_text(app) and "computing..." not in inspector_text(app)
        assert "sample 2/4" in rendered(app, "#diagram")
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert "sample 4/4" in inspector_text(app) and "sample 4/4" in rendered(app, "#diagram")


def hits(diagram) -> dict:
    """A cell of the diagram's content for each neuron and weight line it shows."""
    width, height = diagram.size
    cells = {}
    for y in range(height):
        for x in range(width):
            hit = diagram.at(x, y)
            if hit is not None:
                cells.setdefault(hit, (x + diagram.gutter.left, y + diagram.gutter.top))
    return cells


async def test_a_click_on_the_diagram_selects(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        diagram = training(app).diagram
        cells = hits(diagram)
        assert ("node", 1, 1) in cells and ("weight", 1, 0, 0) in cells
        await pilot.click("#diagram", offset=cells[("node", 1, 1)])   # opens the inspector
        await settle(pilot)
        assert view_of(app) == "inspector"
        assert inspector_text(app).startswith("neuron a(1)[2] · ")
        cells = hits(diagram)                                         # a shorter diagram now
        names = {("weight", 1, 0, 0): "weight w(2)[1,1]", ("weight", 0, 1, 0): "weight w(1)[2,1]",
                 ("node", 0, 1): "neuron a(0)[2]"}
        for target in (("weight", 1, 0, 0), ("weight", 0, 1, 0), ("node", 0, 1)):
            await pilot.click("#diagram", offset=cells[target])
            await settle(pilot)
            assert inspector_text(app).startswith(names[target] + " · ")


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


# --- gradient check and finite-difference training -------------------------------------

async def test_c_shows_the_gradient_check_per_layer(make_app):
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", "c")
        await settle(pilot)
        panel = training(app).query_one("#gradient-check")
        assert panel.display and str(panel.border_title) == "Gradient check"
        expected = app.session.views.gradient_check()
        assert panel.data.checks == tuple(expected)
        text = panel.text
        assert "w(1) 2×2" in text and "w(2) 2×1" in text and "✓ agree" in text
        assert "Training uses: backprop" in text and "4 × 9 parameters = 36 forward passes" in text
        await pilot.press("c")
        assert not panel.display


async def test_F_trains_with_finite_differences_and_says_so(make_app):
    app = make_app("xor")
    plain = Session("xor", seed=SEED)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("F")
            await settle(pilot)
            assert app.session.views.gradient_method == "finite_differences"
            assert view_of(app) == "gradient-check"
            panel = training(app).query_one("#gradient-check")
            assert "Training uses: finite differences (1.0.1)" in panel.text
            assert "FINITE DIFFERENCES" in str(panel.border_subtitle)
            await pilot.press("N")
            await settle(pilot)
            plain.step(100)
            numeric, exact = app.session.snapshot(), plain.snapshot()
            assert numeric.epoch == 100 and not same_parameters(numeric, exact)
            for a, b in zip(numeric.weights, exact.weights):
                np.testing.assert_allclose(a, b, atol=1e-7)
            await pilot.press("F")
            await settle(pilot)
            assert app.session.views.gradient_method == "backprop"
            assert "Training uses: backprop" in panel.text
    finally:
        plain.close()


# --- the cost landscape ----------------------------------------------------------------

async def test_L_on_twice_draws_the_whole_cost_with_path_and_next_step(make_app):
    app = make_app("twice", learning_rate=0.16)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(4):
            await pilot.press("n")
            await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        panel = training(app).query_one("#landscape")
        land = panel.landscape
        assert panel.display and str(panel.border_title) == "Cost landscape"
        snapshot = app.session.snapshot()
        assert land.dims == 1 and not land.is_slice and land.params == (("w", 1, 0, 0),)
        assert land.current == (snapshot.weights[0][0, 0],)
        assert land.current_cost == snapshot.loss
        assert land.path_epochs.tolist() == [0, 1, 2, 3, 4]
        assert land.costs.size >= 100                    # two points a cell across
        assert land.axes[0][0] < 2.0 < land.axes[0][-1]
        expected_next = snapshot.weights[0][0, 0] - 0.16 * snapshot.gradients_w[0][0, 0]
        assert land.next_point == (expected_next,)
        await pilot.press("n")
        await settle(pilot)
        assert app.session.snapshot().weights[0][0, 0] == expected_next        # the step taken
        assert panel.landscape.path_epochs.tolist() == [0, 1, 2, 3, 4, 5]


async def test_L_on_chain_maps_two_weights_and_m_marks_axes(make_app):
    app = make_app("chain")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("N", "L")
        await settle(pilot)
        panel = training(app).query_one("#landscape")
        land = panel.landscape
        assert land.dims == 2 and land.is_slice
        assert land.names == ("w(1)[0,0]", "w(2)[0,0]")
        assert land.costs.shape[0] == land.costs.shape[1] >= 24     # a map that fills the room
        assert land.path.shape == (101, 2)
        assert training(app).diagram.selected == ("weight", 0, 0, 0)
        await pilot.press("right")                   # the neuron a(1): its bias b(1)
        await settle(pilot)
        assert panel.landscape.params == (("b", 1, 0),) and panel.landscape.dims == 1
        await pilot.press("right", "m")              # mark w(2) beside it: a map again
        await settle(pilot)
        assert panel.landscape.params == (("b", 1, 0), ("w", 2, 0, 0))
        await pilot.press("m")                       # unmark it
        await settle(pilot)
        assert panel.landscape.params == (("b", 1, 0),)


# --- sizes and running -----------------------------------------------------------------

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
