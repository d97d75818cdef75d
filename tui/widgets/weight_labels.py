"""Every weight's value on its line, for networks small enough to read them all."""

from __future__ import annotations

import numpy as np

from core.explain.notes import NOTHING, Held

from .canvas import Canvas
from .diagram_layout import Layout
from .render import Palette, number

LABELLED_UP_TO = 16
"""Networks with at most this many weights have every weight line labelled."""
PLACES = (0.5, 0.35, 0.65, 0.25, 0.75, 0.45, 0.55, 0.2, 0.8)
"""Where along a line (from its start) a label may go, in order of preference."""


def label_weights(canvas: Canvas, palette: Palette, geometry: Layout,
                  weights: tuple[np.ndarray, ...], selected: tuple | None,
                  color_by: str = "weights", held: Held = NOTHING) -> None:
    """Write each weight's value on its line, where it touches no other text, in the line's
    colour (the selected weight is labelled by the diagram itself; a value ``held`` back by
    a lesson as '?'); nothing while the lines show gradients (``color_by``), for larger
    networks, or for weights not on screen."""
    if color_by != "weights" or sum(w.size for w in weights) > LABELLED_UP_TO:
        return
    node_width = geometry.node_width
    for l, matrix in enumerate(weights):
        source, target = geometry.columns[l], geometry.columns[l + 1]
        scale = float(np.abs(matrix).max()) if matrix.size else 0.0
        for a, i in enumerate(source.units):
            for b, j in enumerate(target.units):
                if selected == ("weight", l, i, j):
                    continue
                value = float(matrix[i, j])
                x0, y0 = 2 * (source.x + node_width), 4 * source.rows[a] + 2
                x1, y1 = 2 * target.x - 1, 4 * target.rows[b] + 2
                _place(canvas, held.shown(value, number(value, tiny=True)), x0, y0, x1, y1,
                       palette.signed(value, scale, 0.2))


def _place(canvas: Canvas, label: str, x0: int, y0: int, x1: int, y1: int, color) -> None:
    """``label`` at the first of ``PLACES`` along the line (in dots) with room for it."""
    for t in PLACES:
        x = round((x0 + t * (x1 - x0)) / 2) - len(label) // 2
        y = int((y0 + t * (y1 - y0)) // 4)
        if canvas.free(x - 1, y, len(label) + 2):
            canvas.text(x, y, label, fg=color, bold=True)
            return
