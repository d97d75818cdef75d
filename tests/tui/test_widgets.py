"""The panels drawn from hand-built snapshots: what a user would notice on screen."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest
from rich.style import Style
from textual.app import App
from textual.color import Color
from textual.geometry import Region
from textual.strip import Strip

from core.engine.network import Network
from core.session.snapshot import Snapshot
from tui.widgets.base import SnapshotPanel
from tui.widgets.diagram import LayerDiagram
from tui.widgets.gradients import GradientPanel
from tui.widgets.output_view import OutputView, view_kind
from tui.widgets.render import number

GRID = 48
XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]]
XOR_Y = [[0], [1], [1], [0]]


def make_snapshot(X, Y, hidden=(2,), activation="sigmoid", output_activation="sigmoid",
                  loss="mse", task="classification", epochs=0, learning_rate=0.5, seed=0,
                  X_test=None, Y_test=None, input_names=None, target_names=None,
                  class_names=None, preset_name="test", layers=None) -> Snapshot:
    """A snapshot of a network trained ``epochs`` full-batch steps on (X, Y), with the
    decision grid (2 inputs) or curve (1 input) a session would add. ``layers`` sets the
    starting (weights, biases) of every layer."""
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    X_test = np.zeros((0, X.shape[1])) if X_test is None else np.asarray(X_test, dtype=float)
    Y_test = np.zeros((0, Y.shape[1])) if Y_test is None else np.asarray(Y_test, dtype=float)
    net = Network([X.shape[1], *hidden, Y.shape[1]], activation, output_activation, loss,
                  seed=seed)
    for layer, (w, b) in enumerate(layers or ()):
        net.weights[layer][...], net.biases[layer][...] = w, b
    norms, losses = [], []
    for _ in range(epochs):
        cost, grad_w, grad_b = net.loss_and_gradients(X, Y)
        losses.append(cost)
        norms.append([np.linalg.norm(g) for g in grad_w])
        for p, g in zip(net.weights + net.biases, grad_w + grad_b):
            p -= learning_rate * g
    activations = net.forward_layers(X)
    grad_w, grad_b = net.backward(activations, Y)
    extras = {}
    if X.shape[1] == 2:
        low, high = np.vstack([X, X_test]).min(axis=0), np.vstack([X, X_test]).max(axis=0)
        pad = 0.1 * (high - low)
        extent = (low[0] - pad[0], high[0] + pad[0], low[1] - pad[1], high[1] + pad[1])
        xs, ys = np.linspace(*extent[:2], GRID), np.linspace(*extent[2:], GRID)
        points = np.column_stack([np.tile(xs, GRID), np.repeat(ys, GRID)])
        extras = dict(decision_grid=net.forward(points).reshape(GRID, GRID, -1),
                      grid_extent=tuple(float(v) for v in extent))
    elif X.shape[1] == 1:
        curve_x = np.linspace(X.min(), X.max(), 200)
        extras = dict(curve_x=curve_x, curve_y=net.forward(curve_x[:, None]))
    outputs = activations[-1]
    accuracy = None
    if task == "classification":
        if Y.shape[1] == 1:
            accuracy = float(np.mean((outputs >= 0.5) == (Y >= 0.5)))
        else:
            accuracy = float(np.mean(outputs.argmax(1) == Y.argmax(1)))
    history = np.arange(1, epochs + 1, dtype=float)
    return Snapshot(
        preset_name=preset_name, preset_title=preset_name, sizes=net.sizes,
        activation=activation, output_activation=output_activation, loss_name=loss,
        task=task,
        input_names=tuple(input_names or (f"x{i + 1}" for i in range(X.shape[1]))),
        target_names=tuple(target_names or (f"y{j + 1}" for j in range(Y.shape[1]))),
        class_names=class_names, epoch=epochs, batch=0, batches_per_epoch=1,
        state="paused", message="", learning_rate=learning_rate, optimizer="gd",
        batch_size=0, seed=seed, epochs_per_second=0.0, loss=net.loss(X, Y),
        test_loss=net.loss(X_test, Y_test) if len(X_test) else None, accuracy=accuracy,
        test_accuracy=None, weights=tuple(w.copy() for w in net.weights),
        biases=tuple(b.copy() for b in net.biases), gradients_w=tuple(grad_w),
        gradients_b=tuple(grad_b), X_train=X, Y_train=Y, X_test=X_test, Y_test=Y_test,
        activations=tuple(activations),
        test_outputs=net.forward(X_test) if len(X_test) else np.zeros((0, Y.shape[1])),
        history_epochs=history, history_loss=np.array(losses),
        history_test_epochs=history[:0], history_test_loss=history[:0],
        grad_norm_history=tuple(np.array(column) for column in zip(*norms))
        if norms else tuple(np.zeros(0) for _ in net.weights),
        **extras,
    )


class PanelApp(App):
    """A bare app showing one panel with one snapshot."""

    CSS = "Screen { layout: vertical; } #panel { width: 1fr; height: 1fr; }"

    def __init__(self, panel: SnapshotPanel, snapshot: Snapshot | None) -> None:
        super().__init__()
        self.panel, self.snapshot = panel, snapshot
        panel.id = "panel"

    def compose(self):
        yield self.panel

    def on_mount(self) -> None:
        if self.snapshot is not None:
            self.panel.show(self.snapshot)


def frame(panel: SnapshotPanel) -> list[Strip]:
    """The panel's current lines, rebuilt if stale."""
    panel.render_lines(Region(0, 0, *panel.size))
    return [panel.render_line(y) for y in range(panel.size.height)]


