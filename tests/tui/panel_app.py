"""The panels' tests' means: snapshots built by hand (a network trained a few full-batch
steps, with the decision grid or curve a session adds), a bare app showing one panel, and
the panel's lines, text and colours as drawn."""

from __future__ import annotations

import numpy as np
from rich.style import Style
from textual.app import App
from textual.color import Color
from textual.geometry import Region
from textual.strip import Strip

from core.engine.network import Network
from core.session.snapshot import Snapshot
from tui.widgets.base import SnapshotPanel

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
