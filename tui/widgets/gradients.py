"""Live gradients: per weight layer, ||dC/dw|| over time, dC/dW now, and troubled units.

One block a layer: its label (``w(1) 2x2``), a bar chart of the gradient norm over the run
on a log scale shared by all layers (so vanishing gradients in early layers show as
shorter bars), the current dC/dW as a signed heat grid, and the count of saturated
sigmoid/tanh units and dead ReLUs among the units the layer feeds.
"""

from __future__ import annotations

import numpy as np

from core.session import Snapshot

from .base import SnapshotPanel
from .canvas import Canvas, fitting
from .render import Palette, bars, block_extremes, bucket_means, number

SATURATION_MARGIN = 0.02
MAX_BLOCK_ROWS = 6
MAX_CHART_ROWS = 3


def unit_troubles(snapshot: Snapshot, layer: int) -> tuple[str, int, int] | None:
    """For the hidden units that weight layer ``layer`` feeds: ("saturated" or "dead", how
    many, of how many), or None when the layer feeds the output or a linear activation.

    Saturated: a sigmoid/tanh unit within 0.02 of its limits on most samples. Dead: a ReLU
    that is 0 on every sample.
    """
    if layer >= snapshot.n_layers - 1:
        return None
    a = snapshot.activations[layer + 1]
    units = a.shape[1]
    if snapshot.activation == "sigmoid":
        near = (a < SATURATION_MARGIN) | (a > 1 - SATURATION_MARGIN)
    elif snapshot.activation == "tanh":
        near = np.abs(a) > 1 - SATURATION_MARGIN
    elif snapshot.activation == "relu":
        return "dead", int(np.all(a <= 0, axis=0).sum()) if a.shape[0] else 0, units
    else:
        return None
    return "saturated", int((near.mean(axis=0) > 0.5).sum()) if a.shape[0] else 0, units