def text(panel: SnapshotPanel) -> str:
    """The panel's current text, one line a row."""
    return "\n".join(strip.text for strip in frame(panel))


def style_at(panel: SnapshotPanel, x: int, y: int) -> Style:
    """The style of the cell at (x, y)."""
    offset = 0
    for segment in frame(panel)[y]:
        if offset <= x < offset + len(segment.text):
            return segment.style
        offset += len(segment.text)
    raise IndexError((x, y))


def theme_color(app: App, name: str) -> tuple[int, int, int]:
    """The RGB of theme variable ``$name``."""
    return tuple(Color.parse(app.get_css_variables()[name]).rich_color.triplet)


def rgb(style: Style) -> tuple[int, int, int]:
    """The RGB of a style's foreground."""
    return tuple(style.color.triplet)


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


async def test_truth_table_shows_prediction_and_target_of_each_row():
    """Parity: each row shows its inputs, the network's output and the target."""
    X = [[a, b, c] for a in (0, 1) for b in (0, 1) for c in (0, 1)]
    Y = [[(a + b + c) % 2] for a, b, c in X]
    snapshot = make_snapshot(X, Y, hidden=(4,), epochs=200, learning_rate=2.0,
                             target_names=["parity"])
    view = OutputView()
    async with PanelApp(view, snapshot).run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        assert view_kind(snapshot) == "truth table"
        lines = text(view).splitlines()
        assert "parity" in lines[0] and "err" in lines[0]
        row = lines[1 + 6]   # inputs 1 1 0, target 0
        assert row.split()[:3] == ["1", "1", "0"]
        assert number(float(snapshot.outputs[6, 0])) in row
        assert row.split()[4] == "0"


async def test_decision_map_colours_regions_of_different_class_differently():
    """XOR's map has different colours where the predicted class differs."""
    snapshot = make_snapshot(XOR_X, XOR_Y, epochs=2000, learning_rate=2.0, seed=3)
    assert ((snapshot.outputs >= 0.5) == np.array(XOR_Y, dtype=bool)).all()
    view = OutputView()
    async with PanelApp(view, snapshot).run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        assert view_kind(snapshot) == "decision map"
        lines = [line[:40] for line in text(view).splitlines()]
        axis = next(y for y, line in enumerate(lines) if line.startswith("x1 "))
        # xor: class 1 at the top-left corner (0, 1), class 0 at the bottom-left (0, 0)
        top_left, bottom_left = style_at(view, 1, 0), style_at(view, 1, axis - 1)
        assert rgb(top_left) != rgb(bottom_left)
        map_area = "".join(lines[:axis])
        assert map_area.count("●") == 3 and map_area.count("◆") == 1   # sample 1 selected


