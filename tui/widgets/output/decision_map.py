"""The decision map of a 2-input network: its output over the plane, with the data on top.

The map is the snapshot's ``decision_grid`` drawn in half blocks (two pixels a cell): the
colour of the predicted class, stronger where the network is confident, so the decision
boundary shows as a dark seam. Training points are ``●`` and test points ``○``, coloured by
their target class (regression: brighter the larger the target, over a map brighter the
larger the output).
"""

from __future__ import annotations

import numpy as np
from textual.color import Color

from core.session import Snapshot

from ..canvas import Canvas
from ..render import Palette, number
from .classes import class_names, classes_of

CONFIDENCE_LEVELS = 8


def map_width(snapshot: Snapshot, rows: int) -> int:
    """The width in cells of a map ``rows`` rows tall that keeps the data's aspect."""
    xmin, xmax, ymin, ymax = _extent(snapshot)
    aspect = (xmax - xmin) / (ymax - ymin) if ymax > ymin else 1.0
    return max(1, round(2 * rows * min(4.0, max(0.25, aspect))))


def draw_decision_map(canvas: Canvas, palette: Palette, snapshot: Snapshot,
                      sample: int, marked: tuple[int, ...] = ()) -> None:
    """Paint the map, the points, an axis line and a legend (beside the map, or under it
    when the panel is narrow); the selected training ``sample`` is marked ``◆``, the
    ``marked`` samples (those making the selected gradient) ``✱``."""
    if canvas.width < 2 or canvas.height < 1:
        return
    legend = _legend_lines(palette, snapshot) + ([("✱ make dC/dw", palette.accent)]
                                                 if marked else [])
    legend_width = max(len(text) for text, _ in legend) + 2
    axis = canvas.height >= 4
    rows = canvas.height - 1 if axis else canvas.height
    beside = canvas.width >= map_width(snapshot, rows) + legend_width
    below = [] if beside or canvas.height < 8 else _wrap(legend, canvas.width)[:2]
    rows -= len(below)
    width = min(canvas.width, map_width(snapshot, rows))
    while rows > 1 and map_width(snapshot, rows - 1) >= width:
        rows -= 1
    extent = _extent(snapshot)
    paint = _Painter(palette, snapshot)
    if snapshot.decision_grid is not None:
        canvas.pixels(0, 0, _pixels(paint, snapshot.decision_grid, width, 2 * rows))
    else:
        canvas.view(0, 0, width, rows).text(0, 0, "no decision grid in this snapshot",
                                            fg=palette.muted)
    for X, Y, mark in ((snapshot.X_train, snapshot.Y_train, "●"),
                       (snapshot.X_test, snapshot.Y_test, "○")):
        for (col, row), color in zip(_cells(X, extent, width, rows), paint.point_colors(Y)):
            canvas.put(int(col), int(row), mark, fg=color, bold=True)
    for x, y in _cells(snapshot.X_train[list(marked)], extent, width, rows):
        canvas.put(int(x), int(y), "✱", fg=palette.accent, bold=True)
    if 0 <= sample < snapshot.X_train.shape[0]:
        x, y = _cells(snapshot.X_train[sample:sample + 1], extent, width, rows)[0]
        canvas.put(int(x), int(y), "◆", fg=palette.accent, bold=True)
    if axis:
        names = snapshot.input_names
        text = (f"{names[0]} {number(extent[0])}…{number(extent[1])} → · "
                f"{names[1]} {number(extent[2])}…{number(extent[3])} ↑")
        if len(text) > canvas.width:
            text = f"{names[0]} → · {names[1]} ↑"
        canvas.text(0, rows, text, fg=palette.muted)
    if beside:
        for row, (text, color) in enumerate(legend[:rows]):
            canvas.text(width + 2, row, text, fg=color)
    for offset, pieces in enumerate(below):
        x = 0
        for text, color in pieces:
            canvas.text(x, rows + 1 + offset, text, fg=color)
            x += len(text) + 2


