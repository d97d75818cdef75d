"""Pilot tests of the inspector (i): it opens in place of the loss and gradients, the arrows
walk along the network, brackets cycle the sample everywhere, a click on the diagram selects,
and every number it shows is the engine's (the snapshot's gradients and activations).

Keys are pressed on a paused session only (see test_app.py).
"""

from __future__ import annotations

import pytest

from tui.math import selection as selecting

from .conftest import (
    inspector_text,
    rendered,
    settle,
    training,
    view_of,
)


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