async def test_a_gate_in_a_narrow_panel_shows_its_truth_table_above_the_map():
    """XOR in a 40-column panel: the truth table first (every row), the map under it."""
    snapshot = make_snapshot(XOR_X, XOR_Y, epochs=10, learning_rate=2.0, seed=3)
    view = OutputView()
    async with PanelApp(view, snapshot).run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        lines = text(view).splitlines()
        assert "target" in lines[0] or "y" in lines[0]
        assert sum("●" in line for line in lines[5:]) >= 2       # the map's points below
        assert any(line.startswith("x1 ") for line in lines[5:])


async def test_a_truth_table_too_wide_for_its_panel_keeps_the_error_column():
    """XOR named "x1 XOR x2" in a 24-column panel (the output view at 80x24): the output
    column is titled "out" and the error of every row stays in view."""
    snapshot = make_snapshot(XOR_X, XOR_Y, epochs=10, learning_rate=2.0, seed=3,
                             target_names=["x1 XOR x2"])
    view = OutputView()
    async with PanelApp(view, snapshot).run_test(size=(24, 20)) as pilot:
        await pilot.pause()
        lines = text(view).splitlines()
        assert lines[0].split() == ["x1", "x2", "out", "y", "err"]
        for i, row in enumerate(lines[1:5]):
            error = float(np.abs(snapshot.outputs[i] - snapshot.Y_train[i]).max())
            assert row.split()[-1] == number(error)


async def test_decision_map_marks_test_points_differently():
    """Training points are ● and test points ○."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 2))
    Y = (X[:, :1] > 0).astype(float)
    snapshot = make_snapshot(X[:40], Y[:40], X_test=X[40:], Y_test=Y[40:], hidden=(3,))
    view = OutputView()
    async with PanelApp(view, snapshot).run_test(size=(70, 24)) as pilot:
        await pilot.pause()
        shown = text(view)
        assert "●" in shown and "○" in shown and "○ test" in shown


async def test_digits_view_shows_predicted_labels():
    """Under each digit: its predicted label, ✓ or ✗."""
    rng = np.random.default_rng(2)
    X = rng.random((30, 64))
    labels = rng.integers(0, 10, 30)
    names = tuple(str(k) for k in range(10))
    snapshot = make_snapshot(X[:20], np.eye(10)[labels[:20]], X_test=X[20:],
                             Y_test=np.eye(10)[labels[20:]], hidden=(8,),
                             output_activation="softmax", loss="cross_entropy",
                             class_names=names)
    view = OutputView()
    async with PanelApp(view, snapshot).run_test(size=(60, 14)) as pilot:
        await pilot.pause()
        assert view_kind(snapshot) == "digits"
        lines = text(view).splitlines()
        predicted = names[int(snapshot.test_outputs[0].argmax())]
        assert lines[0].startswith("test")
        assert lines[5].startswith(predicted + " ")
        assert "✓" in lines[5] or "✗" in lines[5]


async def test_curve_and_scatter_and_confusion_views():
    """1 input: a curve; regression: predicted vs target; classes: a confusion matrix."""
    x = np.linspace(-1, 1, 20)[:, None]
    curve = make_snapshot(x, np.sin(3 * x), hidden=(4,), activation="tanh",
                          output_activation="linear", task="regression")
    rng = np.random.default_rng(3)
    X4 = rng.normal(size=(50, 4))
    regression = make_snapshot(X4, X4[:, :1], hidden=(3,), output_activation="linear",
                               task="regression")
    classes = make_snapshot(X4, np.eye(3)[rng.integers(0, 3, 50)], hidden=(3,),
                            output_activation="softmax", loss="cross_entropy",
                            class_names=("a", "b", "c"))
    assert [view_kind(s) for s in (curve, regression, classes)] == \
        ["curve", "scatter", "confusion"]
    for snapshot, expected in ((curve, "•"), (regression, "predicted"), (classes, "accuracy")):
        view = OutputView()
        async with PanelApp(view, snapshot).run_test(size=(60, 16)) as pilot:
            await pilot.pause()
            assert expected in text(view)


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