class _Painter:
    """Colours for outputs (the map) and targets (the points) of one snapshot."""

    def __init__(self, palette: Palette, snapshot: Snapshot) -> None:
        self.palette = palette
        self.classify = snapshot.task == "classification"
        values = [snapshot.Y_train[:, 0]]
        if snapshot.decision_grid is not None:
            values.append(snapshot.decision_grid[..., 0].ravel())
        finite = np.concatenate(values)
        finite = finite[np.isfinite(finite)]
        self.low = float(finite.min()) if finite.size else 0.0
        self.high = float(finite.max()) if finite.size else 1.0

    def output_colors(self, outputs: np.ndarray) -> list[Color]:
        """The map colour of each output row."""
        palette = self.palette
        if not self.classify:
            return [palette.fade(palette.positive, 0.1 + 0.8 * level)
                    for level in self._levels(outputs[:, 0])]
        k = outputs.shape[1]
        outputs = np.nan_to_num(outputs)
        if k == 1:
            confidence = np.abs(outputs[:, 0] - 0.5) * 2
        else:
            confidence = (outputs.max(axis=1) - 1 / k) / (1 - 1 / k)
        steps = np.rint(np.clip(confidence, 0, 1) * CONFIDENCE_LEVELS) / CONFIDENCE_LEVELS
        return [palette.fade(palette.class_color(int(c)), 0.12 + 0.5 * float(s))
                for c, s in zip(classes_of(outputs), steps)]

    def point_colors(self, targets: np.ndarray) -> list[Color]:
        """The colour of each data point: its target class, or its target value."""
        palette = self.palette
        if self.classify:
            return [palette.class_color(int(c)) for c in classes_of(targets)]
        return [palette.fade(palette.foreground, 0.35 + 0.65 * level)
                for level in self._levels(targets[:, 0])]

    def _levels(self, values: np.ndarray) -> np.ndarray:
        span = self.high - self.low
        if span <= 0:
            return np.zeros(len(values))
        levels = (np.nan_to_num(values) - self.low) / span
        return np.rint(np.clip(levels, 0, 1) * 12) / 12


def _extent(snapshot: Snapshot) -> tuple[float, float, float, float]:
    """(xmin, xmax, ymin, ymax): the grid's, or the data's with a margin."""
    if snapshot.grid_extent is not None:
        return snapshot.grid_extent
    X = np.vstack([snapshot.X_train, snapshot.X_test])
    low, high = X.min(axis=0), X.max(axis=0)
    pad = np.where(high > low, 0.05 * (high - low), 0.5)
    return (float(low[0] - pad[0]), float(high[0] + pad[0]),
            float(low[1] - pad[1]), float(high[1] + pad[1]))


def _pixels(paint: _Painter, grid: np.ndarray, width: int,
            pixel_rows: int) -> list[list[Color]]:
    """The grid resampled (nearest) to ``width`` x ``pixel_rows``, y growing upwards."""
    size_y, size_x = grid.shape[:2]
    colors = paint.output_colors(grid.reshape(size_y * size_x, -1))
    cols = np.minimum((np.arange(width) + 0.5) / width * size_x, size_x - 1).astype(int)
    rows = np.minimum((1 - (np.arange(pixel_rows) + 0.5) / pixel_rows) * size_y,
                      size_y - 1).astype(int)
    return [[colors[r * size_x + c] for c in cols] for r in rows]


def _cells(X: np.ndarray, extent: tuple[float, float, float, float], width: int,
           rows: int) -> np.ndarray:
    """The cell (column, row) of each 2-D point; points outside land off the canvas."""
    xmin, xmax, ymin, ymax = extent
    with np.errstate(invalid="ignore", divide="ignore"):
        col = np.floor((X[:, 0] - xmin) / (xmax - xmin) * width)
        row = np.floor((ymax - X[:, 1]) / (ymax - ymin) * rows)
    cells = np.column_stack([col, row])
    return np.where(np.isfinite(cells), cells, -1).astype(int)


def _wrap(pieces: list[tuple[str, Color]], width: int) -> list[list[tuple[str, Color]]]:
    """The legend's pieces in rows of at most ``width`` cells, two spaces apart."""
    rows: list[list[tuple[str, Color]]] = [[]]
    used = 0
    for text, color in pieces:
        if rows[-1] and used + 2 + len(text) > width:
            rows.append([])
            used = 0
        used += (2 if rows[-1] else 0) + len(text)
        rows[-1].append((text, color))
    return rows


def _legend_lines(palette: Palette, snapshot: Snapshot) -> list[tuple[str, Color]]:
    """Class swatches (or the output's range) and what the marks mean."""
    lines: list[tuple[str, Color]] = []
    if snapshot.task == "classification":
        for k, name in enumerate(class_names(snapshot)):
            lines.append((f"■ {name[:14]}", palette.class_color(k)))
    else:
        lines.append((f"■ {snapshot.target_names[0][:14]}", palette.positive))
    return lines + [("● train", palette.foreground), ("○ test", palette.foreground),
                    ("◆ sample", palette.accent)]
