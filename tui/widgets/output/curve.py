"""One input: the learned curve (the snapshot's ``curve_x``/``curve_y``) against the
targets, ``•`` for training and ``◦`` for test samples; one colour per output."""

from __future__ import annotations

import numpy as np

from core.session import Snapshot

from ..canvas import Canvas
from ..render import Palette
from .plot import Plot


def draw_curve(canvas: Canvas, palette: Palette, snapshot: Snapshot, sample: int) -> None:
    """Paint the curve and the data; without ``curve_x`` the outputs on the training inputs
    stand in for the curve."""
    if canvas.width < 2 or canvas.height < 1:
        return
    if snapshot.curve_x is not None and snapshot.curve_y is not None:
        curve_x, curve_y = snapshot.curve_x, snapshot.curve_y
    else:
        order = np.argsort(snapshot.X_train[:, 0])
        curve_x, curve_y = snapshot.X_train[order, 0], snapshot.outputs[order]
    X = np.concatenate([snapshot.X_train[:, 0], snapshot.X_test[:, 0], curve_x])
    Y = np.concatenate([snapshot.Y_train.ravel(), snapshot.Y_test.ravel(), curve_y.ravel()])
    plot = Plot(canvas, X, Y)
    for j in range(curve_y.shape[1]):
        color = palette.positive if j == 0 else palette.class_color(j + 1)
        target = palette.warn if j == 0 else palette.fade(color, 0.7)
        plot.line(curve_x, curve_y[:, j], color, bold=True)
        plot.marks(snapshot.X_train[:, 0], snapshot.Y_train[:, j], "•", target)
        plot.marks(snapshot.X_test[:, 0], snapshot.Y_test[:, j], "◦", target)
    if 0 <= sample < snapshot.X_train.shape[0]:
        plot.marks(snapshot.X_train[sample:sample + 1, 0],
                   snapshot.Y_train[sample:sample + 1, 0], "◆", palette.accent)
    legend = [("━ network", palette.positive), ("• train", palette.warn),
              ("◦ test", palette.warn)]
    plot.finish(palette, snapshot.input_names[0], ", ".join(snapshot.target_names), legend)
