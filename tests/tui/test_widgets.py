"""The panels drawn from hand-built snapshots, what a user would notice: the gradient panel
counts dead ReLUs and saturated sigmoids, and every panel draws every kind of problem (and a
diverged network) down to 1x1 and in light and ANSI themes.

The diagram: test_diagram_panel.py; the output view: test_output_view.py."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from core.session.snapshot import Snapshot
from tui.widgets.diagram import LayerDiagram
from tui.widgets.gradients import GradientPanel
from tui.widgets.output_view import OutputView

from .panel_app import XOR_X, XOR_Y, PanelApp, frame, make_snapshot, text


async def test_gradient_panel_counts_a_dead_relu():
    """A ReLU that is 0 on every sample is counted dead under its layer."""
    X = np.array([[0.5, 1.0], [1.0, -0.5], [-1.0, 0.3]])
    layers = [(np.array([[1.0, 0.0, 0.5], [1.0, 0.0, -0.5]]), np.array([0.0, -10.0, 0.1])),
              (np.ones((3, 1)), np.zeros(1))]
    snapshot = make_snapshot(X, X[:, :1], hidden=(3,), activation="relu",
                             output_activation="linear", task="regression", epochs=3,
                             learning_rate=0.01, layers=layers)
    panel = GradientPanel()
    async with PanelApp(panel, snapshot).run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        shown = text(panel)
        assert "dead 1/3" in shown
        assert "w(1) 2×3" in shown and "w(2) 3×1" in shown


async def test_gradient_panel_counts_saturated_sigmoids():
    """A sigmoid pinned near 1 on every sample is counted saturated."""
    layers = [(np.zeros((2, 2)), np.array([8.0, 0.0])), (np.ones((2, 1)), np.zeros(1))]
    snapshot = make_snapshot(XOR_X, XOR_Y, layers=layers)
    panel = GradientPanel()
    async with PanelApp(panel, snapshot).run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        assert "saturated 1/2" in text(panel)


def all_kinds() -> list[Snapshot]:
    """One snapshot for each output view: map, curve, table, digits, confusion, scatter."""
    rng = np.random.default_rng(4)
    X4 = rng.normal(size=(40, 4))
    return [
        make_snapshot(XOR_X, XOR_Y),
        make_snapshot(np.linspace(0, 1, 10)[:, None], np.ones((10, 1)), task="regression"),
        make_snapshot(X4[:8, :3], np.ones((8, 2))),
        make_snapshot(rng.random((12, 64)), np.eye(10)[rng.integers(0, 10, 12)],
                      output_activation="softmax", loss="cross_entropy"),
        make_snapshot(X4, np.eye(3)[rng.integers(0, 3, 40)], output_activation="softmax",
                      loss="cross_entropy"),
        make_snapshot(X4, X4[:, :1], task="regression", hidden=(3, 2)),
    ]


@pytest.mark.parametrize("size", [(1, 1), (10, 5), (40, 12)])
async def test_no_panel_fails_at_small_sizes(size):
    """Every panel draws every kind of problem, and a diverged one, down to 1x1."""
    snapshots = all_kinds()
    diverged = dataclasses.replace(
        snapshots[0], weights=tuple(np.full_like(w, np.nan) for w in snapshots[0].weights),
        activations=tuple(np.full_like(a, np.nan) for a in snapshots[0].activations),
        decision_grid=np.full_like(snapshots[0].decision_grid, np.nan))
    for panel_class in (LayerDiagram, GradientPanel, OutputView):
        panel = panel_class()
        async with PanelApp(panel, None).run_test(size=size) as pilot:
            await pilot.pause()
            frame(panel)
            for snapshot in [*snapshots, diverged]:
                panel.show(snapshot)
                assert len(frame(panel)) == panel.size.height


@pytest.mark.parametrize("theme", ["textual-light", "ansi-dark", "solarized-light"])
async def test_every_theme_draws(theme):
    """Light and ANSI themes draw every panel."""
    for panel_class in (LayerDiagram, GradientPanel, OutputView):
        panel = panel_class()
        async with PanelApp(panel, None).run_test(size=(50, 16)) as pilot:
            pilot.app.theme = theme
            await pilot.pause()
            for snapshot in all_kinds():
                panel.show(snapshot)
                assert any(strip.text.strip() for strip in frame(panel))
