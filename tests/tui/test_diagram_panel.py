"""The network diagram drawn from hand-built snapshots: activations of the selected sample,
weights coloured by sign (or by the sign of dC/dw) in the theme's colours, a selected weight
and a highlighted layer in the accent colour, wide layers cut to their strongest lines, and
no redraw for a snapshot of the same network."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest

from core.session.snapshot import Snapshot
from tui.widgets.base import SnapshotPanel
from tui.widgets.diagram import LayerDiagram
from tui.widgets.render import number

from .panel_app import (
    XOR_X,
    XOR_Y,
    PanelApp,
    frame,
    make_snapshot,
    rgb,
    style_at,
    text,
    theme_color,
)


def first_braille_right_of(panel: SnapshotPanel, label: str) -> tuple[int, int, int]:
    """The colour of the first weight-line cell right of the row where ``label`` is."""
    for y, strip in enumerate(frame(panel)):
        line = strip.text
        if label in line:
            start = line.index(label)
            for x in range(start, len(line)):
                if "\u2800" <= line[x] <= "\u28ff":
                    return rgb(style_at(panel, x, y))
    raise AssertionError(f"no line next to {label!r}")


def two_input_snapshot(**kw) -> Snapshot:
    """x1 -> output with w = +1, x2 -> output with w = -1, on one sample (1, 1) -> 1.

    dC/dw is negative for both weights: the output 0.5 is below its target 1."""
    return make_snapshot([[1, 1]], [[1]], hidden=(),
                         layers=[(np.array([[1.0], [-1.0]]), np.zeros(1))], **kw)


async def test_diagram_shows_the_activation_of_a_node():
    """A node shows its activation for the selected sample."""
    snapshot = make_snapshot(XOR_X, XOR_Y, epochs=300, learning_rate=2.0)
    diagram = LayerDiagram()
    async with PanelApp(diagram, snapshot).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        hidden = snapshot.activations[1]
        assert number(float(hidden[0, 0])) in text(diagram)
        diagram.sample_index = 3
        assert number(float(hidden[3, 1])) in text(diagram)
        assert "sample 4/4" in text(diagram)


async def test_positive_and_negative_weights_get_the_theme_sign_colours():
    """A positive weight is drawn in $primary, a negative one in $error."""
    diagram = LayerDiagram()
    async with PanelApp(diagram, two_input_snapshot()).run_test(size=(60, 16)) as pilot:
        await pilot.pause()
        primary, error = theme_color(pilot.app, "primary"), theme_color(pilot.app, "error")
        assert first_braille_right_of(diagram, "x1") == primary
        assert first_braille_right_of(diagram, "x2") == error


async def test_colouring_by_gradient_follows_the_sign_of_dC_dw():
    """With color_by='gradients' the lines take the sign of dC/dw, not of w."""
    snapshot = two_input_snapshot()
    assert (snapshot.gradients_w[0] < 0).all()
    diagram = LayerDiagram()
    async with PanelApp(diagram, snapshot).run_test(size=(60, 16)) as pilot:
        await pilot.pause()
        diagram.color_by = "gradients"
        error = theme_color(pilot.app, "error")
        assert first_braille_right_of(diagram, "x1") == error
        assert first_braille_right_of(diagram, "x2") == error
        assert "dC/dw" in text(diagram)
        with pytest.raises(ValueError):
            diagram.color_by = "biases"


async def test_theme_change_recolours_the_lines():
    """Switching theme redraws the lines in the new theme's colours."""
    diagram = LayerDiagram()
    async with PanelApp(diagram, two_input_snapshot()).run_test(size=(60, 16)) as pilot:
        await pilot.pause()
        pilot.app.theme = "nord"
        await pilot.pause()
        assert first_braille_right_of(diagram, "x1") == theme_color(pilot.app, "primary")


async def test_wide_layers_show_their_strongest_connections_only():
    """64-32-10 at 120x40: some inputs and the weakest lines are left out, and counted."""
    rng = np.random.default_rng(0)
    X = rng.random((40, 64))
    Y = np.eye(10)[rng.integers(0, 10, 40)]
    snapshot = make_snapshot(X, Y, hidden=(32,), activation="relu",
                             output_activation="softmax", loss="cross_entropy")
    diagram = LayerDiagram()
    async with PanelApp(diagram, snapshot).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = text(diagram)
        assert "strongest" in shown and "of 2368" in shown
        inputs_shown = sum(1 for line in shown.splitlines() if re.match(r"\s*x\d+ ", line))
        assert 0 < inputs_shown < 64 and f"+{64 - inputs_shown}" in shown


async def test_selected_weight_and_highlighted_layer_use_the_accent_colour():
    """A selected weight and a highlighted layer stand out in $accent."""
    diagram = LayerDiagram()
    async with PanelApp(diagram, two_input_snapshot()).run_test(size=(60, 16)) as pilot:
        await pilot.pause()
        diagram.selected = ("weight", 0, 0, 0)
        diagram.highlight_layer = 1
        accent = theme_color(pilot.app, "accent")
        assert first_braille_right_of(diagram, "x1") == accent
        assert "▐" in text(diagram)


async def test_a_snapshot_showing_the_same_network_does_not_redraw():
    """A snapshot with the same weights (only the state changed) keeps the cached frame."""
    snapshot = make_snapshot(XOR_X, XOR_Y)
    diagram = LayerDiagram()
    async with PanelApp(diagram, snapshot).run_test(size=(60, 16)) as pilot:
        await pilot.pause()
        before = frame(diagram)
        diagram.show(dataclasses.replace(snapshot, state="running", learning_rate=3.0))
        assert frame(diagram) is not None and frame(diagram)[0] is before[0]
        diagram.show(make_snapshot(XOR_X, XOR_Y, epochs=1))
        assert frame(diagram)[0] is not before[0]
