"""Regression with several inputs: predicted against target for every sample, ``•``
training and ``◦`` test, over the diagonal where they would be equal."""

from __future__ import annotations

import numpy as np

from core.session import Snapshot

from ..canvas import Canvas
from ..render import Palette
from .plot import Plot


def draw_scatter(canvas: Canvas, palette: Palette, snapshot: Snapshot, sample: int) -> None:
    """Paint the diagonal and the points."""
    if canvas.width < 2 or canvas.height < 1:
        return
    targets = np.concatenate([snapshot.Y_train.ravel(), snapshot.Y_test.ravel()])
    outputs = np.concatenate([snapshot.outputs.ravel(), snapshot.test_outputs.ravel()])
    both = np.concatenate([targets, outputs])
    plot = Plot(canvas, both, both)
    low, high = plot.x_range
    plot.line(np.array([low, high]), np.array([low, high]), palette.muted)
    plot.marks(snapshot.Y_train.ravel(), snapshot.outputs.ravel(), "•", palette.positive)
    plot.marks(snapshot.Y_test.ravel(), snapshot.test_outputs.ravel(), "◦", palette.warn)
    plot.finish(palette, "target", "predicted",
                [("• train", palette.positive), ("◦ test", palette.warn)])
