"""Pilot tests of the gradient check (c) and finite-difference training (F): the check per
layer is the engine's, disagreement is marked clearly, and training with finite differences
says so and lands within 1e-7 of backprop's weights after 100 epochs (a separate session
stepped with backprop).

Keys are pressed on a paused session only (see test_app.py).
"""

from __future__ import annotations

import numpy as np

from core.engine.finite_differences import LayerCheck
from core.session.session import Session
from tui.math.gradient_check import GradientCheckData, check_lines

from .conftest import (
    SEED,
    same_parameters,
    settle,
    training,
    view_of,
)


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