class GradientPanel(SnapshotPanel):
    """The gradients of every weight layer: norm history, current dC/dW, unit health."""

    DEFAULT_CSS = """
    GradientPanel { width: 1fr; height: auto; min-height: 3; }
    """

    def show(self, snapshot: Snapshot) -> None:
        """Take a new snapshot; the title says when training's gradients (the norms drawn
        per epoch) come from finite differences."""
        title = ("Gradients" if snapshot.gradient_method == "backprop"
                 else "Gradients · training by finite differences")
        if str(self.border_title or "") != title:
            self.border_title = title
        super().show(snapshot)

    def get_content_height(self, container, viewport, width: int) -> int:
        """With ``height: auto``: a key line and five rows a layer."""
        return 1 + 5 * (self.snapshot.n_layers if self.snapshot is not None else 1)

    def draw(self, canvas: Canvas, palette: Palette, snapshot: Snapshot) -> None:
        """One block per weight layer, under a one-line key when there is room."""
        n_layers = snapshot.n_layers
        top = 1 if canvas.height >= 3 * n_layers + 1 else 0
        if top:
            key = fitting(canvas.width - 4, "‖dC/dw‖ per epoch, log scale · dC/dW now:",
                          "‖dC/dw‖ per epoch, log · dC/dW now:", "‖dC/dw‖ · dC/dW:")
            canvas.text(0, 0, key, fg=palette.muted)
            canvas.text(len(key) + 1, 0, "+", fg=palette.positive, bold=True)
            canvas.text(len(key) + 3, 0, "-", fg=palette.negative, bold=True)
        block = min(MAX_BLOCK_ROWS, max(1, (canvas.height - top) // n_layers))
        rows = block - 1 if block >= 4 else block
        low, high = _log_range(snapshot.grad_norm_history)
        heats = [_heat_pixels(palette, g, max(4, canvas.width // 3), rows)
                 for g in snapshot.gradients_w]
        grid_width = max(len(pixels[0]) for pixels in heats)
        chart_width = canvas.width - grid_width - 2
        for layer in range(min(n_layers, (canvas.height - top) // block)):
            view = canvas.view(0, top + layer * block, canvas.width, rows)
            view.pixels(canvas.width - len(heats[layer][0]), 0, heats[layer])
            if chart_width >= 4:
                _draw_layer(view.view(0, 0, chart_width, rows), palette, snapshot, layer,
                            low, high)


def _draw_layer(canvas: Canvas, palette: Palette, snapshot: Snapshot, layer: int,
                low: float, high: float) -> None:
    """The label, norm, chart and unit counts of one layer, laid out for the rows there are."""
    gradient = snapshot.gradients_w[layer]
    width, rows = canvas.width, canvas.height
    label = f"w({layer + 1}) {gradient.shape[0]}×{gradient.shape[1]}"
    history = snapshot.grad_norm_history[layer]
    norm = f"‖∇‖ {number(float(np.linalg.norm(gradient)), 6, tiny=True)}"
    troubles = unit_troubles(snapshot, layer)
    canvas.text(0, 0, label, fg=palette.foreground, bold=True)
    if rows >= 3:
        canvas.text(len(label) + 2, 0, norm, fg=palette.muted)
        chart_rows = min(MAX_CHART_ROWS, rows - 2)
        _draw_chart(canvas.view(0, 1, width, chart_rows), palette, history, low, high)
        _draw_troubles(canvas.view(0, 1 + chart_rows, width, 1), palette, troubles)
    elif rows == 2:
        _draw_troubles(canvas.view(len(label) + 2, 0, width - len(label) - 2, 1), palette,
                       troubles)
        _draw_chart(canvas.view(0, 1, width, 1), palette, history, low, high)
    else:
        _draw_chart(canvas.view(len(label) + 1, 0, width - len(label) - 1, 1), palette,
                    history, low, high)


def _log_range(histories: tuple[np.ndarray, ...]) -> tuple[float, float]:
    """The log10 range of all the layers' norms, so their charts share one scale."""
    values = [np.log10(h[np.isfinite(h) & (h > 0)]) for h in histories]
    values = [v for v in values if v.size]
    if not values:
        return 0.0, 0.0
    return float(min(v.min() for v in values)), float(max(v.max() for v in values))


def _draw_chart(canvas: Canvas, palette: Palette, history: np.ndarray, low: float,
                high: float) -> None:
    if canvas.width <= 0 or canvas.height <= 0:
        return
    if history.size == 0:
        canvas.text(0, canvas.height - 1, "no history yet", fg=palette.muted)
        return
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log10(np.where(history > 0, history, np.nan))
    values = bucket_means(logs, canvas.width)
    for row, text in enumerate(bars(values, low - 0.05 * (high - low), high, canvas.height)):
        canvas.text(0, row, text, fg=palette.positive)


def _draw_troubles(canvas: Canvas, palette: Palette,
                   troubles: tuple[str, int, int] | None) -> None:
    if troubles is None or canvas.width <= 0:
        return
    kind, count, units = troubles
    color = palette.muted if count == 0 else (palette.warn if kind == "saturated" else palette.bad)
    text = f"{kind} {count}/{units}"
    if len(text) > canvas.width:
        text = f"{kind[:3]} {count}/{units}"
    canvas.text(0, 0, text, fg=color, bold=count > 0)


def _heat_pixels(palette: Palette, matrix: np.ndarray, max_width: int,
                 rows: int) -> list[list]:
    """dC/dW as a grid of coloured pixels, at most ``max_width`` wide and ``rows`` cells
    (two pixels each) tall. Each entry gets a square of pixels when the matrix is small; a
    large one is shrunk by blocks, each keeping its strongest entry."""
    n_in, n_out = matrix.shape
    pixel_rows = 2 * rows
    size = max(1, min(4, max_width // n_out, pixel_rows // n_in))
    shrunk = block_extremes(np.nan_to_num(matrix), pixel_rows // size, max_width // size)
    scale = float(np.abs(shrunk).max())
    return [[palette.signed(float(value), scale, 0.08) for value in row for _ in range(size)]
            for row in shrunk for _ in range(size)]
