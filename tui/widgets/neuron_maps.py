"""Per-neuron maps: inside the layer diagram, what each hidden and output neuron computes
over the input plane.

Each map is the neuron's activation on the snapshot's decision grid (two inputs only), drawn
in half blocks under its node box in the output view's colours and orientation (x1 to the
right, x2 up): the colour of class 1 where the neuron is on, of class 0 where it is off,
stronger the further from half way. Activations outside [0, 1] are scaled to it first
(tanh from [-1, 1], others by the largest value on the grid).
"""

from __future__ import annotations

import numpy as np
from textual.color import Color

from core.session import Snapshot

from .canvas import Canvas
from .diagram_layout import Layout
from .output.decision_map import CONFIDENCE_LEVELS
from .render import Palette

MAP_ROWS = 3          # cell rows of a map (two pixels a cell)
UNIT_RANGE = ("sigmoid", "softmax")


def available(snapshot: Snapshot | None) -> bool:
    """Whether ``snapshot`` has per-neuron maps to show (a network with two inputs)."""
    return snapshot is not None and snapshot.neuron_grids is not None


def toggle_neuron_maps(diagram) -> None:
    """Show or hide the layer diagram's neuron maps; say why when its network has no
    two inputs."""
    if not available(diagram.snapshot):
        diagram.notify("Neuron maps need a network with two inputs (try circle or xor).",
                       title="Neuron maps")
        return
    diagram.neuron_maps = not diagram.neuron_maps


def draw_neuron_maps(canvas: Canvas, palette: Palette, geometry: Layout,
                     snapshot: Snapshot) -> None:
    """Under every hidden and output node box with room below it, that neuron's map (over
    its bias line: the inspector still has the bias)."""
    if not available(snapshot):
        return
    width = geometry.node_width
    last = len(geometry.columns) - 1
    for k, column in enumerate(geometry.columns[1:], start=1):
        grid = snapshot.neuron_grids[k - 1]
        sigma = snapshot.output_activation if k == last else snapshot.activation
        for index, (unit, row) in enumerate(zip(column.units, column.rows)):
            below = column.rows[index + 1] if index + 1 < len(column.rows) else geometry.bottom
            rows = min(MAP_ROWS, below - row - 1)
            if rows < 1:
                continue
            levels = _unit_levels(grid[..., unit], sigma)
            canvas.pixels(column.x, row + 1, _pixels(palette, levels, width, 2 * rows))


def _unit_levels(values: np.ndarray, sigma: str) -> np.ndarray:
    """A neuron's activations on the grid as levels in [0, 1] (0: off, 1: on)."""
    values = np.nan_to_num(values)
    if sigma in UNIT_RANGE:
        return np.clip(values, 0.0, 1.0)
    if sigma == "tanh":
        return np.clip((values + 1.0) / 2.0, 0.0, 1.0)
    top = float(np.abs(values).max())
    return np.clip(values / top, 0.0, 1.0) if top > 0 else np.zeros_like(values)


def _pixels(palette: Palette, levels: np.ndarray, width: int,
            pixel_rows: int) -> list[list[Color]]:
    """``levels`` (y growing upwards, as the decision grid) resampled to ``width`` x
    ``pixel_rows`` pixels in the output view's two class colours."""
    size_y, size_x = levels.shape
    cols = np.minimum((np.arange(width) + 0.5) / width * size_x, size_x - 1).astype(int)
    rows = np.minimum((1 - (np.arange(pixel_rows) + 0.5) / pixel_rows) * size_y,
                      size_y - 1).astype(int)
    sampled = levels[np.ix_(rows, cols)]
    confidence = np.rint(np.abs(sampled - 0.5) * 2 * CONFIDENCE_LEVELS) / CONFIDENCE_LEVELS
    off, on = palette.class_color(0), palette.class_color(1)
    return [[palette.fade(on if level >= 0.5 else off, 0.12 + 0.5 * float(strength))
             for level, strength in zip(level_row, strength_row)]
            for level_row, strength_row in zip(sampled, confidence)]
